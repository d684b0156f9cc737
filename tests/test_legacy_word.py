"""Legacy Word and WPS: a seed saved as .doc and as .wps by LibreOffice gives the seed's facts."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from budgetbook.document import Document, Paragraph
from budgetbook.extract.run import extract_document
from budgetbook.pipeline import Source, read_one
from budgetbook.readers import ReadError, read_document, sniff_format
from budgetbook.readers import legacy as legacy_reader
from budgetbook.readers.legacy import INSTALL_HINT, convert, soffice

from .conftest import SEEDS_RAW, need_shared

SEED = "004_5c1b81d72b238a6b.txt"  # a county unit budget: prose and its tables


def write_docx(doc: Document, path: Path) -> None:
    """The read seed as Word writes it: paragraphs, and tables under their caption lines."""
    word = docx.Document()
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            word.add_paragraph(block.raw)
            continue
        for line in block.caption:
            word.add_paragraph(line)
        grid = word.add_table(rows=len(block.rows), cols=block.n_cols)
        for r, row in enumerate(block.rows):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    word.save(path)


def _facts(doc: Document) -> list[tuple]:
    return sorted(
        (f.measure, f.item, f.year, f.basis, round(f.value, 4), f.unit, f.source) for f in extract_document(doc).facts
    )


@pytest.fixture(scope="module")
def seed() -> Document:
    (path,) = need_shared(SEEDS_RAW).rglob(SEED)
    return read_document(path, SEED, "seed")


@pytest.fixture(scope="module")
def saved(seed: Document, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The seed as .docx, as .doc (Word 97, by LibreOffice) and as .wps (WPS 文字 writes the same
    Word 97 compound file under its own name; LibreOffice has no WPS export of its own)."""
    if soffice() is None:
        pytest.fail("LibreOffice (soffice) is needed to write the .doc; .ci/run installs it")
    folder = tmp_path_factory.mktemp("legacy")
    modern = folder / "说明.docx"
    write_docx(seed, modern)
    binary = convert(modern.read_bytes(), ".docx", "doc:MS Word 97")
    out = {"docx": modern}
    for suffix in ("doc", "wps"):
        out[suffix] = folder / f"说明.{suffix}"
        out[suffix].write_bytes(binary)
    return out


@pytest.mark.parametrize("suffix", ["doc", "wps"])
def test_legacy_binary_gives_the_seed_facts(seed: Document, saved: dict[str, Path], suffix: str) -> None:
    path = saved[suffix]
    assert sniff_format(path.read_bytes(), f".{suffix}") == "doc"
    doc = read_document(path, path.name, suffix)
    assert doc.format == "doc" and len(doc.tables) == len(seed.tables)
    expected = _facts(seed)
    assert len(expected) > 30
    assert _facts(doc) == expected


def test_docx_saved_under_a_doc_name_is_read_as_docx(seed: Document, saved: dict[str, Path], tmp_path: Path) -> None:
    misnamed = tmp_path / "说明.doc"
    misnamed.write_bytes(saved["docx"].read_bytes())
    doc = read_document(misnamed, misnamed.name, "misnamed")
    assert doc.format == "docx" and _facts(doc) == _facts(seed)


def test_without_libreoffice_one_problem_row_says_how_to_install(
    saved: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(legacy_reader, "soffice", lambda: None)
    doc, extraction, problems = read_one(Source(saved["doc"], "说明.doc", "说明"))
    assert doc is None and extraction is None
    (problem,) = problems
    assert problem.severity == "error" and problem.message == f"说明.doc: {INSTALL_HINT}"
    assert "apt-get install libreoffice" in problem.message


def test_a_file_libreoffice_cannot_convert_is_one_clear_error(tmp_path: Path) -> None:
    if soffice() is None:
        pytest.fail("LibreOffice (soffice) is needed; .ci/run installs it")
    junk = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "WordDocument".encode("utf-16-le") + b"\x00\x00"
    with pytest.raises(ReadError, match="LibreOffice could not convert"):
        convert(junk, ".doc", "docx", timeout=60)
