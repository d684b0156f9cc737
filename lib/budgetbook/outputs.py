"""The output folders (frames, reports): checked before the long work starts, and locked for one run.

Two runs writing the same folders would mix their documents; the second one is refused at once.
The lock is an advisory `flock` on `.budgetbook.lock` inside the folder: the system releases it
when the run ends, however it ends, so a killed run never leaves a stale lock behind.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

LOCK_NAME = ".budgetbook.lock"
MIN_FREE_MB = 20


class OutputError(Exception):
    """An output folder that cannot be used; the message says why, in one line."""


class OutputBusy(OutputError):
    """Another run is writing the same folder."""


def check_writable(folder: Path, option: str = "output") -> Path:
    """Create `folder` if needed and make sure files can be written in it; raise OutputError if not."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{option} {folder} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise OutputError(f"cannot write in {option} {folder}: {exc.strerror or exc}") from exc
    free = shutil.disk_usage(folder).free
    if free < MIN_FREE_MB * 1024 * 1024:
        raise OutputError(f"{option} {folder}: only {free // 1024} kB free on its disk")
    return folder


@contextlib.contextmanager
def locked(*folders: Path) -> Iterator[None]:
    """Hold the lock of every folder for the duration; raise OutputBusy if another run holds one."""
    with contextlib.ExitStack() as stack:
        for folder in dict.fromkeys(f.resolve() for f in folders):
            stack.enter_context(_lock(folder))
        yield


@contextlib.contextmanager
def _lock(folder: Path) -> Iterator[None]:
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EACCES):
                raise
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            message = f"{folder} is in use by another budgetbook run (pid {holder}); try again when it ends"
            raise OutputBusy(message) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock
