"""Certainty as data: each finding graded from how surely its figures were read (确定 / 疑似 / 未能核对),
tables that check themselves before they accuse, the templates' fixed sentences, and the ledger."""

from __future__ import annotations

import re

import pandas as pd

from budgetbook.audit.grade import SURE, SUSPECT, UNCHECKED, grade, unreliable_tables
from budgetbook.audit.ledger import catalogue
from budgetbook.audit.model import Finding
from tests.test_checks import findings, frames_of


def _finding(check: str, location: str, expected: float, actual: float, evidence: str = "x", doc: str = "d") -> Finding:
    return Finding(doc, check, "error", False, expected, actual, "不符", evidence, location)


def _facts(*rows: dict) -> pd.DataFrame:
    base = {
        "doc_id": "d",
        "measure": "expenditure.total",
        "source": "table",
        "evidence": "表｜合计｜1",
        "scope": "",
        "column": "合计",
        "confidence": None,
    }
    return pd.DataFrame([{**base, **r} for r in rows])


# --- the grade of a finding ------------------------------------------------------------------


def test_a_finding_on_figures_read_for_certain_is_sure() -> None:
    facts = _facts({"location": "p1 t1 r2 c1"}, {"location": "l5", "source": "prose", "evidence": "支出100万元"})
    [f] = grade([_finding("stated_twice", "d p1 t1 r2 c1 ‖ d l5", 100.0, 120.0)], facts)
    assert (f.grade, f.severity) == (SURE, "error")


def test_a_blank_cell_a_fund_column_and_a_change_column_make_a_finding_suspect() -> None:
    facts = _facts(
        {"location": "p1 t1 r2 c1", "evidence": "表｜合计｜（空）"},
        {"location": "p1 t1 r3 c4", "column": "一般公共预算/因公出国（境）费", "measure": "sangong.overseas"},
        {"location": "p1 t1 r4 c5", "column": "增减变化金额/合计", "measure": "sangong.total"},
        {"location": "l5", "source": "prose", "evidence": "支出100万元"},
    )
    for place, why in (("p1 t1 r2 c1", "空白"), ("p1 t1 r3 c4", "子栏"), ("p1 t1 r4 c5", "增减栏")):
        [f] = grade([_finding("stated_twice", f"d {place} ‖ d l5", 0.0, 120.0)], facts)
        assert (f.grade, f.severity) == (SUSPECT, "warning") and why in f.why, (place, f)


def test_a_unit_slip_and_two_parts_cannot_be_checked() -> None:
    facts = _facts({"location": "l5", "source": "prose", "evidence": "支出100万元"})
    [slip] = grade([_finding("stated_twice", "d l5 ‖ d l6", 12.5, 125000.0)], facts)
    assert (slip.grade, slip.severity) == (UNCHECKED, "info")
    evidence = "一般公共预算支出明细表（按支出经济分类科目）｜培训费｜57.53 ‖ 一般公共预算基本支出明细表（按支出经济分类科目）｜培训费｜8.4"
    [parts] = grade([_finding("stated_twice", "d p1 t1 r1 c1 ‖ d p2 t2 r1 c1", 8.4, 57.53, evidence)], facts)
    assert parts.grade == UNCHECKED and "口径不同" in parts.why


def test_a_table_failing_in_many_ways_is_not_understood_and_raises_no_finding() -> None:
    own = [_finding("table:total_row", f"d p3 t2 r{r} c1 ‖ d p3 t2 r9 c1", 100.0, 100.0 + 7 * r) for r in range(1, 5)]
    cross = _finding("stated_twice", "d p3 t2 r1 c1 ‖ d l5", 100.0, 140.0)
    facts = _facts({"location": "p3 t2 r1 c1"}, {"location": "l5", "source": "prose", "evidence": "支出140万元"})
    graded = grade([*own, cross], facts)
    checks = [f.check for f in graded]
    assert checks.count("reading:table") == 1 and not any(c == "table:total_row" for c in checks)
    [unread] = [f for f in graded if f.check == "reading:table"]
    assert "未能可靠读取" in unread.message and unread.grade == UNCHECKED
    [again] = [f for f in graded if f.check == "stated_twice"]
    assert again.grade == UNCHECKED, again


def test_one_misprinted_cell_breaking_three_identities_by_one_amount_is_still_an_error() -> None:
    # a leaf bumped by 7: its row's 合计, its 类's sum and the 合计 row all fail by 7
    own = [
        _finding(c, f"d p3 t2 r{r} c1 ‖ d p3 t2 r{r + 1} c1", 100.0, 107.0)
        for c, r in (("table:row_total", 4), ("table:code_sum", 3), ("table:total_row", 9))
    ]
    assert not unreliable_tables(own)
    assert {f.grade for f in grade(own, _facts({"location": "p3 t2 r4 c1"}))} == {SURE}


def test_more_findings_of_one_kind_than_a_real_document_holds_are_one_reading_problem() -> None:
    facts = _facts({"location": "l5", "source": "prose", "evidence": "x"})
    many = [_finding("change_rate", f"d l{i}", 1.0, 2.0 + i) for i in range(6)]
    graded = grade(many, facts)
    assert {f.grade for f in graded if f.check == "change_rate"} == {UNCHECKED}
    [note] = [f for f in graded if f.check == "reading:many"]
    assert "6处不符" in note.message and (note.grade, note.severity) == (SUSPECT, "warning")
    assert {f.grade for f in grade(many[:4], facts)} == {SURE}  # a handful: the document's own


