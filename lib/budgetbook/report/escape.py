"""The one place where text from documents is made safe for where it is shown.

Everything a document says is untrusted: a department name, a title, a sentence quoted as
evidence. HTML pages, notebook Markdown, Excel cells and CSV copies each get it through one
function here:

- `html_text`: for HTML (markup characters as entities, quotes too, so it is safe in attributes);
- `markdown_text`: for a Markdown cell or `IPython.display.Markdown` (no raw HTML, no link, image,
  emphasis, heading or formula: Markdown's punctuation is backslash-escaped);
- `excel_text`: for an Excel cell written by openpyxl (characters XML and Excel refuse removed;
  the writer stores it as text and marks formula-looking text with `looks_like_formula`);
- `spreadsheet_text`: for a CSV copy opened in a spreadsheet (text that would run as a formula gets
  a leading apostrophe; plain numbers stay as they are).

Control characters are removed by all of them. Non-text values pass through `str` first.
"""

from __future__ import annotations

import html
import re

from budgetbook.text import strip_controls

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_PLAIN_NUMBER = re.compile(r"[+\-−－]?\d[\d,，]*(?:\.\d+)?%?")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$&:\"'])")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _text(value: object) -> str:
    return strip_controls("" if value is None else str(value))


def html_text(value: object) -> str:
    """`value` as HTML text: `<script>` shows as `<script>`, and `"`/`'` cannot end an attribute."""
    return html.escape(_text(value), quote=True)


def markdown_text(value: object) -> str:
    """`value` as Markdown that renders as exactly these characters, on one line."""
    one_line = " ".join(_text(value).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", one_line)


def excel_text(value: object) -> str:
    """`value` for an Excel cell: characters XML (and Excel) forbid removed; tabs and line breaks kept."""
    return _ILLEGAL_XML.sub("", "" if value is None else str(value))


def looks_like_formula(text: str) -> bool:
    """Would a spreadsheet run `text` as a formula if it were typed in?"""
    return text.lstrip(" ").startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text.strip())


def spreadsheet_text(value: object) -> str:
    """`value` as a CSV cell's text: never a formula (plain numbers stay as they are)."""
    text = _text(value)
    return "'" + text if looks_like_formula(text.lstrip("\t\r\n")) else text
