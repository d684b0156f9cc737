"""The figures as the checks read them (`with_groups`): the group each was stated in, the narrower scope
its sentence, section or leading paragraph names, and whether its identity is doubtful."""

from __future__ import annotations

import re

import pandas as pd

from budgetbook.audit.model import Columns, column_values, kind_name
from budgetbook.audit.tables import is_data_row
from budgetbook.extract.vocab import load
from budgetbook.text import normalize

_TABLE = re.compile(r"\b(t\d+)\b")


ITEM_MEASURES = ("expenditure.function", "expenditure.economic", "project")


def with_groups(
    facts: pd.DataFrame, paragraphs: pd.DataFrame | None = None, numbering_rows: set[str] | None = None
) -> pd.DataFrame:
    """Facts with the group they were stated in (their table, else their paragraph) and their context.

    `context` is the narrower scope a prose figure's sentence, section or leading paragraph names
    (财政拨款, 一般公共预算 …) even where the extraction left `scope` empty; `doubtful` marks figures
    whose identity the audit cannot be sure of: a comparison base (比2025年执行数483923.17万元) or a
    项-level item named by its code (2069999-其他科学技术支出).
    """
    out = facts.assign(
        item=facts.item.fillna(""),
        basis=facts.basis.fillna(""),
        precision=facts.precision.fillna(0.0),
        scope=facts.scope.fillna(""),
    )
    if "entity" not in out.columns:
        out = out.assign(entity="")
    out = out.assign(entity=out.entity.fillna("").astype(str))
    cols = Columns(out)  # each column read once for every step below
    wanted = {(d, str(loc)) for d, loc in cols.zip("doc_id", "location")}
    sections = _leads(paragraphs, wanted)  # read once for both
    said = _sentences(cols)  # each prose figure's sentence normalized and searched once, for every use below
    context = _contexts(cols, sections, said)
    in_part = _in_parts(cols, sections, said)
    doubtful = [
        (
            src == "prose"
            and (
                _comparison_base(*read)
                or _coded_item(read[0], str(it))
                or _in_item(read[0], m)
                or _spending_read_as_source(*read, m)
            )
        )
        or (src == "table" and _odd_table_fact(str(ev), m))
        for (src, ev, it, m), read in zip(cols.zip("source", "evidence", "item", "measure"), said, strict=True)
    ]
    if numbering_rows:
        keys = (_row_key(doc, loc) for doc, loc in cols.zip("doc_id", "location"))
        doubtful = [d or k in numbering_rows for d, k in zip(doubtful, keys, strict=True)]
    return out.assign(
        group=_groups(cols["source"], cols["location"], out.index),  # the columns read above, not read again
        context=pd.Series(context, index=out.index, dtype=object),
        doubtful=pd.Series(doubtful, index=out.index, dtype=bool),
        in_part=pd.Series(in_part, index=out.index, dtype=bool),
    )


_ROW = re.compile(r"t\d+ r\d+")


def _row_key(doc_id: object, location: object) -> str | None:
    """'doc t2 r2' of a table figure's location (as `numbering_row_keys` names rows), None for another."""
    m = _ROW.search(location) if type(location) is str else None
    return f"{doc_id} {m.group()}" if m and type(doc_id) is str else None


def _groups(sources: list, locations: list, index: pd.Index) -> pd.Series:
    """Each figure's group: its table (t3) for a table's figure, else its location (a paragraph); the
    table searched for in a table figure's location only."""
    out = []
    for src, loc in zip(sources, locations, strict=True):
        loc = loc if type(loc) is str else ""
        m = _TABLE.search(loc) if src == "table" else None
        out.append(m.group(1) if m else loc)
    return pd.Series(out, index=index, dtype=object).astype(str)


PART_WORDS = ("项目支出", "基本支出", "人员经费", "公用经费")


Reading = tuple[str, list[int]]  # a prose figure's sentence (normalized) and where its value is printed in it


