"""The tidy frames (see shared spec `tidy-schema.md`) built from read documents."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from budgetbook import collector
from budgetbook.document import Document, Paragraph, Table
from budgetbook.extract.run import Extraction

SCHEMAS: dict[str, dict[str, str]] = {
    "documents": {
        "doc_id": "string",
        "source_file": "string",
        "format": "string",
        "encoding": "string",
        "pages": "Int64",
        "sha256": "string",
        "paragraphs": "Int64",
        "tables": "Int64",
        "department": "string",
        "region": "string",
        "province": "string",
        "level": "string",
        "fiscal_year": "Int64",
        "doc_kind": "string",
        "title": "string",
    },
    "paragraphs": {
        "doc_id": "string",
        "block": "Int64",
        "section": "string",
        "text": "string",
        "raw": "string",
        "page": "Int64",
        "line": "Int64",
        "location": "string",
    },
    "tables": {
        "doc_id": "string",
        "table_id": "Int64",
        "block": "Int64",
        "title": "string",
        "unit": "string",
        "caption": "string",
        "section": "string",
        "n_rows": "Int64",
        "n_cols": "Int64",
        "pages": "string",
        "location": "string",
    },
    "table_cells": {
        "doc_id": "string",
        "table_id": "Int64",
        "row": "Int64",
        "col": "Int64",
        "text": "string",
        "page": "Int64",
        "line": "Int64",
        # the identity of a numeric cell of a standard table (blank for other cells)
        "value": "float64",
        "measure": "string",
        "item": "string",
        "year": "Int64",
        "basis": "string",
        "scope": "string",
        "entity": "string",
        "row_label": "string",
        "row_code": "string",
        "row_level": "string",
        "table_kind": "string",
        "column": "string",
        "change": "boolean",
    },
    "facts": {
        "doc_id": "string",
        "measure": "string",
        "item": "string",
        "year": "Int64",
        "basis": "string",
        "value": "float64",
        "unit": "string",
        "evidence": "string",
        "location": "string",
        "source": "string",
        "precision": "float64",
        "of": "string",
        "scope": "string",
        "entity": "string",
        "row_code": "string",
        "row_level": "string",
        "table_kind": "string",
        "column": "string",
        "confidence": "float64",
    },
    "indicators": {
        "doc_id": "string",
        "project": "string",
        "level1": "string",
        "level2": "string",
        "level3": "string",
        "description": "string",
        "target": "string",
        "actual": "string",
        "weight": "string",
        "score": "string",
        "location": "string",
    },
    "checks": {
        "doc_id": "string",
        "department": "string",
        "check": "string",
        "severity": "string",
        "passed": "boolean",
        "expected": "float64",
        "actual": "float64",
        "difference": "float64",
        "message": "string",
        "evidence": "string",
        "location": "string",
        "grade": "string",
        "why": "string",
    },
    "audit_ledger": {
        "doc_id": "string",
        "department": "string",
        "doc_kind": "string",
        "obligation": "string",
        "group": "string",
        "name": "string",
        "status": "string",
        "findings": "Int64",
        "detail": "string",
        "version": "string",
    },
    "completeness": {
        "doc_id": "string",
        "department": "string",
        "doc_kind": "string",
        "item": "string",
        "status": "string",
        "where": "string",
        "score": "float64",
    },
    "duplicates": {
        "doc_id": "string",
        "source_file": "string",
        "sha256": "string",
        "duplicate_of": "string",
        "duplicate_of_file": "string",
    },
    "problems": {
        "doc_id": "string",
        "source_file": "string",
        "stage": "string",
        "severity": "string",
        "message": "string",
    },
}
SECTION_SEP = " / "

# The frames' Arrow buffers from the C library's allocator, which reuses what a large document's objects
# let go of as its frames are made; pyarrow's default (mimalloc) keeps its own pages (10 MB dense
# document: peak 466 -> 400 MB).
pa.set_memory_pool(pa.system_memory_pool())


@dataclass(frozen=True)
class Problem:
    """One thing that went wrong with one file, in words a user can act on."""

    doc_id: str
    source_file: str
    stage: str
    severity: str  # error: the document was not read; warning: read, but incomplete
    message: str


def typed(name: str, records: Iterable[dict]) -> pd.DataFrame:
    """A frame with exactly the columns and dtypes of schema `name` (a column a record lacks is missing)."""
    schema = SCHEMAS[name]
    blocks = [_arrays(block, schema) for block in _blocks(records)] or [_arrays([], schema)]
    return pd.DataFrame({column: _joined([block[column] for block in blocks]) for column in schema})


TYPED_BLOCK = 50_000  # records turned into arrays at a time: a large document's columns are never all lists


def _blocks(records: Iterable[dict]) -> Iterator[Iterator[dict]]:
    """`records` in blocks of TYPED_BLOCK, each to be read through before the next is asked for."""
    it = iter(records)
    for first in it:
        yield itertools.chain([first], itertools.islice(it, TYPED_BLOCK - 1))


def _arrays(records: Iterable[dict], schema: dict[str, str]) -> dict:
    """The records' columns as arrays of the schema's dtypes, each list let go once its array is made."""
    columns = columns_of(records, list(schema))
    return {column: pd.array(columns.pop(column), dtype=dtype) for column, dtype in schema.items()}


def _joined(arrays: list) -> object:
    """Arrays of one dtype as one (Arrow strings as chunks, without a copy)."""
    if len(arrays) == 1:
        return arrays[0]
    return pd.concat([pd.Series(a, copy=False) for a in arrays], ignore_index=True).array


def columns_of(records: Iterable[dict], names: list[str]) -> dict[str, list]:
    """The values of the records by column, read one record at a time (a large document's records,
    cells above all, are never all held as dicts at once)."""
    columns: dict[str, list] = {name: [] for name in names}
    for record in records:
        for name, values in columns.items():
            values.append(record.get(name, np.nan))
    return columns


def document_records(doc: Document, extraction: Extraction | None) -> dict:
    identity = extraction.identity.__dict__ if extraction else {}
    return {
        "doc_id": doc.doc_id,
        "source_file": doc.source_file,
        "format": doc.format,
        "encoding": doc.encoding,
        "pages": doc.pages,
        "sha256": doc.sha256,
        "paragraphs": len(doc.paragraphs),
        "tables": len(doc.tables),
        **{k: v for k, v in identity.items() if k != "evidence"},
        "title": identity.get("evidence", ""),
    }


def paragraph_records(doc: Document, drain: bool = False) -> Iterator[dict]:
    """Every paragraph, one record at a time (`drain`: the document's blocks let go of as they are read)."""
    for i, b in enumerate((drained if drain else iter)(doc.blocks)):
        if isinstance(b, Paragraph):
            yield {
                "doc_id": doc.doc_id,
                "block": i,
                "section": SECTION_SEP.join(b.section),
                "text": b.text,
                "raw": b.raw,
                "page": b.location.page,
                "line": b.location.line,
                "location": str(b.location),
            }


def table_records(doc: Document) -> list[dict]:
    tables = [(i, b) for i, b in enumerate(doc.blocks) if isinstance(b, Table)]
    return [
        {
            "doc_id": doc.doc_id,
            "table_id": table_id,
            "block": block,
            "title": t.title,
            "unit": t.unit,
            "caption": "\n".join(t.caption),
            "section": SECTION_SEP.join(t.section),
            "n_rows": len(t.rows),
            "n_cols": t.n_cols,
            "pages": ",".join(map(str, t.pages)),
            "location": str(t.location),
        }
        for table_id, (block, t) in enumerate(tables, start=1)
    ]


def cell_records(doc: Document, extraction: Extraction | None = None, drain: bool = False) -> Iterator[dict]:
    """Every cell as printed; numeric cells of standard tables with what they were read as (`drain`:
    the extraction's read cells let go of as they are used)."""
    cells = (drained if drain else iter)(extraction.cells if extraction else [])
    read = {(c.table_id, c.row, c.col): c for c in cells}
    for table_id, table in enumerate(doc.tables, start=1):
        for r, row in enumerate(table.rows):
            loc = table.row_locations[r] if r < len(table.row_locations) else table.location
            for c, text in enumerate(row):
                yield {
                    "doc_id": doc.doc_id,
                    "table_id": table_id,
                    "row": r,
                    "col": c,
                    "text": text,
                    "page": loc.page,
                    "line": loc.line,
                    **(found.fields() if (found := read.pop((table_id, r, c), None)) else {}),
                }


def audit_frames(
    frames: dict[str, pd.DataFrame], tolerance=None, cross: bool | None = False
) -> dict[str, pd.DataFrame]:
    """The `checks`, `completeness` and `audit_ledger` frames computed from the extraction frames, and the
    `problems` with the reading problems the audit found (a table it could not read) in place of earlier ones.
    `cross`: the ledger's obligations across documents too (None: `frames` hold a whole run), or not (False:
    one document's frames; the run adds them, see `pipeline.cross_document_frame`)."""
    from budgetbook.audit import completeness, run_checks
    from budgetbook.audit.grade import problems_of
    from budgetbook.audit.ledger import ledger

    documents = frames["documents"]
    departments = dict(zip(documents.doc_id, documents.department, strict=True))
    found = run_checks(frames, tolerance)
    checks = typed("checks", ({**f.record(), "department": departments.get(f.doc_id, "")} for f in found))
    complete = typed("completeness", completeness(frames).to_dict("records"))
    out = {
        "checks": checks,
        "completeness": complete,
        "audit_ledger": typed("audit_ledger", ledger(frames, checks, complete, cross=None if cross is None else False)),
    }
    if "problems" in frames:
        files = dict(zip(documents.doc_id, documents.source_file, strict=True))
        earlier = frames["problems"].loc[lambda p: p.stage != "audit"]
        out["problems"] = pd.concat([earlier, typed("problems", problems_of(found, files))], ignore_index=True)
    return out


def problem_records(problems: Iterable[Problem]) -> list[dict]:
    return [p.__dict__ for p in problems]


def build_frames(
    docs: list[Document], extractions: dict[str, Extraction], problems: list[Problem], cross: bool | None = None
) -> dict[str, pd.DataFrame]:
    """All frames of a run (`cross`: as `audit_frames` takes it; False for one document of a larger run)."""
    frames = extraction_frames(docs, extractions, problems)
    frames.update(audit_frames(frames, cross=cross))
    return frames


def extraction_frames(
    docs: list[Document], extractions: dict[str, Extraction], problems: list[Problem], drain: bool = False
) -> dict[str, pd.DataFrame]:
    """The frames of a run but its audit (`audit_frames`: computed from these alone). `drain`: each
    extraction's facts, indicators and read cells, then each document's blocks, are let go of as their
    frames are made, leaving them empty (for a worker's copy, cached already: a large document's
    objects and its frames are not all held at once)."""
    take = drained if drain else iter
    found = [(d.doc_id, extractions[d.doc_id]) for d in docs if d.doc_id in extractions]
    made = _made_giving_back if drain else typed
    frames = {
        "documents": typed("documents", (document_records(d, extractions.get(d.doc_id)) for d in docs)),
        "facts": made("facts", (f.record(doc_id) for doc_id, x in found for f in take(x.facts))),
        "indicators": made("indicators", ({"doc_id": doc_id, **i} for doc_id, x in found for i in take(x.indicators))),
        "tables": typed("tables", (r for d in docs for r in table_records(d))),
        "table_cells": made(
            "table_cells", (r for d in docs for r in cell_records(d, extractions.get(d.doc_id), drain))
        ),
        "paragraphs": made("paragraphs", (r for d in docs for r in paragraph_records(d, drain))),
        "problems": typed("problems", problem_records(problems)),
    }
    return {name: frames[name] for name in EXTRACTION_FRAMES}


def _made_giving_back(name: str, records: Iterable[dict]) -> pd.DataFrame:
    """`typed`, the memory of the objects drained into it then given back to the system: the next frame's
    Arrow buffers do not reuse it (a 50 MB document's frames peaked ~100 MB higher without)."""
    frame = typed(name, records)
    collector.give_back_memory()
    return frame


# The frames `extraction_frames` gives, in their order (the paragraphs are made last: they may drain the blocks).
EXTRACTION_FRAMES = ("documents", "facts", "indicators", "paragraphs", "tables", "table_cells", "problems")
AUDIT_FRAMES = ("checks", "completeness", "audit_ledger")  # what `audit_frames` makes (and the problems it adds)


def drained(items: list) -> Iterator:
    """The items of a list, first to last, each let go of as it is given (the list is left empty)."""
    items.reverse()
    while items:
        yield items.pop()
