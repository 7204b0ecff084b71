"""Bytes -> text: a BOM wins, then strict UTF-8, then charset-normalizer's best guess."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from .errors import CleanError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_bytes(data: bytes) -> str:
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
        best = from_bytes(data).best()
        if best is None:
            raise CleanError("undecodable: not text in any recognised encoding") from None
        text = str(best)
    if "\x00" in text:
        raise CleanError("binary data: NUL characters in the decoded text")
    return text
