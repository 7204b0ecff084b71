"""How each outlet tells the story: its names and labels, loaded language, opinion sentences.

Loaded language is found by general mechanisms: similes ("like rats fleeing a sinking ship",
"as cold as ice") and a lexicon of general English evaluative words. Opinion sentences are those
where the writer, not a quoted source, judges or prescribes: deontic modals, evaluative frames
("the only reason", "it will be interesting to see"), evaluative adjectives, first person, scare
quotes. A sentence attributed to someone else ("said", "told", "according to") is reporting.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ..compare import clip, normalise
from ..model import (
    Article,
    ArticleFraming,
    Framing,
    FramingItem,
    Reading,
    TermComparison,
)

MAX_ITEMS = 40  # per article and kind: bounded output for huge inputs

_SIMILE = re.compile(
    r"\b(?:[Ll]ike|[Aa]s if|[Aa]s though)\s+(?:a |an |the )?[a-z]+(?:\s[a-z]+)?\s[a-z]+ing"
    r"(?:\s(?:a|an|the|their|its|his|her)\s[a-z]+(?:\s[a-z]+)?|\s[a-z]+)?"
    r"|\b[Aa]s\s[a-z]+\sas\s(?:a|an|the)\s[a-z]+"
)
# Verbs in -ing that do not make a simile ("like being", "like saying" introduce no image).
_NOT_SIMILE_VERBS = {"being", "having", "saying", "doing", "going", "getting", "making", "seeing", "thing", "something", "nothing", "anything", "everything", "during", "bring"}

LOADED_WORDS = frozenset(["brutal", "barbaric", "savage", "heinous", "horrific", "horrifying", "monstrous", "evil", "vile", "despicable", "notorious", "shadowy", "sinister", "infamous", "ruthless", "bloodthirsty", "fanatical", "fanatic", "zealots", "thugs", "thug", "scum", "cowardly", "cowards", "disgraceful", "shameful", "outrageous", "ridiculous", "absurd", "pathetic", "scruffy", "hordes", "regime", "puppet", "mouthpiece", "so-called", "propaganda", "infiltrators", "invaders", "invasion", "flood", "swarm", "swarms", "exodus", "onslaught", "rampage", "massacre", "slaughter", "butchered", "butchers", "crusade", "crusaders", "apostates", "infidels", "martyrdom", "martyrs", "heroic", "heroes", "valiant", "glorious", "disastrous", "catastrophic", "debacle", "fiasco", "self-serving", "hypocritical", "hypocrisy", "treacherous", "traitors", "vermin", "rats", "parasites", "plague"])

_DEONTIC = re.compile(r"\b(?:should(?:n't| not)?|ought to|must(?! have)|needs? to)\b", re.IGNORECASE)
_FRAMES = re.compile(
    r"\b(?:it will be interesting to see|it remains to be seen|the only reason|the truth is|"
    r"the fact is|clearly|obviously|of course|undoubtedly|frankly|sadly|unfortunately|"
    r"fortunately|needless to say|let'?s be (?:clear|honest)|make no mistake|no doubt)\b",
    re.IGNORECASE,
)
_EVALUATIVE = re.compile(
    r"\b(?:self-serving|hypocritical|ridiculous|absurd|shameful|disgraceful|outrageous|pathetic|"
    r"laughable|naive|foolish|reckless|irresponsible|unacceptable|deplorable|commendable|"
    r"admirable|interesting|ironic|tragic|unwise|misguided|shortsighted)\b",
    re.IGNORECASE,
)
_INTENSIFIED = re.compile(r"\b(?:very|so|too|extremely|utterly|truly|deeply|incredibly)\s+[a-z\-]+\b", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(?:I|we|our|us|my)\b")
_SCARE_QUOTES = re.compile(r"[\"\u201c]\w+[\"\u201d]")
_ATTRIBUTED = re.compile(r"\b(?:said|says|told|tells|according to|stated|added|explained|claimed|reported|quoted)\b", re.IGNORECASE)
_QUOTED_SPAN = re.compile(r"[\"\u201c][^\"\u201c\u201d]*[\"\u201d]")
OPINION_THRESHOLD = 2


def _unquoted(text: str) -> str:
    """The writer's own words: quoted spans of three words or more blanked out."""
    return _QUOTED_SPAN.sub(lambda m: m.group() if len(m.group().split()) < 3 else " ", text)


