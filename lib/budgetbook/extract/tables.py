"""Facts from the standard tables, recognised by title and read through their headers.

A table is split into header rows (no figures) and data rows. Each column gets its header
path (multi-row headers, with spanning cells filled into the columns they span); label
columns hold text, code columns 类/款/项 codes, and the rest amounts. A data cell's fact
comes from its row label and its column header, both named with the prose vocabulary:

- a row naming a measure (一般公共预算, 一般公共服务支出, 办公费) in an amount column whose
  header is generic (合计, 预算数, 2023年决算数) gives that measure;
- a total row (合计, 支出总计) gives each column's measure (基本支出, 人员经费), and in a
  generic column the table kind's total (`data/tables.toml`);
- headers give year and basis (2022年决算数 → 2022, actual); amounts are converted to 万元
  by the table's unit line. A blank amount of a measure that can be zero is a zero.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from budgetbook.document import Table
from budgetbook.extract.facts import (
    FUNDING_SOURCES,
    MONEY_UNITS,
    Fact,
    ReadCell,
    count_unit,
    precision_of,
    to_wan,
)
from budgetbook.extract.identity import is_org_name
from budgetbook.extract.prose import (
    DEFAULT_BASIS,
    Term,
    basis_of,
    is_project_category,
    match_term,
    project_key,
    project_name,
    terms,
)
from budgetbook.extract.vocab import load
from budgetbook.readers.captions import is_issuer
from budgetbook.text import normalize, parse_number, squash

_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．](?!\d)|[①-⑳])+"
)
_LEADS = re.compile(r"^(?:其中[：:]?|其中：|减[：:]|加[：:]|含[：:])")
_HEADER_WORD = re.compile(r"(?:数|率|额|计|金额|数量|价值|值|预算|决算|指标|分)$")
_YEAR = re.compile(r"(\d{4})年")
_TOTAL_MEASURES = {"revenue.total", "expenditure.total", "revenue.current", "expenditure.current"}
GENERIC, UNKNOWN = "<generic>", "<unknown>"
_SCOPED = ("revenue.", "expenditure.", "project")
_GRAND_TOTAL = "总计"
_BASIC_PART = "基本支出"
_SOURCES = set(FUNDING_SOURCES)


@dataclass(frozen=True)
class Kind:
    name: str
    total: str
    first_side_only: bool
    topics: frozenset[str]
    projects: str  # "": no projects; "after": rows after a 项目支出 row; "all": every row
    skip_totals: bool = False
    blank_is_zero: bool = True
    facts: bool = True  # false: cells are kept with their identity but give no facts
    side_totals: tuple[str, ...] = ()  # the measures of a bare 总计 row on each side
    as_items: frozenset[str] = frozenset()  # measures whose rows are economic items here
    items: bool = True  # false: rows by function/economic class break the table's own figure down, no facts
    beside: frozenset[str] = frozenset()  # columns of these make a bare 合计 column more than the kind's total
    as_classes: frozenset[str] = frozenset()  # measures whose rows are the economic class of that name here


@dataclass
class Layout:
    """Where a table's labels, codes and amounts are."""

    headers: list[list[str]]  # header rows in force, filled across spans
    labels: list[int]
    codes: list[int]
    numbers: list[int] = field(default_factory=list)  # 行次 columns: line numbers, neither codes nor amounts


def table_kind(title: str) -> Kind | None:
    """The standard table a title names, or None."""
    t = squash(title)
    for kind in load("tables")["kind"]:
        if any(w in t for w in kind["titles"]):
            projects = kind.get("projects", False)
            return Kind(
                kind["name"],
                kind.get("total", ""),
                kind.get("sides") == "first",
                frozenset(kind.get("topics", ())),
                "all" if projects == "all" else "after" if projects else "",
                kind.get("skip_totals", False),
                kind.get("blank_is_zero", True),
                kind.get("facts", True),
                tuple(kind.get("side_totals", ())),
                frozenset(kind.get("as_items", ())),
                kind.get("items", True),
                frozenset(kind.get("beside", ())),
                frozenset(kind.get("as_classes", ())),
            )
    return None


@lru_cache(maxsize=1 << 16)  # a long document repeats its labels and headers; read each once
def clean_label(text: str) -> str:
    """A row label without numbering, 其中：, spaces and quotes."""
    s = squash(text).translate(str.maketrans("", "", '“”"‘’'))
    s = _NUMBERING.sub("", s)
    return _LEADS.sub("", s).strip("：:")


@cache
def _phrases() -> dict[str, list[Term]]:
    """Exact phrase → its terms, in vocabulary order (row labels must be a whole phrase)."""
    out: dict[str, list[Term]] = {}
    for term in terms():
        out.setdefault(term.phrase, []).append(term)
    return out


def row_term(label: str, topics: frozenset[str]) -> Term | None:
    """The term a row label is, exactly (其他卫生健康支出 is not 卫生健康支出); a term of the table's
    topic first (公务接待费 in a "三公" table is sangong.reception, not the economic item)."""
    candidates = sorted(_phrases().get(label, ()), key=lambda t: not (t.topic and t.topic in topics))
    for term in candidates:
        if (
            term.phrase == label
            and not (term.change_only or term.prose_only)
            and (not term.topic or term.topic in topics)
        ):
            return term
    return None


def column_measure(path: list[str], topics: frozenset[str]) -> str | Term:
    """A column's meaning from its header path (top to bottom): a Term, GENERIC or UNKNOWN (see
    `_column_measure`; read once per header path, not per cell)."""
    return _column_measure(tuple(path), topics)


