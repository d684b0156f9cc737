"""Per-document cache: what one file gave, keyed by its content and the extractor's version.

An entry is a folder `<cache>/<version>/<key>/` holding the document's own frames (one Parquet
file each, audit included) and the read document as JSON, so that a rerun reads only new or
changed files. The key is the file's sha256 and its suffix (the suffix decides how a file that
is not what its name says is reported); the version is a hash of the package's code and
vocabularies, so any change to the extractor starts a fresh cache. Entries are written whole
(a folder renamed into place) and a killed run keeps every entry it finished.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import orjson
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from budgetbook.document import Document, Location, Paragraph, Table
from budgetbook.extract.facts import Fact, ReadCell
from budgetbook.extract.identity import Identity
from budgetbook.extract.run import Extraction
from budgetbook.frames import Problem

PACKAGE = Path(__file__).resolve().parent
CACHE_DIR = "cache"
DOCUMENT_FILE = "document.json.gz"


# Parts of the package that do not change what a document gives (reports, command line, scheduling).
NOT_EXTRACTION = frozenset({"report", "workbook.py", "cli.py", "engine.py", "paths.py"})


@cache
def extractor_version() -> str:
    """A hash of the package's reading and extraction code and vocabularies: changes whenever extraction may."""
    return code_version(NOT_EXTRACTION)


@cache
def code_version(exclude: frozenset[str] = frozenset()) -> str:
    """A hash of the package's source and vocabulary files, but those under the names in `exclude`."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        skipped = exclude.intersection(path.relative_to(PACKAGE).parts)
        if path.suffix in (".py", ".toml") and "__pycache__" not in path.parts and not skipped:
            digest.update(path.relative_to(PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def file_key(path: Path) -> str:
    """The cache key of a file: sha256 of its bytes, read in chunks, and its lower-case suffix."""
    return f"{file_sha256(path)}{path.suffix.lower()}"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclasses.dataclass
class Entry:
    """One document's results: its frames, its read document (JSON) and its problems."""

    frames: dict[str, pd.DataFrame]
    document: bytes | None  # gzip JSON of (Document, Extraction), None if the file was not read
    pages: int = 0


@dataclasses.dataclass
class Packed:
    """An entry as a worker sends it back: each frame as the bytes of its Parquet file, as the cache keeps it.
    A large document's frames, pickled, were copied whole in the worker and again in the run's process
    (a 50 MB document's worker ran out of memory); as Parquet they are written once, and smaller (the
    benchmark's 50 MB document: 10 MB, against ~450 MB pickled)."""

    parquet: dict[str, bytes]
    document: bytes | None
    pages: int = 0


def pack(entry: Entry) -> Packed:
    """`entry` with its frames as Parquet bytes, each frame let go of once written (`entry` is left without)."""
    parquet = {}
    for name in list(entry.frames):
        parquet[name] = _parquet_bytes(entry.frames.pop(name))
    return Packed(parquet, entry.document, entry.pages)


def unpack(packed: Packed) -> Entry:
    """The `Entry` that `pack` made `packed` from."""
    frames = {name: pd.read_parquet(io.BytesIO(data)) for name, data in packed.parquet.items()}
    return Entry(frames, packed.document, packed.pages)


def _parquet_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), buffer)
    return buffer.getvalue()


class Cache:
    """The cache folder of one output folder, for the current extractor version."""

    def __init__(self, out: Path, version: str | None = None) -> None:
        self.root = out / CACHE_DIR
        self.version = version or extractor_version()
        self.dir = self.root / self.version

    def path(self, key: str) -> Path:
        return self.dir / key

    def has(self, key: str) -> bool:
        return (self.path(key) / "problems.parquet").exists()

    def has_document(self, key: str) -> bool:
        """Whether the file was read (an entry without a document holds only its problem)."""
        return (self.path(key) / DOCUMENT_FILE).exists()

    def put(self, key: str, entry: Entry | Packed) -> None:
        """Write the entry whole: into a temporary folder, then renamed into place."""
        self.dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{key}.", dir=self.dir))
        try:
            packed = entry if isinstance(entry, Packed) else pack(dataclasses.replace(entry, frames=dict(entry.frames)))
            for name, data in packed.parquet.items():
                (tmp / f"{name}.parquet").write_bytes(data)
            if entry.document is not None:
                (tmp / DOCUMENT_FILE).write_bytes(entry.document)
            target = self.path(key)
            if target.exists():
                shutil.rmtree(target)
            os.replace(tmp, target)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def table(self, key: str, name: str) -> pa.Table:
        """One frame of an entry as an Arrow table."""
        return pq.read_table(self.path(key) / f"{name}.parquet")

    def frame(self, key: str, name: str) -> pd.DataFrame:
        return pd.read_parquet(self.path(key) / f"{name}.parquet")

    def document(self, key: str) -> tuple[Document, Extraction | None] | None:
        path = self.path(key) / DOCUMENT_FILE
        return decode(path.read_bytes()) if path.exists() else None

    def prune(self, keep: set[str]) -> None:
        """Drop entries of files no longer present, other versions and unfinished entries."""
        if self.root.exists():
            for version in self.root.iterdir():
                if version.name != self.version:
                    shutil.rmtree(version, ignore_errors=True)
        for path in self.dir.iterdir() if self.dir.exists() else ():
            if path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)


# --- the read document as JSON ------------------------------------------------------------

