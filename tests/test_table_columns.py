"""Columns and rows of the standard tables that are not plain amounts of this year.

Change columns (增减额, 增减率) are changes of the row's measure, never levels; prior-year columns
keep their own year; a table laid out with years as rows takes each row's year from its label;
column-number rows (栏次 1 2 3) are no data; a multi-unit table keeps each row's unit; a 财政拨款
subtotal is never the department's total. Real tables are read here with the project's reader,
one document at a time; the synthetic ones are in the shape real documents print.
"""

from __future__ import annotations

import pytest

from budgetbook.document import Location, Table
from budgetbook.extract.run import Extraction, extract_document
from budgetbook.extract.tables import change_row, is_column_numbers, read_table, row_period, table_facts
from budgetbook.readers import read_document
from tests.conftest import CORPUS, SEEDS_RAW, need_shared


def read(path) -> Extraction:
    path = need_shared(path)
    return extract_document(read_document(path, path.name, path.stem))


def table(title: str, rows: list[list[str]], unit: str = "万元") -> Table:
    return Table(rows=rows, location=Location(1, 7), title=title, unit=unit, row_locations=[Location(1, 7)] * len(rows))


def facts_of(title: str, rows: list[list[str]], fiscal_year: int = 2026, doc_kind: str = "budget") -> dict:
    facts = table_facts(table(title, rows), 9, fiscal_year, doc_kind)
    out: dict = {}
    for f in facts:
        out.setdefault((f.measure, f.year, f.basis), []).append(f.value)
    return out


@pytest.fixture(scope="module")
def fuzhou_petitions() -> Extraction:
    return read(CORPUS / "福州_2026年福州市信访局部门预算.pdf")


@pytest.fixture(scope="module")
def huaihua() -> Extraction:
    """怀化市人民政府办公室 2023 self-evaluation (seed): its 绩效评价基础数据表 has prior-year columns."""
    return read(SEEDS_RAW / "003_08825dcfe6cddb18.txt")


# 1. Change columns -------------------------------------------------------------------------------

# A "三公" table of a budget with last year's column and the change (杭州/苏州 print this shape).
SANGONG_WITH_CHANGE = [
    ["项目", "2025年预算数", "2026年预算数", "增减额", "增减率"],
    ["合计", "120.00", "110.00", "-10.00", "-8.33%"],
    ["因公出国（境）费", "20.00", "20.00", "0.00", "0.00%"],
    ["公务用车购置及运行费", "90.00", "85.00", "-5.00", "-5.56%"],
    ["公务接待费", "10.00", "5.00", "-5.00", "-50.00%"],
]


def test_change_columns_are_changes_of_the_total() -> None:
    got = facts_of("2026年一般公共预算“三公”经费支出表", SANGONG_WITH_CHANGE)
    assert got[("sangong.total", 2026, "budget")] == [110.0]
    assert got[("sangong.total", 2025, "budget")] == [120.0]  # the prior-year column keeps its year
    assert got[("sangong.change", 2026, "budget")] == [-10.0]
    assert got[("sangong.change_pct", 2026, "budget")] == [-8.33]
    # a component has no change form (as in prose): its changes give no fact, and never a level
    assert got[("sangong.reception", 2026, "budget")] == [5.0]
    assert got[("sangong.overseas", 2026, "budget")] == [20.0]
    assert len(got[("sangong.vehicle", 2026, "budget")]) == 1


def test_audit_checks_a_table_change_against_its_columns() -> None:
    """The change and its rate are checked against the table's own two years, and a wrong one is found."""
    import pandas as pd

    from budgetbook.audit import Tolerance, change_checks, with_groups

    def audit(rows: list[list[str]]) -> list[tuple[str, str]]:
        facts = table_facts(table("2026年一般公共预算“三公”经费支出表", rows), 9, 2026, "budget")
        frame = with_groups(pd.DataFrame([f.record("d") for f in facts]))
        return sorted((f.check, f.severity) for f in change_checks(frame, Tolerance.default()))

    assert audit(SANGONG_WITH_CHANGE) == [("change_amount", "info"), ("change_rate", "info")]
    wrong = [row[:] for row in SANGONG_WITH_CHANGE]
    wrong[1][3] = "-12.00"  # 110 - 120 is -10
    assert audit(wrong) == [("change_amount", "error"), ("change_rate", "error")]


