"""Scanned pages (no text layer) read by OCR: RapidOCR on page images rendered by pypdfium2.

A page image is searched for ruling lines (long thin runs of dark pixels, found by a
morphological opening); a frame of crossing lines is a table whose grid is the lines' positions,
and every recognised text box falls into the cell under its centre. The text boxes outside
tables become lines, in PDF points, which the PDF reader reflows like any text layer. Each
line and cell keeps the recogniser's confidence (the lowest of its boxes), which later marks the
figures read from it (`source` = 'ocr', `confidence`).

OCR is the optional `ocr` extra (`pip install -e '.[ocr]'`, done by `make install`); its
models ship inside the `rapidocr-onnxruntime` wheel, so nothing is downloaded at run time.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass, field

from budgetbook.document import Block, Document, Paragraph, Table
from budgetbook.readers import ReadError
from budgetbook.text import join_lines, squash

SCALE = 2.0  # render at 144 dpi: small table print stays legible, and a page costs seconds, not minutes
MAX_OCR_PAGES = 30  # one document may not cost more OCR than this
MIN_TABLE_SHARE = 0.25  # a frame narrower than this share of the page is not a table (a box around a word)
LINE_SHARE_H = 1 / 25  # a horizontal ruling is at least this share of the page width
LINE_SHARE_V = 1 / 60  # a vertical ruling is at least this share of the page height
TURN_CONFIDENCE = 0.8  # text read this badly after turning a page was turned the wrong way
MERGE_PX = 6  # rulings closer than this (pixels) are one
SEAL_RED = 60  # a pixel whose red exceeds its green and blue by this much is seal ink (red stamps)
SEAL_MIN_RED = 120  # … and is this red at least (dark text under a seal stays)
INSTALL_HINT = "install the OCR extra to read it: pip install -e '.[ocr]' (make install does)"


def available() -> bool:
    """Is the OCR extra installed?"""
    try:
        import pypdfium2  # noqa: F401
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


@functools.lru_cache(maxsize=1)
def engine():
    """One RapidOCR engine per process (loading its models takes a second or two)."""
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


@dataclass
class Box:
    """One recognised text box, in pixels of the page image."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    confidence: float
    chars: list[tuple[float, float]] = field(default_factory=list)  # each character's x0, x1 (when known)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Grid:
    """A ruled table found in the image: its row and column boundaries in pixels."""

    ys: list[float]
    xs: list[float]
    open_walls: set[tuple[int, int]] = field(default_factory=set)  # (row, c): no ruling at xs[c] in that row

    def split(self, box: Box) -> list[Box]:
        """A box that runs across a vertical ruling (the recogniser joins text of neighbouring
        cells when they sit close) cut there, by the positions of its characters."""
        r = min(max(bisect.bisect_right(self.ys, box.cy) - 1, 0), len(self.ys) - 2)
        inner = [
            x
            for c, x in enumerate(self.xs[1:-1], start=1)
            if box.x0 + MERGE_PX < x < box.x1 - MERGE_PX and (r, c) not in self.open_walls
        ]
        if not inner or len(box.chars) != len(box.text) or not self.ys[0] <= box.cy <= self.ys[-1]:
            return [box]
        parts: list[Box] = []
        cuts = [box.x0 - 1, *inner, box.x1 + 1]
        for left, right in itertools.pairwise(cuts):
            idx = [i for i, (a, b) in enumerate(box.chars) if left <= (a + b) / 2 < right]
            text = "".join(box.text[i] for i in idx).strip()
            if text:
                x0, x1 = box.chars[idx[0]][0], box.chars[idx[-1]][1]
                chars = [box.chars[i] for i in idx]
                parts.append(Box(text, x0, x1, box.top, box.bottom, box.confidence, chars))
        return parts or [box]

    def cell_of(self, box: Box) -> tuple[int, int] | None:
        if not (self.ys[0] <= box.cy <= self.ys[-1] and self.xs[0] <= box.cx <= self.xs[-1]):
            return None
        r = min(bisect.bisect_right(self.ys, box.cy) - 1, len(self.ys) - 2)
        c = min(bisect.bisect_right(self.xs, box.cx) - 1, len(self.xs) - 2)
        while c > 0 and (r, c) in self.open_walls:  # a cell merged across columns: its leftmost
            c -= 1
        return r, c


