"""Completeness: does each disclosure contain what the 地方预决算公开操作规程 requires of its kind?

The items, and how each shows itself (a table title, a paragraph, a fact, or a statement that
there is none), are data: `data/checks.toml` [[item]]. Each item of a document is present
(with where it was found), stated as none, or absent; a document's score is the share of its
items that are present or stated as none.
"""

from __future__ import annotations

import re

import pandas as pd

from budgetbook.extract.vocab import load
from budgetbook.text import squash

PRESENT, NONE, ABSENT = "present", "none", "absent"


def completeness(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per document and required item: status, where found, and the document's score."""
    rows = []
    for _, doc in frames["documents"].iterrows():
        kind = doc.doc_kind if isinstance(doc.doc_kind, str) else ""  # missing if extraction failed
        items = [i for i in load("checks")["item"] if kind in i["kinds"]]
        found = [(item["name"], *_status(item, doc.doc_id, frames)) for item in items]
        done = sum(status != ABSENT for _, status, _ in found)
        score = round(100.0 * done / len(found), 1) if found else None
        rows.extend(
            {
                "doc_id": doc.doc_id,
                "department": doc.department,
                "doc_kind": doc.doc_kind,
                "item": name,
                "status": status,
                "where": where,
                "score": score,
            }
            for name, status, where in found
        )
    return pd.DataFrame(rows, columns=["doc_id", "department", "doc_kind", "item", "status", "where", "score"])


def _longer_names(item: dict) -> list[str]:
    """Title words of other items that contain this item's words (财政拨款收支总表 holds 收支总表): a title
    with one of them is the other table, not this one."""
    mine = set(item.get("tables", ()))
    others = {w for i in load("checks")["item"] if i is not item for w in i.get("tables", ())}
    return [o for o in others - mine if any(w in o and w != o for w in mine)]


def _status(item: dict, doc_id: str, frames: dict[str, pd.DataFrame]) -> tuple[str, str]:
    tables = frames["tables"].loc[frames["tables"].doc_id == doc_id]
    paragraphs = frames["paragraphs"].loc[frames["paragraphs"].doc_id == doc_id]
    facts = frames["facts"].loc[frames["facts"].doc_id == doc_id]
    longer = _longer_names(item)
    for word in item.get("tables", ()):
        titles = tables.title.fillna("").map(squash)
        owned = titles.map(lambda t, w=word: w in t and not any(x in t for x in longer if w in x))
        hit = tables.loc[owned]
        if not hit.empty:
            return PRESENT, f"表{hit.iloc[0].table_id}「{hit.iloc[0].title}」 {hit.iloc[0].location}"
    hit = facts.loc[facts.measure.isin(item.get("facts", ()))]
    if not hit.empty:
        return PRESENT, f"{hit.iloc[0].location}：{str(hit.iloc[0].evidence)[:60]}"
    for pattern in item.get("text", ()):
        hit = paragraphs.loc[paragraphs.text.fillna("").str.contains(pattern, regex=True)]
        if not hit.empty:
            return PRESENT, f"{hit.iloc[0].location}：{hit.iloc[0].text[:60]}"
    for pattern in item.get("none", ()):
        hit = paragraphs.loc[paragraphs.text.fillna("").map(lambda t, p=pattern: bool(re.search(p, t)))]
        if not hit.empty:
            return NONE, f"{hit.iloc[0].location}：{hit.iloc[0].text[:60]}"
    return ABSENT, ""
