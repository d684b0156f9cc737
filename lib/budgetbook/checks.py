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
from collections import namedtuple
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

import pandas as pd

from budgetbook.extract.tables import table_kind
from budgetbook.extract.vocab import load
from budgetbook.text import normalize, parse_number, squash

_TABLE = re.compile(r"\b(t\d+)\b")
# the standard tables, which must print every total (a procurement list may leave a total blank)
BLANK_TOTAL_KINDS = {"summary", "fiscal_summary", "revenue", "expenditure", "basic"}
ITEM_MEASURES = ("expenditure.function", "expenditure.economic", "project")


@dataclass(frozen=True)
class Tolerance:
    money: float = 0.01  # 万元
    percent: float = 0.01  # percentage points

    def __post_init__(self) -> None:
        for name in ("money", "percent"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
                raise ValueError(f"tolerance {name} must be a finite number ≥ 0, not {value!r}")

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


def fmt(value: float) -> str:
    """A figure as printed in a message: thousands separators, no trailing zeros."""
    return f"{value:,.6f}".rstrip("0").rstrip(".")


_fmt = fmt


class _RowLike:
    """Read a row like a pandas Series: `row["item"]` as well as `row.item` (`.item` of a Series is a method)."""

    __slots__ = ()

    def __getitem__(self, key):
        return getattr(self, key) if type(key) is str else tuple.__getitem__(self, key)


@lru_cache(maxsize=64)
def row_type(names: tuple[str, ...]) -> type:
    """The `Row` type of a frame with the columns `names`: a named tuple of them and `name` (the row's index
    label), read like a pandas Series; a tuple per row is a quarter of a dict's memory, and read without a
    Python call per value."""
    return type("Row", (_RowLike, namedtuple("Row", [*names, "name"])), {"__slots__": ()})


Row = tuple  # a row of `rows`: a named tuple of `row_type`


def rows(frame: pd.DataFrame) -> list[Row]:
    """The rows of `frame` in order, as named tuples of its columns and its index label as `name` (the values
    `iterrows` gives, without a Series per row; columns are read whole: element by element, an Arrow string
    column costs microseconds a value)."""
    make = row_type(tuple(frame.columns))._make
    return list(map(make, zip(*(_shared_column(frame[c]) for c in frame.columns), frame.index, strict=True)))


def shared(values: list) -> list:
    """`values` with equal strings made one object: a column's unit, measure or doc_id repeats on
    every row, and one string per row and column held at once is most of a large document's rows."""
    seen: dict[str, str] = {}
    return [seen.setdefault(v, v) if type(v) is str else v for v in values]


def _shared_column(column: pd.Series) -> list:
    """A column's values as a list, its equal strings one object (`shared`); a string column holds only
    strings and missing values, so each value is looked up without a Python step of its own."""
    values = column.tolist()
    if isinstance(column.dtype, pd.StringDtype):
        seen: dict = {}
        return list(map(seen.setdefault, values, values))
    return shared(values) if column.dtype == object else values


def column_values(*columns: pd.Series) -> Iterator[tuple]:
    """The values of `columns` row by row, like zip(*columns) (each column read whole: element by element,
    an Arrow string column costs microseconds a value)."""
    return zip(*(c.tolist() for c in columns), strict=True)


def _same(a: object, b: object) -> bool:
    """a == b where a missing value equals nothing (as a frame's filter on a nullable column treats it)."""
    return not (pd.isna(a) or pd.isna(b)) and a == b


def _describe(f: pd.Series) -> str:
    """A figure in words: its measure's Chinese name, item, value and where it stands."""
    return f"{_name(f)}{_fmt(f.value)}{f.unit}（{_where(f)}）"


def _evidence(facts: list[pd.Series]) -> tuple[str, str]:
    """Evidence and locations of every figure involved, in one string each."""
    return _joined_evidence((f.evidence for f in facts), ((f.doc_id, f.location) for f in facts))


def _evidence_of(frame: pd.DataFrame) -> tuple[str, str]:
    """`_evidence` of every row of `frame`, read from its columns (not a row at a time)."""
    return _joined_evidence(frame.evidence.tolist(), column_values(frame.doc_id, frame.location))


def _joined_evidence(evidences: Iterable[object], places: Iterable[tuple[object, object]]) -> tuple[str, str]:
    """Each distinct evidence, and each distinct "doc location", joined by ‖ in the order first seen."""
    evidence = " ‖ ".join(dict.fromkeys(str(e) for e in evidences))
    location = " ‖ ".join(dict.fromkeys(f"{d} {loc}" for d, loc in places))
    return evidence, location


def _judge(diff: float, tol: float, shortfall_is_error: bool = True) -> tuple[str, bool]:
    if abs(diff) <= tol + 1e-9:
        return "info", True
    return ("error", False) if diff > 0 or shortfall_is_error else ("warning", False)


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


class Columns:
    """The columns of one frame as lists, each read whole once, when first asked for, its equal strings one
    object (several steps read the same columns; element by element, an Arrow string column costs
    microseconds a value)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.read: dict[str, list] = {}

    def __getitem__(self, name: str) -> list:
        if name not in self.read:
            self.read[name] = _shared_column(self.frame[name])
        return self.read[name]

    def zip(self, *names: str) -> Iterator[tuple]:
        """The values of the columns `names` row by row."""
        return zip(*(self[n] for n in names), strict=True)


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


@lru_cache(maxsize=4096)
def kind_name(title: str) -> str | None:
    """The name of a table's kind by its title (`table_kind`; every figure and cell of a table repeats the
    title: judged once per title)."""
    kind = table_kind(title)
    return kind.name if kind else None


_NUMBER_CELL = re.compile(r"\s*(?:\d{1,2}|\*\*|栏次|行次)\s*")


def numbering_row_keys(by_table: dict[tuple[str, int], list[tuple]]) -> set[str]:
    """'doc t2 r2' of every column-number row (栏次 1 2 3, ** **): its figures are not amounts (`by_table`:
    the cells of each table, `checks_tables.cells_by_table`)."""
    from budgetbook.checks_tables import is_data_row

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


# --- parts against totals -------------------------------------------------------------------


# what the checks of sums, shares and changes read of a figure (their rows are made of these columns alone)
_FIGURE_COLUMNS = [
    *("doc_id", "group", "measure", "item", "year", "basis", "of", "value", "precision", "unit"),
    *("scope", "context", "doubtful", "location", "source", "evidence"),
]


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
                continue  # a standard table's own arithmetic is checked on its cells (checks_tables)
            for total in _first_per(by_measure[rule["total"]], "value"):
                found = _sum_rule(doc_id, by_measure, total, rule, tol)
                if found:
                    yield found


def _key(value):
    """A group key where every missing value is the same one (NaN is not equal to itself)."""
    if type(value) is int:  # a year, never missing: not asked of pandas row by row
        return value
    return None if pd.isna(value) else value


def _first_per(rows: list[pd.Series], column: str) -> list[pd.Series]:
    """The first row of each value of `column`, in order (DataFrame.drop_duplicates on a list)."""
    seen: set = set()
    out = []
    for row in rows:
        value = _key(row[column])
        if value not in seen:
            seen.add(value)
            out.append(row)
    return out


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


# --- shares -------------------------------------------------------------------------------


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
    for share in rows(shares[_FIGURE_COLUMNS]):
        g = by_group.get((share.doc_id, share.group), {})
        part = [p for p in g.get(share.measure.removesuffix(".share"), []) if p["item"] == share["item"]]
        same_year = by_year.get((share.doc_id, _key(share.year)), {})
        bases = [b for b in _share_bases(same_year, g, share) if b[0] != 0]
        if not part or not bases:
            continue
        part = part[0]
        judged = [_share_against(share, part, base, tol) for base in bases]
        passed = [j for j in judged if j[1]]
        computed, ok, base_facts, value = (passed or sorted(judged, key=lambda j: abs(j[0] - share.value)))[0]
        inline = not base_facts  # the base printed in the share's own sentence (支出为3055.44万元，其中：…占X%)
        near = inline or all(b.group == share.group for b in base_facts)
        if not ok and (not near or part.doubtful or (not inline and (part.context or share.context))):
            continue  # the base was found elsewhere in the document: not known to be the share's base
        # off by one unit of its last printed digit (59.0% for 58.94%): mis-rounded, a warning
        misrounded = abs(computed - share.value) <= max(tol.percent, 2 * share.precision) + share.precision
        severity = "info" if ok else ("warning" if misrounded else "error")
        message = (
            f"占比：{_describe(part)}占{_fmt(value)}万元的{_fmt(round(computed, 4))}%，"
            f"文中为{_fmt(share.value)}%，{'相符' if ok else '不符'}"
        )
        evidence, location = _evidence([share, part, *base_facts])
        yield Finding(share.doc_id, "share", severity, ok, round(computed, 4), share.value, message, evidence, location)


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


# --- changes ------------------------------------------------------------------------------


def change_checks(facts: pd.DataFrame, tol: Tolerance) -> Iterator[Finding]:
    # a change against another year than the one before (比2022年决算数减少…: `of` names it) is not checked
    # against the year before
    # (a mask, not a copy of every fact: only the rows read below are taken)
    kept = ~(facts.measure.str.endswith((".change", ".change_pct")) & facts.of.fillna("").ne(""))
    changes = facts.loc[kept & facts.measure.str.endswith(".change")]
    rules = load("checks")["changes"]
    named = {*rules["measures"], *(f"{rules['stems'].get(m, m)}.change_pct" for m in rules["measures"])}
    by_group = _by_group(
        facts.loc[kept & facts.doc_id.isin(changes.doc_id) & facts.measure.isin(named), _FIGURE_COLUMNS]
    )
    decimal_docs = _decimal_docs(facts.loc[kept, ["doc_id", "unit", "source", "precision"]])
    for measure in rules["measures"]:
        change_measure = rules["stems"].get(measure, measure)
        for change in rows(changes.loc[changes.measure == f"{change_measure}.change", _FIGURE_COLUMNS]):
            g = by_group.get((change.doc_id, change.group), {})
            stated = g.get(measure, [])
            base = _first(r for r in stated if _same(r.year, change.year) and r.basis == change.basis)
            if base is None or base.doubtful or _belongs_to_subitem(change, base):
                continue
            rate = _first(g.get(f"{change_measure}.change_pct", []))
            earlier = _first(r for r in stated if _same(r.year, change.year - 1))
            if rate is not None:
                exact = change.doc_id in decimal_docs
                yield from _rate_check(_exact(change, exact), _exact(base, exact), rate, tol)
            if earlier is not None:
                yield _earlier_check(change, base, earlier, tol)


def _by_group(facts: pd.DataFrame) -> dict[tuple, dict[str, list[Row]]]:
    """The facts by (doc_id, group), then by measure, in order: looked up, not filtered, per figure."""
    out: dict[tuple, dict[str, list[Row]]] = {}
    for row in rows(facts):
        out.setdefault((row.doc_id, row.group), {}).setdefault(row.measure, []).append(row)
    return out


def _first(found: Iterable[Row]) -> Row | None:
    """The first of `found`, None if there is none."""
    return next(iter(found), None)


def _exact(f: Row, exact: bool) -> Row:
    """A whole 万元 amount in a document that prints 万元 to the 分 elsewhere is a whole amount (119万元 is
    119.00万元: the "三公" budget is set in whole 万元), not 118.5 to 119.5."""
    if exact and f.unit == "万元" and f.precision >= 0.5 and float(f.value).is_integer():
        return f._replace(precision=0.005)
    return f


def _decimal_docs(facts: pd.DataFrame) -> set[str]:
    money = facts.loc[(facts.unit == "万元") & (facts.source == "prose")]
    return set(money.loc[money.precision < 0.5, "doc_id"])


def _belongs_to_subitem(change: pd.Series, base: pd.Series) -> bool:
    """支出515665.27万元，其中：一般公共预算支出19828.57万元比上年减少464.27万元: the change is the sub-item's."""
    text, numbers = _numbers(str(change.evidence))  # the sentence's numbers read once for both figures
    at_base, at_change = _at_value(numbers, base.value), _at_value(numbers, change.value)
    if not at_base or not at_change:
        return False
    between = text[min(at_base) : max(at_change)]
    return "其中" in between


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