@dataclass
class OcrMarks:
    """Confidences of what OCR read, by page: line texts and cell texts (squashed)."""

    pages: set[int] = field(default_factory=set)
    lines: dict[int, list[tuple[str, float]]] = field(default_factory=dict)
    cells: dict[tuple[int, str], float] = field(default_factory=dict)

    def mark(self, blocks: list[Block]) -> None:
        """Give the paragraphs and table cells read from OCR'd pages their confidence."""
        for block in blocks:
            if isinstance(block, Table) and set(block.pages) & self.pages:
                block.confidences = [
                    [self._cell(loc.page, text) for text in row]
                    for row, loc in zip(block.rows, block.row_locations, strict=False)
                ]
            elif isinstance(block, Paragraph) and block.location.page in self.pages:
                block.confidence = self._paragraph(block)

    def _cell(self, page: int | None, text: str) -> float | None:
        return self.cells.get((page or 0, squash(text))) if text else None

    def _paragraph(self, para: Paragraph) -> float | None:
        whole = squash(para.raw)
        page = para.location.page or 0
        found = [conf for p in (page, page + 1) for text, conf in self.lines.get(p, []) if text and text in whole]
        return min(found) if found else None


def ocr_pages(data: bytes, pages: list, doc: Document) -> OcrMarks | None:
    """Read the given pages (PDF pages without a text layer) by OCR, filling their items.

    Returns the confidences to mark the blocks with, or None when the OCR extra is missing
    (then a document that is all scan cannot be read: ReadError with the install hint).
    """
    if not pages:
        return None
    numbers = ", ".join(str(p.number) for p in pages[:10]) + (" …" if len(pages) > 10 else "")
    if not available():
        message = f"{len(pages)} page(s) without a text layer (a scan: {numbers}) need OCR; {INSTALL_HINT}"
        if len(pages) == doc.pages:
            raise ReadError(message)
        doc.warnings.append(message)
        return None
    import pypdfium2 as pdfium

    marks = OcrMarks()
    try:
        pdf = pdfium.PdfDocument(data)
    except Exception as exc:  # pdfium's own error type for what pdfplumber could open
        raise ReadError(f"the scanned pages cannot be rendered for OCR ({exc})") from exc
    try:
        for page in pages[:MAX_OCR_PAGES]:
            try:
                if not has_image(pdf[page.number - 1]):
                    continue  # nothing but rulings or a blank page: no text to recognise
                image = pdf[page.number - 1].render(scale=SCALE).to_numpy()
                read_page_image(image, page, marks)
            except Exception as exc:  # one bad page must not lose the others
                doc.warnings.append(f"page {page.number} could not be read by OCR ({type(exc).__name__}: {exc})")
    finally:
        pdf.close()
    if len(pages) > MAX_OCR_PAGES:
        doc.warnings.append(f"only the first {MAX_OCR_PAGES} of {len(pages)} scanned pages were read by OCR")
    if marks.pages:
        read = sorted(marks.pages)
        listed = ", ".join(map(str, read[:10])) + (" …" if len(read) > 10 else "")
        doc.warnings.append(f"page(s) {listed} have no text layer: read by OCR (figures marked source=ocr)")
    return marks


