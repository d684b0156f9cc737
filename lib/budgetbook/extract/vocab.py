"""Vocabularies kept as data (TOML files in budgetbook/data): a new phrasing is a one-line change."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources


@cache
def load(name: str) -> dict:
    """The vocabulary `budgetbook/data/<name>.toml`."""
    text = resources.files("budgetbook").joinpath("data", f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)
