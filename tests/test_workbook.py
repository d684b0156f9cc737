"""The workbook: every notebook through papermill on the seeds, the Excel files, names, failures."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from openpyxl import load_workbook

from budgetbook.cli import main
from budgetbook.report.excel import write_workbook
from budgetbook.report.names import safe_name, safe_names
from budgetbook.workbook import REPORT

from .conftest import REPO, SEEDS_RAW, need_shared

NOTEBOOKS = REPO / "notebooks"
DEPARTMENTS = ["怀化市人民政府办公室", "怀化市政务服务中心", "怀来县人民政府办公室", "株洲市人民政府办公室"]


@pytest.fixture(scope="module")
def workbook(seeds_reports) -> tuple[Path, object]:
    return seeds_reports


def test_every_notebook_runs_on_the_seeds(workbook) -> None:
    reports, outcome = workbook
    assert outcome.failures == []
    assert len(outcome.executed) == 2 + len(DEPARTMENTS)
    for name in DEPARTMENTS:
        folder = reports / name
        assert (folder / REPORT).exists() and (folder / "02-department-report.html").exists()
        assert (folder / f"{name}.xlsx").exists()
    assert (reports / "summary.xlsx").exists() and (reports / "03-compare-departments.html").exists()


def test_summary_workbook_has_the_comparison_and_the_tidy_frames(workbook) -> None:
    reports, _ = workbook
    book = load_workbook(reports / "summary.xlsx")
    assert {"部门比较", "文件", "数据", "绩效指标", "校验", "公开完整性"} <= set(book.sheetnames)
    compare = pd.read_excel(reports / "summary.xlsx", sheet_name="部门比较", engine="calamine").set_index("部门")
    assert compare.loc["株洲市人民政府办公室", "“三公”经费（万元）"] == 154
    sheet = book["数据"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    header = [c.value for c in sheet[1]]
    value_col, unit_col = header.index("数值") + 1, header.index("单位") + 1
    money = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(row=r, column=unit_col).value == "万元")
    assert sheet.cell(row=money, column=value_col).number_format == "#,##0.00"


def test_department_report_covers_all_its_documents(workbook) -> None:
    reports, _ = workbook
    executed = nbformat.read(reports / "怀化市人民政府办公室" / REPORT, as_version=4)
    text = json.dumps([c.get("outputs", []) for c in executed.cells], ensure_ascii=False)
    assert "003_08825dcfe6cddb18" in text and "000_807fa59220604bac" in text  # 2023 self-evaluation and 2024 budget
    assert "image/png" in text  # the charts
    docs = pd.read_excel(
        reports / "怀化市人民政府办公室" / "怀化市人民政府办公室.xlsx", sheet_name="概况", engine="calamine"
    )
    assert sorted(docs["年度"]) == [2023, 2024]
    html = (reports / "怀化市人民政府办公室" / "02-department-report.html").read_text(encoding="utf-8")
    assert "from budgetbook" not in html  # code hidden
    assert re.search(r"href=[\"']#src-1[\"']", html) and re.search(r"id=[\"']src-1[\"']", html)  # value → source


def test_notebooks_are_committed_without_outputs() -> None:
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        book = nbformat.read(path, as_version=4)
        tagged = [c for c in book.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, path
        assert all(not c.get("outputs") for c in book.cells if c.cell_type == "code"), path
        assert book.cells[0].cell_type == "markdown"


def test_a_failing_department_is_reported_and_the_others_finish(tmp_path: Path, capsys) -> None:
    notebooks = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, notebooks)
    book = nbformat.read(notebooks / REPORT, as_version=4)
    book.cells.insert(3, nbformat.v4.new_code_cell('assert department != "株洲市人民政府办公室", "broken on purpose"'))
    nbformat.write(book, notebooks / REPORT)
    status = main(
        [
            "run",
            str(need_shared(SEEDS_RAW)),
            "--clean",
            str(tmp_path / "clean"),
            "--reports",
            str(tmp_path / "reports"),
            "--notebooks",
            str(notebooks),
            "--quiet",
        ]
    )
    err = capsys.readouterr().err
    assert status == 1
    assert "株洲市人民政府办公室" in err and str(tmp_path / "reports" / "株洲市人民政府办公室" / REPORT) in err
    assert (tmp_path / "reports" / "怀来县人民政府办公室" / "怀来县人民政府办公室.xlsx").exists()
    assert (tmp_path / "reports" / "summary.xlsx").exists()


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    frame = pd.DataFrame({"说明": ["=SUM(A1:A9)", "+1", "-2", "@x", "正常"], "value": [1.5, 2, 3, 4, 5]})
    path = write_workbook(tmp_path / "t.xlsx", {"校验": frame})
    sheet = load_workbook(path)["校验"]
    cells = [sheet.cell(row=r, column=1) for r in range(2, 7)]
    assert [c.value for c in cells] == ["=SUM(A1:A9)", "+1", "-2", "@x", "正常"]
    assert all(c.data_type == "s" for c in cells)
    assert sheet.column_dimensions["A"].width >= 13


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("怀化市人民政府办公室", "怀化市人民政府办公室"),
        ("../../etc/passwd", "etc_passwd"),
        ("a/b\\c:d", "a_b_c_d"),
        ("..", "未命名"),
        ("", "未命名"),
        ("x\x00y", "x_y"),
    ],
)
def test_safe_names(name: str, expected: str) -> None:
    assert safe_name(name) == expected
    assert "/" not in safe_name(name) and not safe_name(name).startswith(".")


def test_two_departments_never_share_a_folder() -> None:
    names = safe_names(["财政局/预算处", "财政局:预算处", "审计局"])
    assert len(set(names.values())) == 3
    assert names["审计局"] == "审计局"
