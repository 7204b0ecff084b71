"""Text that remembers where each character came from, and the Unicode normalisation of body text.

Cleaning works on a source text whose every character knows its offset in the decoded raw input
(or -1 where none: text re-created by an extractor). The body is assembled from normalised pieces
of it; runs of characters copied unchanged become the Article's offset map.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from ..model import OffsetSegment
from ..model.lexicon import PLAIN_FORMS

# Typographic variants folded to their plain forms; zero-width characters and soft hyphens dropped.
_FOLD = {**PLAIN_FORMS, **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad", "")}


@dataclass
class MappedText:
    """`text[i]` came from raw offset `pos[i]` (-1: not from the raw text)."""

    text: str
    pos: list[int]

    @classmethod
    def identity(cls, text: str) -> MappedText:
        return cls(text, list(range(len(text))))

    @classmethod
    def unmapped(cls, text: str) -> MappedText:
        return cls(text, [-1] * len(text))

    def slice(self, start: int, end: int) -> MappedText:
        return MappedText(self.text[start:end], self.pos[start:end])

    def strip_cr(self) -> MappedText:
        """Without the carriage return of a CRLF line end."""
        return self.slice(0, len(self.text) - 1) if self.text.endswith("\r") else self


def normalise(piece: MappedText) -> MappedText:
    """Fold quotes and spaces, drop invisible and control characters, collapse space runs, NFC.

    Characters that survive unchanged keep their raw offsets; substituted ones get -1.
    """
    text = piece.text
    if text.isascii() and text.isprintable() and "  " not in text:
        # Nothing to fold (the common case): only trim.
        start, end = len(text) - len(text.lstrip(" ")), len(text.rstrip(" "))
        return piece.slice(start, end) if (start, end) != (0, len(text)) else piece
    out: list[str] = []
    pos: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        j = i + 1
        # A base character with its combining marks is normalised as one cluster.
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = text[i:j]
        if ch in _FOLD:
            repl, mapped = _FOLD[ch], False
        elif unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\n":
            repl, mapped = "", False
        elif j - i > 1 or not unicodedata.is_normalized("NFC", ch):
            repl = unicodedata.normalize("NFC", cluster)
            mapped = repl == cluster
        else:
            repl, mapped = ch, True
        for k, c in enumerate(repl):
            if c == " " and (not out or out[-1] == " "):
                continue  # collapse runs of spaces; leading spaces dropped
            out.append(c)
            pos.append(piece.pos[i + k] if mapped else -1)
        i = j
    while out and out[-1] == " ":
        out.pop()
        pos.pop()
    return MappedText("".join(out), pos)


@dataclass
class BodyBuilder:
    """Joins normalised paragraphs with blank lines and derives the offset map."""

    parts: list[MappedText] = field(default_factory=list)

    def add(self, piece: MappedText) -> None:
        if piece.text:
            self.parts.append(piece)

    def build(self) -> tuple[str, list[OffsetSegment]]:
        text: list[str] = []
        pos: list[int] = []
        for k, part in enumerate(self.parts):
            if k:
                text.append("\n\n")
                pos.extend((-1, -1))
            text.append(part.text)
            pos.extend(part.pos)
        return "".join(text), offset_segments(pos)


def offset_segments(pos: list[int]) -> list[OffsetSegment]:
    segments: list[OffsetSegment] = []
    start = None
    for i, p in enumerate(pos + [-1]):
        if start is not None and (p < 0 or p != pos[i - 1] + 1):
            segments.append(OffsetSegment(body_start=start, raw_start=pos[start], length=i - start))
            start = None
        if start is None and p >= 0:
            start = i
    return segments
