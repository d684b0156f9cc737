"""Mutations of the audit's newer kinds (used by tests/test_audit_mutations.py): one figure or word of a
consistent real document changed, and the matching check must fire — through the whole graded audit
where a figure of the text is set against a table, through the check itself for the wording and form
of the text."""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd

from budgetbook.audit import Tolerance, run_checks, with_groups
from budgetbook.audit.shares import share_checks
from budgetbook.audit.templates import (
    _pattern,
    as_of_checks,
    completion_checks,
    final_vs_budget_checks,
    punctuation_checks,
)
from budgetbook.extract.vocab import load
from tests.test_audit_mutations import Mutation, _rewrite, loud

PER_DOC = 3


def text_against_table(doc_id: str, doc: dict[str, pd.DataFrame]) -> list[Mutation]:
    """A figure of the text that a standard table prints too (same identity, same value), changed in its
    sentence: the graded audit must report the figure stated twice (确定 or 疑似)."""
    tol = Tolerance.default()
    facts = with_groups(doc["facts"], doc.get("paragraphs"))
    keys = ["measure", "item", "year", "basis", "scope", "entity"]
    sure = ~facts.doubtful & (facts.context == facts.scope) & (facts.scope == "")
    prose = facts.loc[sure & (facts.source == "prose") & facts.measure.str.startswith(("revenue.", "expenditure."))]
    prose = prose.loc[~prose.measure.str.endswith((".share", ".change", ".change_pct"))]
    # a revenue source's sentence names its fund (一般公共预算拨款收入): compared in tables only
    prose = prose.loc[~prose.measure.isin(load("checks")["sum"][0]["parts"])]
    table = facts.loc[sure & (facts.source == "table")]
    both = prose.reset_index().merge(table, on=keys, suffixes=("", "_t"))
    both = both.loc[((both.value - both.value_t).abs() < 0.006) & (both.value.abs() > 1)]
    before = loud(run_checks(doc, tol), "stated_twice")
    out = []
    for _, row in both.drop_duplicates("index").head(PER_DOC).iterrows():
        facts_m = doc["facts"].copy()
        new = round(row.value * 1.1 + 7, 2)
        facts_m.loc[row["index"], "value"] = new
        facts_m.loc[row["index"], "evidence"] = _rewrite(str(row.evidence), row.value, new)
        after = loud(run_checks({**doc, "facts": facts_m}, tol), "stated_twice") - before
        out.append(
            Mutation(doc_id, "text against a table's cell", f"{row.measure} {row['item']} {row.value}", bool(after))
        )
    return out


def share_in_breakdown(doc_id: str, doc: dict[str, pd.DataFrame]) -> list[Mutation]:
    """A share of a breakdown that agrees with its base, changed in its sentence: the share check fires."""
    tol = Tolerance.default()
    facts = with_groups(doc["facts"], doc.get("paragraphs"))
    # a share of 0% holds with any base: changing it tells nothing of the base; a share whose part the audit
    # does not take for the department's (a comparison base, an item of a part) is not judged when it fails
    found = list(share_checks(facts, tol))
    held_bases = Counter(
        (f.doc_id, f.location.split(" ‖ ")[0], f.message.split("占")[-1].split("的")[0]) for f in found if f.passed
    )
    held = [
        f
        for f in found
        if f.passed
        and " t" not in f.location
        and f.actual
        and _sure_part(facts, f.actual)
        and (len(set(f.location.split(" ‖ "))) == 1 or _in_list(f, held_bases))
    ]
    out = []
    for f in held[:PER_DOC]:
        at = facts.measure.str.endswith(".share") & ((facts.value - f.actual).abs() < 1e-9)
        at &= facts.source == "prose"
        if not at.any():
            continue
        mutated = facts.copy()
        new = round(f.actual * 1.3 + 1, 2)  # beyond the rounding of a part printed in whole 万元
        mutated.loc[at, "value"] = new
        fired = {m.message for m in share_checks(mutated, tol) if not m.passed and m.severity in ("error", "warning")}
        out.append(Mutation(doc_id, "share in a breakdown", f"{f.actual}%", bool(fired)))
    return out


def _in_list(f, held_bases: Counter) -> bool:
    """Do four or more shares of `f`'s sentence hold with its base (a breakdown that pins its base)?"""
    return held_bases[(f.doc_id, f.location.split(" ‖ ")[0], f.message.split("占")[-1].split("的")[0])] >= 4


