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


def clean_dir() -> Path:
    """Tidy frames, rebuilt by code."""
    return project_root() / "data" / "clean"


def reports_dir() -> Path:
    """Executed notebooks, HTML and Excel (generated)."""
    return project_root() / "reports"


def notebooks_dir() -> Path:
    """The source notebooks (never written to)."""
    return project_root() / "notebooks"
