"""PDF disclosures (pdfplumber): prose in reading order and ruled tables as cells.

Quirks of the genre handled here:
- Word exports shade words with filled boxes; pdfplumber sees those as one-row "tables"
  (长沙). A real table has at least two rows and two columns with content.
- Some exports draw the title and unit line inside the table frame (上海 财政拨款收支总表):
  leading caption-like rows move to the caption.
- Tables run over pages, with or without their header repeated (上海, 福州, 普陀): a table
  that opens a page with no caption of its own, right after a table with as many columns,
  continues it; a repeated header is dropped.
- Running headers (苏州: the document title on every page) and page numbers (`- 4 -`).
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import PdfminerException

from budgetbook.document import Block, Document, Location, Paragraph, Table
from budgetbook.extract.vocab import load
from budgetbook.limits import guard_pdf_streams
from budgetbook.outline import heading_rank
from budgetbook.readers import ReadError
from budgetbook.readers.captions import is_caption_line, is_issuer, pick_title, unit_from, unit_of
from budgetbook.readers.pdf_columns import column_tables
from budgetbook.text import join_lines, normalize, squash

# Page numbers, also letter-spaced ("2 0", "第 1 2 页": each digit set apart by the layout).
_PAGE_DIGITS = r"\d(?: ?\d){0,3}"
_PAGE_NUMBER = re.compile(
    rf"^(?:[-—–－_·•\s]*{_PAGE_DIGITS}[-—–－_·•\s]*|第\s*{_PAGE_DIGITS}\s*页(?:\s*[,，/]?\s*共\s*{_PAGE_DIGITS}\s*页)?"
    rf"|{_PAGE_DIGITS}\s*/\s*{_PAGE_DIGITS}|[-—–－\s]*[ivxlcIVXLC]+[-—–－\s]*)$"
)
EDGE_LINES = 2  # lines at the top and bottom of a page where headers and footers live
MAX_CAPTION_LINES = 4
MAX_REPEATED_HEADER = 4
MIN_LINES_FOR_MARGINS = 4
SAME_LINE_OVERLAP = 0.5
_SENTENCE_END = tuple("。；：！？!?;:")
FULL_PAGE = 0.8  # a table reaching below this share of the page height ran to its foot

guard_pdf_streams()  # a PDF stream may not inflate past the document's limit (decompression bombs)


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    no: int  # 1-based line number on the page


@dataclass
class _PageTable:
    rows: list[list[str]]
    top: float
    bottom: float
    page: int
    line: int  # number of text lines above it on the page, +1
    caption: list[_Line] = field(default_factory=list)


@dataclass
class _Page:
    number: int
    width: float
    height: float
    items: list[_Line | _PageTable]
    chars: int


def read_pdf(data: bytes, doc: Document) -> None:
    """Fill `doc` from the bytes of a PDF."""
    pages = _read_pages(data, doc)
    doc.pages = len(pages)
    from budgetbook.readers.ocr import ocr_pages  # pages without a text layer (scans), by OCR

    marks = ocr_pages(data, [p for p in pages if not p.chars], doc)
    if not any(p.chars for p in pages):
        raise ReadError(f"no text layer in {len(pages)} page(s) and no text found by OCR")
    _drop_running_lines(pages)
    doc.blocks = _blocks(pages)
    if marks is not None:
        marks.mark(doc.blocks)
    if b"%%EOF" not in data[-4096:]:
        doc.warnings.append(f"truncated PDF (no end-of-file marker): read the {len(pages)} page(s) present")


def _read_pages(data: bytes, doc: Document) -> list[_Page]:
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:
        raise _open_error(exc, data) from exc
    pages: list[_Page] = []
    with pdf:
        try:
            plumber_pages = list(pdf.pages)
        except Exception as exc:
            raise ReadError(f"damaged PDF, its page tree cannot be read ({exc})") from exc
        if not plumber_pages:
            raise ReadError("PDF with no pages")
        for number, page in enumerate(plumber_pages, start=1):
            try:
                pages.append(_read_page(page, number))
            except Exception as exc:  # one bad page must not lose the others
                if isinstance(exc, MemoryError) or (exc.args and isinstance(exc.args[0], MemoryError)):
                    raise MemoryError from exc  # over the document's memory limit: not a bad page
                doc.warnings.append(f"page {number} could not be read ({type(exc).__name__}: {exc})")
            finally:
                page.close()
    if not pages:
        raise ReadError("none of the PDF's pages could be read")
    return pages


def _open_error(exc: Exception, data: bytes) -> ReadError:
    """Say why a PDF cannot be opened in words a user can act on."""
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
        return ReadError("encrypted PDF: it needs a password to open")
    if b"%%EOF" not in data[-4096:]:
        return ReadError("truncated PDF: the file ends before its end-of-file marker (incomplete download?)")
    if isinstance(cause, PDFSyntaxError | PSException | ValueError | KeyError | TypeError | PdfminerException):
        return ReadError(f"damaged PDF, cannot be parsed ({type(cause).__name__}: {cause})")
    return ReadError(f"PDF cannot be opened ({type(cause).__name__}: {cause})")


def _read_page(page: pdfplumber.page.Page, number: int) -> _Page:
    page = page.dedupe_chars()  # bold printed as every character twice, one over the other (惠惠州州)
    tables = [t for t in page.find_tables() if _is_real_table(t)]
    boxes = [t.bbox for t in tables]

    def outside(obj: dict) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    text_page = page.filter(outside) if boxes else page
    raw_lines = _merge_shifted_lines(text_page.extract_text_lines(return_chars=True))
    raw_lines, aligned = column_tables(raw_lines)  # tables drawn without ruling lines
    lines = [_to_line(raw, number, i) for i, raw in enumerate(raw_lines, 1)]
    lines = [ln for ln in lines if ln.text]
    items: list[_Line | _PageTable] = list(lines)
    for t, rows in ((t, t.extract()) for t in tables):
        above = sum(ln.bottom <= t.bbox[1] + 1 for ln in lines)
        items.append(_PageTable(_clean_rows(rows), t.bbox[1], t.bbox[3], number, above + 1))
    for t in aligned:
        items.append(_PageTable(t.rows, t.top, t.bottom, number, sum(ln.bottom <= t.top + 1 for ln in lines) + 1))
    items.sort(key=lambda it: it.top)
    return _Page(number, float(page.width), float(page.height), items, len(page.chars))


def _merge_shifted_lines(raw_lines: list[dict]) -> list[dict]:
    """Merge lines that share most of their height: digits set on a lower baseline than the
    Chinese around them (普陀) come out of pdfplumber as a line of their own."""
    merged: list[dict] = []
    for raw in sorted(raw_lines, key=lambda r: r["top"]):
        prev = merged[-1] if merged else None
        if prev is not None and (_overlap(prev, raw) >= SAME_LINE_OVERLAP or _stray_punctuation(prev, raw)):
            chars = sorted(prev["chars"] + raw["chars"], key=lambda c: c["x0"])
            merged[-1] = {
                "text": _chars_text(chars),
                "x0": min(prev["x0"], raw["x0"]),
                "x1": max(prev["x1"], raw["x1"]),
                "top": min(prev["top"], raw["top"]),
                "bottom": max(prev["bottom"], raw["bottom"]),
                "chars": chars,
            }
        else:
            merged.append(raw)
    return merged


_PUNCTUATION_ONLY = re.compile(r"^[\s、，。；：:;,.（）()“”《》·]+$")
STRAY_GAP = 3.0  # points between a punctuation-only line and the line it belongs to


def _stray_punctuation(a: dict, b: dict) -> bool:
    """Punctuation set on a baseline of its own ("一 主要职责" above "、"): it belongs to the line it touches."""
    if not (_PUNCTUATION_ONLY.match(a["text"]) or _PUNCTUATION_ONLY.match(b["text"])):
        return False
    return min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > -STRAY_GAP


def _overlap(a: dict, b: dict) -> float:
    """Vertical overlap of two lines as a share of the shorter one's height."""
    shared = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return shared / max(1e-6, min(a["bottom"] - a["top"], b["bottom"] - b["top"]))


