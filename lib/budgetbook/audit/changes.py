"""A stated change against its rate and against the stated earlier figure."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pandas as pd

from budgetbook.audit.figures import _FIGURE_COLUMNS, _at_value, _numbers
from budgetbook.audit.model import (
    Finding,
    Row,
    Tolerance,
    _describe,
    _evidence,
    _first,
    _fmt,
    _judge,
    _same,
    in_wan,
    rows,
)
from budgetbook.extract.vocab import load


def change_checks(facts: pd.DataFrame, tol: Tolerance) -> Iterator[Finding]:
    # a change against another year than the one before (比2022年决算数减少…: `of` names it) is not checked
    # against the year before
    # (a mask, not a copy of every fact: only the rows read below are taken)
    kept = ~(facts.measure.str.endswith((".change", ".change_pct")) & facts.of.fillna("").ne(""))
    changes = facts.loc[kept & facts.measure.str.endswith(".change")]
    rules = load("checks")["changes"]
    named = {*rules["measures"], *(f"{rules['stems'].get(m, m)}.change_pct" for m in rules["measures"])}
    by_group = _by_group(
        facts.loc[kept & facts.doc_id.isin(changes.doc_id) & facts.measure.isin(named), _FIGURE_COLUMNS]
    )
    decimal_docs = _decimal_docs(facts.loc[kept, ["doc_id", "unit", "source", "precision"]])
    for measure in rules["measures"]:
        change_measure = rules["stems"].get(measure, measure)
        for change in rows(changes.loc[changes.measure == f"{change_measure}.change", _FIGURE_COLUMNS]):
            g = by_group.get((change.doc_id, change.group), {})
            stated = g.get(measure, [])
            base = _first(r for r in stated if _same(r.year, change.year) and r.basis == change.basis)
            if base is None or base.doubtful or _belongs_to_subitem(change, base) or _names_a_part(change, measure):
                continue
            rate = _first(g.get(f"{change_measure}.change_pct", []))
            earlier = _first(r for r in stated if _same(r.year, change.year - 1))
            if rate is not None:
                exact = change.doc_id in decimal_docs
                yield from _rate_check(_exact(change, exact), _exact(base, exact), rate, tol)
            if earlier is not None:
                yield _earlier_check(change, base, earlier, tol)


def _by_group(facts: pd.DataFrame) -> dict[tuple, dict[str, list[Row]]]:
    """The facts by (doc_id, group), then by measure, in order: looked up, not filtered, per figure."""
    out: dict[tuple, dict[str, list[Row]]] = {}
    for row in rows(facts):
        out.setdefault((row.doc_id, row.group), {}).setdefault(row.measure, []).append(row)
    return out


def _exact(f: Row, exact: bool) -> Row:
    """A whole 万元 amount in a document that prints 万元 to the 分 elsewhere is a whole amount (119万元 is
    119.00万元: the "三公" budget is set in whole 万元), not 118.5 to 119.5."""
    if exact and f.unit == "万元" and f.precision >= 0.5 and float(f.value).is_integer():
        return f._replace(precision=0.005)
    return f


def _decimal_docs(facts: pd.DataFrame) -> set[str]:
    money = facts.loc[(facts.unit == "万元") & (facts.source == "prose")]
    return set(money.loc[money.precision < 0.5, "doc_id"])


def _belongs_to_subitem(change: pd.Series, base: pd.Series) -> bool:
    """支出515665.27万元，其中：一般公共预算支出19828.57万元比上年减少464.27万元: the change is the sub-item's.
    Also where the base is stated in another sentence and the change's own sentence states another amount
    before it (其中：因公出国（境）费0万元，比上年增加0万元): the change is that amount's."""
    text, numbers = _numbers(str(change.evidence))  # the sentence's numbers read once for both figures
    at_base, at_change = _at_value(numbers, base.value), _at_value(numbers, change.value)
    if not at_base:  # the base in another sentence: a sentence of 其中 … states a part's change
        if base.source != "prose":
            return False
        before = text[: min(at_change)] if at_change else text
        return "其中" in before or any(
            abs(in_wan(m.group(1), m.group(2)) - abs(change.value)) > 0.006 for m in _AMOUNT.finditer(before)
        )
    if not at_change:
        return False
    between = text[min(at_base) : max(at_change)]
    return "其中" in between


def _names_a_part(change: pd.Series, measure: str) -> bool:
    """The change's sentence names a part of the total (因公出国, 公务接待) and not the total (三公)."""
    words = load("checks")["changes"].get("subitems", {}).get(measure)
    if not words:
        return False
    text = str(change.evidence)
    return any(w in text for w in words["parts"]) and not any(w in text for w in words["own"])


_AMOUNT = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万元|元)")


def _rate_check(change: pd.Series, base: pd.Series, rate: pd.Series, tol: Tolerance) -> Iterator[Finding]:
    prior = base.value - change.value
    if abs(prior) < 1e-9:
        return
    implied = change.value / prior * 100
    allowed = max(tol.percent, rate.precision + (change.precision + base.precision) / abs(prior) * 100 * 2)
    diff = rate.value - implied
    severity, passed = _judge(diff, allowed)
    message = (
        f"增减率：{_describe(base)}，增减{_fmt(change.value)}万元，推算上年为{_fmt(round(prior, 2))}万元、"
        f"增减率{_fmt(round(implied, 2))}%，文中为{_fmt(rate.value)}%，{'相符' if passed else '不符'}"
    )
    evidence, location = _evidence([base, change, rate])
    yield Finding(
        change.doc_id, "change_rate", severity, passed, round(implied, 4), rate.value, message, evidence, location
    )


def _earlier_check(change: pd.Series, base: pd.Series, earlier: pd.Series, tol: Tolerance) -> Finding:
    stated = base.value - earlier.value
    allowed = max(tol.money, change.precision + base.precision + earlier.precision)
    diff = change.value - stated
    severity, passed = _judge(diff, allowed)
    message = (
        f"增减额：{_describe(base)}，上年{_fmt(earlier.value)}万元，相差{_fmt(round(stated, 2))}万元，"
        f"文中增减额为{_fmt(change.value)}万元，{'相符' if passed else '不符'}"
    )
    evidence, location = _evidence([base, earlier, change])
    return Finding(
        change.doc_id, "change_amount", severity, passed, round(stated, 6), change.value, message, evidence, location
    )
