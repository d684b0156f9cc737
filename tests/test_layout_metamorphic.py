"""Layout-metamorphic tests of the audit (the mirror image of the mutation tests): real documents of the
seeds and the PDF corpus in another *dress* — the same content laid out as other templates lay it out —
must raise no new 确定 or 疑似 finding.

Each transformation changes the layout of the document's standard tables or sentences, never what they
say: another template's title wording, the unit line in 元 with every amount ×10,000, thousands
separators, columns reordered, a table split over two pages, zeros printed as blanks with the template's
statement, a 上年数/增减 block with the right values, sub-columns per fund under each amount, spaced
header words (合 计), full-width digits, traditional script, a sub-item's own change sentence
("其中：X万元，比上年增加0万元，增长0%"), a numbering column added. A 万元 table printed in 元 must add up
as exactly as a 元 table does (its cents' rounding no longer hides), so that dress is judged on every
finding but the table's own arithmetic. The false-finding count is printed
(run with -s) and must stay 0.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Callable
from functools import cache

import opencc
import pytest

from budgetbook.audit import run_checks
from budgetbook.document import Document, Location, Paragraph, Table
from budgetbook.extract.run import extract_document
from budgetbook.extract.tables import table_kind
from budgetbook.extract.vocab import load
from budgetbook.frames import build_frames

N_CORPUS = 6
LOUD = ("确定", "疑似")
_AMOUNT = re.compile(r"^-?\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^-?\d+(?:\.\d+)?$")


def _is_amount(text: str) -> bool:
    t = text.strip()
    return bool(_AMOUNT.match(t)) and not re.fullmatch(r"\d{3,9}", t)  # a 类/款/项 code is not an amount


def _value(text: str) -> float:
    return float(text.replace(",", ""))


def _first_data_row(rows: list[list[str]]) -> int:
    return next((i for i, row in enumerate(rows) if any(_is_amount(c) for c in row)), len(rows))


def _amount_columns(table: Table) -> list[int]:
    start = _first_data_row(table.rows)
    width = table.n_cols
    return [c for c in range(width) if any(c < len(r) and _is_amount(r[c]) for r in table.rows[start:])]


def _standard(table: Table) -> bool:
    kind = table_kind(table.title)
    return kind is not None and kind.name not in ("projects", "self_evaluation", "assets", "allocation")


def _tables(doc: Document) -> list[Table]:
    return [t for t in doc.tables if _standard(t) and _first_data_row(t.rows) < len(t.rows)]


def _map_cells(table: Table, f: Callable[[str], str]) -> None:
    start = _first_data_row(table.rows)
    table.rows = [row if r < start else [f(c) if _is_amount(c) else c for c in row] for r, row in enumerate(table.rows)]


# --- the dresses --------------------------------------------------------------------------


def other_title(doc: Document) -> None:
    """Another template's wording of each standard table's title (收支总表 → 收支预算总表 …)."""
    for t in _tables(doc):
        name = table_kind(t.title).name
        titles = next(k["titles"] for k in load("tables")["kind"] if k["name"] == name)
        for variant in titles:
            for other in titles:
                if other != variant and variant in t.title and other not in t.title and len(other) > len(variant):
                    old = t.title
                    t.title = t.title.replace(variant, other, 1)
                    t.caption = [c.replace(variant, other, 1) for c in t.caption]
                    named = re.compile(rf"(?<![\u4e00-\u9fff]){re.escape(old)}")  # the whole title, not a part
                    for p in doc.paragraphs:  # the 目录 names the table as its title does
                        p.raw = named.sub(t.title, p.raw)
                    break
            else:
                continue
            break


def in_yuan(doc: Document) -> None:
    """The unit line in 元 and every amount ×10,000 (a table in 万元 printed in 元)."""
    for t in _tables(doc):
        if t.unit != "万元":
            continue
        _map_cells(t, lambda c: f"{_value(c) * 10000:,.2f}")
        t.unit = "元"
        t.caption = [re.sub(r"万元", "元", c) for c in t.caption]


def thousands(doc: Document) -> None:
    """Thousands separators added where there were none, and removed where there were."""
    for t in _tables(doc):
        _map_cells(t, lambda c: c.replace(",", "") if "," in c else f"{_value(c):,.{_decimals(c)}f}")


def _decimals(text: str) -> int:
    return len(text.partition(".")[2])


def columns_reordered(doc: Document) -> None:
    """The last two amount columns swapped, header and all."""
    for t in _tables(doc):
        cols = _amount_columns(t)
        if len(cols) < 3:
            continue
        a, b = cols[-2], cols[-1]
        for row in t.rows:
            if b < len(row):
                row[a], row[b] = row[b], row[a]


def split_pages(doc: Document) -> None:
    """Each long standard table split over two pages: the rest continues without its header."""
    blocks = []
    for block in doc.blocks:
        blocks.append(block)
        if not isinstance(block, Table) or block not in _tables(doc) or len(block.rows) < 8:
            continue
        cut = (len(block.rows) + _first_data_row(block.rows)) // 2
        page = (block.location.page or 0) + 1 if block.location.page is not None else None
        rest_locations = [Location(loc.line, page) if page else loc for loc in block.row_locations[cut:]]
        rest = Table(
            block.rows[cut:],
            Location(1, page) if page else block.location,
            "",
            block.unit,
            [],
            rest_locations,
            block.section,
        )
        block.rows, block.row_locations = block.rows[:cut], block.row_locations[:cut]
        blocks.append(rest)
    doc.blocks = blocks


def zeros_blank(doc: Document) -> None:
    """Zero amounts printed as blanks, with the template's statement under the table."""
    blocks = []
    for block in doc.blocks:
        blocks.append(block)
        if isinstance(block, Table) and block in _tables(doc):
            _map_cells(block, lambda c: "" if _value(c) == 0 else c)
            blocks.append(Paragraph("注：本表中空白单元格表示金额为零。", block.location, block.section))
    doc.blocks = blocks


