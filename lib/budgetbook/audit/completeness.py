"""Completeness: does each disclosure contain what the 地方预决算公开操作规程 requires of its kind?

The items, and how each shows itself (a table title, a paragraph, a fact, or a statement that
there is none), are data: `data/checks.toml` [[item]]. Each item of a document is present
(with where it was found), stated as none, or absent; a document's score is the share of its
items that are present or stated as none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
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
        own = _Own.of(doc.doc_id, frames)  # the document's rows, picked out once for all its items
        found = [(item["name"], *_status(item, own)) for item in items]
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


@dataclass
class _Own:
    """One document's tables (with their titles squashed), paragraphs and facts."""

    tables: pd.DataFrame
    titles: pd.Series
    paragraphs: pd.DataFrame
    facts: pd.DataFrame
    texts: list[str] | None = None  # the paragraphs' texts, read when an item first asks for them

    @classmethod
    def of(cls, doc_id: str, frames: dict[str, pd.DataFrame]) -> _Own:
        tables = frames["tables"].loc[frames["tables"].doc_id == doc_id]
        paragraphs = frames["paragraphs"].loc[frames["paragraphs"].doc_id == doc_id]
        facts = frames["facts"].loc[frames["facts"].doc_id == doc_id]
        return cls(tables, tables.title.fillna("").map(squash), paragraphs, facts)

    def paragraph_texts(self) -> list[str]:
        if self.texts is None:
            self.texts = self.paragraphs.text.fillna("").to_list()
        return self.texts


def _status(item: dict, own: _Own) -> tuple[str, str]:
    tables, paragraphs, facts = own.tables, own.paragraphs, own.facts
    longer = _longer_names(item)
    for word in item.get("tables", ()):
        owned = own.titles.map(lambda t, w=word: w in t and not any(x in t for x in longer if w in x))
        hit = tables.loc[owned]
        if not hit.empty:
            return PRESENT, f"表{hit.iloc[0].table_id}「{hit.iloc[0].title}」 {hit.iloc[0].location}"
    first = _first_true(facts.measure.isin(item.get("facts", ())))
    if first is not None:
        return PRESENT, f"{facts.location.iloc[first]}：{str(facts.evidence.iloc[first])[:60]}"
    for pattern in item.get("text", ()):
        first = _first_true(paragraphs.text.fillna("").str.contains(pattern, regex=True))
        if first is not None:
            return PRESENT, f"{paragraphs.location.iloc[first]}：{paragraphs.text.iloc[first][:60]}"
    texts = own.paragraph_texts() if item.get("none") else []
    for pattern in item.get("none", ()):
        first = _first_match(re.compile(pattern), texts)
        if first is not None:
            return NONE, f"{paragraphs.location.iloc[first]}：{paragraphs.text.iloc[first][:60]}"
    return ABSENT, ""


def _first_true(mask: pd.Series) -> int | None:
    """The position of the first true value of `mask` (a missing one is not true), None if there is none."""
    found = np.flatnonzero(mask.fillna(False).to_numpy(dtype=bool))
    return int(found[0]) if len(found) else None


def _first_match(pattern: re.Pattern[str], texts: list[str]) -> int | None:
    """The index of the first text `pattern` is found in, or None."""
    return next((k for k, text in enumerate(texts) if pattern.search(text)), None)
