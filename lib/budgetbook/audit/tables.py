"""The arithmetic of the standard tables, read as tables from `tables` and `table_cells`.

- a row's 合计/小计 column against the columns it heads (基本支出 + 项目支出, per fund);
- the hierarchy of classification codes: 类 = Σ款 = Σ项 (201 = Σ201xx = Σ201xxxx);
- a 合计/总计 row against the top-level rows above it (codes, or 一、二、 numbering);
- the identities of the 收支总表: 收入总计 = 支出总计, 总计 = 本年合计 + 结转结余;
- a 合计/总计 row of a standard table whose amount is blank where the column has figures.

Every comparison allows the rounding of the printed figures (half a unit of the last digit of each);
anything beyond is an error: a standard table must add up exactly as printed. Words are data
(`data/checks.toml` [tables]).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import pandas as pd

from budgetbook.audit.model import Finding, column_values, fmt, kind_name
from budgetbook.extract.tables import fill_spans, is_change_column
from budgetbook.extract.vocab import load
from budgetbook.text import parse_number, squash

_CODE = re.compile(r"^\d{3,9}$")


_AMOUNT_TEXT = re.compile(r"^[（(]?[-−－]?[\d,，]+(?:\.\d+)?[)）]?%?$")


_TOP_NUMBER = re.compile(r"^[一二三四五六七八九十]+[、.．]")


_SUB_NUMBER = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d)|其中|[①-⑳])")


_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d))")


Cell = tuple[int, int, object, object]  # row, column, text, page


def _words() -> dict:
    return load("checks")["tables"]


@dataclass
class Grid:
    """One table as printed: its rows of text, where the data starts, and the page of each row."""

    doc_id: str
    table_id: int
    title: str
    unit: str
    rows: list[list[str]]
    pages: list[object]
    n_header: int
    paths: list[list[str]] = field(default_factory=list)
    continued: bool = False  # the next table of the document starts without a header: the rest of this one
    origins: list[tuple[int, int]] | None = None  # each row's (table, row) as read, for a table joined over pages

    def origin(self, r: int) -> tuple[int, int]:
        """The (table, row) of the cells a row of the grid was read as."""
        return self.origins[r] if self.origins and r < len(self.origins) else (self.table_id, r)

    def where(self, r: int, c: int | None = None) -> str:
        page = self.pages[r] if r < len(self.pages) else None
        p = f"p{int(page)} " if page is not None and not pd.isna(page) else ""
        col = f" c{c}" if c is not None else ""
        table, row = self.origin(r)
        return f"{self.doc_id} {p}t{table} r{row}{col}"

    def page(self, r: int) -> str:
        page = self.pages[r] if r < len(self.pages) else None
        return f"第{int(page)}页" if page is not None and not pd.isna(page) else ""

    def header(self, c: int) -> str:
        return "/".join(dict.fromkeys(p for p in self.paths[c] if p)) if c < len(self.paths) else ""


def grids(
    tables: pd.DataFrame, cells: pd.DataFrame, by_table: dict[tuple[str, int], list[Cell]] | None = None
) -> Iterator[Grid]:
    """Every table whose title names a standard table (by `tables.toml` kinds), as a grid (`by_table`: the
    cells' `cells_by_table`, where the caller has it); a table continued on the next page under the same
    title and the same header rows is one grid (its rows keep where they were read: `Grid.origin`)."""
    held: Grid | None = None
    for g in _grids(tables, cells, by_table):
        if held is not None and _continues(held, g):
            held = _joined(held, g)
            continue
        if held is not None:
            yield held
        held = g
    if held is not None:
        yield held


def _continues(first: Grid, then: Grid) -> bool:
    """Is `then` the rest of `first`: the next table, same title, same width, the same header printed again?"""
    return (
        then.doc_id == first.doc_id
        and then.table_id == first.origin(len(first.rows) - 1)[0] + 1
        and then.title == first.title
        and bool(first.title)
        and first.n_header > 0
        and then.n_header >= first.n_header  # its first rows may be blank: not yet data by their look
        and len(then.rows) > first.n_header
        and len(then.rows[0]) == len(first.rows[0])
        and [[squash(c) for c in r] for r in then.rows[: first.n_header]]
        == [[squash(c) for c in r] for r in first.rows[: first.n_header]]
    )


def _joined(first: Grid, then: Grid) -> Grid:
    """`first` with the data rows of `then` after its own."""
    n = first.n_header
    origins = [first.origin(r) for r in range(len(first.rows))]
    origins += [then.origin(r) for r in range(n, len(then.rows))]
    return replace(
        first,
        rows=first.rows + then.rows[n:],
        pages=first.pages + then.pages[n:],
        continued=then.continued,
        origins=origins,
    )


def _grids(
    tables: pd.DataFrame, cells: pd.DataFrame, by_table: dict[tuple[str, int], list[Cell]] | None = None
) -> Iterator[Grid]:
    """Every standard table as printed, one grid per table read."""
    info = {
        (d, t): (str(ti or ""), str(u or ""))
        for d, t, ti, u in zip(tables.doc_id, tables.table_id, tables.title, tables.unit, strict=True)
    }
    by_table = cells_by_table(cells) if by_table is None else by_table
    for (doc_id, table_id), t in by_table.items():
        title, unit = info.get((doc_id, table_id), ("", ""))
        kind = kind_name(title)
        if kind is None or kind in _words()["skip_kinds"]:
            continue
        width = max(c for _, c, _, _ in t) + 1
        rows: list[list[str]] = [[""] * width for _ in range(max(r for r, _, _, _ in t) + 1)]
        pages: list[object] = [None] * len(rows)
        for r, c, text, page in t:
            rows[r][c] = str(text or "").strip()
            pages[r] = page
        n_header = next((i for i, row in enumerate(rows) if is_data_row(row)), 0)
        filled = fill_spans(rows[:n_header], width) if n_header else [[""] * width]
        paths = [[squash(h[c]) for h in filled] for c in range(width)]
        # the rest of the table as the next one without header, or on a page between it and the next
        after = _first_page(by_table.get((doc_id, table_id + 1), []))
        last = pages[-1] if pages else None
        gap = after is not None and last is not None and not pd.isna(after) and not pd.isna(last) and after > last + 1
        continued = _headless(by_table.get((doc_id, table_id + 1), [])) or bool(gap)
        yield Grid(doc_id, int(table_id), title, unit, rows, pages, n_header, paths, continued)


def _first_page(cells: list[Cell]) -> object:
    """The first page a table's cells are on, None if none is known."""
    return min((p for _, _, _, p in cells if isinstance(p, int | float) and p == p), default=None)


_CELL_COLUMNS = ["doc_id", "table_id", "row", "col", "text", "page"]


CELLS_AT_ONCE = 50_000  # cells whose columns are read into lists at a time


def cells_by_table(cells: pd.DataFrame) -> dict[tuple[str, int], list[Cell]]:
    """The cells of each (doc_id, table_id), in the frame's order: one pass over its columns, not a frame per
    table (cells without a document or table are left out, as a groupby leaves them). The columns are read
    CELLS_AT_ONCE rows at a time, and equal texts are one object (0.00, 合计 … repeat in every table)."""
    known = cells.doc_id.notna() & cells.table_id.notna()
    placed = cells[_CELL_COLUMNS] if known.all() else cells.loc[known, _CELL_COLUMNS]  # not a copy of every cell
    out: dict[tuple[str, int], list[Cell]] = {}
    key: tuple | None = None
    texts: dict[str, str] = {}
    for start in range(0, len(placed), CELLS_AT_ONCE):
        part = placed.iloc[start : start + CELLS_AT_ONCE]
        for d, t, r, c, text, page in zip(*(part[k].tolist() for k in _CELL_COLUMNS), strict=True):
            if key is None or t != key[1] or d != key[0]:  # a table's cells come together: looked up once a run
                key = (d, t)
                table = out.setdefault(key, [])
            table.append((int(r), int(c), texts.setdefault(text, text) if type(text) is str else text, page))
    return out


def _headless(cells: list[Cell]) -> bool:
    """Does a table start without a header (its first row holds figures: the rest of the table before it)?"""
    first = [text for r, _, text, _ in cells if r == 0]
    return bool(first) and is_data_row([str(x or "") for x in first])


def is_data_row(row: list[str]) -> bool:
    """A row with figures that is not the column-number row (栏次 1 2 3 …, ** **)."""
    cells = [s for s in map(squash, row) if s]
    if not any(_is_amount(x) or _CODE.match(x) for x in cells):
        return False
    if any(x in ("**", "栏次", "行次") for x in cells):
        return False
    numbers = [x for x in cells if x.isascii() and x.isdigit()]  # not ² (a digit to str.isdigit, not to int)
    start = int(numbers[0]) if numbers else 0
    return not (len(numbers) >= 3 and numbers == [str(i) for i in range(start, start + len(numbers))])


def _is_amount(text: str) -> bool:
    s = squash(text)
    return bool(_AMOUNT_TEXT.match(s)) and parse_number(s) is not None and not _CODE.match(s)


def _value(text: str) -> tuple[float, float] | None:
    """Amount and half a unit of its last printed digit; a blank or dash is zero (printed exactly)."""
    s = squash(text)
    if s in {"", "-", "—", "——", "--", "－", "/"}:
        return 0.0, 0.0
    if not _AMOUNT_TEXT.match(s):
        return None
    v = parse_number(s)
    if v is None:
        return None
    decimals = len(s.split(".")[1].rstrip("%")) if "." in s else 0
    return v, 0.5 * 10**-decimals


@dataclass
class Block:
    """One side of a table: its code columns, label column and amount columns."""

    codes: list[int]
    label: int
    amounts: list[int]


def blocks(g: Grid) -> list[Block]:
    data = g.rows[g.n_header :]
    width = len(g.rows[0]) if g.rows else 0
    code_words = set(_words()["code_headers"])
    kinds = []
    for c in range(width):
        cells = [r[c] for r in data if r[c].strip()]
        if not cells:
            kinds.append("")
            continue
        codes = sum(bool(_CODE.match(squash(x))) for x in cells)
        amounts = sum(_is_amount(x) for x in cells)
        coded_header = any(p in code_words or p.endswith(("编码", "代码")) for p in g.paths[c])
        if any(p in _words()["ignore_headers"] for p in g.paths[c]) or is_change_column(g.header(c)):
            kinds.append("")  # a column-number column, or changes (增减, 增减率): never parts of a total
        elif codes and (coded_header or codes >= 0.8 * len(cells)) and amounts == 0:
            kinds.append("code")
        elif amounts >= max(1, 0.5 * len(cells)):
            kinds.append("amount")
        else:
            kinds.append("label")
    out: list[Block] = []
    cur: Block | None = None
    for c, k in enumerate(kinds):
        if k in ("code", "label"):
            if cur is None or cur.amounts:
                cur = Block([], -1, [])
                out.append(cur)
            if k == "code":
                cur.codes.append(c)
            else:
                cur.label = c
        elif k == "amount" and cur is not None:
            cur.amounts.append(c)
    return [b for b in out if b.amounts and (b.label >= 0 or b.codes)]


def _label(g: Grid, r: int, b: Block) -> str:
    return squash(g.rows[r][b.label]) if b.label >= 0 else ""


def codes_of(g: Grid, b: Block) -> dict[int, str]:
    """The full classification code of each data row: 类|款|项 columns joined, carried down."""
    out: dict[int, str] = {}
    carried = [""] * len(b.codes)
    for r in range(g.n_header, len(g.rows)):
        parts = [squash(g.rows[r][c]) for c in b.codes]
        if not any(parts):
            continue
        if not all(p == "" or p.isdigit() for p in parts):
            continue
        if len(b.codes) == 1:
            out[r] = parts[0]
            continue
        # split columns: a filled column resets the ones to its right
        for i, p in enumerate(parts):
            if p:
                carried[i] = p
                for k in range(i + 1, len(parts)):
                    carried[k] = parts[k]
                break
        last = max(i for i, p in enumerate(parts) if p)
        out[r] = "".join(carried[: last + 1]) if all(carried[: last + 1]) else ""
    return {r: c for r, c in out.items() if _CODE.match(c)}


def _finding(
    g: Grid,
    check: str,
    total: tuple[int, int],
    parts: list[tuple[int, int]],
    stated: float,
    computed: float,
    what: str,
    listing: str,
) -> Finding:
    diff = computed - stated
    unit = g.unit or ""
    r, c = total
    message = (
        f"{what}：《{g.title}》{g.page(r)}「{_row_name(g, r, c)}」行「{g.header(c)}」栏为{fmt(stated)}{unit}，"
        f"而{listing}合计为{fmt(computed)}{unit}，相差{fmt(round(diff, 6))}{unit}"
    )
    cells = [g.rows[r][c], *(g.rows[pr][pc] or "（空）" for pr, pc in parts)]
    evidence = f"{g.title}｜" + "｜".join(cells)
    location = " ‖ ".join(dict.fromkeys([g.where(r, c), *(g.where(pr, pc) for pr, pc in parts)]))
    scale = 1 / 10000 if unit == "元" else 1.0
    return Finding(
        g.doc_id,
        check,
        "error",
        False,
        round(stated * scale, 6),
        round(computed * scale, 6),
        message,
        evidence,
        location,
    )


def _row_name(g: Grid, r: int, c: int | None = None) -> str:
    if c is not None:
        left = [x for x in g.rows[r][:c] if x.strip() and not _is_amount(x)]
        if left:
            return left[-1]
    return next((x for x in g.rows[r] if x.strip() and not _is_amount(x)), f"第{r}行")


def _compare(
    g: Grid,
    check: str,
    total: tuple[int, int],
    parts: list[tuple[int, int]],
    what: str,
    listing: str,
    open_end: bool = False,
) -> Finding | None:
    t = _value(g.rows[total[0]][total[1]])
    values = [_value(g.rows[r][c]) for r, c in parts]
    if t is None or any(v is None for v in values) or not parts:
        return None
    computed = sum(v[0] for v in values)  # type: ignore[index]
    allowed = t[1] + sum(v[1] for v in values) + 1e-9  # type: ignore[index]
    if abs(computed - t[0]) <= allowed:
        return None
    if t[0] == 0 and squash(g.rows[total[0]][total[1]]) == "":
        return None  # a total left blank is reported by the blank-total check
    if computed < t[0] and g.continued and (open_end or max(r for r, _ in parts) == len(g.rows) - 1 > total[0]):
        return None  # short, and the parts run to the table's end: it may go on on the next page
    return _finding(g, check, total, parts, t[0], round(computed, 6), what, listing)


# --- a row's 合计 column against the columns it heads ---------------------------------------


def _column_groups(g: Grid, b: Block) -> list[tuple[int, list[int]]]:
    """(total column, its part columns): a 合计/小计 column and the columns after it under the same parent."""
    totals = set(_words()["total_columns"])
    out = []
    for i, c in enumerate(b.amounts):
        path = [p for p in g.paths[c]]
        depth = max((k for k, p in enumerate(path) if p), default=-1)
        if depth < 0 or path[depth] not in totals:
            continue
        parent = path[:depth]
        parts = _parts_under(g, b.amounts[i + 1 :], parent, totals)
        if len(parts) >= 2:
            out.append((c, parts))
    return out


def _parts_under(g: Grid, cols: list[int], parent: list[str], totals: set[str]) -> list[int]:
    """Columns under `parent`, one per sub-group: the group's own 小计 if it has one, else its parts."""
    depth = len(parent)
    mine = []
    for c in cols:
        if g.paths[c][:depth] != parent:
            break
        mine.append(c)
    groups: dict[str, list[int]] = {}
    for c in mine:
        key = g.paths[c][depth] if depth < len(g.paths[c]) else ""
        if key.startswith("其中"):
            continue  # a part of the column before it
        if key in totals:
            return []  # a second total under the same parent: the layout is not a simple breakdown
        groups.setdefault(key, []).append(c)
    out = []
    for key, cs in groups.items():
        if not key:
            return []
        if len(cs) == 1:
            out.append(cs[0])
            continue
        sub = [c for c in cs if depth + 1 < len(g.paths[c]) and g.paths[c][depth + 1] in totals]
        if not sub and any(depth + 1 < len(g.paths[c]) and g.paths[c][depth + 1].startswith("其中") for c in cs):
            sub = cs[:1]  # 金额 | 其中：经费拨款: the first column is the group's own amount
        if sub:
            out.append(sub[0])
        else:
            inner = _parts_under(g, cs, [*parent, key], totals)
            if not inner:
                return []
            out.extend(inner)
    return out


def row_total_checks(g: Grid, sides: list[Block] | None = None) -> Iterator[Finding]:
    """Each row's 合计 column against its parts (`sides`: the grid's `blocks`, where the caller has them)."""
    for b in blocks(g) if sides is None else sides:
        for total_col, parts in _column_groups(g, b):
            names = "、".join(dict.fromkeys(g.header(c).split("/")[-1] for c in parts))
            for r in range(g.n_header, len(g.rows)):
                if squash(g.rows[r][total_col]) == "" and all(squash(g.rows[r][c]) == "" for c in parts):
                    continue
                found = _compare(
                    g, "table:row_total", (r, total_col), [(r, c) for c in parts], "表内行合计不符", f"该行{names}各栏"
                )
                if found:
                    yield found


# --- codes: 类 = Σ款 = Σ项, and the 合计 row against the top level ---------------------------


def children_of(codes: dict[int, str]) -> dict[int, list[int]]:
    rows = sorted(codes)
    values = [codes[r] for r in rows]
    out: dict[int, list[int]] = {}
    for i, r in enumerate(rows):
        k = codes[r]
        desc = [s for s in rows[i + 1 :] if codes[s].startswith(k) and len(codes[s]) > len(k)]
        direct = [s for s in desc if not any(codes[s].startswith(codes[t]) and codes[t] != codes[s] for t in desc)]
        if direct:
            out[r] = direct
    if len(set(values)) != len(values):
        return {}  # a code printed twice: two tables joined, or a layout not understood
    return out


def hierarchy_checks(g: Grid, sides: list[Block] | None = None) -> Iterator[Finding]:
    """类 = Σ款 = Σ项, and the 合计 row against the top level (`sides`: the grid's `blocks`, where the caller
    has them)."""
    totals = set(_words()["total_rows"])
    for b in blocks(g) if sides is None else sides:
        codes = codes_of(g, b)
        if len(codes) < 2:
            continue
        kids = children_of(codes)
        for parent, children in kids.items():
            names = "、".join(codes[r] for r in children[:6]) + ("等" if len(children) > 6 else "")
            found = _first(
                _compare(
                    g,
                    "table:code_sum",
                    (parent, c),
                    [(r, c) for r in children],
                    "科目层级合计不符",
                    f"其下级科目{names}",
                )
                for c in b.amounts
            )
            if found:
                yield found
        if not kids and len({len(c) for c in codes.values()}) > 1:
            continue
        top = [r for r, k in codes.items() if not any(k.startswith(o) and o != k for o in codes.values())]
        for r in range(g.n_header, len(g.rows)):
            if _strip(_label(g, r, b) or squash(g.rows[r][b.codes[0]] if b.codes else "")) not in totals:
                continue
            above = [t for t in top if t > r] if r < min(top, default=r) else [t for t in top if t < r]
            if len(above) < 1:
                continue
            open_end = r < min(above)  # a total printed first: its table may go on on the next page
            found = _first(
                _compare(g, "table:total_row", (r, c), [(t, c) for t in above], "合计行不符", "各类科目", open_end)
                for c in b.amounts
            )
            if found:
                yield found


def _first(found: Iterator[Finding | None]) -> Finding | None:
    """The first finding of a row (one missing line shows in every column: report it once)."""
    return next((f for f in found if f is not None), None)


def _strip(label: str) -> str:
    return _NUMBERING.sub("", label)


# --- labelled totals: 本年收入合计, 收入总计 … ---------------------------------------------------


def labelled_total_checks(g: Grid, sides: list[Block] | None = None) -> Iterator[Finding]:
    """本年收入合计, 收入总计 … against the rows they add up (`sides`: the grid's `blocks`, where the caller
    has them)."""
    words = _words()
    year_totals = set(words["year_total_rows"])
    grand_totals = set(words["grand_total_rows"])
    carry = words["carry_words"]
    grand: list[tuple[str, int, Block]] = []
    for b in blocks(g) if sides is None else sides:
        if b.codes and codes_of(g, b):
            continue  # coded tables are checked by their codes
        start = g.n_header
        year_row: int | None = None
        for r in range(g.n_header, len(g.rows)):
            label = _strip(_label(g, r, b))
            if label in year_totals:
                parts = _top_rows(g, b, start, r, carry, after_year=None)
                if parts:
                    yield from _labelled(g, b, r, parts, "本年合计不符")
                year_row, start = r, r + 1
            elif label in grand_totals:
                after = None if year_row is None else bool(_TOP_NUMBER.match(_label(g, year_row, b)))
                parts = _top_rows(g, b, start, r, carry, after_year=after)
                if year_row is not None and parts is not None:
                    parts = [year_row, *parts]
                if parts:
                    yield from _labelled(g, b, r, parts, "总计不符")
                grand.append((label, r, b))
                start, year_row = r + 1, None
    yield from _both_sides(g, grand, words)


def _top_rows(g: Grid, b: Block, start: int, end: int, carry: list[str], after_year: bool | None) -> list[int] | None:
    """The rows a total adds up, between the previous total and it; None when the hierarchy is unclear."""
    numbered, plain = [], []
    for r in range(start, end):
        label = _label(g, r, b)
        if not label or all(_value(g.rows[r][c]) in (None, (0.0, 0.0)) for c in b.amounts):
            continue
        if _TOP_NUMBER.match(label):
            numbered.append(r)
        elif not _SUB_NUMBER.match(label):
            plain.append(r)
    if after_year is not None:
        # after 本年收入合计 the carry-overs: numbered like it (二、上年结转), or unnumbered with
        # numbered rows below them as their parts (年初结转和结余 / 一、一般公共预算财政拨款)
        return numbered if after_year else plain
    if not numbered or any(not any(w in _label(g, r, b) for w in carry) for r in plain):
        return None  # unnumbered rows may be classes and their items: the hierarchy is not printed
    return numbered + plain


def _labelled(g: Grid, b: Block, r: int, parts: list[int], what: str) -> Iterator[Finding]:
    names = "、".join(_strip(_label(g, p, b)) for p in parts)
    for c in b.amounts[:1]:
        found = _compare(g, "table:total_row", (r, c), [(p, c) for p in parts], what, f"{names}")
        if found:
            yield found


def _both_sides(g: Grid, grand: list[tuple[str, int, Block]], words: dict) -> Iterator[Finding]:
    income = [(r, b) for label, r, b in grand if label in words["income_totals"]]
    spending = [(r, b) for label, r, b in grand if label in words["spending_totals"]]
    if len(income) != 1 or len(spending) != 1:
        return
    (ri, bi), (rs, bs) = income[0], spending[0]
    found = _compare(
        g,
        "table:balance",
        (ri, bi.amounts[0]),
        [(rs, bs.amounts[0])],
        "收支总计不平衡",
        f"「{_strip(_label(g, rs, bs))}」",
    )
    if found:
        yield found


def table_checks(
    tables: pd.DataFrame, cells: pd.DataFrame, by_table: dict[tuple[str, int], list[Cell]] | None = None
) -> Iterator[Finding]:
    """Every arithmetic finding of the standard tables in `tables` (`by_table`: the cells' `cells_by_table`,
    where the caller has it)."""
    if tables.empty or cells.empty:
        return
    for g in grids(tables, cells, by_table):
        if g.n_header == 0 or len(g.rows) - g.n_header < 2:
            continue
        sides = blocks(g)  # found once for the three checks
        yield from row_total_checks(g, sides)
        yield from hierarchy_checks(g, sides)
        yield from labelled_total_checks(g, sides)


# the standard tables, which must print every total (a procurement list may leave a total blank)
BLANK_TOTAL_KINDS = {"summary", "fiscal_summary", "revenue", "expenditure", "basic"}


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
