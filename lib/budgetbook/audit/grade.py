"""How sure a finding is: graded from the certainty of the figures it stands on.

Every finding that did not pass gets a grade (`data/checks.toml` [grade]):

- **确定** (error): every figure it compares was read for certain — the document is inconsistent;
- **疑似** (warning): a person should look — a figure's identity was guessed (a fund sub-column or a
  增减 column read as an amount, a blank cell read as 0, a low-confidence OCR read, two tables of
  different parts), or the document has more such findings of one kind than a real one holds;
- **未能核对** (info): the check could not be made — its table failed its own arithmetic, so the
  reader has not understood it, or the two figures differ by a unit (元 against 万元).

The reading checks itself before it accuses: a standard table whose own identities fail on more than a
few rows is one finding "第N页《表名》未能可靠读取", its own findings collapse into it, and its figures
raise no cross-finding. A passed check is 通过.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import replace

import pandas as pd

from budgetbook.audit.model import Finding
from budgetbook.extract.vocab import load

SURE, SUSPECT, UNCHECKED, PASSED = "确定", "疑似", "未能核对", "通过"
LOW_CONFIDENCE = float(load("checks")["grade"]["ocr_confidence"])  # an OCR read below it may be misread
SEVERITY = {SURE: "error", SUSPECT: "warning", UNCHECKED: "info", PASSED: "info"}
_TABLE = re.compile(r"\bt(\d+)\b")
_PAGE = re.compile(r"\bp(\d+)\b")


def _rules() -> dict:
    return load("checks")["grade"]


def _figures(f: Finding) -> list[str]:
    """The "doc location" of every figure a finding names."""
    return [p.strip() for p in str(f.location or "").split(" ‖ ") if p.strip()]


def _table_of(place: str) -> tuple[str, int] | None:
    doc, _, loc = place.partition(" ")
    m = _TABLE.search(loc)
    return (doc, int(m.group(1))) if m else None


# --- the tables that check themselves ---------------------------------------------------------


def unreliable_tables(findings: Iterable[Finding]) -> dict[tuple[str, int], list[Finding]]:
    """The standard tables whose own arithmetic (`table:` checks) fails in more ways than a real table does:
    the reader has not understood them (their findings, by table).

    One misprinted cell breaks every identity it is part of (its row's 合计, its 类's sum, the 合计 row) by
    the same amount; so the failures of a table are counted by their distinct differences, and a table is
    unreliable when more than a couple of distinct differences fail."""
    limit = int(_rules()["table_failures"])
    by_table: dict[tuple[str, int], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.check.startswith("table:") and not f.passed and f.severity != "info":
            places = {_table_of(p) for p in _figures(f)} - {None}
            if len(places) == 1:
                by_table[places.pop()].append(f)
    return {key: fs for key, fs in by_table.items() if len(_distinct_differences(fs)) > limit}


def _distinct_differences(found: list[Finding]) -> list[float]:
    """The distinct sizes of the differences of `found` (equal within a cent of 万元)."""
    sizes: list[float] = []
    for f in found:
        d = f.difference
        size = abs(d) if d is not None and not pd.isna(d) else float("nan")
        if not any(abs(size - s) <= 0.011 for s in sizes):
            sizes.append(size)
    return sizes


def _unread_table(key: tuple[str, int], found: list[Finding]) -> Finding:
    first = found[0]
    title = str(first.evidence).split("｜")[0]
    page = _PAGE.search(_figures(first)[0]) if _figures(first) else None
    at = f"第{page.group(1)}页" if page else ""
    kinds = "、".join(dict.fromkeys(_rules()["check_names"].get(f.check, f.check) for f in found))
    message = (
        f"{at}《{title}》未能可靠读取：表内{len(found)}处合计不符（{kinds}），多于一张真实报表所有，"
        f"可能是表格结构未被正确识别；该表数字不参与其他核对，请对照原文复核"
    )
    location = " ‖ ".join(dict.fromkeys(p for f in found for p in _figures(f)))
    return Finding(
        key[0],
        "reading:table",
        "info",
        False,
        None,
        None,
        message,
        first.evidence,
        location,
        UNCHECKED,
        "表格自身合计多处不符",
    )


# --- how surely each figure was read -----------------------------------------------------------


def figure_doubts(facts: pd.DataFrame, unread: set[tuple[str, int]]) -> dict[str, str]:
    """ "doc location" → why a figure is not read for certain (figures read for certain are absent)."""
    rules = _rules()
    funds = tuple(rules["fund_words"])
    changes = tuple(load("tables")["columns"]["change_columns"])
    wanted = ["doc_id", "location", "measure", "source", "evidence", "scope"]
    extra = [c for c in ("column", "confidence") if c in facts.columns]
    out: dict[str, str] = {}
    frame = facts.assign(**{c: "" for c in wanted if c not in facts.columns})[wanted + extra]
    columns = frame["column"].fillna("").astype(str).tolist() if "column" in extra else [""] * len(frame)
    confidence = frame["confidence"].tolist() if "confidence" in extra else [None] * len(frame)
    for (doc, loc, measure, source, evidence, scope), column, conf in zip(
        frame[wanted].itertuples(index=False, name=None), columns, confidence, strict=True
    ):
        why = _doubt(
            doc,
            str(loc),
            str(measure),
            str(source),
            str(evidence),
            str(scope or ""),
            column,
            conf,
            unread,
            funds,
            changes,
        )
        if why:
            out[f"{doc} {loc}"] = why
    return out


def _doubt(
    doc: str,
    loc: str,
    measure: str,
    source: str,
    evidence: str,
    scope: str,
    column: str,
    conf: object,
    unread: set,
    funds: tuple,
    changes: tuple,
) -> str:
    reasons = _rules()["reasons"]
    if conf is not None and not pd.isna(conf) and float(conf) < LOW_CONFIDENCE:
        return reasons["ocr"]
    if source not in ("table", "ocr"):
        return ""
    m = _TABLE.search(loc)
    if m and (doc, int(m.group(1))) in unread:
        return reasons["unread_table"]
    if evidence.endswith("｜（空）"):
        return reasons["blank"]
    is_change = measure.endswith((".change", ".change_pct"))
    if not is_change and any(w in column for w in changes):
        return reasons["change_column"]
    if not scope and not measure.startswith("revenue.") and any(w in column for w in funds):
        return reasons["fund_column"]
    if not column.strip("/ ") and evidence.count("｜") >= 2 and not evidence.split("｜")[2].strip():
        return reasons["column_unknown"]  # the cell's column has no header the reader could read
    return ""


# --- a finding's grade -----------------------------------------------------------------------


def _unit_slip(f: Finding) -> bool:
    """Two figures a factor of 10,000 apart: one of them read in 元 as 万元 (or the other way)."""
    a, b = f.expected, f.actual
    if a is None or b is None or pd.isna(a) or pd.isna(b) or not a or not b:
        return False
    ratio = abs(a / b) if abs(a) > abs(b) else abs(b / a)
    return abs(ratio / 10000 - 1) < 0.005  # the same digits read in the other unit, not merely near


def _titles(f: Finding) -> list[str]:
    return [e.split("｜")[0] for e in str(f.evidence).split(" ‖ ") if "｜" in e]


def _parts_differ(f: Finding) -> bool:
    """Two tables compared whose titles name different parts or funds (支出明细表 against 基本支出明细表),
    or an item of the text (教育支出) against a table of one part of the spending (基本支出明细表): two
    scopes, not one figure stated twice."""
    titles = _titles(f)
    prose = any("｜" not in e for e in str(f.evidence).split(" ‖ "))
    items = any(f"{name}「" in f.message for name in _rules()["item_names"])
    if prose and items and any(w in t for t in titles for w in _rules()["item_parts"]):
        return True
    if len(titles) < 2:
        return False
    words = _rules()["part_words"]
    marks = {frozenset(w for w in words if w in t) for t in titles}
    return len(marks) > 1


def _far_apart(f: Finding) -> bool:
    """One figure stated twice with values several times apart (neither 0): two figures under one name
    more often than one misprinted."""
    a, b = f.expected, f.actual
    if a is None or b is None or pd.isna(a) or pd.isna(b) or not a or not b:
        return False
    low, high = sorted((abs(a), abs(b)))
    return high / low >= float(_rules()["far_apart"])


_CELL_NUMBER = re.compile(r"^-?[\d,]+(?:\.(\d+))?$")


def _last_digits(f: Finding) -> bool:
    """A table's own sum off by a unit or two of its last printed digit: the publisher's rounding of
    rounded parts, not a misprint (shown as 疑似)."""
    d = f.difference
    if d is None or pd.isna(d) or not d:
        return False
    digits = [len(m.group(1) or "") for c in str(f.evidence).split("｜")[1:] if (m := _CELL_NUMBER.match(c.strip()))]
    if not digits:
        return False
    step = 10 ** -max(digits) * (1 / 10000 if str(f.message).endswith("元") and not f.message.endswith("万元") else 1)
    return abs(d) <= int(_rules()["last_digit_units"]) * step + 1e-9


def _blank_total(f: Finding) -> bool:
    """Is a blank cell the finding stands on a total (合计/小计 row or column)? A table stating none of a
    thing leaves its parts blank too; a blank total beside printed parts is a cell the reader misplaced or
    the table's own omission, not the table's word against the text."""
    totals = ("合计", "小计", "总计")
    for e in str(f.evidence).split(" ‖ "):
        cells = e.split("｜")
        if len(cells) >= 4 and cells[-1] == "（空）" and any(t in "".join(cells[1:3]) for t in totals):
            return True
    return False


def grade_one(f: Finding, doubts: dict[str, str]) -> Finding:
    """`f` with its grade, its severity following from it, and why it is not 确定."""
    if f.passed:
        return replace(f, severity="info", grade=PASSED, why="")
    if f.grade:  # graded where it was made (a table that could not be read)
        return replace(f, severity=SEVERITY[f.grade])
    reasons = _rules()["reasons"]
    comparative = f.check in _rules()["comparisons"]
    why = ""
    if comparative and _unit_slip(f):
        grade, why = UNCHECKED, reasons["unit_slip"]
    elif comparative and f.check != "share" and _parts_differ(f):
        grade, why = UNCHECKED, reasons["parts"]
    elif f.check == "stated_twice" and _far_apart(f):
        grade, why = SUSPECT, reasons["far_apart"]
    elif f.check.startswith("table:") and _last_digits(f):
        grade, why = SUSPECT, reasons["last_digit"]
    else:
        found = [doubts[p] for p in _figures(f) if p in doubts]
        if f.check in _rules()["blank_is_the_finding"] and not _blank_total(f):
            found = [w for w in found if w != reasons["blank"]]  # a blank the finding is about is no doubt of it
        if found and not f.check.startswith("table:"):
            unread = reasons["unread_table"]
            grade = UNCHECKED if unread in found else SUSPECT
            why = "；".join(dict.fromkeys(found))
        elif f.severity == "error":
            grade = SURE
        elif f.severity == "warning":
            grade = SUSPECT
        else:
            grade = UNCHECKED
    note = f"（{why}）" if why and grade != SURE else ""
    return replace(f, severity=SEVERITY[grade], grade=grade, why=why, message=f"{f.message}{note}")


def _too_many(findings: list[Finding]) -> list[Finding]:
    """More findings of one check in one document (确定 or 疑似) than a real document holds: a reading
    problem to review, reported once (疑似); the findings themselves could not be made (未能核对)."""
    limit = int(_rules()["many_of_one_kind"])
    loud = [f for f in findings if f.grade in (SURE, SUSPECT)]
    count = Counter((f.doc_id, f.check) for f in loud)
    crowded = {k for k, n in count.items() if n > limit}
    if not crowded:
        return findings
    why = _rules()["reasons"]["many"]
    out = [
        replace(f, severity="info", grade=UNCHECKED, why=why, message=f"{f.message}（{why}）")
        if f.grade in (SURE, SUSPECT) and (f.doc_id, f.check) in crowded
        else f
        for f in findings
    ]
    names = _rules()["check_names"]
    for doc_id, check in sorted(crowded):
        mine = [f for f in loud if (f.doc_id, f.check) == (doc_id, check)]
        message = (
            f"「{names.get(check, check)}」核对发现{len(mine)}处不符，多于一份真实公开通常所有，"
            f"更可能是读取问题（表格或句式未被正确识别）而非文件错误：请对照原文复核，逐条结果列为未能核对"
        )
        location = " ‖ ".join(dict.fromkeys(p for f in mine[:20] for p in _figures(f)))
        first = mine[0].message[:200]
        out.append(
            Finding(
                doc_id, "reading:many", "warning", False, None, float(len(mine)), message, first, location, SUSPECT, why
            )
        )
    return out


def grade(findings: list[Finding], facts: pd.DataFrame) -> list[Finding]:
    """Every finding graded (see the module's docstring); tables that fail their own arithmetic collapsed
    into one finding each."""
    unread = unreliable_tables(findings)
    collapsed = {id(f) for fs in unread.values() for f in fs}
    kept = [f for f in findings if id(f) not in collapsed]
    kept.extend(_unread_table(key, fs) for key, fs in unread.items())
    # only the figures of findings that did not pass are graded: not every figure of a large document
    places = {p for f in kept if not f.passed for p in _figures(f)}
    named = facts.doc_id.astype(str) + " " + facts.location.astype(str) if places and not facts.empty else None
    doubts = figure_doubts(facts.loc[named.isin(places)], set(unread)) if named is not None else {}
    return _too_many([grade_one(f, doubts) for f in kept])


def problems_of(findings: Iterable[Finding], source_files: dict[str, str]) -> list[dict]:
    """The reading problems the audit found, as rows of the `problems` frame (stage audit, a warning)."""
    return [
        {
            "doc_id": f.doc_id,
            "source_file": source_files.get(f.doc_id, ""),
            "stage": "audit",
            "severity": "warning",
            "message": f.message,
        }
        for f in findings
        if f.check.startswith("reading:")
    ]
