"""Named cells of the standard tables of the national templates, read from real documents.

Each test names a table of a real document (city, department, table) and asserts cells of it
with the identity the reader gives them: measure, year, scope, entity, 类/款/项 code and level,
table kind. Corpus documents come from the session extraction; one document of the wide corpus
(a 决算 with 行次 and 栏次) is read here on its own.
"""

from __future__ import annotations

import pandas as pd
import pytest

from budgetbook.extract.run import extract_document
from budgetbook.readers import read_document
from budgetbook.storage import read_frame
from tests.conftest import SHARED, need_shared


@pytest.fixture(scope="module")
def cells(corpus_run) -> pd.DataFrame:
    _, out = corpus_run
    return read_frame(out, "table_cells").loc[lambda c: c.value.notna()]


@pytest.fixture(scope="module")
def facts(corpus_run) -> pd.DataFrame:
    _, out = corpus_run
    return read_frame(out, "facts").loc[lambda f: f.source == "table"]


@pytest.fixture(scope="module")
def tables(corpus_run) -> pd.DataFrame:
    _, out = corpus_run
    return read_frame(out, "tables")


def one(frame: pd.DataFrame, doc: str, **where) -> pd.Series:
    """The single row of `frame` for document `doc` (prefix) matching every column=value."""
    rows = frame.loc[frame.doc_id.str.startswith(doc)]
    for column, value in where.items():
        rows = rows.loc[rows[column] == value]
    assert len(rows) == 1, f"{doc} {where}: {len(rows)} rows"
    return rows.iloc[0]


def table_of(tables: pd.DataFrame, doc: str, title_word: str) -> pd.Series:
    rows = tables.loc[tables.doc_id.str.startswith(doc) & tables.title.str.contains(title_word, regex=False)]
    assert len(rows) == 1, f"{doc} {title_word}: {len(rows)} tables"
    return rows.iloc[0]


# 杭州 ----------------------------------------------------------------------------------------


def test_hangzhou_sangong_table_components_and_units(cells, tables) -> None:
    """表7 一般公共预算“三公”经费预算表: total, vehicle purchase and reception of the 合计 row; each
    prison's row keeps its unit (not the department's), and the 1 2 3 … row numbers no column."""
    doc = "杭州_2026年杭州市司法局"
    t = table_of(tables, doc, "“三公”经费预算表")
    kind = cells.loc[cells.doc_id.str.startswith(doc) & (cells.table_id == t.table_id)]
    total = one(kind, doc, row_level="合计", column="“三公”经费合计")
    assert (total.measure, total.value, total.year) == ("sangong.total", 413.68, 2026)
    assert one(kind, doc, row_level="合计", column="公务用车购置及运行费/公务用车购置费").value == 151.68
    reception = one(kind, doc, row_level="合计", column="公务接待费")
    assert (reception.measure, reception.value) == ("sangong.reception", 74.0)
    prison = one(kind, doc, row_label="杭州市东郊监狱", column="“三公”经费合计")
    assert (prison.entity, prison.value, prison.measure) == ("杭州市东郊监狱", 89.6, "")
    assert not (kind.text == "1").any()  # the column-number row is not data


def test_hangzhou_project_table_titled_on_its_label_line(facts, tables) -> None:
    """表10：2026年市级部门项目支出预算表 — title on the line of its 表10 label; the source columns
    are the projects' funding, not revenue; a unit's project carries the unit."""
    doc = "杭州_2026年杭州市司法局"
    t = table_of(tables, doc, "项目支出预算表")
    assert t.title == "2026年市级部门项目支出预算表" and t.caption.startswith("表10：")
    own = facts.loc[facts.doc_id.str.startswith(doc) & (facts.table_kind == "projects")]
    assert one(own, doc, measure="expenditure.project", scope="").value == 28506.17
    assert one(own, doc, measure="expenditure.project", scope="一般公共预算").value == 21118.51
    project = one(own, doc, measure="project", item="法治杭州建设（杭州市司法局）", scope="")
    assert (project.value, project.entity) == (69.0, "杭州市司法局")
    assert not own.measure.str.startswith("revenue.").any()


# 福州 ----------------------------------------------------------------------------------------


def test_fuzhou_sangong_table_without_label_column(facts) -> None:
    """部门公开表9 财政拨款预算“三公”经费支出表: one row of amounts; its 合计 column is the total."""
    doc = "福州_2026年福州市信访局"
    own = facts.loc[facts.doc_id.str.startswith(doc) & (facts.table_kind == "sangong")]
    assert one(own, doc, measure="sangong.total", year=2026).value == 112.61
    assert one(own, doc, measure="sangong.overseas", year=2026).value == 68.5
    assert one(own, doc, measure="sangong.reception", year=2026).value == 5.51


