"""Self-evaluations: 得分 not above 分值, indicator scores adding up to the total score."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from budgetbook.audit.model import Finding, _fmt, _judge


def score_checks(indicators: pd.DataFrame, facts: pd.DataFrame) -> Iterator[Finding]:
    scored = indicators.assign(
        w=pd.to_numeric(indicators.weight, errors="coerce"), s=pd.to_numeric(indicators.score, errors="coerce")
    ).dropna(subset=["s"])
    for _, row in scored.loc[scored.s > scored.w].iterrows():
        yield Finding(
            row.doc_id,
            "score_above_weight",
            "error",
            False,
            row.w,
            row.s,
            f"得分高于分值：{row.level3}得分{_fmt(row.s)}，分值{_fmt(row.w)}",
            row.level3,
            f"{row.doc_id} {row.location}",
        )
    scored = scored.assign(project=scored.project.fillna("") if "project" in scored else "")
    forms = scored.groupby("doc_id").project.nunique()
    for (doc_id, project), g in scored.groupby(["doc_id", "project"]):
        totals = facts.loc[(facts.doc_id == doc_id) & (facts.measure == "performance.score")]
        item = totals["item"].fillna("")
        # each form's indicators against its own 总分: by its project, or the document's one total for one form
        totals = totals.loc[item == project] if (item == project).any() else totals.loc[item == ""]
        if totals.empty or (forms.get(doc_id, 1) > 1 and not project):
            continue
        if forms.get(doc_id, 1) > 1 and (totals["item"].fillna("") != project).all():
            continue
        total = totals.iloc[0]
        stated = g.s.sum()
        severity, passed = _judge(stated - total.value, 0.005)
        message = (
            f"自评得分：各指标得分合计{_fmt(stated)}分，总分为{_fmt(total.value)}分，{'相符' if passed else '不符'}"
        )
        yield Finding(
            doc_id,
            "score_total",
            severity,
            passed,
            total.value,
            stated,
            message,
            str(total.evidence),
            f"{doc_id} {total.location}",
        )
