"""Stage 2, clean: RawDocument -> Article (clean body, captions, metadata, offset map)."""

from __future__ import annotations

from ..model import Article, RawDocument


class CleanError(ValueError):
    """The record holds no article (empty, binary, no text after cleaning)."""


def clean_document(raw: RawDocument) -> Article:
    text = raw.data.decode("utf-8", "replace").strip()
    if not text:
        raise CleanError("empty input")
    return Article(id=raw.sha256[:16], source=raw.source, body=text, raw_sha256=raw.sha256)
