"""Benchmark: OCR seconds per page beside the text-layer reader's, on the same pages.

    python benchmarks/ocr.py [PDF ...] [--start P] [--pages N] [--scale S] [--scans SCAN ...]

Takes N pages (default 4) from page P (default 2, after the cover) of each PDF (default: two corpus PDFs),
reads them once through their text layer and once as an image-only PDF of the same pages
(rendered at --scale × 72 dpi, the reader's own scale by default), and prints seconds per page
for both, the ratio, and the share of the text layer's facts OCR found with the same value.
Scans in the wide corpus have no text layer: give them with --scans to time OCR alone.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.test_ocr import fact_keys, image_only_pdf, share_found, subset_pdf  # noqa: E402

from budgetbook.readers import read_document  # noqa: E402
from budgetbook.readers.ocr import SCALE  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "pdf"
DEFAULT = [CORPUS / "长沙_2026年长沙市教育局部门预算.pdf", CORPUS / "杭州_2026年杭州市气象局部门预算.pdf"]


def timed_read(data: bytes, folder: Path, name: str):
    path = folder / name
    path.write_bytes(data)
    start = time.perf_counter()
    doc = read_document(path, name, path.stem)
    return doc, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path, default=DEFAULT)
    parser.add_argument("--start", type=int, default=2)
    parser.add_argument("--pages", type=int, default=4)
    parser.add_argument("--scale", type=float, default=SCALE)
    parser.add_argument("--scans", nargs="*", type=Path, default=[], help="scanned PDFs: OCR time only")
    args = parser.parse_args()
    total_pages, text_s, ocr_s, expected, found = 0, 0.0, 0.0, [], []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for pdf in args.pdfs:
            pages = list(range(args.start, args.start + args.pages))
            data = subset_pdf(pdf, pages)
            text, t_text = timed_read(data, folder, "text.pdf")
            scan, t_ocr = timed_read(image_only_pdf(data, args.scale), folder, "scan.pdf")
            e, f = fact_keys(text), fact_keys(scan)
            expected += e
            found += f
            total_pages += len(pages)
            text_s += t_text
            ocr_s += t_ocr
            print(
                f"{pdf.name}: {len(pages)} pages  text layer {t_text / len(pages):.3f} s/page  "
                f"OCR {t_ocr / len(pages):.1f} s/page  facts {share_found(e, f):.1%} of {len(e)}"
            )
        for pdf in args.scans:
            scan, t_ocr = timed_read(pdf.read_bytes(), folder, "scan.pdf")
            print(f"{pdf.name} (scan): {scan.pages} pages  OCR {t_ocr / max(1, scan.pages):.1f} s/page")
    if total_pages:
        print(
            f"all: {total_pages} pages at {72 * args.scale:.0f} dpi  text layer {text_s / total_pages:.3f} s/page  "
            f"OCR {ocr_s / total_pages:.1f} s/page  ({ocr_s / max(text_s, 1e-9):.0f}x)  "
            f"facts found by OCR with the same value: {share_found(expected, found):.1%} of {len(expected)}"
        )


if __name__ == "__main__":
    main()