@lru_cache(maxsize=1 << 12)
def _column_measure(path: tuple[str, ...], topics: frozenset[str]) -> str | Term:
    """A column's meaning from its header path (top to bottom).

    From the deepest header up: 合计/总计 is the row's own figure whatever heads it; 小计 is
    the subtotal of the header above (本年收入/小计 → revenue.current); other amount words
    (预算数, 2023年决算数) defer to the header above; a side label (本年支出, 项目) means the
    row's own figure; a measure phrase (人员经费) is the column's measure; anything else
    (本级财政拨款) is a breakdown the vocabulary does not know.
    """
    columns = load("tables")["columns"]
    segments = [re.sub(r"[（(][^（）()]*[）)]$", "", clean_label(s)) for s in path if s.strip()]
    subtotal = False
    for segment in reversed(segments):
        bare = _YEAR.sub("", re.sub(r"\d{4}年度?", "", segment))
        if bare == segment and _period(segment) is not None:
            continue  # 上年预算数, 本年决算数: an amount word of that year
        if bare in columns["own"]:
            return GENERIC
        if bare in columns["subtotal"]:
            subtotal = True
            continue
        if bare in columns["generic"]:
            continue
        if _is_side_label(segment) and not subtotal:
            return GENERIC
        term = row_term(segment, topics) or _loose_term(segment, topics)
        if term is None:
            return UNKNOWN
        if _under_breakdown(segments[: segments.index(segment)], topics):
            return UNKNOWN  # 上年结转结余 / 一般公共预算: carry-over by source
        return GENERIC if set(term.measures) & {"revenue.total", "expenditure.total"} else term
    return GENERIC


def _under_breakdown(parents: list[str], topics: frozenset[str]) -> bool:
    breakdowns = set(load("tables")["columns"]["breakdown_parents"])
    return any((t := row_term(p, topics)) is not None and set(t.measures) & breakdowns for p in parents)


def _loose_term(segment: str, topics: frozenset[str]) -> Term | None:
    """A header that ends with a phrase (2023年实际在职人数 → 在职人数), within 4 characters."""
    segment = re.sub(r"\d{4}年度?|实际|预计", "", segment)
    for topic in sorted(topics) or [""]:
        for kind in ("money", "count", "percent", "score"):
            found = match_term(segment, kind, topic)
            if found and found[0].prose_only:
                continue
            if found and segment.endswith(found[0].phrase) and len(segment) - len(found[0].phrase) <= 4:
                return found[0]
    return None


def _is_side_label(segment: str) -> bool:
    return segment in load("tables")["columns"]["sides"] or _YEAR.sub("", segment) in {"", "预算", "决算"}


def is_figure(text: str) -> bool:
    return parse_number(text) is not None


def is_identity_row(row: list[str]) -> bool:
    """预算单位名称 | 怀化市人民政府办公室: who filled in the table, not column names."""
    cells = [c for c in row if c.strip()]
    return len(cells) == 2 and is_issuer(f"{cells[0]}：{cells[1]}")


def is_column_numbers(row: list[str]) -> bool:
    """A 栏次 row (栏次 | 1 | 2 | 3 …, or just 1 2 3 …) numbers the columns; it is not data."""
    cells = [squash(c) for c in row if c.strip()]
    named = [c for c in cells if c in load("tables")["columns"]["column_numbers"]]
    rest = [c for c in cells if c not in named]
    numbers = [c for c in rest if c.isdigit()]
    marks = [c for c in rest if not c.isdigit() and not re.search(r"\w", c)]  # "*", "**" beside the numbers
    if len(numbers) + len(marks) != len(rest):
        return False
    if named:
        return True
    return len(numbers) >= 3 and [int(c) for c in numbers] == list(
        range(int(numbers[0]), int(numbers[0]) + len(numbers))
    )


def is_header_row(row: list[str], seen_data: bool) -> bool:
    """Before any figure every row is a header; later, a row of column names without figures."""
    cells = [c for c in row if c.strip()]
    if any(is_figure(c) for c in cells):
        return False
    if not seen_data:
        return True
    return len(cells) >= 3 and sum(bool(_HEADER_WORD.search(squash(c))) for c in cells[1:]) >= 2


def fill_spans(headers: list[list[str]], width: int) -> list[list[str]]:
    """Copy a spanning header cell into the empty cells to its right that have sub-headers below, within
    the span of its own parent (公务用车运行费 does not spill over into the 公务接待费 column beside it)."""
    rows = [r + [""] * (width - len(r)) for r in headers]
    for i, row in enumerate(rows[:-1]):
        for j in range(1, width):
            below = any(rows[k][j] for k in range(i + 1, len(rows)))
            parent = i == 0 or rows[i - 1][j] == rows[i - 1][j - 1]
            if not row[j] and row[j - 1] and below and parent:
                row[j] = row[j - 1]
    return rows


def layout(headers: list[list[str]], data: list[list[str]], width: int) -> Layout:
    filled = fill_spans(headers, width)
    code_words = set(load("tables")["columns"]["codes"])
    line_words = set(load("tables")["columns"]["line_numbers"])
    numbers = [j for j in range(width) if any(clean_label(r[j]) in line_words for r in filled)]
    codes = [j for j in range(width) if j not in numbers and any(clean_label(r[j]) in code_words for r in filled)]
    generic = set(load("tables")["columns"]["generic"])

    def amount_header(j: int) -> bool:
        deepest = next((clean_label(r[j]) for r in reversed(filled) if r[j].strip()), "")
        return _YEAR.sub("", deepest) in generic

    labels = [
        j
        for j in range(width)
        if j not in codes + numbers and not amount_header(j) and _mostly_text([r[j] for r in data if j < len(r)])
    ]
    return Layout(filled, labels, codes, numbers)


def _mostly_text(cells: list[str]) -> bool:
    filled = [c for c in cells if c.strip()]
    return bool(filled) and sum(not is_figure(c) for c in filled) > len(filled) / 2


@dataclass
class TableContext:
    table: Table
    table_id: int
    kind: Kind
    fiscal_year: int | None
    doc_kind: str
    carryover: bool = False  # reading the rows below a 上年结转 row
    entity: str = ""  # the unit whose rows are being read in a multi-unit table ("" the department)
    cells: list[ReadCell] = field(default_factory=list)  # every numeric cell, read or not
    headers: list[list[str]] = field(default_factory=list)  # the header rows in force
    periods: list[tuple[int | None, str]] = field(default_factory=list)  # year rows read so far (years as rows)
    parts: dict[int, tuple[str, int]] = field(default_factory=dict)  # each side's open part: (name, numbering depth)
    listed: set[int] = field(default_factory=set)  # ids of the facts of rows printing their 项目类别

    @property
    def factor_unit(self) -> str:
        return self.table.unit if self.table.unit in MONEY_UNITS else "万元"


