"""Same-length text normalisation: the model reads typographic quotes and spaces as their plain
forms (it tags them far better), and every offset stays an offset into the original body."""

from __future__ import annotations

from ..model.lexicon import PLAIN_FORMS

_PLAIN = str.maketrans(PLAIN_FORMS)


def plain(text: str) -> str:
    """`text` with curly quotes, guillemets, odd spaces and hyphens made plain; same length."""
    return text.translate(_PLAIN)
