"""Dispatch an input to its reader by what its content is.

Single documents (text, HTML, a feed) are read whole, up to `max_bytes`. Containers (JSON Lines,
WARC, either of them gzipped) are streamed record by record, so a multi-gigabyte crawl is read in
bounded memory; each record is limited by `max_record_bytes` instead.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, cast

import httpx

from ..config import IngestSettings
from ..model import IngestError, RawDocument
from .containers import feed_entries, jsonl_records, warc_records
from .fetch import FetchError, fetch, is_url, make_client
from .files import PathError, open_file, os_reason, walk
from .sniff import GZIP_MAGIC, HEAD_BYTES, BadInput, gzip_head, sniff

Item = RawDocument | IngestError
_GZIP_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error)


def _gzip_reason(exc: BaseException, where: str = "") -> str:
    if isinstance(exc, EOFError):
        return f"truncated gzip: the compressed stream ends early{where}"
    return f"corrupt gzip data{where}: {exc}"


def read_capped(stream: IO[bytes], limit: int, what: str) -> bytes:
    """Read `stream` whole, refusing (BadInput) as soon as it passes `limit` bytes."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise BadInput(f"too large: {what} more than the limit of {limit} bytes")
    return data


def gzip_stream_problem(stream: IO[bytes], limit: int) -> str | None:
    """Why a seekable gzip stream is incomplete or corrupt, or None (read from the start, up to
    `limit` decompressed bytes)."""
    stream.seek(0)
    total = 0
    try:
        with gzip.GzipFile(fileobj=stream) as unpacked:
            while chunk := unpacked.read(1 << 20):
                total += len(chunk)
                if total > limit:
                    return f"more than {limit} bytes decompressed, the budget of one input"
    except _GZIP_ERRORS as exc:
        return _gzip_reason(exc)
    return None


def within_failure_budget(items: Iterator[Item], source: str, settings: IngestSettings) -> Iterator[Item]:
    """`items` from one input, with its bad records bounded: the first `max_failures` are
    listed and the rest counted in one closing line; once more than `max_failures` are bad and
    they outnumber the good ones ten to one, the input is given up on with one error saying so."""
    good = bad = 0
    limit = settings.max_failures
    try:
        for item in items:
            if isinstance(item, RawDocument):
                good += 1
                yield item
                continue
            bad += 1
            if bad <= limit:
                yield item
            elif bad > 10 * good:
                yield IngestError(source=source, reason=(
                    f"gave up on this input: {bad} bad records and {good} good so far "
                    f"(the first {limit} are listed)"
                ))
                return
    finally:
        close = getattr(items, "close", None)
        if close is not None:
            close()
    if bad > limit:  # named as a record ("#more"): the input itself was read to its end
        yield IngestError(source=f"{source}#more", reason=f"{bad - limit} more bad records not listed ({bad} in all, {good} good)")


def _head(stream: IO[bytes], max_leading_blank: int = 1 << 20) -> bytes:
    """The first HEAD_BYTES of content for sniffing, past any leading blank lines (up to
    `max_leading_blank` bytes of them); the stream is left at its start."""
    head = stream.read(HEAD_BYTES)
    skipped = 0
    while head and not head.strip() and skipped < max_leading_blank:
        more = stream.read(HEAD_BYTES)
        if not more:
            break  # blank to the end: sniff() will say so
        skipped += len(head)
        head = more
    if head.strip() and head[:1].isspace():
        head = head.lstrip()
        head += stream.read(HEAD_BYTES - len(head))
    stream.seek(0)
    return head


