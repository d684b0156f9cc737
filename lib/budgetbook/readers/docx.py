"""Word .docx disclosures (python-docx): body paragraphs and tables in document order.

Locations are block numbers (a .docx has no fixed lines or pages). A cell merged across
columns appears once; a cell continued from the row above (vertical merge) is ''.
"""

from __future__ import annotations

import io

import docx
from docx.document import Document as DocxDocument
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from budgetbook.document import Block, Document, Location, Paragraph, Table
from budgetbook.readers import ReadError
from budgetbook.readers.captions import fallback_title, is_caption_line, pick_title, unit_from
from budgetbook.text import join_lines

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes, doc: Document) -> None:
    """Fill `doc` from the bytes of a .docx file."""
    try:
        word = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several unrelated types for damaged files
        raise ReadError(f"damaged Word document ({type(exc).__name__}: {exc})") from exc
    doc.blocks = list(_blocks(word))


def _blocks(word: DocxDocument) -> list[Block]:
    blocks: list[Block] = []
    for number, element in enumerate(word.element.body.iterchildren(), start=1):
        if element.tag == f"{_W}p":
            text = DocxParagraph(element, word).text.strip()
            if text:
                blocks.append(Paragraph(raw=text, location=Location(line=number)))
        elif element.tag == f"{_W}tbl":
            rows = _rows(DocxTable(element, word))
            if rows:
                blocks.append(_table(rows, number, blocks))
    return blocks


def _rows(table: DocxTable) -> list[list[str]]:
    rows = []
    seen: dict[int, object] = {}  # merged cells met so far (kept alive so ids stay unique)
    for tr in table.rows:
        in_row: set[int] = set()
        row = []
        for cell in tr.cells:
            key = id(cell._tc)
            if key in in_row:  # the same merged cell spans several grid columns: once
                continue
            in_row.add(key)
            row.append("" if key in seen else join_lines(cell.text.split("\n")))
            seen[key] = cell._tc
        if any(row):
            rows.append(row)
    return rows


def _table(rows: list[list[str]], number: int, blocks: list[Block]) -> Table:
    caption: list[str] = []
    while blocks and isinstance(blocks[-1], Paragraph) and is_caption_line(blocks[-1].raw) and len(caption) < 4:
        caption.insert(0, blocks.pop().raw)
    loc = Location(line=number)
    above = blocks[-1].raw if blocks and isinstance(blocks[-1], Paragraph) else None
    return Table(
        rows=rows,
        location=loc,
        title=pick_title(caption) or fallback_title(rows, above),
        unit=unit_from(caption),
        caption=caption,
        row_locations=[loc] * len(rows),
    )
