"""The bottom of the audit: a finding and the tolerance it is judged with, the rows of the frames as read
by every check, and the words a finding names its figures with. Imports no other module of the audit."""

from __future__ import annotations

import math
import re
from collections import namedtuple
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from budgetbook.extract.tables import table_kind
from budgetbook.extract.vocab import load


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
    grade: str = ""  # 确定 / 疑似 / 未能核对 / 通过 (audit.grade), from how surely its figures were read
    why: str = ""  # what makes it less than 确定, or why it could not be checked

    @property
    def difference(self) -> float | None:
        if self.expected is None or self.actual is None:
            return None
        return round(self.actual - self.expected, 6)

    def record(self) -> dict:
        return {**self.__dict__, "difference": self.difference}


def in_wan(value: str, unit: str) -> float:
    """A printed amount (thousands separators allowed) in 万元, from 万元, 亿元 or 元."""
    v = float(value.replace(",", ""))
    return v * 10000 if unit == "亿元" else v / 10000 if unit == "元" else v


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


@lru_cache(maxsize=4096)
def kind_name(title: str) -> str | None:
    """The name of a table's kind by its title (`table_kind`; every figure and cell of a table repeats the
    title: judged once per title)."""
    kind = table_kind(title)
    return kind.name if kind else None


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


def _first(found: Iterable[Row]) -> Row | None:
    """The first of `found`, None if there is none."""
    return next(iter(found), None)


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
    base = names.get(f.measure) or load("measures")["names"].get(f.measure, f.measure)  # the audit's words first
    return f"{base}「{f['item']}」" if f["item"] else base


def _truncated(a: pd.Series, b: pd.Series) -> bool:
    """Is the coarser figure the finer one cut (not rounded) to its printed precision?"""
    coarse, fine = (a, b) if a.precision > b.precision else (b, a)
    step = 2 * coarse.precision
    return step > 0 and abs(math.trunc(fine.value / step) * step - coarse.value) < 1e-6


def _page(loc: object) -> str:
    m = re.search(r"p(\d+)", str(loc))
    return m.group(1) if m else "?"
