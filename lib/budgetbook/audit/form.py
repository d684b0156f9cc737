"""Form: the table of contents against the body, and an empty standard table against the statement that it
is empty (data/checks.toml [form])."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

import numpy as np
import pandas as pd

from budgetbook.audit.completeness import _longer_names
from budgetbook.audit.model import Finding, _page
from budgetbook.audit.tables import _value, cells_by_table, is_data_row
from budgetbook.extract.tables import table_kind
from budgetbook.extract.vocab import load
from budgetbook.outline import TOC
from budgetbook.text import normalize, squash

# --- form: the table of contents against the body, empty tables and their statement ------------


def _form() -> dict:
    return load("checks")["form"]


_TOC_NUMBER = re.compile(
    r"^(?:第[一二三四五六七八九十\d]+部分|[一二三四五六七八九十]+[、.．]|\d{1,2}(?:[、．]|\.(?!\d))|[（(][一二三四五六七八九十\d]+[)）]"
    r"|附?表\s*[一二三四五六七八九十\d]+[：:、.．]?|公开\d+表)"
)


_LEADER = re.compile(r"(?:\.{2,}|…+|·{2,}|-{3,})\s*\d*\s*$|\s\d{1,3}$")


_CN_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}


def _number(text: str) -> int | None:
    """The number a 目录 entry or a table's caption gives the table (五、 → 5, 公开05表 → 5, 表3 → 3)."""
    s = squash(text)
    m = re.match(r"^(?:附?表|公开)?(\d{1,2})(?:表|[、.．：:]|(?=\D))", s)
    m = m or re.search(r"公开(\d{1,2})表|^附?表(\d{1,2})", s)
    if m:
        return int(next(g for g in m.groups() if g))
    m = re.match(r"^(?:附?表)?([一二三四五六七八九十]{1,3})[、.．：:]", s)
    if not m:
        return None
    cn = m.group(1)
    if cn == "十":
        return 10
    if cn.startswith("十"):
        return 10 + _CN_DIGITS[cn[1]]
    if len(cn) == 2 and cn.endswith("十"):
        return 10 * _CN_DIGITS[cn[0]]
    if len(cn) == 3 and cn[1] == "十":
        return 10 * _CN_DIGITS[cn[0]] + _CN_DIGITS[cn[2]]
    return _CN_DIGITS.get(cn) if len(cn) == 1 else None


def _core(text: str, unit: str = "") -> str:
    """A table's name without numbering, year, the unit's name, quotes and a dot leader."""
    s = squash(_LEADER.sub("", normalize(text)))
    s = _TOC_NUMBER.sub("", s)
    s = re.sub(r"\d{4}年度?", "", s)
    if unit:
        s = s.replace(squash(unit), "")
    return s.translate(str.maketrans("", "", '“”"‘’「」《》'))


def _signature(name: str) -> tuple[str, frozenset[str]] | None:
    kind = table_kind(name)
    if kind is None:
        return None
    return kind.name, frozenset(w for w in _form()["qualifiers"] if w in name)


_FILLERS = [
    ("总体情况表", "总表"),
    ("情况表", "表"),
    ("预算", ""),
    ("决算", ""),
    ("部门", ""),
    ("单位", ""),
    ("市级", ""),
    ("本级", ""),
    ("公开", ""),
    ("拨款", ""),
    ("（", ""),
    ("）", ""),
    ("(", ""),
    (")", ""),
]


def _plain(name: str) -> str:
    """A table's name without the words templates vary in (部门收支总体情况表 → 收支总表)."""
    for old, new in _FILLERS:
        name = name.replace(old, new)
    return name


def _same_table(entry: str, title: str) -> bool:
    """Do a 目录 entry and a title name the same table (both cores)? Not when one only contains the
    other's name (收支总表 inside 财政拨款收支总表): the words that set tables apart must agree."""
    if not entry or not title:
        return False
    a, b = _plain(entry), _plain(title)
    if a == b:
        return True
    words = _form()["qualifiers"]
    if {w for w in words if w in entry} != {w for w in words if w in title}:
        return False
    if min(len(a), len(b)) >= 4 and (a in b or b in a):
        return True
    sa, sb = _signature(entry), _signature(title)
    return sa is not None and sa == sb


