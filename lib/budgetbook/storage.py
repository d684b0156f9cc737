"""Writing and reading frames: one generation at a time, never a mix of two runs.

A run writes its frames (each as `.parquet` and a `.csv` copy) into a new folder
`<out>/.generations/<id>.tmp/`; once every file is complete the folder is renamed to `<id>` and
the link `<out>/current` is swapped to it in one atomic rename. `<out>/<name>.parquet` and
`<name>.csv` are fixed links through `current`, so every reader (notebooks, `budgetbook check`,
the scoring tools) sees the last complete generation: a run killed or out of disk while writing
leaves the previous generation in place, .parquet and .csv alike.

Large frames are written as they come (one row group per document) and can be read lazily:
`read_frame(out, name, columns=..., filters=...)` or `frame_dataset(out, name)` (pyarrow).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from budgetbook.report.escape import spreadsheet_text

GENERATIONS = ".generations"
CURRENT = "current"
SUFFIXES = (".parquet", ".csv")
KEEP = 2  # generations kept: the current one and the one before (a reader may still be on it)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


FILE_MODE = 0o666 & ~_umask()


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its text as a spreadsheet must show it (no formula runs when the CSV is opened)."""
    text = [c for c in frame.columns if frame[c].dtype == object or isinstance(frame[c].dtype, pd.StringDtype)]
    return frame.assign(**{c: frame[c].map(spreadsheet_text, na_action="ignore") for c in text}) if text else frame


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call `write(tmp)` on a temporary file beside `path`, then rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, FILE_MODE)  # mkstemp makes 0600; a written frame or report is an ordinary file
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_frame(frame: pd.DataFrame, out_dir: Path, name: str, csv: bool = True) -> Path:
    """Write `frame` as `<name>.parquet` (and a UTF-8 CSV copy with BOM for Excel) atomically."""
    target = out_dir / f"{name}.parquet"
    atomic_write(target, lambda p: frame.to_parquet(p, index=False))
    if csv:
        copy = csv_safe(frame)
        atomic_write(out_dir / f"{name}.csv", lambda p: copy.to_csv(p, index=False, encoding="utf-8-sig"))
    return target


# Rows made spreadsheet-safe and written to a CSV at a time: a large document's text columns are not all
# turned into Python strings at once (890,000 cells of a 50 MB document: ~500 MB of them).
CSV_ROWS = 50_000


class FrameWriter:
    """One frame written piece by piece: Parquet row groups and CSV rows appended as they come."""

    def __init__(self, folder: Path, name: str, empty: pd.DataFrame) -> None:
        self.empty = empty
        self.schema = pa.Schema.from_pandas(empty, preserve_index=False)
        self.parquet = pq.ParquetWriter(folder / f"{name}.parquet", self.schema)
        self.csv: IO[str] = (folder / f"{name}.csv").open("w", encoding="utf-8-sig", newline="")
        self.rows = 0

    def append(self, frame: pd.DataFrame) -> None:
        if frame.empty:
            return
        self.parquet.write_table(pa.Table.from_pandas(frame, schema=self.schema, preserve_index=False))
        for start in range(0, len(frame), CSV_ROWS):
            part = csv_safe(frame.iloc[start : start + CSV_ROWS])
            part.to_csv(self.csv, index=False, header=self.rows == 0 and start == 0, lineterminator="\n")
        self.rows += len(frame)

    def close(self) -> None:
        if self.rows == 0:
            self.empty.to_csv(self.csv, index=False, lineterminator="\n")
        self.parquet.close()
        self.csv.close()


