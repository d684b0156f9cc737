"""Spreadsheets: a corpus PDF's tables written to .xlsx and .xls give the PDF's table facts."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from budgetbook.document import Document, Table
from budgetbook.extract.identity import Identity, identify
from budgetbook.extract.tables import table_facts
from budgetbook.readers import ReadError, read_document, sniff_format
from budgetbook.readers.legacy import convert, soffice
from budgetbook.readers.spreadsheet import cell_text, cell_texts, sheet_blocks
from budgetbook.text import parse_number

from .conftest import CORPUS, need_shared

PDF = "上海_2026年上海市审计局_部门预算.pdf"  # standard tables in 元, headers merged over two rows


def _is_number(text: str) -> bool:
    return parse_number(text) is not None and any(ch.isdigit() for ch in text) and "%" not in text


def write_workbook(tables: list[Table], path: Path) -> None:
    """Each table on a sheet of its own, as finance bureaus publish them: a merged title row,
    a 单位 row, merged header cells, numbers as numbers formatted to two decimals."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for number, table in enumerate(tables, start=1):
        sheet = book.create_sheet(f"公开表{number}")
        width = table.n_cols
        sheet.cell(1, 1, table.title)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        sheet.cell(2, width, f"单位：{table.unit}")
        header = True
        for r, row in enumerate(table.rows, start=3):
            header = header and not any(_is_number(c) for c in row[1:])
            for c, text in enumerate(row, start=1):
                if text and _is_number(text) and c > 1:
                    cell = sheet.cell(r, c, parse_number(text))
                    cell.number_format = "#,##0.00"
                elif text:
                    sheet.cell(r, c, text)
            if header:  # a header label spans the empty cells to its right
                for c, text in enumerate(row, start=1):
                    end = c
                    while text and end < len(row) and not row[end]:
                        end += 1
                    if end > c:
                        sheet.merge_cells(f"{get_column_letter(c)}{r}:{get_column_letter(end)}{r}")
    book.save(path)


def _key_facts(doc: Document, identity: Identity) -> list[tuple]:
    """The table facts of `doc` read as a document of `identity`'s year and kind (a workbook of
    bare tables does not say which year it is about; the explanation beside it does)."""
    facts = [f for i, t in enumerate(doc.tables, 1) for f in table_facts(t, i, identity.fiscal_year, identity.doc_kind)]
    return sorted((f.measure, f.item, f.year, f.basis, round(f.value, 4), f.unit) for f in facts)


@pytest.fixture(scope="module")
def original() -> Document:
    path = need_shared(CORPUS / PDF)
    return read_document(path, PDF, "pdf")


@pytest.fixture(scope="module")
def workbook(original: Document, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sheets") / "公开表.xlsx"
    write_workbook(original.tables, path)
    return path


def test_xlsx_gives_the_facts_of_the_pdf(original: Document, workbook: Path) -> None:
    doc = read_document(workbook, workbook.name, "xlsx")
    assert doc.format == "xlsx" and len(doc.tables) == len(original.tables)
    first = doc.tables[0]
    assert first.caption[0] == "公开表1" and first.title == original.tables[0].title and first.unit == "元"
    assert [t.title for t in doc.tables] == [t.title for t in original.tables]
    expected = _key_facts(original, identify(original))
    assert len(expected) > 30
    assert _key_facts(doc, identify(original)) == expected


def test_xls_made_by_libreoffice_gives_the_same_facts(original: Document, workbook: Path, tmp_path: Path) -> None:
    if soffice() is None:
        pytest.fail("LibreOffice (soffice) is needed to write the .xls; .ci/run installs it")
    path = tmp_path / "公开表.xls"
    path.write_bytes(convert(workbook.read_bytes(), ".xlsx", "xls"))
    assert sniff_format(path.read_bytes(), ".xls") == "xls"
    renamed = tmp_path / "公开表.pdf"  # the name says nothing: the bytes do
    renamed.write_bytes(path.read_bytes())
    doc = read_document(renamed, renamed.name, "xls")
    assert doc.format == "xls"
    assert [t.unit for t in doc.tables] == [t.unit for t in original.tables]
    assert _key_facts(doc, identify(original)) == _key_facts(original, identify(original))


def test_merged_cells_are_not_repeated_and_numbers_lose_float_noise() -> None:
    grid = [
        ["总表", "总表", "总表"],
        ["单位：万元", "", ""],
        ["项目", "本年预算", "本年预算"],
        ["合计", 0.1 + 0.2, 1234.5],
    ]
    rows = cell_texts(grid, [((0, 0), (0, 2)), ((2, 1), (2, 2))])
    assert rows[0] == ["总表", "", ""] and rows[2] == ["项目", "本年预算", ""]
    assert rows[3] == ["合计", "0.3", "1234.5"]
    assert cell_text(12.0) == "12" and cell_text(134339860.12) == "134339860.12"
    (table,) = sheet_blocks("Sheet1", 1, rows)
    assert table.title == "总表" and table.unit == "万元" and table.rows[0] == ["项目", "本年预算", ""]
    assert [loc.line for loc in table.row_locations] == [3, 4]


def test_a_note_below_the_table_is_prose() -> None:
    rows = [["项目", "金额"], ["合计", "5"], ["注：本表反映部门本年度一般公共预算财政拨款支出情况。", ""]]
    table, note = sheet_blocks("表", 2, rows)
    assert isinstance(table, Table) and len(table.rows) == 2
    assert note.text.startswith("注：") and note.location.page == 2 and note.location.line == 3


def test_damaged_workbook_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    book = openpyxl.Workbook()
    book.save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ReadError, match=r"zip|spreadsheet"):
        read_document(path, path.name, "broken")


# The 年度资金总额 row of a real self-evaluation form (seed 003, 怀化市人民政府办公室 2023), as a
# finance bureau's workbook stores it: the rate as a fraction formatted as percent, amounts as
# floats formatted to two decimals.
FORM_ROW = ["年度资金总额", 3176.6, 4539.55, 4539.55 - 1e-9, 10, 0.9875, 9.875]
FORM_FORMATS = ["", "0.00", "#,##0.00", "0.00", "0", "0.00%", "0.00"]
FORM_PRINTED = ["年度资金总额", "3176.60", "4,539.55", "4539.55", "10", "98.75%", "9.88"]


def test_xls_cells_read_as_their_format_prints_them(tmp_path: Path) -> None:
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("自评表")
    sheet.write(0, 0, "项目支出绩效自评表")
    for c, head in enumerate(["", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]):
        sheet.write(1, c, head)
    for c, (value, fmt) in enumerate(zip(FORM_ROW, FORM_FORMATS, strict=True)):
        sheet.write(2, c, value, xlwt.easyxf(num_format_str=fmt) if fmt else xlwt.Style.default_style)
    path = tmp_path / "自评表.xls"
    book.save(str(path))
    doc = read_document(path, path.name, "xls")
    (table,) = doc.tables
    assert doc.format == "xls" and table.rows[-1] == FORM_PRINTED, table.rows


def test_xlsx_cells_read_as_their_format_prints_them(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["项目支出绩效自评表"])
    sheet.append(["", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"])
    sheet.append(FORM_ROW)
    for c, fmt in enumerate(FORM_FORMATS, start=1):
        if fmt:
            sheet.cell(3, c).number_format = fmt
    path = tmp_path / "自评表.xlsx"
    book.save(path)
    (table,) = read_document(path, path.name, "xlsx").tables
    assert table.rows[-1] == FORM_PRINTED, table.rows
    assert cell_text(0.5, "yyyy-mm-dd") == "0.5" and cell_text(0.125, "0.0%") == "12.5%"
