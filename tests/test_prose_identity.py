"""What a prose figure is (issue 8): project lists, counts and their nouns, people who are not
staff, comparison bases, function classes and line items — real sentences of the wide corpus and
the template phrasings of other provinces, with exact values."""

from __future__ import annotations

import pytest

from budgetbook.document import Document, Location, Paragraph
from budgetbook.extract.identity import Identity
from budgetbook.extract.prose import Context, extract_paragraph
from budgetbook.extract.run import prose_facts
from budgetbook.outline import assign_sections
from budgetbook.text import normalize


def read(text: str, *, year: int = 2026, scope: str = "") -> list:
    ctx = Context(year, "budget", "", "l1")
    ctx.lead_scope = scope
    return extract_paragraph(normalize(text), ctx)


def got(text: str, **kw) -> dict:
    """{(measure, item): [values]}"""
    out: dict = {}
    for f in read(text, **kw):
        out.setdefault((f.measure, f.item), []).append(f.value)
    return out


def projects(facts: list) -> dict:
    return {f.item: f.value for f in facts if f.measure == "project"}


def document(*paragraphs: str) -> list:
    """The prose facts of a document made of these paragraphs (sections assigned as the reader does)."""
    blocks = assign_sections(Paragraph(p, Location(i + 1, 1)) for i, p in enumerate(paragraphs))
    doc = Document("d", "d.pdf", "pdf", "", 1, blocks)
    return prose_facts(doc, Identity(fiscal_year=2026, doc_kind="budget"))


# ------------------------------------------------------------------ numbered lists of projects


@pytest.mark.parametrize(
    "text",
    [
        "项目支出360万元，具体包括：1.信息化运维项目200万元；2.法律顾问服务经费100万元；3.其他经转类60万元。",
        "项目支出360万元，具体包括：（1）信息化运维项目200万元；（2）法律顾问服务经费100万元；（3）特定目标类60万元。",
        "项目支出360万元，具体包括：①信息化运维项目200万元，主要用于系统运维；②法律顾问服务经费100万元。",
        "2026年项目支出预算360万元，主要包括：一是信息化运维项目200万元；二是法律顾问服务经费100万元。",
    ],
)
def test_numbered_project_list_in_one_paragraph(text: str) -> None:
    facts = read(text)
    assert projects(facts) == {"信息化运维项目": 200, "法律顾问服务经费": 100}
    assert [f.value for f in facts if f.measure == "expenditure.project"] == [360]
    assert all(f.evidence and f.location == "l1" for f in facts if f.measure == "project")


def test_project_named_with_and_without_its_code_is_one() -> None:
    facts = read(
        "项目支出300万元，具体包括：（1）330100210000000012345-法律顾问服务经费100万元；（2）法律顾问服务经费100万元；"
        "（3）网络安全运维200万元。"
    )
    assert [(f.item, f.value) for f in facts if f.measure == "project"] == [
        ("法律顾问服务经费", 100),
        ("网络安全运维", 200),
    ]


def test_project_list_one_paragraph_per_item() -> None:
    facts = document(
        "（二）项目支出",
        "2026年项目支出预算1250.5万元，具体包括：",
        "1.信息系统运行维护项目300.5万元，主要用于业务系统运维。",
        "2、11010125T000002017795-执法办案经费550万元。",
        "3.其他经转类400万元。",
        "4.执法办案经费550万元。",
        "三、政府采购情况",
        "2026年政府采购预算120万元。",
    )
    assert projects(facts) == {"信息系统运行维护项目": 300.5, "执法办案经费": 550}
    found = [f for f in facts if f.measure == "project"]
    assert [f.location for f in found] == ["p1 l3", "p1 l4"]
    assert [f.value for f in facts if f.measure == "procurement.total"] == [120]


@pytest.mark.parametrize("category", ["其他经转类专项经费", "特定目标类项目", "其他经转类", "经常性项目"])
def test_a_category_printed_with_a_generic_word_is_not_a_project(category: str) -> None:
    facts = read(f"项目支出360万元，具体包括：1.信息化运维项目200万元；2.{category}160万元。")
    assert projects(facts) == {"信息化运维项目": 200}


def test_one_rule_decides_categories_in_prose_and_tables() -> None:
    from budgetbook.extract import prose, tables

    assert tables.is_project_category is prose.is_project_category
    assert not prose.is_project_category("信息化建设专项经费")  # a project whose name ends in a generic word
    assert not prose.is_project_category("人才引进专项资金")


