"""Everything extraction finds in one read document."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from budgetbook.document import Document, Paragraph, Table
from budgetbook.extract.facts import Fact
from budgetbook.extract.identity import Identity, identify
from budgetbook.extract.indicators import indicator_rows
from budgetbook.extract.prose import Context, extract_paragraph, figures, scope_of
from budgetbook.extract.tables import read_table, table_kind
from budgetbook.outline import heading_rank

MAX_HEADING = 30


@dataclass
class Extraction:
    identity: Identity
    facts: list[Fact] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    cells: list[dict] = field(default_factory=list)  # every numeric cell of the standard tables, with its identity


def extract_document(doc: Document) -> Extraction:
    """Identity, facts and indicators of a document."""
    identity = identify(doc)
    facts = prose_facts(doc, identity)
    indicators, cells = [], []
    for table_id, (table, unit) in enumerate(zip(doc.tables, units_in_force(doc.tables), strict=True), start=1):
        read = replace(table, unit=unit) if unit != table.unit else table
        table_facts, table_cells = read_table(read, table_id, identity.fiscal_year, identity.doc_kind)
        facts.extend(table_facts)
        cells.extend(table_cells)
        indicators.extend({**row, "location": f"t{table_id} {row['location']}"} for row in indicator_rows(table))
    return Extraction(identity, facts, indicators, cells)


def prose_facts(doc: Document, identity: Identity) -> list[Fact]:
    facts: list[Fact] = []
    lead = _Lead()
    heading = ""
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            ctx = Context(identity.fiscal_year, identity.doc_kind, " / ".join(block.section), str(block.location))
            rank = heading_rank(block.text)
            ctx.lead_scope = lead.scope_for(rank) or section_scope(block.section)
            ctx.lead_heading = heading
            facts.extend(extract_paragraph(block.text, ctx))
            # a heading standing alone ("（二）公务接待费") names the figures of the paragraph after it
            alone = rank is not None and len(block.text) <= MAX_HEADING and not figures(block.text)
            heading = block.text if alone else ""
            # "财政拨款支出主要内容如下：" announces the scope of the list that follows
            lead.after(block.text, rank)
    return facts


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