def toc_entries(paragraphs: pd.DataFrame, unit: str = "") -> list[tuple[str, str, int | None, str]]:
    """(entry as printed, its name, its number, location) of each table the 目录 lists."""
    out = []
    toc = paragraphs.loc[paragraphs.section.fillna("") == TOC]
    for text, loc in zip(toc.text.fillna(""), toc.location, strict=True):
        raw = normalize(text)
        if raw.replace(" ", "").startswith("第") and "部分" in raw[:6]:
            continue  # a part of the document (第二部分 部门预算表), not one table
        name = _core(raw, unit)
        if not name.endswith("表") and not re.search(r"表[（(][^）)]*[）)]$", name):
            continue
        if re.match(_form()["toc_collective"], name) or not standard_table(name):
            continue  # all the tables (单位预算表), or no table of the templates (附件1：某某清单表)
        out.append((_LEADER.sub("", raw).strip(), name, _number(raw), str(loc)))
    return out


def toc_checks(frames: dict[str, pd.DataFrame]) -> Iterator[Finding]:
    """Each table the 目录 lists against the body: absent, or there under another number."""
    documents, paragraphs, tables = frames["documents"], frames["paragraphs"], frames["tables"]
    units = dict(zip(documents.doc_id, documents.department.fillna(""), strict=True))
    for doc_id, ps in paragraphs.groupby("doc_id", sort=False):
        unit = str(units.get(doc_id, "") or "")
        entries = toc_entries(ps, unit)
        if not entries:
            continue
        mine = tables.loc[tables.doc_id == doc_id]
        titled = [
            (_core(str(t), unit), _number(str(c).split("\n")[0]) or _number(str(t)), str(t), str(loc))
            for t, c, loc in zip(mine.title.fillna(""), mine.caption.fillna(""), mine.location, strict=True)
            if str(t).strip()
        ]
        body = ps.loc[ps.section.fillna("") != TOC]
        lines = [_core(t, unit) for t in body.text.fillna("") if len(t) <= 80]
        found = [next((t for t in titled if _same_table(name, t[0])), None) for _, name, _, _ in entries]
        if sum(f is not None for f in found) < max(1, len(entries) / 2):
            continue  # the tables are a separate file (附件) or were not read: nothing to compare
        for (entry, name, number, loc), hit in zip(entries, found, strict=True):
            if hit is None and not any(_same_table(name, line) and line.endswith("表") for line in lines):
                message = f"目录与正文不符：目录第{_page(loc)}页列有《{entry}》，正文中未见此表"
                yield Finding(doc_id, "toc", "warning", False, None, None, message, entry, f"{doc_id} {loc}")
            elif hit is not None and number is not None and hit[1] is not None and hit[1] != number:
                message = (
                    f"目录与正文不符：目录第{_page(loc)}页《{entry}》编号为{number}，"
                    f"正文第{_page(hit[3])}页此表编号为{hit[1]}（《{hit[2]}》）"
                )
                yield Finding(
                    doc_id,
                    "toc",
                    "warning",
                    False,
                    float(number),
                    float(hit[1]),
                    message,
                    f"{entry} ‖ {hit[2]}",
                    f"{doc_id} {loc} ‖ {doc_id} {hit[3]}",
                )


def _is_empty(t: pd.DataFrame) -> bool:
    """A table with no amount other than zero in its data rows (its header and column numbers aside)."""
    return _empty_rows(t.groupby("row", sort=True).text.agg(list))


def _table_rows(by_table: dict[tuple[str, int], list[tuple]]) -> dict[tuple[str, int], list[list[object]]]:
    """Each table's cell texts row by row, rows in order, keyed by (doc_id, table_id) (as `groupby("row")` of
    one table's cells gives them), from the tables' cells gathered in one pass (`cells_by_table`)."""
    out = {}
    for key, table in by_table.items():
        rows: dict[int, list[object]] = {}
        for r, _, text, _ in table:
            rows.setdefault(r, []).append(text)
        out[key] = [rows[r] for r in sorted(rows)]
    return out


def _empty_rows(rows: Iterable[list[object]]) -> bool:
    """`_is_empty` of a table given as its rows of cell texts."""
    for cells in rows:
        row = [str(v or "") for v in cells]
        if not is_data_row(row):
            continue
        for text in row:
            s = squash(text)
            if re.fullmatch(r"[2-5]\d{2}(?:\d{2}){0,2}", re.sub(r"\s+", "", text)):
                continue  # a classification code (201, 20101, 2010101; 301 …), printed without separators
            v = _value(s)
            if v is not None and v[0] != 0:
                return False
    return True


def _item_owners() -> list[tuple[dict, list[str]]]:
    """Each required item with its `_longer_names`."""
    return [(item, _longer_names(item)) for item in load("checks")["item"]]