def test_spending_kinds_listed_after_projects_are_not_projects() -> None:
    # 北京市交通委员会 2026: the template lists the 支出总表's other columns under 项目支出
    facts = document(
        "（二）项目支出。项目支出预算1303674.00万元，占本年支出预算89.98%。其中：",
        "1.事业单位经营支出900.00万元。",
        "2.上缴上级支出0.00万元。",
        "3.对附属单位补助支出0.00万元。",
    )
    assert projects(facts) == {}
    assert [f.value for f in facts if f.measure == "expenditure.project"] == [1303674.0]


def test_list_ends_at_a_paragraph_of_other_numbering() -> None:
    facts = document(
        "项目支出500万元，具体如下：",
        "（1）档案数字化项目200万元。",
        "（2）安全保卫经费300万元。",
        "四、其他说明",
        "1.机关运行经费100万元。",
    )
    assert projects(facts) == {"档案数字化项目": 200, "安全保卫经费": 300}
    assert [f.value for f in facts if f.measure == "operating_costs"] == [100]


# ------------------------------------------------------------------ counts: their own noun and unit


@pytest.mark.parametrize(
    ("text", "measure", "expected"),
    [
        # 福州市公安局交通警察局: 城区大队 are not 内设机构
        (
            "福州市公安局交通管理支队包括支队下设9个内设机构和5个城区大队，具体编制和机构设置属涉密内容。",
            "org.divisions",
            [9],
        ),
        # 北京市宣传部: the 1 is the 行政单位 itself
        (
            "2026年部门预算包括中国共产党北京市委员会宣传部本级1家行政单位和11家事业单位，事业单位分别为综合事务中心、人才发展中心。",
            "org.affiliated_units",
            [11],
        ),
        # 北京市经济和信息化局: 8 事业单位 after 31 处室
        (
            "另设机关纪委（审计处）、工会、离退休干部处等31个处室，下属北京市中小企业服务中心、北京市无线电监测站等8个全额拨款事业单位。",
            "org.divisions",
            [31],
        ),
        (
            "另设机关纪委（审计处）、工会、离退休干部处等31个处室，下属北京市中小企业服务中心、北京市无线电监测站等8个全额拨款事业单位。",
            "org.affiliated_units",
            [8],
        ),
        ("共32个内设机构、12个直属事业单位。", "org.affiliated_units", [12]),
        ("设20个内设机构。", "org.divisions", [20]),
        # 苏州市交通运输局: 编制范围 of units is no headcount
        (
            "纳入本部门2026年部门汇总预算编制范围的预算单位共计8家，具体包括：苏州市交通运输局，苏州市港航事业发展中心。",
            "staff.authorized",
            [],
        ),
        # 北京市交通委员会: 人员编制规定 names a regulation, 32个单位 are units
        (
            "根据《北京市交通委员会职能配置、内设机构和人员编制规定》，设立北京市交通委员会，部门预算共计32个单位。",
            "staff.authorized",
            [],
        ),
        ("推进编制、招聘、使用、保障、医保五个一体化。", "staff.authorized", []),
        # 北京市生态环境局: a unit's name (机动车排放管理事务中心) counts no vehicles
        (
            "9个公益一类单位分别为北京市生态环境监测中心、北京市机动车排放管理事务中心，1个公益二类单位是北京市生态环境保护科学研究院。",
            "assets.vehicles",
            [],
        ),
        ("2019年局机关及下属0个单位公务用车保有量为0辆。", "assets.vehicles", [0]),
        ("2026年拟购置车辆共2辆，现有车辆10辆。", "assets.vehicles", [10]),
        ("本部门编制数113名，实有人员108人。", "staff.authorized", [113]),
    ],
)
def test_count_is_named_by_its_own_noun_and_unit(text: str, measure: str, expected: list) -> None:
    assert got(text).get((measure, ""), []) == expected


@pytest.mark.parametrize(
    "text",
    [
        "本部门编制数113人，在职人数108人；离退休人数101人，另管理关闭破产企业离退休人员3200人。",
        "本部门编制数113人，在职人数108人；离退休人数101人。代管改制企业退休职工560人，遗属补助人员35人。",
        "本部门编制数113人，在职人数108人；离退休人数101人，另有移交社会化管理的企业离退休职工980人。",
    ],
)
def test_people_who_are_not_the_departments_are_never_staff(text: str) -> None:
    facts = got(text)
    assert facts[("staff.authorized", "")] == [113]
    assert facts[("staff.active", "")] == [108]
    assert facts[("staff.retired", "")] == [101]


# ------------------------------------------------------------------ changes, comparisons, classes


