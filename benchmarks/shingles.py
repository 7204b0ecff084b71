"""Word 4-gram shingle precision/recall/F1, the usual measure of the article-extraction benchmark.

Both texts are tokenised into words (Unicode `\\w+`, case-folded), turned into sets of word 4-grams,
and the output's set is scored against the truth's. Pages whose truth has no shingles are skipped
by callers; an empty output scores precision 0, recall 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, n: int = 4) -> set[tuple[str, ...]]:
    words = _WORD.findall((text or "").casefold())
    if len(words) < n:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float


def score(output: str, truth: str, n: int = 4) -> Score:
    out, gold = shingles(output, n), shingles(truth, n)
    if not out or not gold:
        return Score(0.0, 0.0, 0.0)
    hit = len(out & gold)
    p, r = hit / len(out), hit / len(gold)
    return Score(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def mean(scores: list[Score]) -> Score:
    k = max(len(scores), 1)
    return Score(
        sum(s.precision for s in scores) / k,
        sum(s.recall for s in scores) / k,
        sum(s.f1 for s in scores) / k,
    )
