"""Benchmark: extraction at scale — incremental reruns, memory against the number of files, Dask.

    nice python benchmarks/scale.py [DIR ...] [--jobs 2] [--work /tmp/scale]

On the given folders (default: ../shared/corpus/wide and ../shared/corpus/pdf, copied into one
raw folder), each `budgetbook extract` runs as its own process and prints wall seconds, peak
memory (resident set of the whole process tree, sampled, and of the main process alone), and
how many documents were read and taken from the cache:

1. full run (empty cache, local process pool of --jobs workers);
2. rerun with nothing changed (goal: at most 5% of the full run);
3. rerun after one file changed (a line appended after the end of the middle file);
4. full run on 4x the files (every file again under three other names: found as duplicates);
5. full run through Dask (`--scheduler local`, a LocalCluster of --jobs workers).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd

SHARED = Path(os.environ.get("BUDGETBOOK_SHARED", Path(__file__).resolve().parents[2] / "shared")) / "corpus"
DEFAULTS = [SHARED / "wide", SHARED / "pdf"]
BUDGETBOOK = Path(sys.executable).with_name("budgetbook")


def tree_rss(pid: int) -> tuple[int, int]:
    """Resident memory (bytes) of `pid` and of `pid` with all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(stat[1]), []).append(int(entry.name))
            rss[int(entry.name)] = int(stat[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, []))
    return rss.get(pid, 0), total


def measure(args: list[str]) -> dict:
    """Run `budgetbook extract ARGS` and sample its memory every 0.2 s."""
    peak = {"main": 0, "tree": 0}
    start = time.perf_counter()
    proc = subprocess.Popen(
        [str(BUDGETBOOK), "extract", *args, "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            main, tree = tree_rss(proc.pid)
            peak["main"], peak["tree"] = max(peak["main"], main), max(peak["tree"], tree)
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    done.set()
    sampler.join()
    return {"seconds": time.perf_counter() - start, **peak, "status": proc.returncode, "said": out.strip()}


def gather(folders: list[Path], raw: Path, copies: int = 1) -> int:
    """Copy every document of `folders` into `raw` (and `copies - 1` more times under other names)."""
    shutil.rmtree(raw, ignore_errors=True)
    n = 0
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() != ".tsv"):
            rel = path.relative_to(folder.parent)
            for k in range(copies):
                target = raw / (f"copy{k}" if k else "") / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target.with_name(f"{path.stem}{'_' + str(k) if k else ''}{path.suffix}"))
                n += 1
    return n


def show(label: str, m: dict, base: float | None = None) -> None:
    share = f" ({m['seconds'] / base:.1%} of the full run)" if base else ""
    print(
        f"{label:<44} {m['seconds']:8.1f} s{share}  peak {m['tree'] / 2**20:7.0f} MB (tree), "
        f"{m['main'] / 2**20:5.0f} MB (main)  | {m['said'].splitlines()[0] if m['said'] else m['status']}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="*", type=Path, default=DEFAULTS)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--work", type=Path, default=Path("/tmp/budgetbook-scale"))
    args = parser.parse_args()
    raw, out, jobs = args.work / "raw", args.work / "clean", ["--jobs", str(args.jobs)]
    shutil.rmtree(args.work, ignore_errors=True)
    n = gather(args.folders, raw)
    if not n:
        sys.exit(f"no files in {', '.join(map(str, args.folders))} (set BUDGETBOOK_SHARED to the shared folder)")
    print(f"{n} files from {', '.join(map(str, args.folders))}; --jobs {args.jobs}", flush=True)

    full = measure([str(raw), "--out", str(out), *jobs])
    show("1. full run (process pool)", full)
    show("2. rerun, nothing changed", measure([str(raw), "--out", str(out), *jobs]), full["seconds"])

    dask_out = args.work / "clean-dask"
    dask = measure([str(raw), "--out", str(dask_out), *jobs, "--scheduler", "local"])
    show(f"5. full run, Dask LocalCluster ({args.jobs} workers)", dask, full["seconds"])
    same = all(_sorted(dask_out, name).equals(_sorted(out, name)) for name in FRAMES)
    print(f"   Dask frames equal to the process pool's: {same}", flush=True)

    files = sorted(p for p in raw.rglob("*") if p.is_file())
    with files[len(files) // 2].open("ab") as handle:
        handle.write(b"\n% one more line after the end\n")
    show("3. rerun, one file changed", measure([str(raw), "--out", str(out), *jobs]), full["seconds"])

    big, big_out = args.work / "raw4", args.work / "clean4"
    n4 = gather(args.folders, big, copies=4)
    four = measure([str(big), "--out", str(big_out), *jobs])
    show(f"4. full run, 4x the files ({n4})", four, full["seconds"])
    documents = len(pd.read_parquet(big_out / "documents.parquet"))
    duplicates = len(pd.read_parquet(big_out / "duplicates.parquet"))
    print(f"   duplicates found: {duplicates} of {n4} files; documents: {documents}")


FRAMES = ("documents", "facts", "table_cells", "paragraphs", "checks", "problems")


def _sorted(out: Path, name: str) -> pd.DataFrame:
    frame = pd.read_parquet(out / f"{name}.parquet")
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


if __name__ == "__main__":
    main()
