"""Everything extraction finds in one read document."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from budgetbook.document import Block, Document, Paragraph, Table
from budgetbook.extract.facts import Fact, ReadCell
from budgetbook.extract.identity import Identity, identify
from budgetbook.extract.indicators import funds_facts, indicator_rows
from budgetbook.extract.key_projects import KeyProjects
from budgetbook.extract.prose import Context, extract_paragraph, figures, scope_of
from budgetbook.extract.tables import read_table, table_kind
from budgetbook.outline import heading_rank
from budgetbook.text import converted, original_sentences

MAX_HEADING = 30


@dataclass
class Extraction:
    identity: Identity
    facts: list[Fact] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    cells: list[ReadCell] = field(default_factory=list)  # every numeric cell of the standard tables, with its identity


def extract_document(doc: Document) -> Extraction:
    """Identity, facts and indicators of a document."""
    identity = identify(doc)
    facts = prose_facts(doc, identity)
    indicators, cells = [], []
    for table_id, (table, unit) in enumerate(zip(doc.tables, units_in_force(doc.tables), strict=True), start=1):
        read = replace(table, unit=unit) if unit != table.unit else table
        funds = funds_facts(read, table_id, identity.fiscal_year)  # a project's self-evaluation form
        year, kind = identity.fiscal_year, identity.doc_kind
        table_facts, table_cells = (funds, []) if funds else read_table(read, table_id, year, kind)
        facts.extend(ocr_marked(table_facts, read))
        cells.extend(table_cells)
        indicators.extend({**row, "location": f"t{table_id} {row['location']}"} for row in indicator_rows(table))
    return Extraction(identity, facts, indicators, cells)


_CELL = re.compile(r"\br(\d+) c(\d+)$")


def ocr_marked(facts: list[Fact], block: Block) -> list[Fact]:
    """Facts read from OCR'd text, marked: source 'ocr' and the recogniser's confidence
    (of the paragraph, or of the table cell the figure is in)."""
    if isinstance(block, Paragraph):
        if block.confidence is None:
            return facts
        return [replace(f, source="ocr", confidence=round(block.confidence, 4)) for f in facts]
    if block.confidences is None:
        return facts
    out = []
    for f in facts:
        m = _CELL.search(f.location)
        r, c = (int(m.group(1)), int(m.group(2))) if m else (-1, -1)
        row = block.confidences[r] if 0 <= r < len(block.confidences) else []
        conf = row[c] if 0 <= c < len(row) else None
        known = [x for row in block.confidences for x in row if x is not None]
        conf = conf if conf is not None else min(known, default=None)
        out.append(replace(f, source="ocr", confidence=None if conf is None else round(conf, 4)))
    return out


def prose_facts(doc: Document, identity: Identity) -> list[Fact]:
    facts: list[Fact] = []
    lead = _Lead()
    projects = _ProjectList()
    key = KeyProjects(identity.fiscal_year, identity.doc_kind)
    heading = ""
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            ctx = Context(identity.fiscal_year, identity.doc_kind, " / ".join(block.section), str(block.location))
            rank = heading_rank(block.text)
            ctx.lead_scope = lead.scope_for(rank) or section_scope(block.section)
            ctx.lead_heading = heading
            ctx.in_list = projects.holds(rank)
            found = extract_paragraph(block.text, ctx) + key.read(block.text, block.section, str(block.location))
            facts.extend(ocr_marked(as_printed(found, block), block))
            projects.after(block.text, ctx.projects)
            # a heading standing alone ("（二）公务接待费") names the figures of the paragraph after it
            alone = rank is not None and len(block.text) <= MAX_HEADING and not figures(block.text)
            heading = block.text if alone else ""
            # "财政拨款支出主要内容如下：" announces the scope of the list that follows
            lead.after(block.text, rank)
    return one_fact_per_project(facts)


def as_printed(facts: list[Fact], block: Paragraph) -> list[Fact]:
    """A converted paragraph's facts (traditional script) quote its sentences as printed: the values are
    read from the simplified text, the evidence is the original's."""
    if not facts or not converted(block.raw):
        return facts
    printed = original_sentences(block.raw)
    return [replace(f, evidence=printed.get(f.evidence, f.evidence)) for f in facts]


def one_fact_per_project(facts: list[Fact]) -> list[Fact]:
    """A project stated twice with the same amount (in the list and again in its own paragraph) is one."""
    seen: set[tuple] = set()
    out = []
    for f in facts:
        key = (f.item, f.value, f.year, f.basis, f.scope)
        if f.measure == "project" and key in seen:
            continue
        if f.measure == "project":
            seen.add(key)
        out.append(f)
    return out


@dataclass
class _ProjectList:
    """Projects listed one numbered paragraph each after "项目支出X万元，具体包括：" (1.… 2.… / （1）… / ①…)."""

    open: bool = False
    rank: int | None = None  # the numbering of the items, once the first one is seen

    def holds(self, rank: int | None) -> bool:
        """Whether a paragraph of `rank` is an item of the open list (a paragraph of another numbering ends it)."""
        if self.open and rank is not None and self.rank in (None, rank):
            self.rank = rank
            return True
        self.open, self.rank = False, None
        return False

    def after(self, text: str, projects: bool) -> None:
        """A paragraph that reads 项目支出 and ends in "：" opens a list."""
        if projects and text.rstrip().endswith(("：", ":")):
            self.open, self.rank = True, None


@dataclass
class _Lead:
    """The scope a paragraph ending in "：" announces for the numbered items that follow it."""

    scope: str = ""
    rank: int | None = None  # the rank of the list's items, once the first one is seen
    fresh: bool = False  # announced by the paragraph just read

    def scope_for(self, rank: int | None) -> str:
        """The announced scope if a paragraph of `rank` is still in the announced list."""
        if self.fresh or rank is None:
            return self.scope
        return self.scope if self.rank is not None and rank >= self.rank else ""

    def after(self, text: str, rank: int | None) -> None:
        """Update after a paragraph: a new announcement, the list's first item, or the list's end."""
        if text.endswith(("：", ":")):
            self.scope, self.rank, self.fresh = scope_of(text), None, True
        elif self.fresh:
            self.rank, self.fresh = rank, False
        elif rank is not None and (self.rank is None or rank < self.rank):
            self.scope = ""  # a heading outside the list ends it


@lru_cache(maxsize=1 << 12)  # every paragraph of a section asks
def section_scope(section: tuple[str, ...]) -> str:
    """The fund scope a section heading declares (四、财政拨款支出预算情况 → 财政拨款)."""
    for heading in reversed(section):
        found = scope_of(heading)
        if found:
            return found
    return ""


def units_in_force(tables: list[Table]) -> list[str]:
    """Each table's money unit; a standard table printed without a unit line takes its neighbour's
    (the tables of one document share their caption layout; a unit line lost in layout is the same)."""
    units = [t.unit for t in tables]
    for i, unit in enumerate(units):
        if not unit and table_kind(tables[i].title + "".join(tables[i].caption)) is not None:
            before = next((u for u in reversed(units[:i]) if u), "")
            after = next((t.unit for t in tables[i + 1 :] if t.unit), "")
            units[i] = before or after
    return units
