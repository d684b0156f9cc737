"""Atomic writing of frames: a reader never sees a half-written file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from budgetbook.report.escape import spreadsheet_text


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


def write_frames(frames: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """Write every frame; each file is replaced only once its new version is complete."""
    return [write_frame(frame, out_dir, name) for name, frame in frames.items()]


def read_frame(out_dir: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(out_dir / f"{name}.parquet")
