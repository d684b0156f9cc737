"""A figure's identity from the table's own structure (which part, which unit, which table kind), on real rows
built here, with exact values."""

from __future__ import annotations

from budgetbook.document import Location, Table
from budgetbook.extract.tables import numbering_depth, table_facts, table_kind


def table(title: str, unit: str, rows: list[list[str]]) -> Table:
    return Table(rows=rows, location=Location(1, 7), title=title, unit=unit, row_locations=[Location(1, 7)] * len(rows))


def by_measure(facts) -> dict:
    out: dict = {}
    for f in facts:
        out.setdefault((f.measure, f.item, f.scope), []).append(f.value)
    return out


# 2026年西安市人民政府办公厅部门预算 p4 (部门综合预算收支总表, 元): the 支出 side prints a 部门预算支出经济分类 block
# whose parts (1、人员经费和公用经费支出 = basic, 2、专项业务经费支出 = project) have sub-rows by economic class,
# and a 政府预算支出经济分类 block of the department's classes.
XIAN_SUMMARY = [
    ["收入", "", "支出", "", "", "", "", ""],
    ["项目", "预算数", "项目", "预算数", "项目", "预算数", "项目", "预算数"],
    [
        "一、部门预算",
        "92,165,133.99",
        "一、部门预算",
        "92,165,133.99",
        "一、部门预算",
        "92,165,133.99",
        "一、部门预算",
        "92,165,133.99",
    ],
    [
        "1、财政拨款",
        "92,165,133.99",
        "1、一般公共服务支出",
        "72,302,752.62",
        "1、人员经费和公用经费支出",
        "64,662,533.99",
        "1、机关工资福利支出",
        "56,413,286.69",
    ],
    [
        "(1)一般公共预算拨款",
        "92,165,133.99",
        "",
        "",
        "(1)工资福利支出",
        "56,413,286.69",
        "2、机关商品和服务支出",
        "19,908,081.30",
    ],
    ["", "", "", "", "(2)商品和服务支出", "6,605,481.30", "3、机关资本性支出", "7,142,960.00"],
    ["", "", "", "", "(3)对个人和家庭的补助", "1,600,806.00", "4、机关资本性支出（基本建设）", "7,100,000.00"],
    ["", "", "5、教育支出", "230,000.00", "(4)资本性支出", "42,960.00", "", ""],
    ["", "", "", "", "2、专项业务经费支出", "27,502,600.00", "", ""],
    ["", "", "8、社会保障和就业支出", "8,991,664.59", "(2)商品和服务支出", "13,302,600.00", "", ""],
    ["", "", "", "", "", "", "9、对个人和家庭的补助", "1,600,806.00"],
    ["", "", "", "", "(6)资本性支出", "7,100,000.00", "", ""],
    [
        "收入总计",
        "92,165,133.99",
        "支出总计",
        "92,165,133.99",
        "支出总计",
        "92,165,133.99",
        "支出总计",
        "92,165,133.99",
    ],
]


def test_numbering_depth_nests_outermost_first() -> None:
    got = [
        numbering_depth(s)
        for s in ("一、部门预算", "（一）基本支出", "1、人员经费", "(1)工资福利支出", "①办公费", "合计")
    ]
    assert got == [0, 1, 2, 3, 4, None]


def test_sub_rows_of_a_part_are_the_parts_items() -> None:
    got = by_measure(table_facts(table("部门综合预算收支总表", "元", XIAN_SUMMARY), 4, 2026, "budget"))
    assert got[("expenditure.basic", "", "")] == [6466.253399]
    assert got[("expenditure.project", "", "")] == [2750.26]
    assert got[("expenditure.economic", "工资福利支出（基本支出）", "")] == [5641.328669]
    assert got[("expenditure.economic", "商品和服务支出（基本支出）", "")] == [660.54813]
    assert got[("expenditure.economic", "资本性支出（基本支出）", "")] == [4.296]
    assert got[("expenditure.economic", "商品和服务支出（项目支出）", "")] == [1330.26]
    assert got[("expenditure.economic", "资本性支出（项目支出）", "")] == [710.0]
    # the 政府预算支出经济分类 block is numbered as high as the parts: the department's own class
    assert got[("expenditure.economic", "对个人和家庭的补助", "")] == [160.0806]
    assert ("expenditure.economic", "商品和服务支出", "") not in got
    assert got[("expenditure.function", "一般公共服务支出", "")] == [7230.275262]


