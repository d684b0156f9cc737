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


# 2026年烟台市交通运输局部门预算 p29–31 (项目支出预算情况表): each subordinate unit's 实施公车统管 in turn, no 单位
# column nor unit row tells the rows apart; 2026年烟台市市场监督管理局部门预算 p37–38: a project named like a unit
# (放射性药品检验室) and one named like an economic class (专用设备购置), each printing its 项目类别.
YANTAI_HEAD = [
    [
        "项目名称",
        "项目类别",
        "合计",
        "财政拨款",
        "",
        "",
        "",
        "财政专户管\n理资金",
        "单位资金",
        "使用非财政\n拨款结余",
        "上年结转",
    ],
    ["", "", "", "小计", "一般公共预\n算", "政府性基金\n预算", "国有资本经\n营预算", "", "", "", ""],
]
YANTAI_PROJECTS = [
    *YANTAI_HEAD,
    ["合 计", "", "13,379.18", "7,366.13", "7,281.79", "80.34", "4.00", "", "6,013.05", "", ""],
    ["信息化项目维保及等保测评", "其他运转类", "90.00", "90.00", "90.00", "", "", "", "", "", ""],
    ["实施公车统管", "其他运转类", "28.00", "28.00", "28.00", "", "", "", "", "", ""],
    ["实施公车统管", "其他运转类", "19.00", "19.00", "19.00", "", "", "", "", "", ""],
    ["快速路工作专班经费", "其他运转类", "24.00", "16.00", "16.00", "", "", "", "8.00", "", ""],
    ["信息化项目维保及等保测评", "其他运转类", "260.00", "260.00", "260.00", "", "", "", "", "", ""],
    ["实施公车统管", "其他运转类", "50.00", "50.00", "50.00", "", "", "", "", "", ""],
    ["实施公车统管", "其他运转类", "4.00", "4.00", "4.00", "", "", "", "", "", ""],
]
YANTAI_MARKET = [
    *YANTAI_HEAD,
    ["合 计", "", "15,148.45", "6,713.45", "6,713.45", "", "", "", "8,435.00", "", ""],
    ["专用设备购置", "其他运转类", "98.00", "98.00", "98.00", "", "", "", "", "", ""],
    ["放射性药品检验室", "其他运转类", "180.00", "180.00", "180.00", "", "", "", "", "", ""],
    ["实施公车统管费用", "其他运转类", "3.00", "3.00", "3.00", "", "", "", "", "", ""],
    ["实施公车统管费用", "其他运转类", "1.00", "1.00", "1.00", "", "", "", "", "", ""],
    ["专用设备购置", "其他运转类", "1,680.00", "", "", "", "", "", "1,680.00", "", ""],
]


def test_one_project_on_rows_nothing_tells_apart_is_the_sum_of_its_rows() -> None:
    facts = table_facts(table("项目支出预算情况表", "万元", YANTAI_PROJECTS), 12, 2026, "budget")
    got = by_measure(facts)
    assert got[("project", "实施公车统管", "")] == [101.0]
    assert got[("project", "信息化项目维保及等保测评", "")] == [350.0]
    assert got[("project", "快速路工作专班经费", "")] == [24.0]
    assert got[("project", "实施公车统管", "一般公共预算")] == [101.0]
    summed = next(f for f in facts if f.measure == "project" and f.item == "实施公车统管" and not f.scope)
    assert "28.00 + 19.00 + 50.00 + 4.00" in summed.evidence and "同名4行" in summed.evidence
    assert summed.location == "p7 l1 t12 r4 c2"  # the first row's


def test_a_project_row_printing_its_category_is_a_project_not_a_unit_nor_a_class() -> None:
    facts = table_facts(table("项目支出预算情况表", "万元", YANTAI_MARKET), 12, 2026, "budget")
    got = by_measure(facts)
    assert not [f for f in facts if f.entity]
    assert got[("project", "放射性药品检验室", "")] == [180.0]
    assert got[("project", "专用设备购置", "")] == [1778.0]
    assert got[("project", "实施公车统管费用", "")] == [4.0]
    assert not [f for f in facts if f.measure == "expenditure.economic"]


