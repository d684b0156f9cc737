"""The extraction run: find documents, read them (in parallel), write the tidy frames."""

from __future__ import annotations

import hashlib
import os
import sys
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from budgetbook.document import Document
from budgetbook.extract.run import Extraction, extract_document
from budgetbook.frames import Problem, build_frames
from budgetbook.limits import LimitExceeded, document_limits, worker_init
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
    """A file to read: a regular file inside `raw` (links leading out are not followed), not hidden,
    not an Office lock file, not collection metadata."""
    try:
        rel = path.relative_to(raw)
        inside = path.resolve().is_relative_to(raw.resolve())
        regular = path.is_file()
    except (OSError, ValueError, RuntimeError):  # a link loop, an unreadable folder
        return False
    hidden = any(part.startswith(_SKIP_PREFIXES) for part in rel.parts)
    return inside and regular and not hidden and path.suffix.lower() not in METADATA_SUFFIXES


def display_name(name: str) -> str:
    """A file name as text that is safe to store and show: names the system gives as bytes that are
    not UTF-8 are read as GB18030 (Windows archives) or else kept as \\x escapes; control characters
    are escaped too."""
    raw = os.fsencode(name)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            text = raw.decode("utf-8", "backslashreplace")
    return "".join(ch if ch.isprintable() or ch == " " else ascii(ch)[1:-1] for ch in text)


def _walk(raw: Path) -> Iterator[Path]:
    """Every file below `raw`, not descending into linked folders."""
    for folder, dirs, files in os.walk(raw, followlinks=False, onerror=lambda _: None):
        dirs.sort()
        yield from (Path(folder) / f for f in files)


def discover(raw: Path) -> list[Source]:
    """Every document file below `raw`, sorted, each with a unique doc_id (the file stem)."""
    files = sorted(p for p in _walk(raw) if is_candidate(p, raw))
    stems = Counter(display_name(p.stem) for p in files)
    sources = []
    for p in files:
        rel = p.relative_to(raw).as_posix()
        doc_id = display_name(p.stem)
        if stems[doc_id] > 1:  # same name in two folders: keep both, distinguishably
            doc_id = f"{doc_id}_{hashlib.sha1(os.fsencode(rel)).hexdigest()[:6]}"
        sources.append(Source(p, display_name(rel), doc_id))
    return sources


def read_one(source: Source) -> tuple[Document | None, Extraction | None, list[Problem]]:
    """Read and extract one file; never raises. A file yields a document, problems, or both."""

    def problem(stage: str, severity: str, message: str) -> Problem:
        return Problem(source.doc_id, source.source_file, stage, severity, f"{source.source_file}: {message}")

    try:
        with document_limits() as limits:
            return _read_and_extract(source, problem)
    except LimitExceeded as exc:
        return None, None, [problem("read", "error", str(exc))]
    except MemoryError:
        return None, None, [problem("read", "error", f"needs more than {limits.memory_mb} MB of memory; not read")]


def _read_and_extract(source: Source, problem) -> tuple[Document | None, Extraction | None, list[Problem]]:
    try:
        doc = read_document(source.path, source.source_file, source.doc_id)
    except ReadError as exc:
        return None, None, [problem("read", "error", str(exc))]
    except MemoryError:
        raise
    except Exception as exc:  # a reader bug must not stop the other documents
        return None, None, [problem("read", "error", f"unexpected {type(exc).__name__}: {exc}")]
    problems = [problem("read", "warning", "; ".join(doc.warnings))] if doc.warnings else []
    try:
        extraction = extract_document(doc)
    except MemoryError:
        raise
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
        crashed: list[Source] = []
        for source, result in _in_pool(sources, jobs):
            if result is None:
                crashed.append(source)
                continue
            yield source, result
            bar.update()
        # a dying worker breaks the whole pool: read what it left one by one, each in a fresh worker
        for source in crashed:
            results = list(_in_pool([source], 1))
            yield source, results[0][1] or _crashed(source)
            bar.update()


def _in_pool(sources: list[Source], jobs: int) -> Iterator[tuple[Source, tuple | None]]:
    """read_one in worker processes (limited, dying with this one); None for a worker that died."""
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=worker_init, initargs=(os.getpid(),))
    try:
        futures = {pool.submit(read_one, s): s for s in sources}
        for future in as_completed(futures):
            try:
                yield futures[future], future.result()
            except BrokenProcessPool:
                yield futures[future], None
            except Exception as exc:  # a result that cannot come back from the worker
                yield futures[future], _crashed(futures[future], f"reader crashed: {exc}")
        pool.shutdown()
    finally:  # Ctrl-C, a closed generator, an error: stop the queue and the running workers now
        pool.shutdown(wait=False, cancel_futures=True)
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.terminate()


def _crashed(source: Source, reason: str = "") -> tuple:
    reason = reason or "the reader's process died (over the memory limit, or a crash in a library)"
    return None, None, [Problem(source.doc_id, source.source_file, "read", "error", f"{source.source_file}: {reason}")]


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
