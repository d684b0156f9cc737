"""Text normalisation and number parsing shared by every later step.

Disclosures mix full-width and half-width characters, PDF layout leaves spaces inside
words (`经 费 总预 算`) and numbers (`37 337 407.64`), and amounts carry thousands
separators in either width (`1,200,000`, `1，200，000`). `normalize` maps all of that
to one canonical form; callers keep the original text for evidence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache, wraps
from typing import TypeVar

# Full-width ASCII block (！ to ～) to ASCII, except the CJK punctuation that Chinese
# text uses as its own (（）：；，！？ stay full-width; ASCII forms are mapped to them below).
_KEEP_FULLWIDTH = set("（）：；，！？")
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if chr(cp) not in _KEEP_FULLWIDTH}
_ODD_SPACES = {cp: " " for cp in (0x00A0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000)}
_DELETE = {cp: None for cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD)}
_VARIANTS = {ord("萬"): "万", ord("億"): "亿", ord("〇"): "零"}
_TABLE = {**_FULLWIDTH, **_ODD_SPACES, **_DELETE, **_VARIANTS}

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"\u3001-\u303f\uff01-\uff0f\uff1a-\uff20\u201c\u201d\u2018\u2019\u2014\u2026"
_WIDE = f"{_CJK}{_CJK_PUNCT}"

_SPACE_RUN = re.compile(r"[ \t\r\f\v]+")
# A space is layout, not content, when a CJK character or CJK punctuation is on either side.
_SPACE_NEAR_WIDE = re.compile(rf"(?<=[{_WIDE}]) | (?=[{_WIDE}])")
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")
_SPACED_GROUPS = re.compile(r"(?<![\d.,，])(\d{1,3})((?: \d{3})+)(?=\.\d|(?![\d,，]))")
_SPACED_DECIMAL = re.compile(r"(?<=\d) ?\. ?(?=\d)")
_SPACE_BEFORE_PERCENT = re.compile(r"(?<=\d) +(?=%)")
_ASCII_PUNCT_NEAR_CJK = {"(": "（", ")": "）", ":": "：", ";": "；", ",": "，", "!": "！", "?": "？"}
_ASCII_PUNCT_RE = re.compile(rf"(?<=[{_WIDE}])[():;,!?]|[():;,!?](?=[{_WIDE}])")


# Control characters carry no content; a bell or an escape in a document breaks Excel files and
# terminals, and bidirectional overrides make text read differently from what it says.
_CONTROLS = {
    **{cp: None for cp in (*range(0x00, 0x09), *range(0x0E, 0x20), *range(0x7F, 0xA0))},
    **{cp: None for cp in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)},
    **{cp: " " for cp in (0x0B, 0x0C, 0x2028, 0x2029)},
}


def _any_of(table: dict[int, str | None]) -> re.Pattern[str]:
    """A pattern finding any character a translation table changes (a search is far cheaper than a translate)."""
    return re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(table)) + "]")


_HAS_CONTROL = _any_of(_CONTROLS)
_HAS_TABLE = _any_of(_TABLE)
# Texts up to this length are remembered: cells and lines are normalised again by every test that
# looks at them, and tables repeat their labels and figures. Longer texts are rarely seen twice.
_REMEMBERED_LEN = 256
T = TypeVar("T")


def strip_controls(text: str) -> str:
    """`text` without control characters (tab, line feed and carriage return kept; page breaks as spaces)."""
    return text.translate(_CONTROLS) if text and _HAS_CONTROL.search(text) else text


def remembered_when_short(fn: Callable[[str], T]) -> Callable[[str], T]:
    """`fn` of a text, its answers for texts up to _REMEMBERED_LEN characters remembered (a bounded cache)."""
    cached = lru_cache(maxsize=1 << 16)(fn)

    @wraps(fn)
    def call(text: str) -> T:
        return cached(text) if len(text) <= _REMEMBERED_LEN else fn(text)

    return call


def normalize(text: str) -> str:
    """Return the canonical form of `text`: ASCII digits, CJK punctuation, no layout spaces."""
    return _normalize(text) if text else ""


@remembered_when_short
def _normalize(text: str) -> str:
    """`normalize` proper; each step runs only when its text holds what the step changes."""
    out = simplify(strip_controls(text))
    if _HAS_TABLE.search(out):
        out = out.translate(_TABLE)
    out = (_SPACE_RUN.sub(" ", out) if _SPACE_RUN.search(out) else out).strip()
    if " " in out:
        out = _SPACE_NEAR_WIDE.sub("", out)
    if " " in out:  # without a space left the three steps below change nothing
        out = _SPACED_DECIMAL.sub(".", out)
        out = _SPACED_GROUPS.sub(lambda m: m.group(1) + m.group(2).replace(" ", ""), out)
        out = _SPACE_BEFORE_PERCENT.sub("", out) if "%" in out else out
    if "," in out or "，" in out:
        out = _THOUSANDS.sub("", out)
    return _ASCII_PUNCT_RE.sub(lambda m: _ASCII_PUNCT_NEAR_CJK[m.group(0)], out)


# A converter's pinyin gloss after a character: 經(jīng)費, 萬(wàn)元. Lower-case syllables, at most
# two, at least one with a tone mark (plain letters in brackets may be content: (ppp), (a)).
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN_GLOSS = re.compile(
    rf"(?<=[{_CJK}])[(（]\s*(?=[a-zü{_TONED} ]*[{_TONED}])[a-zü{_TONED}]{{1,6}}(?: [a-zü{_TONED}]{{1,6}})?\s*[)）]"
)


@cache
def _traditional() -> tuple[re.Pattern[str], object]:
    """A pattern of the characters OpenCC's t2s changes, and the converter (built once)."""
    import opencc

    converter = opencc.OpenCC("t2s")
    chars = "".join(chr(cp) for cp in range(0x4E00, 0xA000))
    simplified = converter.convert("\n".join(chars)).split("\n")
    changed = "".join(a for a, b in zip(chars, simplified, strict=False) if a != b)
    return re.compile(f"[{re.escape(changed)}]"), converter