def test_fuzhou_one_project_performance_form(facts) -> None:
    """A one-project 绩效目标表: the project is named in the form, its amount beside 资金总额."""
    doc = "福州_2026年福州市医疗保障局"
    form = facts.loc[facts.doc_id.str.startswith(doc) & (facts.measure == "project")]
    assert "医保服务站工作经费" in set(form.item)
    assert not form.item.str.contains("资金总额").any()


# 上海 ----------------------------------------------------------------------------------------


def test_shanghai_revenue_table_over_two_pages_with_function_codes(cells, tables) -> None:
    """收入预算总表 on pages 8 and 9: one table, rows keep their 类/款/项 code and level."""
    doc = "上海_2026年上海市司法局"
    t = table_of(tables, doc, "收入预算总表")
    assert t.pages == "8,9"
    own = cells.loc[cells.doc_id.str.startswith(doc) & (cells.table_id == t.table_id)]
    cls = one(own, doc, row_code="204", column="收入预算/合计")
    assert (cls.row_level, cls.measure, cls["item"], cls.value) == (
        "类",
        "expenditure.function",
        "公共安全支出",
        8243.0239,
    )
    assert one(own, doc, row_code="20408", column="收入预算/合计").row_level == "款"
    item = one(own, doc, row_code="2040801", column="收入预算/合计")
    assert (item.row_level, item.row_label, item.value, item.measure) == ("项", "行政运行", 7888.6239, "")
    assert set(own.page) == {8, 9}


def test_shanghai_general_budget_function_table_has_its_scope(facts) -> None:
    """一般公共预算支出功能分类预算表: its function classes are of the 一般公共预算 scope only."""
    doc = "上海_2026年上海市司法局"
    own = facts.loc[facts.doc_id.str.startswith(doc) & (facts.table_kind == "function")]
    assert len(own) and set(own.scope) <= {"一般公共预算", "政府性基金", "国有资本经营"}
    assert "一般公共预算" in set(own.scope)


# 苏州 ----------------------------------------------------------------------------------------


def test_suzhou_expenditure_table_hierarchy(cells, tables) -> None:
    """公开03表 支出总表: the 合计 row gives total/basic/project, 201 is a 类 and 20103 its 款."""
    doc = "苏州_2026年苏州市数据局"
    t = table_of(tables, doc, "支出总表")
    own = cells.loc[cells.doc_id.str.startswith(doc) & (cells.table_id == t.table_id)]
    total = own.loc[own.row_level == "合计"].set_index("column")
    assert total.loc["合计", "value"] == 64090.74 and total.loc["合计", "measure"] == "expenditure.total"
    assert total.loc["基本支出", "measure"] == "expenditure.basic" and total.loc["项目支出", "value"] == 57195.0
    cls = one(own, doc, row_code="201", column="合计")
    assert (cls.row_level, cls["item"], cls.value) == ("类", "一般公共服务支出", 4523.04)
    assert one(own, doc, row_code="20103", column="合计").row_level == "款"


def test_suzhou_operating_costs_and_procurement_tables(facts, cells, tables) -> None:
    """公开12表 机关运行经费 (economic 类 302 / 款 30201) and 公开13表 政府采购 (a source column is
    the purchase's funding, never revenue)."""
    doc = "苏州_2026年苏州市审计局"
    assert one(facts, doc, measure="operating_costs").value == 395.6
    op = table_of(tables, doc, "机关运行经费")
    office = one(cells.loc[cells.table_id == op.table_id], doc, row_code="30201")
    assert (office.row_level, office.row_label, office.value) == ("款", "办公费", 29.0)
    procurement = facts.loc[facts.doc_id.str.startswith(doc) & (facts.table_kind == "procurement")]
    assert not procurement.measure.str.startswith("revenue.").any()


# 长沙 ----------------------------------------------------------------------------------------


def test_changsha_sangong_and_general_budget_function_tables(facts) -> None:
    """2026年一般公共预算“三公”经费支出情况表 and 一般公共预算支出情况表 (scope 一般公共预算)."""
    doc = "长沙_2026年长沙市信访局"
    sangong = facts.loc[facts.doc_id.str.startswith(doc) & (facts.table_kind == "sangong")]
    assert one(sangong, doc, measure="sangong.total").value == 8.0
    assert one(sangong, doc, measure="sangong.reception").value == 3.0
    assert one(sangong, doc, measure="sangong.vehicle_operation").value == 5.0
    function = facts.loc[facts.doc_id.str.startswith(doc) & (facts.table_kind == "function")]
    basic = one(function, doc, measure="expenditure.basic")
    assert (basic.value, basic.scope) == (1517.95, "一般公共预算")
    general = one(function, doc, measure="expenditure.function", item="一般公共服务支出")
    assert (general.value, general.scope, general.row_code) == (1935.36, "一般公共预算", "201")