def prose(text: str) -> dict:
    from budgetbook.extract.prose import Context, extract_paragraph

    return by_measure(extract_paragraph(text, Context(2026, "budget", "", "p13 l6")))


def test_a_count_after_its_whole_and_qizhong_is_a_part_not_the_whole() -> None:
    # 2026年西安市统计局部门预算 p13; 卫生健康委员会_2026年部门预算 p7 (parts joined by 、)
    got = prose("截至上年底，本部门人员编制145人，其中行政编制59人，事业编制86人；")
    assert got[("staff.authorized", "", "")] == [145.0]
    assert got[("staff.authorized", "行政编制", "")] == [59.0]
    assert got[("staff.authorized", "事业编制", "")] == [86.0]
    got = prose("截至2022年底，本部门人员编制10964人，其中行政编制115人、事业编制10849人；")
    assert got[("staff.authorized", "", "")] == [10964.0]
    assert got[("staff.authorized", "事业编制", "")] == [10849.0]


def test_changes_in_a_numbered_reason_are_a_units_part_not_the_departments() -> None:
    # 2026年烟台市人力资源和社会保障局部门预算 p33: the third reason is 市社保中心's share of the change
    got = prose(
        "3.收支预算减少的主要原因，一是市人社局因政策调整取消人力资源服务业资金项目预算；三是市社保中心机关事业单位"
        "养老保险基金补助收支缺口资金减少3430万元，企业及特困事业单位退休人员统筹外待遇项目较上年增加459万元，"
        "同时2025年机构整合后增加三名工作人员，基本支出增加24.86万元，总体收支预算降低3303.14万元。"
    )
    assert not [k for k in got if k[0].endswith(".change")]
    got = prose("2.支出预算减少13469.96万元，其中基本支出增加116.16万元，项目支出减少13586.12万元。")
    assert got[("expenditure.basic.change", "", "")] == [116.16]
    assert got[("expenditure.change", "", "")] == [-13469.96]


def test_no_change_of_a_part_without_a_change_measure_is_no_change_of_the_whole() -> None:
    # 住房和建设局_2026年部门预算 p30: the 三公 rose by 74.97; its parts' 无变化/持平 are not the 三公's
    got = prose(
        "2022年本部门当年一般公共预算“三公”经费预算支出80.77万元，较上年增加74.97万元（92.82%）。"
        "其中：因公出国（境）经费0万元，较上年无变化；公务接待费5.77万元，较上年减少0.03万元（0.5%），与上年基本持平；"
        "公务用车购置费0万元，较上年无变化。"
    )
    assert got[("sangong.change", "", "")] == [74.97]
    assert got[("sangong.reception", "", "")] == [5.77]
    assert prose("2022年本部门当年一般公共预算“三公”经费预算支出6.00万元，与上年持平。")[
        ("sangong.change", "", "")
    ] == [0.0]


def test_the_units_account_balance_is_a_source_beside_the_carryover() -> None:
    # 2026年西安市公安局部门预算 p9: 上年结转 and 上年实户资金余额 are two lines of the revenue
    got = prose(
        "本部门当年预算收入344447.70万元，其中：一般公共预算拨款324638.50万元、上年结转13102.70万元、"
        "上年实户资金余额3262.49万元、其他收入3444.00万元，较上年减少129422.00万元。"
    )
    assert got[("revenue.carryover", "", "")] == [13102.7]
    assert got[("revenue.account_balance", "", "")] == [3262.49]
    rows = [
        ["收入", "", "支出", ""],
        ["项目", "预算数", "项目", "预算数"],
        ["一、一般公共预算拨款", "3,246,385,000.00", "一、公共安全支出", "3,444,477,000.00"],
        ["上年实户资金余额", "32,624,900.00", "", ""],
        ["上年结转", "131,027,000.00", "", ""],
    ]
    got = by_measure(table_facts(table("2026年部门综合预算收支总表", "元", rows), 3, 2026, "budget"))
    assert got[("revenue.carryover", "", "")] == [13102.7]
    assert got[("revenue.account_balance", "", "")] == [3262.49]
