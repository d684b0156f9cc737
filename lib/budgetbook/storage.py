"""Atomic writing of frames: a reader never sees a half-written file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call `write(tmp)` on a temporary file beside `path`, then rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_frame(frame: pd.DataFrame, out_dir: Path, name: str, csv: bool = True) -> Path:
    """Write `frame` as `<name>.parquet` (and a UTF-8 CSV copy with BOM for Excel) atomically."""
    target = out_dir / f"{name}.parquet"
    atomic_write(target, lambda p: frame.to_parquet(p, index=False))
    if csv:
        atomic_write(out_dir / f"{name}.csv", lambda p: frame.to_csv(p, index=False, encoding="utf-8-sig"))
    return target


def write_frames(frames: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """Write every frame; each file is replaced only once its new version is complete."""
    return [write_frame(frame, out_dir, name) for name, frame in frames.items()]


def read_frame(out_dir: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(out_dir / f"{name}.parquet")
