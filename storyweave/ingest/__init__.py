"""Stage 1, ingest: turn what a user has (paths, folders, URLs) into RawDocuments.

Readers never interpret content beyond splitting containers into records; cleaning does that.
Every problem becomes an IngestError naming the input, and the batch goes on.

Formats are recognised from content (see `sniff`): gzip (decompressed, then sniffed again),
WARC / WARC.gz, JSON Lines, RSS / Atom / RDF feeds, HTML, and plain text for everything else that
is not binary. Non-UTF-8 text is passed on unchanged; cleaning decodes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import httpx

from ..config import IngestSettings
from ..model import IngestError, RawDocument
from .containers import feed_entries, jsonl_records, warc_records
from .fetch import FetchError, Fetched, fetch, is_url
from .files import PathError, read_file, walk
from .sniff import BadInput, gunzip, gzip_head, sniff

__all__ = ["read_inputs", "read_bytes", "sniff", "fetch", "FetchError", "BadInput"]

_Item = RawDocument | IngestError


def read_inputs(
    inputs: Iterable[str], settings: IngestSettings | None = None
) -> Iterator[RawDocument | IngestError]:
    """Yield one RawDocument per record found in `inputs` (files, folders walked recursively, URLs)."""
    reader = _Reader(settings or IngestSettings())
    try:
        for item in inputs:
            try:
                yield from reader.read(item)
            except Exception as exc:  # a reader bug on one input must not end the batch
                yield IngestError(source=item, reason=f"internal error while reading: {type(exc).__name__}: {exc}")
    finally:
        reader.close()


def read_bytes(
    data: bytes, source: str, settings: IngestSettings | None = None, *, url: str | None = None
) -> Iterator[RawDocument | IngestError]:
    """Records in `data` as if read from a file named `source` (for callers that already hold bytes)."""
    reader = _Reader(settings or IngestSettings())
    try:
        yield from reader.records(data, source, url=url)
    finally:
        reader.close()


class _Reader:
    """Holds one HTTP client for a whole batch, so fetches reuse connections."""

    def __init__(self, settings: IngestSettings):
        self.settings = settings
        self._client: httpx.Client | None = None

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                timeout=self.settings.fetch_timeout_s,
                headers={"User-Agent": self.settings.user_agent},
                follow_redirects=False,
            )
        return self._client

    def read(self, item: str) -> Iterator[_Item]:
        if is_url(item):
            yield from self.read_url(item)
            return
        path = Path(item)
        if path.is_dir():
            for found in walk(path):
                if isinstance(found, tuple):
                    yield IngestError(source=str(found[0]), reason=found[1])
                else:
                    yield from self.read_path(found)
        else:
            yield from self.read_path(path)

    def read_path(self, path: Path) -> Iterator[_Item]:
        try:
            data = read_file(path, self.settings.max_bytes)
        except PathError as exc:
            yield IngestError(source=str(path), reason=str(exc))
            return
        yield from self.records(data, str(path))

    def read_url(self, url: str, fields: dict[str, Any] | None = None) -> Iterator[_Item]:
        try:
            got: Fetched = fetch(url, self.settings, self.client)
        except FetchError as exc:
            yield IngestError(source=url, reason=str(exc))
            return
        extra = dict(fields or {})
        if got.http_date:
            extra.setdefault("http_date", got.http_date)
        yield from self.records(
            got.data, url, url=got.url, from_url=True, content_type=got.content_type, fields=extra
        )

    def records(
        self, data: bytes, source: str, *, url: str | None = None, from_url: bool = False,
        content_type: str | None = None, fields: dict[str, Any] | None = None,
    ) -> Iterator[_Item]:
        try:
            kind = sniff(data)
            if kind == "gzip" and not gzip_head(data).startswith(b"WARC/1."):
                data = gunzip(data, self.settings.max_bytes)
                kind = sniff(data)
                if kind == "gzip":
                    raise BadInput("gzip inside gzip: not read")
            elif kind == "gzip":
                kind = "warc"  # WARC.gz: warcio reads it member by member
        except BadInput as exc:
            yield IngestError(source=source, reason=str(exc))
            return
        if kind == "text" and content_type and "html" in content_type.lower():
            kind = "html"  # a server that says HTML is believed over a sparse-markup sniff
        if kind == "jsonl":
            yield from jsonl_records(data, source, self.settings)
        elif kind == "warc":
            yield from warc_records(data, source, self.settings)
        elif kind == "feed":
            yield from self.feed_records(data, source, from_url)
        else:
            yield RawDocument(
                source=source, data=data, format=kind,
                media_type="text/html" if kind == "html" else "text/plain",
                url=url, fields=dict(fields or {}),
            )

    def feed_records(self, data: bytes, source: str, from_url: bool) -> Iterator[_Item]:
        try:
            entries = list(feed_entries(data, source))
        except ValueError as exc:
            yield IngestError(source=source, reason=str(exc))
            return
        fetch_links = from_url or self.settings.fetch_feed_links
        for name, fields, full_html, link in entries:
            if full_html is not None:
                yield RawDocument(
                    source=name, data=full_html.encode("utf-8"), format="html",
                    media_type="text/html", url=link, fields=fields,
                )
            elif link and fetch_links:
                yield from self.read_url(link, fields)
            elif link:
                yield IngestError(
                    source=name, reason=f"entry has only a link ({link}) and fetching feed links is off"
                )
            else:
                yield IngestError(source=name, reason="entry has neither full text nor a link")
