"""Benchmark: the budgetbook reader against a bare pdfplumber pass over the same PDFs.

    python benchmarks/read_corpus.py [PDF_DIR] [--repeat N]

Prints seconds and pages/second for the reader alone (one process), for the whole `extract`
(reading, extracting the figures, the audit) with --jobs 1 and --jobs 2, and for a bare
pdfplumber `extract_text()` + `extract_tables()` pass (one process) over the same files, in
the same run; the reader's cost relative to the bare pass is the target (at most 1.3x).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pdfplumber

from budgetbook.pipeline import discover, extract
from budgetbook.readers import read_document

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pdf"


def bare_pass(files: list[Path]) -> int:
    """What a script using pdfplumber directly would do: text and tables of every page."""
    pages = 0
    for path in files:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.extract_tables()
                page.close()
                pages += 1
    return pages


def reader_pass(folder: Path) -> int:
    """budgetbook's reader on every file: the document model, without extraction."""
    return sum(read_document(s.path, s.source_file, s.doc_id).pages or 0 for s in discover(folder))


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def best_of(repeat: int, fn) -> tuple[float, object]:
    runs = [timed(fn) for _ in range(repeat)]
    return min(runs, key=lambda r: r[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pdf_dir", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each variant; the fastest counts")
    args = parser.parse_args()
    files = sorted(args.pdf_dir.glob("*.pdf"))
    if not files:
        raise SystemExit(f"no PDFs in {args.pdf_dir}")

    bare_s, pages = best_of(args.repeat, lambda: bare_pass(files))
    rows = [("bare pdfplumber text+tables", bare_s)]
    reader_s, _ = best_of(args.repeat, lambda: reader_pass(args.pdf_dir))
    rows.append(("budgetbook reader", reader_s))
    with tempfile.TemporaryDirectory() as out:
        for jobs in (1, 2):
            seconds, result = best_of(
                args.repeat, lambda jobs=jobs: extract(args.pdf_dir, Path(out), jobs=jobs, progress=False)
            )
            assert not result.failed, result.failed
            rows.append((f"budgetbook extract --jobs {jobs}", seconds))

    print(f"{len(files)} PDFs, {pages} pages, {args.pdf_dir}")
    print(f"{'variant':34} {'seconds':>8} {'pages/s':>8} {'vs bare':>8}")
    for name, seconds in rows:
        print(f"{name:34} {seconds:8.2f} {pages / seconds:8.1f} {seconds / bare_s:7.2f}x")


if __name__ == "__main__":
    main()