def table_facts(table: Table, table_id: int, fiscal_year: int | None, doc_kind: str) -> list[Fact]:
    """All facts of one table (none if it is not a standard table)."""
    return read_table(table, table_id, fiscal_year, doc_kind)[0]


def read_table(table: Table, table_id: int, fiscal_year: int | None, doc_kind: str) -> tuple[list[Fact], list[dict]]:
    """The facts of one table and every numeric cell of a standard table with its identity."""
    kind = table_kind(table.title + "".join(table.caption))
    if not table.rows:
        return [], []
    form = form_facts(table, table_id, fiscal_year, doc_kind)
    if form or kind is None:
        return form, []
    ctx = TableContext(table, table_id, kind, fiscal_year, doc_kind)
    facts = _read_rows(ctx)
    if ctx.listed:
        facts = same_name_projects(facts, ctx.listed)
    return (facts if kind.facts else []), ctx.cells


def same_name_projects(facts: list[Fact], listed: set[int]) -> list[Fact]:
    """One project name on several rows of a flat list of projects (rows printing their 项目类别, `listed`: the
    ids of their facts), nothing on the page telling the rows apart (烟台's 项目支出预算情况表 lists each
    subordinate unit's 实施公车统管 in turn, without a 单位 column nor a unit row): the department's figure
    for that project is the sum of its rows. The evidence names every row (their cells stay in `table_cells`
    one by one); the location is the first row's. Rows a unit (entity) or a column tells apart stay apart;
    so do rows of a list numbered as a tree (四、X above its one sub-row 1、X) or of forms (项目名称 X restated):
    they print one figure again."""
    groups: dict[tuple, list[Fact]] = {}
    for f in facts:
        if f.measure == "project" and id(f) in listed:
            key = (f.item, f.year, f.basis, f.scope, f.entity, f.column, f.unit)
            groups.setdefault(key, []).append(f)
    out: list[Fact] = []
    for f in facts:
        if f.measure != "project" or id(f) not in listed:
            out.append(f)
            continue
        rows = groups[(f.item, f.year, f.basis, f.scope, f.entity, f.column, f.unit)]
        if len(rows) == 1:
            out.append(f)
        elif f is rows[0]:
            out.append(_summed(rows))
    return out


def _summed(rows: list[Fact]) -> Fact:
    first = rows[0]
    title, _, rest = first.evidence.partition("｜")
    name, _, rest = rest.partition("｜")
    column = rest.rpartition("｜")[0]
    printed = " + ".join(f.evidence.rpartition("｜")[2] for f in rows)
    where = "、".join(" ".join(p for p in f.location.split() if p[0] in "pr") for f in rows)
    evidence = f"{title}｜{name}｜{column}｜{printed}（同名{len(rows)}行：{where}；表中未分单位，合计为部门的该项目数）"
    total = round(sum(f.value for f in rows), 6)
    return replace(first, value=total, evidence=evidence, precision=round(sum(f.precision for f in rows), 10))


def _read_rows(ctx: TableContext) -> list[Fact]:
    table = ctx.table
    width = table.n_cols
    facts: list[Fact] = []
    headers: list[list[str]] = []
    pending: list[list[str]] = []
    seen_data, in_projects = False, False
    lay = layout([], table.rows, width)
    for i, row in enumerate(table.rows):
        if is_identity_row(row) or is_column_numbers(row):
            continue
        if is_header_row(row, seen_data):
            pending.append(row)
            continue
        if pending or not seen_data:
            # a one-cell row among column names is a title or date line, not a column header
            wide = [r for r in pending if sum(bool(c.strip()) for c in r) >= 2]
            headers, pending = wide or pending, []
            block = list(table.rows[i:])
            nxt = next((k for k, r in enumerate(block[1:], 1) if is_header_row(r, True)), len(block))
            lay = layout(headers, block[:nxt], width)
            ctx.headers = lay.headers
        seen_data = True
        row_facts, in_projects = _row(ctx, lay, i, row, in_projects)
        facts.extend(row_facts)
    return facts