def test_change_column_of_a_summary_in_yuan() -> None:
    rows = [
        ["项目", "本年预算数", "上年预算数", "比上年增减"],
        ["支出总计", "1,250,000", "1,000,000", "250,000"],
        ["基本支出", "800,000", "700,000", "100,000"],
        ["一般公共服务支出", "600,000", "500,000", "100,000"],
    ]
    facts = table_facts(table("2026年部门支出总表", rows, "元"), 3, 2026, "budget")
    got = {(f.measure, f.item, f.year): f.value for f in facts}
    assert got[("expenditure.total", "", 2026)] == 125.0
    assert got[("expenditure.change", "", 2026)] == 25.0  # in 万元, like the levels
    assert got[("expenditure.basic.change", "", 2026)] == 10.0
    # a line item's change is not the department's, and no change is read as a level
    assert not any(f.measure.endswith(".change") and f.item for f in facts)
    assert sorted((f.year, f.value) for f in facts if f.item == "一般公共服务支出") == [(2025, 50.0), (2026, 60.0)]
    assert got[("expenditure.total", "", 2025)] == 100.0  # 上年预算数: the year before


def test_outturn_against_budget_is_not_a_change() -> None:
    """决算 table: 2023年预算数 | 2023年决算数 | 增减 compares the outturn with the budget, not with last year."""
    rows = [
        ["项目", "2023年预算数", "2023年决算数", "增减"],
        ["合计", "106.00", "104.99", "-1.01"],
    ]
    got = facts_of("2023年度“三公”经费支出决算表", rows, 2023, "final_account")
    assert got == {("sangong.total", 2023, "budget"): [106.0], ("sangong.total", 2023, "actual"): [104.99]}


def test_fuzhou_general_budget_table_change_columns(fuzhou_petitions) -> None:
    """部门公开表5 一般公共预算支出表 (pp. 10-11): 2025年执行数 | 2026年预算数 | 增减额 | 增减(%), twice (the
    second pair 扣除中央基建投资). Its rows are function classes of the general budget: their changes are
    line items' (flagged cells, no facts), and no change cell is read as a level."""
    cells = [c for c in fuzhou_petitions.cells if c["table_id"] == 5]
    total = [c for c in cells if c["row_label"] == "合 计"]
    by_col = {c["column"]: c for c in total}
    change = by_col["2026年预算数比2025年执行数/增减额"]
    assert (change["value"], change["change"], change["measure"]) == (-20766.6, True, "")
    rate = by_col["2026年预算数比2025年执行数（扣除中央基建投资）/增减(%)"]
    assert (rate["value"], rate["change"], rate["measure"]) == (20.26, True, "")
    general = [c for c in cells if c["row_code"] == "201" and c["column"] == "2026年预算数/年初预算数/小计"]
    assert [(c["measure"], c["item"], c["value"], c["scope"]) for c in general] == [
        ("expenditure.function", "一般公共服务支出", 13144.37, "一般公共预算")
    ]
    table5 = [f for f in fuzhou_petitions.facts if f.source == "table" and " t5 " in f.location]
    assert table5 and not any("增减" in f.column for f in table5)
    assert not any(f.measure.endswith((".change", ".change_pct")) for f in table5)


def test_change_headers() -> None:
    from budgetbook.extract.tables import _compares_only

    assert _compares_only("2026年预算数比2025年执行数")
    assert _compares_only("增减(%)")
    assert not _compares_only("2026年预算数比2025年执行数（扣除中央基建投资）")  # a qualified figure
    assert change_row("增减率") == "rate"
    assert change_row("比上年增减") == "amount"
    assert change_row("促进经济增长专项") == ""  # a project, not a change


# 2. Prior-year columns ---------------------------------------------------------------------------


def test_huaihua_prior_year_columns(huaihua) -> None:
    """部门整体支出绩效评价基础数据表: 2022年决算数 | 2023年预算数 | 2023年决算数, each cell its column's year."""
    got = {(f.measure, f.item, f.year, f.basis): f.value for f in huaihua.facts if f.table_kind == "self_evaluation"}
    assert got[("sangong.total", "", 2022, "actual")] == 141.72
    assert got[("sangong.total", "", 2023, "budget")] == 106.0
    assert got[("sangong.total", "", 2023, "actual")] == 104.99
    assert got[("sangong.vehicle_purchase", "", 2022, "actual")] == 48.93
    assert got[("sangong.reception", "", 2022, "actual")] == 3.71
    assert got[("expenditure.project", "", 2023, "budget")] == 1406.4
    assert got[("project", "西南宾馆改制支出", 2023, "actual")] == 192.33
    assert ("sangong.vehicle_purchase", "", 2023, "budget") not in got  # blank in a filled-in form


