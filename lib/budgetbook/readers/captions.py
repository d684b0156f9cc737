"""Table captions: the title line, the unit line (单位：元 / 单位：万元) and 编制单位-style lines.

Shared by every reader so that a table's title and unit are found the same way whatever the
format. The patterns are data about the genre, not about any one document.
"""

from __future__ import annotations

import re
from itertools import pairwise

from budgetbook.text import normalize

_UNIT = re.compile(r"(?:金额)?单位\s*[:：]\s*(万元|千元|亿元|元)")
_UNIT_ANYWHERE = re.compile(r"[（(]\s*(?:金额)?单位\s*[:：]?\s*(万元|千元|亿元|元)\s*[)）]")
_ISSUER = re.compile(
    r"^(?:预算单位名称|编制单位|编制部门|部门名称|单位名称|预算单位|填报单位|预算部门|部门|单位)\s*[:：](?!\s*(?:万元|元)$)"
)
# The issuer printed without its label: the budget unit's code, then its name (`434001某某县人民政府办公室`).
_CODED_ISSUER = re.compile(r"^\d{3,}(?![\d年.．、])[\u4e00-\u9fff（）()]{2,40}(?:办公室|局|委员会|单位|政府|厅)$")
_CODE_ONLY = re.compile(
    r"^(?:附件|附表|公开|部门公开表|预算公开表)?\s*[\d\-－一二三四五六七八九十]*\s*表?\s*[\d\-－]*$"
)
_YEAR_NOTE = re.compile(r"^[（(]\s*\d{4}\s*年度?\s*[)）]$")
MAX_CAPTION_LEN = 60


def unit_of(text: str) -> str:
    """The money unit a caption line declares ('元', '万元', …), or ''."""
    s = normalize(text).replace(" ", "")
    m = _UNIT.search(s) or _UNIT_ANYWHERE.search(s)
    return m.group(1) if m else ""


def is_issuer(text: str) -> bool:
    """A 编制单位：…/部门名称：… line naming who compiled the table (or its code and name, unlabelled)."""
    s = normalize(text).replace(" ", "")
    return bool(_ISSUER.match(s) or _CODED_ISSUER.match(s))


def is_code_label(text: str) -> bool:
    """A bare table number such as `公开01表`, `部门公开表1`, `附件1-2`, `表3`."""
    s = normalize(text).replace(" ", "")
    return bool(s) and len(s) <= 12 and bool(_CODE_ONLY.match(s))


def is_caption_line(text: str) -> bool:
    """A short line that belongs above a table rather than to the prose."""
    s = normalize(text).replace(" ", "")
    if not s or len(s) > MAX_CAPTION_LEN:
        return False
    if s.endswith(("。", "；")):
        return False
    return bool(unit_of(s) or is_issuer(s) or is_code_label(s) or _YEAR_NOTE.match(s) or is_title(s))


def is_title(text: str) -> bool:
    """A table title: a short line naming a 表 (情况表, 总表, 目标表 …), not a sentence."""
    s = normalize(text).replace(" ", "")
    if not s or len(s) > MAX_CAPTION_LEN or is_code_label(s) or "。" in s:
        return False
    return s.endswith("表") or bool(re.search(r"表[（(].{1,12}[)）]$", s)) or "表：" in s[:8]


_FIELD_START = re.compile(
    r"[（(]?\s*(?:编制单位|编制部门|预算单位名称|预算单位|部门名称|单位名称|填报单位|预算部门|金额单位|部门|单位)\s*[:：]"
)
_LEAD_CODE = re.compile(
    r"^(?:附件|附表|部门公开表|预算公开表|公开表|公开|表)\s*[\d\-－一二三四五六七八九十]+\s*(?:表)?\s*[:：.．、]?\s*(?=\S)"
)


def caption_parts(line: str) -> list[str]:
    """One printed caption line cut into its parts: 公开表3 | title | 部门：X | 单位：万元.

    Titles share their line with the table number, the issuer and the unit, or a cell drawn inside
    the frame holds title and issuer on two lines that come out as one.
    """
    text = line.strip()
    m = _LEAD_CODE.match(text)
    parts = [text[: m.end()].strip(), text[m.end() :]] if m and is_title(text[m.end() :].split()[0]) else [text]
    out: list[str] = []
    for part in parts:
        cuts = [0, *(m.start() for m in _FIELD_START.finditer(part) if m.start() > 0), len(part)]
        out.extend(p for a, b in pairwise(cuts) if (p := part[a:b].strip()))
    return out


def pick_title(lines: list[str]) -> str:
    """The title among caption lines: the last 表 line, else the last non-unit, non-issuer line."""
    lines = [p for ln in lines for p in caption_parts(ln)] or lines
    titles = [ln for ln in lines if is_title(ln)]
    if titles:
        return titles[-1].strip()
    plain = [ln for ln in lines if not unit_of(ln) and not is_issuer(ln) and not is_code_label(ln)]
    return plain[-1].strip() if plain else ""


def unit_from(lines: list[str]) -> str:
    """The unit declared by any of the caption lines."""
    for ln in lines:
        unit = unit_of(ln)
        if unit:
            return unit
    return ""


def fallback_title(rows: list[list[str]], above: str | None) -> str:
    """A table's title when no caption line names it: one typed into its first row (kept there
    as printed), else a short line just above it that is not a sentence."""
    first = [c for c in rows[0] if c.strip()] if rows else []
    if len(first) == 1 and is_title(first[0]):
        return first[0].strip()
    if above is not None:
        text = normalize(above)
        if (len(text) <= 30 and not text.endswith(("。", "：", "；"))) or is_title(text):
            return above.strip()
    return ""
