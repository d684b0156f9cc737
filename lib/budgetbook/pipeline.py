"""The extraction run: find documents, read the new or changed ones (in parallel), write the frames.

Every document's own frames (its audit included) are cached by content (see `cache`), so a
rerun reads only new or changed files; the frames of the run are then assembled document by
document from the cache into a new generation (see `storage`), so memory does not grow with
the number of documents. Identical files are read once and listed in `duplicates`.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from budgetbook import collector, engine
from budgetbook.audit import Tolerance, cross_document_checks, grade, with_groups
from budgetbook.audit.ledger import ledger
from budgetbook.cache import Cache, Entry, Packed, encode, file_key, pack, problems_of, relabel, unpack
from budgetbook.document import Document
from budgetbook.extract.identity import load_gazetteer
from budgetbook.extract.run import Extraction, extract_document
from budgetbook.frames import SCHEMAS, Problem, audit_frames, build_frames, extraction_frames, typed
from budgetbook.limits import LimitExceeded, document_limits
from budgetbook.readers import ReadError, read_document
from budgetbook.storage import Generation, read_frame

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
    """What a run gave; `documents`, `extractions` and `frames` load from disk when used."""

    documents: Sequence[Document] = field(default_factory=list)
    extractions: Mapping[str, Extraction] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    frames: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    read: list[str] = field(default_factory=list)  # doc_ids read in this run (the others came from the cache)
    from_cache: int = 0  # documents taken from the cache
    duplicates: int = 0  # files with the content of another, read once

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

    load_gazetteer()  # once per process, outside the document's limits: its loading peak comes before the document's
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
        with collector.paused():
            extraction = extract_document(doc)
    except MemoryError:
        raise
    except Exception as exc:  # keep the read document even if an extractor fails on it
        return doc, None, [*problems, problem("extract", "error", f"extraction failed: {type(exc).__name__}: {exc}")]
    if not extraction.facts and not extraction.indicators:
        problems.append(problem("extract", "warning", f"no figures found ({extraction.identity.doc_kind} document)"))
    return doc, extraction, problems


# Frames each document gives on its own (its audit included); `duplicates` and the
# cross-document checks are assembled for the whole run.
DOCUMENT_FRAMES = (
    "documents",
    "paragraphs",
    "tables",
    "table_cells",
    "facts",
    "indicators",
    "problems",
    "checks",
    "completeness",
    "audit_ledger",
)


def document_frames(doc: Document | None, extraction: Extraction | None, problems: list[Problem]) -> dict:
    """The frames of one document: its rows of every frame and its own audit (checks, completeness)."""
    if doc is None:
        frames = {name: typed(name, []) for name in DOCUMENT_FRAMES}
        frames["problems"] = typed("problems", (p.__dict__ for p in problems))
        return frames
    extractions = {doc.doc_id: extraction} if extraction is not None else {}
    return build_frames([doc], extractions, problems, cross=False)


def read_entry(source: Source) -> Entry:
    """The unit of work sent to a worker: read one file (`read_one`) and make its frames. The read
    document is encoded for the cache first, then let go of part by part as its frames are made: a
    large document's blocks and figures need not stay beside its frames and the audit's work."""
    collector.large_blocks_unmapped()  # the frames' and the audit's buffers given back when freed (see `collector`)
    doc, extraction, problems = read_one(source)
    if doc is None:
        return Entry(document_frames(None, extraction, problems), None, 0)
    with collector.paused(), tempfile.TemporaryFile() as copy:  # see `collector`
        copy.write(encode(doc, extraction))  # the cache's copy waits on disk while the frames are made
        entry = Entry({}, None, doc.pages or 0)
        extractions = {doc.doc_id: extraction} if extraction is not None else {}
        entry.frames.update(extraction_frames([doc], extractions, problems, drain=True))
        del doc, extraction, extractions
        collector.give_back_memory()  # the document's, before the audit's working set (see `collector`)
        entry.frames.update(audit_frames(entry.frames))
        copy.seek(0)
        entry.document = copy.read()
    return entry


def read_packed(source: Source) -> Packed:
    """`read_entry`, its frames packed as the cache keeps them: what a worker sends back (see `Packed`)."""
    return pack(read_entry(source))


def failed_entry(source: Source, exc: BaseException) -> Entry:
    """The entry of a document whose worker died or raised: one problem row naming it."""
    reason = str(exc).strip() or type(exc).__name__
    message = f"{source.source_file}: reader crashed: {type(exc).__name__}: {reason}"
    problem = Problem(source.doc_id, source.source_file, "read", "error", message)
    return Entry(document_frames(None, None, [problem]), None)


def read_all(sources: list[Source], jobs: int = 1, progress: bool = True) -> Iterator[tuple[Source, tuple]]:
    """Yield (source, read_one result) for every source, in completion order (no cache, nothing written)."""
    bar = tqdm(total=len(sources), desc="reading", unit="doc", file=sys.stderr, disable=not progress)
    with bar:
        for source, result in engine.run_all(read_one, sources, jobs):
            if isinstance(result, BaseException):
                result = None, None, list(problems_of(failed_entry(source, result).frames["problems"]))
            yield source, result
            bar.update()


@dataclass(frozen=True)
class Planned:
    """A source in the run: its cache key, and the source it duplicates (if it does)."""

    source: Source
    key: str | None  # None: the file could not even be hashed (read_one will say why)
    original: Source | None = None


def plan(sources: list[Source]) -> list[Planned]:
    """Every source with its cache key; a file with the content of an earlier one is its duplicate."""
    first: dict[str, Source] = {}
    planned = []
    for source in sources:
        try:
            key = file_key(source.path)
        except OSError:
            planned.append(Planned(source, None))
            continue
        sha = key[:64]
        planned.append(Planned(source, key, first.get(sha)))
        first.setdefault(sha, source)
    return planned


def extract(
    raw: Path,
    out: Path,
    jobs: int = 1,
    progress: bool = True,
    force: bool = False,
    scheduler: str | None = None,
) -> RunResult:
    """Read every new or changed document under `raw` and write a new generation of frames to `out`.

    `force` reads every document again; `scheduler` sends the reading to a Dask cluster
    (an address, or `local` for a LocalCluster of `jobs` workers) instead of the process pool.
    """
    planned = plan(discover(raw))
    cache = Cache(out)
    unique = [p for p in planned if p.original is None]
    todo = [p for p in unique if force or p.key is None or not cache.has(p.key)]
    failed, read = read_into_cache(todo, cache, jobs, scheduler, progress, initial=len(unique) - len(todo))
    collector.give_back_memory()  # what reading freed, before the frames are read back (see `collector`)
    collector.large_blocks_unmapped()
    folder = assemble(planned, cache, failed, out)
    cache.prune({p.key for p in unique if p.key is not None and p.source.doc_id not in failed})
    read_ok = [p for p in unique if p.key and p.source.doc_id not in failed and cache.has_document(p.key)]
    return RunResult(
        documents=CachedDocuments(cache, read_ok),
        extractions=CachedExtractions(cache, read_ok),
        problems=list(problems_of(read_frame(folder, "problems"))),
        frames=FrameSet(folder),
        read=read,
        from_cache=len(unique) - len(todo),
        duplicates=sum(p.original is not None for p in planned),
    )


def read_into_cache(
    todo: list[Planned], cache: Cache, jobs: int, scheduler: str | None, progress: bool, initial: int = 0
) -> tuple[dict[str, Entry], list[str]]:
    """Read the documents `todo`, each put in the cache as it comes; returns the entries of those that
    failed (by doc_id) and the doc_ids read. An entry is let go of once cached (a large document's
    frames are not held while the run's frames are assembled from the cache)."""
    failed: dict[str, Entry] = {}
    read: list[str] = []
    by_source = {p.source: p for p in todo}
    total = initial + len(todo)
    bar = tqdm(total=total, initial=initial, desc="reading", unit="doc", file=sys.stderr, disable=not progress)
    pages = 0
    with bar:
        for source, result in engine.run_all(read_packed, [p.source for p in todo], jobs, scheduler):
            key = by_source[source].key
            if isinstance(result, BaseException) or key is None:
                failed[source.doc_id] = unpack(result) if isinstance(result, Packed) else failed_entry(source, result)
            else:
                cache.put(key, result)  # kept even if the run stops before the end
                pages += result.pages
            read.append(source.doc_id)
            bar.set_postfix(pages=pages, refresh=False)
            bar.update()
    return failed, read


def entry_frames(cache: Cache, item: Planned, failed: dict[str, Entry]) -> dict[str, pd.DataFrame]:
    """The frames of one document, from this run's failures or from the cache (renamed if need be)."""
    if item.source.doc_id in failed:
        return failed[item.source.doc_id].frames
    frames = {name: cache.frame(item.key, name) for name in DOCUMENT_FRAMES}
    named = frames["documents"] if not frames["documents"].empty else frames["problems"]
    if named.empty:
        return frames
    doc_id, source_file = named.doc_id.iloc[0], named.source_file.iloc[0]
    if (doc_id, source_file) == (item.source.doc_id, item.source.source_file):
        return frames
    frames = {n: relabel(f, item.source.doc_id, item.source.source_file, source_file) for n, f in frames.items()}
    if doc_id != item.source.doc_id:  # the audit names the document in its evidence: redo it
        frames.update(audit_frames_of(frames))
    return frames


def assemble(planned: list[Planned], cache: Cache, failed: dict[str, Entry], out: Path) -> Path:
    """Write the run's frames as a new generation, one document at a time; returns its folder."""
    documents, facts, copies = [], [], []
    with Generation(out) as gen:
        writers = {name: gen.writer(name, typed(name, [])) for name in DOCUMENT_FRAMES}
        for item in planned:
            if item.original is not None:
                copies.append(item)
                writers["problems"].append(typed("problems", [duplicate_problem(item)]))
                continue
            frames = entry_frames(cache, item, failed)
            for name, frame in frames.items():
                writers[name].append(frame)
            documents.append(frames["documents"])
            facts.append(frames["facts"])
        cross, cross_ledger = cross_document_frame(documents, facts)
        writers["checks"].append(cross)
        writers["audit_ledger"].append(cross_ledger)
        gen.write("duplicates", duplicates_frame(copies))
        return gen.commit()


def audit_frames_of(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    from budgetbook.frames import audit_frames

    return audit_frames(frames) if not frames["documents"].empty else {}


def cross_document_frame(documents: list[pd.DataFrame], facts: list[pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The checks across a department's documents (the only part of the audit that needs them all), graded,
    and the rows of the ledger's cross-document obligations."""
    docs = pd.concat(documents, ignore_index=True) if documents else typed("documents", [])
    found = pd.concat(facts, ignore_index=True) if facts else typed("facts", [])
    if docs.empty:
        return typed("checks", []), typed("audit_ledger", [])
    departments = dict(zip(docs.doc_id, docs.department, strict=True))
    findings = grade(list(cross_document_checks(with_groups(found), docs, Tolerance.default())), found)
    checks = typed("checks", ({**f.record(), "department": departments.get(f.doc_id, "")} for f in findings))
    rows = ledger({"documents": docs, "facts": found}, checks, typed("completeness", []), cross=True)
    return checks, typed("audit_ledger", rows)


def duplicate_problem(item: Planned) -> dict:
    original = item.original
    return {
        "doc_id": item.source.doc_id,
        "source_file": item.source.source_file,
        "stage": "duplicate",
        "severity": "warning",
        "message": f"{item.source.source_file}: the same file as {original.source_file} (identical content); "
        f"read once, as {original.doc_id}",
    }


def duplicates_frame(copies: list[Planned]) -> pd.DataFrame:
    return typed(
        "duplicates",
        (
            {
                "doc_id": c.source.doc_id,
                "source_file": c.source.source_file,
                "sha256": c.key[:64],
                "duplicate_of": c.original.doc_id,
                "duplicate_of_file": c.original.source_file,
            }
            for c in copies
        ),
    )


class CachedDocuments(Sequence):
    """The documents of a run, each read back from the cache when asked for."""

    def __init__(self, cache: Cache, items: list[Planned]) -> None:
        self.cache, self.items = cache, items

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return self.load(self.items[i])[0]

    def load(self, item: Planned) -> tuple[Document, Extraction | None]:
        doc, extraction = self.cache.document(item.key)
        doc.doc_id, doc.source_file = item.source.doc_id, item.source.source_file
        return doc, extraction


class CachedExtractions(Mapping):
    """doc_id → Extraction of a run, read back from the cache when asked for."""

    def __init__(self, cache: Cache, items: list[Planned]) -> None:
        self.docs = CachedDocuments(cache, items)
        self.items = {p.source.doc_id: p for p in items}

    def __getitem__(self, doc_id: str) -> Extraction:
        extraction = self.docs.load(self.items[doc_id])[1]
        if extraction is None:
            raise KeyError(doc_id)
        return extraction

    def __iter__(self) -> Iterator[str]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class FrameSet(Mapping):
    """The frames of one generation, each loaded when asked for."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in SCHEMAS or not (self.folder / f"{name}.parquet").exists():
            raise KeyError(name)
        return read_frame(self.folder, name)

    def __iter__(self) -> Iterator[str]:
        return (n for n in SCHEMAS if (self.folder / f"{n}.parquet").exists())

    def __len__(self) -> int:
        return sum(1 for _ in self)
