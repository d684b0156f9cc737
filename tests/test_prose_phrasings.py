"""Phrasings of other provinces' disclosures (issue 9, items 7 and 8), each read as data."""

from __future__ import annotations

import pytest

from budgetbook.extract.prose import Context, extract_paragraph
from budgetbook.text import normalize


def facts(text: str, *, year: int = 2024, kind: str = "budget", of: bool = False) -> dict:
    out: dict = {}
    for f in extract_paragraph(normalize(text), Context(year, kind, "", "l1")):
        out.setdefault((f.measure, f.year, f.basis, f.of) if of else (f.measure, f.year, f.basis), []).append(f.value)
    return out


def values(text: str, measure: str, **kw) -> list[float]:
    return [v for (m, *_), vs in facts(text, **kw).items() if m == measure for v in vs]


@pytest.mark.parametrize(
    ("text", "measure", "expected"),
    [
        ("截至2023年底，本单位公务用车保有量3辆。", "assets.vehicles", [3.0]),
        ("本部门共有机动车5辆，其中一般公务用车2辆。", "assets.vehicles", [5.0]),
        ("局机关内设8个处（室）。", "org.divisions", [8.0]),
        ("中心内设十个机构。", "org.divisions", [10.0]),
        ("本部门实有人员45人，退休职工12人。", "staff.active", [45.0]),
        ("本部门实有人员45人，退休职工12人。", "staff.retired", [12.0]),
        ("学校现有教职工120人。", "staff.active", [120.0]),
        ("2024年财政专户拨款35.6万元。", "revenue.special_account", [35.6]),
        ("上年结余、结转12.5万元。", "revenue.carryover", [12.5]),
        ("2024年政府采购安排168万元。", "procurement.total", [168.0]),
        ("政府采购资金42.3万元，全部为货物类采购。", "procurement.total", [42.3]),
        ("本年度设置并编报6个项目绩效目标。", "performance.projects", [6.0]),
        ("涉及一级预算项目4个，金额合计300万元。", "performance.projects", [4.0]),
        ("专项业务经费支出86.4万元。", "expenditure.project", [86.4]),
        ("人员经费和公用经费支出320.5万元。", "expenditure.basic", [320.5]),
        ("上年实户资金余额15万元。", "revenue.account_balance", [15.0]),
        ("2023年部门决算收入为1300万元，决算支出1200万元。", "revenue.total", [1300.0]),
        ("2023年部门决算收入为1300万元，决算支出1200万元。", "expenditure.total", [1200.0]),
        ("本单位无下属单位。", "org.affiliated_units", [0.0]),
    ],
)
def test_regional_phrasings(text: str, measure: str, expected: list[float]) -> None:
    assert values(text, measure) == expected, facts(text)


def test_a_running_fund_without_jiguan_is_not_revenue() -> None:
    got = facts("2024年日常运行经费56万元。")
    assert not [m for (m, _, _) in got if m.startswith("revenue.")], got


def test_a_decrease_keeps_its_bracketed_percentage() -> None:
    got = facts("2024年支出预算300万元，比上年减少20万元（6.25%），主要原因是压减公用经费。")
    assert got[("expenditure.change", 2024, "budget")] == [-20.0]
    assert got[("expenditure.change_pct", 2024, "budget")] == [-6.25]


def test_actual_against_full_year_budget_keeps_both() -> None:
    got = facts("2023年支出决算为1200万元，完成全年预算1250万元的96%。", year=2023, kind="final_account")
    assert got[("expenditure.total", 2023, "actual")] == [1200.0]
    assert got[("expenditure.total", 2023, "adjusted")] == [1250.0]


def test_two_years_budgets_in_one_sentence() -> None:
    got = facts("“三公”经费2024年预算数为50万元，2023年预算数为45万元。")
    assert got[("sangong.total", 2024, "budget")] == [50.0]
    assert got[("sangong.total", 2023, "budget")] == [45.0]


def test_blank_form_instructions_are_not_values() -> None:
    assert not facts("预算执行率未达到90%的需说明原因。")


def test_a_template_change_takes_the_chosen_sign() -> None:
    got = facts("2024年收入预算200万元，比上年下降（增长）5%。")
    assert got[("revenue.change_pct", 2024, "budget")] == [-5.0]


# Item 8's sentences below are in the documents' fixed template: no seed or corpus paragraph states
# two comparisons, a 、-list before a change, "三公" components outside a "三公" section, two years'
# budgets or a blank form's instruction (searched in the extracted paragraphs of both).


def test_two_comparisons_in_one_sentence_stay_apart() -> None:
    got = facts("2024年支出预算300万元，比上年增加20万元，增长7.1%；比2022年决算数减少15万元，下降4.8%。", of=True)
    assert got[("expenditure.change", 2024, "budget", "")] == [20.0]
    assert got[("expenditure.change_pct", 2024, "budget", "")] == [7.1]
    assert got[("expenditure.change", 2024, "actual", "2022 actual")] == [-15.0]
    assert got[("expenditure.change_pct", 2024, "actual", "2022 actual")] == [-4.8]


def test_the_change_of_a_list_of_parts_is_the_sums() -> None:
    got = facts("2024年支出预算300万元，其中：基本支出200万元、项目支出100万元，较上年增加30万元。")
    assert got[("expenditure.change", 2024, "budget")] == [30.0]
    assert ("expenditure.project.change", 2024, "budget") not in got


def test_the_change_of_a_partial_list_is_no_parts() -> None:
    got = facts("2024年支出预算300万元，其中：人员经费150万元、公用经费50万元、项目支出80万元，较上年增加30万元。")
    assert not [k for k in got if k[0].endswith(".change")], got


def test_sangong_components_outside_a_sangong_section() -> None:
    got = facts("2024年因公出国（境）费预算0万元，公务用车购置及运行费预算12万元，公务接待费预算3.5万元。")
    assert got == {
        ("sangong.overseas", 2024, "budget"): [0.0],
        ("sangong.vehicle", 2024, "budget"): [12.0],
        ("sangong.reception", 2024, "budget"): [3.5],
    }


def test_an_economic_item_list_is_not_sangong() -> None:
    """A real sentence (seed 000, l37): 公务接待费 among the items of basic spending stays an economic item."""
    got = facts(
        "（一）基本支出：2024年年初预算数为1920.64万元，是指为保障单位机构正常运转、完成日常工作任务而发生的各项支出，"
        "包括用于基本工资477.53万元、津贴补贴250.48万元、办公费10万元、差旅费20万元、公务用车运行维护费20万元、公务接待费5万元等；"
    )
    assert not [k for k in got if k[0].startswith("sangong.")], got


def test_a_budget_restated_against_the_actual_keeps_its_year() -> None:
    got = facts("2023年支出决算为1200万元，完成全年预算1250万元的96%。", year=2024, kind="final_account")
    assert got[("expenditure.total", 2023, "adjusted")] == [1250.0]


def test_a_template_change_takes_either_chosen_sign() -> None:
    got = facts("2024年收入预算200万元，比上年增加（减少）10万元，增长（下降）5%。")
    assert got[("revenue.change", 2024, "budget")] == [10.0]
    assert got[("revenue.change_pct", 2024, "budget")] == [5.0]
