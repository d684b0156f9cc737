"""The fact: one figure a document states, with where it came from."""

from __future__ import annotations

from dataclasses import dataclass, fields

MONEY_UNITS = {"万元": 1.0, "万": 1.0, "元": 0.0001, "千元": 0.1, "亿元": 10000.0}
COUNT_UNITS = {"个": "个", "辆": "辆", "人": "人", "名": "人", "家": "个", "项": "个", "台": "个", "套": "个"}
# Where revenue comes from (the parts of revenue.total besides the carry-over and the accounts' balance).
FUNDING_SOURCES = (
    "revenue.general_budget",
    "revenue.gov_fund",
    "revenue.state_capital",
    "revenue.special_account",
    "revenue.business",
    "revenue.operating",
    "revenue.other",
)
REVENUE_PARTS = (*FUNDING_SOURCES, "revenue.carryover", "revenue.account_balance")
_UNIT_OF_MEASURE = {"assets.vehicles": "辆", "staff.authorized": "人", "staff.active": "人", "staff.retired": "人"}


def count_unit(measure: str, printed: str = "个") -> str:
    """The unit a count of `measure` is stated in (车辆17台 is 17 辆)."""
    return _UNIT_OF_MEASURE.get(measure, COUNT_UNITS.get(printed, "个"))


@dataclass(frozen=True, slots=True)
class Fact:
    """A figure: money in 万元, counts as plain numbers, rates in percent."""

    measure: str
    value: float
    unit: str
    item: str = ""
    year: int | None = None
    basis: str = ""
    evidence: str = ""
    location: str = ""
    source: str = "prose"  # prose or table
    precision: float = 0.0  # half a unit of the last printed digit, in `unit` (13434万元 → 0.5)
    of: str = ""  # for a share (….share): the measure it is a share of
    scope: str = ""  # "" all funds; 财政拨款 / 一般公共预算 / 政府性基金 … when stated for that part only
    entity: str = ""  # "" the department as a whole; 本级 or a named subordinate unit of a multi-unit table
    row_code: str = ""  # table cells: the 类/款/项 code of the row (201, 20101, 2010101) where printed
    row_level: str = ""  # table cells: 类 / 款 / 项 / 合计 (the row's place in the hierarchy), "" if none
    table_kind: str = ""  # table cells: the standard table the cell belongs to (data/tables.toml kinds)
    column: str = ""  # table cells: the column's meaning (its header path, top to bottom, joined by /)
    confidence: float | None = None  # read by OCR (source 'ocr'): the recogniser's confidence in its text

    def record(self, doc_id: str) -> dict:
        return {"doc_id": doc_id, **{name: getattr(self, name) for name in _FACT_FIELDS}}


_FACT_FIELDS = tuple(f.name for f in fields(Fact))


@dataclass(slots=True)
class ReadCell:
    """A numeric cell of a standard table with what it was read as (its `table_cells` columns beside the
    text). Slotted: a large document has hundreds of thousands, and a dict each held three times the
    memory. Read like the dict it was (`cell["measure"]`)."""

    table_id: int
    row: int
    col: int
    value: float
    measure: str
    item: str
    year: int | None
    basis: str
    scope: str
    entity: str
    row_label: str
    row_code: str
    row_level: str
    table_kind: str
    column: str
    change: bool

    def __getitem__(self, name: str) -> object:
        return getattr(self, name)

    def fields(self) -> dict[str, object]:
        """The cell's columns by name."""
        return {name: getattr(self, name) for name in _READ_CELL_FIELDS}


def precision_of(printed: str, unit: str = "万元") -> float:
    """Half a unit of the last digit of a printed number, in 万元 for money (3.8 → 0.05)."""
    digits = printed.replace(",", "").replace("，", "").strip().lstrip("-−－").rstrip("%")
    decimals = len(digits.split(".", 1)[1]) if "." in digits else 0
    return round(0.5 * 10.0**-decimals * MONEY_UNITS.get(unit, 1.0), 10)


def to_wan(value: float, unit: str) -> float:
    """An amount in `unit` (元, 万元, 千元, 亿元) in 万元, rounded off float noise."""
    return round(value * MONEY_UNITS[unit], 6)


_READ_CELL_FIELDS = tuple(f.name for f in fields(ReadCell))