def opinion_cues(sentence: str) -> list[str]:
    """The cues that make a sentence the writer's opinion (empty when it reads as reporting)."""
    own = _unquoted(normalise(sentence))
    if _ATTRIBUTED.search(own):
        return []
    cues: list[str] = []
    score = 0
    for rx, weight in ((_DEONTIC, 2), (_FRAMES, 2), (_EVALUATIVE, 1), (_INTENSIFIED, 1), (_FIRST_PERSON, 1), (_SCARE_QUOTES, 1)):
        found = [m.group() for m in rx.finditer(own)]
        if found:
            cues.extend(found[:2])
            score += weight
    if own.rstrip().endswith("?"):
        cues.append("rhetorical question")
        score += 1
    # An evaluative adjective under an intensifier ("very self-serving") counts once more.
    if _INTENSIFIED.search(own) and _EVALUATIVE.search(own):
        score += 1
    return cues if score >= OPINION_THRESHOLD else []


def loaded_terms(text: str) -> list[tuple[str, int, int]]:
    """(term, start, end) of figurative or loaded language in a text."""
    out = []
    for m in _SIMILE.finditer(text):
        words = m.group().lower().split()
        if any(w in _NOT_SIMILE_VERBS for w in words[1:]):
            continue
        out.append((m.group(), m.start(), m.end()))
    for m in re.finditer(r"[A-Za-z][A-Za-z\-]+", text):
        if m.group().lower() in LOADED_WORDS and not any(s <= m.start() < e for _, s, e in out):
            out.append((m.group(), m.start(), m.end()))
    return sorted(out, key=lambda t: t[1])


def _label(article: Article) -> str:
    return article.outlet or f"article {article.id}"


def article_framing(article: Article, reading: Reading) -> ArticleFraming:
    loaded: list[FramingItem] = []
    opinion: list[FramingItem] = []
    seen_loaded: set[str] = set()
    for sent in reading.sentences:
        for term, s, e in loaded_terms(sent.text):
            key = term.lower()
            if key in seen_loaded or len(loaded) >= MAX_ITEMS:
                continue  # a repeated passage (a page printing its lead twice) is one choice
            seen_loaded.add(key)
            loaded.append(FramingItem(term=clip(term, 120), kind="loaded", sentence=clip(sent.text), start=sent.start + s, end=sent.start + e))
        cues = opinion_cues(sent.text)
        if cues and len(opinion) < MAX_ITEMS and all(normalise(o.sentence) != normalise(sent.text) for o in opinion):
            opinion.append(FramingItem(term=clip(", ".join(dict.fromkeys(cues)), 120), kind="opinion", sentence=clip(sent.text), start=sent.start, end=sent.end))
    return ArticleFraming(
        article_id=article.id, outlet=article.outlet, group_names=dict(reading.group_names),
        member_labels=dict(reading.member_labels), loaded=loaded, opinion=opinion,
    )


def build_framing(articles: Sequence[Article], readings: dict[str, Reading]) -> Framing:
    per_article = [article_framing(a, readings[a.id]) for a in articles if a.id in readings]
    labels = {a.id: _label(a) for a in articles}
    side: list[TermComparison] = []
    for concept, attr in (("group name", "group_names"), ("member label", "member_labels"), ("loaded term", None)):
        by_outlet: dict[str, Counter[str]] = {}
        for fr in per_article:
            counts = Counter(getattr(fr, attr)) if attr else Counter(i.term.lower() for i in fr.loaded)
            by_outlet.setdefault(labels[fr.article_id], Counter()).update(counts)
        if any(by_outlet.values()):
            side.append(TermComparison(concept=concept, by_outlet={k: dict(v.most_common()) for k, v in by_outlet.items()}))
    return Framing(articles=per_article, side_by_side=side)
