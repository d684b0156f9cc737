"""Stated shares (占X%) against the share the stated figures give, and the shares of one list adding up to
more than 100%."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from budgetbook.audit.figures import _FIGURE_COLUMNS, _at_value, _numbers
from budgetbook.audit.model import Finding, Row, Tolerance, _describe, _evidence, _first_per, _fmt, _key, _where, rows


def share_checks(facts: pd.DataFrame, tol: Tolerance) -> Iterator[Finding]:
    shares = facts.loc[facts.measure.str.endswith(".share")]
    by_group: dict[tuple, dict[str, list[Row]]] = {}
    by_year: dict[tuple, dict[str, list[Row]]] = {}  # not a scan of all facts per share
    # only the measures a share names (its part, its bases): every other figure is never looked up
    named = {m.removesuffix(".share") for m in shares.measure.tolist()}
    named |= {m for of in shares.of.fillna("").tolist() for m in of.split("|")}
    for row in rows(facts.loc[facts.doc_id.isin(shares.doc_id) & facts.measure.isin(named), _FIGURE_COLUMNS]):
        by_group.setdefault((row.doc_id, row.group), {}).setdefault(row.measure, []).append(row)
        by_year.setdefault((row.doc_id, _key(row.year)), {}).setdefault((row.measure, row.basis), []).append(row)
    by_year = {key: {mb: _first_per(rows, "value") for mb, rows in pool.items()} for key, pool in by_year.items()}
    judged_all = []
    for share in rows(shares[_FIGURE_COLUMNS]):
        g = by_group.get((share.doc_id, share.group), {})
        part = [p for p in g.get(share.measure.removesuffix(".share"), []) if p["item"] == share["item"]]
        same_year = by_year.get((share.doc_id, _key(share.year)), {})
        bases = [b for b in _share_bases(same_year, g, share) if b[0] != 0]
        if not part or not bases:
            continue
        judged = [_share_against(share, part[0], base, tol) for base in bases]
        passed = [j for j in judged if j[1]]
        best = (passed or sorted(judged, key=lambda j: abs(j[0] - share.value)))[0]
        judged_all.append((share, part[0], best, judged))
    confirmed = _confirmed_bases([(s, p, j) for s, p, _, judged in judged_all for j in judged])
    totals = _list_totals([(s, p, best) for s, p, best, _ in judged_all])
    for share, part, best, judged in judged_all:
        own = confirmed.get(_list_of(share), set())
        # a share of a list whose base the list pins down is judged against that base
        pinned = sorted((j for j in judged if j[3] in own), key=lambda j: not j[1])
        computed, ok, base_facts, value = pinned[0] if pinned else best
        # the base printed in the share's own sentence (支出为3055.44万元，其中：…占X%), given inline, or the
        # base the other shares of its list hold with (a breakdown checks its own base)
        inline = not base_facts or _printed_in(share.evidence, value) or value in confirmed.get(_list_of(share), ())
        near = inline or all(b.group == share.group for b in base_facts)
        if not ok and (not near or part.doubtful or (not inline and (part.context or share.context))):
            continue  # the base was found elsewhere in the document: not known to be the share's base
        # off by one unit of its last printed digit (59.0% for 58.94%): mis-rounded, a warning
        misrounded = abs(computed - share.value) <= max(tol.percent, 2 * share.precision) + share.precision
        if misrounded and _sums_to_100(share, totals):
            ok = True  # one share's last digit moved so that the list adds up to 100% (尾差调整)
        severity = "info" if ok else ("warning" if misrounded else "error")
        message = (
            f"占比：{_describe(part)}占{_fmt(value)}万元的{_fmt(round(computed, 4))}%，"
            f"文中为{_fmt(share.value)}%，{'相符' if ok else '不符'}"
        )
        evidence, location = _evidence([share, part, *base_facts])
        yield Finding(share.doc_id, "share", severity, ok, round(computed, 4), share.value, message, evidence, location)


def _list_of(share: Row) -> tuple:
    """The list a share is stated in: its document and its paragraph or table (a base the list pins down is
    taken by each share only among its own candidate bases)."""
    return share.doc_id, share.group


def _confirmed_bases(judged: list[tuple]) -> dict[tuple, set[float]]:
    """For each list of shares, the bases two of its shares hold with, one of them printed precisely enough
    to pin its base down (81.73% to 0.006% of itself; a small share to one decimal, 1.4%, holds with many
    bases): the list's own base."""
    held: dict[tuple, dict[float, list]] = {}
    for share, _, (_, ok, _, value) in judged:  # every base each share holds with, not only its first
        if ok:
            held.setdefault(_list_of(share), {}).setdefault(value, []).append(share)
    return {
        key: {
            v
            for v, shares in by_base.items()
            if (len(shares) >= 2 and any(_pins(s) for s in shares)) or any(_pins(s, 0.0005) for s in shares)
        }
        for key, by_base in held.items()
    }


