"""Vocabularies kept as data (TOML files in budgetbook/data): a new phrasing is a one-line change."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources


@cache
def load(name: str) -> dict:
    """The vocabulary `budgetbook/data/<name>.toml`."""
    text = resources.files("budgetbook").joinpath("data", f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def any_word(name: str, *path: str) -> re.Pattern[str]:
    """A pattern finding any word of the vocabulary at `path` in `<name>.toml`, a list of words or a table
    of them (most texts hold none: one search tells, before a lookup word by word)."""
    words = load(name)
    for key in path:
        words = words[key]
    listed = words if isinstance(words, list) else [w for group in words.values() for w in group]
    return re.compile("|".join(re.escape(w) for w in listed))
