"""Command line: `budgetbook extract [RAW_DIR] [--out CLEAN_DIR] [--jobs N]`, `budgetbook check [CLEAN_DIR]`."""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path

from budgetbook import paths
from budgetbook.audit import Tolerance
from budgetbook.frames import audit_frames
from budgetbook.outputs import OutputBusy, OutputError, check_writable, locked
from budgetbook.pipeline import extract
from budgetbook.storage import count_rows, read_frame, write_frames

# 1: some documents could not be read (or notebooks failed); 2: a wrong option or a missing input;
# 3: an output folder that cannot be written (or damaged frames); 4: another run holds the output folders.
EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_OUTPUT, EXIT_BUSY, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        """A wrong option is one line on stderr and status 2, before any work starts."""
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _tolerance(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"must be a finite number ≥ 0, not {text!r}")
    return value


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="budgetbook", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    ex = sub.add_parser("extract", help="read every document under RAW_DIR into tidy frames")
    ex.add_argument("raw", nargs="?", type=Path, help="folder of documents (default: data/raw)")
    ex.add_argument("--out", type=Path, help="folder for the frames (default: data/clean)")
    ex.add_argument("--jobs", type=_jobs, default=min(2, os.cpu_count() or 1), help="parallel readers")
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
    rn.add_argument("--notebooks", type=Path, help="folder of the source notebooks (default: the project's)")
    rn.add_argument("--jobs", type=_jobs, default=min(2, os.cpu_count() or 1), help="reports run in parallel (≥1)")
    rn.add_argument("--quiet", action="store_true", help="no progress bar")
    ck = sub.add_parser("check", help="re-run the audit (checks, completeness) on extracted frames")
    ck.add_argument("clean", nargs="?", type=Path, help="folder of the frames (default: data/clean)")
    ck.add_argument("--money", type=_tolerance, help="tolerance in 万元 (default from data/checks.toml)")
    ck.add_argument("--percent", type=_tolerance, help="tolerance in percentage points")
    ck.add_argument("--out", type=Path, help="folder for the new checks and completeness (default: CLEAN_DIR/recheck)")
    ck.add_argument("--replace", action="store_true", help="replace the checks the reports were made from")
    return parser


def _fail(message: str, status: int) -> int:
    print(f"budgetbook: {message}", file=sys.stderr)
    return status


def cmd_extract(args: argparse.Namespace) -> int:
    raw = _input(args.raw)
    out = args.out or paths.clean_dir()
    if not raw.is_dir():
        return _fail(f"no such folder: {raw}", EXIT_USAGE)
    check_writable(out, "--out")
    with locked(out):
        result = extract(raw, out, jobs=args.jobs, progress=not args.quiet, force=args.force, scheduler=args.scheduler)
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


FRAME_NAMES = ["documents", "facts", "indicators", "tables", "paragraphs", "table_cells"]


def cmd_check(args: argparse.Namespace) -> int:
    clean = args.clean or paths.clean_dir()
    if not all((clean / f"{n}.parquet").exists() for n in FRAME_NAMES):
        return _fail(f"no extracted frames in {clean}; run `budgetbook extract` first", EXIT_USAGE)
    default = Tolerance.default()
    tolerance = Tolerance(
        args.money if args.money is not None else default.money,
        args.percent if args.percent is not None else default.percent,
    )
    out = clean if args.replace else check_writable(args.out or clean / "recheck", "--out")
    check_writable(clean, "folder")
    with locked(clean):
        loaded = {}
        for name in FRAME_NAMES:
            try:
                loaded[name] = read_frame(clean, name)
            except Exception as exc:  # a damaged or foreign file: say which, do not overwrite anything
                reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise OutputError(f"{clean / (name + '.parquet')} cannot be read ({reason}); extract again") from exc
        frames = audit_frames(loaded, tolerance, cross=None)
        if args.replace:
            write_frames(frames, clean)
            print(f"replaced the frames in {clean} (reports made from the old checks are now out of date)")
        else:
            write_frames({k: frames[k] for k in ("checks", "completeness", "audit_ledger")}, out)
            print(f"wrote checks and completeness to {out}; the frames in {clean} are unchanged (--replace: replace)")
    print(summary(frames["checks"], frames["completeness"]))
    return EXIT_OK