def _pins(share: Row, within: float = 0.005) -> bool:
    """Is a share printed precisely enough to tell its base from another (its rounding under `within` of
    it: 0.5% with another share agreeing, 0.05% alone — 55.74% to 0.009% of itself)?"""
    return share.value > 0 and share.precision / share.value <= within


def share_total_checks(facts: pd.DataFrame, tol: Tolerance) -> Iterator[Finding]:
    """Shares of one list (one sentence or paragraph, one base) adding up to more than 100%."""
    shares = facts.loc[facts.measure.str.endswith(".share") & ~facts.doubtful & (facts.source == "prose")]
    keys = ["doc_id", "group", "measure", "of", "year", "basis"]
    shares = shares.assign(of=shares.of.fillna(""))
    for (doc_id, *_), g in shares.loc[_may_exceed(shares, keys, tol)].groupby(keys, sort=False):
        g = g.drop_duplicates(["item", "value"])
        if len(g) < 2 or g["item"].eq("").any():
            continue
        total = g.value.sum()
        allowed = max(tol.percent, g.precision.sum())
        if total <= 100 + allowed + 1e-9:
            continue
        listed = rows(g)
        listing = "、".join(f"{r['item']}{_fmt(r.value)}%" for r in listed)
        message = f"占比合计超过100%：{_where(listed[0])}所列{listing}，合计{_fmt(round(total, 4))}%"
        evidence, location = _evidence(listed)
        yield Finding(doc_id, "share_total", "error", False, 100.0, round(total, 4), message, evidence, location)


def _may_exceed(shares: pd.DataFrame, keys: list[str], tol: Tolerance) -> pd.Series:
    """The shares of lists that may add up to more than 100% (at least two named items, each stated once):
    all lists at once, so that only these are looked at one by one."""
    listed = shares.drop_duplicates([*keys, "item", "value"])
    grouped = listed.assign(blank=listed["item"].eq("")).groupby(keys, sort=False, dropna=False)
    size, blank = grouped.value.transform("size"), grouped.blank.transform("any")
    total, precision = grouped.value.transform("sum"), grouped.precision.transform("sum")
    allowed = precision.where(precision > tol.percent, tol.percent)
    candidates = listed.loc[(size >= 2) & ~blank & (total > 100 + allowed - 1e-6)]  # margin: summation order
    return shares.set_index(keys).index.isin(candidates.set_index(keys).index)


def _share_against(share: pd.Series, part: pd.Series, base: tuple, tol: Tolerance) -> tuple[float, bool, list, float]:
    value, precision, base_facts = base
    computed = part.value / value * 100
    allowed = max(tol.percent, share.precision + (part.precision / value + part.value * precision / value**2) * 100)
    return computed, abs(share.value - computed) <= allowed + 1e-9, base_facts, value


def _share_bases(same_year: dict, g: dict, share: pd.Series) -> list[tuple[float, float, list]]:
    """Candidate bases: an amount given inline ("=3055.44"), else the stated figures of the base measures
    (in the share's own table or sentence, else anywhere in its document for its year: `same_year`, the
    first fact of each value by measure and basis)."""
    of = str(share.of or "")
    if of.startswith("="):
        return [(float(of[1:]), 0.005, [])]
    out = []
    for measure in of.split("|"):
        in_group = [h for h in g.get(measure, []) if h.basis == share.basis]  # any scope: 财政拨款 totals too
        for hits in (_first_per(in_group, "value"), same_year.get((measure, share.basis), [])):
            out.extend((h.value, h.precision, [h]) for h in hits)
            if hits:
                break
    return out


def _printed_in(evidence: object, value: float) -> bool:
    """Is `value` (万元) printed in the sentence `evidence`?"""
    return bool(_at_value(_numbers(str(evidence))[1], value))


def _list_totals(judged: list[tuple]) -> dict[tuple, tuple[float, float]]:
    """Each list's shares added up, and the rounding of that sum."""
    out: dict[tuple, tuple[float, float]] = {}
    seen: set[tuple] = set()
    for share, _, _ in judged:
        key = _list_of(share)
        if (key, share["item"], share.measure) in seen:
            continue
        seen.add((key, share["item"], share.measure))
        total, precision = out.get(key, (0.0, 0.0))
        out[key] = (total + share.value, precision + share.precision)
    return out


def _sums_to_100(share: Row, totals: dict[tuple, tuple[float, float]]) -> bool:
    """Do the shares of `share`'s list (three or more) add up to exactly 100% as printed?"""
    total, _ = totals.get(_list_of(share), (0.0, 0.0))
    return abs(total - 100) <= share.precision + 1e-9
