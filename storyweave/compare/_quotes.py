"""Align quotations across articles: the same utterance as worded by each outlet."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..model import Article, Quote, Reading
from ..model.groups import find
from ._text import clip, content_terms, normalise

SAME_UTTERANCE = 0.55  # word-sequence similarity above which two quotes are one utterance
MIN_QUOTE_WORDS = 3
COMMON_WORD_MAX = 200
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "him", "her", "them"}
# Fallback when the reader found no quotes: text between paired double quotes.
_QUOTED = re.compile(r"[\"\u201c]([^\"\u201c\u201d]{8,600})[\"\u201d]")


@dataclass(frozen=True)
class QuoteMention:
    article_id: str
    speaker: str | None
    speaker_key: str | None
    text: str
    start: int
    end: int
    sentence: str
    sentence_start: int
    sentence_end: int
    relayed_by: str | None = None  # whose account carries the words (set on the speaker's mention)
    relays: str | None = None  # whose words this account relays (set on the relayer's mention)

    @property
    def wording(self) -> str:
        """The words as compared: normalised, case-folded, edge punctuation dropped."""
        return re.sub(r"^[\W_]+|[\W_]+$", "", normalise(self.text).lower())


def _sentence_of(reading: Reading, start: int) -> tuple[str, int, int]:
    s = reading.sentence_at(start)
    return (s.text, s.start, s.end) if s else ("", start, start)


def quote_mentions(article: Article, reading: Reading) -> list[QuoteMention]:
    """Direct quotes of one article (the reader's, else quoted spans found in the text). Words one
    person's account relays from another ('Reyes said Blake phoned, saying "..."') are mentioned
    twice: as the words' speaker's, and as the relaying person's account of them."""
    out = []
    direct = [q for q in reading.quotes if q.kind == "direct"]
    if not reading.quotes:
        direct = [Quote(speaker=None, speaker_key=None, text=m.group(1), kind="direct", start=m.start(1), end=m.end(1))
                  for m in _QUOTED.finditer(article.body)]
    for q in direct:
        if len(q.text.split()) < MIN_QUOTE_WORDS:
            continue
        sent, s0, s1 = _sentence_of(reading, q.start)
        text, sentence = clip(q.text, 1000), clip(sent or q.text)
        out.append(QuoteMention(article.id, q.speaker, q.speaker_key, text, q.start, q.end, sentence, s0, s1,
                                relayed_by=q.relayed_by))
        if q.relayed_by:
            out.append(QuoteMention(article.id, q.relayed_by, q.relayed_by_key, text, q.start, q.end, sentence, s0, s1,
                                    relays=q.speaker))
    return out


def _named(m: QuoteMention) -> set[str] | None:
    """The words of a speaker given by name ("Microsoft", "Dustin Childs"), or None for a
    description, a pronoun or no speaker ("the company", "he")."""
    words = (m.speaker or "").split()
    if not words or not words[0][:1].isupper() or words[0].lower() in _PRONOUNS | {"the", "a", "an"}:
        return None
    return {w.lower().strip(".,'") for w in words if len(w) > 2}


def _same_speaker(a: QuoteMention, b: QuoteMention) -> bool:
    if a.speaker_key and b.speaker_key:
        return a.speaker_key == b.speaker_key
    na, nb = _named(a), _named(b)
    if na is not None and nb is not None:
        # "Microsoft said" and "Dustin Childs said" over the same words: two credits, kept apart
        # so that neither outlet's quote is shown as the other's speaker's
        return bool(na & nb)
    return True  # an unresolved speaker ("he", "the company", none) may be anyone: let the words decide


def _similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a in b or b in a:
        return 1.0  # one quotes part of the other
    # Words, not characters: as telling for wording and far cheaper on long quotes.
    matcher = SequenceMatcher(None, a.split(), b.split(), autojunk=False)
    if matcher.real_quick_ratio() < SAME_UTTERANCE or matcher.quick_ratio() < SAME_UTTERANCE:
        return 0.0  # cheap upper bounds rule most pairs out before the exact ratio
    return matcher.ratio()


def _candidates(wordings: Sequence[str]) -> set[tuple[int, int]]:
    """Pairs of quotes sharing at least two content words (one for very short quotes): an
    inverted index, so a story with thousands of quotes is not compared all against all."""
    terms = [set(content_terms(w)) for w in wordings]
    index: dict[str, list[int]] = defaultdict(list)
    for i, ts in enumerate(terms):
        for t in ts:
            index[t].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for members in index.values():
        if len(members) > COMMON_WORD_MAX:
            continue  # a word in hundreds of quotes tells none of them apart
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                shared[(i, j)] += 1
    return {p for p, c in shared.items() if c >= min(2, len(terms[p[0]]), len(terms[p[1]]))}


def align_quotes(mentions: Sequence[QuoteMention]) -> list[list[QuoteMention]]:
    """Groups of mentions that are one utterance (across or within articles), in text order."""
    parent: dict[int, int] = {}  # union-find over mention indices

    words = [m.wording for m in mentions]
    keys = [frozenset({m.speaker_key}) if m.speaker_key else frozenset() for m in mentions]
    # Most similar pairs first, so a quote joins the utterance it matches best.
    scored = []
    for i, j in _candidates(words):
        a, b = mentions[i], mentions[j]
        if a.article_id != b.article_id and _same_speaker(a, b):
            sim = _similarity(words[i], words[j])
            if sim >= SAME_UTTERANCE:
                scored.append((-sim, i, j))
    named = [[n] if (n := _named(m)) is not None else [] for m in mentions]
    for _, i, j in sorted(scored):
        ri, rj = find(parent, i), find(parent, j)
        if ri == rj or (keys[ri] and keys[rj] and keys[ri] != keys[rj]) \
                or any(not (a & b) for a in named[ri] for b in named[rj]):
            continue  # an unattributed quote never bridges two different speakers
        parent[ri] = rj
        keys[rj] = keys[rj] | keys[ri]
        named[rj] = named[rj] + named[ri]
    groups: dict[int, list[QuoteMention]] = defaultdict(list)
    for i, m in enumerate(mentions):
        groups[find(parent, i)].append(m)
    return list(groups.values())


def group_speaker(group: Sequence[QuoteMention]) -> tuple[str | None, str | None]:
    """(speaker as named, speaker key) most often given for a group; pronouns lose to names, and a
    person's fullest name form wins."""
    keys = Counter(m.speaker_key for m in group if m.speaker_key)
    key = keys.most_common(1)[0][0] if keys else None
    names = Counter(
        m.speaker for m in group
        if m.speaker and (key is None or m.speaker_key == key) and m.speaker.lower() not in _PRONOUNS
    )
    if key is not None and names:
        # one person: the fullest form any outlet gives ("Donald Trump", not "Trump")
        return max(names, key=lambda n: (len(n.split()), names[n])), key
    name = names.most_common(1)[0][0] if names else None
    return name, key


def wording_difference(a: str, b: str) -> str:
    """The words that differ between two wordings, for a reader: "'that' vs 'so'"."""
    wa, wb = a.split(), b.split()
    parts = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes():
        if tag == "replace":
            parts.append(f"'{' '.join(wa[i1:i2])}' vs '{' '.join(wb[j1:j2])}'")
        elif tag == "insert":
            parts.append(f"adds '{' '.join(wb[j1:j2])}'")
        elif tag == "delete":
            parts.append(f"drops '{' '.join(wa[i1:i2])}'")
    return "; ".join(parts[:4])