def _row(ctx: TableContext, lay: Layout, i: int, row: list[str], in_projects: bool) -> tuple[list[Fact], bool]:
    facts: list[Fact] = []
    carryover = ctx.carryover
    sides = lay.labels or [-1]  # no text column: every column holds amounts (上海 三公 table)
    if ctx.kind.projects == "all":
        sides = _project_column(lay) or sides  # 项目单位 | 项目内容 | 支出功能科目 | … | 金额: the project's column
    for side, label_col in enumerate(sides):
        if side > 0 and ctx.kind.first_side_only:
            break
        end = sides[side + 1] if side + 1 < len(sides) else len(row)
        raw_label = _row_label(row, label_col, lay.codes if side == 0 else [])
        label = clean_label(raw_label)
        term = row_term(label, ctx.kind.topics)
        if term and term.item and not _class_level(row, lay.codes):
            term = None  # 229|60|其他支出: a 款 named like its 类
        total = label in load("tables")["columns"]["totals"] or bool(term and set(term.measures) & _TOTAL_MEASURES)
        if total and ctx.kind.skip_totals:
            continue
        period = row_period(label, ctx.fiscal_year, ctx.doc_kind) if term is None and not total else None
        change = change_row(label) if term is None and not total and period is None else ""
        if period is not None and side == 0:
            ctx.periods.append(period)
        if term:  # a 项目支出 row opens the projects; the next measure row (公用经费) closes them
            in_projects = "expenditure.project" in term.measures
        if term and "revenue.carryover" in term.measures and side == 0:
            carryover = True  # rows below 上年结转 break it down by source
        elif total:
            carryover = False
        elif term and carryover and set(term.measures) & _SOURCES:
            continue
        part = _part(ctx, side, raw_label, term, total)
        code = row_code(row, lay.codes, raw_label) if side == 0 else ""
        listed = ctx.kind.projects == "all" and not total and _prints_category(row, lay, label_col)
        if side == 0:
            units = [clean_label(row[j]) for j in _entity_columns(lay) if j < len(row) and row[j].strip()]
            labels = units[-1:] or [clean_label(row[j]) for j in lay.labels if j < len(row)]
            if not listed:  # a row printing its project's category (其他运转类) is a project, not a unit
                ctx.entity = _entity(ctx, labels, label, term, total, bool(units))
        level = "" if period or change else _row_level(code, total)
        as_total = total or bool(period or change)  # a year row (2023年预算数) reads each column's measure
        bare = label_col < 0
        head = _RowLabel(
            raw_label, label, term, as_total, in_projects, code, level, bare, side, period, change, part, listed
        )
        for j in range(max(label_col + 1, 0), end):
            if j in lay.codes or j in lay.labels or j in lay.numbers:
                continue
            path = [h[j] for h in lay.headers if j < len(h)]
            cell_facts = _cell(ctx, i, j, row[j] if j < len(row) else "", head, path)
            facts.extend(cell_facts)
            if listed:
                ctx.listed.update(id(f) for f in cell_facts)
            _keep_cell(ctx, i, j, row[j] if j < len(row) else "", head, path, cell_facts)
        if side == 0:
            ctx.carryover = carryover
    return facts, in_projects


_CODE_PREFIX = re.compile(r"^\s*[\[【]?(\d{3}(?:\d{2}){0,2})(?!\d)")
_LEVELS = {3: "类", 5: "款", 7: "项"}
_UNIT_ROW = "本级"


# Numbering of a row label, outermost first: 一、 > （一） > 1、 > (1) > ①.
_DEPTHS = (
    re.compile(r"^[一二三四五六七八九十]+[、.．]"),
    re.compile(r"^[（(][一二三四五六七八九十]+[）)]"),
    re.compile(r"^\d+[、.．](?!\d)"),
    re.compile(r"^[（(]\d+[）)]"),
    re.compile(r"^[①-⑳]"),
)


def numbering_depth(label: str) -> int | None:
    """How deep a row's numbering nests it (一、 0, （一） 1, 1、 2, (1) 3, ① 4), None if unnumbered."""
    s = squash(label)
    return next((d for d, pattern in enumerate(_DEPTHS) if pattern.match(s)), None)


def _part(ctx: TableContext, side: int, raw_label: str, term: Term | None, total: bool) -> str:
    """The part of the spending a row belongs to: a numbered row naming a part (1、人员经费和公用经费支出,
    2、专项业务经费支出: data/tables.toml [parts]) opens it, the rows numbered deeper below it ((1)工资福利支出)
    are that part's; a row numbered as high (or not numbered), or a total, closes it. The part row is
    itself no item of its part (""); a blank label (the other side's row) leaves it open."""
    if not raw_label.strip():
        return ""
    depth = numbering_depth(raw_label)
    names = load("tables")["parts"]["names"]
    named = next((names[m] for m in term.measures if m in names), "") if term else ""
    if named and depth is not None and not total:
        ctx.parts[side] = (named, depth)
        return ""
    open_part = ctx.parts.get(side)
    if open_part and depth is not None and depth > open_part[1] and not total:
        return open_part[0]
    ctx.parts.pop(side, None)
    return ""


def row_code(row: list[str], codes: list[int], label: str = "") -> str:
    """A row's 类/款/项 code: its code cells joined (201|05|04 → 2010504), else a code before its label."""
    parts = [re.sub(r"\s", "", row[j]) for j in codes if j < len(row)]
    digits = [p for p in parts if p.isdigit()]
    if digits and len(digits) == len([p for p in parts if p]):
        code = "".join(digits)
        return code if len(code) in _LEVELS else ""
    m = _CODE_PREFIX.match(label)
    return m.group(1) if m else ""


def _row_level(code: str, total: bool) -> str:
    return "合计" if total else _LEVELS.get(len(code), "")


def _project_column(lay: Layout) -> list[int]:
    """The label column headed 项目名称 / 项目内容 when a project list has several label columns."""
    words = load("tables")["columns"]["project_names"]
    found = [j for j in lay.labels if any(clean_label(h[j]) in words for h in lay.headers if j < len(h))]
    return found[:1] if len(lay.labels) > 1 else []


def _prints_category(row: list[str], lay: Layout, label_col: int) -> bool:
    """Does a row print a project category (其他运转类, 特定目标类) in a label column beside its name?"""
    return any(
        j != label_col and j < len(row) and row[j].strip() and is_project_category(clean_label(row[j]))
        for j in lay.labels
    )


def _entity_columns(lay: Layout) -> list[int]:
    """Label columns headed 单位名称 (a multi-unit table names each row's unit there)."""
    words = load("tables")["columns"]["entity"]
    return [j for j in lay.labels if any(clean_label(h[j]) in words for h in lay.headers if j < len(h))]


def _entity(
    ctx: TableContext, labels: list[str], label: str, term: Term | None, total: bool, named: bool = False
) -> str:
    """The unit whose rows these are: a 单位名称 cell, or a row naming a unit (X局本级, X中心),
    opens its block (merged cells leave the next rows blank); a total row closes it."""
    if total:
        return ""
    if named:
        return _UNIT_ROW if labels[0].endswith(_UNIT_ROW) else labels[0]
    for text in [label, *labels] if term is None else labels:
        if text and (text.endswith(_UNIT_ROW) or is_org_name(text, load("identity"))):
            return _UNIT_ROW if text.endswith(_UNIT_ROW) else text
    return ctx.entity


