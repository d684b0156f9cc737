"""The document model every reader returns: a sequence of paragraphs and tables with locations."""

from __future__ import annotations

from dataclasses import dataclass, field

from budgetbook.text import normalize


# Slots: a large document has a block and a location per line, and a serialiser asking an instance for
# its __dict__ would otherwise give each of them a dict of its own for the rest of the run.
@dataclass(frozen=True, slots=True)
class Location:
    """Where a block starts: a 1-based line of a text file, or a page and a line on that page."""

    line: int
    page: int | None = None

    def __str__(self) -> str:
        return f"p{self.page} l{self.line}" if self.page is not None else f"l{self.line}"


@dataclass(slots=True)
class Paragraph:
    """One paragraph of prose as printed, with its outline section path."""

    raw: str
    location: Location
    section: tuple[str, ...] = ()
    _normalized: tuple[str, str] = field(default=("", ""), init=False, repr=False, compare=False)
    confidence: float | None = None  # read by OCR: the recogniser's lowest confidence in it

    @property
    def text(self) -> str:
        """The normalised text (what extraction reads), computed once per value of `raw`."""
        raw, text = self._normalized
        if raw is not self.raw:
            text = normalize(self.raw)
            self._normalized = (self.raw, text)
        return text


@dataclass(slots=True)
class Table:
    """A table: rows of cells as printed ('' where empty or covered by a merged cell)."""

    rows: list[list[str]]
    location: Location
    title: str = ""
    unit: str = ""
    caption: list[str] = field(default_factory=list)
    row_locations: list[Location] = field(default_factory=list)
    section: tuple[str, ...] = ()
    confidences: list[list[float | None]] | None = None  # read by OCR: each cell's recogniser confidence

    @property
    def pages(self) -> list[int]:
        """The pages the table spans (empty for text files)."""
        return sorted({loc.page for loc in self.row_locations if loc.page is not None})

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)


Block = Paragraph | Table


@dataclass
class Document:
    """A read document: identity, size and its blocks in reading order."""

    doc_id: str
    source_file: str
    format: str
    sha256: str
    pages: int | None = None
    blocks: list[Block] = field(default_factory=list)
    encoding: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]
