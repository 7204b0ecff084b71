"""Writes through the same path as `storyweave run`: ingest -> clean -> store -> read -> cluster.

An upload is read by the ingest stage's `read_bytes` exactly as a file given to the CLI would be
(format recognised from content), under the name `upload:NAME`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, Field

from .. import pipeline
from ..config import IngestSettings
from ..ingest import read_bytes, read_inputs
from ..ingest.netpolicy import deadline
from ..model import IngestError, RawDocument
from ..store import Store

# What an upload's Content-Type says about the file the CLI would have been given.
_SUFFIX_BY_MEDIA_TYPE = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "application/json": ".jsonl",
    "application/x-ndjson": ".jsonl",
    "application/jsonl": ".jsonl",
    "application/warc": ".warc",
    "application/gzip": ".gz",
    "application/rss+xml": ".xml",
    "application/atom+xml": ".xml",
    "application/xml": ".xml",
    "text/xml": ".xml",
}


MAX_LISTED_ERRORS = 20  # errors listed in one response; the rest are counted


class InputReport(BaseModel):
    """One input of a write (an upload, a URL): whether its records were stored. An input that
    could not be read to its end (truncated, corrupt, over its budget) stores nothing; one
    whose bad records are only some of its records stores the good ones."""

    source: str
    stored: bool
    added: int = 0
    duplicates: int = 0
    errors: int = 0
    reason: str | None = Field(default=None, description="why nothing of it was stored")


class IngestResult(BaseModel):
    """What a write did: new article ids, inputs already stored, and inputs that failed."""

    added: list[str] = Field(default_factory=list)
    duplicates: int = 0
    errors: list[IngestError] = Field(
        default_factory=list, description=f"the first {MAX_LISTED_ERRORS} errors; `error_count` counts them all",
    )
    error_count: int = 0
    stories: list[str] = Field(default_factory=list, description="stories holding the new articles")
    inputs: list[InputReport] = Field(default_factory=list)


def upload_label(name: str | None) -> str:
    """`upload:NAME`, with NAME reduced to safe characters (it is shown in pages and logs)."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", name or "")[:100].strip("._")
    return f"upload:{cleaned or 'request-body'}"


def suffix_for(media_type: str | None) -> str:
    base = (media_type or "").split(";", 1)[0].strip().lower()
    return _SUFFIX_BY_MEDIA_TYPE.get(base, ".txt")


def jsonl_bytes(payload: Any) -> bytes:
    """A JSON object (or a list of objects) as the JSONL file the CLI reads."""
    items = payload if isinstance(payload, list) else [payload]
    if not items or not all(isinstance(item, dict) for item in items):
        raise ValueError("expected a JSON object (or a non-empty list of objects) like a JSONL line")
    return b"".join(json.dumps(item, ensure_ascii=False).encode() + b"\n" for item in items)


Records = list[RawDocument | IngestError]


def read_upload(
    data: bytes, media_type: str | None, label: str, settings: IngestSettings, within_s: float,
) -> tuple[str, Records]:
    """The name and records of one upload, `label` (from `upload_label`) naming it; any feed
    links it holds are fetched within `within_s` seconds in all. Takes no lock: call it before
    storing."""
    source = label if "." in label.rpartition(":")[2] else label + suffix_for(media_type)
    with deadline(within_s):
        return source, list(read_bytes(data, source, settings))


def read_url(url: str, settings: IngestSettings, within_s: float) -> tuple[str, Records]:
    """The records fetched from `url` (and any feed links there) within `within_s` seconds."""
    with deadline(within_s):
        return url, list(read_inputs([url], settings))


def store_records(store: Store, source: str, records: Records) -> IngestResult:
    """Clean, store, read and cluster the records of one input already read (the only step that
    needs the write lock). All or nothing for the input: an error naming the input itself (it
    could not be read to its end) stores none of its records."""
    broken = next((r for r in records if isinstance(r, IngestError) and r.source == source), None)
    report = pipeline.RunReport()
    pipeline.ingest_records(store, [r for r in records if isinstance(r, IngestError)] if broken else records, report)
    if report.added:
        pipeline.read_missing(store, report)
        pipeline.cluster_unplaced(store, report)
    added = set(report.added)
    return IngestResult(
        added=report.added,
        duplicates=report.duplicates,
        errors=_summarised(report.failures),
        error_count=len(report.failures),
        stories=[s.id for s in report.stories if added.intersection(s.article_ids)],
        inputs=[InputReport(
            source=source, stored=broken is None and bool(report.added or report.duplicates),
            added=len(report.added), duplicates=report.duplicates, errors=len(report.failures),
            reason=None if broken is None else broken.reason,
        )],
    )


def _summarised(failures: list[IngestError]) -> list[IngestError]:
    listed = failures[:MAX_LISTED_ERRORS]
    if len(failures) > MAX_LISTED_ERRORS:
        listed.append(IngestError(
            source="(response)", reason=f"{len(failures) - MAX_LISTED_ERRORS} more errors not listed",
        ))
    return listed
