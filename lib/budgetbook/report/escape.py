"""The one place where text from documents is made safe for where it is shown.

Everything a document says is untrusted: a department name, a title, a sentence quoted as
evidence. HTML pages, notebook Markdown and Excel cells each get it through one function here.
"""

from __future__ import annotations

import html
import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(s: object) -> str:
    return "" if s is None else str(s)


def html_text(s: object) -> str:
    """`s` as HTML text: tags, entities and quotes escaped, so nothing in it becomes markup."""
    return html.escape(_text(s), quote=True)


def markdown_text(s: object) -> str:
    """`s` as literal Markdown text: HTML escaped and every Markdown sign (links, images, emphasis) backslashed."""
    escaped = html.escape(_text(s).replace("\r", " ").replace("\n", " "), quote=False)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", escaped)


def spreadsheet_text(s: object) -> str:
    """`s` for a spreadsheet cell: characters XML (and Excel) forbid removed; the caller stores it as text."""
    return _ILLEGAL_XML.sub("", _text(s))


def looks_like_formula(s: str) -> bool:
    """Would a spreadsheet run `s` as a formula if it were typed in?"""
    return s.startswith(FORMULA_START)