def test_procurement_rows_by_function_class_are_no_spending_of_the_department() -> None:
    # 2026年烟台市交通运输局部门预算 p32, 政府采购预算表 (万元), first rows
    rows = [
        ["项目", "", "合计", "货物", "工程", "服务"],
        ["合计", "", "2,920.90", "140.00", "", "2,780.90"],
        ["交通运输支出", "", "2,920.90", "140.00", "", "2,780.90"],
    ]
    facts = table_facts(table("政府采购预算表", "万元", rows), 13, 2026, "budget")
    got = by_measure(facts)
    assert got[("procurement.total", "", "")] == [2920.9]
    assert not [f for f in facts if f.measure == "expenditure.function"]


def test_all_spending_by_economic_class_is_not_the_basic_spending() -> None:
    # 2026年西安市司法局部门预算 p37 and p40 (元): the same rows in the table of all general-budget spending by
    # economic class and in the basic-spending one
    rows_all = [["科目名称", "合计"], ["会议费", "230,900.00"], ["培训费", "575,300.00"]]
    rows_basic = [["科目名称", "合计"], ["会议费", "30,000.00"], ["培训费", "84,000.00"]]
    all_title = "部门综合预算一般公共预算支出明细表（按支出经济分类科目）"
    basic_title = "部门综合预算一般公共预算基本支出明细表（按支出经济分类科目）"
    assert table_kind(all_title).name == "economic"
    assert table_kind(basic_title).name == "basic"
    spent = by_measure(table_facts(table(all_title, "元", rows_all), 10, 2026, "budget"))
    assert spent == {
        ("expenditure.economic", "会议费", "一般公共预算"): [23.09],
        ("expenditure.economic", "培训费", "一般公共预算"): [57.53],
    }
    basic = by_measure(table_facts(table(basic_title, "元", rows_basic), 12, 2026, "budget"))
    assert basic == {("meeting_fee", "基本支出", ""): [3.0], ("training_fee", "基本支出", ""): [8.4]}


# 人力资源和社会保障局_2026年部门预算 (西安) p49, 2020年部门综合预算一般公共预算拨款“三公”经费及会议费、培训费支出预算表
# (万元), the 2020 and 增减 blocks: each block's 合计 sums the "三公", 会议费 and 培训费.
SANGONG_AND_MEETINGS = [
    ["单位名称", "2020年", "", "", "", "", "", "", "", "", "增减变化情况", ""],
    [
        "",
        "合计",
        "一般公共预算拨款安排的“三公”经费预算",
        "",
        "",
        "",
        "",
        "",
        "会议费",
        "培训费",
        "合计",
        "一般公共预算拨款安排的“三公”经费预算",
    ],
    ["", "", "小计", "因公出国（境）费", "公务接待费", "公务用车购置及运行维护费", "", "", "", "", "", "小计"],
    ["", "", "", "", "", "小计", "公务用车购置", "公务用车运行维护费", "", "", "", ""],
    ["合计", "178.34", "29.30", "0.00", "3.30", "26.00", "0.00", "26.00", "37.55", "111.49", "-89.44", "-37.27"],
]


def test_sangong_total_is_its_subtotal_when_meetings_and_training_stand_beside() -> None:
    title = "2020年部门综合预算一般公共预算拨款“三公”经费及会议费、培训费支出预算表"
    got = by_measure(table_facts(table(title, "万元", SANGONG_AND_MEETINGS), 15, 2020, "budget"))
    assert got[("sangong.total", "", "")] == [29.3]
    assert got[("sangong.change", "", "")] == [-37.27]
    assert got[("sangong.vehicle", "", "")] == [26.0]
    assert got[("meeting_fee", "", "")] == [37.55]
    assert got[("training_fee", "", "")] == [111.49]