def _sure_part(facts: pd.DataFrame, share: float) -> bool:
    """Is the part of the prose share of value `share` a figure the audit takes for certain?"""
    rows = facts.loc[facts.measure.str.endswith(".share") & ((facts.value - share).abs() < 1e-9)]
    for _, r in rows.iterrows():
        part = facts.loc[
            (facts.group == r.group)
            & (facts.measure == r.measure.removesuffix(".share"))
            & (facts["item"] == r["item"])
        ]
        if not part.empty and not part.doubtful.iloc[0] and not (r.context and not r.scope):
            return True
    return False


def _with_text(doc: dict[str, pd.DataFrame], i: int, text: str) -> pd.DataFrame:
    ps = doc["paragraphs"]
    return ps.assign(text=ps.text.where(ps.index != i, text))


def as_of_mutation(doc_id: str, doc: dict[str, pd.DataFrame]) -> list[Mutation]:
    """截至YYYY年 of a holdings sentence moved a year back: the date no longer fits the document's year."""
    ps, documents = doc["paragraphs"], doc["documents"]
    known = documents.fiscal_year.notna() & documents.doc_kind.isin(["budget", "final_account"])
    if not known.any() or list(as_of_checks(ps, documents)):
        return []  # a document of no known year and kind states no holdings' date to check
    for i, text in zip(ps.index, ps.text.fillna(""), strict=True):
        m = _pattern("as_of", "date").search(text)
        if m:
            changed = text.replace(m.group(0), m.group(0).replace(m.group(1), str(int(m.group(1)) - 1)), 1)
            found = list(as_of_checks(_with_text(doc, i, changed), documents))
            return [Mutation(doc_id, "截至 year of a sentence", m.group(0), bool(found))]
    return []


def punctuation_mutation(doc_id: str, doc: dict[str, pd.DataFrame]) -> list[Mutation]:
    """A full stop doubled in the first paragraph that ends a sentence."""
    ps = doc["paragraphs"]
    if list(punctuation_checks(ps)):
        return []
    for i, text in zip(ps.index, ps.text.fillna(""), strict=True):
        if "。" in text:
            found = list(punctuation_checks(_with_text(doc, i, text.replace("。", "。。", 1))))
            return [Mutation(doc_id, "doubled full stop", text[:20], bool(found))]
    return []


_SWAP = {"大于": "小于", "小于": "大于", "高于": "低于", "低于": "高于"}


def final_wording_mutation(doc_id: str, doc: dict[str, pd.DataFrame]) -> list[Mutation]:
    """决算数大于预算数 turned into 小于 (and back) in a sentence whose figures it fitted."""
    ps = doc["paragraphs"]
    out = []
    for i, text in zip(ps.index, ps.text.fillna(""), strict=True):
        m = re.search(r"决算数?(大于|小于|高于|低于)", text)
        if not m or list(final_vs_budget_checks(ps.loc[[i]])):
            continue
        changed = text[: m.start(1)] + _SWAP[m.group(1)] + text[m.end(1) :]
        found = list(final_vs_budget_checks(_with_text(doc, i, changed).loc[[i]]))
        if re.search(r"年初预算", text):
            out.append(Mutation(doc_id, "决算数大于→小于", m.group(0), bool(found)))
        if len(out) >= PER_DOC:
            break
    return out


def completion_mutation(doc_id: str, doc: dict[str, pd.DataFrame]) -> list[Mutation]:
    """完成年初预算的X% that fitted its figures, changed by a tenth."""
    ps = doc["paragraphs"]
    out = []
    for i, text in zip(ps.index, ps.text.fillna(""), strict=True):
        held = [f for f in completion_checks(ps.loc[[i]]) if f.passed]
        if not held:
            continue
        m = re.search(r"完成(?:年初)?预算的?(\d+(?:\.\d+)?)%", text)
        changed = text.replace(m.group(0), m.group(0).replace(m.group(1), f"{float(m.group(1)) * 1.1 + 1:.2f}"), 1)
        found = [f for f in completion_checks(_with_text(doc, i, changed).loc[[i]]) if not f.passed]
        out.append(Mutation(doc_id, "完成年初预算的X%", m.group(0), bool(found)))
        if len(out) >= PER_DOC:
            break
    return out


def graded_mutations(doc_id: str, doc: dict[str, pd.DataFrame]) -> list[Mutation]:
    """Every mutation of the newer kinds for one document."""
    return [
        *text_against_table(doc_id, doc),
        *share_in_breakdown(doc_id, doc),
        *as_of_mutation(doc_id, doc),
        *punctuation_mutation(doc_id, doc),
        *final_wording_mutation(doc_id, doc),
        *completion_mutation(doc_id, doc),
    ]
