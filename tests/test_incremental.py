"""Incremental extraction: reruns read only new or changed files (asserted through the cache and
the reader, not by timing), removed files leave the frames, identical files are read once, a
Dask cluster gives the same frames, and a worker killed mid-document costs only that document."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pandas as pd
import pytest

from budgetbook import engine, pipeline
from budgetbook.cache import Cache
from budgetbook.pipeline import extract
from budgetbook.report import data
from budgetbook.storage import read_frame

from .conftest import CORPUS, SEEDS_RAW, need_shared

FRAMES = ("documents", "paragraphs", "tables", "table_cells", "facts", "indicators", "problems", "checks")
EXTRA = "\n二、其他说明\n2024年本部门会议费预算12.34万元，比上年减少1.00万元。\n"


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    """The five seeds, copied so that tests may change them."""
    folder = tmp_path / "raw"
    shutil.copytree(need_shared(SEEDS_RAW), folder)
    return folder


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The files the reader opens (in this process: jobs=1)."""
    opened: list[str] = []
    real = pipeline.read_document

    def spy(path: Path, source_file: str, doc_id: str):
        opened.append(source_file)
        return real(path, source_file, doc_id)

    monkeypatch.setattr(pipeline, "read_document", spy)
    return opened


def frames_of(out: Path, names=FRAMES) -> dict[str, pd.DataFrame]:
    return {n: read_frame(out, n) for n in names}


