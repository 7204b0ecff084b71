"""Language of a text as an ISO 639-1 code, by py3langid (a small, maintained langid.py fork)."""

from __future__ import annotations

import py3langid

_MIN_LETTERS = 20


def detect_language(text: str) -> str | None:
    """None when the text is too short to tell."""
    sample = text[:1500]  # enough for a confident guess; the classifier's cost grows with length
    if sum(c.isalpha() for c in sample) < _MIN_LETTERS:
        return None
    code, _ = py3langid.classify(sample)
    return code or None