def _keep_cell(
    ctx: TableContext, i: int, j: int, text: str, head: _RowLabel, path: list[str], facts: list[Fact]
) -> None:
    """Record a numeric cell with its row, column and what it was read as (nothing if it was not)."""
    number = parse_number(text.replace("%", "")) if text.strip() else None
    if number is None:
        return
    header = "/".join(p for p in path if p.strip())
    fact = facts[0] if facts else None
    year, basis = head.period or (_column_year(path, ctx.fiscal_year), "")
    ctx.cells.append(
        ReadCell(
            table_id=ctx.table_id,
            row=i,
            col=j,
            value=fact.value if fact else (number if "%" in text else to_wan(number, ctx.factor_unit)),
            measure=fact.measure if fact else "",
            item=fact.item if fact else "",
            year=fact.year if fact else year,
            basis=fact.basis if fact else basis,
            scope=fact.scope if fact else _title_scope(ctx),
            entity=ctx.entity,
            row_label=head.raw.strip(),
            row_code=head.code,
            row_level=head.level,
            table_kind=ctx.kind.name,
            column=header,
            change=is_change_column(header) or bool(head.change),
        )
    )


@lru_cache(maxsize=1 << 12)  # asked for every cell: a table's headers are few
def is_change_column(header: str) -> bool:
    """增减 / 增减率 / 比上年增减 columns hold changes, never amounts."""
    return any(w in squash(header) for w in load("tables")["columns"]["change_columns"])


def _class_level(row: list[str], codes: list[int]) -> bool:
    """A coded row is class-level (类) if only its first code is filled and that has 3 digits."""
    cells = [row[j].strip() for j in codes if j < len(row)]
    filled = [c for c in cells if c]
    if not filled:
        return True
    return len(filled) == 1 and cells[0] == filled[0] and len(filled[0]) <= 3


def _row_label(row: list[str], label_col: int, codes: list[int]) -> str:
    """The row's label: its label column, else (苏州 puts 合计 under 部门代码) a code column."""
    totals = load("tables")["columns"]["totals"]
    for j in [label_col, *codes]:
        text = row[j] if 0 <= j < len(row) else ""
        if text.strip() and not is_figure(text) and (j == label_col or clean_label(text) in totals):
            return text
    return ""


@dataclass(frozen=True)
class _RowLabel:
    """What a row's label says: as printed, cleaned, the term it is, whether a total, in a project list."""

    raw: str
    label: str
    term: Term | None
    total: bool
    in_projects: bool
    code: str = ""  # 类/款/项 code (201 / 20101 / 2010101)
    level: str = ""  # 类 / 款 / 项 / 合计
    bare: bool = False  # the table has no label column (a one-row "三公" table of amounts only)
    side: int = 0  # which side of a two-sided table (收入 | 支出) the row is on
    period: tuple[int | None, str] | None = None  # a year row (2023年预算数, 上年): its year and basis
    change: str = ""  # a change row (增减, 增减率): "amount" or "rate"
    part: str = ""  # the part of the spending (基本支出, 项目支出) whose numbered sub-row this is
    listed: bool = False  # a row of a project list printing its project's category (项目类别: 其他运转类)


@dataclass(frozen=True)
class _Reading:
    """What a cell means: its measures, item, kind of value and whether blank means zero."""

    measures: tuple[str, ...]
    item: str
    kind: str
    zero_ok: bool
    basis: str = ""
    scope: str = ""


def _cell(ctx: TableContext, i: int, j: int, text: str, head: _RowLabel, path: list[str]) -> list[Fact]:
    header_text = "/".join(p for p in path if p.strip())
    if is_change_column(header_text) or head.change:
        return _change_facts(ctx, i, j, text, head, path)
    reading = _reading(ctx, column_measure(path, ctx.kind.topics), head, path)
    if reading is None:
        return []
    value = _value(text, reading.kind, ctx, reading.zero_ok and ctx.kind.blank_is_zero)
    if value is None:
        return []
    header = "".join(path)
    year = _column_year(path, ctx.fiscal_year)
    basis = basis_of(header, ctx.doc_kind) if header else DEFAULT_BASIS.get(ctx.doc_kind, "")
    if head.period is not None:  # a table of years as rows: the row says the year
        year, basis = head.period
    basis = reading.basis or basis
    unit = {"money": "万元", "percent": "%", "score": "分"}.get(reading.kind) or count_unit(reading.measures[0])
    precision = precision_of(text, ctx.factor_unit) if reading.kind == "money" and text.strip() else 0.0
    scope = reading.scope or _fund_column(tuple(path[1:])) or _table_scope(ctx, reading)
    cell = _Cell(i, j, text, header_text, year, basis, unit, precision, scope)
    return [_fact(ctx, head, cell, m, value, reading.item) for m in reading.measures]


@lru_cache(maxsize=1 << 10)
def _fund_column(lower: tuple[str, ...]) -> str:
    """The fund a sub-column under a measure's header names (因公出国（境）费 › 政府性基金): that fund's part
    of the figure, its scope — not the figure itself."""
    funds = load("tables")["fund_columns"]
    for level in lower:
        name = squash(level)
        for scope, words in funds.items():
            if name in words:
                return scope
    return ""


@dataclass(frozen=True)
class _Cell:
    """Where a cell is and the identity its column gives it."""

    row: int
    col: int
    text: str
    header: str
    year: int | None
    basis: str
    unit: str
    precision: float
    scope: str


def _fact(ctx: TableContext, head: _RowLabel, cell: _Cell, measure: str, value: float, item: str) -> Fact:
    row_loc = ctx.table.row_locations[cell.row] if cell.row < len(ctx.table.row_locations) else ctx.table.location
    return Fact(
        measure,
        value,
        cell.unit,
        item,
        cell.year,
        cell.basis,
        f"{ctx.table.title}｜{head.raw.strip()}｜{cell.header}｜{cell.text.strip() or '（空）'}",
        f"{row_loc} t{ctx.table_id} r{cell.row} c{cell.col}",
        "table",
        cell.precision,
        "",
        cell.scope,
        ctx.entity,
        head.code,
        head.level,
        ctx.kind.name,
        cell.header,
    )


