"""Recognise what a byte string holds from its content, not its name.

The kinds: "gzip", "warc", "jsonl", "feed", "html", "text". Inputs that hold no article at all
(empty, binary, a known non-text file type) raise `BadInput` with a reason a user can act on.
"""

from __future__ import annotations

import json
import re
import zlib

HEAD_BYTES = 8192

# Magic numbers of common binary files people drop into a news folder by mistake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (also .docx/.xlsx/.epub)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"BZh", "bzip2-compressed data (decompress it first)"),
    (b"\xfd7zXZ\x00", "xz-compressed data (decompress it first)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data (decompress it first)"),
    (b"\x7fELF", "an ELF executable"),
    (b"MZ", "a Windows executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"OggS", "an Ogg media file"),
    (b"fLaC", "a FLAC audio file"),
    (b"ID3", "an MP3 audio file"),
)
_RIFF_KINDS = {b"WEBP": "a WebP image", b"WAVE": "a WAV audio file", b"AVI ": "an AVI video"}

GZIP_MAGIC = b"\x1f\x8b"
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")

_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_HTML_START = re.compile(rb"<(!doctype\s+html|html)[\s>]", re.IGNORECASE)
_HTML_TAG = re.compile(
    rb"</?(p|div|span|a|br|li|ul|ol|h[1-6]|article|section|body|head|title|meta|script|style|img|"
    rb"table|tr|td|nav|header|footer|main|figure|figcaption|strong|em|b|i)\b[^>]{0,400}>",
    re.IGNORECASE,
)


class BadInput(ValueError):
    """The input holds no readable record; the message says why."""


def _is_utf16(head: bytes) -> bool:
    """UTF-16 text (with a byte-order mark, or without one but mostly ASCII: every other byte NUL)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    even, odd = head[0::2], head[1::2]
    if len(odd) < 16:
        return False
    for zeros, other in ((even, odd), (odd, even)):
        if zeros.count(0) >= 0.9 * len(zeros) and other.count(0) <= 0.02 * len(other):
            return True
    return False


def _binary_kind(head: bytes) -> str | None:
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    if head.startswith(b"RIFF") and head[8:12] in _RIFF_KINDS:
        return _RIFF_KINDS[head[8:12]]
    if len(head) > 11 and head[4:8] == b"ftyp":
        return "an MP4/MOV/HEIC media file"
    if b"\x00" in head and not _is_utf16(head):
        return "binary data (it contains NUL bytes)"
    return None


_LEADING_BLANK = re.compile(rb"[ \t\r\n\f\v]*")
MAX_LEADING_BLANK = 1 << 20


def _text_head(data: bytes) -> bytes:
    """HEAD_BYTES of content after any byte-order mark and leading whitespace (up to 1 MiB of it)."""
    start = 0
    for bom in _BOMS:
        if data.startswith(bom):
            start = len(bom)
            break
    blank = _LEADING_BLANK.match(data, start, start + MAX_LEADING_BLANK)
    start = blank.end() if blank else start
    return data[start : start + HEAD_BYTES]


def _first_line_is_json_object(head: bytes) -> bool:
    if not head.startswith(b"{"):
        return False
    line = head.split(b"\n", 1)[0].strip()
    try:
        return isinstance(json.loads(line), dict)
    except RecursionError:
        return True  # an object nested too deeply: the JSON Lines reader says so for its line
    except ValueError:
        # The first line may be longer than the sniffed head; an object start on a line that
        # runs past the head is still JSON Lines for all we can tell; the reader decides.
        return b"\n" not in head and len(head) >= HEAD_BYTES - 8


def sniff(data: bytes) -> str:
    """Say what `data` holds, or raise BadInput naming why it holds no article."""
    if not data:
        raise BadInput("empty file")
    if data.startswith(GZIP_MAGIC):
        return "gzip"
    if data.startswith(b"WARC/1."):
        return "warc"  # before the NUL check: WARC records carry binary payloads
    binary = _binary_kind(data[:HEAD_BYTES])
    if binary:
        raise BadInput(f"not text: {binary}")
    head = _text_head(data)
    if not head:
        bom = data.startswith(_BOMS)
        raise BadInput(f"empty file (only {'a byte-order mark and ' if bom else ''}whitespace)")
    if _first_line_is_json_object(head):
        return "jsonl"
    if head.startswith((b"{", b"[")):
        try:
            json.loads(data)
        except (ValueError, RecursionError):
            pass
        else:
            raise BadInput("a JSON document, not JSON Lines (one article object per line)")
    lowered = head[:2048]
    feed = _FEED_ROOT.search(lowered)
    html = _HTML_START.search(lowered)
    if feed and (not html or feed.start() < html.start()):
        return "feed"
    if html:
        return "html"
    if _looks_like_html(head):
        return "html"
    return "text"


def _looks_like_html(head: bytes) -> bool:
    """A fragment without <html>: dense markup (many known tags for its length) is still HTML."""
    if not head.startswith(b"<"):
        return False
    tags = _HTML_TAG.findall(head)
    return len(tags) >= 5 and len(tags) * 80 >= len(head) // 4


def gzip_head(data: bytes, size: int = 64) -> bytes:
    """The first `size` decompressed bytes of a gzip stream (b"" when even that is unreadable)."""
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[:65536], size)
    except zlib.error:
        return b""
