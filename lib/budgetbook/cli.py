"""Command line: `budgetbook extract [RAW_DIR] [--out CLEAN_DIR] [--jobs N]`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from budgetbook import paths
from budgetbook.pipeline import extract

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="budgetbook", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="read every document under RAW_DIR into tidy frames")
    ex.add_argument("raw", nargs="?", type=Path, help="folder of documents (default: data/raw)")
    ex.add_argument("--out", type=Path, help="folder for the frames (default: data/clean)")
    ex.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="parallel readers")
    ex.add_argument("--quiet", action="store_true", help="no progress bar")
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
    for p in result.problems:
        print(f"{p.severity}: {p.message}", file=sys.stderr)
    if result.failed:
        print(
            f"{len(result.failed)} of {len(result.failed) + len(result.documents)} files could not be read",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "extract":
        return cmd_extract(args)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
