"""Everything a document says is shown as text, never run: one helper per medium.

- `html_text`: for HTML (markup characters as entities, quotes too, so it is safe in attributes);
- `markdown_text`: for a Markdown cell or `IPython.display.Markdown` (no raw HTML, no link, image,
  emphasis, heading or formula: Markdown's punctuation is backslash-escaped);
- `spreadsheet_text`: for a cell of Excel or a CSV opened in Excel (text that a spreadsheet
  would run as a formula gets a leading apostrophe; characters Excel refuses are removed).

Control characters are removed by all three. Non-text values pass through `str` first.
"""

from __future__ import annotations

import html
import re

from budgetbook.text import strip_controls

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_PLAIN_NUMBER = re.compile(r"[+\-−－]?\d[\d,，]*(?:\.\d+)?%?")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$&:\"'])")


def _text(value: object) -> str:
    return strip_controls("" if value is None else str(value))


def html_text(value: object) -> str:
    """`value` as HTML text: `<script>` shows as `<script>`, and `"`/`'` cannot end an attribute."""
    return html.escape(_text(value), quote=True)


def markdown_text(value: object) -> str:
    """`value` as Markdown that renders as exactly these characters, on one line."""
    one_line = " ".join(_text(value).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", one_line)


def spreadsheet_text(value: object) -> str:
    """`value` as a spreadsheet cell's text: never a formula (plain numbers stay as they are)."""
    text = _text(value)
    if text.lstrip(" \t\r\n").startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text.strip()):
        return "'" + text
    return text
