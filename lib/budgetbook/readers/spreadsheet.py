"""Spreadsheets (.xlsx, .xls, .et, .ods) through python-calamine: every sheet one table.

A sheet's leading rows that hold one short line each (the title, 单位：元, 编制单位：…) are the
table's caption; the sheet name is the first caption line. Cells covered by a merged cell are
'' (the merged value is kept once, in its top-left cell). Numbers are written as their cell
format prints them (calamine gives values only: the formats come from xlrd for .xls and openpyxl
for .xlsx): 0.9875 formatted 0.00% is 98.75%, 1234.5 formatted #,##0.00 is 1,234.50; without a
format, as the number they are, without binary float noise (0.30000000000000004 → 0.3).
Trailing notes (注：…) that fill one cell of a row become paragraphs after the table. Locations: page = sheet number
(1-based), line = spreadsheet row number (1-based, as the spreadsheet shows it).
"""

from __future__ import annotations

import datetime as dt
import io
import re

from budgetbook.document import Block, Document, Location, Paragraph, Table
from budgetbook.readers import ReadError
from budgetbook.readers.captions import is_caption_line, pick_title, unit_from
from budgetbook.text import normalize

MAX_CELLS = 2_000_000  # one document may not cost more than this many cells
MAX_CAPTION_ROWS = 5
MIN_NOTE_LEN = 20  # a one-cell row this long below the table is a note, not a row


Formats = dict[tuple[int, int], str]  # (row, column) → number format, 0-based, for cells not in General