# 上海普陀 (决算) -------------------------------------------------------------------------------


def test_putuo_final_account_summary_grand_totals(facts) -> None:
    """收入支出决算总表 over pages 6-7: 本年收入合计 and 总计 are both kept, each its own measure."""
    doc = "上海普陀_2024年上海市普陀区财政局"
    own = facts.loc[facts.doc_id.str.startswith(doc) & (facts.table_kind == "summary")]
    assert one(own, doc, measure="revenue.current").value == 2946.25
    assert one(own, doc, measure="revenue.total").value == 2995.39
    assert one(own, doc, measure="expenditure.total").value == 2995.39
    carry = one(own, doc, measure="revenue.carryover")
    assert (carry.value, carry.year, carry.basis) == (49.14, 2024, "actual")


# 佛山 (wide corpus: a 决算 with 行次 columns and a 栏次 row) -------------------------------------


@pytest.fixture(scope="module")
def foshan():
    wide = need_shared(SHARED / "corpus" / "wide")
    path = next(p for p in sorted((wide / "佛山").glob("*.pdf")))
    doc = read_document(path, f"佛山/{path.name}", "foshan")
    return extract_document(doc)


def test_foshan_line_numbers_are_not_figures(foshan) -> None:
    """收入支出决算总表: 行次 (1, 2, 27 …) is a code column and 栏次 numbers no data."""
    got = {(f.measure, f.item): f.value for f in foshan.facts if f.source == "table" and f.table_kind == "summary"}
    assert got[("revenue.general_budget", "")] == 1668.14
    assert got[("revenue.other", "")] == 0.01
    assert got[("expenditure.function", "社会保障和就业支出")] == 76.23
    assert got[("expenditure.function", "一般公共服务支出")] == 0.0
    summary = [c for c in foshan.cells if c["table_kind"] == "summary"]
    assert not any(c["column"].endswith("行次") for c in summary)


# Titles, column-number rows and reader quirks, on lines and rows as printed -------------------


def test_titles_wherever_printed() -> None:
    from budgetbook.readers.captions import caption_parts, pick_title

    # 上海 draws title and issuer in one cell of the frame; 苏州 prints 公开表N, title, 部门 and unit on a line
    assert pick_title(["2026年预算单位财政拨款收支预算总表编制单位：上海市统计局 单位：元"]) == (
        "2026年预算单位财政拨款收支预算总表"
    )
    assert caption_parts("公开03表 支出总表 部门：苏州市数据局 单位：万元") == [
        "公开03表",
        "支出总表",
        "部门：苏州市数据局",
        "单位：万元",
    ]
    assert pick_title(["表10：2026年市级部门项目支出预算表"]) == "2026年市级部门项目支出预算表"


def test_column_number_rows() -> None:
    from budgetbook.extract.tables import is_column_numbers

    assert is_column_numbers(["栏 次", "", "1", "栏 次", "", "2"])  # 佛山 决算总表
    assert is_column_numbers(["**", "", "1", "2", "3", "4"])  # 杭州 三公 table
    assert not is_column_numbers(["项 目", "行次", "决算数", "项 目", "行次", "决算数"])  # a header row
    assert not is_column_numbers(["合计", "1", "2", "3"])


def test_stray_punctuation_joins_its_line() -> None:
    from budgetbook.readers.pdf import _merge_shifted_lines

    def line(text: str, top: float, xs: list[float]) -> dict:
        chars = [{"text": ch, "x0": x, "x1": x + 10, "size": 10} for ch, x in zip(text, xs, strict=True)]
        return {"text": text, "x0": xs[0], "x1": xs[-1] + 10, "top": top, "bottom": top + 10, "chars": chars}

    heading = line("一主要职责", 100, [0, 20, 30, 40, 50])  # the 、 left a blank where it belongs
    merged = _merge_shifted_lines([heading, line("、", 111, [10])])
    assert [m["text"] for m in merged] == ["一、主要职责"]
    apart = _merge_shifted_lines([heading, line("二机构设置", 130, [0, 10, 20, 30, 40])])
    assert len(apart) == 2