def test_comparison_base_is_the_earlier_value_of_the_measure_named_before_it() -> None:
    # 北京市国资委 2026
    facts = read(
        "其中：一般公共预算收入19828.57万元比2025年初预算数20292.85万元减少464.27万元，降低2.29%；"
        "国有资本经营预算收入495836.20万元比2025年预算收入执行数483923.17万元增加11913.03万元，增长2.46%。"
    )
    general = {(f.year, f.basis): f.value for f in facts if f.measure == "revenue.general_budget"}
    assert general == {(2026, "budget"): 19828.57, (2025, "budget"): 20292.85}
    capital = {(f.year, f.basis): f.value for f in facts if f.measure == "revenue.state_capital"}
    assert capital == {(2026, "budget"): 495836.2, (2025, "actual"): 483923.17}
    assert not [f for f in facts if f.measure == "revenue.total"]


def test_comparison_base_is_never_the_current_figure() -> None:
    facts = read("2026年基本支出比上年800万元增加50万元。")
    assert {(f.measure, f.year): f.value for f in facts} == {
        ("expenditure.basic", 2025): 800,
        ("expenditure.basic.change", 2026): 50,
    }


def test_a_change_against_last_year_is_no_earlier_value() -> None:
    # 佛山市交通运输局: "比上年决算数相比变化0万元"
    facts = read("其中：一般公共预算财政拨款收入1668.14万元，比上年决算数相比变化0万元，增长0%；")
    assert [(f.measure, f.value) for f in facts] == [("revenue.general_budget", 1668.14)]


def test_function_class_marked_lei_is_the_class_not_revenue() -> None:
    # 杭州市交通运输局 2026, under "（八）政府性基金预算支出情况说明"
    facts = read(
        "城乡社区（类）支出211000.00万元，占95.2%；交通运输（类）支出177.92万元，占0.1%；其他（类）支出10493.00万元，占4.7%。",
        scope="政府性基金",
    )
    classes = {f.item: (f.value, f.scope) for f in facts if f.measure == "expenditure.function"}
    assert classes == {
        "城乡社区支出": (211000.0, "政府性基金"),
        "交通运输支出": (177.92, "政府性基金"),
        "其他支出": (10493.0, "政府性基金"),
    }
    assert not [f for f in facts if f.measure.startswith("revenue.")]
    assert got("一般公共服务（类）支出6701.98万元，占1.6%。")[("expenditure.function", "一般公共服务支出")] == [6701.98]


@pytest.mark.parametrize(
    "text",
    [
        "（3）其他支出（类）其他政府性基金及对应专项债务收入安排的支出（款）其他政府性基金安排的支出（项）预算为10493.00万元，主要用于通行费返还。",
        "2026年政府性基金预算当年拨款221670.92万元，比上年执行数增加188485.40万元，增长568.0%。",
        "2026年国有资本经营预算当年拨款500万元。",
    ],
)
def test_spending_of_a_fund_is_not_its_revenue(text: str) -> None:
    assert not [f for f in read(text) if f.measure.startswith("revenue.")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("行政运行支出比上年增加10万元。", {}),
        ("一般行政管理事务支出较上年减少25万元，主要是会议减少。", {}),
        ("与上年相比，本部门2026年支出增加100万元。", {("expenditure.change", ""): [100]}),
        ("北京市审计局2026年收入比上年减少20万元。", {("revenue.change", ""): [-20]}),
    ],
)
def test_a_line_items_change_is_not_the_departments(text: str, expected: dict) -> None:
    assert got(text) == expected


def test_heading_naming_a_change_does_not_make_the_change_a_level() -> None:
    facts = document("（一）基本支出预算增加情况", "主要是人员调入，增加120万元。")
    assert not [f for f in facts if f.measure == "expenditure.basic"]


def test_a_zero_needs_no_unit() -> None:
    # 上海市国资委 2026, p16: the "三公" table prints headers only; the text states the zeros
    facts = got("2026年“三公”经费预算数为0，与2025年预算持平。其中：（一）因公出国（境）费为0，与2025年预算持平。")
    assert facts[("sangong.total", "")] == [0]
    assert facts[("sangong.overseas", "")] == [0]
    assert got("国有资本经营预算拨款支出预算为0。") == {("expenditure.total", ""): [0]}
    assert got("本年安排10万元。") == {}


def test_the_basis_is_the_one_the_figures_own_clause_names() -> None:
    # 佛山市轨道交通局 2019 final account: the 0 is the budget, the 0.16 the outturn
    facts = read(
        "2019年度“三公”经费支出决算大于预算数的主要情况：因为我局为2019年新成立单位，成立时间晚于预算数制定时间，预算数为0，"
        "因此，“三公”经费支出的决算数大于预算数。",
        year=2019,
    )
    assert [(f.measure, f.basis, f.value) for f in facts if f.measure == "sangong.total"] == [
        ("sangong.total", "budget", 0)
    ]