def read_spreadsheet(data: bytes, doc: Document) -> None:
    """Fill `doc` from the bytes of a workbook: one table per non-empty sheet."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types for damaged workbooks
        raise ReadError(f"damaged spreadsheet ({type(exc).__name__}: {exc})") from exc
    doc.pages = len(book.sheet_names)
    formats = number_formats(data, doc)
    budget = MAX_CELLS
    for number, name in enumerate(book.sheet_names, start=1):
        try:
            sheet = book.get_sheet_by_name(name)
            grid = sheet.to_python(skip_empty_area=False)
            merged = list(sheet.merged_cell_ranges or [])
        except Exception as exc:  # one bad sheet must not lose the others
            doc.warnings.append(f"sheet {name!r} could not be read ({type(exc).__name__}: {exc})")
            continue
        budget -= sum(len(r) for r in grid)
        if budget < 0:
            doc.warnings.append(f"workbook too large: sheets from {name!r} on were not read")
            break
        doc.blocks.extend(sheet_blocks(name, number, cell_texts(grid, merged, formats.get(number - 1, {}))))


def number_formats(data: bytes, doc: Document) -> dict[int, Formats]:
    """Each sheet's (by index) number formats of its numeric cells: xlrd for .xls (BIFF), openpyxl
    for .xlsx; none for the other formats (their numbers are written as the numbers they are)."""
    try:
        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            return _xls_formats(data)
        if data[:2] == b"PK":
            return _xlsx_formats(data)
    except Exception as exc:  # the values are still read: a format lost is a warning, not a failure
        doc.warnings.append(f"cell formats could not be read ({type(exc).__name__}: {exc}); numbers as stored")
    return {}


def _xls_formats(data: bytes) -> dict[int, Formats]:
    import xlrd

    book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    out: dict[int, Formats] = {}
    for index in range(book.nsheets):
        sheet = book.sheet_by_index(index)
        found: Formats = {}
        for r in range(sheet.nrows):
            for c, kind in enumerate(sheet.row_types(r)):
                if kind == xlrd.XL_CELL_NUMBER:
                    fmt = book.format_map[book.xf_list[sheet.cell_xf_index(r, c)].format_key].format_str
                    if fmt != "General":
                        found[(r, c)] = fmt
        out[index] = found
        book.unload_sheet(index)
    return out


def _xlsx_formats(data: bytes) -> dict[int, Formats]:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    try:
        return {
            index: {
                (cell.row - 1, cell.column - 1): cell.number_format
                for row in ws.iter_rows()
                for cell in row
                if _numeric(cell.value) and getattr(cell, "row", None) and cell.number_format not in ("General", None)
            }
            for index, ws in enumerate(book.worksheets)
        }
    finally:
        book.close()


def _numeric(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


_DECIMALS = re.compile(r"0\.(0+)")


def formatted(value: float, fmt: str) -> str | None:
    """A number as a cell format prints it (percent, fixed decimals, thousands separator),
    or None for formats other than these (dates, text, scientific)."""
    section = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.', "", fmt.split(";")[0])  # literals, colours, padding
    if re.search(r"[ymdhsEe@]", section, re.I) or ("0" not in section and "#" not in section):
        return None
    found = _DECIMALS.search(section)
    decimals = len(found.group(1)) if found else 0
    percent = "%" in section
    number = value * 100 if percent else value
    text = f"{number:,.{decimals}f}" if "," in section else f"{number:.{decimals}f}"
    return text + ("%" if percent else "")


def cell_text(value: object, fmt: str = "") -> str:
    """A cell's value as printed: by its number format if it has one (0.00%, #,##0.00), else
    numbers without float noise; dates as ISO dates."""
    if fmt and _numeric(value):
        printed = formatted(float(value), fmt)
        if printed is not None:
            return printed
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(round(value, 6))
        return text[:-2] if text.endswith(".0") else text
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def cell_texts(
    grid: list[list[object]], merged: list[tuple[tuple[int, int], tuple[int, int]]], formats: Formats | None = None
) -> list[list[str]]:
    """The grid as text (by the cells' number formats), with every cell covered by a merged cell
    (not its top-left one) ''."""
    formats = formats or {}
    rows = [[cell_text(v, formats.get((r, c), "")) for c, v in enumerate(row)] for r, row in enumerate(grid)]
    for (r0, c0), (r1, c1) in merged:
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, min(c1, len(rows[r]) - 1) + 1):
                if (r, c) != (r0, c0):
                    rows[r][c] = ""
    return rows


def sheet_blocks(name: str, number: int, rows: list[list[str]]) -> list[Block]:
    """The caption, table and trailing notes of one sheet (nothing for an empty sheet)."""
    numbered = [(i + 1, row) for i, row in enumerate(rows) if any(row)]
    caption: list[str] = []
    while numbered and len(caption) < MAX_CAPTION_ROWS and _caption_row(numbered[0][1]):
        caption.append(" ".join(c for c in numbered.pop(0)[1] if c))
    notes: list[tuple[int, str]] = []
    while numbered and _note_row(numbered[-1][1]):
        line, row = numbered.pop()
        notes.insert(0, (line, next(c for c in row if c)))
    blocks: list[Block] = []
    if numbered:
        keep = [j for j in range(max(len(r) for _, r in numbered)) if any(j < len(r) and r[j] for _, r in numbered)]
        table_rows = [[row[j] if j < len(row) else "" for j in keep] for _, row in numbered]
        locations = [Location(line=line, page=number) for line, _ in numbered]
        lines = [name, *caption]
        blocks.append(
            Table(
                rows=table_rows,
                location=locations[0],
                title=pick_title(caption) or name,
                unit=unit_from(caption),
                caption=lines,
                row_locations=locations,
            )
        )
    elif caption:
        notes = [(0, line) for line in caption] + notes
    blocks.extend(Paragraph(raw=text, location=Location(line=line, page=number)) for line, text in notes)
    return blocks


def _filled(row: list[str]) -> list[str]:
    return [c for c in row if c]


def _caption_row(row: list[str]) -> bool:
    """A row above the table holding a title, unit or issuer line (possibly split over cells)."""
    cells = _filled(row)
    return (len(cells) == 1 and is_caption_line(cells[0])) or (len(cells) == 2 and is_caption_line("".join(cells)))


def _note_row(row: list[str]) -> bool:
    """A row below the table holding one long note (注：…), which is prose."""
    cells = _filled(row)
    return len(cells) == 1 and len(normalize(cells[0])) >= MIN_NOTE_LEN
