"""Tables drawn without ruling lines: a corpus table set as a borderless Word table and
printed to PDF by LibreOffice is read as a table with the facts of the ruled original."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.shared import Pt

from budgetbook.document import Document, Table
from budgetbook.extract.identity import identify
from budgetbook.extract.tables import table_facts
from budgetbook.readers import read_document
from budgetbook.readers.legacy import convert, soffice
from budgetbook.readers.pdf_columns import column_tables

from .conftest import CORPUS, need_shared

PDF = "长沙_2026年长沙市教育局部门预算.pdf"


def _chars(text: str, x0: float, top: float, size: float = 10.0) -> list[dict]:
    return [
        {"text": ch, "x0": x0 + i * size, "x1": x0 + (i + 1) * size, "top": top, "bottom": top + size, "size": size}
        for i, ch in enumerate(text)
    ]


def _line(cells: list[tuple[str, float]], top: float) -> dict:
    chars = [c for text, x0 in cells for c in _chars(text, x0, top)]
    return {"text": " ".join(t for t, _ in cells), "top": top, "bottom": top + 10, "chars": chars}


def test_aligned_lines_become_a_table_and_prose_stays() -> None:
    lines = [
        _line([("本单位2026年收入预算合计656.73万元，比上年增加。", 50)], 100),
        _line([("项目", 50), ("本年预算", 300)], 130),
        _line([("基本支出", 50), ("386.73", 300)], 145),
        _line([("项目支出", 50), ("270.00", 300)], 160),
        _line([("合计", 50), ("656.73", 300)], 175),
        _line([("注：本表反映部门本年度收支情况。", 50)], 220),
    ]
    keep, (table,) = column_tables(lines)
    assert table.rows == [["项目", "本年预算"], ["基本支出", "386.73"], ["项目支出", "270.00"], ["合计", "656.73"]]
    assert [ln["text"][:4] for ln in keep] == ["本单位2", "注：本表"]
    assert table.top == 130 and table.bottom == 185


def test_two_columns_of_words_without_figures_are_not_a_table() -> None:
    lines = [_line([("部门职责", 50), ("机构设置", 300)], 100 + 15 * i) for i in range(4)]
    keep, tables = column_tables(lines)
    assert tables == [] and len(keep) == 4


def write_borderless(table: Table, path: Path) -> None:
    word = docx.Document()
    style = word.styles["Normal"]
    style.font.size = Pt(9)
    word.add_paragraph(table.title)
    word.add_paragraph(f"单位：{table.unit}")
    grid = word.add_table(rows=len(table.rows), cols=table.n_cols)  # no style: no borders
    for r, row in enumerate(table.rows):
        for c, text in enumerate(row):
            grid.cell(r, c).text = text
    word.save(path)


@pytest.fixture(scope="module")
def original() -> Document:
    return read_document(need_shared(CORPUS / PDF), PDF, "ruled")


def test_a_borderless_table_in_a_pdf_gives_the_ruled_tables_facts(original: Document, tmp_path: Path) -> None:
    if soffice() is None:
        pytest.fail("LibreOffice (soffice) is needed to print the borderless table; .ci/run installs it")
    ruled = next(t for t in original.tables if "收支总体情况表" in t.title)
    source = tmp_path / "borderless.docx"
    write_borderless(ruled, source)
    path = tmp_path / "borderless.pdf"
    path.write_bytes(convert(source.read_bytes(), ".docx", "pdf"))
    doc = read_document(path, path.name, "borderless")
    (table,) = doc.tables
    assert table.title == ruled.title and table.unit == ruled.unit
    identity = identify(original)

    def facts(t: Table) -> list[tuple]:
        return sorted(
            (f.measure, f.item, f.year, f.basis, f.value)
            for f in table_facts(t, 1, identity.fiscal_year, identity.doc_kind)
        )

    expected = facts(ruled)
    assert len(expected) >= 8
    assert facts(table) == expected