def _change_facts(ctx: TableContext, i: int, j: int, text: str, head: _RowLabel, path: list[str]) -> list[Fact]:
    """A change column's (or change row's) cell: the change of the row's (column's) measure, never a level.

    Only a year-on-year change of a measure that has a change form (measures.toml `change`) is read;
    an amount is in 万元, a rate (增减率, a figure printed with %) in percent, both signed as printed.
    """
    number = parse_number(text.replace("%", "").replace("％", "")) if text.strip() else None
    changes = [p for p in path if p.strip() and _is_change_part(p)] + ([head.label] if head.change else [])
    if number is None or not changes or not all(_compares_only(p) for p in changes):
        return []
    years = {y for y, _ in ctx.periods} if head.change else set()
    if not _year_on_year(changes, ctx.headers) or (len(ctx.periods) >= 2 and len(years) < 2):
        return []  # 2023年预算数 | 2023年决算数 | 增减: the outturn against the budget, not a change
    level = [p for p in path if not (p.strip() and _is_change_part(p))]
    reading = _reading(ctx, column_measure(level, ctx.kind.topics), head, level)
    if reading is None or reading.item or reading.kind != "money":
        return []  # a line item's change is not the department's; nothing else has a change form
    stems = [s for m in reading.measures for s in _change_stems(m)]
    if not stems:
        return []
    rate = head.change == "rate" or any(w in "".join(changes) + text for w in load("tables")["changes"]["rate"])
    year, basis = _change_period(ctx, changes, head)
    value = number if rate else to_wan(number, ctx.factor_unit)
    unit, suffix = ("%", "change_pct") if rate else ("万元", "change")
    precision = precision_of(text, "%" if rate else ctx.factor_unit)
    scope = reading.scope or _table_scope(ctx, reading)
    cell = _Cell(i, j, text, "/".join(p for p in path if p.strip()), year, basis, unit, precision, scope)
    return [_fact(ctx, head, cell, f"{stem}.{suffix}", value, "") for stem in stems]


@cache
def _comparison() -> re.Pattern[str]:
    return re.compile("|".join(load("tables")["changes"]["comparison"]))


def _is_change_part(segment: str) -> bool:
    """A header part naming a change (增减额) or the comparison it is of (2026年预算数比2025年执行数)."""
    return is_change_column(segment) or bool(_comparison().search(squash(segment)))


def _compares_only(segment: str) -> bool:
    """A change header that names only the comparison: no other word (扣除中央基建投资) qualifies it."""
    rest = re.sub(r"\d{4}年度?", "", squash(segment))
    for word in sorted(load("tables")["changes"]["words"], key=len, reverse=True):
        rest = rest.replace(word, "")
    return not re.search(r"\w", rest)


def _year_on_year(changes: list[str], headers: list[list[str]]) -> bool:
    """Is the change against the year before? Two years named, or 上年, say so; one year with 预算 and
    决算 columns (2023年预算数 | 2023年决算数 | 增减) is the outturn against the budget."""
    own = "".join(changes)
    years = _YEAR.findall(own)
    if len(set(years)) >= 2:
        return True
    if len(years) >= 2:
        return False  # 2023年决算数比2023年预算数
    if _comparison().search(squash(own)):
        return True
    others = "".join(c for row in headers for c in row if c.strip() and not _is_change_part(c))
    if len(set(_YEAR.findall(others))) >= 2 or any(w in others for w in load("tables")["changes"]["periods"]):
        return True
    return not ("预算" in others and ("决算" in others or "执行" in others))


def _change_period(ctx: TableContext, changes: list[str], head: _RowLabel) -> tuple[int | None, str]:
    """The year and basis of a change: the later figure's (2026年预算数比2025年执行数 → 2026, budget)."""
    if head.change and ctx.periods:
        return max(ctx.periods, key=lambda p: p[0] or 0)
    own = "".join(changes)
    years = [int(y) for y in _YEAR.findall(own)]
    later = _comparison().split(squash(own))[0]
    basis = basis_of(later, ctx.doc_kind) if later else DEFAULT_BASIS.get(ctx.doc_kind, "")
    return (max(years) if years else ctx.fiscal_year), basis


@cache
def _change_stems_of() -> dict[str, tuple[str, ...]]:
    """Each measure's change stems (expenditure.total → expenditure), from the vocabulary's `change`."""
    out: dict[str, tuple[str, ...]] = {}
    for term in terms():
        if term.change and len(term.measures) == 1:
            out.setdefault(term.measures[0], tuple(term.change.split("|")))
    return out


def _change_stems(measure: str) -> tuple[str, ...]:
    return _change_stems_of().get(measure, ())


def row_period(label: str, fiscal_year: int | None, doc_kind: str) -> tuple[int | None, str] | None:
    """A label naming a year and basis (2023年预算数, 上年决算, 本年预算): (year, basis), else None."""
    found = _period(label)
    if found is None:
        return None
    year, offset, rest = found
    if year is None:
        if fiscal_year is None:
            return None
        year = fiscal_year + offset
    return year, basis_of(rest, doc_kind) if rest else DEFAULT_BASIS.get(doc_kind, "")


@lru_cache(maxsize=1 << 12)  # asked for every cell of a column without a printed year
def _period(label: str) -> tuple[int | None, int, str] | None:
    """(printed year, else None; offset of a word 上年/本年 from the fiscal year; the amount word after it)
    of a label that names a year and nothing else (2023年预算数, 上年决算数), else None."""
    periods = load("tables")["changes"]["periods"]
    m = re.fullmatch(r"(\d{4})年度?(.*)", label)
    word = next((w for w in sorted(periods, key=len, reverse=True) if label.startswith(w)), "")
    if not m and not word:
        return None
    year, offset, rest = (int(m.group(1)), 0, m.group(2)) if m else (None, periods[word], label[len(word) :])
    rest = re.sub(r"[（(][^（）()]*[）)]$", "", rest)
    return (year, offset, rest) if not rest or rest in load("tables")["columns"]["generic"] else None