class Generation:
    """A new set of frames under `out`, invisible to readers until `commit()`.

    Use as a context manager: leaving it by an exception discards the unfinished generation.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        root = out / GENERATIONS
        root.mkdir(parents=True, exist_ok=True)
        self.name = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{secrets.token_hex(3)}"
        self.dir = root / f"{self.name}.tmp"
        self.dir.mkdir()
        self.writers: dict[str, FrameWriter] = {}

    def write(self, name: str, frame: pd.DataFrame) -> None:
        """A whole frame, as .parquet and .csv."""
        write_frame(frame, self.dir, name)

    def writer(self, name: str, empty: pd.DataFrame) -> FrameWriter:
        """A writer to append to, piece by piece (typed like `empty`)."""
        if name not in self.writers:
            self.writers[name] = FrameWriter(self.dir, name, empty)
        return self.writers[name]

    def carry(self, exclude: Iterable[str] = ()) -> None:
        """Take over the current generation's frames not named in `exclude` (hard links, else copies)."""
        current = generation_dir(self.out)
        skip = set(exclude)
        for path in sorted(current.iterdir()) if current.is_dir() else ():
            if path.suffix in SUFFIXES and path.stem not in skip and path.is_file():
                target = self.dir / path.name
                if not target.exists():
                    try:
                        os.link(path, target)
                    except OSError:
                        shutil.copy2(path, target)

    def commit(self) -> Path:
        """Make this generation the one readers see, in one atomic step; returns its folder."""
        for w in self.writers.values():
            w.close()
        self.writers.clear()
        final = self.dir.with_name(self.name)
        os.replace(self.dir, final)
        self.dir = final
        _replace_link(self.out / CURRENT, Path(GENERATIONS) / self.name)
        names = sorted(p.name for p in final.iterdir() if p.suffix in SUFFIXES)
        for name in names:  # fixed links: <out>/<name>.parquet -> current/<name>.parquet
            link = self.out / name
            if not (link.is_symlink() and os.readlink(link) == f"{CURRENT}/{name}"):
                _replace_link(link, Path(CURRENT) / name)
        for link in self.out.iterdir():  # links to frames this generation no longer has
            if link.is_symlink() and os.readlink(link).startswith(f"{CURRENT}/") and not link.exists():
                link.unlink()
        _prune(self.out / GENERATIONS, final)
        return final

    def abort(self) -> None:
        for w in self.writers.values():
            with contextlib.suppress(Exception):  # already broken; the folder goes anyway
                w.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> Generation:
        return self

    def __exit__(self, kind, value, tb) -> None:
        if kind is not None:
            self.abort()


def _replace_link(link: Path, target: Path) -> None:
    tmp = link.with_name(f".{link.name}.{secrets.token_hex(4)}.link")
    os.symlink(target, tmp)
    os.replace(tmp, link)


def _prune(root: Path, keep: Path) -> None:
    """Remove generations but the newest KEEP, and unfinished ones a killed run left behind."""
    done = sorted((p for p in root.iterdir() if p.is_dir() and not p.name.endswith(".tmp")), key=lambda p: p.name)
    old = [p for p in done if p != keep][: max(0, len(done) - KEEP)]
    stale = [p for p in root.iterdir() if p.name.endswith(".tmp") and time.time() - p.stat().st_mtime > 3600]
    for path in [*old, *stale]:
        shutil.rmtree(path, ignore_errors=True)


def write_frames(frames: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """A new generation with `frames`, the current generation's other frames carried over."""
    with Generation(out_dir) as gen:
        for name, frame in frames.items():
            gen.write(name, frame)
        gen.carry(exclude=frames)
        folder = gen.commit()
    return [folder / f"{name}.parquet" for name in frames]


def generation_dir(out_dir: Path) -> Path:
    """The folder of the last complete generation (`out_dir` itself for frames written flat)."""
    current = out_dir / CURRENT
    return current.resolve() if current.is_dir() else out_dir


def frame_path(out_dir: Path, name: str) -> Path:
    return generation_dir(out_dir) / f"{name}.parquet"


def read_frame(out_dir: Path, name: str, columns: list[str] | None = None, filters=None) -> pd.DataFrame:
    """One frame of the last complete generation; `columns`/`filters` read only part of it."""
    return pd.read_parquet(frame_path(out_dir, name), columns=columns, filters=filters)


def read_frames(out_dir: Path, names: Iterable[str]) -> dict[str, pd.DataFrame]:
    """Several frames, all from the same generation (the present ones among `names`)."""
    folder = generation_dir(out_dir)
    return {n: pd.read_parquet(folder / f"{n}.parquet") for n in names if (folder / f"{n}.parquet").exists()}


def frame_dataset(out_dir: Path, name: str) -> ds.Dataset:
    """A frame as a lazy pyarrow dataset (filter and project before loading; DuckDB reads it too)."""
    return ds.dataset(frame_path(out_dir, name), format="parquet")


def count_rows(out_dir: Path, name: str) -> int:
    """Rows of a frame, from the Parquet footer (nothing loaded)."""
    return pq.ParquetFile(frame_path(out_dir, name)).metadata.num_rows