# --- the "三公" table against the text ----------------------------------------------------------

SANGONG = (
    "sangong.total",
    "sangong.overseas",
    "sangong.vehicle",
    "sangong.vehicle_purchase",
    "sangong.vehicle_operation",
    "sangong.reception",
)


def _blank_cell(f: pd.Series) -> bool:
    return f.source == "table" and str(f.evidence).endswith("｜（空）")


def _zero_statements(facts: pd.DataFrame) -> pd.Series:
    """ "三公" figures stated as none: a blank cell of the table, or 0 (无…) in the text. They are compared
    by the "三公" table check, not as a figure stated twice."""
    blank = (facts.source == "table") & facts.evidence.astype(str).str.endswith("｜（空）")
    return facts.measure.isin(SANGONG) & (facts.value.abs() < 1e-9) & ((facts.source == "prose") | blank)


def sangong_table_checks(facts: pd.DataFrame, tol: Tolerance) -> Iterator[Finding]:
    """The "三公" table against the text: a figure the text states where the table's cell is blank or 0,
    and a figure the table prints where the text says there is none (0万元, 无…)."""
    mine = facts.loc[facts.measure.isin(SANGONG) & ~facts.doubtful & (facts.context == facts.scope)]
    table = (
        mine.loc[(mine.source == "table") & (mine.table_kind.fillna("") == "sangong")] if "table_kind" in mine else None
    )
    if table is None or table.empty:
        return
    prose = mine.loc[mine.source == "prose"]
    keys = ["doc_id", "measure", "year", "basis", "entity"]  # "三公" are of fiscal funds, whatever scope is named
    stated = {k: list(g.itertuples()) for k, g in prose.groupby(keys, dropna=False, sort=False)}
    for key, cells in table.groupby(keys, dropna=False, sort=False):
        for cell in cells.drop_duplicates("value").itertuples():
            for said in stated.get(key, []):
                zero_cell, zero_text = abs(cell.value) < 1e-9, abs(said.value) < 1e-9
                if zero_cell == zero_text:
                    continue  # both state it (values compared as a figure stated twice) or neither does
                cell_f, said_f = pd.Series(cell._asdict()), pd.Series(said._asdict())
                allowed = max(tol.money, cell.precision + said.precision)
                if abs(cell.value - said.value) <= allowed:
                    continue  # 0.004 printed as 0.00
                shown = "空白" if _blank_cell(cell_f) else f"为{_fmt(cell.value)}{cell.unit}"
                message = (
                    f"“三公”经费表与正文不符：{_name(cell_f)}，表中{shown}（{_where(cell_f)}），"
                    f"正文为{_fmt(said.value)}{said.unit}（{_where(said_f)}）"
                )
                evidence, location = _evidence([cell_f, said_f])
                yield Finding(
                    cell.doc_id, "sangong_table", "error", False, cell.value, said.value, message, evidence, location
                )
                break