def _sentences(facts: Columns) -> list[Reading]:
    """Each prose figure's evidence normalized and the places of its value in it; ("", []) for a table's.
    A sentence stating several figures is normalized and its numbers read once, for all of them."""
    numbers: dict[str, tuple[str, list[tuple[int, float]]]] = {}
    out: list[Reading] = []
    for src, ev, v in facts.zip("source", "evidence", "value"):
        if src != "prose":
            out.append(("", []))
            continue
        ev = str(ev)
        read = numbers.get(ev)
        if read is None:
            read = numbers[ev] = _numbers(ev)
        out.append((read[0], _at_value(read[1], v)))
    return out


def _numbers(evidence: str) -> tuple[str, list[tuple[int, float]]]:
    """`evidence` normalized (a traditional copy's evidence quotes it as printed) and each number in it:
    where it starts and its value."""
    text = normalize(evidence)
    return text, _numbers_in(text)


def _numbers_in(text: str) -> list[tuple[int, float]]:
    """Each number printed in `text`: where it starts and its value."""
    return [(m.start(), float(m.group().replace(",", ""))) for m in _NUMBER.finditer(text)]


def _at_value(numbers: list[tuple[int, float]], value: float) -> list[int]:
    """Where a figure of `value` (万元 or 元) stands among `numbers` (`_numbers`)."""
    target = abs(value)
    return [at for at, v in numbers if abs(v - target) < 0.006 or abs(v / 10000 - target) < 0.00006]


def _in_parts(facts: Columns, sections: dict[tuple[str, str], str], said: list[Reading]) -> list[bool]:
    """Is a prose item (a function class, an economic item) stated for a part of the spending — its
    sentence before it, its section or the paragraph it continues names 项目支出/基本支出 (（二）项目支出：
    …其中：公共安全支出40230.95万元)?"""
    out = []
    for (d, src, loc, m), (text, at) in zip(facts.zip("doc_id", "source", "location", "measure"), said, strict=True):
        if src != "prose" or m not in ITEM_MEASURES:
            out.append(False)
            continue
        around = f"{text[: at[0]] if at else text} {sections.get((d, str(loc)), '')}"
        out.append(any(w in around for w in PART_WORDS))
    return out


def _spending_read_as_source(text: str, at: list[int], measure: str) -> bool:
    """一般公共服务（类）支出6701.98万元 is spending, whatever source its words resemble (`text` normalized,
    the figure printed at `at`)."""
    if not measure.startswith("revenue.") or measure.endswith(("total", "change", "change_pct")):
        return False
    return any("支出" in text[max(0, p - 12) : p] for p in at)


def _in_item(evidence: str, measure: str) -> bool:
    """人员经费18万元 inside “农林水支出”科目83万元，主要用于…: the figure is the item's, not the department's;
    购置车辆2辆 is a purchase, not the vehicles held (words of data/checks.toml [identity.not]; `evidence`
    normalized)."""
    if measure != "expenditure.function" and "科目" in evidence and measure.startswith("expenditure"):
        return True
    return any(w in evidence for w in load("checks")["identity"]["not"].get(measure, ()))


def _odd_table_fact(evidence: str, measure: str) -> bool:
    """A source or total read from a project list's columns is the list's, not the department's."""
    kind = kind_name(evidence.split("｜")[0])
    if kind is None:
        return False
    projects = measure.startswith(("project", "expenditure.project"))
    # a self-evaluation form's project rows mix budget, adjusted and actual columns of several lists
    return (kind == "projects" and not projects) or (kind == "self_evaluation" and projects)


_NUMBER_CELL = re.compile(r"\s*(?:\d{1,2}|\*\*|栏次|行次)\s*")


def numbering_row_keys(by_table: dict[tuple[str, int], list[tuple]]) -> set[str]:
    """'doc t2 r2' of every column-number row (栏次 1 2 3, ** **): its figures are not amounts (`by_table`:
    the cells of each table, `tables.cells_by_table`)."""
    judged: dict[tuple[str, ...], bool] = {}  # each table repeats the same 栏次 1 2 3 row: judged once
    out = set()
    for (d, t), cells in by_table.items():
        marked = {r for r, _, text, _ in cells if type(text) is str and _NUMBER_CELL.fullmatch(text)}
        rows: dict[int, list[str]] = {}  # the cells of those rows in order
        for r, _, text, _ in cells if marked else ():
            if r in marked:
                rows.setdefault(r, []).append(text if type(text) is str else "")
        for r, row in rows.items():
            key = tuple(row)
            if key not in judged:
                judged[key] = not is_data_row(row) and any(x.strip() for x in row)
            if judged[key]:
                out.add(f"{d} t{t} r{r}")
    return out


