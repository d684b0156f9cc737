"""Metamorphic: the same document in another dress gives the same figures and the same identity.

From the five seeds and six corpus PDFs (their own extracted paragraphs and tables), each dress
below is written to a file, read back through `read_document` and extracted. For every variant
at least 95% of the original's facts must come back with the same values, and the identity
(unit, place, year, kind) must be the original's. Dresses: a saved web page with the site's
chrome and `<table>`s (saved as .htm, .doc or .pdf); the four flattened-table shapes; lines
hard-wrapped at 25 characters; traditional script (OpenCC), also with a converter's pinyin
glosses; the title page cut off. Per-dress recall is printed (run with -s to see it).
"""

from __future__ import annotations

import html
import itertools
import random
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path

import opencc
import pytest

from budgetbook.document import Document, Paragraph, Table
from budgetbook.extract.run import Extraction, extract_document
from budgetbook.outline import heading_rank
from budgetbook.readers import read_document
from budgetbook.readers.flat import is_figure
from budgetbook.text import normalize

MIN_RECALL = 0.95
N_CORPUS = 6
WRAP = 25
IDENTITY = ("department", "region", "province", "level", "fiscal_year", "doc_kind")
# A converter's pinyin glosses (the artefact some traditional copies carry), as data of the test.
PINYIN = {"經": "jīng", "費": "fèi", "萬": "wàn", "預": "yù", "決": "jué", "撥": "bō", "務": "wù", "車": "chē"}