def _chars_text(chars: list[dict]) -> str:
    """Text of chars in x order, a space where the gap exceeds half a character."""
    out = []
    for prev, char in zip([None, *chars[:-1]], chars, strict=True):
        if prev is not None and char["x0"] - prev["x1"] > 0.5 * char.get("size", 10):
            out.append(" ")
        out.append(char["text"])
    return "".join(out).strip()


def _to_line(raw: dict, page: int, no: int) -> _Line:
    sizes = [c.get("size", 0) for c in raw.get("chars", []) if not str(c.get("text", "")).isspace()]
    size = sorted(sizes)[len(sizes) // 2] if sizes else 10.0
    return _Line(raw["text"].strip(), raw["x0"], raw["x1"], raw["top"], raw["bottom"], size, page, no)


def _is_real_table(table) -> bool:
    """Two rows, two columns, and a row with two filled cells: shaded words are one-row boxes."""
    rows = table.extract()
    full = sum(sum(bool(c and c.strip()) for c in row) >= 2 for row in rows)
    return len(rows) >= 2 and max((len(r) for r in rows), default=0) >= 2 and full >= 1


def _clean_rows(rows: list[list[str | None]]) -> list[list[str]]:
    """Cell text with in-cell line breaks joined ('' for merged and empty cells); empty rows dropped."""
    cells = [[join_lines(c.split("\n")) if c else "" for c in row] for row in rows]
    return [row for row in cells if any(row)]


def _drop_empty_columns(table: Table) -> None:
    """Columns empty in every row (rulings with nothing between them) carry nothing."""
    width = table.n_cols
    keep = [j for j in range(width) if any(j < len(r) and r[j] for r in table.rows)]
    if len(keep) < width:
        table.rows = [[row[j] if j < len(row) else "" for j in keep] for row in table.rows]


# --- running headers, footers and page numbers -------------------------------------------


def _edge_lines(page: _Page) -> list[_Line]:
    lines = [it for it in page.items if isinstance(it, _Line)]
    return lines[:EDGE_LINES] + lines[-EDGE_LINES:]


def _drop_running_lines(pages: list[_Page]) -> None:
    """Remove page numbers and lines repeated at the top or bottom of most pages."""

    def key(line: _Line) -> str:
        return re.sub(r"\d+", "#", squash(line.text))

    counts = Counter(k for p in pages for k in {key(ln) for ln in _edge_lines(p)})
    threshold = max(3, int(0.4 * len(pages)))
    for page in pages:
        edge = {id(ln) for ln in _edge_lines(page)}
        page.items = [
            it
            for it in page.items
            if not (
                id(it) in edge
                and isinstance(it, _Line)
                and (
                    _PAGE_NUMBER.match(it.text.strip())
                    # a unit or 编制单位 line repeated above each table is a caption, not a header
                    or (counts[key(it)] >= threshold and not is_caption_line(it.text))
                )
            )
        ]


# --- reflow and tables ---------------------------------------------------------------------


@dataclass
class _Margins:
    left: float
    right: float


def _margins(pages: list[_Page]) -> dict[int, _Margins]:
    """Body text margins of each page; a page with too few lines takes those of its width's pages.

    Margins vary from page to page within one document (上海), so they are measured per page.
    """
    measured: dict[int, _Margins] = {}
    by_width: dict[int, list[_Margins]] = {}
    for p in pages:
        lines = [it for it in p.items if isinstance(it, _Line)]
        if len(lines) >= MIN_LINES_FOR_MARGINS:
            m = _Margins(min(ln.x0 for ln in lines), max(ln.x1 for ln in lines))
            measured[p.number] = m
            by_width.setdefault(round(p.width), []).append(m)
    out = {}
    for p in pages:
        peers = by_width.get(round(p.width), [])
        fallback = (
            _Margins(_median([m.left for m in peers]), _median([m.right for m in peers]))
            if peers
            else _Margins(0.0, p.width)
        )
        out[p.number] = measured.get(p.number, fallback)
    return out


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def _starts_paragraph(prev: _Line | None, line: _Line, m: _Margins) -> bool:
    if prev is None or heading_rank(normalize(line.text)) is not None:
        return True
    indented = line.x0 > m.left + 0.8 * line.size
    # Chinese line breaking (no line may open with 、，。) leaves full lines a few characters
    # short; such a line ends its paragraph only if it also ends a sentence.
    short_by = (m.right - prev.x1) / max(prev.size, 1.0)
    prev_short = short_by > 2 and (short_by > 4 or prev.text.rstrip().endswith(_SENTENCE_END))
    gap = prev.page == line.page and line.top - prev.bottom > 1.2 * line.size
    return indented or prev_short or gap


def _blocks(pages: list[_Page]) -> list[Block]:
    margins = _margins(pages)
    blocks: list[Block] = []
    para: list[_Line] = []
    prev: _Line | None = None
    fill = 0.0  # how far down its page the last table reached (0..1)

    def flush() -> None:
        if para:
            first = para[0]
            raw = join_lines([ln.text for ln in para])
            blocks.append(Paragraph(raw=raw, location=Location(line=first.no, page=first.page)))
            para.clear()

    for page in pages:
        m = margins[page.number]
        items = _take_captions(page.items)
        for pos, item in enumerate(items):
            if isinstance(item, _PageTable):
                flush()
                _add_table(blocks, item, opens_page=pos == 0, prev_fill=fill)
                fill = item.bottom / page.height
                prev = None
                continue
            if _starts_paragraph(prev, item, m):
                flush()
            para.append(item)
            prev = item
    flush()
    for block in blocks:
        if isinstance(block, Table):
            _drop_empty_columns(block)
    return blocks


def _take_captions(items: list[_Line | _PageTable]) -> list[_Line | _PageTable]:
    """Attach caption lines printed just above each table (and title rows inside it) to the table."""
    out: list[_Line | _PageTable] = []
    for item in items:
        if isinstance(item, _PageTable):
            caption: list[_Line] = []
            while out and isinstance(out[-1], _Line) and len(caption) < MAX_CAPTION_LINES:
                line = out[-1]
                near = (caption[0].top if caption else item.top) - line.bottom < 4 * line.size
                if not (near and is_caption_line(line.text)):
                    break
                caption.insert(0, out.pop())
            item.caption = caption + _peel_title_rows(item)
        out.append(item)
    return out


def _peel_title_rows(table: _PageTable) -> list[_Line]:
    """Leading rows that hold only a title, issuer or unit line belong to the caption."""
    peeled: list[_Line] = []
    while table.rows and _is_caption_row([c for c in table.rows[0] if c]):
        texts = [c for c in table.rows.pop(0) if c]
        peeled.append(_Line(" ".join(texts), 0, 0, table.top, table.top, 10, table.page, table.line))
    return peeled


def _is_caption_row(texts: list[str]) -> bool:
    """One caption-like cell, or cells that together declare the unit or the issuer."""
    if not texts:
        return False
    if len(texts) == 1:
        return is_caption_line(texts[0])
    joined = "".join(texts)
    return bool(unit_of(joined)) or is_issuer(joined)


def _add_table(blocks: list[Block], item: _PageTable, opens_page: bool, prev_fill: float) -> None:
    texts = [ln.text for ln in item.caption]
    title = pick_title(texts)
    prev = blocks[-1] if blocks else None
    if isinstance(prev, Table) and opens_page and _continues(prev, item, title, prev_fill):
        rows = _without_repeated_header(prev.rows, item.rows)
        prev.rows.extend(rows)
        prev.row_locations.extend([Location(item.line, item.page)] * len(rows))
        return
    locations = [Location(item.line, item.page)] * len(item.rows)
    blocks.append(
        Table(
            rows=item.rows,
            location=Location(item.line, item.page),
            title=title,
            unit=unit_from(texts),
            caption=texts,
            row_locations=list(locations),
        )
    )


def _continues(prev: Table, item: _PageTable, title: str, prev_fill: float) -> bool:
    """Does a table opening a page continue the previous table (which ended its page)?

    Untitled, or titled 续表: yes, if as wide or if the previous part ran to the foot of its
    page (福州 cuts a form after its first row, so that part has fewer columns).
    Titled like the previous one: only if the previous part ran to the foot of its page and
    the header row is repeated (长沙 repeats title and header on every page; 福州 prints
    several one-page tables under one title).
    """
    same_width = max((len(r) for r in item.rows), default=0) == prev.n_cols
    if _ended_with_total(prev) and _opens_new_header(prev, item):
        return False  # the previous table is complete and this one has its own column names
    if not title or "续" in title:
        return same_width or prev_fill >= FULL_PAGE  # a part cut at the foot may lack columns
    if not same_width:
        return False
    same_header = bool(item.rows) and [squash(c) for c in item.rows[0]] == [squash(c) for c in prev.rows[0]]
    return squash(title) == squash(prev.title) and prev_fill >= FULL_PAGE and same_header


_TOTAL_ROW = re.compile(r"^(?:合计|总计|支出总计|收入总计|收支总计|本年支出合计)$")
_FIGURE = re.compile(r"^[-−－]?[\d,，]+(?:\.\d+)?%?$")


def _ended_with_total(table: Table) -> bool:
    """The table's last row is its 合计/总计 row."""
    last = table.rows[-1] if table.rows else []
    return any(_TOTAL_ROW.match(squash(c)) for c in last)


def _opens_new_header(prev: Table, item: _PageTable) -> bool:
    """The part opens with rows of column names (项目 | 预算数 | 合计 …) that are not the table's own."""
    columns = load("tables")["columns"]
    words = {*columns["own"], *columns["generic"], *columns["sides"], *columns["codes"]}
    head = [[squash(c) for c in r] for r in prev.rows[:MAX_REPEATED_HEADER]]
    for row in item.rows[:2]:
        cells = [squash(c) for c in row if c.strip()]
        if any(_FIGURE.match(c) for c in cells):
            return False
        if sum(c in words for c in cells) >= 2:
            return [squash(c) for c in row] not in head
    return False


def _without_repeated_header(head: list[list[str]], rows: list[list[str]]) -> list[list[str]]:
    """Drop the continuation's leading rows that repeat the first rows of the table."""
    k = 0
    while k < min(MAX_REPEATED_HEADER, len(rows), len(head)) and [squash(c) for c in rows[k]] == [
        squash(c) for c in head[k]
    ]:
        k += 1
    return rows[k:]
