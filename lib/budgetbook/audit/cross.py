"""Across a department's documents: a budget's implied earlier figure against that year's documents, and
budget against actual."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from budgetbook.audit.model import Finding, Tolerance, _describe, _evidence, _fmt, _judge
from budgetbook.extract.vocab import load


def cross_document_checks(facts: pd.DataFrame, documents: pd.DataFrame, tol: Tolerance) -> Iterator[Finding]:
    docs = documents.dropna(subset=["department"]).loc[lambda d: d.department != ""]
    for _, same in docs.groupby("department"):
        if len(same) < 2:
            continue
        ids = set(same.doc_id)
        pool = facts.loc[facts.doc_id.isin(ids)]
        yield from _implied_earlier(pool, same, tol)
        yield from _budget_against_actual(pool, same)


def _implied_earlier(pool: pd.DataFrame, docs: pd.DataFrame, tol: Tolerance) -> Iterator[Finding]:
    for measure in load("checks")["changes"]["measures"]:
        change_measure = load("checks")["changes"]["stems"].get(measure, measure)
        for _, change in pool.loc[(pool.measure == f"{change_measure}.change") & (pool.basis == "budget")].iterrows():
            base = pool.loc[
                (pool.doc_id == change.doc_id)
                & (pool.group == change.group)
                & (pool.measure == measure)
                & (pool.year == change.year)
            ]
            others = pool.loc[
                (pool.doc_id != change.doc_id)
                & (pool.measure == measure)
                & (pool.year == change.year - 1)
                & (pool.basis == "budget")
            ]
            if base.empty or others.empty:
                continue
            base, other = base.iloc[0], others.iloc[0]
            implied = base.value - change.value
            diff = other.value - implied
            allowed = max(tol.money, base.precision + change.precision + other.precision)
            severity, passed = _judge(diff, allowed, shortfall_is_error=False)
            severity = severity if passed else "warning"  # documents may compare on different bases (同口径)
            message = (
                f"跨文件：{base.year}年{_describe(base)}、增减{_fmt(change.value)}万元，推算{change.year - 1}年预算"
                f"为{_fmt(round(implied, 2))}万元；{other.doc_id}所载为{_fmt(other.value)}万元，"
                f"{'相符' if passed else '不符'}"
            )
            evidence, location = _evidence([base, change, other])
            yield Finding(
                change.doc_id,
                "implied_prior_year",
                severity,
                passed,
                round(implied, 6),
                other.value,
                message,
                evidence,
                location,
            )


def _budget_against_actual(pool: pd.DataFrame, docs: pd.DataFrame) -> Iterator[Finding]:
    budgets = docs.loc[docs.doc_kind == "budget"]
    outturns = docs.loc[docs.doc_kind.isin(["final_account", "self_evaluation"])]
    for _, b in budgets.iterrows():
        for _, a in outturns.loc[outturns.fiscal_year == b.fiscal_year].iterrows():
            budget = pool.loc[
                (pool.doc_id == b.doc_id)
                & (pool.measure == "expenditure.total")
                & (pool.year == b.fiscal_year)
                & (pool.basis == "budget")
            ]
            actual = pool.loc[
                (pool.doc_id == a.doc_id)
                & (pool.measure == "expenditure.total")
                & (pool.year == b.fiscal_year)
                & (pool.basis == "actual")
            ]
            if budget.empty or actual.empty:
                continue
            bv, av = budget.iloc[0], actual.iloc[0]
            rate = av.value / bv.value * 100 if bv.value else float("nan")
            message = (
                f"预算与执行：{b.fiscal_year}年支出预算{_fmt(bv.value)}万元，"
                f"执行{_fmt(av.value)}万元，执行率{rate:.2f}%"
            )
            evidence, location = _evidence([bv, av])
            yield Finding(b.doc_id, "budget_vs_actual", "info", True, bv.value, av.value, message, evidence, location)
