"""Split container inputs (JSON Lines, WARC, RSS/Atom) into one record each.

JSON Lines and WARC are read from a binary stream, record by record (bounded memory); a feed is
parsed whole (feeds are small). Each yields RawDocuments and IngestErrors named after the input;
a bad record is reported and the rest go on.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import feedparser
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..config import IngestSettings
from ..model import IngestError, RawDocument

FULL_TEXT_MIN_WORDS = 80
_TAG = re.compile(r"<[^>]{0,2000}>")


# -- JSON Lines --------------------------------------------------------------------------------


class OverBudget(Exception):
    """A container went past its budget (records or bytes); the message says which."""


def over_records(settings: IngestSettings, what: str) -> OverBudget:
    return OverBudget(f"stopped: more than {settings.max_records} {what}, the budget of one input")


def over_bytes(settings: IngestSettings) -> OverBudget:
    return OverBudget(
        f"stopped: more than {settings.max_stream_bytes} bytes (decompressed), the budget of one input"
    )


def _lines(stream: IO[bytes], settings: IngestSettings) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line without its newline) for each line; None for a line over the record
    limit, which is skipped without holding it in memory. Blank lines count against the budget
    too (OverBudget past `max_records` lines or `max_stream_bytes` bytes)."""
    limit = settings.max_record_bytes
    number = consumed = 0
    while True:
        line = stream.readline(limit + 2)
        if not line:
            return
        number += 1
        consumed += len(line)
        if number > settings.max_records:
            raise over_records(settings, "lines")
        if not line.endswith(b"\n") and len(line) > limit:
            while consumed <= settings.max_stream_bytes:  # skip the rest of the long line in bounded pieces
                more = stream.readline(1 << 20)
                consumed += len(more)
                if not more or more.endswith(b"\n"):
                    break
            if consumed > settings.max_stream_bytes:
                raise over_bytes(settings)
            yield number, None
            continue
        if consumed > settings.max_stream_bytes:
            raise over_bytes(settings)
        line = line.rstrip(b"\r\n")
        yield number, (None if len(line) > limit else line)


def jsonl_records(stream: IO[bytes], source: str, settings: IngestSettings) -> Iterator[RawDocument | IngestError]:
    """One RawDocument per JSON object line, streamed; `data` is the line's bytes unchanged."""
    number = 0
    try:
        for number, line in _lines(stream, settings):
            item = _jsonl_record(line, number, source, settings)
            if item is not None:
                yield item
    except OverBudget as exc:
        yield IngestError(source=source, reason=f"{exc} (after line {number})")
    except EOFError:  # a gzipped JSONL file cut short
        yield IngestError(source=source, reason=f"truncated gzip after line {number}: the compressed stream ends early")
    except (OSError, zlib.error) as exc:
        yield IngestError(source=source, reason=f"unreadable after line {number}: {exc or type(exc).__name__}")


def _jsonl_record(line: bytes | None, number: int, source: str, settings: IngestSettings) -> RawDocument | IngestError | None:
    name = f"{source}#{number}"
    if line is None:
        return IngestError(
            source=name, reason=f"line {number} is over the record limit of {settings.max_record_bytes} bytes"
        )
    if not line.strip():
        return None
    try:
        obj = json.loads(line)
    except (ValueError, UnicodeDecodeError) as exc:
        return IngestError(source=name, reason=f"line {number} is not valid JSON: {exc}")
    except RecursionError:
        return IngestError(source=name, reason=f"line {number} is JSON nested too deeply to read")
    if not isinstance(obj, dict):
        return IngestError(source=name, reason=f"line {number} is JSON but not an object ({type(obj).__name__})")
    if not any(isinstance(obj.get(key), str) and obj[key].strip() for key in ("text", "html")):
        return IngestError(source=name, reason=f"line {number} has neither a 'text' nor an 'html' field")
    ident = obj.get("id")
    url = obj.get("url")
    return RawDocument(
        source=name, data=line, format="jsonl", media_type="application/json",
        url=url if isinstance(url, str) and url.strip() else None,
        external_id=None if ident is None or isinstance(ident, (dict, list)) else str(ident),
        fields=obj,
    )


