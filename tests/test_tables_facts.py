"""Table interpretation on real table rows (built here) and on the corpus, with exact values."""

from __future__ import annotations

import pandas as pd

from budgetbook.document import Location, Table
from budgetbook.extract.tables import GENERIC, UNKNOWN, column_measure, table_facts, table_kind
from budgetbook.storage import read_frame


def table(title: str, unit: str, rows: list[list[str]]) -> Table:
    return Table(rows=rows, location=Location(1, 7), title=title, unit=unit, row_locations=[Location(1, 7)] * len(rows))


def by_measure(facts) -> dict:
    out: dict = {}
    for f in facts:
        out.setdefault((f.measure, f.item, f.year, f.basis), []).append(f.value)
    return out


# 上海市审计局 2026, p7: a two-sided summary in 元 whose 收入总计 amount the document leaves blank.
SHANGHAI_SUMMARY = [
    ["本年收入", "", "本年支出", "", "", "", ""],
    ["项目", "预算数", "项目", "预算数", "", "", ""],
    ["", "", "", "合计", "基本支出", "", "项目支出"],
    ["", "", "", "", "人员经费", "公用经费", ""],
    [
        "一、财政拨款收入",
        "195,774,300",
        "一、一般公共服务支出",
        "134,339,860",
        "93,654,340",
        "20,825,520",
        "19,860,000",
    ],
    ["1、一般公共预算", "195,774,300", "二、社会保障和就业支出", "23,992,440", "22,214,400", "977,040", "801,000"],
    ["2、政府性基金预算", "", "三、卫生健康支出", "6,142,000", "6,100,000", "", "42,000"],
    ["二、事业收入", "", "", "", "", "", ""],
    ["收入总计", "", "支出总计", "195,774,300", "153,268,740", "21,802,560", "20,703,000"],
]


def test_two_sided_summary_in_yuan() -> None:
    got = by_measure(table_facts(table("2026年预算单位财务收支预算总表", "元", SHANGHAI_SUMMARY), 1, 2026, "budget"))
    assert got[("revenue.general_budget", "", 2026, "budget")] == [19577.43]
    assert got[("revenue.gov_fund", "", 2026, "budget")] == [0.0]  # blank amount of a source: zero
    assert got[("revenue.business", "", 2026, "budget")] == [0.0]
    assert got[("expenditure.function", "一般公共服务支出", 2026, "budget")] == [13433.986]
    assert got[("expenditure.total", "", 2026, "budget")] == [19577.43]
    assert got[("expenditure.personnel", "", 2026, "budget")] == [15326.874]
    assert got[("expenditure.public", "", 2026, "budget")] == [2180.256]
    assert got[("expenditure.project", "", 2026, "budget")] == [2070.3]
    assert ("revenue.total", "", 2026, "budget") not in got  # a blank total is not a zero


def test_years_and_bases_from_headers() -> None:
    rows = [
        ["经费控制情况", "2022年决算数", "2023年预算数", "2023年决算数"],
        ["三公经费", "141.72", "106", "104.99"],
        ["1、公务用车购置和维护经费", "138.00", "98", "97.99"],
        ["其中：公车购置", "48.93", "", ""],
        ["3、公务接待", "3.71", "8", "6.99"],
        ["项目支出：", "3002.56", "1406.4", "2833.37"],
        ["西南宾馆改制支出", "240", "240", "192.33"],
    ]
    got = by_measure(table_facts(table("部门整体支出绩效评价基础数据表", "", rows), 1, 2023, "self_evaluation"))
    assert got[("sangong.total", "", 2022, "actual")] == [141.72]
    assert got[("sangong.total", "", 2023, "budget")] == [106]
    assert got[("sangong.vehicle", "", 2023, "actual")] == [97.99]
    assert got[("sangong.vehicle_purchase", "", 2022, "actual")] == [48.93]
    assert got[("sangong.reception", "", 2023, "budget")] == [8]
    assert got[("expenditure.project", "", 2022, "actual")] == [3002.56]
    assert got[("project", "西南宾馆改制支出", 2023, "actual")] == [192.33]


