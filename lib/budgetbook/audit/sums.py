"""Parts against their total, within one paragraph or one table (data/checks.toml [[sum]])."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from budgetbook.audit.figures import _FIGURE_COLUMNS, ITEM_MEASURES
from budgetbook.audit.model import (
    Finding,
    Row,
    Tolerance,
    _describe,
    _evidence,
    _first_per,
    _fmt,
    _judge,
    _key,
    _name,
    rows,
)
from budgetbook.extract.vocab import load


def sum_checks(facts: pd.DataFrame, tol: Tolerance) -> Iterator[Finding]:
    rules = load("checks")["sum"]
    wanted = {r["total"] for r in rules} | {p.partition(":")[0] for r in rules for p in r["parts"]}
    wanted |= {"sangong.vehicle_purchase", "sangong.vehicle_operation"}
    relevant = facts.loc[facts.measure.isin(wanted) & ~facts.doubtful, _FIGURE_COLUMNS]
    groups: dict[tuple, dict[str, list[Row]]] = {}
    for row in rows(relevant):  # rows once, then plain lists: pandas per small group costs ~1 ms a call
        key = (row.doc_id, row.group, _key(row.year), row.basis)
        groups.setdefault(key, {}).setdefault(row.measure, []).append(row)
    for (doc_id, _, _, _), by_measure in groups.items():
        in_table = all(r.source == "table" for rows in by_measure.values() for r in rows)
        for rule in rules:
            if rule["total"] not in by_measure or (in_table and rule.get("prose_only")):
                continue  # a standard table's own arithmetic is checked on its cells (audit.tables)
            for total in _first_per(by_measure[rule["total"]], "value"):
                found = _sum_rule(doc_id, by_measure, total, rule, tol)
                if found:
                    yield found


def _parts(by_measure: dict[str, list[pd.Series]], rule: dict) -> list[pd.Series]:
    parts: list[pd.Series] = []
    for part in rule["parts"]:
        measure, _, item = part.partition(":")
        hits = by_measure.get(measure)
        if hits is None:
            continue
        hits = [h for h in hits if h["item"] == item] if item else hits
        parts.extend(_first_per(hits, "item") if measure in ITEM_MEASURES else hits[:1])
    if rule["total"] == "sangong.total" and not any(p.measure == "sangong.vehicle" for p in parts):
        vehicle = [
            by_measure[m][0] for m in ("sangong.vehicle_purchase", "sangong.vehicle_operation") if m in by_measure
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
    if total.scope or total.context:
        return None  # a total of the 财政拨款 part is not the sum of the department's parts
    parts = [p for p in _parts(by_measure, rule) if p.name != total.name and not p.scope]
    if any(p.context for p in parts):
        return None
    if rule.get("nested"):
        parts = _without_children(parts, tol.money)
    if len(parts) < rule.get("min_parts", 2):
        return None
    others = [p for p in parts if abs(p.value) > tol.money]
    whole = any(abs(p.value - total.value) <= max(tol.money, p.precision) for p in others)
    if rule.get("nested") and len(others) > 1 and whole:
        return None  # a list holding its own total (全额, a subtotal read as a project): not a list of parts
    stated = sum(p.value for p in parts)
    if stated == 0 and total.value != 0 and not rule.get("complete", False):
        return None  # only zero lines listed: nothing to compare
    diff = stated - total.value
    allowed = max(tol.money, total.precision + sum(p.precision for p in parts))
    severity, passed = _judge(diff, allowed, rule.get("complete", False))
    if severity == "warning":
        severity = "info"  # a sentence listing only the main parts: nothing to report
    listing = " + ".join(f"{p['item'] or _name(p)}{_fmt(p.value)}" for p in parts)
    verdict = "相符" if passed else ("超过" if diff > 0 else "不足")
    message = (
        f"{rule['name']}：{_describe(total)}，各部分合计{_fmt(stated)}（{listing}），"
        f"{verdict}，差额{_fmt(diff)}{total.unit}"
    )
    evidence, location = _evidence([total, *parts])
    return Finding(
        doc_id, f"sum:{rule['name']}", severity, passed, total.value, round(stated, 6), message, evidence, location
    )