def has_image(page) -> bool:
    """Does a PDF page draw an image (a scan), rather than only vector lines or nothing?"""
    import pypdfium2.raw as pdfium_c

    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def read_page_image(image, page, marks: OcrMarks) -> None:
    """OCR one page image into `page.items` (lines and tables, in PDF points)."""
    from budgetbook.readers.pdf import _Line, _PageTable

    rgb = without_seals(image[:, :, :3] if image.ndim == 3 else image)
    boxes = recognise(rgb)
    if sum(b.bottom - b.top > 1.5 * (b.x1 - b.x0) for b in boxes) > len(boxes) / 2:
        rgb = upright(rgb)  # a landscape table printed across a portrait page
        page.width, page.height = page.height, page.width
        boxes = recognise(rgb)
    grids = find_grids(rgb)
    in_table: dict[int, list[Box]] = {i: [] for i in range(len(grids))}
    free: list[Box] = []
    for grid in grids:
        boxes = [part for box in boxes for part in grid.split(box)]
    for box in boxes:
        owner = next((i for i, g in enumerate(grids) if g.cell_of(box) is not None), None)
        (free if owner is None else in_table[owner]).append(box)
    lines = [_line_of(group) for group in group_lines(free)]
    items: list = []
    # the font size: a text box is about as high as the type; its median, as single boxes vary
    heights = sorted(bottom - top for _, _, _, top, bottom, _ in lines)
    size = heights[len(heights) // 2] / SCALE if heights else 10.0
    for no, (text, x0, x1, top, bottom, conf) in enumerate(lines, start=1):
        items.append(_Line(text, x0 / SCALE, x1 / SCALE, top / SCALE, bottom / SCALE, size, page.number, no))
        marks.lines.setdefault(page.number, []).append((squash(text), conf))
    for i, grid in enumerate(grids):
        rows, confs = grid_rows(grid, in_table[i])
        if len(rows) < 2:
            continue
        for row, conf_row in zip(rows, confs, strict=True):
            for text, conf in zip(row, conf_row, strict=True):
                if text:
                    key = (page.number, squash(text))
                    marks.cells[key] = min(conf, marks.cells.get(key, 1.0))
        above = int(sum(ln.bottom <= grid.ys[0] / SCALE + 1 for ln in items if isinstance(ln, _Line)))  # not np.int64
        items.append(_PageTable(rows, grid.ys[0] / SCALE, grid.ys[-1] / SCALE, page.number, above + 1))
    items.sort(key=lambda it: it.top)
    page.items = items
    page.chars = sum(len(b.text) for b in boxes)
    marks.pages.add(page.number)


def without_seals(image):
    """The page image (BGR, as pdfium renders it) with red ink (official seals stamped over text
    and tables) turned white, so that the recogniser reads the black print under a seal and not
    the seal's own words."""
    import numpy as np

    if image.ndim != 3:
        return image
    channels = image.astype(np.int16)
    blue, green, red = channels[:, :, 0], channels[:, :, 1], channels[:, :, 2]  # pdfium renders BGR
    seal = (red >= SEAL_MIN_RED) & (red - np.maximum(green, blue) >= SEAL_RED)
    if not seal.any():
        return image
    out = image.copy()
    out[seal] = 255
    return out


def upright(image):
    """A page whose text boxes stand upright (a landscape table printed across a portrait page)
    turned a quarter so that its text runs left to right: clockwise, or the other way when the
    text read that way makes no sense."""
    import numpy as np

    turned = np.ascontiguousarray(np.rot90(image, k=-1))  # the usual way: top of the table at the left
    sample = recognise(turned[: turned.shape[0] // 3])
    if sample and sum(b.confidence for b in sample) / len(sample) < TURN_CONFIDENCE:
        return np.ascontiguousarray(np.rot90(turned, k=2))
    return turned


_THOUSANDS = re.compile(r"(?<=\d)[，,](?=\d{3}(?!\d))")
_DECIMAL = re.compile(r"(?<=\d)[．。·](?=\d)")


_PAGE_MARK = re.compile(r"^[一—\-–－]\s*(\d{1,4})\s*[一—\-–－]$")


def fix_digits(text: str) -> str:
    """What the recogniser makes of printed numbers: 5，753.07 (a full-width comma) and 5．3
    are 5,753.07 and 5.3; a page number's dashes read as 一 (一2—) are dashes."""
    text = _DECIMAL.sub(".", _THOUSANDS.sub(",", text))
    mark = _PAGE_MARK.match(text.strip())
    return f"—{mark.group(1)}—".ljust(len(text)) if mark else text


def recognise(image) -> list[Box]:
    """The text boxes RapidOCR finds in an image, in pixels."""
    result, _ = engine()(image, use_cls=False, return_word_box=True)
    boxes = []
    for points, text, score, *words in result or []:
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        chars = [(min(p[0] for p in w), max(p[0] for p in w)) for w in (words[0] if words else []) if w]
        if text.strip():
            boxes.append(Box(fix_digits(text), min(xs), max(xs), min(ys), max(ys), float(score), chars))
    return boxes


def group_lines(boxes: list[Box]) -> list[list[Box]]:
    """Boxes that share most of their height are one line, read left to right."""
    lines: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: b.top):
        for line in lines:
            ref = line[-1]
            shared = min(ref.bottom, box.bottom) - max(ref.top, box.top)
            if shared >= 0.5 * min(ref.bottom - ref.top, box.bottom - box.top):
                line.append(box)
                break
        else:
            lines.append([box])
    return [sorted(line, key=lambda b: b.x0) for line in lines]


def _line_of(boxes: list[Box]) -> tuple[str, float, float, float, float, float]:
    text = " ".join(b.text.strip() for b in boxes)
    return (
        text,
        min(b.x0 for b in boxes),
        max(b.x1 for b in boxes),
        min(b.top for b in boxes),
        max(b.bottom for b in boxes),
        min(b.confidence for b in boxes),
    )


def grid_rows(grid: Grid, boxes: list[Box]) -> tuple[list[list[str]], list[list[float]]]:
    """The grid's cells filled with the boxes under them; empty rows dropped, '' for empty cells."""
    n_rows, n_cols = len(grid.ys) - 1, len(grid.xs) - 1
    cells: dict[tuple[int, int], list[Box]] = {}
    for box in boxes:
        where = grid.cell_of(box)
        if where is not None:
            cells.setdefault(where, []).append(box)
    rows, confs = [], []
    for r in range(n_rows):
        texts, scores = [], []
        for c in range(n_cols):
            found = cells.get((r, c), [])
            lines = group_lines(found)
            texts.append(join_lines([" ".join(b.text for b in line) for line in lines]) if found else "")
            scores.append(min((b.confidence for b in found), default=1.0))
        if any(texts):
            rows.append(texts)
            confs.append(scores)
    return rows, confs


def find_grids(image) -> list[Grid]:
    """Ruled tables in a page image: frames of horizontal and vertical rulings, each as a grid."""
    import cv2
    import numpy as np

    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    ink = (gray < 170).astype(np.uint8) * 255
    height, width = ink.shape
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, max(20, int(width * LINE_SHARE_H))), np.uint8))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((max(15, int(height * LINE_SHARE_V)), 1), np.uint8))
    frame = cv2.dilate(horizontal | vertical, np.ones((5, 5), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(frame)
    grids = []
    for x, y, w, h, _area in stats[1:n]:
        if w < width * MIN_TABLE_SHARE or h < 20:
            continue
        ys = _rulings(horizontal[y : y + h, x : x + w], axis=1, offset=y, span=(y, y + h))
        xs = _rulings(vertical[y : y + h, x : x + w], axis=0, offset=x, span=(x, x + w))
        if len(ys) >= 3 and len(xs) >= 2:
            grids.append(Grid(ys, xs, _open_walls(vertical, ys, xs)))
    return sorted(grids, key=lambda g: g.ys[0])


def _open_walls(vertical, ys: list[float], xs: list[float]) -> set[tuple[int, int]]:
    """(row, c) where the ruling at xs[c] does not run through the row: a merged cell."""
    out = set()
    for r in range(len(ys) - 1):
        top, bottom = int(ys[r]) + 3, int(ys[r + 1]) - 2
        if bottom <= top:
            continue
        for c in range(1, len(xs) - 1):
            strip = vertical[top:bottom, max(0, int(xs[c]) - 3) : int(xs[c]) + 4]
            if (strip > 0).any(axis=1).mean() < 0.5:
                out.add((r, c))
    return out


def _rulings(mask, axis: int, offset: int, span: tuple[int, int]) -> list[float]:
    """Positions of the rulings in a mask (rows with ink for axis=1, columns for axis=0),
    with the frame's own edges added where a table leaves its sides open."""
    import numpy as np

    profile = (mask > 0).sum(axis=axis)
    hits = np.flatnonzero(profile > 0)
    positions: list[float] = []
    run: list[int] = []
    for i in hits:
        if run and i - run[-1] > MERGE_PX:
            positions.append(offset + sum(run) / len(run))
            run = []
        run.append(int(i))
    if run:
        positions.append(offset + sum(run) / len(run))
    if not positions or positions[0] - span[0] > MERGE_PX * 2:
        positions.insert(0, float(span[0]))
    if span[1] - positions[-1] > MERGE_PX * 2:
        positions.append(float(span[1]))
    return positions
