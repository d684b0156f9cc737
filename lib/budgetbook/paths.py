"""Where the workbook's folders are: the one place that knows the project layout."""

from __future__ import annotations

import os
from pathlib import Path

ROOT_ENV = "BUDGETBOOK_ROOT"


def project_root(start: Path | None = None) -> Path:
    """The project folder: $BUDGETBOOK_ROOT, else the nearest folder up from `start` with data/raw."""
    if os.environ.get(ROOT_ENV):
        return Path(os.environ[ROOT_ENV])
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / "raw").is_dir():
            return folder
    return here


def raw_dir() -> Path:
    """Input documents (never modified)."""
    return project_root() / "data" / "raw"


def seeds_dir() -> Path:
    """The five seed documents the project started from, in the shared folder beside the project."""
    return Path(os.environ.get("BUDGETBOOK_SHARED", project_root().parent / "shared")) / "seeds"


def input_dir(folder: Path | None = None) -> Path:
    """The folder of documents to read: `folder` (default data/raw); while the project's data/raw holds no
    document (only its README), the seeds, so that a fresh clone shows the workbook at work."""
    folder = Path(folder) if folder is not None else raw_dir()
    if folder.resolve() != raw_dir().resolve() or not seeds_dir().is_dir():
        return folder
    holds_documents = any(p.is_file() and p.name != "README.md" for p in folder.rglob("*"))
    return folder if holds_documents else seeds_dir()


def clean_dir() -> Path:
    """Tidy frames, rebuilt by code."""
    return project_root() / "data" / "clean"


def reports_dir() -> Path:
    """Executed notebooks, HTML and Excel (generated)."""
    return project_root() / "reports"


def notebooks_dir() -> Path:
    """The source notebooks (never written to)."""
    return project_root() / "notebooks"
