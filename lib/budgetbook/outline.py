"""Outline numbering of disclosure prose: 第一部分 / 一、 / （一） / 1、 1. / （1） / ①.

Each numbering style has a fixed rank; a paragraph that opens with a number is a heading
(or a numbered item) and the section path of every paragraph is the stack of the headings
above it, the way a reader of the printed document sees it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from budgetbook.document import Block, Paragraph

_CN = "一二三四五六七八九十百零〇两"
# (rank, pattern) — lower rank is higher in the outline.
NUMBERING: list[tuple[int, re.Pattern[str]]] = [
    (0, re.compile(rf"^第[{_CN}\d]+(?:部分|章|篇)")),
    (1, re.compile(rf"^[{_CN}]+\s*[、.．]")),
    (2, re.compile(rf"^[（(]\s*[{_CN}]+\s*[）)]")),
    (3, re.compile(r"^\d{1,2}\s*(?:[、．]|\.(?!\d)|\.(?=\d{4}年))")),
    (4, re.compile(r"^[（(]\s*\d{1,2}\s*[）)]")),
    (5, re.compile(r"^[①-⑳]")),
]
_LABEL_END = re.compile(r"[。：:；;，,]")
MAX_LABEL = 40


def heading_rank(text: str) -> int | None:
    """The outline rank of a paragraph's leading number, or None if it has none."""
    s = text.strip()
    for rank, pattern in NUMBERING:
        if pattern.match(s):
            return rank
    return None


def heading_label(text: str) -> str:
    """The heading part of a numbered paragraph: up to the first clause break, at most 40 chars."""
    s = text.strip()
    m = _LABEL_END.search(s, 2)
    label = s[: m.start()] if m else s
    return label[:MAX_LABEL].strip()


_TOC_TITLE = re.compile(r"^目\s*录$")
_TOC_LEADER = re.compile(r"(?:\.{3,}|…{2,}|·{3,}|-{3,})\s*\d*\s*$")
TOC = "目录"
MAX_TOC_ENTRY = 60


def _toc_entry(text: str, seen: set[str]) -> bool:
    """A line of a table of contents: short, numbered or with a dot leader, not seen before."""
    key = re.sub(r"\s+", "", _TOC_LEADER.sub("", text))
    if len(text) > MAX_TOC_ENTRY or key in seen:
        return False  # a repeated entry is the body's own heading: the contents are over
    if heading_rank(text) is None and not _TOC_LEADER.search(text):
        return False
    seen.add(key)
    return True


def assign_sections(blocks: Iterable[Block]) -> list[Block]:
    """Set `section` on every block from the numbered headings before it; returns the blocks.

    The entries of a table of contents (目录) get the section ('目录',) and open no section.
    """
    stack: list[tuple[int, str]] = []
    section: tuple[str, ...] = ()  # the path of `stack`, one tuple shared by the blocks under a heading
    out = list(blocks)
    toc: set[str] | None = None
    for block in out:
        if isinstance(block, Paragraph):
            text = block.text
            if _TOC_TITLE.match(text.replace(" ", "")):
                toc = set()
                block.section = (TOC,)
                continue
            if toc is not None and _toc_entry(text, toc):
                block.section = (TOC,)
                continue
            toc = None
            rank = heading_rank(text)
            if rank is not None:
                stack = [(r, s) for r, s in stack if r < rank]
                stack.append((rank, heading_label(text)))
                section = tuple(s for _, s in stack)
        else:
            toc = None
        block.section = section
    return out