class Reader:
    """Reads one batch of inputs; holds one HTTP client so fetches reuse connections."""

    def __init__(self, settings: IngestSettings):
        self.settings = settings
        self._client: httpx.Client | None = None

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = make_client(self.settings)
        return self._client

    # -- inputs --------------------------------------------------------------------------------

    def read(self, item: str) -> Iterator[Item]:
        if is_url(item):  # " http://x/y" is a URL too, never a local path
            yield from self.read_url(item.strip())
            return
        path = Path(item)
        try:
            is_dir = path.is_dir()
        except OSError as exc:  # a folder above it cannot be searched (no x permission), say
            yield IngestError(source=item, reason=os_reason(exc))
            return
        if is_dir:
            for found in walk(path):
                if isinstance(found, tuple):
                    yield IngestError(source=str(found[0]), reason=found[1])
                else:
                    yield from self.read_path(found)
        else:
            yield from self.read_path(path)

    def read_path(self, path: Path) -> Iterator[Item]:
        try:
            handle, size = open_file(path)
        except PathError as exc:
            yield IngestError(source=str(path), reason=str(exc))
            return
        with handle:
            yield from self.read_stream(handle, str(path), size=size)

    def read_url(self, url: str, fields: dict[str, Any] | None = None) -> Iterator[Item]:
        try:
            got = fetch(url, self.settings, self.client)
        except FetchError as exc:
            yield IngestError(source=url, reason=str(exc))
            return
        extra = dict(fields or {})
        if got.http_date:
            extra.setdefault("http_date", got.http_date)
        if got.content_type:
            extra.setdefault("content_type", got.content_type)  # its charset, if any, helps decoding
        yield from self.read_stream(
            io.BytesIO(got.data), url, size=len(got.data), url=got.url, from_url=True,
            content_type=got.content_type, fields=extra,
        )

    # -- content -------------------------------------------------------------------------------

    def read_stream(
        self, stream: IO[bytes], source: str, *, size: int, url: str | None = None,
        from_url: bool = False, content_type: str | None = None, fields: dict[str, Any] | None = None,
    ) -> Iterator[Item]:
        """Records in a seekable binary stream, recognised from its content; its bad records
        bounded by `within_failure_budget`."""
        yield from within_failure_budget(
            self._read_stream(
                stream, source, size=size, url=url, from_url=from_url, content_type=content_type, fields=fields,
            ),
            source, self.settings,
        )

    def _read_stream(
        self, stream: IO[bytes], source: str, *, size: int, url: str | None = None,
        from_url: bool = False, content_type: str | None = None, fields: dict[str, Any] | None = None,
    ) -> Iterator[Item]:
        head = _head(stream)
        if head.startswith(GZIP_MAGIC):
            if gzip_head(head).startswith(b"WARC/1."):
                # WARC.gz: warcio reads it member by member; its integrity is checked after.
                yield from self._warc(stream, source, gzipped=True)
            else:
                yield from self._gzipped(stream, source, url, from_url, content_type, fields)
            return
        try:
            kind = sniff(head)
        except BadInput as exc:
            yield IngestError(source=source, reason=str(exc))
            return
        if kind == "warc":
            yield from self._warc(stream, source, gzipped=False)
        elif kind == "jsonl":
            yield from jsonl_records(stream, source, self.settings)
        else:
            if size > self.settings.max_bytes:
                yield IngestError(source=source, reason=f"too large: {size} bytes, over the limit of {self.settings.max_bytes} bytes")
                return
            try:
                data = read_capped(stream, self.settings.max_bytes, "it grew while being read to")
            except BadInput as exc:
                yield IngestError(source=source, reason=str(exc))
                return
            yield from self._document(data, source, url, from_url, content_type, fields)

    def _gzipped(
        self, stream: IO[bytes], source: str, url: str | None, from_url: bool,
        content_type: str | None, fields: dict[str, Any] | None,
    ) -> Iterator[Item]:
        unpacked = cast(IO[bytes], gzip.GzipFile(fileobj=stream))  # typeshed's GzipFile is no IO[bytes]
        try:
            inner = unpacked.read(HEAD_BYTES)
            kind = sniff(inner)
        except _GZIP_ERRORS as exc:
            yield IngestError(source=source, reason=_gzip_reason(exc))
            return
        except BadInput as exc:
            yield IngestError(source=source, reason=f"inside gzip: {exc}")
            return
        if kind == "gzip":
            yield IngestError(source=source, reason="gzip inside gzip: not read")
        elif kind in ("jsonl", "warc"):
            unpacked.seek(0)  # a rewind re-reads only the head
            if kind == "jsonl":
                yield from jsonl_records(unpacked, source, self.settings)
            else:
                yield from self._warc(unpacked, source, gzipped=False)
        else:
            limit = self.settings.max_bytes
            try:
                data = inner + unpacked.read(limit + 1 - len(inner))
                if len(data) > limit:
                    raise BadInput(f"too large: it decompresses to more than the limit of {limit} bytes")
            except _GZIP_ERRORS as exc:
                yield IngestError(source=source, reason=_gzip_reason(exc))
                return
            except BadInput as exc:
                yield IngestError(source=source, reason=str(exc))
                return
            yield from self._document(data, source, url, from_url, content_type, fields)

    def _warc(self, stream: IO[bytes], source: str, gzipped: bool) -> Iterator[Item]:
        problem_seen = False
        for item in warc_records(stream, source, self.settings):
            problem_seen = problem_seen or (isinstance(item, IngestError) and item.source == source)
            yield item
        if gzipped and not problem_seen:
            # warcio stops quietly at a gzip member cut short: check the whole stream ourselves.
            problem = gzip_stream_problem(stream, self.settings.max_stream_bytes)
            if problem:
                yield IngestError(source=source, reason=f"truncated or corrupt WARC.gz: {problem}")

    def _document(
        self, data: bytes, source: str, url: str | None, from_url: bool,
        content_type: str | None, fields: dict[str, Any] | None,
    ) -> Iterator[Item]:
        try:
            kind = sniff(data)  # again, on the whole document (a JSON dump is told apart here)
        except BadInput as exc:
            yield IngestError(source=source, reason=str(exc))
            return
        if kind == "text" and content_type and "html" in content_type.lower():
            kind = "html"  # a server that says HTML is believed over a sparse-markup sniff
        if kind == "feed":
            yield from self.feed_records(data, source, from_url)
        elif kind in ("text", "html"):
            yield RawDocument(
                source=source, data=data, format="html" if kind == "html" else "text",
                media_type="text/html" if kind == "html" else "text/plain",
                url=url, fields=dict(fields or {}),
            )
        else:  # a container found only by the whole-document sniff: read it as one
            yield from self._read_stream(io.BytesIO(data), source, size=len(data), url=url, from_url=from_url)

    def feed_records(self, data: bytes, source: str, from_url: bool) -> Iterator[Item]:
        try:
            entries = list(feed_entries(data, source))
        except ValueError as exc:
            yield IngestError(source=source, reason=str(exc))
            return
        fetch_links = from_url or self.settings.fetch_feed_links
        for entry in entries:
            if entry.full_html is not None:
                yield RawDocument(
                    source=entry.name, data=entry.full_html.encode("utf-8"), format="html",
                    media_type="text/html", url=entry.link, external_id=entry.entry_id, fields=entry.fields,
                )
            elif entry.link and fetch_links:
                for item in self.read_url(entry.link, entry.fields):
                    if isinstance(item, RawDocument) and entry.entry_id:
                        item = item.model_copy(update={"external_id": entry.entry_id})
                    yield item
            elif entry.link:
                yield IngestError(
                    source=entry.name, reason=f"entry has only a link ({entry.link}) and fetching feed links is off"
                )
            else:
                yield IngestError(source=entry.name, reason="entry has neither full text nor a link")
