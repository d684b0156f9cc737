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
from budgetbook.storage import count_rows, read_frame, write_frames

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="budgetbook", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="read every document under RAW_DIR into tidy frames")
    ex.add_argument("raw", nargs="?", type=Path, help="folder of documents (default: data/raw)")
    ex.add_argument("--out", type=Path, help="folder for the frames (default: data/clean)")
    ex.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="parallel readers")
    ex.add_argument("--quiet", action="store_true", help="no progress bar")
    ex.add_argument("--force", action="store_true", help="read every document again, ignoring the cache")
    ex.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="send the reading to a Dask cluster at ADDRESS (`local`: a LocalCluster of --jobs workers)",
    )
    rn = sub.add_parser("run", help="extract, then a report per department, then the comparison (papermill)")
    rn.add_argument("raw", nargs="?", type=Path, help="folder of documents (default: data/raw)")
    rn.add_argument("--clean", type=Path, help="folder for the frames (default: data/clean)")
    rn.add_argument("--reports", type=Path, help="folder for executed notebooks, HTML and Excel (default: reports)")
    rn.add_argument("--notebooks", type=Path, help="folder of the source notebooks (default: notebooks)")
    rn.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="reports run in parallel")
    rn.add_argument("--quiet", action="store_true", help="no progress bar")
    ck = sub.add_parser("check", help="re-run the audit (checks, completeness) on extracted frames")
    ck.add_argument("clean", nargs="?", type=Path, help="folder of the frames (default: data/clean)")
    ck.add_argument("--money", type=float, help="tolerance in 万元 (default from data/checks.toml)")
    ck.add_argument("--percent", type=float, help="tolerance in percentage points")
    return parser


def cmd_extract(args: argparse.Namespace) -> int:
    raw = args.raw or paths.raw_dir()
    out = args.out or paths.clean_dir()
    if not raw.is_dir():
        print(f"budgetbook: no such folder: {raw}", file=sys.stderr)
        return EXIT_USAGE
    result = extract(
        raw, out, jobs=max(1, args.jobs), progress=not args.quiet, force=args.force, scheduler=args.scheduler
    )
    frames = result.frames
    pages = int(frames["documents"]["pages"].fillna(0).sum())
    print(
        f"read {len(result.documents)} documents ({pages} PDF pages, {count_rows(out, 'tables')} tables, "
        f"{count_rows(out, 'table_cells')} cells) into {out}; {len(result.read)} read now, "
        f"{result.from_cache} from the cache"
        + (f"; {result.duplicates} duplicate files read once" if result.duplicates else "")
    )
    print(summary(frames["checks"], frames["completeness"]))
    for p in result.problems:
        if p.stage != "duplicate":  # listed in the duplicates frame, counted on the line above
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
    write_frames(frames, clean)
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


def cmd_run(args: argparse.Namespace) -> int:
    from budgetbook.workbook import run

    raw = args.raw or paths.raw_dir()
    if not raw.is_dir():
        print(f"budgetbook: no such folder: {raw}", file=sys.stderr)
        return EXIT_USAGE
    reports = args.reports or paths.reports_dir()
    outcome = run(
        raw,
        args.clean or paths.clean_dir(),
        reports,
        args.notebooks or paths.notebooks_dir(),
        jobs=max(1, args.jobs),
        progress=not args.quiet,
    )
    kept = f"; {len(outcome.skipped)} department reports unchanged, kept" if outcome.skipped else ""
    print(f"executed {len(outcome.executed)} notebooks into {reports}{kept}")
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
