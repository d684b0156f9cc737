"""Plain-text exports: encoding detection, paragraphs, tab-laid-out and pipe tables.

Word's "save as text" writes a table cell by cell: a line starting with a tab opens a cell,
a line that follows a cell without a blank line continues that cell, and a blank line ends
the row. Web copies use `| a | b |` rows instead. Every other non-blank line is a paragraph.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from dataclasses import dataclass, field

from charset_normalizer import from_bytes

from budgetbook import collector
from budgetbook.document import Block, Document, Location, Paragraph, Table
from budgetbook.outline import heading_rank
from budgetbook.readers import ReadError
from budgetbook.readers.captions import is_caption_line, is_title, pick_title, unit_from, unit_of
from budgetbook.readers.flat import flattened_table
from budgetbook.text import join_lines, normalize

_BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_LEGACY = ["gb18030", "big5"]
# Characters frequent in disclosures, in both scripts: decoding with the wrong legacy codec
# yields valid but rare characters, so the share of these tells the right codec.
_COMMON = set(
    "的一是在年元万和及其中部门单位预算决算收入支出经费项目公共财政拨款基本人员政府办公务用车接待"
    "部門單位預算決算收支經費項目財政撥款基本人員政府辦公務用車接待會議費情況說明"
)
_GAP2 = re.compile(r" {2,}|\u3000{2,}")
MAX_HEADER_LINE = 20  # a header line printed alone above a flattened table
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_RULE = re.compile(r"^\s*\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*\|?\s*$")
MAX_CONTINUATION = 80
MAX_WRAP = 60  # hard-wrapped copies break lines every few dozen characters
MIN_WRAP = 16
MIN_WRAPPED = 8  # lines of the same length before a text counts as hard-wrapped


def decode(data: bytes) -> tuple[str, str]:
    """Decode text bytes; returns (text, encoding). Raises ReadError if no Chinese codec fits."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: dict[str, str] = {}
    for enc in _LEGACY:
        try:
            candidates[enc] = data.decode(enc)
        except UnicodeDecodeError:
            continue
    guess = from_bytes(data, cp_isolation=[*_LEGACY, "utf_8"]).best()
    if guess is not None and guess.encoding in candidates and len(data) >= 200:
        return candidates[guess.encoding], guess.encoding
    if candidates:
        enc = max(candidates, key=lambda e: _common_share(candidates[e]))
        return candidates[enc], enc
    raise ReadError("text in an unknown encoding (not UTF-8, UTF-16, GB18030/GBK or Big5)")


def _common_share(text: str) -> float:
    return sum(ch in _COMMON for ch in text) / max(1, len(text))


@dataclass
class _TableBuilder:
    """Collects the rows of one tab-laid-out table."""

    start: int
    rows: list[list[str]] = field(default_factory=list)
    row_lines: list[int] = field(default_factory=list)
    row: list[str] = field(default_factory=list)
    row_line: int = 0

    def open_cell(self, text: str, line: int) -> None:
        if not self.row:
            self.row_line = line
        self.row.append(text.strip(" \t\u3000\xa0"))

    def continue_cell(self, text: str) -> None:
        self.row[-1] = join_lines([self.row[-1], text.strip(" \t\u3000\xa0")])

    def end_row(self) -> None:
        if self.row:
            self.rows.append(self.row)
            self.row_lines.append(self.row_line)
        self.row = []


def read_text(data: bytes, doc: Document) -> None:
    """Fill `doc` from the bytes of a plain-text export."""
    text, doc.encoding = decode(data)
    with collector.paused():  # blocks and locations hold no cycles (see `collector`)
        lines, numbers = unwrap(text.splitlines())
        doc.blocks = parse_lines(lines, numbers)


