from __future__ import annotations

from pathlib import Path

import docx
import pandas as pd
import pytest

from budgetbook.frames import SCHEMAS
from budgetbook.pipeline import discover, extract
from budgetbook.readers import read_document
from budgetbook.storage import atomic_write, write_frame

from .conftest import SEEDS_RAW, need_shared


def test_discover_walks_folders_skips_metadata_and_keeps_ids_unique(tmp_path: Path) -> None:
    for rel in [
        "a/2024.txt",
        "b/2024.txt",
        "c.pdf",
        ".hidden.txt",
        "~$lock.docx",
        "MANIFEST.tsv",
        "README.md",
    ]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    sources = discover(tmp_path)
    assert [s.source_file for s in sources] == ["a/2024.txt", "b/2024.txt", "c.pdf"]
    ids = [s.doc_id for s in sources]
    assert len(set(ids)) == 3 and ids[2] == "c" and all(i.startswith("2024_") for i in ids[:2])


def test_an_interrupted_write_leaves_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "documents.parquet"
    target.write_bytes(b"previous complete version")

    def crash(path: Path) -> None:
        path.write_bytes(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, crash)
    assert target.read_bytes() == b"previous complete version"
    assert [p.name for p in tmp_path.iterdir()] == ["documents.parquet"]


def test_write_frame_writes_parquet_and_csv(tmp_path: Path) -> None:
    frame = pd.DataFrame({"doc_id": ["d"], "text": ["=SUM(A1)"]})
    write_frame(frame, tmp_path, "x")
    assert pd.read_parquet(tmp_path / "x.parquet").equals(frame)
    # the CSV copy is for Excel: text that Excel would run as a formula is kept as text (issue 14)
    assert (tmp_path / "x.csv").read_text(encoding="utf-8-sig").splitlines()[1] == "d,'=SUM(A1)"


def test_frames_follow_the_schema_and_jobs_do_not_change_results(seeds_run, tmp_path: Path) -> None:
    result, out = seeds_run
    for name, schema in SCHEMAS.items():
        frame = pd.read_parquet(out / f"{name}.parquet")
        assert list(frame.columns) == list(schema), name
    two = extract(need_shared(SEEDS_RAW), tmp_path, jobs=2, progress=False)
    one = result.frames["table_cells"]
    pd.testing.assert_frame_equal(two.frames["table_cells"], one)
    assert [d.doc_id for d in two.documents] == [d.doc_id for d in result.documents]


def test_seeds_are_read_with_locations(seeds_run) -> None:
    result, _ = seeds_run
    docs = {d.doc_id: d for d in result.documents}
    assert len(docs) == 5 and not result.problems
    budget = docs["000_807fa59220604bac"]
    para = next(p for p in budget.paragraphs if p.text.startswith("（一）收入预算"))
    assert str(para.location) == "l31"
    assert para.section == ("三、部门收支总体情况", "（一）收入预算")
    assert "3055.44万元" in para.text


def test_docx_reader_keeps_order_merges_and_captions(tmp_path: Path) -> None:
    word = docx.Document()
    word.add_paragraph("一、部门收支总体情况")
    word.add_paragraph("2024年收入预算1537.92万元。")
    word.add_paragraph("收支预算总表")
    word.add_paragraph("单位：万元")
    grid = word.add_table(rows=3, cols=3)
    grid.cell(0, 0).merge(grid.cell(0, 1)).text = "收入"
    grid.cell(0, 2).text = "支出"
    grid.cell(1, 0).merge(grid.cell(2, 0)).text = "项目"
    grid.cell(1, 1).text, grid.cell(1, 2).text = "一般公共预算", "100"
    grid.cell(2, 1).text, grid.cell(2, 2).text = "合计", "100"
    word.add_paragraph("二、其他")
    path = tmp_path / "budget.docx"
    word.save(path)

    doc = read_document(path, "budget.docx", "budget")
    assert doc.format == "docx"
    assert [b.text for b in doc.paragraphs] == [
        "一、部门收支总体情况",
        "2024年收入预算1537.92万元。",
        "二、其他",
    ]
    (table,) = doc.tables
    assert table.rows == [["收入", "支出"], ["项目", "一般公共预算", "100"], ["", "合计", "100"]]
    assert (table.title, table.unit) == ("收支预算总表", "万元")
    assert table.section == ("一、部门收支总体情况",)