def test_a_blank_total_beside_printed_parts_is_not_the_table_against_the_text() -> None:
    facts = _facts(
        {
            "location": "p44 t3 r15 c9",
            "evidence": "“三公”经费表｜合计｜“三公”经费预算/小计｜（空）",
            "measure": "sangong.total",
        },
        {
            "location": "p14 t3 r4 c2",
            "evidence": "“三公”经费表｜公务接待费｜预算｜（空）",
            "measure": "sangong.reception",
        },
    )
    evidence = "“三公”经费表｜合计｜“三公”经费预算/小计｜（空） ‖ “三公”经费预算支出16.84万元"
    [total] = grade([_finding("sangong_table", "d p44 t3 r15 c9 ‖ d l5", 0.0, 16.84, evidence)], facts)
    assert total.grade == SUSPECT and "空白" in total.why
    evidence = "“三公”经费表｜公务接待费｜预算｜（空） ‖ 公务接待费1.84万元"
    [part] = grade([_finding("sangong_table", "d p14 t3 r4 c2 ‖ d l5", 0.0, 1.84, evidence)], facts)
    assert part.grade == SURE


# --- the templates' fixed sentences ---------------------------------------------------------------

FINAL = [
    "某市统计局2024年度部门决算说明",
    "（一）基本支出",
    "2024年度财政拨款基本支出年初预算为{budget}万元，支出决算为{final}万元，完成年初预算的{rate}%。"
    "决算数{word}预算数的主要原因是人员变动。",
    "截至{asof}年12月31日，本部门共有车辆3辆。",
]


def _final(budget="100.00", final="90.00", rate="90.00", word="小于", asof="2024") -> pd.DataFrame:
    lines = [line.format(budget=budget, final=final, rate=rate, word=word, asof=asof) for line in FINAL]
    return findings(frames_of(("final", lines)))


def _loud(checks: pd.DataFrame, check: str) -> pd.DataFrame:
    return checks.loc[(checks.check == check) & checks.severity.isin(["error", "warning"])]


def test_the_final_account_template_sentences_hold_when_consistent() -> None:
    checks = _final()
    assert _loud(checks, "wording").empty and _loud(checks, "completion_rate").empty
    assert _loud(checks, "as_of_year").empty
    assert checks.loc[checks.check == "completion_rate", "passed"].all()


def test_greater_said_of_a_smaller_final_figure_is_found() -> None:
    wrong = _loud(_final(word="大于"), "wording")
    assert len(wrong) == 1 and "决算数大于" in wrong.message.iloc[0]
    assert wrong.severity.iloc[0] == "error"


def test_a_completion_rate_that_does_not_match_and_a_zero_budget() -> None:
    assert len(_loud(_final(rate="95.00"), "completion_rate")) == 1
    zero = _final(budget="0", final="0", rate="85", word="等于")
    assert len(_loud(zero, "implausible")) == 1


def test_an_as_of_date_of_another_year_and_a_doubled_full_stop() -> None:
    assert len(_loud(_final(asof="2023"), "as_of_year")) == 1
    lines = [*FINAL[:1], "本部门共有车辆3辆。。"]
    assert len(_loud(findings(frames_of(("p", lines))), "punctuation")) == 1


# --- the ledger ------------------------------------------------------------------------------


def test_the_ledger_has_a_row_per_document_and_obligation() -> None:
    frames = frames_of(
        ("final", [line.format(budget="100", final="90", rate="90", word="小于", asof="2024") for line in FINAL])
    )
    ledger = frames["audit_ledger"]
    obligations = catalogue()["obligations"]
    assert len(obligations) >= 50
    assert len(ledger) == len(obligations) and set(ledger.obligation) == {o["id"] for o in obligations}
    groups = {"文档结构", "核心表", "表内", "表间", "表与文", "文内", "比例与变动", "措辞", "三公", "绩效", "跨文件"}
    assert set(ledger.group) == groups
    status = dict(zip(ledger.obligation, ledger.status, strict=True))
    assert status["R05"] == "通过"  # the completion rate was checked and holds
    assert status["X03"] == "数据不足"  # no 基本支出 and 项目支出 stated: not checked, never passed
    assert status["K01"] == "不适用"  # a budget's obligation


def test_the_report_shows_sure_findings_apart_from_those_to_review_and_the_coverage() -> None:
    from budgetbook.report import findings as shown

    lines = [
        "某市统计局2024年度部门决算说明",
        "（一）基本支出",
        "2024年度财政拨款基本支出年初预算为100.00万元，支出决算为90.00万元，完成年初预算的95.00%。",
        "2023年“三公”经费实际支出104.98万元。",
        "2023年“三公”经费实际支出总额为104.99万元。",
    ]
    frames = frames_of(("final", lines))
    department = frames["documents"].department.iloc[0]
    sure = shown.department_findings(frames, department).frame
    assert set(sure["等级"]) == {"确定"} and sure["说明"].str.contains("完成率").any()
    review = shown.department_suspects(frames, department).frame
    assert set(review["等级"]) == {"疑似"} and review["说明"].str.contains("104.98").any()
    assert review["复核要点"].str.len().gt(0).all()
    [coverage] = shown.department_coverage(frames, department).frame["核对情况"]
    applicable, checked, passed = map(int, re.findall(r"\d+", coverage))
    assert coverage == f"{applicable}项中核对{checked}项，通过{passed}项" and applicable >= checked > passed > 0


def test_equal_totals_whose_changes_go_opposite_ways_are_implausible() -> None:
    head = ["某市统计局2024年部门预算", "三、部门收支总体情况"]
    wrong = ["2024年收入预算1000万元，比上年减少50万元。", "2024年支出预算1000万元，比上年增加30万元。"]
    right = ["2024年收入预算1000万元，比上年减少50万元。", "2024年支出预算1000万元，比上年减少50万元。"]
    found = findings(frames_of(("b", head + wrong)))
    assert found.message.str.contains("方向相反").sum() == 1
    assert not findings(frames_of(("b", head + right))).message.str.contains("方向相反").any()
