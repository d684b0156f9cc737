"""Excel workbooks with openpyxl: one sheet per topic, for colleagues who never open Python.

Headers are frozen and filtered, 万元 amounts formatted #,##0.00, columns fitted to their
content, and text that a spreadsheet would run as a formula (=, +, -, @) is kept as text.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from budgetbook.storage import atomic_write
from budgetbook.text import strip_controls

MONEY_FORMAT = "#,##0.00"
FORMULA_START = ("=", "+", "-", "@")
MAX_WIDTH = 60
SHEET_NAME_LIMIT = 31


def write_workbook(path: Path, sheets: dict[str, pd.DataFrame], money_columns: set[str] | None = None) -> Path:
    """Write `sheets` (name → frame) to `path` atomically; columns in `money_columns` get #,##0.00."""
    money = money_columns or {"value", "金额（万元）", "数值", "expected", "actual", "difference"}
    book = Workbook()
    book.remove(book.active)
    for name, frame in sheets.items():
        _sheet(book, name[:SHEET_NAME_LIMIT], frame, money)
    if not book.sheetnames:
        book.create_sheet("说明")
    atomic_write(path, lambda tmp: book.save(tmp))
    return path


def _sheet(book: Workbook, name: str, frame: pd.DataFrame, money: set[str]) -> None:
    sheet = book.create_sheet(name)
    header = [str(c) for c in frame.columns]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(vertical="center")
    for row in frame.itertuples(index=False):
        sheet.append([_plain(v) for v in row])
    for col, title in enumerate(header, start=1):
        for cell in sheet.iter_rows(min_row=2, min_col=col, max_col=col):
            _format(cell[0], title in money)
    sheet.freeze_panes = "A2"
    if frame.shape[1]:
        sheet.auto_filter.ref = f"A1:{get_column_letter(frame.shape[1])}{max(1, len(frame) + 1)}"
    _fit(sheet, header, frame)


def _plain(value):
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    return strip_controls(value) if isinstance(value, str) else value  # Excel refuses control characters


def _format(cell, is_money: bool) -> None:
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
        cell.data_type = "s"  # text, never a formula
        cell.quotePrefix = True
    elif is_money and isinstance(cell.value, int | float):
        cell.number_format = MONEY_FORMAT


def _fit(sheet, header: list[str], frame: pd.DataFrame) -> None:
    for col, title in enumerate(header, start=1):
        texts = [title, *(str(v) for v in frame.iloc[:200, col - 1].tolist() if v is not None)]
        width = max(_display_width(t) for t in texts) + 2
        sheet.column_dimensions[get_column_letter(col)].width = min(MAX_WIDTH, width)


def _display_width(text: str) -> int:
    """Characters as a spreadsheet column counts them: CJK are two wide."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