def test_last_year_and_this_year_columns() -> None:
    rows = [["项目", "上年预算数", "本年预算数"], ["合计", "19.35", "17.70"]]
    got = facts_of("2026年财政拨款“三公”经费预算表", rows)
    assert got == {("sangong.total", 2025, "budget"): [19.35], ("sangong.total", 2026, "budget"): [17.7]}


# 3. Years as rows --------------------------------------------------------------------------------

# A "三公" table with a row per year (合计 | 因公出国（境）费 | 公务用车购置及运行费 …), as some templates print it;
# no real one is in the seeds, corpus or wide corpus (北京 states these years in its text).
YEARS_AS_ROWS = [
    ["项目", "合计", "因公出国（境）费", "公务用车购置及运行费", "", "公务接待费"],
    ["", "", "", "小计", "公务用车运行费", ""],
    ["2025年预算数", "19.35", "14.85", "3.00", "3.00", "1.50"],
    ["2026年预算数", "17.70", "14.85", "2.10", "2.10", "0.75"],
    ["增减", "-1.65", "0.00", "-0.90", "-0.90", "-0.75"],
    ["增减率", "-8.53%", "0.00%", "-30.00%", "-30.00%", "-50.00%"],
]


def test_years_as_rows() -> None:
    got = facts_of("2026年财政拨款“三公”经费预算表", YEARS_AS_ROWS)
    assert got[("sangong.total", 2025, "budget")] == [19.35]
    assert got[("sangong.total", 2026, "budget")] == [17.7]
    assert got[("sangong.overseas", 2026, "budget")] == [14.85]
    assert got[("sangong.vehicle", 2025, "budget")] == [3.0]
    assert got[("sangong.vehicle_operation", 2026, "budget")] == [2.1]
    assert got[("sangong.reception", 2025, "budget")] == [1.5]
    assert got[("sangong.change", 2026, "budget")] == [-1.65]
    assert got[("sangong.change_pct", 2026, "budget")] == [-8.53]
    assert len(got[("sangong.reception", 2026, "budget")]) == 1  # the change rows are no levels


def test_year_row_labels() -> None:
    assert row_period("2023年预算数", 2024, "budget") == (2023, "budget")
    assert row_period("2023年决算数", 2024, "final_account") == (2023, "actual")
    assert row_period("上年预算数", 2026, "budget") == (2025, "budget")
    assert row_period("本年", 2026, "budget") == (2026, "budget")
    assert row_period("2023年度真抓实干奖励", 2024, "budget") is None  # a project named by its year


# 4. Column-number rows ---------------------------------------------------------------------------


def test_column_number_rows_and_line_columns() -> None:
    assert is_column_numbers(["栏次", "1", "2", "3"])
    assert is_column_numbers(["栏 次", "", "1", "2", "3"])
    assert is_column_numbers(["行次", "", "1", "2"])
    assert not is_column_numbers(["合计", "1", "2", "3"])
    # a 决算 summary with a 行次 column and a 栏次 row: neither gives figures
    rows = [
        ["项目", "行次", "决算数"],
        ["栏次", "", "1"],
        ["一般公共预算财政拨款收入", "1", "1,668.14"],
        ["其他收入", "7", "0.01"],
        ["本年收入合计", "8", "1,668.15"],
    ]
    facts = table_facts(table("2023年度收入支出决算总表", rows), 1, 2023, "final_account")
    assert sorted((f.measure, f.value) for f in facts) == [
        ("revenue.current", 1668.15),
        ("revenue.general_budget", 1668.14),
        ("revenue.other", 0.01),
    ]


def test_suzhou_column_number_row_is_no_data() -> None:
    """苏州市审计局 公开11表 国有资本经营预算支出预算表: a 栏次 | 1 | 2 | 3 row under the headers."""
    got = read(CORPUS / "苏州_2026年苏州市审计局部门预算.pdf")
    assert not [c for c in got.cells if c["table_id"] == 11]  # 栏次 1 2 3 and a blank 合计: no figure