# Items serialized per orjson call: a large document's JSON is written a chunk at a time, never held whole.
CHUNK = 2048
# orjson writes dataclasses natively (their fields in order, those named with a leading underscore,
# such as a paragraph's normalised text, left out) and NumPy scalars a reader let through as their values.
_OPTIONS = orjson.OPT_SERIALIZE_NUMPY
# gzip level: half the time of level 5 on a large document, for ~15% more bytes
COMPRESSION = 3


def encode(doc: Document, extraction: Extraction | None) -> bytes:
    """(Document, Extraction) as gzip JSON, written a chunk of blocks, facts or cells at a time (a large
    document's JSON is never held as one string). No time in the gzip header: the same read gives the same bytes."""
    document = {f.name: getattr(doc, f.name) for f in dataclasses.fields(doc) if f.name != "blocks"}
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=COMPRESSION, mtime=0) as out:
        out.write(b'{"document":' + _json(document) + b',"blocks":')
        _write_list(out, doc.blocks, _block_json)
        out.write(b',"extraction":')
        _write_extraction(out, extraction)
        out.write(b"}")
    return buffer.getvalue()


# The standard library's JSON of a text: orjson keeps a UTF-8 copy inside every non-ASCII string it writes,
# for the string's life, and a document's text (its paragraphs and cells) lives on while its frames are made.
_TEXT_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _block_json(block: Paragraph | Table) -> dict:
    """A block's fields for orjson, its text (a paragraph's, a table's cells) given as made JSON."""
    fields = {f.name: getattr(block, f.name) for f in dataclasses.fields(block) if not f.name.startswith("_")}
    text = "raw" if isinstance(block, Paragraph) else "rows"
    fields[text] = orjson.Fragment(_TEXT_JSON(fields[text]).encode())
    return fields


def _write_extraction(out: gzip.GzipFile, extraction: Extraction | None) -> None:
    """`extraction` as one JSON object of its fields, its lists written a chunk at a time."""
    if extraction is None:
        out.write(b"null")
        return
    for i, f in enumerate(dataclasses.fields(extraction)):
        out.write(b"," if i else b"{")
        out.write(_json(f.name) + b":")
        value = getattr(extraction, f.name)
        if isinstance(value, list):
            _write_list(out, value)
        else:
            out.write(_json(value))
    out.write(b"}")


def _write_list(out: gzip.GzipFile, items: list, as_json: Callable[[Any], object] | None = None) -> None:
    """A JSON list of `items` (each through `as_json`, if given), written `CHUNK` items at a time."""
    out.write(b"[")
    for start in range(0, len(items), CHUNK):
        chunk = items[start : start + CHUNK]
        out.write((b"," if start else b"") + _json([as_json(x) for x in chunk] if as_json else chunk)[1:-1])
    out.write(b"]")


def _json(value: object) -> bytes:
    """`value` as UTF-8 JSON."""
    return orjson.dumps(value, default=_plain, option=_OPTIONS)


def _plain(value: object) -> object:
    """A NumPy value orjson does not know (a reader let it through) as its Python value."""
    if hasattr(value, "item") and callable(value.item):
        return value.item()
    raise TypeError(f"{type(value).__name__} cannot be cached")


def _location(d: dict) -> Location:
    return Location(**d)


def _block(d: dict) -> Paragraph | Table:
    """A block from its record: a paragraph has its `raw` text, a table its `rows`."""
    if "raw" in d:
        return Paragraph(d["raw"], _location(d["location"]), tuple(d["section"]), confidence=d["confidence"])
    return Table(
        rows=d["rows"],
        location=_location(d["location"]),
        title=d["title"],
        unit=d["unit"],
        caption=d["caption"],
        row_locations=[_location(x) for x in d["row_locations"]],
        section=tuple(d["section"]),
        confidences=d["confidences"],
    )


def decode(data: bytes) -> tuple[Document, Extraction | None]:
    """The (Document, Extraction) that `encode` wrote."""
    record = orjson.loads(gzip.decompress(data))
    doc = Document(**record["document"], blocks=[_block(b) for b in record["blocks"]])
    x = record["extraction"]
    if x is None:
        return doc, None
    cells = [ReadCell(**c) for c in x["cells"]]
    return doc, Extraction(Identity(**x["identity"]), [Fact(**f) for f in x["facts"]], x["indicators"], cells)


# --- the same content under another name ----------------------------------------------------


def relabel(frame: pd.DataFrame, doc_id: str, source_file: str, old_file: str) -> pd.DataFrame:
    """A cached frame for a file of the same content under another name."""
    changes = {}
    if "doc_id" in frame:
        changes["doc_id"] = pd.Series(doc_id, index=frame.index, dtype=frame["doc_id"].dtype)
    if "source_file" in frame:
        changes["source_file"] = pd.Series(source_file, index=frame.index, dtype=frame["source_file"].dtype)
    if "message" in frame and "stage" in frame and old_file != source_file:  # problems name their file first
        prefix = f"{old_file}: "
        changes["message"] = (
            frame["message"]
            .map(lambda m: f"{source_file}: {m[len(prefix) :]}" if isinstance(m, str) and m.startswith(prefix) else m)
            .astype(frame["message"].dtype)
        )
    return frame.assign(**changes) if changes else frame


def problems_of(frame: pd.DataFrame) -> Iterator[Problem]:
    for row in frame.itertuples(index=False):
        yield Problem(row.doc_id, row.source_file, row.stage, row.severity, row.message)
