"""The extraction run: find documents, read them (in parallel), write the tidy frames."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from budgetbook.document import Document
from budgetbook.extract.run import Extraction, extract_document
from budgetbook.frames import Problem, build_frames
from budgetbook.readers import ReadError, read_document
from budgetbook.storage import write_frames

_SKIP_PREFIXES = (".", "~$", "__")
# Files kept beside a collection that are not documents: manifests, notes, checksums.
METADATA_SUFFIXES = frozenset({".md", ".tsv", ".csv", ".json", ".yaml", ".yml", ".ini", ".log", ".sha256"})


@dataclass(frozen=True)
class Source:
    """One input file: where it is, its path relative to the raw folder, and its doc_id."""

    path: Path
    source_file: str
    doc_id: str


@dataclass
class RunResult:
    documents: list[Document] = field(default_factory=list)
    extractions: dict[str, Extraction] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def failed(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def is_candidate(path: Path, raw: Path) -> bool:
    """A file to read: not hidden, not an Office lock file, not collection metadata."""
    hidden = any(part.startswith(_SKIP_PREFIXES) for part in path.relative_to(raw).parts)
    return path.is_file() and not hidden and path.suffix.lower() not in METADATA_SUFFIXES


def discover(raw: Path) -> list[Source]:
    """Every document file below `raw`, sorted, each with a unique doc_id (the file stem)."""
    files = sorted(p for p in raw.rglob("*") if is_candidate(p, raw))
    stems = [p.stem for p in files]
    sources = []
    for p in files:
        rel = p.relative_to(raw).as_posix()
        doc_id = p.stem
        if stems.count(p.stem) > 1:  # same name in two folders: keep both, distinguishably
            doc_id = f"{p.stem}_{hashlib.sha1(rel.encode()).hexdigest()[:6]}"
        sources.append(Source(p, rel, doc_id))
    return sources


def read_one(source: Source) -> tuple[Document | None, Extraction | None, list[Problem]]:
    """Read and extract one file; never raises. A file yields a document, problems, or both."""

    def problem(stage: str, severity: str, message: str) -> Problem:
        return Problem(source.doc_id, source.source_file, stage, severity, f"{source.source_file}: {message}")

    try:
        doc = read_document(source.path, source.source_file, source.doc_id)
    except ReadError as exc:
        return None, None, [problem("read", "error", str(exc))]
    except Exception as exc:  # a reader bug must not stop the other documents
        return None, None, [problem("read", "error", f"unexpected {type(exc).__name__}: {exc}")]
    problems = [problem("read", "warning", "; ".join(doc.warnings))] if doc.warnings else []
    try:
        extraction = extract_document(doc)
    except Exception as exc:  # keep the read document even if an extractor fails on it
        return doc, None, [*problems, problem("extract", "error", f"extraction failed: {type(exc).__name__}: {exc}")]
    if not extraction.facts and not extraction.indicators:
        problems.append(problem("extract", "warning", f"no figures found ({extraction.identity.doc_kind} document)"))
    return doc, extraction, problems


def read_all(sources: list[Source], jobs: int = 1, progress: bool = True) -> Iterator[tuple[Source, tuple]]:
    """Yield (source, read_one result) for every source, in completion order."""
    bar = tqdm(total=len(sources), desc="reading", unit="doc", file=sys.stderr, disable=not progress)
    with bar:
        if jobs <= 1:
            for source in sources:
                yield source, read_one(source)
                bar.update()
            return
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(read_one, s): s for s in sources}
            for future in as_completed(futures):
                source = futures[future]
                try:
                    result = future.result()
                except Exception as exc:  # the worker process itself died
                    result = (
                        None,
                        None,
                        [
                            Problem(
                                source.doc_id,
                                source.source_file,
                                "read",
                                "error",
                                f"{source.source_file}: reader crashed: {exc}",
                            )
                        ],
                    )
                yield source, result
                bar.update()


def extract(raw: Path, out: Path, jobs: int = 1, progress: bool = True) -> RunResult:
    """Read every document under `raw` and write the frames to `out`."""
    sources = discover(raw)
    order = {s.doc_id: i for i, s in enumerate(sources)}
    result = RunResult()
    for _, (doc, extraction, problems) in read_all(sources, jobs, progress):
        if doc is not None:
            result.documents.append(doc)
        if doc is not None and extraction is not None:
            result.extractions[doc.doc_id] = extraction
        result.problems.extend(problems)
    result.documents.sort(key=lambda d: order[d.doc_id])
    result.problems.sort(key=lambda p: order[p.doc_id])
    result.frames = build_frames(result.documents, result.extractions, result.problems)
    write_frames(result.frames, out)
    return result