def test_hangzhou_column_number_row_is_no_data() -> None:
    """杭州市气象局 收入预算表: ** | 1 | 2 … 17 numbers the columns; 合计 is the first data row."""
    got = read(CORPUS / "杭州_2026年杭州市气象局部门预算.pdf")
    rows = {c["row"] for c in got.cells if c["table_id"] == 2}
    assert min(rows) == 3


# 5. Multi-unit tables ----------------------------------------------------------------------------


def test_fuzhou_multi_unit_revenue_table() -> None:
    """福州市医疗保障局 收入总表: 单位名称 | 合计 | 一般公共预算拨款收入 …; the 合计 row is the department's,
    each unit's row keeps its unit and gives no department figure."""
    got = read(CORPUS / "福州_2026年福州市医疗保障局部门预算.pdf")
    cells = [c for c in got.cells if c["table_id"] == 3 and c["col"] == 1]
    by_label = {c["row_label"]: c for c in cells}
    total = by_label["合计"]
    assert (total["measure"], total["value"], total["entity"]) == ("revenue.total", 351904.9, "")
    unit = by_label["福州市医疗保障数据技术中心"]
    assert (unit["measure"], unit["value"], unit["entity"]) == ("", 944.2, "福州市医疗保障数据技术中心")
    revenue = [f for f in got.facts if f.measure == "revenue.total" and " t3 " in f.location]
    assert [(f.value, f.entity) for f in revenue] == [(351904.9, "")]


def test_unit_rows_of_a_sangong_table() -> None:
    rows = [
        ["单位名称", "合计", "因公出国（境）费", "公务接待费"],
        ["部门合计", "30.00", "20.00", "10.00"],
        ["某某局本级", "25.00", "20.00", "5.00"],
        ["某某局信息中心", "5.00", "", "5.00"],
    ]
    facts, cells = read_table(table("2026年一般公共预算“三公”经费支出表", rows), 7, 2026, "budget")
    entities = {(c["row_label"], c["col"]): c["entity"] for c in cells}
    assert entities[("部门合计", 1)] == ""
    assert entities[("某某局本级", 1)] == "本级"
    assert entities[("某某局信息中心", 3)] == "某某局信息中心"
    total = [(f.value, f.entity) for f in facts if f.measure == "sangong.total"]
    assert total == [(30.0, "")]  # the department's; the units' rows give no department figure
    assert {(f.measure, f.value, f.entity) for f in facts} == {
        ("sangong.total", 30.0, ""),
        ("sangong.overseas", 20.0, ""),
        ("sangong.reception", 10.0, ""),
    }


# 6. 财政拨款 subtotals ---------------------------------------------------------------------------


def test_fuzhou_fiscal_summary_is_not_the_department_total(fuzhou_petitions) -> None:
    """部门公开表4 财政拨款收支总表: 收入总计 18,728.94 and 本年收入 16,474.82 are the 财政拨款 funds only."""
    fiscal = [f for f in fuzhou_petitions.facts if f.table_kind == "fiscal_summary"]
    got = {(f.measure, f.scope): f.value for f in fiscal}
    assert got == {
        ("revenue.general_budget", ""): 16474.82,
        ("revenue.gov_fund", ""): 0.0,  # printed blank: a zero
        ("revenue.state_capital", ""): 0.0,
        ("revenue.carryover", "财政拨款"): 2254.12,
    }
    whole = [f for f in fuzhou_petitions.facts if f.measure == "revenue.total" and f.source == "table"]
    assert {f.table_kind for f in whole} <= {"summary", "revenue"}


def test_putuo_sangong_final_account_headers() -> None:
    """上海普陀区财政局 2024 决算, p18 财政拨款“三公”经费支出决算表: a "三公" table, not the 支出决算表 its
    title also names; 公务用车运行费 spans its two columns only, not the 公务接待费 column beside it."""
    got = read(CORPUS / "上海普陀_2024年上海市普陀区财政局部门决算.pdf")
    cells = {(f.measure, f.basis): f.value for f in got.facts if f.table_kind == "sangong" and f.source == "table"}
    assert cells[("sangong.total", "budget")] == 0.95
    assert cells[("sangong.reception", "budget")] == 0.95
    assert cells[("sangong.vehicle_operation", "budget")] == 0.0
    assert cells[("sangong.vehicle_purchase", "actual")] == 0.0
    assert not [f for f in got.facts if f.measure == "expenditure.total" and f.value == 0.95]