# -- WARC --------------------------------------------------------------------------------------


def _is_html(content_type: str | None, payload: bytes) -> bool:
    if content_type:
        kind = content_type.split(";", 1)[0].strip().lower()
        return kind in ("text/html", "application/xhtml+xml")
    head = payload[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def warc_records(stream: IO[bytes], source: str, settings: IngestSettings) -> Iterator[RawDocument | IngestError]:
    """One RawDocument per HTML `response` record, streamed; a truncated or corrupt file yields
    its good records, then one IngestError. (A WARC.gz cut at a member boundary reads as complete
    here: the caller checks the gzip stream itself.)"""
    found = 0
    problem: str | None = None
    number = 0
    declared = 0  # bytes of record content, as each record's header declares them
    records = ArchiveIterator(stream)
    previous: Any = None
    try:
        for number, record in enumerate(records, start=1):
            if previous is not None and _ends_early(previous):
                problem = f"truncated WARC: record {number - 1} ends {_ends_early(previous)} bytes early"
                break
            previous = record
            header_problem = _header_problem(record)
            if header_problem:
                problem = f"corrupt WARC: record {number} {header_problem} (a cut or malformed header)"
                break
            if number > settings.max_records:
                raise over_records(settings, "WARC records")
            length = record.rec_headers.get_header("Content-Length") or "0"
            declared += int(length) if length.strip().isdigit() else 0
            if declared > settings.max_stream_bytes:
                raise over_bytes(settings)  # before warcio reads through it
            if record.rec_type != "response" or record.http_headers is None:
                continue
            content_type = record.http_headers.get_header("Content-Type")
            # content_stream() undoes chunked transfer and gzip/deflate content encoding.
            payload = record.content_stream().read(settings.max_record_bytes + 1)
            remaining = getattr(record.raw_stream, "limit", 0) or 0
            if remaining > 0 and not record.raw_stream.read(1):
                problem = f"truncated WARC: record {number} ends {remaining} bytes early"
                break
            if not _is_html(content_type, payload):
                continue
            name = f"{source}#{number}"
            if len(payload) > settings.max_record_bytes:
                yield IngestError(
                    source=name,
                    reason=f"record {number} is over the record limit of {settings.max_record_bytes} bytes",
                )
                continue
            fields: dict[str, Any] = {
                "warc_date": record.rec_headers.get_header("WARC-Date"),
                "warc_record_id": record.rec_headers.get_header("WARC-Record-ID"),
            }
            http_date = record.http_headers.get_header("Date")
            if http_date:
                fields["http_date"] = http_date
            if content_type:
                fields["content_type"] = content_type  # its charset, if any, helps decoding
            found += 1
            yield RawDocument(
                source=name, data=payload, format="html", media_type="text/html",
                url=record.rec_headers.get_header("WARC-Target-URI"), fields=fields,
            )
    except OverBudget as exc:
        problem = f"{exc} (at record {number})"
    except (ArchiveLoadFailed, EOFError, OSError, ValueError, zlib.error) as exc:
        problem = f"corrupt WARC after record {number}: {exc}"
    except (AttributeError, TypeError, KeyError, IndexError) as exc:
        # warcio trips over headers cut or mangled in ways it does not check (a record without
        # its target URI, say): the input is malformed, not our reader.
        problem = f"corrupt WARC after record {number}: a malformed or cut record header ({type(exc).__name__})"
    if problem is None:
        problem = _cut_after_last_record(stream, records, previous, number)
    if problem:
        yield IngestError(source=source, reason=problem)
    elif not found:
        yield IngestError(source=source, reason=f"no HTML response records in {number} WARC records")


_WARC_TYPES = {"warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion", "continuation"}


def _header_problem(record: Any) -> str | None:
    """What a WARC record's header lacks of what every record must have, or None. (warcio yields
    a record from a header cut short; its missing fields show the cut.)"""
    if not str(getattr(record, "format", "warc")).startswith("warc"):
        return None  # ARC records have other headers
    if record.rec_type not in _WARC_TYPES:
        return f"has no known WARC-Type ({str(record.rec_type)[:40]!r})"
    length = record.rec_headers.get_header("Content-Length")
    if length is None or not length.strip().isdigit():
        return "has no valid Content-Length"
    if not record.rec_headers.get_header("WARC-Record-ID") or not record.rec_headers.get_header("WARC-Date"):
        return "lacks WARC-Record-ID or WARC-Date"
    return None


def _ends_early(record: Any) -> int:
    """How many bytes of a record's declared content never came (0: complete). Read after
    warcio has moved past the record (it reads each one to its end)."""
    return max(0, getattr(record.raw_stream, "limit", 0) or 0)


def _cut_after_last_record(stream: IO[bytes], records: ArchiveIterator, last: Any, number: int) -> str | None:
    """Why the stream does not end where its last complete record does, or None. warcio ends
    quietly at a record header cut short (it takes the EOF for the end of the file), so the
    bytes it left unparsed are counted here."""
    if last is not None and _ends_early(last):
        return f"truncated WARC: record {number} ends {_ends_early(last)} bytes early"
    try:
        leftover = stream.tell() - records.offset
    except (OSError, ValueError, AttributeError):
        return None
    if leftover > 0:
        where = f"after record {number}" if number else "at its start"
        return f"truncated WARC: {leftover} bytes {where} are not a complete record (a cut header?)"
    return None


# -- RSS / Atom --------------------------------------------------------------------------------


def _words(html: str) -> int:
    return len(_TAG.sub(" ", html).split())


def _iso(parsed: Any) -> str | None:
    if not parsed:
        return None
    stamp = calendar.timegm(parsed)  # feedparser normalises times to UTC
    return dt.datetime.fromtimestamp(stamp, tz=dt.UTC).isoformat()


def _entry_html(entry: Any) -> str:
    contents = entry.get("content") or []
    best = max((c.get("value", "") for c in contents), key=len, default="")
    summary = entry.get("summary", "") or ""
    return best if _words(best) >= _words(summary) else summary


@dataclass(frozen=True)
class FeedEntry:
    name: str  # the feed's source plus "#N"
    fields: dict[str, Any]
    full_html: str | None  # the entry's own HTML when it carries the full text
    link: str | None
    entry_id: str | None  # the feed's own id for the entry (RSS guid, Atom id)
    stamp: str | None = None  # the entry's updated (else published) date as the feed writes it


def _text_or_none(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def feed_entries(data: bytes, source: str) -> Iterator[FeedEntry]:
    """One FeedEntry per entry of an RSS / Atom / RDF feed; ValueError if it holds no entries."""
    parsed = feedparser.parse(data)
    if not parsed.entries:
        why = f": {parsed.get('bozo_exception')}" if parsed.get("bozo") else ""
        raise ValueError(f"a feed with no entries{why}")
    feed_title = parsed.feed.get("title")
    for number, entry in enumerate(parsed.entries, start=1):
        fields: dict[str, Any] = {
            "title": entry.get("title"),
            "published": _iso(entry.get("published_parsed") or entry.get("updated_parsed")),
            "author": entry.get("author"),
            "feed_title": feed_title,
        }
        html = _entry_html(entry)
        link = entry.get("link")
        ident = entry.get("id")
        yield FeedEntry(
            name=f"{source}#{number}", fields=fields,
            full_html=html if _words(html) >= FULL_TEXT_MIN_WORDS else None,
            link=link if isinstance(link, str) and link else None,
            entry_id=ident if isinstance(ident, str) and ident.strip() else None,
            # dict.get: feedparser's own get maps a missing `updated` to `published` with a warning.
            stamp=_text_or_none(dict.get(entry, "updated") or dict.get(entry, "published")),
        )