def _scope_words() -> list[str]:
    return list(load("checks")["identity"]["scope_words"])


def _leads(paragraphs: pd.DataFrame | None, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """For each paragraph at a `wanted` (doc_id, location), its section and the lead it continues
    ("财政拨款支出主要内容如下：" over 1. 2. 3.); every paragraph is read, only those are kept."""
    out: dict[tuple[str, str], str] = {}
    if paragraphs is None or paragraphs.empty:
        return out
    ps = paragraphs[["doc_id", "block", "location", "section", "text"]].sort_values(["doc_id", "block"])
    lead, doc, before = "", None, ""
    for d, loc, sec, text in column_values(ps.doc_id, ps.location, ps.section.fillna(""), ps.text.fillna("")):
        if d != doc:
            lead, doc, before = "", d, ""
        if not _ITEM.match(text):
            lead = ""
        key = (d, str(loc))
        if key in wanted:
            short = before if len(before) < 80 and text.lstrip().startswith(_continuations()) else ""
            out[key] = f"{sec} {lead} {short}"
        if text.rstrip().endswith(("：", ":")):
            lead = text
        before = text
    return out


def _continuations() -> tuple[str, ...]:
    """Openings of a paragraph that continues the one before it (支出包括：… after 财政拨款收支总预算X万元。)."""
    return tuple(load("checks")["identity"]["continuations"])


_ITEM = re.compile(r"^\s*(?:\d+[.、．]|[（(][一二三四五六七八九十\d]+[)）]|[①-⑳])")


def _contexts(facts: Columns, sections: dict[tuple[str, str], str], said: list[Reading]) -> list[str]:
    """The narrower scope each prose figure's sentence, section or the paragraph it continues names."""
    words = _scope_words()
    out = []
    sources = set(load("checks")["sum"][0]["parts"])
    for (d, src, scope, loc, m), (text, at) in zip(
        facts.zip("doc_id", "source", "scope", "location", "measure"), said, strict=True
    ):
        if scope or src != "prose" or not m.startswith(("revenue.", "expenditure.", "project")) or m in sources:
            out.append(scope)  # "三公", 机关运行经费 are of fiscal funds by definition; sources are parts
            continue
        around = f"{text[: at[0]] if at else text} {sections.get((d, str(loc)), '')}"
        out.append(next((w for w in words if w in around), ""))
    return out


_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


_BEFORE_BASE = re.compile(r"比[^，。；,]{0,20}$|(?:增加|减少|增长|下降|降低|提高|增|减)$")


def _comparison_base(text: str, at: list[int]) -> bool:
    """Is the figure printed at `at` of `text` (normalized) the earlier one a sentence compares with
    (比上年/比2025年…X万元), or a change (基本支出预算增加335.94万元) rather than a level?"""
    return any(_BEFORE_BASE.search(text[max(0, p - 22) : p]) for p in at)


def _coded_item(text: str, item: str) -> bool:
    """A 项 named by its code (2069999-其他科学技术支出) is not its class (`text` normalized)."""
    pattern = r"\d{5,7}\s*[-－—]?\s*[^，。；\d]{0,4}" + re.escape(item[:2])
    return bool(item) and item[:2] in text and bool(re.search(pattern, text))


# what the checks of sums, shares and changes read of a figure (their rows are made of these columns alone)
_FIGURE_COLUMNS = [
    *("doc_id", "group", "measure", "item", "year", "basis", "of", "value", "precision", "unit"),
    *("scope", "context", "doubtful", "location", "source", "evidence"),
]


SANGONG = (
    "sangong.total",
    "sangong.overseas",
    "sangong.vehicle",
    "sangong.vehicle_purchase",
    "sangong.vehicle_operation",
    "sangong.reception",
)
