"""OCR: pages of corpus PDFs turned into an image-only PDF (a scan) give the text layer's facts.

OCR costs seconds per page on a shared machine, so the tests read a few pages at 144 dpi.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from budgetbook.audit import LOW_CONFIDENCE, Finding, grade
from budgetbook.document import Document, Table
from budgetbook.extract.run import extract_document
from budgetbook.readers import ReadError, read_document
from budgetbook.readers import ocr as ocr_reader
from budgetbook.readers.ocr import SCALE, Box, Grid, find_grids, fix_digits, grid_rows, without_seals

from .conftest import CORPUS, SHARED, need_shared

# (file, pages): numbered prose and standard tables of two cities' templates
PAGES = [("长沙_2026年长沙市教育局部门预算.pdf", [8, 12]), ("杭州_2026年杭州市气象局部门预算.pdf", [5, 15])]
SCAN = "长沙/市场监督管理局_2026年部门预算.pdf"  # a scanned project evaluation (no text layer)
NOTICE = "长沙/文化广电旅游体育局_2026年部门预算.pdf"  # a scanned notice of funds, its table under a red seal
MIN_SHARE = 0.9


def need_ocr() -> None:
    if not ocr_reader.available():
        pytest.fail("the OCR extra is not installed: pip install -e '.[ocr]' (make install does)")


def subset_pdf(path: Path, pages: list[int]) -> bytes:
    """The given (1-based) pages of a PDF, as a PDF of their own."""
    from pypdf import PdfReader, PdfWriter

    reader, writer = PdfReader(path), PdfWriter()
    for number in pages:
        writer.add_page(reader.pages[number - 1])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_only_pdf(data: bytes, scale: float = SCALE) -> bytes:
    """The pages of a PDF rendered to images and wrapped as a PDF with no text layer: a scan."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    images = [pdf[i].render(scale=scale).to_pil().convert("RGB") for i in range(len(pdf))]
    pdf.close()
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=72 * scale)
    return out.getvalue()


def fact_keys(doc: Document) -> list[tuple]:
    return [(f.measure, f.item, f.year, f.basis, round(f.value, 4), f.unit) for f in extract_document(doc).facts]


def read_bytes(data: bytes, folder: Path, name: str) -> Document:
    path = folder / name
    path.write_bytes(data)
    return read_document(path, name, path.stem)


def share_found(expected: list[tuple], found: list[tuple]) -> float:
    """Share of the expected facts found with the same value (each found fact used once)."""
    pool = list(found)
    hits = 0
    for key in expected:
        if key in pool:
            pool.remove(key)
            hits += 1
    return hits / max(1, len(expected))


@pytest.fixture(scope="module")
def pairs(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Document, Document]]:
    """(text layer, OCR of its image) for the chosen pages of each corpus PDF."""
    need_ocr()
    folder = tmp_path_factory.mktemp("ocr")
    out = []
    for name, pages in PAGES:
        original = subset_pdf(need_shared(CORPUS / name), pages)
        out.append(
            (read_bytes(original, folder, f"text-{name}"), read_bytes(image_only_pdf(original), folder, f"scan-{name}"))
        )
    return out


def test_image_only_pdf_gives_the_text_layers_facts(pairs: list[tuple[Document, Document]]) -> None:
    expected, found, tables, prose = [], [], 0, 0
    for text, scan in pairs:
        assert scan.format == "pdf" and any("OCR" in w for w in scan.warnings)
        expected += fact_keys(text)
        found += fact_keys(scan)
        facts = extract_document(scan).facts
        assert facts and all(f.source == "ocr" and f.confidence is not None for f in facts)
        tables += sum(" t" in f.location for f in facts)
        prose += sum(" t" not in f.location for f in facts)
    assert len(expected) >= 40 and tables >= 15 and prose >= 15
    share = share_found(expected, found)
    print(f"OCR facts: {share:.1%} of {len(expected)} text-layer facts found with the same value")
    assert share >= MIN_SHARE


