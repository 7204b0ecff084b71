"""Bytes -> text: a BOM wins, then strict UTF-8, then the declared charset (HTTP Content-Type or
an HTML meta tag), then charset-normalizer's best guess."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from .errors import CleanError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9._:-]{1,40})""", re.I)


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    """The charset a Content-Type header or the page's own <meta> declares, if Python knows it."""
    for where in ((content_type or "").encode("ascii", "ignore"), data[:4096]):
        m = _CHARSET.search(where)
        if m:
            name = m.group(1).decode("ascii")
            try:
                return codecs.lookup(name).name
            except LookupError:
                continue
    return None


def decode_bytes(data: bytes, content_type: str | None = None) -> str:
    """Decode raw input; raise CleanError when it is not text in any encoding we can recognise."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise CleanError(f"undecodable {encoding} text after its byte-order mark") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _decode_declared(data, declared_charset(data, content_type)) or _decode_guessed(data)
    if "\x00" in text:
        raise CleanError("binary data: NUL characters in the decoded text")
    return text


def _decode_declared(data: bytes, charset: str | None) -> str | None:
    if charset is None:
        return None
    try:
        return data.decode(charset)
    except (UnicodeDecodeError, LookupError, TypeError, ValueError):
        return None  # the declaration is wrong or not a text encoding; guess instead


def _decode_guessed(data: bytes) -> str:
    best = from_bytes(data).best()
    if best is None:
        raise CleanError("undecodable: not text in any recognised encoding")
    return str(best)
