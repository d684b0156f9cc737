"""Prose extraction on real sentences from the seeds and the corpus, with exact values."""

from __future__ import annotations

import pytest

from budgetbook.extract.prose import Context, extract_paragraph


def facts(text: str, *, year: int = 2024, kind: str = "budget", section: str = "") -> dict:
    """{(measure, item): [values]} of a paragraph (normalised text, as the reader gives it)."""
    out: dict = {}
    for f in extract_paragraph(text, Context(year, kind, section, "l1")):
        out.setdefault((f.measure, f.item), []).append(f.value)
    return out


def test_revenue_sentence_with_breakdown_and_decrease() -> None:
    got = facts(
        "（一）收入预算。2024年年初本部门收入预算3055.44万元，其中，一般公共预算拨款3055.44万元，"
        "政府性基金预算拨款0万元，纳入财政专户管理的非税收入拨款0万元，国有资本经营预算拨款0万元，上年结转结余0万元。"
        "同口径对比，收入较上年减少121.16万元，减少3.8%，主要原因是本年度预算中公用经费按减压后金额报送。"
    )
    assert got[("revenue.total", "")] == [3055.44]
    assert got[("revenue.general_budget", "")] == [3055.44]
    assert got[("revenue.gov_fund", "")] == got[("revenue.special_account", "")] == [0.0]
    assert got[("revenue.carryover", "")] == [0.0]
    assert got[("revenue.change", "")] == [-121.16]
    assert got[("revenue.change_pct", "")] == [-3.8]


def test_change_stated_as_xiajiang_is_negative() -> None:
    got = facts(
        "2024年怀化市人民政府办公室机关运行经费225.4万元，压减公用经费后安排225.4万元，同口径对比，"
        "比上年预算数减少63.1万元，下降21.87%，主要因为厉行节约。"
    )
    assert got[("operating_costs", "")] == [225.4, 225.4]
    assert got[("operating_costs.change", "")] == [-63.1]
    assert got[("operating_costs.change_pct", "")] == [-21.87]
    assert ("expenditure.public", "") not in got  # 压减公用经费后安排: the base restated


def test_earlier_year_value_and_growth() -> None:
    text = "2026年度收入预算32852.05万元，比2025年年初预算数30385.62万元增加2466.43万元，增长8.12%。"
    rows = extract_paragraph(text, Context(2026, "budget", "", "p6 l1"))
    by = {(f.measure, f.year, f.basis): f.value for f in rows}
    assert by[("revenue.total", 2026, "budget")] == 32852.05
    assert by[("revenue.total", 2025, "budget")] == 30385.62
    assert by[("revenue.change", 2026, "budget")] == 2466.43
    assert by[("revenue.change_pct", 2026, "budget")] == 8.12


def test_sangong_components_nested_in_brackets() -> None:
    got = facts(
        "2024年“三公”经费预算154万元，其中：“因公出国（境）费”20万元、“公务用车购置及运行费”101万元"
        "（其中，公务用车购置费0万元、公务用车运行费101万元）、“公务接待费”33万元。"
        "2024年“三公”经费预算数比2023年减少45万元，主要原因：按要求压减了相关办公经费。"
    )
    assert got[("sangong.total", "")] == [154]
    assert got[("sangong.overseas", "")] == [20]
    assert got[("sangong.vehicle", "")] == [101]
    assert got[("sangong.vehicle_purchase", "")] == [0]
    assert got[("sangong.vehicle_operation", "")] == [101]
    assert got[("sangong.reception", "")] == [33]
    assert got[("sangong.change", "")] == [-45]


def test_reception_outside_sangong_is_an_economic_item() -> None:
    got = facts("机关运行经费225.4万元，主要用于：公务接待费支出，5万元；差旅费支出，20万元等。")
    assert got[("expenditure.economic", "公务接待费")] == [5]
    assert ("sangong.reception", "") not in got


def test_funding_source_qualifies_the_measure_before_it() -> None:
    got = facts(
        "2024年怀化市政务服务中心机关运行经费一般公共预算拨款46.64万元，压减公用经费后安排36万元，比上年预算数增加6万元。"
    )
    assert got[("operating_costs", "")] == [46.64, 36]
    assert got[("operating_costs.change", "")] == [6]
    assert ("revenue.general_budget", "") not in got


