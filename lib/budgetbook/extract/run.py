"""Everything extraction finds in one read document."""

from __future__ import annotations

from dataclasses import dataclass, field

from budgetbook.document import Document, Paragraph
from budgetbook.extract.facts import Fact
from budgetbook.extract.identity import Identity, identify
from budgetbook.extract.indicators import indicator_rows
from budgetbook.extract.prose import Context, extract_paragraph, figures, scope_of
from budgetbook.extract.tables import read_table
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
    for table_id, table in enumerate(doc.tables, start=1):
        table_facts, table_cells = read_table(table, table_id, identity.fiscal_year, identity.doc_kind)
        facts.extend(table_facts)
        cells.extend(table_cells)
        indicators.extend({**row, "location": f"t{table_id} {row['location']}"} for row in indicator_rows(table))
    return Extraction(identity, facts, indicators, cells)


def prose_facts(doc: Document, identity: Identity) -> list[Fact]:
    facts: list[Fact] = []
    lead, heading = "", ""
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            ctx = Context(identity.fiscal_year, identity.doc_kind, " / ".join(block.section), str(block.location))
            ctx.lead_scope, ctx.lead_heading = lead, heading
            facts.extend(extract_paragraph(block.text, ctx))
            # a heading standing alone ("（二）公务接待费") names the figures of the paragraph after it
            alone = heading_rank(block.text) is not None and len(block.text) <= MAX_HEADING and not figures(block.text)
            heading = block.text if alone else ""
            # "财政拨款支出主要内容如下：" announces the scope of the list that follows
            lead = (
                scope_of(block.text)
                if block.text.endswith(("：", ":"))
                else ("" if heading_rank(block.text) is not None else lead)
            )
    return facts
