"""A folder of bad inputs goes through `extract`: readable files are read, every other file
gives exactly one problem row naming it, and the exit status says so."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image
from pypdf import PdfWriter

from budgetbook.cli import EXIT_PROBLEMS, main
from budgetbook.readers import ReadError, sniff_format

from .conftest import CORPUS, need_shared

SENTENCE = "2024年年初本部门收入预算3055.44万元，其中，一般公共预算拨款3055.44万元。\n"


@pytest.fixture
def bad_folder(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    good_pdf = need_shared(CORPUS / "北京_2026年北京市审计局部门预算.pdf").read_bytes()
    (raw / "good.pdf").write_bytes(good_pdf)
    (raw / "truncated.pdf").write_bytes(good_pdf[: len(good_pdf) // 2])
    (raw / "zero.txt").write_bytes(b"")
    (raw / "random.pdf").write_bytes(os.urandom(4096).replace(b"%PDF", b"XXXX"))
    (raw / "gbk.txt").write_bytes((SENTENCE * 5).encode("gbk"))
    (raw / "big5.txt").write_bytes(
        ("二零二四年部門預算收入三千萬元，其中一般公共預算撥款三千萬元。\n" * 5).encode("big5")
    )
    (raw / "page.doc").write_bytes(
        "<!DOCTYPE html><html><head><title>部门预算</title></head><body><nav>首页</nav></body></html>".encode()
    )
    Image.new("RGB", (120, 160), "white").save(raw / "scan.pdf")
    writer = PdfWriter(clone_from=raw / "good.pdf")
    writer.encrypt(user_password="secret", owner_password="owner")
    writer.write(raw / "locked.pdf")
    (raw / "notes.md").write_text("metadata beside the documents is not read", encoding="utf-8")
    return raw


def test_bad_inputs_give_one_problem_each(bad_folder: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "clean"
    status = main(["extract", str(bad_folder), "--out", str(out), "--jobs", "2", "--quiet"])
    documents = pd.read_parquet(out / "documents.parquet")
    all_problems = pd.read_parquet(out / "problems.parquet")
    problems = all_problems.loc[all_problems.stage == "read"]

    assert status == EXIT_PROBLEMS
    assert sorted(documents.source_file) == ["big5.txt", "gbk.txt", "good.pdf"]
    assert dict(zip(documents.source_file, documents.encoding, strict=True))["big5.txt"] == "big5"
    assert sorted(problems.source_file) == [
        "locked.pdf",
        "page.doc",
        "random.pdf",
        "scan.pdf",
        "truncated.pdf",
        "zero.txt",
    ]
    assert problems.groupby("source_file").size().eq(1).all()
    assert (problems.severity == "error").all()
    assert all(m.startswith(f) for f, m in zip(problems.source_file, problems.message, strict=True))
    reasons = dict(zip(problems.source_file, problems.message, strict=True))
    assert "truncated" in reasons["truncated.pdf"]
    assert "OCR" in reasons["scan.pdf"]
    assert "password" in reasons["locked.pdf"]
    assert "HTML" in reasons["page.doc"]
    assert "empty" in reasons["zero.txt"]
    assert "not a PDF" in reasons["random.pdf"]
    assert "truncated.pdf" in capsys.readouterr().err
    # a read document in which no figure was found is told too, as a warning of the extract stage
    extract = all_problems.loc[all_problems.stage == "extract"]
    assert list(extract.source_file) == ["big5.txt"] and (extract.severity == "warning").all()


def test_a_clean_folder_exits_zero(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(SENTENCE, encoding="utf-8")
    assert main(["extract", str(raw), "--out", str(tmp_path / "out"), "--quiet"]) == 0


def test_missing_raw_folder_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["extract", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out"), "--quiet"]) == 2


@pytest.mark.parametrize(
    ("data", "suffix", "reason"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".doc", "neither a Word/WPS document nor a spreadsheet"),
        (b"PK\x03\x04not really a zip", ".docx", "damaged zip"),
        (b"\x00\x01\x02\x03" * 50, ".bin", "unknown binary"),
        (b"   \n\n", ".txt", "white space only"),
    ],
)
def test_sniff_rejects_what_it_cannot_read(data: bytes, suffix: str, reason: str) -> None:
    with pytest.raises(ReadError, match=reason):
        sniff_format(data, suffix)


def test_sniff_trusts_content_over_name() -> None:
    assert sniff_format(b"%PDF-1.7 ...", ".txt") == "pdf"
    assert sniff_format("部门预算".encode(), ".pdf.txt") == "text"
