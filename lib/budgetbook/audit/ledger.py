"""The obligations ledger: one row per document × obligation of the catalogue (`data/obligations.toml`).

Each row says whether the check was made and held (通过), found the document wanting (未通过, with its
findings), does not apply to this kind of document (不适用), or could not be made (数据不足, naming what
was missing). No finding counts as 通过 only where the check could run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import cache

import pandas as pd

from budgetbook.extract.vocab import load

PASSED, FAILED, NOT_APPLICABLE, NO_DATA = "通过", "未通过", "不适用", "数据不足"
KIND_NAMES = {"budget": "部门预算", "final_account": "部门决算", "self_evaluation": "绩效自评报告"}
NEED_NAMES = {
    "text": "正文",
    "tables": "标准表格",
    "indicators": "绩效指标",
    "siblings": "同一部门的其他文件",
    "share": "正文所述占比",
    "change": "增减额或增减率",
}


@cache
def catalogue() -> dict:
    """The catalogue: its version and its obligations, in order."""
    data = load("obligations")
    return {"version": str(data["version"]), "obligations": list(data["obligation"])}


def _names() -> dict:
    return load("checks")["names"]


class _Found:
    """What one document has that an obligation may need."""

    def __init__(self, doc_id: str, frames: dict[str, pd.DataFrame], siblings: set[str]) -> None:
        facts = frames.get("facts", pd.DataFrame())
        own = facts.loc[facts.doc_id == doc_id] if not facts.empty else facts
        self.measures = set(own.measure.astype(str)) if not own.empty else set()
        kinds = (
            own.table_kind.dropna().astype(str) if "table_kind" in own and not own.empty else pd.Series([], dtype=str)
        )
        self.table_kinds = set(kinds) - {""}
        paragraphs = frames.get("paragraphs")
        self.text = paragraphs is not None and not paragraphs.empty and bool((paragraphs.doc_id == doc_id).any())
        indicators = frames.get("indicators")
        self.indicators = indicators is not None and not indicators.empty and bool((indicators.doc_id == doc_id).any())
        self.siblings = doc_id in siblings

    def has(self, need: str) -> bool:
        if need == "text":
            return self.text
        if need == "tables":
            return bool(self.table_kinds)
        if need == "indicators":
            return self.indicators
        if need == "siblings":
            return self.siblings
        if need == "share":
            return any(m.endswith(".share") for m in self.measures)
        if need == "change":
            return any(m.endswith((".change", ".change_pct")) for m in self.measures)
        if need.startswith("table:"):
            return need.removeprefix("table:") in self.table_kinds
        return need in self.measures

    def missing(self, needs: Iterable[str]) -> list[str]:
        return [n for n in needs if not self.has(n)]


def _need_name(need: str) -> str:
    if need.startswith("table:"):
        return f"{need.removeprefix('table:')}类标准表"
    return NEED_NAMES.get(need) or _names().get(need, need)


def _takes(obligation: dict, check: str, message: str, evidence: str) -> bool:
    """Does a finding of `check` feed `obligation`?"""
    if not any(check == c or (c.endswith(":") and check.startswith(c)) for c in obligation.get("checks", [])):
        return False
    where = obligation.get("where")
    parts = [e for e in evidence.split(" ‖ ") if e]
    if where == "scoped":
        return "（口径：" in message
    if where == "tables":
        return "（口径：" not in message and bool(parts) and all("｜" in e for e in parts)
    if where == "text":
        return "（口径：" not in message and any("｜" not in e for e in parts)
    return True


def _row(doc: dict, ob: dict, status: str, findings: int, detail: str) -> dict:
    return {
        "doc_id": doc["doc_id"],
        "department": doc["department"],
        "doc_kind": doc["doc_kind"],
        "obligation": ob["id"],
        "group": ob["group"],
        "name": ob["name"],
        "status": status,
        "findings": findings,
        "detail": detail,
        "version": catalogue()["version"],
    }


def _from_findings(doc: dict, ob: dict, graded: list[tuple], found: _Found) -> dict:
    taken = [g for g in graded if _takes(ob, g[0], g[3], g[4])]
    failed = [g for g in taken if not g[1] and g[2] in ("确定", "疑似")]
    if failed:
        sure = sum(g[2] == "确定" for g in failed)
        detail = f"{len(failed)}处不符（确定{sure}处，疑似{len(failed) - sure}处）"
        return _row(doc, ob, FAILED, len(failed), detail)
    if any(g[1] for g in taken):
        return _row(doc, ob, PASSED, 0, f"核对{sum(g[1] for g in taken)}处，均相符")
    unchecked = [g for g in taken if g[2] == "未能核对"]
    missing = found.missing(ob.get("needs", []))
    if unchecked:
        return _row(doc, ob, NO_DATA, 0, f"{len(unchecked)}处未能核对：{unchecked[0][5] or '数字未能可靠读取'}")
    if missing:
        return _row(doc, ob, NO_DATA, 0, "未找到" + "、".join(_need_name(n) for n in missing))
    if ob.get("silent", True):
        return _row(doc, ob, PASSED, 0, "未发现问题")
    return _row(doc, ob, NO_DATA, 0, "文中未见可核对的表述")


def _from_completeness(doc: dict, ob: dict, status: dict[tuple[str, str], tuple[str, str]]) -> dict:
    state, where = status.get((doc["doc_id"], ob["item"]), ("", ""))
    if state in ("present", "none"):
        return _row(doc, ob, PASSED, 0, where or ("说明为无" if state == "none" else "已公开"))
    if state == "absent":
        return _row(doc, ob, FAILED, 1, f"未公开{ob['item']}")
    return _row(doc, ob, NO_DATA, 0, "公开完整性未能判断")


CROSS = "跨文件"  # the group of obligations made across a department's documents, when the run has them all


def ledger(
    frames: dict[str, pd.DataFrame], checks: pd.DataFrame, completeness: pd.DataFrame, cross: bool | None = None
) -> list[dict]:
    """One row per document × obligation (see the module's docstring); `cross`: only the obligations across
    documents (True), all but those (False), or all (None)."""
    documents = frames["documents"]
    if documents.empty:
        return []
    by_doc: dict[str, list[tuple]] = defaultdict(list)
    if not checks.empty:
        grades = checks["grade"] if "grade" in checks else pd.Series("", index=checks.index)
        whys = checks["why"] if "why" in checks else pd.Series("", index=checks.index)
        for d, c, p, g, m, e, w in zip(
            checks.doc_id,
            checks.check,
            checks.passed.fillna(False),
            grades.fillna(""),
            checks.message.fillna(""),
            checks.evidence.fillna(""),
            whys.fillna(""),
            strict=True,
        ):
            by_doc[str(d)].append((str(c), bool(p), str(g), str(m), str(e), str(w)))
    status = {}
    if not completeness.empty:
        status = {
            (str(d), str(i)): (str(s), str(w or ""))
            for d, i, s, w in zip(
                completeness.doc_id, completeness["item"], completeness.status, completeness["where"], strict=True
            )
        }
    departments = documents.department.fillna("").astype(str)
    counts = departments[departments != ""].value_counts()
    siblings = set(documents.doc_id[departments.map(counts).fillna(0) > 1].astype(str))
    rows = []
    for doc in documents[["doc_id", "department", "doc_kind"]].fillna("").astype(str).to_dict("records"):
        found = _Found(doc["doc_id"], frames, siblings)
        for ob in catalogue()["obligations"]:
            if cross is not None and (ob["group"] == CROSS) != cross:
                continue
            if doc["doc_kind"] not in ob["kinds"]:
                kind = KIND_NAMES.get(doc["doc_kind"], doc["doc_kind"] or "未识别类型")
                rows.append(_row(doc, ob, NOT_APPLICABLE, 0, f"不适用于{kind}"))
            elif "item" in ob:
                rows.append(_from_completeness(doc, ob, status))
            else:
                rows.append(_from_findings(doc, ob, by_doc.get(doc["doc_id"], []), found))
    return rows


def coverage(ledger_frame: pd.DataFrame) -> pd.DataFrame:
    """Per document: obligations applicable, checked (通过 or 未通过), passed, and the sentence
    "42 项中核对 35 项，通过 33 项"."""
    if ledger_frame.empty:
        return pd.DataFrame(columns=["doc_id", "applicable", "checked", "passed", "failed", "summary"])
    return (
        ledger_frame.assign(
            applicable=ledger_frame.status.ne(NOT_APPLICABLE),
            checked=ledger_frame.status.isin([PASSED, FAILED]),
            passed=ledger_frame.status.eq(PASSED),
            failed=ledger_frame.status.eq(FAILED),
        )
        .groupby("doc_id", as_index=False)[["applicable", "checked", "passed", "failed"]]
        .sum()
        .assign(
            summary=lambda t: [
                f"{a}项中核对{c}项，通过{p}项" for a, c, p in zip(t.applicable, t.checked, t.passed, strict=True)
            ]
        )
    )