def _none_patterns(title: str, owners: list[tuple[dict, list[str]]] | None = None) -> list[str]:
    """The statements of the items whose table this title is (无政府性基金…, 三公…为0); `owners`: `_item_owners()`."""
    out = []
    for item, longer in owners or _item_owners():
        t = squash(title)
        if any(w in t and not any(x in t for x in longer if w in x) for w in item.get("tables", ())):
            out.extend(item.get("none", ()))
    for w in _form()["none_subjects"]:
        if w in squash(title):  # 一般公共预算拨款支出预算为0；无政府性基金…
            out.append(rf"{w}[^。；，\d]{{0,14}}(?:0(?:\.0+)?(?![.\d])|为零|为空|无)|(?:无|没有)[^。；，]{{0,8}}{w}")
    return out


def standard_table(title: str, skip: set[str] | frozenset[str] = frozenset()) -> bool:
    """A table of the national templates: a kind of `tables.toml`, or a required item's table by its title."""
    kind = table_kind(title)
    if kind is not None:
        return kind.name not in skip
    t = squash(title)
    return t.endswith("表") and any(w in t for item in load("checks")["item"] for w in item.get("tables", ()))


def _searcher(texts: pd.Series) -> Callable[[str], bool]:
    """Whether any of `texts` matches a pattern, each pattern searched once (a long document has hundreds of
    tables asking the same)."""
    found: dict[str, bool] = {}

    def says(pattern: str) -> bool:
        if pattern not in found:
            found[pattern] = bool(texts.str.contains(pattern, regex=True).any())
        return found[pattern]

    return says


def _near(blocks: np.ndarray, block: int) -> np.ndarray:
    """Which of the blocks are near a table's block: the two before it to the three after it."""
    return (blocks >= block - 2) & (blocks <= block + 3)


def empty_table_checks(frames: dict[str, pd.DataFrame], by_table: dict | None = None) -> Iterator[Finding]:
    """A standard table with no figures must say so (本表无数据, 本部门无…，故本表为空, 无此项支出); `by_table`:
    the cells' `tables.cells_by_table`, where the caller has it."""
    tables, paragraphs = frames["tables"], frames["paragraphs"]
    by_table = cells_by_table(frames["table_cells"]) if by_table is None else by_table
    statement = re.compile(_form()["empty_statement"])
    skip = set(load("checks")["tables"]["skip_kinds"])
    owners = _item_owners()
    for doc_id, mine in tables.groupby("doc_id", sort=False):
        titles = zip(mine.table_id, mine.title, strict=True)
        standard = [t for t, title in titles if standard_table(str(title or ""), skip)]
        mine_rows = _table_rows({(doc_id, t): by_table[doc_id, t] for t in standard if (doc_id, t) in by_table})
        ps = paragraphs.loc[paragraphs.doc_id == doc_id]
        texts = ps.text.fillna("")
        says = _searcher(texts)
        blocks, texts = ps.block.fillna(-(10**9)).to_numpy("int64"), texts.to_list()
        columns = (mine.table_id, mine.title, mine.block, mine.caption, mine.location)
        for table_id, title, block, caption, location in zip(*columns, strict=True):
            rows = mine_rows.get((doc_id, table_id))  # only a standard table's
            if rows is None or not _empty_rows(rows):
                continue
            near = [] if pd.isna(block) else [texts[k] for k in np.flatnonzero(_near(blocks, block))]
            own = [*("" if pd.isna(v) else v for row in rows for v in row), str(caption or ""), *near]
            if any(statement.search(normalize(x)) for x in own):
                continue
            if any(says(p) for p in _none_patterns(str(title), owners)) or says(r"空表表示|如无数[字据]|无数据的表"):
                continue
            where = f"{doc_id} {location}"
            message = f"空表未说明：第{_page(location)}页《{title}》没有数字，未注明本表无数据或无此项收支"
            yield Finding(doc_id, "empty_table", "warning", False, None, None, message, str(title), where)


def form_checks(frames: dict[str, pd.DataFrame], by_table: dict | None = None) -> Iterator[Finding]:
    """The 目录 against the body and empty tables, where the frames carry what they need (`by_table`: the
    cells' `tables.cells_by_table`, where the caller has it)."""
    if not {"paragraphs", "tables"} <= set(frames):
        return
    paragraphs, tables = frames["paragraphs"], frames["tables"]
    laid_out = {"block", "section", "text", "location"} <= set(paragraphs.columns)
    titled = {"table_id", "block", "title", "caption", "location"} <= set(tables.columns)
    if not (laid_out and titled):
        return
    if "department" in frames["documents"]:
        yield from toc_checks(frames)
    if "table_cells" in frames and not frames["table_cells"].empty:
        yield from empty_table_checks(frames, by_table)
