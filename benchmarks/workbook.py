"""Benchmark: `budgetbook run` on the seeds, per step, beside papermill's floor.

    python benchmarks/workbook.py

Prints the seconds of the whole run (extract, one report per department, comparison), of
each step, and of papermill executing an empty notebook in the same run: the fixed cost of
starting a kernel that no report can go below.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import nbformat

from budgetbook import paths
from budgetbook.workbook import execute, run


def empty_notebook_seconds(folder: Path) -> float:
    source = folder / "empty.ipynb"
    book = nbformat.v4.new_notebook()
    book.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    book.cells = [nbformat.v4.new_code_cell("pass")]
    nbformat.write(book, source)
    start = time.perf_counter()
    execute(source, folder / "out" / "empty.ipynb", {}, folder)
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        floor = empty_notebook_seconds(folder)
        start = time.perf_counter()
        outcome = run(
            paths.raw_dir(), folder / "clean", folder / "reports", paths.notebooks_dir(), jobs=2, progress=False
        )
        total = time.perf_counter() - start
    print(f"empty notebook through papermill (floor): {floor:6.2f} s")
    print(
        f"budgetbook run on the seeds (--jobs 2):    {total:6.2f} s, {len(outcome.executed)} notebooks, "
        f"{len(outcome.failures)} failed"
    )
    for step, seconds in sorted(outcome.seconds.items()):
        print(f"  {step:32} {seconds:6.2f} s  ({seconds / floor:4.1f}x floor)")


if __name__ == "__main__":
    main()