def unwrap(lines: list[str]) -> tuple[list[str], list[int]]:
    """Rejoin lines a copy broke every ~25 characters (even inside a number: "3055.⏎44万元").

    A text is hard-wrapped when many of its prose lines have the same length, the longest
    there is; a line of (about) that length continues on the next line unless that line
    starts a table row. Returns the lines and the line number each starts on.
    """
    prose_lines = [_is_prose_line(line) for line in lines]
    width = wrap_width(lines, prose_lines)
    out: list[str] = []
    numbers: list[int] = []
    joining = False
    for no, (line, prose) in enumerate(zip(lines, prose_lines, strict=True), start=1):
        if joining and prose and not _starts_anew(out[-1], line):
            out[-1] = join_lines([out[-1], line])
        else:
            out.append(line)
            numbers.append(no)
        joining = bool(width) and prose and width - 1 <= len(line.strip()) <= width
    return out, numbers


def _starts_anew(previous: str, line: str) -> bool:
    """A full line that still ends its paragraph: a heading after a sentence, a caption after a title."""
    after_sentence = previous.rstrip().endswith(("。", "：", "；")) and heading_rank(normalize(line)) is not None
    return after_sentence or (is_title(previous) and is_caption_line(line))


def _is_prose_line(line: str) -> bool:
    s = line.strip()
    return bool(s) and not line.startswith("\t") and "|" not in line and not _GAP2.search(s)


def wrap_width(lines: list[str], prose: list[bool] | None = None) -> int:
    """The length a hard-wrapped text breaks its lines at, or 0 if it is not hard-wrapped (`prose`:
    `_is_prose_line` of each line, if known)."""
    prose = prose if prose is not None else [_is_prose_line(line) for line in lines]
    long = [n for line, is_prose in zip(lines, prose, strict=True) if is_prose and (n := len(line.strip())) >= MIN_WRAP]
    if len(long) < MIN_WRAPPED:
        return 0
    width, count = Counter(long).most_common(1)[0]
    longer = sum(n > width + 1 for n in long)
    if width > MAX_WRAP or count < MIN_WRAPPED or count < 0.3 * len(long) or longer > 0.05 * len(long):
        return 0
    return width


def parse_lines(lines: list[str], numbers: list[int] | None = None) -> list[Block]:
    """Turn the lines of a text export into paragraphs and tables (`numbers`: their line numbers)."""
    blocks: list[Block] = []
    table: _TableBuilder | None = None
    prev = "blank"  # kind of the previous line: cell, blank, text, pipe
    numbers = numbers or list(range(1, len(lines) + 1))
    i = 0
    while i < len(lines):
        line, no = lines[i], numbers[i]
        if table is None and is_pipe_row(line):
            i = _read_pipe_table(lines, i, blocks, numbers)
            prev = "pipe"
            continue
        flat = None if table is not None or line.startswith("\t") else flattened_table(lines, i, numbers)
        if flat is not None:
            table_, i = flat
            blocks.append(with_caption(table_, blocks))
            prev = "blank"
            continue
        if line.startswith("\t"):
            table = table or _TableBuilder(start=no)
            table.open_cell(line[1:], no)
            prev = "cell"
        elif not line.strip(" \r\n"):  # a line of U+3000 only still continues a cell
            if table is not None:
                table.end_row()
            prev = "blank"
        elif table is not None and prev == "cell" and _continues_cell(line):
            table.continue_cell(line)
        elif not line.strip():
            prev = "blank"
        else:
            if table is not None:
                _close_table(table, blocks)
                table = None
            blocks.append(Paragraph(raw=line.strip(), location=Location(line=no)))
            prev = "text"
        i += 1
    if table is not None:
        _close_table(table, blocks)
    return blocks


def _continues_cell(line: str) -> bool:
    """A line right after a cell continues it unless it is clearly new prose."""
    s = normalize(line)
    return len(s) <= MAX_CONTINUATION and heading_rank(s) not in (0, 1)


def _close_table(builder: _TableBuilder, blocks: list[Block]) -> None:
    builder.end_row()
    rows = [r for r in builder.rows if any(c for c in r)]
    if not rows:
        return
    locs = [Location(line=n) for r, n in zip(builder.rows, builder.row_lines, strict=True) if any(r)]
    blocks.append(with_caption(Table(rows=rows, location=locs[0], row_locations=locs), blocks))


