"""Outline numbering of disclosure prose: 第一部分 / 一、 / （一） / 1、 1. / （1） / ①.

Each numbering style has a fixed rank; a paragraph that opens with a number is a heading
(or a numbered item) and the section path of every paragraph is the stack of the headings
above it, the way a reader of the printed document sees it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from budgetbook.document import Block, Paragraph, Table

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


def assign_sections(blocks: Iterable[Block]) -> list[Block]:
    """Set `section` on every block from the numbered headings before it; returns the blocks."""
    stack: list[tuple[int, str]] = []
    out = list(blocks)
    for block in out:
        if isinstance(block, Paragraph):
            rank = heading_rank(block.text)
            if rank is not None:
                stack = [(r, s) for r, s in stack if r < rank]
                stack.append((rank, heading_label(block.text)))
        if isinstance(block, Paragraph | Table):
            block.section = tuple(s for _, s in stack)
    return out
