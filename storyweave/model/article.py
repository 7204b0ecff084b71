"""What ingestion and cleaning produce: the raw input as read, and the clean article."""

from __future__ import annotations

import hashlib
from typing import Any, Literal

from pydantic import BaseModel, Field


# What a document's bytes are, as ingest sniffed them: plain text, an HTML page, or one JSON
# Lines record (its text or html field). Containers (WARC, feeds, gzip) are opened by ingest and
# yield documents of these formats.
DocumentFormat = Literal["text", "html", "jsonl"]


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class RawDocument(BaseModel):
    """One input record exactly as read: a file, a JSONL line, a WARC record, a feed entry, a URL body.

    `data` is never modified; everything else about an article is derived from it.
    `fields` carries metadata the container already states (a JSONL object's keys, a feed entry's
    title and date, a WARC record's target URI) so cleaning can prefer it over guessing.
    """

    source: str  # path or URL, plus a "#N" suffix for the N-th record inside a container file
    data: bytes
    format: DocumentFormat
    media_type: str | None = None
    url: str | None = None
    external_id: str | None = None
    fields: dict[str, Any] = Field(default_factory=dict)

    @property
    def sha256(self) -> str:
        return sha256_hex(self.data)


class IngestError(BaseModel):
    """Something that failed and is reported, never fatal to the batch: an input or record that
    could not be read or cleaned, or a story whose dossier could not be built. The one failure
    record of a run (`pipeline.RunReport.failures`) and of a write (`serve`'s `IngestResult`)."""

    source: str
    reason: str


class OffsetSegment(BaseModel):
    """`length` characters of the body starting at `body_start` come from the decoded raw text at
    `raw_start`. Characters outside every segment were produced by normalisation."""

    body_start: int
    raw_start: int
    length: int


class Article(BaseModel):
    """A clean article: body text plus metadata recovered from the raw input.

    Unknown stays unknown: every optional field is None (or empty) unless the input states it.
    """

    id: str
    external_id: str | None = None
    source: str
    format: DocumentFormat = "text"
    url: str | None = None
    title: str | None = None
    title_derived: bool = False
    published: str | None = None  # ISO 8601 date or datetime, never guessed
    published_ambiguous: bool = False
    outlet: str | None = None
    author: str | None = None
    cites: list[str] = Field(default_factory=list)
    syndicated_from: str | None = None
    language: str | None = None
    body: str
    captions: list[str] = Field(default_factory=list)
    raw_sha256: str
    offset_map: list[OffsetSegment] = Field(default_factory=list)
    metadata: dict[str, Any] = Field(default_factory=dict)

    def public_dict(self) -> dict[str, Any]:
        """The JSON contract of `storyweave articles --json` (offset map left out: it is bulky)."""
        return self.model_dump(exclude={"offset_map"})

    def raw_offset(self, body_offset: int) -> int | None:
        """Map a body offset back to the decoded raw text, or None where normalisation made it."""
        for seg in self.offset_map:
            if seg.body_start <= body_offset < seg.body_start + seg.length:
                return seg.raw_start + (body_offset - seg.body_start)
        return None