def _column_year(path: list[str], fiscal_year: int | None) -> int | None:
    """A column's year: the last year its header prints, else 上年/本年 (上年预算数), else the document's."""
    return _header_year(tuple(path), fiscal_year)


@lru_cache(maxsize=1 << 12)  # asked for every cell: read once per header path
def _header_year(path: tuple[str, ...], fiscal_year: int | None) -> int | None:
    """`_column_year` of a header path."""
    years = _YEAR.findall("".join(path))
    if years:
        return int(years[-1])
    for segment in reversed(path):
        found = _period(clean_label(segment))
        if found is not None and fiscal_year is not None:
            return fiscal_year + found[1]
    return fiscal_year


def change_row(label: str) -> str:
    """A row label naming a change (增减, 增减率, 比上年增减): "rate" or "amount", else ""."""
    if not label or not is_change_column(label) or not _compares_only(label):
        return ""
    return "rate" if any(w in label for w in load("tables")["changes"]["rate"]) else "amount"


def _table_scope(ctx: TableContext, reading: _Reading) -> str:
    """财政拨款 / 一般公共预算 tables state their own scope of expenditure (revenue rows are sources)."""
    if ctx.kind.name == "fiscal_summary" and "revenue.carryover" in reading.measures:
        return "财政拨款"  # 年初财政拨款结转和结余: the fiscal part of the carry-over only
    if all(m.startswith("revenue.") for m in reading.measures):
        return ""
    if not any(m.startswith(_SCOPED) for m in reading.measures):
        return ""  # "三公", 机关运行经费 … are defined on fiscal funds whatever the table
    return _title_scope(ctx)


def _title_scope(ctx: TableContext) -> str:
    """The fund scope a table's title declares (财政拨款收支总表, 一般公共预算支出表, 政府性基金…)."""
    return _scope_of_title(ctx.table.title, ctx.kind.name)


@lru_cache(maxsize=1 << 10)  # asked for every cell of a table
def _scope_of_title(title: str, kind: str) -> str:
    """`_title_scope` of a table's title and kind."""
    if kind == "fiscal_summary":
        return "财政拨款"
    title = squash(title)
    for scope, words in load("tables")["scopes"].items():
        if any(w in title for w in words):
            return scope
    return ""


def _reading(ctx: TableContext, column: str | Term, head: _RowLabel, path: list[str]) -> _Reading | None:
    """Combine row and column: see the module docstring."""
    if column == UNKNOWN or (isinstance(column, Term) and not _unit_fits(column.unit, path)):
        return None
    source = _source_scope(ctx, column)
    if source:  # 项目支出表 | 一般公共预算: the row's spending from that source, not revenue
        own = _reading(ctx, GENERIC, head, path)
        return None if own is None else _Reading(own.measures, own.item, own.kind, own.zero_ok, own.basis, source)
    if isinstance(column, Term):
        item = column.phrase if column.item else ""
        fits = head.total or not head.label
        return _Reading(column.measures, item, column.unit, column.zero, column.basis) if fits else None
    term = head.term
    if ctx.kind.total and column == GENERIC and (head.total or head.bare) and _total_is_more(ctx):
        return None  # 合计 of the "三公" with 会议费 and 培训费 beside them: no measure
    if head.bare and not head.label and ctx.kind.total and column == GENERIC:
        return _Reading((ctx.kind.total,), "", "money", False)  # 合计 | 因公出国 | …: the 合计 column
    if head.total and head.label == _GRAND_TOTAL and ctx.kind.side_totals and column == GENERIC:
        # 总计 | 2995.39 | 总计 | 2995.39; a third side (支出 by economic class) is spending again
        side = min(head.side, len(ctx.kind.side_totals) - 1)
        return _Reading((ctx.kind.side_totals[side],), "", "money", False)
    if head.total and ctx.kind.total and (term is None or head.label in load("tables")["columns"]["totals"]):
        return _Reading((ctx.kind.total,), "", "money", False)
    if head.listed and not head.total and project_name(head.label):
        # 专用设备购置 | 其他运转类 | 98.00, 放射性药品检验室 | 其他运转类: a project, whatever its name reads as
        name = project_key(head.raw.strip())
        return _Reading(("project",), f"{name}（{ctx.entity}）" if ctx.entity else name, "money", False)
    if term is not None and term.item and not ctx.kind.items:
        return None  # 政府采购预算表｜交通运输支出: the procurement of that class, not the department's spending
    if term is not None and head.part and (term.item or set(term.measures) <= _part_items()):
        # (1)工资福利支出 under 1、人员经费和公用经费支出: the part's item, not the department's
        item = f"{term.phrase}（{head.part}）" if term.item else head.part
        return _Reading(term.measures, item, term.unit, term.zero, term.basis) if _unit_fits(term.unit, path) else None
    if term is not None and set(term.measures) <= ctx.kind.as_classes and _unit_fits("money", path):
        # 会议费 of a table of all spending by economic class: the class 会议费, not the department's 会议费
        return _Reading(("expenditure.economic",), term.phrase, "money", term.zero)
    if term is not None and set(term.measures) <= ctx.kind.as_items:
        fits = _unit_fits("money", path)  # 会议费 of the basic spending only: the part is its item
        return _Reading(term.measures, _BASIC_PART, "money", term.zero) if fits else None
    if term is not None:
        item = term.phrase if term.item else ""
        return _Reading(term.measures, item, term.unit, term.zero, term.basis) if _unit_fits(term.unit, path) else None
    if _is_project_row(ctx, head.label, head.total, head.in_projects):
        # two units' projects of one name are two projects: the unit goes with the name
        name = project_key(head.raw.strip())
        return _Reading(("project",), f"{name}（{ctx.entity}）" if ctx.entity else name, "money", False)
    return None


