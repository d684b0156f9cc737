"""Tables drawn without ruling lines: columns aligned by position only.

Some exports print a table as text set in columns with no rules (a Word table without
borders, a report generator's plain layout). pdfplumber finds no table there, and the rows
would be reflowed as prose. Here a run of consecutive text lines that split into the same
columns — white space that no line crosses, and at least two cells in most lines, figures
among them — is a table; its cells are the text between the gaps.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from budgetbook.text import join_lines, parse_number

CELL_GAP = 1.5  # a gap wider than this many character sizes separates two cells on one line
MIN_ROWS = 3  # a table has at least this many lines …
MIN_FILLED_SHARE = 0.6  # … most of which fill two or more cells
MIN_FIGURE_ROWS = 2  # and figures in at least this many of them
WRAP_GAP = 0.5  # a line closer than this share of the usual row gap continues the row above
MAX_ROW_GAP = 2.5  # lines further apart than this many character sizes do not belong to one table


@dataclass
class Segment:
    text: str
    x0: float
    x1: float


@dataclass
class ColumnTable:
    """A table found by alignment: its rows of cells and its vertical extent (PDF points)."""

    rows: list[list[str]]
    top: float
    bottom: float


def segments(chars: list[dict]) -> list[Segment]:
    """The pieces of a line's text separated by wide gaps (chars in x order)."""
    out: list[Segment] = []
    current: list[dict] = []
    for char in sorted(chars, key=lambda c: c["x0"]):
        if str(char.get("text", "")).isspace():
            continue
        size = char.get("size", 10) or 10
        if current and char["x0"] - current[-1]["x1"] > CELL_GAP * size:
            out.append(_segment(current))
            current = []
        current.append(char)
    if current:
        out.append(_segment(current))
    return out


def _segment(chars: list[dict]) -> Segment:
    text = ""
    for prev, char in zip([None, *chars[:-1]], chars, strict=True):
        if prev is not None and char["x0"] - prev["x1"] > 0.5 * (char.get("size", 10) or 10):
            text += " "
        text += char["text"]
    return Segment(text.strip(), chars[0]["x0"], chars[-1]["x1"])


def column_tables(raw_lines: list[dict]) -> tuple[list[dict], list[ColumnTable]]:
    """Split pdfplumber text lines (with chars, in reading order) into the lines that stay text
    and the tables their alignment draws."""
    lines = sorted(raw_lines, key=lambda r: r["top"])
    pieces = [segments(r.get("chars", [])) for r in lines]
    keep: list[dict] = []
    tables: list[ColumnTable] = []
    i = 0
    while i < len(lines):
        end = _run_end(lines, pieces, i)
        table = _table(lines[i:end], pieces[i:end]) if end - i >= MIN_ROWS else None
        if table is None:
            keep.append(lines[i])
            i += 1
            continue
        tables.append(table)
        i = end
    return keep, tables


def _run_end(lines: list[dict], pieces: list[list[Segment]], start: int) -> int:
    """End (exclusive) of the run of multi-cell lines starting at `start` (single-cell lines
    inside it are rows too: a label without figures)."""
    if len(pieces[start]) < 2:
        return start + 1
    end = start + 1
    while end < len(lines):
        size = _size(lines[end - 1])
        if lines[end]["top"] - lines[end - 1]["bottom"] > MAX_ROW_GAP * size:
            break
        if len(pieces[end]) < 2 and not (end + 1 < len(lines) and len(pieces[end + 1]) >= 2):
            break
        end += 1
    return end


def _size(line: dict) -> float:
    sizes = sorted(c.get("size", 10) or 10 for c in line.get("chars", [])) or [10.0]
    return sizes[len(sizes) // 2]


def _table(lines: list[dict], pieces: list[list[Segment]]) -> ColumnTable | None:
    """The run as a table, if its lines share their column gaps and carry figures."""
    bounds = _columns([s for row in pieces for s in row])
    if len(bounds) < 2:
        return None
    gaps = [b["top"] - a["bottom"] for a, b in itertools.pairwise(lines)]
    usual = sorted(gaps)[len(gaps) // 2] if gaps else 0.0
    rows: list[list[str]] = []
    for i, row in enumerate(pieces):
        cells = [""] * len(bounds)
        for seg in row:
            j = next(k for k, (a, b) in enumerate(bounds) if a <= (seg.x0 + seg.x1) / 2 <= b)
            cells[j] = f"{cells[j]} {seg.text}".strip()
        if rows and i > 0 and gaps[i - 1] < WRAP_GAP * usual:  # a cell's text wrapped onto a second line
            rows[-1] = [join_lines([a, b]) if b else a for a, b in zip(rows[-1], cells, strict=True)]
        else:
            rows.append(cells)
    filled = sum(sum(bool(c) for c in row) >= 2 for row in rows)
    figures = sum(any(parse_number(c) is not None for c in row[1:]) for row in rows)
    if filled < MIN_FILLED_SHARE * len(rows) or figures < MIN_FIGURE_ROWS:
        return None
    return ColumnTable(rows, lines[0]["top"], lines[-1]["bottom"])


def _columns(segs: list[Segment]) -> list[tuple[float, float]]:
    """Column extents: the x ranges covered by some segment, between gaps no segment crosses."""
    spans = sorted((s.x0, s.x1) for s in segs)
    merged: list[list[float]] = []
    for x0, x1 in spans:
        if merged and x0 <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return [(a, b) for a, b in merged]
