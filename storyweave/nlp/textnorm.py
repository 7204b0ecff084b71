"""Same-length text normalisation: the model reads typographic quotes and spaces as their plain
forms (it tags them far better), and every offset stays an offset into the original body."""

from __future__ import annotations

_PLAIN = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ",
    "\u2010": "-", "\u2011": "-",
})


def plain(text: str) -> str:
    """`text` with curly quotes, guillemets, odd spaces and hyphens made plain; same length."""
    return text.translate(_PLAIN)
