"""Property-based: whatever a file holds — random text, random tables, random bytes — reading it never
lets an exception escape, and every file gives either a read document with its frames or exactly one
problem row (an error naming the file)."""

from __future__ import annotations

import codecs
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgetbook.document import Document, Location, Paragraph, Table
from budgetbook.extract.run import extract_document
from budgetbook.frames import build_frames
from budgetbook.pipeline import Source, read_one

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WORDS = [
    "合计", "收入总计", "支出总计", "基本支出", "项目支出", "人员经费", "公用经费", "一般公共预算拨款", "财政拨款",
    "“三公”经费", "公务接待费", "因公出国（境）费", "万元", "元", "%", "比上年", "增加", "减少", "其中：", "一、",
    "（一）", "1.", "本年", "预算数", "决算数", "占", "2023年", "2024年", "部门预算", "办公室",
]  # fmt: skip
NUMBER = st.one_of(
    st.integers(-(10**9), 10**9).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(lambda x: f"{x:,.2f}" if x == x and abs(x) < 1e15 else str(x)),
    st.sampled_from(["-", "—", "", "（12.5）", "3.8%", "1,200,000", "1，200，000", "37 337 407.64", "0"]),
)
TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
        st.sampled_from("一二三四五六七八九十万元亿预算支出收入（）：；，。、%0123456789.\t\n|\x07\x1b\x00\u202e"),
    ),
    max_size=600,
)
CELL = st.one_of(NUMBER, st.sampled_from(WORDS), st.text(max_size=12))
ROWS = st.lists(st.lists(CELL, max_size=9), max_size=14)


def outcome(data: bytes, name: str) -> tuple:
    """read_one on a file holding `data`, checked against the property; returns its result."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        doc, extraction, problems = read_one(Source(path, name, path.stem))
    errors = [p for p in problems if p.severity == "error"]
    if doc is None:
        assert len(problems) == 1 and errors and problems[0].message.startswith(f"{name}: "), problems
        frames = build_frames([], {}, problems)
        assert len(frames["problems"]) == 1
    else:
        assert errors == [], errors  # a read document is extracted too: an extractor's error is a bug
        frames = build_frames([doc], {doc.doc_id: extraction}, problems)
        assert list(frames["documents"].source_file) == [name]
    return doc, extraction, problems


@SETTINGS
@given(text=TEXT, encoding=st.sampled_from(["utf-8", "gb18030", "utf-16", "big5"]))
def test_random_text_gives_a_document_or_one_problem(text: str, encoding: str) -> None:
    outcome(text.encode(encoding, errors="ignore"), "random.txt")


@SETTINGS
@given(rows=ROWS, layout=st.sampled_from(["pipe", "tabs"]), title=st.sampled_from(["", "某某局2024年部门预算"]))
def test_random_tables_in_a_text_export(rows: list[list[str]], layout: str, title: str) -> None:
    def clean(cell: str) -> str:
        return " ".join(cell.replace("|", " ").split())

    if layout == "pipe":
        body = "\n".join("| " + " | ".join(clean(c) for c in row) + " |" for row in rows)
    else:
        body = "\n\n".join("\n".join("\t" + clean(c) for c in row) for row in rows)
    outcome(f"{title}\n单位：万元\n{body}\n".encode(), "table.txt")


@SETTINGS
@given(rows=ROWS, caption=st.lists(st.sampled_from(WORDS), max_size=3), year=st.sampled_from([None, 2023, 2024]))
def test_random_table_shapes_through_the_extraction(rows: list[list[str]], caption: list[str], year) -> None:
    """The extraction itself (no reader in between): tables of any shape, ragged rows included."""
    doc = Document("d", "d.txt", "text", "0")
    heading = f"某某局{year}年部门预算" if year else "某某局部门预算"
    doc.blocks = [
        Paragraph(heading, Location(1)),
        Table(
            rows,
            Location(2),
            title="".join(caption),
            caption=caption,
            row_locations=[Location(3 + i) for i in range(len(rows))],
        ),
        Paragraph("合计" + "".join(r[0] for r in rows if r), Location(99)),
    ]
    extraction = extract_document(doc)
    frames = build_frames([doc], {"d": extraction}, [])
    assert set(frames) >= {"documents", "facts", "checks", "table_cells"}
    assert isinstance(frames["facts"], pd.DataFrame)


PREFIXES = [
    b"",
    b"%PDF-1.7\n",
    b"PK\x03\x04",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    codecs.BOM_UTF8,
    codecs.BOM_UTF16_LE,
]


@SETTINGS
@given(
    prefix=st.sampled_from(PREFIXES),
    data=st.binary(max_size=3000),
    suffix=st.sampled_from([".pdf", ".docx", ".txt", ".doc", ""]),
)
def test_random_bytes_give_a_document_or_one_problem(prefix: bytes, data: bytes, suffix: str) -> None:
    outcome(prefix + data, f"random{suffix}")
