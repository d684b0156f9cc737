"""The presentation layer: tidy frames become tables for people, in HTML, notebooks and Excel.

A `ReaderTable` is a frame with Chinese headers and raw values, plus the kind of each column
(money in 万元, count, percent, year, score, a value whose unit is in another column, text).
`cell_text` formats one value for reading (thousands separators, two decimals for 万元,
integers for counts, % for percentages, years as years, blanks as "—"); `to_html` writes a
static, styled table without index; `show` displays it in a notebook, interactive (itables)
when opened in JupyterLab and static in the exported HTML; the Excel writer reads the same
kinds to store numbers as numbers with the format of their unit. Text is escaped here only.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from budgetbook.report.escape import html_text

MISSING = "—"
TEXT, MONEY, COUNT, PERCENT, YEAR, SCORE, VALUE = "text", "money", "count", "percent", "year", "score", "value"
UNIT_KIND = {"万元": MONEY, "元": MONEY, "%": PERCENT, "人": COUNT, "个": COUNT, "辆": COUNT, "项": COUNT, "分": SCORE}
STYLE = """<style>
table.bb{border-collapse:collapse;margin:.4em 0 1.2em;font-size:13px;max-width:100%}
table.bb caption{caption-side:top;text-align:left;font-weight:bold;padding:.3em 0}
table.bb th{background:#DDEBF7;text-align:left !important;padding:4px 8px;border-bottom:2px solid #8EA9DB;
  white-space:nowrap}
table.bb td{padding:3px 8px;border-bottom:1px solid #E4E4E4;vertical-align:top;text-align:left !important}
table.bb td:first-child{min-width:9em}
table.bb td.num{text-align:right !important;white-space:nowrap;font-variant-numeric:tabular-nums}
table.bb tr:nth-child(even) td{background:#F7F9FC}
p.bb-note{color:#555;font-style:italic}
</style>"""


@dataclass
class ReaderTable:
    """Rows for people: Chinese headers, raw values, the kind of each column, links of some columns."""

    frame: pd.DataFrame
    kinds: dict[str, str] = field(default_factory=dict)  # column → kind (TEXT when absent)
    unit_column: str = "单位"  # where a VALUE column finds each row's unit
    links: dict[str, str] = field(default_factory=dict)  # shown column → hidden column holding its URL
    empty: str = "文件未载明相关内容。"  # the sentence shown instead of an empty table

    @property
    def columns(self) -> list[str]:
        hidden = set(self.links.values())
        return [c for c in self.frame.columns if c not in hidden]

    def kind(self, column: str, row: pd.Series | None = None) -> str:
        kind = self.kinds.get(column, TEXT)
        if kind == VALUE:
            unit = "" if row is None else str(row.get(self.unit_column) or "")
            return UNIT_KIND.get(unit, SCORE)
        return kind


def is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip().lower() in {"", "nan", "none", "<na>", "nat"}


def number(value: object) -> float | None:
    """`value` as a float, or None when it is missing or not a number."""
    if is_missing(value) or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def cell_text(value: object, kind: str = TEXT, missing: str = MISSING) -> str:
    """One value as a reader sees it (plain text, not yet escaped)."""
    if is_missing(value):
        return missing
    if kind == TEXT:
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    x = number(value)
    if x is None:
        return str(value)
    if kind == MONEY:
        return f"{x:,.2f}"
    if kind in (COUNT, YEAR):
        return f"{round(x):,}" if kind == COUNT else str(round(x))
    if kind == PERCENT:
        return f"{x:,.2f}%"
    return f"{x:,.2f}".rstrip("0").rstrip(".")  # scores and other plain numbers


def formatted(table: ReaderTable, missing: str = MISSING) -> pd.DataFrame:
    """The table as strings, one per cell, as they are read (no index)."""
    rows = [
        {c: cell_text(row[c], table.kind(c, row), missing) for c in table.columns} for _, row in table.frame.iterrows()
    ]
    return pd.DataFrame(rows, columns=table.columns)


def _numeric(table: ReaderTable, column: str) -> bool:
    return table.kinds.get(column, TEXT) != TEXT and table.kinds.get(column) != YEAR


def to_html(table: ReaderTable, caption: str = "", style: bool = True) -> str:
    """A static, styled HTML table (no index, Chinese headers, formatted and escaped cells).

    Columns no row has a value in are left out and named in a note under the table.
    """
    if table.frame.empty:
        return note_html(table.empty)
    blank = [c for c in table.columns if table.frame[c].map(is_missing).all()]
    columns = [c for c in table.columns if c not in blank]
    head = "".join(f"<th>{html_text(c)}</th>" for c in columns)
    body = []
    for _, row in table.frame.iterrows():
        cells = []
        for c in columns:
            text = html_text(cell_text(row[c], table.kind(c, row)))
            href = row.get(table.links[c]) if c in table.links else None
            if href and not is_missing(href) and text != MISSING:
                text = f'<a href="{html_text(href)}">{text}</a>'
            cls = ' class="num"' if _numeric(table, c) else ""
            cells.append(f"<td{cls}>{text}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    cap = f"<caption>{html_text(caption)}</caption>" if caption else ""
    rows = "".join(body)
    note = f"<p class='bb-note'>以下各列文件均未载明，未显示：{html_text('、'.join(blank))}。</p>" if blank else ""
    css = STYLE if style else ""
    return f"{css}<table class='bb'>{cap}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{note}"


def note_html(sentence: str) -> str:
    """A sentence that stands where a table or chart would be (nothing to show)."""
    return f"{STYLE}<p class='bb-note'>{html_text(sentence)}</p>"


def show(table: ReaderTable, interactive: bool = False, caption: str = "") -> None:
    """Display the table: sortable and filterable (itables) in JupyterLab, static styled HTML otherwise."""
    from IPython.display import HTML, display

    if table.frame.empty or not interactive:
        display(HTML(to_html(table, caption)))
        return
    import itables

    _offline_itables()
    # blanks stay blank so DataTables still recognises "1,234.56" and "12.00%" as numbers when sorting
    itables.show(formatted(table, missing=""), caption=caption or None, showIndex=False, allow_html=False)


@cache
def _offline_itables() -> None:
    """itables with its JavaScript embedded in the notebook (nothing is fetched when it is opened)."""
    import itables

    itables.init_notebook_mode(all_interactive=False, connected=False)


_SPACES = re.compile(r"\s+")


def plain(text: object, limit: int | None = None) -> str:
    """Document text on one line; cut at a word boundary only when `limit` is given (never mid-bracket)."""
    s = _SPACES.sub(" ", "" if is_missing(text) else str(text)).strip()
    if limit is None or len(s) <= limit:
        return s
    cut = s[:limit]
    for opener, closer in ("（）", "()", "【】", "[]", "“”", "《》"):
        if cut.count(opener) > cut.count(closer):
            cut = cut[: cut.rfind(opener)]
    return cut.rstrip("，、；： ") + "……"
