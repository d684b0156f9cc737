"""Tables that a copy flattened into plain text, rebuilt into rows and columns.

Copies of web pages and PDFs show a table in one of these shapes (all handled here except
`| a | b |` rows, which the text reader reads itself):

- columns aligned by spaces: cells split by two or more spaces, placed in the column whose
  start (in display width: a CJK character is two columns) is nearest;
- one cell per line: an empty line is an empty cell, lone `|` lines are noise; the number of
  columns is the period that makes every column of the data rows one kind (text, or figures);
- a whole table on one line: its labels (header and first column) first, then the values,
  row by row.

Each returns the rebuilt table and the index of the first line after it, or None.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from functools import lru_cache

from budgetbook.document import Location, Table
from budgetbook.extract.vocab import load
from budgetbook.outline import heading_rank
from budgetbook.readers.captions import is_issuer, is_title, unit_of
from budgetbook.text import normalize

_GAP = re.compile(r"(?: {2,}|\t|\u3000+)")
_NUMBER = re.compile(r"^[（(]?[-−－]?\d[\d,，]*(?:\.\d+)?[)）]?%?$")
_DASH = {"-", "—", "——", "--", "－", "/", "…", "*"}
_SENTENCE = re.compile(r"[。；]$|[，,；].*[，,；]")
_CLAUSE = re.compile(r"[，,。；：]")
MAX_CELL_LINE = 40  # a line of a one-cell-per-line table
MAX_LONG_CELL = 80  # a longer cell line without a clause break (a project name with its codes)
MAX_COLUMNS = 30
MIN_DATA_ROWS = 2
MIN_AGREEMENT = 0.9
MIN_SLACK_ROWS = 5  # data rows a table needs before one of them may hold figures without a label
MIN_BLANK_ROWS = 3  # aligned lines enough to be a table even without a figure (a table of blanks)
MAX_LONE = 8  # label-only rows in a row


def flattened_table(lines: list[str], i: int, numbers: list[int]) -> tuple[Table, int] | None:
    """A flattened table starting at line index i, in any shape, with the next line index."""
    return _aligned(lines, i, numbers) or _one_line(lines, i, numbers) or _cell_per_line(lines, i, numbers)


def is_figure(cell: str) -> bool:
    """A printed amount or rate (or a dash standing for none)."""
    s = normalize(cell).replace(" ", "")
    return bool(_NUMBER.match(s)) or s in _DASH


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(rows: list[list[str]], lines: list[int]) -> Table:
    locs = [Location(line=n) for n in lines]
    return Table(rows=rows, location=locs[0], row_locations=locs)


# --- columns aligned by spaces -----------------------------------------------------------------


def _spans(line: str) -> list[tuple[int, str]]:
    """(display column where the cell starts, cell) for the cells of a space-aligned line."""
    text = line.rstrip().replace("\u3000", "  ").replace("\t", "    ")
    out, width, measured = [], 0, 0
    for m in re.finditer(r"\S+(?: \S+)*", text):  # the width so far, added to cell by cell: a long line stays linear
        width, measured = width + _width(text[measured : m.start()]), m.start()
        out.append((width, m.group(0)))
    return out


def _is_aligned_row(line: str) -> bool:
    """Two or more cells apart by a gap (the gap, cheaper to find, first)."""
    return bool(_GAP.search(line.strip())) and len(_spans(line)) >= 2


def _lone_label(lines: list[str], j: int) -> bool:
    """A row whose only filled cell is its label, among aligned rows (or closing them)."""
    if not 0 < j < len(lines) or len(_spans(lines[j])) != 1 or not _is_cell_line(lines[j]):
        return False
    k = j + 1
    while k < len(lines) and k - j <= MAX_LONE and len(_spans(lines[k])) == 1 and _is_cell_line(lines[k]):
        k += 1
    return k >= len(lines) or not lines[k].strip() or _is_aligned_row(lines[k])


def _aligned(lines: list[str], i: int, numbers: list[int]) -> tuple[Table, int] | None:
    indented = lines[i].startswith(("  ", "\u3000")) and _lone_label(lines, i)  # a right-hand note above
    if not _is_aligned_row(lines[i]) and not indented:
        return None
    j = i
    while j < len(lines) and (_is_aligned_row(lines[j]) or _lone_label(lines, j)):
        j += 1
    spans = [_spans(line) for line in lines[i:j]]
    data = [s for s in spans if any(is_figure(c) for _, c in s[1:])]
    if j - i < 2 or (len(data) < MIN_DATA_ROWS and j - i < MIN_BLANK_ROWS):
        return None
    starts = sorted({pos for s in spans for pos, _ in s})
    columns: list[int] = []
    for pos in starts:  # starts a column or two apart are one column (a digit narrower than a character)
        if not columns or pos - columns[-1] > 2:
            columns.append(pos)
    rows = []
    for s in spans:
        row = [""] * len(columns)
        for pos, cell in s:
            col = bisect.bisect_right(columns, pos + 2) - 1  # the last column starting by the cell
            row[col] = (row[col] + " " + cell).strip()
        rows.append(row)
    return _table(rows, numbers[i:j]), j


# --- a whole table on one line -----------------------------------------------------------------


def _one_line(lines: list[str], i: int, numbers: list[int]) -> tuple[Table, int] | None:
    """`项目 预算数 工资福利支出 商品和服务支出 100 20`: one header row, then the row labels, then the values.

    With T labels and V values, k value columns and L rows satisfy k + L = T - 1 and k * L = V;
    of the two solutions the one with more rows than columns is taken.
    """
    tokens = lines[i].split()
    if len(tokens) < 5:  # two values and three labels at least (a paragraph is one token)
        return None
    values = 0
    while values < len(tokens) and is_figure(tokens[-1 - values]):
        values += 1
    labels = tokens[: len(tokens) - values]
    # a sentence's clauses show in its labels (the values' thousands separators are no clause breaks)
    if values < 2 or len(labels) < 3 or any(is_figure(t) for t in labels) or _SENTENCE.search(" ".join(labels)):
        return None
    total = len(labels) - 1
    root = math.isqrt(max(0, total * total - 4 * values))
    if root * root != total * total - 4 * values or (total + root) % 2:
        return None
    n_rows, k = (total + root) // 2, (total - root) // 2
    if k < 1 or len(labels[: k + 1]) != k + 1:
        return None
    cells = [("" if c in _DASH else c) for c in tokens[len(labels) :]]
    rows = [labels[: k + 1]]
    rows += [[labels[k + 1 + r], *cells[r * k : (r + 1) * k]] for r in range(n_rows)]
    return _table(rows, [numbers[i]] * len(rows)), i + 1


# --- one cell per line -------------------------------------------------------------------------


@lru_cache(maxsize=1 << 12)
def _is_cell_line(line: str) -> bool:
    """A line that can be one cell: short, no sentence, no table title and no unit line (the cheap tests first).

    Remembered for the last few thousand lines: a run of such lines is asked again from each of its
    lines, every one a possible start of a table."""
    s = normalize(line)
    short = len(s) <= MAX_CELL_LINE or (len(s) <= MAX_LONG_CELL and not _CLAUSE.search(s))
    return short and not _SENTENCE.search(s) and not is_title(s) and not _is_unit_line(s)


def _is_unit_line(s: str) -> bool:
    """A normalised line declaring the table's unit (单位：万元), alone or after the issuer."""
    return bool(unit_of(s)) and (s.startswith(("单位", "金额单位", "计量单位", "（单位", "(单位")) or is_issuer(s))


