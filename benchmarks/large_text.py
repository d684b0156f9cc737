"""Benchmark: the cost of one very large text document (issue 14: 50 MB in under a minute, under 1 GB).

    python benchmarks/large_text.py [--mb 50] [--kind prose|dense|line ...]

Builds a text document of about MB megabytes from the seed disclosures (the .txt documents of the
input folder: data/raw, or the shared seeds while data/raw holds none, as in a clone or in CI) and
reads it the way a run's worker does (reader, extraction, frames, the cache's copy, audit, and the frames
packed as Parquet files to send back), each kind in a fresh process. Prints, per kind, the size, what was
found, the seconds of that read, the seconds per MB, the CPU seconds of the process (on a loaded machine
the fairer figure) and its peak resident memory. Kinds:
- prose: one disclosure, then its paragraphs without figures again and again (a long report);
- dense: every seed disclosure, again and again (figures and tables on every page);
- line:  the seed disclosures with their line breaks removed (one enormous paragraph per copy).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from budgetbook import paths

KINDS = ("prose", "dense", "line")


def build(kind: str, megabytes: float, target: Path) -> Path:
    """Write a document of about `megabytes` MB of the given kind to `target`."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted(paths.input_dir().rglob("*.txt"))]
    if kind == "prose":
        lines = [ln for s in seeds for ln in s.splitlines() if ln.strip() and not re.search(r"\d", ln)]
        head, unit = seeds[-1] + "\n", "\n".join(lines) + "\n"
    elif kind == "dense":
        head, unit = "", "\n".join(seeds) + "\n"
    else:
        head, unit = "", "".join(s.replace("\n", "") for s in seeds) + "\n"
    copies = int(megabytes * 1024 * 1024 / len(unit.encode())) + 1
    target.write_text(head + unit * copies, encoding="utf-8")
    return target


def child(path: Path) -> None:
    """Read one document as a run's worker does (`read_packed`: its frames made and packed as Parquet files)
    and print the figures as one line of key=value."""
    import io

    import pyarrow.parquet as pq

    from budgetbook.pipeline import Source, read_packed

    start = time.perf_counter()
    packed = read_packed(Source(path, path.name, path.stem))
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak, cpu = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
    rows = {name: pq.read_metadata(io.BytesIO(data)).num_rows for name, data in packed.parquet.items()}
    print(
        f"paragraphs={rows['paragraphs']} tables={rows['tables']} facts={rows['facts']} "
        f"checks={rows['checks']} problems={rows['problems']} entry={seconds:.1f} "
        f"cpu={cpu:.1f} peak={peak:.0f}"
    )


def child_env() -> dict[str, str]:
    """The environment of a measured read: a run's wall-clock limit per document (300 s) raised, unless
    set, so that a loaded machine's slow read is measured rather than cut off as a problem row."""
    return {**os.environ, "BUDGETBOOK_LIMIT_SECONDS": os.environ.get("BUDGETBOOK_LIMIT_SECONDS", "3600")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=50.0)
    parser.add_argument("--kind", choices=KINDS, nargs="+", default=list(KINDS))
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        for kind in args.kind:
            path = build(kind, args.mb, Path(tmp) / f"{kind}.txt")
            size = path.stat().st_size / 1024 / 1024
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, __file__, "--child", str(path)],
                capture_output=True,
                text=True,
                check=False,
                env=child_env(),
            )
            total = time.perf_counter() - start
            figures = done.stdout.strip() or done.stderr.strip().splitlines()[-1]
            print(f"{kind:5} {size:6.1f} MB: {total:7.1f} s in all ({total / size:5.2f} s/MB); {figures} (s, MB)")


if __name__ == "__main__":
    main()
