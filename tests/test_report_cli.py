"""`budgetbook run` and `budgetbook check` as a user starts them: from any folder, on odd folders."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from budgetbook.cli import main

from .conftest import CORPUS, need_shared

BUDGETBOOK = Path(sys.executable).parent / "budgetbook"


def _run_outside(tmp_path: Path, raw: Path) -> subprocess.CompletedProcess:
    """`budgetbook run RAW` started in a folder that is not the project."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    return subprocess.run(
        [str(BUDGETBOOK), "run", str(raw), "--clean", "clean", "--reports", "reports", "--quiet"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _last_line(done: subprocess.CompletedProcess) -> str:
    """budgetbook's own last word (the kernel's log lines on stderr come before it)."""
    return [line for line in done.stderr.splitlines() if line.strip()][-1]


def test_run_from_another_folder_on_an_empty_folder_ends_with_a_message(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    done = _run_outside(tmp_path, empty)
    assert done.returncode == 1
    assert _last_line(done).startswith("budgetbook: no budget disclosure found")
    assert "Traceback" not in done.stdout
    assert (tmp_path / "elsewhere" / "reports" / "01-extract-documents.html").exists()  # notebooks found anyway


def test_run_on_a_folder_without_disclosures_ends_with_a_message(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    other = need_shared(CORPUS / "杭州_2026年杭州市政府办公厅部门预算.pdf")  # a 文件 (notice), not a disclosure
    shutil.copy(other, raw / other.name)
    done = _run_outside(tmp_path, raw)
    assert done.returncode == 1
    assert _last_line(done).startswith("budgetbook: no budget disclosure found") and "1 files read" in _last_line(done)
    assert "KeyError" not in done.stderr and "Traceback" not in done.stdout


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_run_refuses_a_number_of_jobs_below_one(jobs: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["run", "--jobs", jobs])
    assert exit_.value.code == 2
    assert "at least 1" in capsys.readouterr().err


def test_check_writes_beside_the_frames_unless_told_to_replace_them(seeds_run, tmp_path: Path, capsys) -> None:
    clean = tmp_path / "clean"
    shutil.copytree(seeds_run[1], clean, symlinks=True)  # the frames are links into their generation
    before = (clean / "checks.parquet").read_bytes()
    assert main(["check", str(clean), "--money", "5"]) == 0
    out = capsys.readouterr().out
    assert (clean / "checks.parquet").read_bytes() == before  # what the reports were made from is unchanged
    assert "unchanged" in out and str(clean / "recheck") in out
    rechecked = pd.read_parquet(clean / "recheck" / "checks.parquet")
    assert rechecked.passed.sum() >= pd.read_parquet(clean / "checks.parquet").passed.sum()  # looser tolerance
    assert main(["check", str(clean), "--replace"]) == 0
    assert "replaced" in capsys.readouterr().out