def assert_same_frames(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    for name in a:
        x, y = a[name], b[name]
        if name == "checks":  # document order inside one audit; compare as sets of rows
            x, y = (f.sort_values(list(f.columns)).reset_index(drop=True) for f in (x, y))
        pd.testing.assert_frame_equal(x, y, obj=name)


def seed_files(raw: Path) -> list[Path]:
    return sorted(p for p in raw.rglob("*.txt"))


def test_a_rerun_with_nothing_changed_reads_no_document(raw: Path, tmp_path: Path, reads: list[str]) -> None:
    (raw / "empty.txt").write_bytes(b"")  # unreadable: its problem is kept like a result
    out = tmp_path / "clean"
    first = extract(raw, out, progress=False)
    assert len(reads) == 6 and len(first.read) == 6 and first.from_cache == 0
    assert len(first.documents) == 5 and [p.source_file for p in first.failed] == ["empty.txt"]
    before = frames_of(out)
    reads.clear()
    again = extract(raw, out, progress=False)
    assert reads == [] and again.read == [] and again.from_cache == 6
    assert_same_frames(before, frames_of(out))
    assert [d.doc_id for d in again.documents] == [d.doc_id for d in first.documents]
    assert [p.source_file for p in again.failed] == ["empty.txt"]
    # --force ignores the cache
    assert len(extract(raw, out, progress=False, force=True).read) == 6


def test_one_changed_file_is_read_again_alone(raw: Path, tmp_path: Path, reads: list[str]) -> None:
    out = tmp_path / "clean"
    extract(raw, out, progress=False)
    before = frames_of(out)
    changed = seed_files(raw)[2]
    changed.write_text(changed.read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
    reads.clear()
    result = extract(raw, out, progress=False)
    doc_id = changed.stem
    assert reads == [changed.relative_to(raw).as_posix()] and result.read == [doc_id]
    after = frames_of(out)
    assert after["paragraphs"].loc[lambda p: p.doc_id == doc_id].text.str.contains("12.34万元").any()
    meeting = after["facts"].loc[lambda f: (f.doc_id == doc_id) & (f.measure == "meeting_fee")]
    assert 12.34 in set(meeting.value)
    for name in ("paragraphs", "facts", "table_cells"):  # the other documents' rows are untouched
        keep = [f.loc[f.doc_id != doc_id].reset_index(drop=True) for f in (before[name], after[name])]
        pd.testing.assert_frame_equal(*keep, obj=name)


def test_a_removed_file_leaves_the_frames_and_the_cache(raw: Path, tmp_path: Path) -> None:
    out = tmp_path / "clean"
    extract(raw, out, progress=False)
    gone = seed_files(raw)[0]
    assert (read_frame(out, "facts").doc_id == gone.stem).any()
    gone.unlink()
    result = extract(raw, out, progress=False)
    assert result.read == [] and len(result.documents) == 4
    for name in FRAMES:
        assert not (read_frame(out, name).doc_id == gone.stem).any(), name
    assert len([p for p in Cache(out).dir.iterdir()]) == 4


def test_identical_files_are_read_once_and_listed(raw: Path, tmp_path: Path, reads: list[str]) -> None:
    seed = seed_files(raw)[1]
    (raw / "copy.txt").write_bytes(seed.read_bytes())
    (raw / "sub").mkdir()
    (raw / "sub" / "again.txt").write_bytes(seed.read_bytes())
    out = tmp_path / "clean"
    result = extract(raw, out, progress=False)
    assert len(reads) == 5 and result.duplicates == 2
    # the first of the copies in path order is the one read; the others name it
    first, *copies = sorted(["copy.txt", "sub/again.txt", seed.relative_to(raw).as_posix()])
    dup = read_frame(out, "duplicates").sort_values("source_file")
    assert list(dup.source_file) == copies
    assert set(dup.duplicate_of) == {Path(first).stem} and set(dup.duplicate_of_file) == {first}
    problems = read_frame(out, "problems").loc[lambda p: p.stage == "duplicate"]
    assert sorted(problems.source_file) == copies
    assert (problems.severity == "warning").all() and problems.message.str.contains(first).all()
    # counted once: in the documents, the facts and a department's report
    docs = read_frame(out, "documents")
    assert len(docs) == 5 and docs.sha256.is_unique and first in set(docs.source_file)
    frames = data.load_frames(out)
    department = docs.loc[docs.source_file == first, "department"].iloc[0]
    shown = data.department_documents(frames, department).frame
    assert shown["源文件"].tolist().count(first) == 1 and not set(copies) & set(shown["源文件"])
    facts = read_frame(out, "facts")
    assert set(facts.doc_id) <= set(docs.doc_id)
    # the status line does not count a copy as unreadable
    assert not result.failed


def test_a_renamed_file_comes_from_the_cache_under_its_new_name(raw: Path, tmp_path: Path, reads) -> None:
    out = tmp_path / "clean"
    extract(raw, out, progress=False)
    old = seed_files(raw)[3]
    new = old.with_name("renamed.txt")
    old.rename(new)
    reads.clear()
    result = extract(raw, out, progress=False)
    assert reads == [] and result.read == []
    fresh = tmp_path / "fresh"
    extract(raw, fresh, progress=False)
    assert_same_frames(frames_of(fresh), frames_of(out))
    assert "renamed" in set(read_frame(out, "documents").doc_id)


def test_an_interrupted_run_continues_where_it_stopped(raw: Path, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "clean"
    real, seen = pipeline.read_one, []

    def stop_at_third(source):
        seen.append(source.doc_id)
        if len(seen) == 3:
            raise KeyboardInterrupt
        return real(source)

    monkeypatch.setattr(pipeline, "read_one", stop_at_third)
    with pytest.raises(KeyboardInterrupt):
        extract(raw, out, progress=False)
    assert not (out / "documents.parquet").exists()  # no generation of a run that did not finish
    monkeypatch.setattr(pipeline, "read_one", real)
    result = extract(raw, out, progress=False)
    assert result.from_cache == 2 and sorted(result.read) == sorted(seen[2:] + [s.stem for s in seed_files(raw)][3:])
    assert len(read_frame(out, "documents")) == 5


def test_a_worker_killed_mid_document_is_a_problem_of_that_document(raw: Path, tmp_path: Path, monkeypatch) -> None:
    victim = raw / "victim.txt"
    victim.write_text(seed_files(raw)[0].read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
    real = pipeline.read_document

    def killed_on_victim(path: Path, source_file: str, doc_id: str):
        if doc_id == "victim":  # as the OOM killer would, in the middle of reading
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, source_file, doc_id)

    monkeypatch.setattr(pipeline, "read_document", killed_on_victim)  # forked workers inherit it
    out = tmp_path / "clean"
    result = extract(raw, out, jobs=2, progress=False)
    problems = read_frame(out, "problems")
    (row,) = problems.loc[problems.doc_id == "victim"].itertuples()
    assert row.severity == "error" and row.source_file == "victim.txt" and "died" in row.message
    assert sorted(read_frame(out, "documents").doc_id) == sorted(p.stem for p in seed_files(raw) if p != victim)
    assert len(result.failed) == 1
    # the crash is not cached: the next run tries the document again
    monkeypatch.setattr(pipeline, "read_document", real)
    again = extract(raw, out, jobs=1, progress=False)
    assert again.read == ["victim"] and "victim" in set(read_frame(out, "documents").doc_id)


def kill_on_victim(item: str) -> str:
    """Module level, so that Dask's spawned workers can import it."""
    if item == "victim":
        os.kill(os.getpid(), signal.SIGKILL)
    return item.upper()


def test_dask_local_cluster_gives_the_frames_of_a_local_run(raw: Path, tmp_path: Path) -> None:
    pdf = need_shared(CORPUS / "上海_2026年上海市政府办公厅_部门预算.pdf")
    shutil.copy(pdf, raw / pdf.name)
    local, dask = tmp_path / "local", tmp_path / "dask"
    extract(raw, local, jobs=1, progress=False)
    result = extract(raw, dask, jobs=2, progress=False, scheduler="local")
    assert len(result.read) == 6
    assert_same_frames(
        frames_of(local, (*FRAMES, "completeness", "duplicates")),
        frames_of(dask, (*FRAMES, "completeness", "duplicates")),
    )


@pytest.mark.parametrize("scheduler", [None, "local"])
def test_a_killed_worker_fails_its_item_only(scheduler: str | None) -> None:
    items = ["a", "victim", "b", "c"]
    results = dict(engine.run_all(kill_on_victim, items, jobs=2, scheduler=scheduler))
    assert {k: v for k, v in results.items() if k != "victim"} == {"a": "A", "b": "B", "c": "C"}
    assert isinstance(results["victim"], Exception)


def test_run_keeps_the_reports_of_departments_whose_inputs_did_not_change(raw: Path, tmp_path: Path) -> None:
    from budgetbook.workbook import REPORT, run

    def publisher(path: Path) -> str:
        return path.read_text(encoding="utf-8")[:400]

    for path in seed_files(raw):  # two departments are enough
        if "株洲市人民政府办公室" not in publisher(path) and "怀来县人民政府办公室" not in publisher(path):
            path.unlink()
    notebooks = Path(__file__).resolve().parents[1] / "notebooks"
    clean, reports = tmp_path / "clean", tmp_path / "reports"
    first = run(raw, clean, reports, notebooks, jobs=2, progress=False)
    assert first.failures == [] and first.skipped == [] and len(first.executed) == 4
    changed = next(p for p in seed_files(raw) if "株洲市人民政府办公室" in publisher(p))
    changed.write_text(changed.read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
    kept = (reports / "怀来县人民政府办公室" / REPORT).stat().st_mtime_ns
    second = run(raw, clean, reports, notebooks, jobs=2, progress=False)
    assert second.failures == [] and second.skipped == ["怀来县人民政府办公室"]
    assert [p.parent.name for p in second.executed if p.name == REPORT] == ["株洲市人民政府办公室"]
    assert (reports / "怀来县人民政府办公室" / REPORT).stat().st_mtime_ns == kept


def test_a_numpy_scalar_in_a_read_document_is_cached_as_its_value() -> None:
    """An OCR'd table's line counted over an image array is np.int64: the cache keeps the number."""
    import numpy as np

    from budgetbook.cache import decode, encode
    from budgetbook.document import Document, Location, Paragraph

    doc = Document("d", "d.pdf", "pdf", "0" * 64, 1, [Paragraph("收入总计100万元", Location(np.int64(4), 1))])
    back, _ = decode(encode(doc, None))
    assert back.blocks[0].location == Location(4, 1) and type(back.blocks[0].location.line) is int


@pytest.mark.parametrize(
    "path",
    [SEEDS_RAW / "004_5c1b81d72b238a6b.txt", CORPUS / "杭州_2026年杭州市气象局部门预算.pdf"],
    ids=["seed", "corpus-pdf"],
)
def test_the_cache_gives_back_the_read_document_and_its_extraction_equal(path: Path) -> None:
    """A real document's blocks, facts, indicators and read cells come back from the cache as they were."""
    from budgetbook.cache import decode, encode

    doc, extraction, _ = pipeline.read_one(pipeline.Source(need_shared(path), path.name, path.stem))
    assert doc.tables and extraction.facts and extraction.cells
    assert decode(encode(doc, extraction)) == (doc, extraction)


def test_an_ocr_confidence_is_cached() -> None:
    """A scan's paragraph and cell confidences come back from the cache."""
    from budgetbook.cache import decode, encode
    from budgetbook.document import Document, Location, Paragraph, Table

    paragraph = Paragraph("收入总计100万元", Location(4, 1), ("一、收支",), confidence=0.9712)
    table = Table([["项目", "金额"], ["收入总计", "100"]], Location(6, 1), confidences=[[0.99, 0.98], [0.97, None]])
    back, _ = decode(encode(Document("d", "d.pdf", "pdf", "0" * 64, 1, [paragraph, table]), None))
    assert back.blocks[0].confidence == 0.9712 and back.blocks[1].confidences == [[0.99, 0.98], [0.97, None]]