def test_basic_expenditure_table_gives_personnel_public_and_items_not_basic() -> None:
    rows = [
        ["经济分类科目名称", "本年一般公共预算基本支出", "", ""],
        ["", "合计", "人员经费", "日常公用支出"],
        ["合计", "3,745.07", "2,906.80", "838.27"],
        ["会议费", "21.60", "", "21.60"],
        ["培训费", "28.22", "", "28.22"],
        ["基本工资", "500.00", "500.00", ""],
    ]
    got = by_measure(
        table_facts(table("表6：2026年市级部门一般公共预算基本支出预算表", "万元", rows), 6, 2026, "budget")
    )
    assert got[("expenditure.personnel", "", 2026, "budget")] == [2906.8]
    assert got[("expenditure.public", "", 2026, "budget")] == [838.27]
    assert got[("meeting_fee", "基本支出", 2026, "budget")] == [21.6]  # the basic part of 会议费
    assert got[("training_fee", "基本支出", 2026, "budget")] == [28.22]
    assert got[("expenditure.economic", "基本工资", 2026, "budget")] == [500.0]
    assert ("expenditure.basic", "", 2026, "budget") not in got  # general-budget scope only


def test_project_list_and_its_total() -> None:
    rows = [
        ["单位名称", "项目名称", "总计", "财政拨款收入", "", "单位资金"],
        ["", "", "", "一般公共预算", "政府性基金", ""],
        ["", "合计", "2,131.61", "2,008.00", "", "123.61"],
        ["杭州市气象局", "气象业务建设", "1,097.02", "1,002.10", "", "94.92"],
    ]
    facts = table_facts(table("表10：2026年市级部门项目支出预算表", "万元", rows), 10, 2026, "budget")
    scoped = {(f.measure, f.item, f.scope, f.entity): f.value for f in facts}
    assert scoped[("expenditure.project", "", "", "")] == 2131.61
    # a source column of a spending table is that source's part of the spending, not revenue
    assert scoped[("expenditure.project", "", "一般公共预算", "")] == 2008.0
    assert scoped[("project", "气象业务建设（杭州市气象局）", "", "杭州市气象局")] == 1097.02
    assert not any(f.measure.startswith("revenue.") for f in facts)
    assert not any(f.measure == "project" and f.item == "杭州市气象局" for f in facts)


def test_one_project_form() -> None:
    rows = [
        ["项目名称", "医保服务站工作经费", "", "", ""],
        ["主管部门", "福州市医疗保障局", "", "实施单位", "福州市医疗保障局"],
        ["专项资金情况（万元）", "资金总额", "", "968.00", ""],
        ["", "财政拨款", "", "968.00", ""],
    ]
    got = by_measure(table_facts(table("医保服务站工作经费项目绩效目标表", "", rows), 14, 2026, "budget"))
    assert got == {("project", "医保服务站工作经费", 2026, "budget"): [968.0]}


def test_kinds_and_columns() -> None:
    assert table_kind("2026年预算单位财政拨款收支预算总表").name == "fiscal_summary"
    assert table_kind("部门收支总表").name == "summary"
    assert table_kind("2026年预算单位一般公共预算基本支出部门预算经济分类预算表").name == "basic"
    assert table_kind("一般公共预算“三公”经费、会议费、培训费支出表").name == "sangong"
    assert table_kind("2026年部门收支总体情况表").name == "summary"
    assert table_kind("名词解释") is None
    none = frozenset()
    assert column_measure(["本年支出", "预算数", "合计"], none) == GENERIC
    assert column_measure(["本级财政拨款", "金额"], none) == UNKNOWN
    assert column_measure(["本年收入", "小计"], none).measures == ("revenue.current",)
    assert column_measure(["本年支出", "预算数", "基本支出", "人员经费"], none).measures == ("expenditure.personnel",)


def test_corpus_table_over_two_pages_and_prose_beside_table(corpus_run) -> None:
    _, out = corpus_run
    facts = read_frame(out, "facts").loc[lambda f: f.doc_id.str.startswith("上海_2026年上海市审计局")]
    # 收入预算总表 runs over pages 8 and 9; its 合计 row is on page 9
    total = facts.loc[(facts.measure == "revenue.total") & (facts.source == "table")]
    assert list(total.value) == [19577.43]
    assert total.location.iloc[0].startswith("p9 ")
    # the same function class stated in prose (万元, rounded) and in tables (元): both kept, each with its evidence
    general = facts.loc[(facts.measure == "expenditure.function") & (facts.item == "一般公共服务支出")]
    assert set(general.value) == {13434.0, 13433.986}
    assert set(general.source) == {"prose", "table"}
    assert general.evidence.map(bool).all() and general.location.map(bool).all()


def test_tables_of_every_corpus_city_yield_facts(corpus_run) -> None:
    _, out = corpus_run
    facts = read_frame(out, "facts")
    from_tables = facts.loc[facts.source == "table"].doc_id.str.split("_").str[0].unique()
    assert set(from_tables) >= {"上海", "上海普陀", "杭州", "福州", "苏州", "长沙"}
    assert pd.api.types.is_float_dtype(facts.value)