def _long_value(lines: list[str], j: int, cells: list[tuple[str, int]]) -> bool:
    """A form's long field value (年度总体目标 then a sentence) on its line, the form going on after it."""
    label = next((normalize(c).replace(" ", "") for c, _ in reversed(cells) if c), "")
    if label not in load("tables")["forms"]["long_values"] or heading_rank(normalize(lines[j])) in (1, 2):
        return False  # "1.加强…" may open the value
    return j + 1 >= len(lines) or not lines[j + 1].strip() or _is_cell_line(lines[j + 1])


def _cell_per_line(lines: list[str], i: int, numbers: list[int]) -> tuple[Table, int] | None:
    if not _is_cell_line(lines[i]):  # a paragraph's line, the common case, told first
        return None
    first = normalize(lines[i])
    if not first or is_figure(first) or heading_rank(first) == 1:
        return None
    cells: list[tuple[str, int]] = []  # (cell, line index)
    j = i
    while j < len(lines) and (not lines[j].strip() or _is_cell_line(lines[j]) or _long_value(lines, j, cells)):
        if lines[j].strip() != "|":
            cells.append((lines[j].strip(), j))
        j += 1
    if sum(is_figure(c) for c, _ in cells) < 2 * MIN_DATA_ROWS:  # a grid of indicators may hold no figure
        return _form(cells, numbers, j) if _indicator_grid([c for c, _ in cells]) else None
    above = 0  # the table may open with empty cells, taken for blank lines above it
    while above < MAX_COLUMNS and i - above > 0 and not lines[i - above - 1].strip():
        above += 1
    fitted = _aligned_period(cells, i, above)
    if fitted is None:
        return _form(cells, numbers, j)
    blanks, found = fitted
    cells = [("", i)] * blanks + cells
    n, n_rows = found
    rows = [[c for c, _ in cells[r * n : (r + 1) * n]] for r in range(n_rows)]
    locs = [numbers[cells[r * n][1]] for r in range(n_rows)]
    end = cells[n_rows * n][1] if n_rows * n < len(cells) else j
    return _table(rows, locs), end


