"""Dispatch an input to its reader by what its content is: `_READERS`, one table from the kind
`sniff` names to the reader of that kind (a gzip is decompressed and looked up again). A gzip of
JSON Lines goes read -> read_path -> read_stream -> _gzipped -> _jsonl (containers.jsonl_records).

Single documents (text, HTML, a feed) are read whole, up to `max_bytes`. Containers (JSON Lines,
WARC, either of them gzipped) are streamed record by record, so a multi-gigabyte crawl is read in
bounded memory; each record is limited by `max_record_bytes` instead.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any, cast

import httpx

from ..config import IngestSettings
from ..model import IngestError, RawDocument
from .containers import feed_entries, jsonl_records, warc_records
from .fetch import FetchError, fetch, is_url, make_client
from .files import PathError, open_file, os_reason, walk
from .sniff import HEAD_BYTES, BadInput, gzip_head, sniff

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


@dataclass
class _Input:
    """One input on its way to its reader: its stream and what is known about it."""

    stream: IO[bytes]
    source: str
    size: int = 0  # bytes in the stream (0: unknown, once decompressing)
    url: str | None = None
    from_url: bool = False
    content_type: str | None = None
    fields: dict[str, Any] | None = None
    head: bytes = b""  # the first bytes of content, as sniffed
    inside_gzip: bool = False


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
        found = _Input(stream, source, size=size, url=url, from_url=from_url, content_type=content_type, fields=fields)
        yield from within_failure_budget(self._read_input(found), source, self.settings)

    def _read_input(self, found: _Input) -> Iterator[Item]:
        """Sniff the input's head and hand it to the reader `_READERS` names for what it holds."""
        found.head = _head(found.stream)
        try:
            kind = sniff(found.head)
        except BadInput as exc:
            yield IngestError(source=found.source, reason=str(exc))
            return
        yield from _READERS[kind](self, found)

    def _gzipped(self, found: _Input) -> Iterator[Item]:
        """A gzip: WARC.gz is read as it is (warcio reads it member by member, its integrity
        checked after); anything else is decompressed as it is read and dispatched again."""
        if found.inside_gzip:
            yield IngestError(source=found.source, reason="gzip inside gzip: not read")
            return
        if gzip_head(found.head).startswith(b"WARC/1."):
            yield from self._warc_gz(found)
            return
        unpacked = cast(IO[bytes], gzip.GzipFile(fileobj=found.stream))  # typeshed's GzipFile is no IO[bytes]
        try:
            inner = unpacked.read(HEAD_BYTES)
            kind = sniff(inner)
        except _GZIP_ERRORS as exc:
            yield IngestError(source=found.source, reason=_gzip_reason(exc))
            return
        except BadInput as exc:
            yield IngestError(source=found.source, reason=f"inside gzip: {exc}")
            return
        unpacked.seek(0)  # a rewind re-reads only the head
        yield from _READERS[kind](self, replace(found, stream=unpacked, size=0, head=inner, inside_gzip=True))

    def _jsonl(self, found: _Input) -> Iterator[Item]:
        yield from jsonl_records(found.stream, found.source, self.settings)

    def _warc(self, found: _Input) -> Iterator[Item]:
        yield from warc_records(found.stream, found.source, self.settings)

    def _warc_gz(self, found: _Input) -> Iterator[Item]:
        problem_seen = False
        for item in warc_records(found.stream, found.source, self.settings):
            problem_seen = problem_seen or (isinstance(item, IngestError) and item.source == found.source)
            yield item
        if not problem_seen:
            # warcio stops quietly at a gzip member cut short: check the whole stream ourselves.
            problem = gzip_stream_problem(found.stream, self.settings.max_stream_bytes)
            if problem:
                yield IngestError(source=found.source, reason=f"truncated or corrupt WARC.gz: {problem}")

    def _whole(self, found: _Input) -> bytes | IngestError:
        """The input read whole, within `max_bytes`, for the readers of single documents."""
        limit = self.settings.max_bytes
        if not found.inside_gzip:
            if found.size > limit:
                return IngestError(source=found.source, reason=f"too large: {found.size} bytes, over the limit of {limit} bytes")
            try:
                return read_capped(found.stream, limit, "it grew while being read to")
            except BadInput as exc:
                return IngestError(source=found.source, reason=str(exc))
        try:
            return read_capped(found.stream, limit, "it decompresses to")
        except _GZIP_ERRORS as exc:
            return IngestError(source=found.source, reason=_gzip_reason(exc))
        except BadInput as exc:
            return IngestError(source=found.source, reason=str(exc))

    def _document(self, found: _Input) -> Iterator[Item]:
        """A single document (feed, HTML, text): read whole, then sniffed again on the whole (a
        JSON dump is told apart here)."""
        data = self._whole(found)
        if isinstance(data, IngestError):
            yield data
            return
        try:
            kind = sniff(data)
        except BadInput as exc:
            yield IngestError(source=found.source, reason=str(exc))
            return
        if kind == "text" and found.content_type and "html" in found.content_type.lower():
            kind = "html"  # a server that says HTML is believed over a sparse-markup sniff
        if _READERS[kind] is not Reader._document:  # a container found only by the whole-document sniff
            yield from self._read_input(_Input(io.BytesIO(data), found.source, size=len(data), url=found.url, from_url=found.from_url))
        elif kind == "feed":
            yield from self.feed_records(data, found.source, found.from_url)
        else:
            yield RawDocument(
                source=found.source, data=data, format="html" if kind == "html" else "text",
                media_type="text/html" if kind == "html" else "text/plain",
                url=found.url, fields=dict(found.fields or {}),
            )

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


# What each kind `sniff` names is read by: the one table from content to reader. A new format is a
# kind in sniff.py and one line here.
_READERS: dict[str, Callable[[Reader, _Input], Iterator[Item]]] = {
    "gzip": Reader._gzipped,  # decompressed and dispatched again (WARC.gz read as it is)
    "warc": Reader._warc,  # streamed record by record
    "jsonl": Reader._jsonl,  # streamed line by line
    "feed": Reader._document,  # read whole: a feed, an HTML page, plain text
    "html": Reader._document,
    "text": Reader._document,
}
