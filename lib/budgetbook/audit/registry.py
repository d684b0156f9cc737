"""Every check of the audit, in the order they run, each finding then graded (`audit.grade`)."""

from __future__ import annotations

import pandas as pd

from budgetbook.audit.changes import change_checks
from budgetbook.audit.cross import cross_document_checks
from budgetbook.audit.duplicates import duplicate_checks, scoped_checks
from budgetbook.audit.figures import numbering_row_keys, with_groups
from budgetbook.audit.form import form_checks
from budgetbook.audit.grade import grade
from budgetbook.audit.model import Finding, Tolerance
from budgetbook.audit.sangong import sangong_table_checks
from budgetbook.audit.scores import score_checks
from budgetbook.audit.shares import share_checks, share_total_checks
from budgetbook.audit.sums import sum_checks
from budgetbook.audit.tables import blank_total_checks, cells_by_table, table_checks
from budgetbook.audit.templates import template_checks
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
        findings.extend(template_checks(frames))
    findings.extend([*table_findings, *form_findings])
    return grade(findings, facts)
