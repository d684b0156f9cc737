"""Every workbook `budgetbook run` writes, opened with openpyxl as a colleague's Excel would."""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import load_workbook

from budgetbook.report.excel import FORMATS, MONEY_FORMAT

CODE = re.compile(r"^[a-z_]+(?:\.[a-z_]+)*$")
UNIT_FORMAT = {"万元": MONEY_FORMAT, "%": '0.00"%"', "人": "0", "个": "0", "辆": "0", "分": "0.0#"}


def _check_book(path: Path) -> int:
    """Assert the rules on one workbook; the number of numeric cells seen."""
    book = load_workbook(path)
    numbers = 0
    for sheet in book.worksheets:
        header = [c.value for c in sheet[1]]
        assert header, (path.name, sheet.title)
        for title in header:
            assert title and not CODE.match(str(title)) and re.search(r"[\u4e00-\u9fff]", str(title)), (
                path.name,
                sheet.title,
                title,
            )
        is_data = sheet.title not in ("文件", "问题")
        if is_data and sheet.max_row > 1:
            assert "部门" in header and "年度" in header, (path.name, sheet.title)
        unit_col = header.index("单位") if "单位" in header else None
        numeric = {
            t
            for row in sheet.iter_rows(min_row=2)
            for c, t in zip(row, header, strict=False)
            if isinstance(c.value, int | float)
        }
        for row in sheet.iter_rows(min_row=2):
            for cell, title in zip(row, header, strict=False):
                value = cell.value
                if isinstance(value, str):
                    if title in numeric:  # a number column holds no number stored as text
                        assert not re.fullmatch(r"-?[\d,]+(?:\.\d+)?%?", value), (path.name, sheet.title, title, value)
                    assert not CODE.match(value) or title in ("源文件", "文件编号"), (sheet.title, title, value)
                    continue
                if not isinstance(value, int | float):
                    continue
                numbers += 1
                if title == "年度":
                    assert cell.number_format == "0" and 1990 < value < 2100
                elif "（万元）" in title or title in ("预算", "调整预算", "决算"):
                    assert cell.number_format == MONEY_FORMAT, (sheet.title, title, cell.number_format)
                elif title == "数值" and unit_col is not None:
                    unit = row[unit_col].value
                    assert cell.number_format == UNIT_FORMAT.get(unit, FORMATS["score"]), (sheet.title, unit)
                    if unit in ("人", "个", "辆"):
                        assert isinstance(value, int)
                elif title.endswith(("占比", "率", "得分（%）")) or title in ("完整性得分", "执行率"):
                    assert cell.number_format == '0.00"%"', (sheet.title, title)
                elif title.endswith(("人数", "排名", "页数", "表格数", "数据条数")):
                    assert cell.number_format == "0" and isinstance(value, int), (sheet.title, title)
                else:
                    assert cell.number_format != "General", (sheet.title, title)
    return numbers


def _books(reports: Path) -> list[Path]:
    return [*sorted(reports.glob("*/*.xlsx")), reports / "summary.xlsx"]


def test_every_seed_workbook_stores_numbers_as_numbers_in_the_format_of_their_unit(seeds_reports) -> None:
    reports, _ = seeds_reports
    books = _books(reports)
    assert len(books) == 5
    assert all(_check_book(b) > 20 for b in books)


def test_every_corpus_workbook_stores_numbers_as_numbers_in_the_format_of_their_unit(corpus_reports) -> None:
    reports, _ = corpus_reports
    books = _books(reports)
    assert len(books) >= 20
    assert sum(_check_book(b) for b in books) > 1000


def test_key_figures_carry_a_hyperlink_and_a_readable_location(corpus_reports) -> None:
    reports, _ = corpus_reports
    sheet = load_workbook(reports / "上海市普陀区财政局" / "上海市普陀区财政局.xlsx")["关键数据"]
    header = [c.value for c in sheet[1]]
    link, where = header.index("源文件") + 1, header.index("位置") + 1
    cell = sheet.cell(row=2, column=link)
    assert cell.hyperlink is not None and re.search(r"\.pdf#page=\d+$", cell.hyperlink.target)
    assert re.fullmatch(r"第\d+页 (?:第\d+行|表\d+ 第\d+行 第\d+列)", sheet.cell(row=2, column=where).value)


def test_summary_has_one_wide_sheet_of_department_by_key_figure(seeds_reports) -> None:
    reports, _ = seeds_reports
    sheet = load_workbook(reports / "summary.xlsx")["关键数据宽表"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["部门", "年度", "口径"] and "支出合计（万元）" in header and "在职人数（人）" in header
    rows = {(r[0], r[1], r[2]): r for r in sheet.iter_rows(min_row=2, values_only=True)}
    row = rows[("株洲市人民政府办公室", 2024, "预算")]
    assert row[header.index("“三公”经费合计（万元）")] == 154