def simplify(text: str) -> str:
    """Traditional script to simplified (OpenCC t2s), without converters' pinyin glosses.

    Text with no traditional character and no gloss is returned unchanged (the common case).
    """
    if "(" in text or "（" in text:
        text = _PINYIN_GLOSS.sub("", text)
    pattern, converter = _traditional()
    return converter.convert(text) if pattern.search(text) else text


_SENTENCE_PIECE = re.compile(r"[^。；;！？!?]*[。；;！？!?]?")


def converted(raw: str) -> bool:
    """Whether the script of `raw` is converted to be read (traditional, or with pinyin glosses)."""
    return bool(raw) and simplify(raw) != raw


def original_sentences(raw: str) -> dict[str, str]:
    """The sentences of a paragraph as printed, by their normalised text (what prose evidence quotes)."""
    out: dict[str, str] = {}
    for m in _SENTENCE_PIECE.finditer(raw):
        piece = m.group(0).strip()
        if piece:
            out.setdefault(normalize(piece), piece)
    return out


def join_lines(parts: list[str]) -> str:
    """Join lines broken by layout: no separator between CJK, a space between Latin words."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and out[-1].isascii() and out[-1].isalpha() and part[0].isascii() and part[0].isalpha():
            out += " "
        out += part
    return out


_WHITE_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """Remove every kind of white space (for comparing labels and cells)."""
    return _squash(text) if text else ""


@remembered_when_short  # table cells and labels are squashed again and again by every reader of a table
def _squash(text: str) -> str:
    return _WHITE_SPACE.sub("", normalize(text))


_AMOUNT = re.compile(r"^[（(]?([-−－]?)\s*(\d+(?:\.\d+)?)[)）]?$")
_EMPTY_MARKS = {"", "-", "—", "——", "--", "－", "/", "…", "……", "*", "**"}


def parse_number(text: str | None) -> float | None:
    """Parse a printed amount or rate: `1,935.36`, `-126.49`, `（12.5）`, `3.8%`; None if not a number.

    A bracketed amount is negative, as in accounting tables. Dashes and blanks are None.
    """
    if text is None:
        return None
    return _parse_number(str(text))


@remembered_when_short  # a table prints the same cells again and again (0.00, -, 合计's figures)
def _parse_number(text: str) -> float | None:
    """`parse_number` proper."""
    s = normalize(text).replace(" ", "").rstrip("%")
    s = s.replace("万元", "").replace("元", "") if s[:1].isdigit() or s[:1] in "-−－(（" else s
    if s in _EMPTY_MARKS:
        return None
    m = _AMOUNT.match(s)
    if not m:
        return None
    value = float(m.group(2))
    negative = bool(m.group(1)) or s.startswith(("(", "（"))
    return -value if negative else value
