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
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from budgetbook.document import Document, Location, Paragraph, Table
from budgetbook.extract.facts import Fact
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

    def put(self, key: str, entry: Entry) -> None:
        """Write the entry whole: into a temporary folder, then renamed into place."""
        self.dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{key}.", dir=self.dir))
        try:
            for name, frame in entry.frames.items():
                pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp / f"{name}.parquet")
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


def encode(doc: Document, extraction: Extraction | None) -> bytes:
    """(Document, Extraction) as gzip JSON, written block by block and figure by figure (a large
    document's blocks and figures are never all held as dicts, nor its JSON as one string)."""
    document = {f.name: getattr(doc, f.name) for f in dataclasses.fields(doc) if f.name != "blocks"}
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=5) as out:
        out.write(f'{{"document": {_json(document)}, "blocks": '.encode())
        _write_list(out, (_block_record(block) for block in doc.blocks))
        out.write(b', "extraction": ')
        _write_extraction(out, extraction)
        out.write(b"}")
    return buffer.getvalue()


def _write_extraction(out: gzip.GzipFile, extraction: Extraction | None) -> None:
    """`extraction` as `json.dumps(dataclasses.asdict(extraction))` writes it, its lists item by item."""
    if extraction is None:
        out.write(b"null")
        return
    for i, f in enumerate(dataclasses.fields(extraction)):
        out.write(f"{', ' if i else '{'}{_json(f.name)}: ".encode())
        value = getattr(extraction, f.name)
        if isinstance(value, list):
            _write_list(out, (dataclasses.asdict(x) if dataclasses.is_dataclass(x) else x for x in value))
        else:
            out.write(_json(dataclasses.asdict(value)).encode())
    out.write(b"}")


def _write_list(out: gzip.GzipFile, items: Iterator[object]) -> None:
    """A JSON list of `items`, as `json.dumps` writes it, one item at a time."""
    out.write(b"[")
    for i, item in enumerate(items):
        out.write(f"{', ' if i else ''}{_json(item)}".encode())
    out.write(b"]")


def _block_record(block: Paragraph | Table) -> dict:
    """One block as the cache stores it."""
    return {"paragraph" if isinstance(block, Paragraph) else "table": dataclasses.asdict(block)}


def _json(value: object) -> str:
    """`value` as JSON, as `json.dumps` writes it for the cache."""
    return json.dumps(value, ensure_ascii=False, default=_plain)


def _plain(value: object) -> object:
    """A NumPy scalar a reader let through (a line number counted over an array) as its Python value."""
    if hasattr(value, "item") and callable(value.item):
        return value.item()
    raise TypeError(f"{type(value).__name__} cannot be cached")


def _location(d: dict) -> Location:
    return Location(**d)


def _block(d: dict) -> Paragraph | Table:
    if "paragraph" in d:
        p = d["paragraph"]
        return Paragraph(p["raw"], _location(p["location"]), tuple(p["section"]))
    t = d["table"]
    return Table(
        rows=t["rows"],
        location=_location(t["location"]),
        title=t["title"],
        unit=t["unit"],
        caption=t["caption"],
        row_locations=[_location(x) for x in t["row_locations"]],
        section=tuple(t["section"]),
    )


def decode(data: bytes) -> tuple[Document, Extraction | None]:
    record = json.loads(gzip.decompress(data))
    doc = Document(**record["document"], blocks=[_block(b) for b in record["blocks"]])
    x = record["extraction"]
    extraction = Extraction(Identity(**x["identity"]), [Fact(**f) for f in x["facts"]], x["indicators"]) if x else None
    return doc, extraction


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