# --- the originals -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def originals(seeds_run, corpus_run) -> list[tuple[Document, Extraction]]:
    """The seeds and every fourth corpus PDF (six, from several cities), extracted once."""
    pairs = []
    for run in (seeds_run[0], corpus_run[0]):
        docs = [d for d in run.documents if d.doc_id in run.extractions]
        picked = docs if run is seeds_run[0] else docs[:: max(1, len(docs) // N_CORPUS)][:N_CORPUS]
        pairs += [(d, run.extractions[d.doc_id]) for d in picked]
    assert len(pairs) >= 5 + N_CORPUS
    return pairs


# --- dresses: a Document to the bytes of a file, and the file's suffix ---------------------


def _cells(table: Table) -> list[list[str]]:
    return [[re.sub(r"\s*\n\s*", "", c) for c in row] for row in table.rows]


def _caption_lines(table: Table) -> list[str]:
    return [c for c in table.caption if c.strip()] or ([table.title] if table.title else [])


def _text_lines(doc: Document, table_lines: Callable[[Table], list[str]], para: Callable[[str], list[str]]) -> str:
    lines: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            lines += para(block.raw)
        else:
            lines += _caption_lines(block) + table_lines(block) + [""]
    return "\n".join(lines) + "\n"


def pipe_rows(table: Table) -> list[str]:
    return ["| " + " | ".join(row) + " |" for row in _cells(table)]


def rows_without_leading_bar(table: Table) -> list[str]:
    """`合 计 | X | X |`: no leading bar, short labels letter-spaced as copied from a PDF."""
    out = []
    for row in _cells(table):
        first = (
            " ".join(row[0]) if 0 < len(row[0]) <= 3 and all("\u4e00" <= ch <= "\u9fff" for ch in row[0]) else row[0]
        )
        out.append(" | ".join([first, *row[1:]]) + " |")
    return out


def one_cell_per_line(table: Table) -> list[str]:
    """Every cell on a line of its own (an empty cell an empty line), stray `|` lines between rows."""
    rnd = random.Random(len(table.rows))
    out = []
    for row in _cells(table):
        out += row + [""] * (table.n_cols - len(row))
        if rnd.random() < 0.3:
            out.append("|")
    return out


def one_line(table: Table) -> list[str]:
    """The whole table on one line: its header, then its row labels, then the values row by row.

    Letter-spacing is dropped and a title row inside the table left out, as copies do. Only a table
    such a line can hold (one header row, every row labelled by text, figures or blanks for values,
    no more columns than rows) takes this shape; others stay `| a | b |` rows.
    """
    rows = [[c.replace(" ", "") for c in r] + [""] * (table.n_cols - len(r)) for r in _cells(table)]
    rows = [r for r in rows if sum(bool(c) for c in r) > 1]  # a title printed inside the table
    if _first_data_row(rows) != 1 or len(rows) < 2:
        return pipe_rows(table)
    labels = rows[0] + [r[0] for r in rows[1:]]
    values = [c for r in rows[1:] for c in r[1:]]
    if (
        any(not c or is_figure(c) or "|" in c or re.search(r"[。；，,]", c) for c in labels)
        or not all(not c or is_figure(c) for c in values)
        or len(rows) - 1 < len(rows[0]) - 1
        or len(values) < 2
    ):
        return pipe_rows(table)
    return [" ".join(labels + [c or "-" for c in values])]


def aligned(table: Table) -> list[str]:
    """Columns aligned by spaces (display width: a CJK character is two columns)."""
    rows = _cells(table)
    width = [max(_width(r[j]) for r in rows if j < len(r)) for j in range(max(map(len, rows)))]
    return ["".join(c + " " * (width[j] - _width(c) + 3) for j, c in enumerate(r)).rstrip() for r in rows]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _first_data_row(rows: list[list[str]]) -> int:
    for i, row in enumerate(rows):
        if any(re.fullmatch(r"-?[\d,]+(?:\.\d+)?%?", c.strip()) for c in row[1:]):
            return i
    return len(rows)


def wrapped(text: str) -> list[str]:
    return [text[i : i + WRAP] for i in range(0, len(text), WRAP)] or [""]


@cache
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def traditional(text: str) -> str:
    return _s2t().convert(text)


def with_pinyin(text: str) -> str:
    return "".join(f"{ch}({PINYIN[ch]})" if ch in PINYIN else ch for ch in traditional(text))


def cut_title_page(doc: Document) -> Document:
    """The document from its first outline heading on: no cover, no title."""
    start = next(
        (
            i
            for i, b in enumerate(doc.blocks)
            if isinstance(b, Paragraph) and heading_rank(normalize(b.raw)) is not None
        ),
        0,
    )
    return Document(doc.doc_id, doc.source_file, doc.format, doc.sha256, doc.pages, doc.blocks[start:])


def web_page(doc: Document, identity_kind: str) -> str:
    """A saved government page: breadcrumbs, a metadata block naming another publisher, the article."""
    trap = "预算" if identity_kind == "final_account" else "决算"
    body = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            body.append(f"<p style='text-indent:2em'>{html.escape(block.raw)}</p>")
        else:
            body += [f"<p align='center'><b>{html.escape(c)}</b></p>" for c in _caption_lines(block)]
            body.append(_html_table(block))
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="description" content="某某市财政局2019年{trap}公开">
<title>某某市人民政府门户网站</title><style>.nav{{color:red}} td{{border:1px}}</style>
<script>var crumbs = "首页 > 决算"; document.write(crumbs);</script></head>
<body><div class="top-nav"><a href="/">首页</a> | <a href="/zwgk">政务公开</a></div>
<div class="breadcrumb">当前位置：<a>首页</a> &gt; <a>政务公开</a> &gt; <a>财政资金</a> &gt; {trap}</div>
<div class="article">
<table class="xxgk"><tr><td>索引号：</td><td>11430100MB1234567X/2019-00321</td>
<td>发布机构：</td><td>某某市财政局</td></tr><tr><td>发布日期：</td><td>2019-03-01</td>
<td>主题分类：</td><td>财政预决算</td></tr></table>
<div class="info">来源：某某市财政局　发布时间：2019-03-01 09:30　浏览次数：1024　【字体：大 中 小】</div>
{"".join(body)}
</div><div class="footer">主办：某某市人民政府办公室　版权所有　备案号：湘ICP备00000000号</div>
<script>stat();</script></body></html>"""


def _html_table(table: Table) -> str:
    """A `<table>`: '' cells of the header rows after a filled one become its colspan."""
    rows = _cells(table)
    header = _first_data_row(rows)
    out = ["<table border='1' cellspacing='0'>"]
    for i, row in enumerate(rows):
        cells, j = [], 0
        while j < len(row):
            span = 1
            while i < header and row[j] and j + span < len(row) and not row[j + span]:
                span += 1
            attr = f" colspan='{span}'" if span > 1 else ""
            cells.append(f"<td{attr}><p>{html.escape(row[j])}</p></td>")
            j += span
        out.append("<tr>" + "".join(cells) + "</tr>")
    return "\n".join(out) + "</table>"


def _dress(name: str, doc: Document, kind: str, index: int) -> tuple[bytes, str]:
    lines_of = {
        "pipe-less rows": rows_without_leading_bar,
        "one cell per line": one_cell_per_line,
        "one line per table": one_line,
        "space-aligned": aligned,
    }
    if name == "web page":
        return web_page(doc, kind).encode(), (".htm", ".doc", ".pdf")[index % 3]
    if name in lines_of:
        return _text_lines(doc, lines_of[name], lambda t: [t]).encode(), ".txt"
    if name == "hard-wrapped":
        return _text_lines(doc, pipe_rows, wrapped).encode(), ".txt"
    if name == "traditional":
        return traditional(_text_lines(doc, pipe_rows, lambda t: [t])).encode(), ".txt"
    if name == "traditional with pinyin":
        return with_pinyin(_text_lines(doc, pipe_rows, lambda t: [t])).encode(), ".txt"
    if name == "title page cut":
        return _text_lines(cut_title_page(doc), pipe_rows, lambda t: [t]).encode(), ".txt"
    raise ValueError(name)


DRESSES = [
    "web page",
    "pipe-less rows",
    "one cell per line",
    "one line per table",
    "space-aligned",
    "hard-wrapped",
    "traditional",
    "traditional with pinyin",
    "title page cut",
]


# --- comparison --------------------------------------------------------------------------


def fact_keys(extraction: Extraction) -> Counter:
    return Counter(
        (f.measure, normalize(f.item), f.year, f.basis, f.scope, f.unit, round(f.value, 4)) for f in extraction.facts
    )


def identity_of(extraction: Extraction) -> tuple:
    return tuple(getattr(extraction.identity, k) for k in IDENTITY)


def recall(original: Extraction, variant: Extraction) -> float:
    want, got = fact_keys(original), fact_keys(variant)
    return sum((want & got).values()) / max(1, sum(want.values()))


@pytest.fixture(scope="session")
def variants(originals, tmp_path_factory) -> dict[str, list[tuple[str, Extraction, Extraction]]]:
    """Every dress of every original, read back from a file and extracted (once per session)."""
    folder = tmp_path_factory.mktemp("dresses")
    out: dict[str, list[tuple[str, Extraction, Extraction]]] = {}
    for name, (index, (doc, extraction)) in itertools.product(DRESSES, enumerate(originals)):
        data, suffix = _dress(name, doc, extraction.identity.doc_kind, index)
        path = folder / f"v{len(out.get(name, []))}_{DRESSES.index(name)}{suffix}"
        path.write_bytes(data)
        read = read_document(path, path.name, path.stem)
        out.setdefault(name, []).append((doc.doc_id, extraction, extract_document(read)))
    for name, rows in out.items():
        rates = [recall(o, v) for _, o, v in rows]
        same = sum(identity_of(o) == identity_of(v) for _, o, v in rows)
        print(
            f"\n{name:>24}: facts {sum(rates) / len(rates):.1%} mean, {min(rates):.1%} min; identity {same}/{len(rows)}"
        )
    return out


@pytest.mark.parametrize("dress", DRESSES)
def test_the_same_figures_in_every_dress(dress: str, variants) -> None:
    low = [(doc_id, f"{recall(o, v):.1%}") for doc_id, o, v in variants[dress] if recall(o, v) < MIN_RECALL]
    assert not low, low


def indicator_keys(extraction: Extraction) -> Counter:
    return Counter(
        tuple(normalize(r[k]) for k in ("project", "level1", "level2", "level3", "target", "actual"))
        for r in extraction.indicators
    )


@pytest.mark.parametrize("dress", DRESSES)
def test_the_same_indicators_in_every_dress(dress: str, variants) -> None:
    """The rows of 绩效目标表 / 自评表 land under indicators in every dress, flattened forms included."""
    low = []
    for doc_id, o, v in variants[dress]:
        want, got = indicator_keys(o), indicator_keys(v)
        if sum((want & got).values()) < MIN_RECALL * sum(want.values()):
            low.append((doc_id, sum(want.values()), sum((want & got).values())))
    assert not low, low


@pytest.mark.parametrize("dress", DRESSES)
def test_the_same_identity_in_every_dress(dress: str, variants) -> None:
    wrong = [
        (doc_id, identity_of(o), identity_of(v)) for doc_id, o, v in variants[dress] if identity_of(o) != identity_of(v)
    ]
    assert not wrong, wrong


def test_an_html_page_saved_under_a_doc_name_is_read(tmp_path: Path) -> None:
    page = "<html><body><nav>首页 &gt; 决算</nav><p>2024年收入预算<b>3055.44</b>万元。</p></body></html>"
    path = tmp_path / "page.doc"
    path.write_bytes(page.encode("gbk").replace(b"<html>", b'<html><meta charset="gbk">'))
    doc = read_document(path, path.name, "page")
    assert doc.format == "html" and [p.text for p in doc.paragraphs] == ["2024年收入预算3055.44万元。"]


@pytest.mark.parametrize("dress", ["traditional", "traditional with pinyin"])
def test_the_evidence_quotes_a_traditional_copy_as_printed(dress: str, originals, variants) -> None:
    """Values come from the simplified text; the evidence of prose facts is the copy's own sentence."""
    for index, ((doc, extraction), (doc_id, _, variant)) in enumerate(zip(originals, variants[dress], strict=True)):
        printed = _dress(dress, doc, extraction.identity.doc_kind, index)[0].decode()
        prose = [f for f in variant.facts if f.source == "prose"]
        quoted = [f for f in prose if f.evidence in printed]
        assert len(quoted) >= MIN_RECALL * len(prose), (doc_id, len(prose), len(quoted))
        assert all(normalize(f.evidence) != f.evidence for f in quoted if "萬" in f.evidence), doc_id