def _aligned_period(cells: list[tuple[str, int]], i: int, above: int) -> tuple[int, tuple[int, int]] | None:
    """(empty cells the table opens with, (columns, rows)), with at most `above` such cells.

    The fewest that give a table of one kind per column; among the alignments within one row of
    that, the first whose first column holds the labels (a row opening with empty cells read
    shifted puts the labels last and still fits)."""
    first = None
    for blanks in range(above + 1):
        found = _period([("", i)] * blanks + cells)
        if found is None:
            continue
        if first is None:
            first = (blanks, found)
        if _labelled([("", i)] * blanks + cells, found[0]):
            return blanks, found
        if blanks - first[0] >= first[1][0] - 1:
            break
    return first


def _labelled(cells: list[tuple[str, int]], n: int) -> bool:
    """Whether the first filled column of the rows with figures holds text (labels), not figures."""
    rows = [[c for c, _ in cells[r * n : (r + 1) * n]] for r in range(len(cells) // n)]
    data = [row for row in rows if any(is_figure(c) for c in row[1:])]
    first = min((j for row in data for j, c in enumerate(row) if c), default=0)
    firsts = [row[first] for row in data if row[first]]
    return sum(not is_figure(c) for c in firsts) > len(firsts) / 2


def _form(cells: list[tuple[str, int]], numbers: list[int], end: int) -> tuple[Table, int] | None:
    """A one-project form (绩效目标表, 自评表) flattened field by field.

    Its fields become one row of its cells in reading order, so that each field's value stays
    right of its label; its grid of indicators (一级指标 | 二级指标 | 三级指标 …) is rebuilt row by row.
    """
    keys = set(load("tables")["forms"]["name"])
    grid = _indicator_grid([c for c, _ in cells])
    head = cells[: grid[0]] if grid else cells
    filled = [(c, k) for c, k in head if c]
    if grid is None and not any(normalize(c).replace(" ", "") in keys for c, _ in filled):
        return None
    rows = [[c for c, _ in filled]] if filled else []
    locs = [numbers[filled[0][1]]] if filled else []
    if grid is not None:
        start, n, n_rows = grid
        for r in range(n_rows):
            row = cells[start + r * n : start + (r + 1) * n]
            rows.append([c for c, _ in row])
            locs.append(numbers[row[0][1]])
        after = start + n_rows * n
        end = cells[after][1] if after < len(cells) else end
    return _table(rows, locs), end


def _indicator_grid(cells: list[str]) -> tuple[int, int, int] | None:
    """(first cell, columns, rows) of the indicator grid in a flattened form, header row included.

    The header row starts at 一级指标 or at a filled cell just before it (绩效指标, 项目名称); the
    width is the one under which the most rows in a row read as indicators (see `_indicator_rows`).
    """
    vocab = load("tables")["indicators"]
    texts = [squash_spaces(normalize(c)) for c in cells]
    h = next((k for k, t in enumerate(texts) if t in vocab["level1"]), None)
    if h is None:
        return None
    best: tuple[int, int, int, int] | None = None  # (indicators, -width, first cell, rows)
    for start in range(h, max(-1, h - MAX_LONE), -1):
        if start < h and not texts[start]:
            break
        for n in range(h - start + 2, MAX_COLUMNS + 1):
            header = texts[start : start + n]
            columns = [_header_index(header, vocab[f]) for f in ("level1", "level2", "level3")]
            if columns[2] is None or any(is_figure(c) for c in header if c):
                continue
            n_rows, named = _indicator_rows(texts, start, n, columns)
            if named and (best is None or (named, -n) > best[:2]):
                best = (named, -n, start, n_rows)
    return None if best is None else (best[2], -best[1], 1 + best[3])


def _header_index(header: list[str], words: list[str]) -> int | None:
    return next((j for j, t in enumerate(header) if t in words), None)


def _indicator_rows(texts: list[str], start: int, n: int, columns: list[int | None]) -> tuple[int, int]:
    """(rows, rows naming an indicator) of n cells after the header, up to the first that is no
    indicator row: empty, opening with a figure, or with a level cell that names no level (…指标)."""
    level = load("tables")["indicators"]["level_word"]
    rows = named = 0
    level1, level2, level3 = columns
    for r in range(1, (len(texts) - start) // n):
        row = texts[start + r * n : start + (r + 1) * n]
        if not any(row) or is_figure(row[0]):
            break
        if any(row[j] and level not in row[j] for j in (level1, level2) if j is not None):
            break
        rows += 1
        named += bool(row[level3])
    return rows, named


def _period(cells: list[tuple[str, int]]) -> tuple[int, int] | None:
    """(columns, rows): the fewest columns for which every column holds one kind, figures or text.

    Empty cells fit either kind. Only the rows from the first with a figure count; rows at the
    end that break the columns' kinds (the prose after the table) are left out. A two-sided
    table (项目 | 预算数 | 项目 | 预算数) also fits half as wide: its repeated header decides.
    """
    kinds = ["e" if not c else "f" if is_figure(c) else "t" for c, _ in cells]
    texts = [normalize(c) for c, _ in cells]
    for n in range(2, min(MAX_COLUMNS, len(cells) // 2) + 1):
        rows = _fit(kinds, n)
        if rows is None:
            continue
        wide = _fit(kinds, 2 * n) if 2 * n <= MAX_COLUMNS else None
        if wide is not None and _two_sided(texts, kinds, n):
            return 2 * n, wide
        return n, rows
    return _one_data_row(kinds)


def _one_data_row(kinds: list[str]) -> tuple[int, int] | None:
    """A header over a single row of figures (a 三公 table): the width whose last row alone has
    figures. The row ends at its last figure or at empty cells after it; lines after are prose."""
    if "f" not in kinds:
        return None
    last = len(kinds) - kinds[::-1].index("f")
    for n in range(3, min(MAX_COLUMNS, last // 2) + 1):
        for size in range(last, min(len(kinds), last + n - 1) + 1):
            if size % n or any(k != "e" for k in kinds[last:size]):
                continue
            rows = [kinds[r * n : (r + 1) * n] for r in range(size // n)]
            if "t" not in rows[-1] and all("f" not in row for row in rows[:-1]):
                return n, len(rows)
    return None


def _fit(kinds: list[str], n: int) -> int | None:
    """The number of rows of n cells that make a table of one kind per column, or None."""
    rows = [kinds[r * n : (r + 1) * n] for r in range(len(kinds) // n)]
    first = next((r for r, row in enumerate(rows) if "f" in row[1:]), None)
    if first is None:
        return None
    data = rows[first:]
    columns = [_column_kind([row[j] for row in data]) for j in range(n)]
    if "f" not in columns or None in columns:
        return None
    end = len(data)
    while end and _misfit(data[end - 1], columns):
        end -= 1
    fits = sum(all(k in ("e", columns[j]) for j, k in enumerate(row)) for row in data[:end])
    unlabelled = sum("t" not in row and "f" in row for row in data[:end])  # figures need a label
    if end - fits + unlabelled > max(1, (1 - MIN_AGREEMENT) * end) or fits < MIN_DATA_ROWS:
        return None
    if unlabelled and end < MIN_SLACK_ROWS:  # in a short table, figures without a label are a wrong width
        return None
    return first + end


def _two_sided(texts: list[str], kinds: list[str], n: int) -> bool:
    """Header rows of 2n cells whose halves name the same columns (项目 | 预算数 twice)."""
    for r in range(len(texts) // (2 * n)):
        row = texts[r * 2 * n : (r + 1) * 2 * n]
        if "f" in kinds[r * 2 * n : (r + 1) * 2 * n]:
            return False
        if any(row[:n]) and [squash_spaces(c) for c in row[:n]] == [squash_spaces(c) for c in row[n:]]:
            return True
    return False


def squash_spaces(text: str) -> str:
    return text.replace(" ", "")


def _misfit(row: list[str], columns: list[str]) -> bool:
    """A row most of whose filled cells are not of their column's kind (prose after the table)."""
    filled = [(k, columns[j]) for j, k in enumerate(row) if k != "e"]
    return not filled or sum(k != c for k, c in filled) * 2 > len(filled)


def _column_kind(kinds: list[str]) -> str | None:
    """'f' or 't' when (nearly) every filled cell of a column is of that kind; 'e' if none is filled."""
    figures, texts = kinds.count("f"), kinds.count("t")
    if not figures and not texts:
        return "e"
    if min(figures, texts) > max(1, (1 - MIN_AGREEMENT) * (figures + texts)):  # a 合计 among codes
        return None
    return "f" if figures >= texts else "t"
