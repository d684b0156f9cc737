"""The audit: does each disclosure add up, and does it agree with itself and its siblings?

Checks run on the tidy frames (so `budgetbook check` can re-run them alone). Rules and
tolerances are data (`data/checks.toml`). Each finding names every figure involved with its
evidence and location. A difference within the tolerance — or within the rounding of the
figures as printed (13434万元 against 134,339,860元) — is info and counts as passed.

- parts against their total, within one paragraph or one table;
- stated shares (占X%) against the share the stated figures give;
- a stated change against its rate and against the stated earlier figure;
- one measure stated twice in a document with different values;
- across a department's documents: a budget's implied earlier figure against that year's
  documents, and budget against actual;
- self-evaluations: 得分 not above 分值, indicator scores adding up to the total score.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

import pandas as pd

from budgetbook.extract.tables import table_kind
from budgetbook.extract.vocab import load
from budgetbook.text import parse_number, squash

_TABLE = re.compile(r"\b(t\d+)\b")
# the standard tables, which must print every total (a procurement list may leave a total blank)
BLANK_TOTAL_KINDS = {"summary", "fiscal_summary", "revenue", "expenditure", "basic"}
ITEM_MEASURES = ("expenditure.function", "expenditure.economic", "project")


@dataclass(frozen=True)
class Tolerance:
    money: float = 0.01  # 万元
    percent: float = 0.01  # percentage points

    @classmethod
    def default(cls) -> Tolerance:
        t = load("checks")["tolerance"]
        return cls(float(t["money"]), float(t["percent"]))


@dataclass(frozen=True)
class Finding:
    doc_id: str
    check: str
    severity: str  # error, warning, info
    passed: bool
    expected: float | None
    actual: float | None
    message: str
    evidence: str
    location: str

    @property
    def difference(self) -> float | None:
        if self.expected is None or self.actual is None:
            return None
        return round(self.actual - self.expected, 6)

    def record(self) -> dict:
        return {**self.__dict__, "difference": self.difference}


def _fmt(value: float) -> str:
    return f"{value:,.6f}".rstrip("0").rstrip(".")


def _describe(f: pd.Series) -> str:
    item = f["item"]
    name = f.measure + (f"[{item}]" if item else "")
    return f"{name}={_fmt(f.value)}{f.unit}"


def _evidence(facts: list[pd.Series]) -> tuple[str, str]:
    """Evidence and locations of every figure involved, in one string each."""
    evidence = " ‖ ".join(dict.fromkeys(str(f.evidence) for f in facts))
    location = " ‖ ".join(dict.fromkeys(f"{f.doc_id} {f.location}" for f in facts))
    return evidence, location


def _judge(diff: float, tol: float, shortfall_is_error: bool = True) -> tuple[str, bool]:
    if abs(diff) <= tol + 1e-9:
        return "info", True
    return ("error", False) if diff > 0 or shortfall_is_error else ("warning", False)


def with_groups(facts: pd.DataFrame) -> pd.DataFrame:
    """Facts with the group they were stated in: their table, else their paragraph."""
    table = facts.location.fillna("").str.extract(_TABLE.pattern, expand=False)
    group = table.where(table.notna() & (facts.source == "table"), facts.location.fillna(""))
    return facts.assign(
        group=group.astype(str),
        item=facts.item.fillna(""),
        basis=facts.basis.fillna(""),
        precision=facts.precision.fillna(0.0),
        scope=facts.scope.fillna(""),
    )


# --- parts against totals -------------------------------------------------------------------


def sum_checks(facts: pd.DataFrame, tol: Tolerance) -> Iterator[Finding]:
    rules = load("checks")["sum"]
    wanted = {r["total"] for r in rules} | {p.partition(":")[0] for r in rules for p in r["parts"]}
    wanted |= {"sangong.vehicle_purchase", "sangong.vehicle_operation"}
    relevant = facts.loc[facts.measure.isin(wanted)]
    for (doc_id, _, _, _), g in relevant.groupby(["doc_id", "group", "year", "basis"], dropna=False, sort=False):
        by_measure = dict(list(g.groupby("measure", sort=False)))
        for rule in rules:
            if rule["total"] not in by_measure:
                continue
            for _, total in by_measure[rule["total"]].drop_duplicates("value").iterrows():
                found = _sum_rule(doc_id, by_measure, total, rule, tol)
                if found:
                    yield found


def _parts(by_measure: dict[str, pd.DataFrame], rule: dict) -> list[pd.Series]:
    parts: list[pd.Series] = []
    for part in rule["parts"]:
        measure, _, item = part.partition(":")
        hits = by_measure.get(measure)
        if hits is None:
            continue
        hits = hits.loc[hits.item == item] if item else hits
        hits = hits.drop_duplicates("item") if measure in ITEM_MEASURES else hits.head(1)
        parts.extend(row for _, row in hits.iterrows())
    if rule["total"] == "sangong.total" and not any(p.measure == "sangong.vehicle" for p in parts):
        vehicle = [
            by_measure[m].iloc[0] for m in ("sangong.vehicle_purchase", "sangong.vehicle_operation") if m in by_measure
        ]
        parts.extend(vehicle if len(vehicle) == 2 else [])
    return parts


def _without_children(parts: list[pd.Series], tol: float) -> list[pd.Series]:
    """Drop the runs of parts that add up to the part just before them (一、 6000 = 1、5000 + 2、1000).

    Only rows of a table nest; a sentence's list is flat (and its sums can agree by chance).
    """
    if not all(p.source == "table" for p in parts):
        return parts
    kept, i = [], 0
    while i < len(parts):
        kept.append(parts[i])
        running, j = 0.0, i + 1
        while j < len(parts) and running < parts[i].value - tol:
            running += parts[j].value
            j += 1
        i = j if j > i + 1 and abs(running - parts[i].value) <= tol else i + 1
    return kept


def _sum_rule(doc_id: str, by_measure: dict, total: pd.Series, rule: dict, tol: Tolerance) -> Finding | None:
    if total.scope:
        return None  # a total of the 财政拨款 part is not the sum of the department's parts
    parts = [p for p in _parts(by_measure, rule) if p.name != total.name and not p.scope]
    if rule.get("nested"):
        parts = _without_children(parts, tol.money)
    if len(parts) < rule.get("min_parts", 2):
        return None
    stated = sum(p.value for p in parts)
    if stated == 0 and total.value != 0 and not rule.get("complete", False):
        return None  # only zero lines listed: nothing to compare
    diff = stated - total.value
    allowed = max(tol.money, total.precision + sum(p.precision for p in parts))
    severity, passed = _judge(diff, allowed, rule.get("complete", False))
    listing = " + ".join(f"{p['item'] or p.measure}{_fmt(p.value)}" for p in parts)
    verdict = "相符" if passed else ("超过" if diff > 0 else "不足")
    message = (
        f"{rule['name']}：{_describe(total)}，各部分合计{_fmt(stated)}（{listing}），"
        f"{verdict}，差额{_fmt(diff)}{total.unit}"
    )
    evidence, location = _evidence([total, *parts])
    return Finding(
        doc_id, f"sum:{rule['name']}", severity, passed, total.value, round(stated, 6), message, evidence, location
    )


# --- shares -------------------------------------------------------------------------------


def share_checks(facts: pd.DataFrame, tol: Tolerance) -> Iterator[Finding]:
    shares = facts.loc[facts.measure.str.endswith(".share")]
    by_group = dict(list(facts.loc[facts.doc_id.isin(shares.doc_id)].groupby(["doc_id", "group"], sort=False)))
    for _, share in shares.iterrows():
        g = by_group[(share.doc_id, share.group)]
        part = g.loc[(g.measure == share.measure.removesuffix(".share")) & (g.item == share["item"])]
        bases = [b for b in _share_bases(facts, g, share) if b[0] != 0]
        if part.empty or not bases:
            continue
        part = part.iloc[0]
        judged = [_share_against(share, part, base, tol) for base in bases]
        passed = [j for j in judged if j[1]]
        computed, ok, base_facts, value = (passed or sorted(judged, key=lambda j: abs(j[0] - share.value)))[0]
        # off by one unit of its last printed digit (59.0% for 58.94%): mis-rounded, a warning
        misrounded = abs(computed - share.value) <= max(tol.percent, 2 * share.precision) + share.precision
        severity = "info" if ok else ("warning" if misrounded else "error")
        message = (
            f"占比：{_describe(part)}占{_fmt(value)}万元的{_fmt(round(computed, 4))}%，"
            f"文中为{_fmt(share.value)}%，{'相符' if ok else '不符'}"
        )
        evidence, location = _evidence([share, part, *base_facts])
        yield Finding(share.doc_id, "share", severity, ok, round(computed, 4), share.value, message, evidence, location)


def _share_against(share: pd.Series, part: pd.Series, base: tuple, tol: Tolerance) -> tuple[float, bool, list, float]:
    value, precision, base_facts = base
    computed = part.value / value * 100
    allowed = max(tol.percent, share.precision + (part.precision / value + part.value * precision / value**2) * 100)
    return computed, abs(share.value - computed) <= allowed + 1e-9, base_facts, value


def _share_bases(facts: pd.DataFrame, g: pd.DataFrame, share: pd.Series) -> list[tuple[float, float, list]]:
    """Candidate bases: an amount given inline ("=3055.44"), else the stated figures of the base measures."""
    of = str(share.of or "")
    if of.startswith("="):
        return [(float(of[1:]), 0.005, [])]
    out = []
    for measure in of.split("|"):
        for pool in (g, facts.loc[(facts.doc_id == share.doc_id) & (facts.year == share.year)]):
            hits = pool.loc[(pool.measure == measure) & (pool.basis == share.basis)]  # any scope: 财政拨款 totals too
            out.extend((h.value, h.precision, [h]) for _, h in hits.drop_duplicates("value").iterrows())
            if not hits.empty:
                break
    return out


# --- changes ------------------------------------------------------------------------------


def change_checks(facts: pd.DataFrame, tol: Tolerance) -> Iterator[Finding]:
    changes = facts.loc[facts.measure.str.endswith(".change")]
    by_group = dict(list(facts.loc[facts.doc_id.isin(changes.doc_id)].groupby(["doc_id", "group"], sort=False)))
    for measure in load("checks")["changes"]["measures"]:
        change_measure = {"revenue.total": "revenue", "expenditure.total": "expenditure"}.get(measure, measure)
        for _, change in changes.loc[changes.measure == f"{change_measure}.change"].iterrows():
            g = by_group[(change.doc_id, change.group)]
            base = g.loc[(g.measure == measure) & (g.year == change.year) & (g.basis == change.basis)]
            if base.empty:
                continue
            base = base.iloc[0]
            rate = g.loc[g.measure == f"{change_measure}.change_pct"]
            earlier = g.loc[(g.measure == measure) & (g.year == change.year - 1)]
            if not rate.empty:
                yield from _rate_check(change, base, rate.iloc[0], tol)
            if not earlier.empty:
                yield _earlier_check(change, base, earlier.iloc[0], tol)


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


# --- one measure, two values ----------------------------------------------------------------


def duplicate_checks(facts: pd.DataFrame, tol: Tolerance) -> Iterator[Finding]:
    keys = ["doc_id", "measure", "item", "year", "basis", "scope"]
    grouped = facts.groupby(keys, dropna=False, sort=False)
    several = (grouped.value.transform("nunique") > 1) & (grouped.evidence.transform("nunique") > 1)
    for (doc_id, measure, *_), g in facts.loc[several].groupby(keys, dropna=False, sort=False):
        if g.value.nunique() < 2 or measure.endswith(".share") or g.evidence.nunique() < 2 or g.scope.iloc[0]:
            continue  # one sentence giving two values (46.64万元，压减后安排36万元) is a restatement
        low, high = g.loc[g.value.idxmin()], g.loc[g.value.idxmax()]
        diff = high.value - low.value
        allowed = max(tol.percent if low.unit == "%" else tol.money, low.precision + high.precision)
        severity, passed = _judge(diff, allowed)
        if not passed and (measure == "project" or g.value.nunique() > 2 or diff > 0.5 * abs(high.value)):
            severity = "warning"  # three values, or far apart: more likely two quantities (口径, projects)
        elif not passed and _truncated(low, high):
            severity = "warning"  # 1256 against 1256.5793, 57 against 57.59: truncated, not rounded
        values = "、".join(f"{_fmt(v)}（{src}）" for v, src in dict.fromkeys(zip(g.value, g.source, strict=True)))
        note = "，属舍入差异" if passed else ("，可能为不同口径或不同事项" if severity == "warning" else "")
        message = (
            f"同一数据多处不一致：{_describe(low)}，文中各处为{values}，最大相差{_fmt(round(diff, 6))}{high.unit}{note}"
        )
        evidence, location = _evidence([row for _, row in g.iterrows()])
        yield Finding(doc_id, "stated_twice", severity, passed, low.value, high.value, message, evidence, location)


def _truncated(a: pd.Series, b: pd.Series) -> bool:
    """Is the coarser figure the finer one cut (not rounded) to its printed precision?"""
    coarse, fine = (a, b) if a.precision > b.precision else (b, a)
    step = 2 * coarse.precision
    return step > 0 and abs(math.trunc(fine.value / step) * step - coarse.value) < 1e-6


# --- across a department's documents --------------------------------------------------------


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
        change_measure = {"revenue.total": "revenue", "expenditure.total": "expenditure"}.get(measure, measure)
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


# --- self-evaluation scores -----------------------------------------------------------------


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
    for doc_id, g in scored.groupby("doc_id"):
        totals = facts.loc[(facts.doc_id == doc_id) & (facts.measure == "performance.score")]
        if totals.empty:
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


# --- totals left blank -----------------------------------------------------------------------


def blank_total_checks(tables: pd.DataFrame, cells: pd.DataFrame) -> Iterator[Finding]:
    """A 合计/总计 row whose amount is blank where the column has figures (上海 收支总表's 收入总计)."""
    totals = {squash(t) for t in load("tables")["columns"]["totals"]} | {"本年收入合计", "本年支出合计"}
    keys = list(zip(tables.doc_id, tables.table_id, strict=True))
    titles = dict(zip(keys, tables.title, strict=True))
    standard = {k for k, title in titles.items() if (kind := table_kind(str(title))) and kind.name in BLANK_TOTAL_KINDS}
    in_standard = [k in standard for k in zip(cells.doc_id, cells.table_id, strict=True)]
    for (doc_id, table_id), t in cells.loc[in_standard].groupby(["doc_id", "table_id"], sort=False):
        grid = t.pivot_table(index="row", columns="col", values="text", aggfunc="first").fillna("")
        # an amount shows decimals or thousands separators; 类/款/项 codes (201, 2010101) never do
        figures = grid.map(lambda x: parse_number(x) is not None and bool(re.search(r"[.,，]", x)))
        for r, row in grid.iterrows():
            for c in range(grid.shape[1] - 1):
                label = squash(row.iloc[c])
                if label not in totals or row.iloc[c + 1].strip() or figures.iloc[:, c + 1].sum() < 2:
                    continue
                title = titles.get((doc_id, table_id), "")
                page = t.loc[t.row == r, "page"].iloc[0]
                location = (
                    f"{doc_id} p{page} t{table_id} r{r} c{c + 1}" if pd.notna(page) else f"{doc_id} t{table_id} r{r}"
                )
                message = f"合计未填：{title}「{row.iloc[c].strip()}」一栏金额为空，而该栏其他行有数"
                yield Finding(
                    doc_id,
                    "blank_total",
                    "warning",
                    False,
                    None,
                    None,
                    message,
                    f"{title}｜{row.iloc[c].strip()}｜（空）",
                    location,
                )


def run_checks(frames: dict[str, pd.DataFrame], tol: Tolerance | None = None) -> list[Finding]:
    """Every finding for the documents in `frames`."""
    tol = tol or Tolerance.default()
    facts = with_groups(frames["facts"])
    findings = [
        *sum_checks(facts, tol),
        *share_checks(facts, tol),
        *change_checks(facts, tol),
        *duplicate_checks(facts, tol),
        *cross_document_checks(facts, frames["documents"], tol),
        *score_checks(frames["indicators"], facts),
    ]
    if "table_cells" in frames and "tables" in frames:
        findings.extend(blank_total_checks(frames["tables"], frames["table_cells"]))
    return ocr_guard(findings, facts)


LOW_CONFIDENCE = 0.9  # a figure OCR read with less confidence than this may be misread


def ocr_guard(findings: list[Finding], facts: pd.DataFrame) -> list[Finding]:
    """An error that rests on a figure OCR read with low confidence is only a warning."""
    if "confidence" not in facts:
        return findings
    low = facts[facts.confidence.lt(LOW_CONFIDENCE).fillna(False)]
    places = set(low.doc_id.astype(str) + " " + low.location.astype(str))
    if not places:
        return findings
    return [
        replace(f, severity="warning", message=f"{f.message}（涉及OCR低置信度数字，可能是识别错误）")
        if f.severity == "error" and places & set(f.location.split(" ‖ "))
        else f
        for f in findings
    ]