# --- one measure, two values ----------------------------------------------------------------


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
    for (doc_id, measure, *_), g in sure.loc[several].groupby(keys, dropna=False, sort=False):
        if g.scope.iloc[0]:
            continue
        g = _one_per_table(g)
        if g.value.nunique() > 1:  # rows of the columns `_explained` reads, not of all of them
            g = g.loc[[not _explained(r, others) for r in rows(g[_EXPLAINED_COLUMNS])]]
        g = _without_unit_slips(g)
        if g.value.nunique() < 2 or g.evidence.nunique() < 2:
            continue  # one sentence giving two values (46.64万元，压减后安排36万元) is a restatement
        yield _twice(doc_id, measure, g, tol)


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
    values = "；".join(
        f"{_fmt(r.value)}{r.unit}（{_where(r)}）"
        for r in rows(g[["value", "unit", "location", "source", "evidence"]].drop_duplicates(["value", "location"]))
    )
    note = "，属舍入差异" if passed else ("，较精确的数字被截断而非四舍五入" if severity == "warning" else "")
    message = f"同一数字前后不一致：{_name(low)}，{values}，最大相差{_fmt(round(diff, 6))}{high.unit}{note}"
    evidence, location = _evidence_of(g)
    return Finding(doc_id, "stated_twice", severity, passed, low.value, high.value, message, evidence, location)