def test_ocr_tables_keep_their_grid_title_and_unit(pairs: list[tuple[Document, Document]]) -> None:
    for text, scan in pairs:
        for t in text.tables:
            match = [s for s in scan.tables if s.title == t.title]
            assert match, f"table {t.title!r} not found by OCR"
            assert match[0].unit == t.unit and match[0].n_cols == t.n_cols
            assert match[0].confidences is not None and len(match[0].confidences) == len(match[0].rows)


def test_a_scanned_evaluation_is_read(tmp_path: Path) -> None:
    """The first page of a real scan: what the project was given and spent, as its page image shows."""
    need_ocr()
    scan = read_bytes(subset_pdf(need_shared(SHARED / "corpus" / "wide" / SCAN), [1]), tmp_path, "scan.pdf")
    text = "".join(p.text for p in scan.paragraphs)
    assert "2022年度长沙市市场监督管理局" in text and "绩效评价结果" in text
    for printed in ("12,954.16", "3,683.76", "9,270.40", "13,205.30", "4,209.23", "8,996.07", "12,667.08"):
        assert printed.replace(",", "") in text.replace(",", "")
    assert all(p.confidence is not None for p in scan.paragraphs)
    extraction = extract_document(scan)
    identity = extraction.identity
    assert (identity.department, identity.fiscal_year, identity.doc_kind) == (
        "长沙市市场监督管理局",
        2022,
        "self_evaluation",
    )
    got = {(f.measure, f.item, f.basis, round(f.value, 2)) for f in extraction.facts if f.source == "ocr"}
    assert {
        ("expenditure.project", "", "budget", 12954.16),
        ("project", "部门预算项目", "budget", 3683.76),
        ("project", "公共项目", "budget", 9270.4),
        ("expenditure.project", "", "adjusted", 13205.3),
        ("project", "部门预算项目", "adjusted", 4209.23),
        ("project", "公共项目", "adjusted", 8996.07),
    } <= got


def test_a_red_seal_over_a_table_does_not_wipe_what_it_covers(tmp_path: Path) -> None:
    """The notice's table of funds is stamped with the bureau's seal over its first rows: with red
    ink turned white before recognition, the project names under the seal are read whole."""
    need_ocr()
    scan = read_bytes(subset_pdf(need_shared(SHARED / "corpus" / "wide" / NOTICE), [2]), tmp_path, "notice.pdf")
    (table,) = scan.tables
    assert table.title == "2025年文化和旅游项目资金安排表" and table.unit == "万元"
    facts = {f.item: f.value for f in extract_document(scan).facts if f.measure == "project"}
    assert facts["长沙文旅2025年户外3D大屏宣传项目（市文旅广电局）"] == 10.2714  # under the seal
    assert facts["长沙文旅2025年户外3D大屏宣传项目招标代理费（市文旅广电局）"] == 0.3116  # wiped before
    assert facts["长沙文旅境外媒体宣传项目专家评审费（市文旅广电局）"] == 0.09 and len(facts) == 9


def test_red_ink_is_turned_white_and_black_ink_kept() -> None:
    image = np.full((20, 30, 3), 255, np.uint8)
    image[5:10, 5:10] = (40, 30, 220)  # BGR: seal red
    image[12:15, 5:10] = (20, 20, 20)  # black print
    image[5:10, 15:20] = (130, 130, 130)  # grey print (a scan's faint text)
    out = without_seals(image)
    assert (
        (out[5:10, 5:10] == 255).all()
        and (out[12:15, 5:10] == 20).all()
        and (out[5:10, 15:20] == image[5:10, 15:20]).all()
    )
    assert without_seals(image[:, :, 0]) is not None


def test_without_the_ocr_extra_a_scan_says_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    monkeypatch.setattr(ocr_reader, "available", lambda: False)
    path = tmp_path / "scan.pdf"
    Image.new("RGB", (120, 160), "white").save(path)
    with pytest.raises(ReadError, match=r"need OCR.*pip install -e '\.\[ocr\]'"):
        read_document(path, path.name, "scan")


def _ruled_image() -> np.ndarray:
    """A white page with a 3×3 ruled table whose left and right sides are open."""
    image = np.full((400, 600, 3), 255, np.uint8)
    for y in (100, 150, 200, 250):
        image[y : y + 2, 50:550] = 0
    for x in (200, 380):
        image[100:252, x : x + 2] = 0
    return image


