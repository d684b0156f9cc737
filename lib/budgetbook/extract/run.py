"""Everything extraction finds in one read document."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from budgetbook.document import Block, Document, Paragraph
from budgetbook.extract.facts import Fact
from budgetbook.extract.identity import Identity, identify
from budgetbook.extract.indicators import indicator_rows
from budgetbook.extract.prose import Context, extract_paragraph, figures, scope_of
from budgetbook.extract.tables import table_facts
from budgetbook.outline import heading_rank

MAX_HEADING = 30


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
        facts.extend(ocr_marked(table_facts(table, table_id, identity.fiscal_year, identity.doc_kind), table))
        indicators.extend({**row, "location": f"t{table_id} {row['location']}"} for row in indicator_rows(table))
    return Extraction(identity, facts, indicators)


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
    lead, heading = "", ""
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            ctx = Context(identity.fiscal_year, identity.doc_kind, " / ".join(block.section), str(block.location))
            ctx.lead_scope, ctx.lead_heading = lead, heading
            facts.extend(ocr_marked(extract_paragraph(block.text, ctx), block))
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
