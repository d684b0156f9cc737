"""The audit: does each disclosure add up, and does it agree with itself and its siblings?

Checks run on the tidy frames (so `budgetbook check` can re-run them alone). Rules and
tolerances are data (`data/checks.toml`). Each finding names every figure involved with its
evidence and location. A difference within the tolerance — or within the rounding of the
figures as printed (13434万元 against 134,339,860元) — is info and counts as passed.

- parts against their total, within one paragraph or one table (`sums`);
- stated shares (占X%) against the share the stated figures give (`shares`);
- a stated change against its rate and against the stated earlier figure (`changes`);
- one measure stated twice in a document with different values (`duplicates`, `sangong`);
- across a department's documents: a budget's implied earlier figure against that year's
  documents, and budget against actual (`cross`);
- self-evaluations: 得分 not above 分值, indicator scores adding up to the total score (`scores`);
- the standard tables' own arithmetic on their printed cells (`tables`), wording (`text`), the
  目录 and empty tables (`form`), and the items each kind of document must contain (`completeness`).

`model` is the bottom (a finding, the tolerance, rows and the words of a message), `figures` the
facts as the checks read them (`with_groups`), `registry` runs every check in order.
"""

from budgetbook.audit.changes import change_checks
from budgetbook.audit.completeness import completeness
from budgetbook.audit.cross import cross_document_checks
from budgetbook.audit.duplicates import scoped_checks
from budgetbook.audit.figures import with_groups
from budgetbook.audit.form import empty_table_checks, standard_table, toc_checks, toc_entries
from budgetbook.audit.grade import LOW_CONFIDENCE, grade
from budgetbook.audit.model import Finding, Tolerance, fmt
from budgetbook.audit.registry import run_checks
from budgetbook.audit.sangong import sangong_table_checks
from budgetbook.audit.tables import blocks, children_of, codes_of, grids, table_checks
from budgetbook.audit.text import (
    comparison_checks,
    direction_checks,
    direction_pairs,
    heading_year_checks,
    headings,
    placeholder_checks,
    unit_name_checks,
    year_checks,
)

__all__ = [
    "LOW_CONFIDENCE",
    "Finding",
    "Tolerance",
    "blocks",
    "change_checks",
    "children_of",
    "codes_of",
    "comparison_checks",
    "completeness",
    "cross_document_checks",
    "direction_checks",
    "direction_pairs",
    "empty_table_checks",
    "fmt",
    "grade",
    "grids",
    "heading_year_checks",
    "headings",
    "placeholder_checks",
    "run_checks",
    "sangong_table_checks",
    "scoped_checks",
    "standard_table",
    "table_checks",
    "toc_checks",
    "toc_entries",
    "unit_name_checks",
    "with_groups",
    "year_checks",
]
