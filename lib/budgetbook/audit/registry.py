"""Every check of the audit, in the order they run, and the guard of figures OCR read with low confidence."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from budgetbook.audit.changes import change_checks
from budgetbook.audit.cross import cross_document_checks
from budgetbook.audit.duplicates import duplicate_checks, scoped_checks
from budgetbook.audit.figures import numbering_row_keys, with_groups
from budgetbook.audit.form import form_checks
from budgetbook.audit.model import Finding, Tolerance
from budgetbook.audit.sangong import sangong_table_checks
from budgetbook.audit.scores import score_checks
from budgetbook.audit.shares import share_checks, share_total_checks
from budgetbook.audit.sums import sum_checks
from budgetbook.audit.tables import blank_total_checks, cells_by_table, table_checks
from budgetbook.audit.text import text_checks


def run_checks(frames: dict[str, pd.DataFrame], tol: Tolerance | None = None) -> list[Finding]:
    """Every finding for the documents in `frames`."""
    tol = tol or Tolerance.default()
    cells = frames.get("table_cells")
    # the cells' checks first: each table's cells (`cells_by_table`, read once for all of them) are let go
    # of before the facts are read
    by_table = cells_by_table(cells) if cells is not None and not cells.empty else {}
    numbering = numbering_row_keys(by_table) if by_table else None
    table_findings = []
    if "table_cells" in frames and "tables" in frames:
        table_findings.extend(blank_total_checks(frames["tables"], frames["table_cells"]))
        table_findings.extend(table_checks(frames["tables"], frames["table_cells"], by_table))
    form_findings = list(form_checks(frames, by_table))
    del by_table
    facts = with_groups(frames["facts"], frames.get("paragraphs"), numbering)
    findings = [
        *sum_checks(facts, tol),
        *share_checks(facts, tol),
        *share_total_checks(facts, tol),
        *change_checks(facts, tol),
        *duplicate_checks(facts, tol),
        *sangong_table_checks(facts, tol),
        *scoped_checks(facts, tol),
        *cross_document_checks(facts, frames["documents"], tol),
        *score_checks(frames["indicators"], facts),
    ]
    if "paragraphs" in frames:
        findings.extend(text_checks({**frames, "facts": facts}))
    findings.extend([*table_findings, *form_findings])
    return ocr_guard(findings, facts)


LOW_CONFIDENCE = 0.9  # a figure OCR read with less confidence than this may be misread


def ocr_guard(findings: list[Finding], facts: pd.DataFrame) -> list[Finding]:
    """An error that rests on a figure OCR read with low confidence is only a warning."""
    if "confidence" not in facts:
        return findings
    low = facts[facts.confidence.lt(LOW_CONFIDENCE).fillna(False)]
    places = set(low.doc_id.astype(str) + " " + low.location.astype(str))
    if not places:
        return findings
    return [
        replace(f, severity="warning", message=f"{f.message}（涉及OCR低置信度数字，可能是识别错误）")
        if f.severity == "error" and places & set(f.location.split(" ‖ "))
        else f
        for f in findings
    ]