def _where(f: pd.Series) -> str:
    """Where a figure stands, in words: 第6页表3第7行 or 第6页正文."""
    loc = str(f.location)
    page = re.search(r"p(\d+)", loc)
    at = f"第{page.group(1)}页" if page else ""
    if f.source == "table":
        title = str(f.evidence).split("｜")[0]
        return f"{at}《{title}》「{str(f.evidence).split('｜')[1] if '｜' in str(f.evidence) else ''}」"
    line = re.search(r"(?:^|\s)l(\d+)", loc)
    return f"{at}正文" + (f"第{line.group(1)}行" if line and not page else "")


def _name(f: pd.Series) -> str:
    """A measure in plain Chinese (the vocabulary's own words), with its item."""
    names = load("checks")["names"]
    base = names.get(f.measure, f.measure)
    return f"{base}「{f['item']}」" if f["item"] else base


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
        change_measure = load("checks")["changes"]["stems"].get(measure, measure)
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
    keys = list(column_values(tables.doc_id, tables.table_id))
    titles = dict(zip(keys, tables.title.tolist(), strict=True))
    standard = {k for k, title in titles.items() if kind_name(str(title)) in BLANK_TOTAL_KINDS}
    in_standard = [k in standard for k in column_values(cells.doc_id, cells.table_id)]
    for (doc_id, table_id), t in cells.loc[in_standard].groupby(["doc_id", "table_id"], sort=False):
        grid = t.pivot_table(index="row", columns="col", values="text", aggfunc="first").fillna("")
        # an amount shows decimals or thousands separators; 类/款/项 codes (201, 2010101) never do
        figures = grid.map(lambda x: parse_number(x) is not None and bool(re.search(r"[.,，]", x)))
        for r, row in grid.iterrows():
            for c in range(grid.shape[1] - 1):
                label = squash(row.iloc[c])
                if label not in totals or row.iloc[c + 1].strip() or figures.iloc[:, c + 1].sum() < 2:
                    continue
                rest = [x.strip() for x in row.iloc[c + 1 :]]
                upto = next((i for i, x in enumerate(rest) if x and parse_number(x) is None), len(rest))
                if any(rest[:upto]):
                    continue  # 合计 printed in the code column, its amount further right: not blank
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
    from budgetbook.checks_tables import cells_by_table, table_checks
    from budgetbook.checks_text import text_checks
    from budgetbook.completeness import form_checks

    tol = tol or Tolerance.default()
    cells = frames.get("table_cells")
    # the cells' checks first: each table's cells (`cells_by_table`, read once for all of them) are let go
    # of before the facts are read
    by_table = cells_by_table(cells) if cells is not None and not cells.empty else {}
    numbering = numbering_row_keys(by_table) if by_table else None
    table_findings = []
    if "table_cells" in frames and "tables" in frames:
        table_findings.extend(blank_total_checks(frames["tables"], frames["table_cells"]))
        table_findings.extend(table_checks(frames["tables"], frames["table_cells"], by_table))
    form_findings = list(form_checks(frames, by_table))
    del by_table
    facts = with_groups(frames["facts"], frames.get("paragraphs"), numbering)
    findings = [
        *sum_checks(facts, tol),
        *share_checks(facts, tol),
        *share_total_checks(facts, tol),
        *change_checks(facts, tol),
        *duplicate_checks(facts, tol),
        *sangong_table_checks(facts, tol),
        *scoped_checks(facts, tol),
        *cross_document_checks(facts, frames["documents"], tol),
        *score_checks(frames["indicators"], facts),
    ]
    if "paragraphs" in frames:
        findings.extend(text_checks({**frames, "facts": facts}))
    findings.extend([*table_findings, *form_findings])
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
