"""Command line: `budgetbook extract [RAW_DIR] [--out CLEAN_DIR] [--jobs N]`, `budgetbook check [CLEAN_DIR]`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from budgetbook import paths
from budgetbook.checks import Tolerance
from budgetbook.frames import audit_frames
from budgetbook.pipeline import extract
from budgetbook.storage import read_frame, write_frames

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="budgetbook", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="read every document under RAW_DIR into tidy frames")
    ex.add_argument("raw", nargs="?", type=Path, help="folder of documents (default: data/raw)")
    ex.add_argument("--out", type=Path, help="folder for the frames (default: data/clean)")
    ex.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="parallel readers")
    ex.add_argument("--quiet", action="store_true", help="no progress bar")
    rn = sub.add_parser("run", help="extract, then a report per department, then the comparison (papermill)")
    rn.add_argument("raw", nargs="?", type=Path, help="folder of documents (default: data/raw)")
    rn.add_argument("--clean", type=Path, help="folder for the frames (default: data/clean)")
    rn.add_argument("--reports", type=Path, help="folder for executed notebooks, HTML and Excel (default: reports)")
    rn.add_argument("--notebooks", type=Path, help="folder of the source notebooks (default: the project's)")
    rn.add_argument("--jobs", type=_positive, default=min(2, os.cpu_count() or 1), help="reports run in parallel (≥1)")
    rn.add_argument("--quiet", action="store_true", help="no progress bar")
    ck = sub.add_parser("check", help="re-run the audit (checks, completeness) on extracted frames")
    ck.add_argument("clean", nargs="?", type=Path, help="folder of the frames (default: data/clean)")
    ck.add_argument("--money", type=float, help="tolerance in 万元 (default from data/checks.toml)")
    ck.add_argument("--percent", type=float, help="tolerance in percentage points")
    ck.add_argument("--out", type=Path, help="folder for the new checks and completeness (default: CLEAN_DIR/recheck)")
    ck.add_argument("--replace", action="store_true", help="replace the checks the reports were made from")
    return parser


def cmd_extract(args: argparse.Namespace) -> int:
    raw = args.raw or paths.raw_dir()
    out = args.out or paths.clean_dir()
    if not raw.is_dir():
        print(f"budgetbook: no such folder: {raw}", file=sys.stderr)
        return EXIT_USAGE
    result = extract(raw, out, jobs=max(1, args.jobs), progress=not args.quiet)
    frames = result.frames
    pages = int(frames["documents"]["pages"].fillna(0).sum())
    print(
        f"read {len(result.documents)} documents ({pages} PDF pages, {len(frames['tables'])} tables, "
        f"{len(frames['table_cells'])} cells) into {out}"
    )
    print(summary(frames["checks"], frames["completeness"]))
    for p in result.problems:
        print(f"{p.severity}: {p.message}", file=sys.stderr)
    if result.failed:
        print(
            f"{len(result.failed)} of {len(result.failed) + len(result.documents)} files could not be read",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    clean = args.clean or paths.clean_dir()
    names = ["documents", "facts", "indicators", "tables", "paragraphs", "table_cells"]
    if not all((clean / f"{n}.parquet").exists() for n in names):
        print(f"budgetbook: no extracted frames in {clean}; run `budgetbook extract` first", file=sys.stderr)
        return EXIT_USAGE
    default = Tolerance.default()
    tolerance = Tolerance(
        args.money if args.money is not None else default.money,
        args.percent if args.percent is not None else default.percent,
    )
    frames = audit_frames({n: read_frame(clean, n) for n in names}, tolerance)
    if args.replace:
        write_frames(frames, clean)
        print(f"replaced the frames in {clean} (reports made from the old checks are now out of date)")
    else:
        out = args.out or clean / "recheck"
        write_frames({k: frames[k] for k in ("checks", "completeness")}, out)
        print(f"wrote checks and completeness to {out}; the frames in {clean} are unchanged (--replace replaces them)")
    print(summary(frames["checks"], frames["completeness"]))
    return EXIT_OK


def summary(checks, completeness) -> str:
    """One line on the audit: findings by severity and the mean completeness."""
    counts = checks.loc[~checks.passed.fillna(False)].severity.value_counts().to_dict()
    passed = int(checks.passed.fillna(False).sum())
    scores = completeness.drop_duplicates("doc_id").score.dropna()
    mean = f"{scores.mean():.1f}%" if len(scores) else "n/a"
    return (
        f"audit: {counts.get('error', 0)} errors, {counts.get('warning', 0)} warnings, {passed} checks passed; "
        f"completeness {mean} on average"
    )


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return n


def cmd_run(args: argparse.Namespace) -> int:
    from budgetbook.workbook import NothingToReport, find_notebooks, run

    raw = args.raw or paths.raw_dir()
    if not raw.is_dir():
        print(f"budgetbook: no such folder: {raw}", file=sys.stderr)
        return EXIT_USAGE
    try:
        notebooks = find_notebooks(args.notebooks)
    except FileNotFoundError as exc:
        print(f"budgetbook: {exc}", file=sys.stderr)
        return EXIT_USAGE
    reports = args.reports or paths.reports_dir()
    try:
        outcome = run(raw, args.clean or paths.clean_dir(), reports, notebooks, jobs=args.jobs, progress=not args.quiet)
    except NothingToReport as exc:
        print(f"budgetbook: {exc}; nothing to report (see {reports / '01-extract-documents.html'})", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"executed {len(outcome.executed)} notebooks into {reports}")
    for failure in outcome.failures:
        print(f"failed: {failure.step}: {failure.error}\n  see {failure.notebook}", file=sys.stderr)
    return EXIT_PROBLEMS if outcome.failures else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "extract":
        return cmd_extract(args)
    if args.command == "run":
        return cmd_run(args)
    if args.command == "check":
        return cmd_check(args)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
