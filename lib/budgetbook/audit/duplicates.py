"""One measure stated twice in a document with different values, and a figure the text states for a scope
against the standard table of that scope."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pandas as pd

from budgetbook.audit.figures import SANGONG
from budgetbook.audit.model import Finding, Tolerance, _evidence_of, _fmt, _judge, _name, _truncated, _where, rows
from budgetbook.extract.vocab import load


def _zero_statements(facts: pd.DataFrame) -> pd.Series:
    """ "三公" figures stated as none: a blank cell of the table, or 0 (无…) in the text. They are compared
    by the "三公" table check, not as a figure stated twice."""
    blank = (facts.source == "table") & facts.evidence.astype(str).str.endswith("｜（空）")
    return facts.measure.isin(SANGONG) & (facts.value.abs() < 1e-9) & ((facts.source == "prose") | blank)


def duplicate_checks(facts: pd.DataFrame, tol: Tolerance) -> Iterator[Finding]:
    """One figure of one identity (measure, item, year, basis, scope, entity) printed with two values.

    Only figures whose identity is sure are compared: not a prose figure whose sentence or section
    names a narrower scope, not a comparison base, not two rows of one table (its arithmetic is
    checked on its cells), not a value that a figure of another scope of the document explains.
    """
    keys = ["doc_id", "measure", "item", "year", "basis", "scope", "entity"]
    loose = set(load("checks")["identity"]["loose"])
    sure = facts.loc[
        ~facts.doubtful
        & (facts.context == facts.scope)
        & ~facts.measure.str.endswith(".share")
        & ~facts.measure.isin(loose)
        & ~((facts.source == "prose") & facts.measure.isin(_sources()))
        & ~_zero_statements(facts),
        [*keys, "value", "unit", "precision", "evidence", "location", "source", "group"],  # what is read below
    ]
    grouped = sure.groupby(keys, dropna=False, sort=False)
    several = (grouped.value.transform("nunique") > 1) & (grouped.evidence.transform("nunique") > 1)
    others = _other_scopes(facts)
    forms = _several_forms(facts)
    for (doc_id, measure, *_), g in sure.loc[several].groupby(keys, dropna=False, sort=False):
        if g.scope.iloc[0] or (measure in FORM_MEASURES and doc_id in forms):
            continue  # a document of several self-evaluation forms: a score is not known to be of one
        ambiguous = _ambiguous(g)
        g = _one_per_table(g)
        if g.value.nunique() > 1:  # rows of the columns `_explained` reads, not of all of them
            g = g.loc[[not _explained(r, others) for r in rows(g[_EXPLAINED_COLUMNS])]]
        g = _without_unit_slips(g)
        if g.value.nunique() < 2 or g.evidence.nunique() < 2:
            continue  # one sentence giving two values (46.64万元，压减后安排36万元) is a restatement
        found = _twice(doc_id, measure, g, tol)
        if ambiguous and not found.passed:
            why = "同一表格或句子中该项有两个不同数值（如上年结转与上年结余），口径未能区分"
            found = replace(found, severity="info", grade="未能核对", why=why, message=f"{found.message}（{why}）")
        yield found


def _ambiguous(g: pd.DataFrame) -> bool:
    """One table or one sentence gives the identity two values of its own, side by side (上年结转13102.70万元、
    上年实户资金余额3262.49万元 both read as 上年结转结余), or the document gives it three or more: the
    reader has not told several items apart."""
    slips = _without_unit_slips(g)
    return slips.value.nunique() > 2 or bool((slips.groupby("group").value.nunique() > 1).any())


FORM_MEASURES = ("performance.score",)


def _several_forms(facts: pd.DataFrame) -> set[str]:
    """Documents holding the scores of several self-evaluation forms (several projects' 总分)."""
    scores = facts.loc[facts.measure.isin(FORM_MEASURES)]
    counts = scores.assign(item=scores["item"].fillna("")).groupby("doc_id")["item"].nunique()
    return set(counts[counts > 1].index)


SCOPED_TABLE_KINDS = {"summary", "fiscal_summary", "revenue", "expenditure", "basic", "function"}


def scoped_checks(facts: pd.DataFrame, tol: Tolerance) -> Iterator[Finding]:
    """A figure the text states for a scope (财政拨款, 一般公共预算 — in its sentence, its section or the
    paragraph it continues) against the standard table of that scope, same measure, item, year and basis.

    Only text against table: the sentence's figure is compared with the table's, never two tables or two
    sentences. Not compared: a figure some table of the document prints for this measure and item in any
    scope (the sentence may name its scope loosely), an item of a part (项目支出…其中：教育支出), a total
    of a "三公"/机关运行经费/procurement table.
    """
    keys = ["doc_id", "measure", "item", "year", "basis", "scope", "entity"]
    scoped = facts.assign(scope=facts.scope.where(facts.scope != "", facts.context))
    scoped = scoped.loc[
        (scoped.scope != "")
        & ~scoped.doubtful
        & scoped.measure.str.startswith(("revenue.", "expenditure."))
        & ~scoped.measure.str.endswith((".share", ".change", ".change_pct"))
        & ~scoped.measure.isin(_sources())
    ]
    kinds = scoped.table_kind.fillna("") if "table_kind" in scoped else pd.Series("", index=scoped.index)
    titles = scoped.evidence.astype(str).str.split("｜").str[0]
    other = titles.str.contains("|".join(load("checks")["identity"]["topic_tables"]))
    table = scoped.loc[(scoped.source == "table") & kinds.isin(SCOPED_TABLE_KINDS) & ~other]
    prose = scoped.loc[(scoped.source == "prose") & ~scoped.in_part]
    if table.empty or prose.empty:
        return
    printed = facts.loc[facts.source == "table"].groupby(["doc_id", "measure", "item", "year"]).value.agg(list)
    cells = {k: g for k, g in table.groupby(keys, dropna=False, sort=False)}
    for key, said in prose.groupby(keys, dropna=False, sort=False):
        g = cells.get(key)
        if g is None:
            continue
        g = _one_per_table(g)
        for row in said.drop_duplicates("value").itertuples():
            values = printed.get((row.doc_id, row.measure, row.item, row.year), [])
            if any(abs(v - row.value) <= max(row.precision, 0.005) + 1e-9 for v in values):
                continue  # a figure some table prints: not known to be of another value
            both = pd.concat([said.loc[[row.Index]], g])
            finding = _twice(row.doc_id, row.measure, both, tol)
            if not finding.passed:
                yield replace(finding, message=f"{finding.message}（口径：{row.scope}）")


def _without_unit_slips(g: pd.DataFrame) -> pd.DataFrame:
    """Drop values that are another value of the group read in the wrong unit (元 taken as 万元)."""
    values = list(g.value)
    distinct = list(dict.fromkeys(values))  # each value judged once against each other value once, not row by row
    slip = {v: any(v and abs(v - 10000 * w) <= 0.5 * abs(w) * 1e-3 + 1e-6 for w in distinct if w) for v in distinct}
    return g.loc[[not slip[v] for v in values]]


def _sources() -> set[str]:
    """Revenue sources: in prose their own name carries a scope word (一般公共预算拨款收入), and the
    sentences state them for the department, for 财政拨款 or per fund alike: compared in tables only."""
    return set(load("checks")["sum"][0]["parts"])


def _one_per_table(g: pd.DataFrame) -> pd.DataFrame:
    """Rows of one table stating one measure twice are its own arithmetic's business: keep the first."""
    in_table = g.source == "table"
    return g.loc[~(in_table & g.group.where(in_table).duplicated())]  # a prose row is never a repeat


def _other_scopes(facts: pd.DataFrame) -> dict[tuple, list[float]]:
    """Values of each (document, measure, item, year) stated for a narrower scope or in a scoped context."""
    narrow = facts.loc[(facts.scope != "") | (facts.context != "")]
    # each value once: a long document restates its figures, and every figure compared scans the list
    groups = narrow.groupby(["doc_id", "measure", "item", "year"], sort=False)
    return {k: list(dict.fromkeys(g.value)) for k, g in groups}


_EXPLAINED_COLUMNS = ["doc_id", "measure", "item", "year", "source", "value", "precision"]


def _explained(f: pd.Series, others: dict[tuple, list[float]]) -> bool:
    if f.source != "prose":
        return False
    value, allowed = f.value, max(f.precision, 0.005) + 1e-9  # read once, not per value compared
    return any(abs(v - value) <= allowed for v in others.get((f.doc_id, f.measure, f["item"], f.year), []))


def _twice(doc_id: str, measure: str, g: pd.DataFrame, tol: Tolerance) -> Finding:
    low, high = g.loc[g.value.idxmin()], g.loc[g.value.idxmax()]
    diff = high.value - low.value
    allowed = max(tol.percent if low.unit == "%" else tol.money, low.precision + high.precision)
    severity, passed = _judge(diff, allowed)
    if not passed and _truncated(low, high):
        severity = "warning"  # 1256 against 1256.5793, 57 against 57.59: truncated, not rounded
    # not below the tolerance, within the printed rounding only: a rounding difference needs two precisions
    tolerated = tol.percent if low.unit == "%" else tol.money
    same_precision = passed and diff > 1e-9 and diff >= tolerated - 1e-9 and g.precision.nunique() == 1
    same_precision = same_precision and low.precision > 0
    if same_precision:  # 104.98 against 104.99, both to the cent: no rounding makes one figure both
        severity, passed = "warning", False
    values = "；".join(
        f"{_fmt(r.value)}{r.unit}（{_where(r)}）"
        for r in rows(g[["value", "unit", "location", "source", "evidence"]].drop_duplicates(["value", "location"]))
    )
    note = (
        "，属舍入差异"
        if passed
        else "，两处精度相同，不是舍入差异"
        if same_precision
        else "，较精确的数字被截断而非四舍五入"
        if severity == "warning"
        else ""
    )
    message = f"同一数字前后不一致：{_name(low)}，{values}，最大相差{_fmt(round(diff, 6))}{high.unit}{note}"
    evidence, location = _evidence_of(g)
    return Finding(doc_id, "stated_twice", severity, passed, low.value, high.value, message, evidence, location)
