"""Readers: one per format, all returning the same `Document`.

`read_document` decides the format from the file's content, not its name (collected files
are often misnamed: a web page saved as `.doc`, a PDF without extension), and raises
`ReadError` with a reason a user can act on when the file cannot be read.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from budgetbook.document import Document, Paragraph, Table
from budgetbook.outline import assign_sections
from budgetbook.text import strip_controls


class ReadError(Exception):
    """A document that cannot be read; the message says why, in words a user can act on."""


_HTML_MARKS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<?xml")


def sniff_format(data: bytes, suffix: str) -> str:
    """Return 'pdf', 'docx', 'xlsx', 'ods', 'xls', 'doc', 'html', 'text' from the bytes (never the name),
    or raise ReadError for content that is not a document we read."""
    if not data.strip():
        raise ReadError("empty file (0 bytes)" if not data else "empty file (white space only)")
    if data[:1024].find(b"%PDF-") != -1:
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        return _zip_format(data)
    if data[:8] == OLE2_MAGIC:
        return ole2_format(data)
    if is_html(data):
        return "html"
    if suffix == ".pdf":
        raise ReadError("named .pdf but is not a PDF (no %PDF header)")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError(f"unknown binary format ({suffix or 'no extension'})")
    return "text"


def is_html(data: bytes) -> bool:
    """A saved web page, whatever its name (.htm, .doc, .pdf): its first bytes are markup."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            data = data[len(bom) :].decode(codec, errors="ignore").encode("utf-8")
            break
    head = data[:1024].lstrip().lower()
    return head.startswith(_HTML_MARKS) or b"<html" in head or (b"<table" in head and b"<tr" in head)


def _zip_format(data: bytes) -> str:
    import io

    from budgetbook.limits import check_archive

    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile as exc:
        raise ReadError(f"damaged zip container: {exc}") from exc
    check_archive(infos)
    names = [i.filename for i in infos]
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "content.xml" in names and b"application/vnd.oasis.opendocument.spreadsheet" in data[:200]:
        return "ods"
    raise ReadError("a zip archive that is not a Word document or a spreadsheet; unpack it into the raw folder")


OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Stream names of an OLE2 compound file, as its directory stores them (UTF-16LE):
# Word and WPS (.doc, .wps) keep the text in WordDocument; Excel and WPS 表格 (.xls, .et) in Workbook/Book.
_OLE2_STREAMS = (("WordDocument", "doc"), ("Workbook", "xls"), ("Book", "xls"))


def ole2_format(data: bytes) -> str:
    """'doc' (Word, WPS 文字) or 'xls' (Excel, WPS 表格) for an OLE2 compound file, from its stream names."""
    for name, fmt in _OLE2_STREAMS:
        if (name.encode("utf-16-le") + b"\x00\x00") in data:
            return fmt
    raise ReadError("an Office binary file that is neither a Word/WPS document nor a spreadsheet (PowerPoint?)")


SPREADSHEET_FORMATS = ("xlsx", "xls", "ods")


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_document(path: Path, source_file: str, doc_id: str) -> Document:
    """Read one file of any supported format into a Document (sections assigned)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot open file: {exc.strerror or exc}") from exc
    fmt = sniff_format(data, path.suffix.lower())
    doc = Document(doc_id=doc_id, source_file=source_file, format=fmt, sha256=file_sha256(data))
    if fmt == "pdf":
        from budgetbook.readers.pdf import read_pdf

        read_pdf(data, doc)
    elif fmt == "docx":
        from budgetbook.readers.docx import read_docx

        read_docx(data, doc)
    elif fmt == "html":
        from budgetbook.readers.html import read_html

        read_html(data, doc)
    elif fmt in SPREADSHEET_FORMATS:
        from budgetbook.readers.spreadsheet import read_spreadsheet

        read_spreadsheet(data, doc)
    elif fmt == "doc":
        from budgetbook.readers.legacy import read_legacy

        read_legacy(data, doc)
    else:
        from budgetbook.readers.text import read_text

        read_text(data, doc)
    strip_document_controls(doc)
    if not doc.blocks:
        raise ReadError("no text found in the file")
    assign_sections(doc.blocks)
    return doc


def strip_document_controls(doc: Document) -> None:
    """Remove control characters from every text the document holds (see `text.strip_controls`)."""
    for block in doc.blocks:
        if isinstance(block, Table):
            block.rows = [[strip_controls(c) for c in row] for row in block.rows]
            block.caption = [strip_controls(c) for c in block.caption]
            block.title, block.unit = strip_controls(block.title), strip_controls(block.unit)
        else:
            block.raw = strip_controls(block.raw)
    doc.blocks = [b for b in doc.blocks if not isinstance(b, Paragraph) or b.raw.strip()]
