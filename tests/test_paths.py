"""The default input: data/raw, or the shared seeds while data/raw holds no document."""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetbook import paths


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with an empty data/raw (its README only) beside a shared/seeds folder."""
    root = tmp_path / "budgetbook"
    (root / "data" / "raw").mkdir(parents=True)
    (root / "data" / "raw" / "README.md").write_text("put documents here", encoding="utf-8")
    (tmp_path / "shared" / "seeds").mkdir(parents=True)
    monkeypatch.setenv(paths.ROOT_ENV, str(root))
    monkeypatch.delenv("BUDGETBOOK_SHARED", raising=False)
    return root


def test_an_empty_data_raw_falls_back_to_the_seeds(project: Path) -> None:
    assert paths.input_dir() == project.parent / "shared" / "seeds"
    assert paths.input_dir(project / "data" / "raw") == project.parent / "shared" / "seeds"


def test_a_data_raw_with_a_document_is_read(project: Path) -> None:
    (project / "data" / "raw" / "dept").mkdir()
    (project / "data" / "raw" / "dept" / "budget.pdf").write_bytes(b"%PDF-1.4")
    assert paths.input_dir() == project / "data" / "raw"


def test_a_named_folder_is_read_even_when_empty(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    other.mkdir()
    assert paths.input_dir(other) == other


def test_without_seeds_the_empty_data_raw_stays(project: Path) -> None:
    (project.parent / "shared" / "seeds").rmdir()
    assert paths.input_dir() == project / "data" / "raw"
