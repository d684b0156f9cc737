"""Legacy Word and WPS 文字 binaries (.doc, .wps): converted to .docx by LibreOffice, then read as .docx.

Each conversion runs headless in its own temporary profile (parallel conversions would
otherwise fight over one profile and LibreOffice would hang) and under a time limit. When
LibreOffice is not installed the document gets one problem row saying how to install it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from budgetbook.document import Document
from budgetbook.readers import ReadError

CONVERT_SECONDS = 180  # one conversion may take this long at most
INSTALL_HINT = (
    "legacy Word/WPS binary (.doc/.wps) needs LibreOffice to be read: install it "
    "(Debian/Ubuntu: apt-get install libreoffice-writer-nogui; macOS: brew install --cask libreoffice) "
    "or save the file as .docx or PDF"
)


def soffice() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    return os.environ.get("BUDGETBOOK_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")


def convert(data: bytes, suffix: str, target: str, timeout: float = CONVERT_SECONDS) -> bytes:
    """The bytes of `data` (a file of type `suffix`) converted by LibreOffice to `target` ('docx', 'xls' …)."""
    exe = soffice()
    if exe is None:
        raise ReadError(INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="budgetbook-soffice-") as tmp:
        work = Path(tmp)
        source = work / f"input{suffix}"
        source.write_bytes(data)
        out = work / "out"
        command = [
            exe,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(source),
        ]
        _run(command, timeout)
        result = out / f"input.{target.split(':')[0]}"
        if not result.is_file() or result.stat().st_size == 0:
            raise ReadError(f"LibreOffice could not convert the file to .{target} (damaged or not a document?)")
        return result.read_bytes()


def _run(command: list[str], timeout: float) -> None:
    """Run LibreOffice; past the time limit, kill it with every process it started."""
    try:
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        raise ReadError(f"LibreOffice could not be started ({exc})") from exc
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise ReadError(f"LibreOffice took more than {timeout:.0f} s to convert the file; not read") from exc


def read_legacy(data: bytes, doc: Document) -> None:
    """Fill `doc` from a .doc/.wps binary through its .docx conversion."""
    from budgetbook.readers.docx import read_docx

    read_docx(convert(data, ".doc", "docx"), doc)