def test_change_of_revenue_and_expenditure_with_projects() -> None:
    got = facts(
        "2024年，单位预算收支安排2001.89万元，较上年减少463.97万元，其中：基本支出减少23.97万元，"
        "主要是减少日常公用经费支出；项目支出减少440万元。"
    )
    assert got[("revenue.total", "")] == got[("expenditure.total", "")] == [2001.89]
    assert got[("expenditure.change", "")] == [-463.97]
    assert got[("expenditure.basic.change", "")] == [-23.97]
    assert got[("expenditure.project.change", "")] == [-440]


def test_project_enumeration() -> None:
    got = facts(
        "2024年单位支出预算为1537.92万元，其中基本支出1177.92万元，包括人员经费892.12万元和日常公用经费285.8万元；"
        "项目支出360万元，主要为综合事务支出156万元、电子政务办公平台建设支出100万元、法律服务支出18万元。"
    )
    assert got[("expenditure.personnel", "")] == [892.12]
    assert got[("expenditure.public", "")] == [285.8]
    assert got[("project", "综合事务支出")] == [156]
    assert got[("project", "电子政务办公平台建设支出")] == [100]
    assert got[("project", "法律服务支出")] == [18]
    assert ("expenditure.total", "") in got and got[("expenditure.total", "")] == [1537.92]


def test_project_named_like_a_measure_stays_a_project() -> None:
    got = facts("编报绩效目标的项目12个，涉及项目支出1134.8万元，其中专项业务工作经费136.5万元，临时人员经费70万元。")
    assert got[("performance.projects", "")] == [12]
    assert got[("project", "临时人员经费")] == [70]
    assert ("expenditure.personnel", "") not in got


@pytest.mark.parametrize(
    ("text", "measure", "value"),
    [
        ("2024年本部门无会议费预算。", "meeting_fee", 0),
        ("当年度无“三公”经费支出。", "sangong.total", 0),
        ("收入预算，2024年年初预算数1094.8万元，全部为一般公共预算拨款。", "revenue.general_budget", 1094.8),
        ("截至2025年底，北京市审计局共有车辆17台，单位价值100万元以上的设备2台（套）。", "assets.vehicles", 17),
        ("上海市审计局单位设20个内设机构，包括：秘书处、办公室。", "org.divisions", 20),
        ("本部门编制数113人，在职人数108人，其中在岗人数107人；离退休人数101人。", "staff.active", 108),
        ("本部门共7个项目纳入绩效目标管理，涉及财政性资金合计339.5万元。", "performance.projects", 7),
        ("驻京工作经费项目217万，主要用于驻京办的日常运转。", None, None),
    ],
)
def test_template_sentences(text: str, measure: str | None, value: float | None) -> None:
    got = facts(text)
    if measure is None:
        assert got == {}  # no 项目支出 before it: not known to be a project
    else:
        assert got[(measure, "")][0] == value


def test_zero_change_stated_as_chiping() -> None:
    got = facts("2026年“三公”经费预算数为237.92万元，与2025年预算持平。其中：", year=2026)
    assert got[("sangong.total", "")] == [237.92]
    assert got[("sangong.change", "")] == [0]


def test_heading_names_the_figure_of_its_paragraph() -> None:
    got = facts(
        "（一）因公出国（境）费用。2026年预算数173.52万元，主要用于开展境外工作交流。",
        year=2026,
        section="四、财政拨款“三公”经费预算情况说明",
    )
    assert got[("sangong.overseas", "")] == [173.52]


def test_compound_phrase_beats_a_shorter_overlapping_one() -> None:
    got = facts(
        "2026年度政府采购支出预算总额188.5万元，其中：拟采购货物支出5.5万元、拟采购工程支出0万元、拟采购服务支出183万元。"
    )
    assert got[("procurement.total", "")] == [188.5]
    assert got[("procurement.goods", "")] == [5.5]
    assert got[("procurement.works", "")] == [0]
    assert got[("procurement.services", "")] == [183]
    assert ("expenditure.total", "") not in got


def test_listed_units_are_counted() -> None:
    got = facts(
        "1.本部门内设机构包括：秘书处、办公室、综合处、人事教育处（离退休干部处）。本部门下属单位包括：审计中心。"
    )
    assert got[("org.divisions", "")] == [4]
    assert got[("org.affiliated_units", "")] == [1]


def test_amounts_in_yuan_are_converted() -> None:
    got = facts("2024年收入预算37337407.64元。")
    assert got[("revenue.total", "")] == [3733.740764]


def test_function_sub_item_is_not_the_class_total() -> None:
    got = facts("（1）一般公共服务支出（类）审计事务（款）行政运行（项）2906.63万元，主要用于审计事务。")
    assert ("expenditure.function", "一般公共服务支出") not in got