def change_block(doc: Document) -> None:
    """A 上年预算数 and a 增减 column after the last column, with the right values (for a document whose text
    states no change against the year before: its own changes would be contradicted by invented ones)."""
    if any(re.search(r"比上年|较上年|增加|减少|增长|下降", p.raw) for p in doc.paragraphs):
        return
    for t in _tables(doc):
        cols = _amount_columns(t)
        if not cols:
            continue
        c, start = cols[0], _first_data_row(t.rows)
        for r, row in enumerate(t.rows):
            cell = row[c] if c < len(row) else ""
            if r < start:
                extra = ["上年预算数", "增减"] if r == start - 1 else ["", ""]
            elif _is_amount(cell):
                now, d = _value(cell), _decimals(cell)
                before = round(now * 0.9, d)
                extra = [f"{before:.{d}f}", f"{now - before:.{d}f}"]
            else:
                extra = ["", ""]
            t.rows[r] = [*row, *[""] * (t.n_cols - len(row)), *extra]


def fund_columns(doc: Document) -> None:
    """The "三公" table's every amount column split by fund: 小计, 一般公共预算 (all of it), 政府性基金 0.00."""
    for t in _tables(doc):
        if table_kind(t.title).name != "sangong":
            continue
        cols, start = set(_amount_columns(t)), _first_data_row(t.rows)
        new_rows = []
        for r, row in enumerate(t.rows):
            out = []
            for c, cell in enumerate(row):
                if c not in cols:
                    out.append(cell)
                elif r < start - 1:
                    out += [cell, cell, cell]
                elif r == start - 1:
                    out += [cell or "小计", "一般公共预算", "政府性基金"]
                else:
                    out += [cell, cell, "0.00" if _is_amount(cell) else ""]
            new_rows.append(out)
        t.rows = new_rows


def spaced_headers(doc: Document) -> None:
    """Header and total words printed with spaces between their characters (合 计, 支 出 总 计)."""
    for t in _tables(doc):
        t.rows = [
            [re.sub(r"^(合计|总计|小计|项目|科目)$", lambda m: " ".join(m.group(1)), c) for c in row] for row in t.rows
        ]


def full_width(doc: Document) -> None:
    """Every digit and point of the prose in full width."""
    table = str.maketrans("0123456789.%", "０１２３４５６７８９．％")
    for p in doc.paragraphs:
        p.raw = p.raw.translate(table)


