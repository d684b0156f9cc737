"""Everything extraction finds in one read document."""

from __future__ import annotations

from dataclasses import dataclass, field

from budgetbook.document import Document, Paragraph
from budgetbook.extract.facts import Fact
from budgetbook.extract.identity import Identity, identify
from budgetbook.extract.indicators import indicator_rows
from budgetbook.extract.prose import Context, extract_paragraph
from budgetbook.extract.tables import table_facts


@dataclass
class Extraction:
    identity: Identity
    facts: list[Fact] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)


def extract_document(doc: Document) -> Extraction:
    """Identity, facts and indicators of a document."""
    identity = identify(doc)
    facts = prose_facts(doc, identity)
    indicators = []
    for table_id, table in enumerate(doc.tables, start=1):
        facts.extend(table_facts(table, table_id, identity.fiscal_year, identity.doc_kind))
        indicators.extend({**row, "location": f"t{table_id} {row['location']}"} for row in indicator_rows(table))
    return Extraction(identity, facts, indicators)


def prose_facts(doc: Document, identity: Identity) -> list[Fact]:
    facts: list[Fact] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            ctx = Context(identity.fiscal_year, identity.doc_kind, " / ".join(block.section), str(block.location))
            facts.extend(extract_paragraph(block.text, ctx))
    return facts