def _total_is_more(ctx: TableContext) -> bool:
    """Do the table's columns include measures beside its total's (data/tables.toml `beside`: 会议费 and
    培训费 beside the "三公"), so that a bare 合计 column sums them too?"""
    if not ctx.kind.beside or not ctx.headers:
        return False
    return _headers_beside(tuple(tuple(h) for h in ctx.headers), ctx.kind.topics, ctx.kind.beside)


@lru_cache(maxsize=1 << 10)
def _headers_beside(headers: tuple[tuple[str, ...], ...], topics: frozenset[str], beside: frozenset[str]) -> bool:
    width = max((len(h) for h in headers), default=0)
    for j in range(width):
        column = column_measure([h[j] for h in headers if j < len(h)], topics)
        if isinstance(column, Term) and set(column.measures) & beside:
            return True
    return False


@cache
def _part_items() -> frozenset[str]:
    """Measures without items whose sub-row of a part takes the part as its item (会议费 → 基本支出)."""
    return frozenset(load("tables")["parts"]["as_items"])


def _source_scope(ctx: TableContext, column: str | Term) -> str:
    """In a table of spending (not 收入总表 nor a 收支总表), a column headed by a funding source
    is the spending's scope."""
    if not isinstance(column, Term) or ctx.kind.name in ("revenue", "summary", "fiscal_summary"):
        return ""
    scopes = load("tables")["source_scopes"]
    return next((scopes[m] for m in column.measures if m in scopes), "")


def _is_project_row(ctx: TableContext, label: str, total: bool, in_projects: bool) -> bool:
    """A row naming a project: in a project list, or after 项目支出 in a self-evaluation table."""
    wanted = ctx.kind.projects == "all" or (ctx.kind.projects == "after" and in_projects)
    return wanted and not total and _names_project(label)


@lru_cache(maxsize=1 << 12)  # asked for every cell of a row
def _names_project(label: str) -> bool:
    """A label that names a project: a name, not a unit's nor a category of projects."""
    return (
        bool(project_name(label))
        and not is_org_name(label, load("identity"))
        and not is_project_category(project_key(label.strip()))
    )


def form_facts(table: Table, table_id: int, fiscal_year: int | None, doc_kind: str) -> list[Fact]:
    """A one-project form (项目名称 | X … 资金总额 | amount): the project and its amount. A form
    that prints its project's name only in its title (X项目绩效目标表) is that project's."""
    forms = load("tables")["forms"]
    amount = _beside(table, forms["amount"], want_figure=True)
    if not amount:
        return []
    name = _beside(table, forms["name"], want_figure=False)
    text = form_project(table) if name else title_project(table.title)
    if not text:
        return []
    figure, i, j = amount if not name else (amount[0], name[1], name[2])
    unit = table.unit if table.unit in MONEY_UNITS else "万元"
    value = parse_number(figure)
    if value is None:
        return []
    loc = table.row_locations[i] if i < len(table.row_locations) else table.location
    evidence = f"{table.title}｜项目名称：{text}｜{figure}"
    return [
        Fact(
            "project",
            to_wan(value, unit),
            "万元",
            text,
            fiscal_year,
            DEFAULT_BASIS.get(doc_kind, ""),
            evidence,
            f"{loc} t{table_id} r{i} c{j}",
            "table",
        )
    ]


_TITLE_TAIL = re.compile(r"(?:项目)?(?:支出)?绩效(?:目标|自评|评价)(?:申报)?表.*$")
_TITLE_YEAR = re.compile(r"^\d{4}年度?|\d{4}年度?$")
MIN_PROJECT_NAME = 4  # characters of a project's name after its year (综合工作经费)


def form_project(table: Table) -> str:
    """The project a one-project table is about: its 项目名称 (layout spaces squashed), else its
    title's (also when the name cell was cut by a line or page break: "…补助资" of "…补助资金")."""
    found = _beside(table, load("tables")["forms"]["name"], want_figure=False)
    title = _TITLE_TAIL.sub("", clean_label(table.title))
    if found and not (title.startswith(squash(found[0])) and len(title) > len(squash(found[0]))):
        return normalize(found[0])
    return title


def title_project(title: str) -> str:
    """The project a form's title names (2026 年医疗服务…资金项目绩效目标表 → 2026年医疗服务…资金),
    or '' for a title of no one project (2026年项目支出绩效目标表, 部门整体支出绩效目标表)."""
    label = clean_label(title)
    if not _TITLE_TAIL.search(label):
        return ""
    name = _TITLE_TAIL.sub("", label)
    bare = _TITLE_YEAR.sub("", name)
    words = load("tables")["forms"]["not_names"]
    if len(bare) < MIN_PROJECT_NAME or bare.endswith(tuple(words)) or is_org_name(bare, load("identity")):
        return ""
    return name


def _beside(table: Table, keys: list[str], want_figure: bool) -> tuple[str, int, int] | None:
    """The first non-empty cell right of a cell reading one of `keys` (a figure if `want_figure`)."""
    for i, row in enumerate(table.rows):
        for j, cell in enumerate(row):
            if clean_label(cell) in keys:
                for k in range(j + 1, len(row)):
                    text = row[k].strip()
                    if text and is_figure(text) == want_figure:
                        return text, i, k
    return None


def _unit_fits(unit: str, path: list[str]) -> bool:
    """A count is not read from a 价值 column, nor an amount from a 数量 column."""
    return _header_fits(unit, "".join(path))


@lru_cache(maxsize=1 << 12)  # asked for every cell: read once per header
def _header_fits(unit: str, joined: str) -> bool:
    """`_unit_fits` of a header path joined."""
    header = squash(joined)
    columns = load("tables")["columns"]
    if any(w in header for w in columns["count_columns"]):
        return unit == "count"
    if any(w in header for w in columns["money_columns"]):
        return unit == "money"
    return True


def _value(text: str, kind_unit: str, ctx: TableContext, zero_ok: bool) -> float | None:
    number = parse_number(text.replace("%", "")) if text.strip() else None
    if number is None:
        return 0.0 if not text.strip() and zero_ok else None
    return to_wan(number, ctx.factor_unit) if kind_unit == "money" else number