def summary(checks, completeness) -> str:
    """One line on the audit: findings by grade (only 确定 is the document's error) and the mean completeness."""
    failed = checks.loc[~checks.passed.fillna(False)]
    grades = failed["grade"] if "grade" in failed else failed.severity.map({"error": "确定", "warning": "疑似"})
    counts = grades.fillna("未能核对").value_counts().to_dict()
    passed = int(checks.passed.fillna(False).sum())
    scores = completeness.drop_duplicates("doc_id").score.dropna()
    mean = f"{scores.mean():.1f}%" if len(scores) else "无"
    return (
        f"校验：确定{counts.get('确定', 0)}处，疑似{counts.get('疑似', 0)}处（待复核），"
        f"未能核对{counts.get('未能核对', 0)}处，相符{passed}处；公开完整性平均{mean}"
    )


def _input(folder: Path | None) -> Path:
    """The folder to read, saying so when an empty data/raw falls back to the seed documents."""
    raw = paths.input_dir(folder)
    if raw != (folder or paths.raw_dir()):
        print(f"budgetbook: {paths.raw_dir()} holds no documents; reading the seed documents in {raw}", file=sys.stderr)
    return raw


def cmd_run(args: argparse.Namespace) -> int:
    from budgetbook.workbook import NothingToReport, find_notebooks, run

    raw = _input(args.raw)
    if not raw.is_dir():
        return _fail(f"no such folder: {raw}", EXIT_USAGE)
    try:
        notebooks = find_notebooks(args.notebooks)
    except FileNotFoundError as exc:
        return _fail(str(exc), EXIT_USAGE)
    clean = check_writable(args.clean or paths.clean_dir(), "--clean")
    reports = check_writable(args.reports or paths.reports_dir(), "--reports")
    try:
        with locked(clean, reports):
            outcome = run(raw, clean, reports, notebooks, jobs=args.jobs, progress=not args.quiet)
    except NothingToReport as exc:
        hint = "" if args.raw else f"; put your documents in {paths.raw_dir()} or name a folder"
        print(
            f"budgetbook: {exc}; nothing to report (see {reports / '01-extract-documents.html'}){hint}",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    kept = f"; {len(outcome.skipped)} department reports unchanged, kept" if outcome.skipped else ""
    print(f"executed {len(outcome.executed)} notebooks into {reports}{kept}")
    for failure in outcome.failures:
        print(f"failed: {failure.step}: {failure.error}\n  see {failure.notebook}", file=sys.stderr)
    unreadable = _unreadable(clean)
    if unreadable:
        print(unreadable, file=sys.stderr)
    return EXIT_PROBLEMS if outcome.failures or unreadable else EXIT_OK


def _unreadable(clean: Path) -> str:
    """'N of M files could not be read' from the frames the run wrote, or ''."""
    try:
        problems, documents = read_frame(clean, "problems"), read_frame(clean, "documents")
    except Exception:  # no frames: the extract step failed, and says so itself
        return ""
    failed = problems.loc[problems.severity == "error", "source_file"].drop_duplicates()
    failed = failed.loc[~failed.isin(documents.source_file)]
    if failed.empty:
        return ""
    listing = "\n".join(f"  {name}" for name in failed)
    return f"{len(failed)} of {len(failed) + len(documents)} files could not be read (see problems.csv):\n{listing}"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    commands = {"extract": cmd_extract, "run": cmd_run, "check": cmd_check}
    try:
        return commands[args.command](args)
    except OutputBusy as exc:
        return _fail(str(exc), EXIT_BUSY)
    except OutputError as exc:
        return _fail(str(exc), EXIT_OUTPUT)
    except OSError as exc:  # a disk that fills up or turns read-only while writing
        name = exc.filename or ""
        return _fail(f"cannot write {name}: {exc.strerror or exc}", EXIT_OUTPUT)
    except KeyboardInterrupt:
        return _fail("interrupted; the frames and reports already complete were kept", EXIT_INTERRUPTED)


if __name__ == "__main__":
    sys.exit(main())