def test_grid_from_ruling_lines_and_cells_from_boxes() -> None:
    (grid,) = find_grids(_ruled_image())
    assert len(grid.ys) == 4 and len(grid.xs) == 4  # the open sides are closed by the frame's edges
    boxes = [
        Box("项目", 60, 120, 110, 140, 0.99),
        Box("金额", 210, 260, 110, 140, 0.98),
        Box("合计", 60, 120, 160, 190, 0.97),
        Box("1,234.56", 400, 500, 160, 190, 0.62),
        Box("基本", 60, 100, 205, 222, 0.99),
        Box("支出", 60, 100, 225, 245, 0.95),
    ]
    rows, confs = grid_rows(grid, boxes)
    assert rows == [["项目", "金额", ""], ["合计", "", "1,234.56"], ["基本支出", "", ""]]
    assert confs[1][2] == 0.62 and confs[2][0] == 0.95
    assert Grid([0, 10], [0, 10]).cell_of(Box("x", 20, 30, 20, 30, 1.0)) is None


def test_a_low_confidence_ocr_figure_is_never_the_only_evidence_of_an_error() -> None:
    facts = pd.DataFrame(
        {"doc_id": ["d", "d"], "location": ["p1 l3 t1 r2 c1", "p1 l3 t1 r3 c1"], "confidence": [0.99, 0.5]}
    )
    error = Finding(
        "d", "sum:x", "error", False, 10.0, 12.0, "合计不等于各项之和", "", "d p1 l3 t1 r3 c1 ‖ d p1 l3 t1 r2 c1"
    )
    solid = Finding("d", "sum:y", "error", False, 10.0, 12.0, "合计不等于各项之和", "", "d p1 l3 t1 r2 c1")
    guarded, kept = grade([error, solid], facts)
    assert guarded.severity == "warning" and "OCR" in guarded.message and kept.severity == "error"
    assert (guarded.grade, kept.grade) == ("疑似", "确定")
    assert LOW_CONFIDENCE > 0.5


def test_a_table_read_by_ocr_marks_its_facts() -> None:
    from budgetbook.document import Location
    from budgetbook.extract.facts import Fact
    from budgetbook.extract.run import ocr_marked

    table = Table(rows=[["项目", "金额"], ["合计", "5"]], location=Location(1, 1), confidences=[[1.0, 1.0], [0.9, 0.7]])
    (fact,) = ocr_marked([Fact("expenditure.total", 5.0, "万元", location="p1 l1 t1 r1 c1", source="table")], table)
    assert fact.source == "ocr" and fact.confidence == 0.7


def test_what_the_recogniser_makes_of_printed_numbers() -> None:
    assert fix_digits("自然资源海洋气象等支出5，371.48万元") == "自然资源海洋气象等支出5,371.48万元"
    assert fix_digits("增长0．2%") == "增长0.2%"
    assert fix_digits("一2—").strip() == "—2—"
    assert fix_digits("一、基本支出") == "一、基本支出" and fix_digits("1，2，3") == "1，2，3"


def test_a_header_cell_merged_across_columns_is_one_cell() -> None:
    image = _ruled_image()
    image[100:150, 380:382] = 255  # the header row has no ruling between columns 2 and 3
    (grid,) = find_grids(image)
    assert (0, 2) in grid.open_walls and (1, 2) not in grid.open_walls
    boxes = [
        Box("本年预算", 300, 460, 110, 140, 0.99),
        Box("1", 300, 320, 160, 190, 0.99),
        Box("2", 400, 420, 160, 190, 0.99),
    ]
    rows, _ = grid_rows(grid, boxes)
    assert rows == [["", "本年预算", ""], ["", "1", "2"]]
    # a box the recogniser ran across a ruling is cut there, by its characters
    joined = Box(
        "656.73一、基本支出",
        210,
        500,
        160,
        190,
        0.98,
        [(210 + 10 * i, 218 + 10 * i) for i in range(6)] + [(390 + 15 * i, 402 + 15 * i) for i in range(6)],
    )
    assert [b.text for b in grid.split(joined)] == ["656.73", "一、基本支出"]
