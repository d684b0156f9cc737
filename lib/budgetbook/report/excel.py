"""Excel workbooks with openpyxl: one sheet per topic, for colleagues who never open Python.

Sheets are `ReaderTable`s: Chinese headers, numbers stored as numbers with the format of their
unit (万元 `#,##0.00`, counts `0`, % `0.00"%"`, scores `0.0#`), years as whole numbers, blanks
empty; headers frozen and filtered, columns fitted; link columns are hyperlinks; text passes
`excel_text` and text that looks like a formula stays text.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from budgetbook.report.escape import excel_text, looks_like_formula
from budgetbook.report.present import COUNT, MONEY, PERCENT, SCORE, TEXT, YEAR, ReaderTable, is_missing, number
from budgetbook.storage import atomic_write

MONEY_FORMAT = "#,##0.00"
FORMATS = {MONEY: MONEY_FORMAT, COUNT: "0", PERCENT: '0.00"%"', SCORE: "0.0#", YEAR: "0"}
MAX_WIDTH = 60
SHEET_NAME_LIMIT = 31


def write_workbook(path: Path, sheets: dict[str, ReaderTable | pd.DataFrame]) -> Path:
    """Write `sheets` (name → table) to `path` atomically."""
    book = Workbook()
    book.remove(book.active)
    for name, table in sheets.items():
        table = table if isinstance(table, ReaderTable) else ReaderTable(table)
        _sheet(book, excel_text(name)[:SHEET_NAME_LIMIT], table)
    if not book.sheetnames:
        book.create_sheet("说明")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    atomic_write(Path(path), lambda tmp: book.save(tmp))
    return Path(path)


def _sheet(book: Workbook, name: str, table: ReaderTable) -> None:
    sheet = book.create_sheet(name)
    header = table.columns
    sheet.append([excel_text(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(vertical="center")
    for r, (_, row) in enumerate(table.frame.iterrows(), start=2):
        for c, column in enumerate(header, start=1):
            _put(sheet.cell(row=r, column=c), row[column], table.kind(column, row))
            if column in table.links and not is_missing(row.get(table.links[column])):
                link = sheet.cell(row=r, column=c)
                link.hyperlink = excel_text(row[table.links[column]])
                link.font = Font(color="0563C1", underline="single")
    sheet.freeze_panes = "A2"
    if header:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(1, len(table.frame) + 1)}"
    _fit(sheet, header, table)


def _put(cell, value, kind: str) -> None:
    if is_missing(value):
        return
    x = number(value) if kind != TEXT or not isinstance(value, str) else None
    if x is not None:
        cell.value = round(x) if kind in (COUNT, YEAR) else x
        cell.number_format = FORMATS.get(kind, "General")
        return
    text = excel_text(value)
    cell.value = text
    cell.data_type = "s"  # text, never a formula
    if looks_like_formula(text):
        cell.quotePrefix = True


def _fit(sheet, header: list[str], table: ReaderTable) -> None:
    for col, title in enumerate(header, start=1):
        texts = [title, *(str(v) for v in table.frame[title].iloc[:200].tolist() if not is_missing(v))]
        width = max(_display_width(t) for t in texts) + 2
        sheet.column_dimensions[get_column_letter(col)].width = min(MAX_WIDTH, width)


def _display_width(text: str) -> int:
    """Characters as a spreadsheet column counts them: CJK are two wide."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