@cache
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def traditional(doc: Document) -> None:
    """The whole document in traditional script."""
    for p in doc.paragraphs:
        p.raw = _s2t().convert(p.raw)
    for t in doc.tables:
        t.rows = [[_s2t().convert(c) for c in row] for row in t.rows]
        t.title = _s2t().convert(t.title)
        t.caption = [_s2t().convert(c) for c in t.caption]


def subitem_sentence(doc: Document) -> None:
    """After the sentence stating the "三公" total, a sub-item's own flat change: 其中：X万元，比上年增加0万元，增长0%。"""
    for p in doc.paragraphs:
        if "三公" in p.raw and re.search(r"因公出国（境）费\D{0,6}(\d+(?:\.\d+)?)万元", p.raw):
            value = re.search(r"因公出国（境）费\D{0,6}(\d+(?:\.\d+)?)万元", p.raw).group(1)
            p.raw = f"{p.raw}其中：因公出国（境）费{value}万元，与上年持平，比上年增加0万元，增长0%。"
            return


def numbering_column(doc: Document) -> None:
    """A 序号 column in front of every standard table (1, 2, 3 … on the data rows)."""
    for t in _tables(doc):
        start = _first_data_row(t.rows)
        t.rows = [
            ["序号" if r == start - 1 else "" if r < start else str(r - start + 1), *row]
            for r, row in enumerate(t.rows)
        ]


DRESSES: dict[str, Callable[[Document], None]] = {
    "another template's titles": other_title,
    "unit line in 元, amounts ×10,000": in_yuan,
    "thousands separators": thousands,
    "columns reordered": columns_reordered,
    "table split over two pages": split_pages,
    "zeros as blanks with the statement": zeros_blank,
    "上年数/增减 block": change_block,
    "sub-columns per fund": fund_columns,
    "spaced header words": spaced_headers,
    "full-width digits": full_width,
    "traditional script": traditional,
    "a sub-item's flat change sentence": subitem_sentence,
    "a numbering column": numbering_column,
}


# --- the originals and their findings ---------------------------------------------------------


def loud(doc: Document) -> Counter:
    """The document's 确定 and 疑似 findings, counted by (check, grade)."""
    frames = build_frames([doc], {doc.doc_id: extract_document(doc)}, [])
    found = run_checks(frames)
    return Counter((f.check, f.grade) for f in found if f.grade in LOUD)


@pytest.fixture(scope="module")
def originals(seeds_run, corpus_run) -> list[tuple[Document, Counter]]:
    """The seeds and six corpus PDFs of several cities, with their own findings."""
    docs = [d for d in seeds_run[0].documents if d.doc_id in seeds_run[0].extractions]
    corpus = [d for d in corpus_run[0].documents if d.doc_id in corpus_run[0].extractions]
    docs += corpus[:: max(1, len(corpus) // N_CORPUS)][:N_CORPUS]
    assert len(docs) >= 8
    return [(d, loud(d)) for d in docs]


@pytest.fixture(scope="module")
def false_findings(originals) -> dict[str, list[str]]:
    """Per dress: each new 确定/疑似 finding a dressed document raised that the original did not."""
    out: dict[str, list[str]] = {}
    for name, dress in DRESSES.items():
        new = []
        for doc, before in originals:
            dressed = copy.deepcopy(doc)
            dress(dressed)
            after = loud(dressed)
            if dress is in_yuan:
                after = Counter({k: n for k, n in after.items() if not k[0].startswith("table:")})
            new += [
                f"{doc.doc_id} {check} {grade} ×{n - before[(check, grade)]}"
                for (check, grade), n in after.items()
                if n > before[(check, grade)]
            ]
        out[name] = new
    total = sum(len(v) for v in out.values())
    print(f"\nlayout-metamorphic: {len(DRESSES)} dresses × {len(originals)} documents, false findings: {total}")
    return out


def test_there_are_at_least_twelve_dresses_of_eight_documents(originals) -> None:
    assert len(DRESSES) >= 12 and len(originals) >= 8
    assert load("checks")["grade"]["table_failures"] >= 1


@pytest.mark.parametrize("dress", list(DRESSES))
def test_a_document_in_another_layout_raises_no_new_finding(dress: str, false_findings) -> None:
    assert not false_findings[dress], false_findings[dress]
