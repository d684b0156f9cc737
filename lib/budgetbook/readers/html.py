"""Saved web pages (lxml): the article's text in reading order and its `<table>`s.

A page saved from a government site holds the disclosure among the site's chrome. Scripts,
styles, forms, `<nav>`/`<header>`/`<footer>`/`<aside>` and elements whose class or id names
navigation (nav, menu, breadcrumb, footer, share…) are dropped; every other block element
(p, div, h1…, li, br-separated lines) becomes a paragraph and every data table a `Table`
with rowspan and colspan resolved into a grid ('' where covered by a merged cell). A table
that holds other tables or only one cell is page layout: its content is read as blocks.
Locations are the source lines of the HTML file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from budgetbook.document import Block, Document, Location, Paragraph, Table
from budgetbook.readers import ReadError
from budgetbook.readers.text import decode, with_caption
from budgetbook.text import join_lines

_DROP_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "meta",
        "link",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "select",
        "option",
        "button",
        "iframe",
        "object",
        "embed",
        "svg",
        "canvas",
        "map",
        "input",
        "textarea",
        "label",
        "audio",
        "video",
    ]
)
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "section",
        "article",
        "main",
        "blockquote",
        "pre",
        "center",
        "address",
        "figure",
        "figcaption",
        "hr",
        "tr",
        "body",
        "html",
    ]
)
_CHROME = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|navigation|menu|breadcrumbs?|crumbs?|bread|footer|foot|sidebar|share|"
    r"toolbar|topbar|banner|copyright|position|location|skip|print|close|gotop|backtop)(?:$|[-_\s\d])",
    re.IGNORECASE,
)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_SPACE = re.compile(r"[ \t\r\n\f\v]+")
MAX_SPAN = 50  # a colspan/rowspan beyond this is a page's error, not a table's shape


def read_html(data: bytes, doc: Document) -> None:
    """Fill `doc` from the bytes of a saved web page."""
    text, doc.encoding = decode_html(data)
    try:
        root = lxml.html.document_fromstring(
            _XML_DECL.sub("", text), parser=lxml.html.HTMLParser(remove_comments=True, remove_pis=True)
        )
    except (etree.ParserError, ValueError) as exc:
        raise ReadError(f"an HTML page that cannot be parsed ({exc})") from exc
    doc.blocks = html_blocks(root)
    if not doc.blocks:
        raise ReadError("an HTML page with no article text (only navigation, scripts or styles)")


def decode_html(data: bytes) -> tuple[str, str]:
    """The page's text: the charset its <meta> declares if Python knows it, else detected."""
    m = _CHARSET.search(data[:4096])
    if m and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        name = m.group(1).decode("ascii").lower()
        name = "gb18030" if name in ("gb2312", "gbk", "gb_2312-80") else name
        try:
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data)


@dataclass
class _Walk:
    blocks: list[Block] = field(default_factory=list)
    buffer: list[str] = field(default_factory=list)
    line: int = 1

    def text(self, text: str | None, line: int | None) -> None:
        if text and text.strip():
            if not "".join(self.buffer).strip() and line:
                self.line = line
            self.buffer.append(text)
        elif text:
            self.buffer.append(" ")

    def flush(self) -> None:
        text = _SPACE.sub(" ", "".join(self.buffer)).strip()
        self.buffer = []
        if text:
            self.blocks.append(Paragraph(raw=text, location=Location(line=self.line)))


def html_blocks(root: etree._Element) -> list[Block]:
    """Paragraphs and tables of a parsed page, in reading order."""
    walk = _Walk()
    body = root.find("body")
    _visit(body if body is not None else root, walk)
    walk.flush()
    return walk.blocks


def _is_chrome(el: etree._Element) -> bool:
    if not isinstance(el.tag, str) or el.tag.lower() in _DROP_TAGS:
        return True
    names = f"{el.get('class', '')} {el.get('id', '')}"
    return bool(_CHROME.search(names)) or bool(_HIDDEN.search(el.get("style", ""))) or el.get("hidden") is not None


def _visit(el: etree._Element, walk: _Walk) -> None:
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if _is_chrome(el) and el.getparent() is not None:
        walk.text(el.tail, None)
        return
    if tag == "table" and _is_data_table(el):
        walk.flush()
        table = _table(el)
        if table is not None:
            walk.blocks.append(with_caption(table, walk.blocks))
        walk.text(el.tail, None)
        return
    block = tag in _BLOCK_TAGS or tag in ("table", "td", "th", "caption")
    if block or tag == "br":
        walk.flush()
    walk.text(el.text, el.sourceline)
    for child in el:
        _visit(child, walk)
    if block:
        walk.flush()
    walk.text(el.tail, el.sourceline)


def _is_data_table(el: etree._Element) -> bool:
    """A table of figures, not page layout (no nested table, more than one cell)."""
    if el.find(".//table") is not None:
        return False
    return len(el.xpath(".//td|.//th")) > 1


def _cell_text(cell: etree._Element) -> str:
    """A cell's text: its lines (p, br, div) joined as layout breaks."""
    walk = _Walk()
    walk.text(cell.text, None)
    for child in cell:
        _visit(child, walk)
    walk.flush()
    return join_lines([b.raw for b in walk.blocks if isinstance(b, Paragraph)])


def _span(cell: etree._Element, name: str) -> int:
    try:
        return max(1, min(MAX_SPAN, int(re.sub(r"\D", "", cell.get(name, "1")) or 1)))
    except ValueError:
        return 1


def _table(el: etree._Element) -> Table | None:
    """A `<table>` as a grid: a merged cell's text in its first position, '' where it spans."""
    grid: dict[tuple[int, int], str] = {}
    lines: list[int] = []
    r = 0
    for tr in el.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
        if _is_chrome(tr):
            continue
        c = 0
        for cell in tr.xpath("./td|./th"):
            while (r, c) in grid:
                c += 1
            rows, cols = _span(cell, "rowspan"), _span(cell, "colspan")
            for dr in range(rows):
                for dc in range(cols):
                    grid[(r + dr, c + dc)] = ""
            grid[(r, c)] = _cell_text(cell)
            c += cols
        lines.append(tr.sourceline or 0)
        r += 1
    if not grid:
        return None
    n_rows = max(k[0] for k in grid) + 1
    n_cols = max(k[1] for k in grid) + 1
    rows = [[grid.get((i, j), "") for j in range(n_cols)] for i in range(n_rows)]
    lines += [lines[-1] if lines else 0] * (n_rows - len(lines))
    kept = [(row, line) for row, line in zip(rows, lines, strict=True) if any(c.strip() for c in row)]
    if not kept:
        return None
    locs = [Location(line=line) for _, line in kept]
    caption = [_cell_text(c) for c in el.xpath("./caption")]
    table = Table(rows=[row for row, _ in kept], location=locs[0], row_locations=locs)
    table.caption = [c for c in caption if c]
    return table