def with_caption(table: Table, blocks: list[Block]) -> Table:
    """Move the caption lines printed just above the table into it (numbered headings stay)."""
    _take_header_line(table, blocks)
    caption: list[str] = []
    while blocks and isinstance(blocks[-1], Paragraph) and is_caption_line(blocks[-1].raw):
        if heading_rank(blocks[-1].text) is not None:
            caption.insert(0, blocks[-1].raw)
            break
        if is_title(blocks[-1].raw) and any(is_title(c) for c in caption):
            break  # a table has one title: the one above belongs to the text (a list of tables)
        caption.insert(0, blocks.pop().raw)
        if len(caption) >= 4:
            break
    caption = [*caption, *table.caption]  # a caption the table carries itself (HTML <caption>) comes last
    table.caption = caption
    table.unit = unit_from(caption)
    table.title = pick_title(caption)
    first = [c for c in table.rows[0] if c.strip()] if table.rows else []
    if not table.title and len(first) == 1 and is_title(first[0]):
        table.title = first[0]  # the title typed into the table's first row (kept there as printed)
    if not table.title and blocks and isinstance(blocks[-1], Paragraph):
        above = blocks[-1].text
        if (len(above) <= 30 and not above.endswith(("。", "：", "；"))) or is_title(above):
            table.title = blocks[-1].raw.strip()
    return table


def _take_header_line(table: Table, blocks: list[Block]) -> None:
    """A lone header line between the unit line and the rows is the table's first row.

    A heading spanning every column (`2026年预算数` over the columns) comes out of a flattened copy
    as a line of its own; below the `单位：万元` line it can only belong to the table.
    """
    if len(blocks) < 2 or not all(isinstance(b, Paragraph) for b in blocks[-2:]) or not table.rows:
        return
    line, above = blocks[-1], blocks[-2]
    text = normalize(line.raw).replace(" ", "")
    if not unit_of(above.raw) or unit_of(text) or is_caption_line(text) or heading_rank(text) is not None:
        return
    if len(text) > MAX_HEADER_LINE or text.endswith(("。", "；", "：", ":")) or not any(ch.isalpha() for ch in text):
        return
    blocks.pop()
    table.rows.insert(0, [line.raw.strip()] + [""] * (table.n_cols - 1))
    table.row_locations.insert(0, line.location)
    table.location = line.location


def is_pipe_row(line: str) -> bool:
    """`| a | b |`, or as copies often have it `合 计 | X | X |` without the leading bar."""
    s = line.strip()
    return bool(_PIPE_ROW.match(line)) or (s.count("|") >= 2 and s.endswith("|") and not s.startswith("||"))


def _read_pipe_table(lines: list[str], i: int, blocks: list[Block], numbers: list[int]) -> int:
    """Read consecutive `| a | b |` rows starting at line index i; returns the next index.

    In a table whose rows lack the leading bar (`合 计 | X | X |`), a row that has one starts with an
    empty cell (` | | 质量指标 | X |`).
    """
    start = i
    while i < len(lines) and (is_pipe_row(lines[i]) or (i > start and lines[i].strip().endswith("|"))):
        i += 1
    texts = [line.strip() for line in lines[start:i]]
    barless = any(not t.startswith("|") and not _PIPE_RULE.match(t) for t in texts)
    rows: list[list[str]] = []
    locs: list[Location] = []
    for k, text in enumerate(texts, start=start):
        if not _PIPE_RULE.match(lines[k]):
            cells = text.removesuffix("|").split("|")
            if text.startswith("|") and not barless:
                cells = cells[1:]  # a leading bar; in a table of rows without one, an empty first cell
            rows.append([c.strip() for c in cells])
            locs.append(Location(line=numbers[k]))
    if rows:
        blocks.append(with_caption(Table(rows=rows, location=locs[0], row_locations=locs), blocks))
    return i
