"""What the clusterer reads from one article: cheap, deterministic features.

Terms and entities are hashed into one fixed space (`HASH_BITS`) so that document frequencies
fit in one array and per-article vectors are small sorted (index, weight) arrays. Hashing uses
crc32, not Python's salted `hash`, so the same text gives the same features in every process.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..model import Article, Entity, Reading
from ..model.lexicon import ATTRIBUTION_WORDS, ENGLISH_STOP_WORDS, MONTH_NAMES, WEEKDAY_NAMES, published_date

HASH_BITS = 20
HASH_MASK = (1 << HASH_BITS) - 1
MAX_BODY_CHARS = 20_000  # bound the work on one (untrusted, maybe huge) article
LEDE_CHARS = 600
EMBED_CHARS = 1_000

# spaCy labels that name who and where a story is about (dates and numbers are handled apart).
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"})
# The who and where of an event, by kind: two look-alike events (a coach fired, a law passed, a
# quake) differ in exactly these, so each kind is compared on its own (see ArticleFeatures.actors).
# (Tried and left out: agreement of the one person and the one organisation a lede names most,
# as two more features; NER keys are too noisy for it - a first name alone, a misread word - and
# ECB+ fitted-half F1 fell, 0.931 -> 0.925 mean of 3 orders, `bench_cluster.py --tune`.)
ACTOR_KINDS = {"PERSON": "people", "GPE": "places", "LOC": "places", "FAC": "places", "ORG": "orgs"}

_WORD = re.compile(r"[^\W_]+(?:[.'’][^\W_]+)*", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?]['\"”’)]?\s+|\n+")
# A run of capitalised words, allowing short lower-case joiners inside names ("Bank of England").
_CAP_PHRASE = re.compile(
    r"\b[A-Z][\w'’\-]*[A-Za-z0-9](?:\s+(?:(?:of|the|de|la|le|del|da|van|von|al|bin|du)\s+)?[A-Z][\w'’\-]*[A-Za-z0-9])*"
)
_STOP = ENGLISH_STOP_WORDS | ATTRIBUTION_WORDS
# Capitalised words that are rarely names: weekdays and months are time, not actors.
_NOT_NAMES = _STOP | frozenset(WEEKDAY_NAMES + MONTH_NAMES) | frozenset(
    {"update", "updated", "breaking", "news", "photo", "image", "video",
     "read", "click", "share", "subscribe", "advertisement", "related", "published", "posted"}
)


@dataclass(frozen=True)
class SparseVec:
    """Sorted hashed indices with float32 weights."""

    idx: np.ndarray  # int32, sorted, unique
    val: np.ndarray  # float32

    @staticmethod
    def from_counts(counts: Counter[int]) -> "SparseVec":
        if not counts:
            return EMPTY
        keys = np.fromiter(sorted(counts), dtype=np.int32, count=len(counts))
        vals = np.fromiter((counts[int(k)] for k in keys), dtype=np.float32, count=len(counts))
        return SparseVec(keys, vals)

    def __len__(self) -> int:
        return int(self.idx.size)


EMPTY = SparseVec(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))


@dataclass(frozen=True)
class ArticleFeatures:
    article_id: str
    title: str
    embed_text: str
    body_terms: SparseVec  # sublinear tf (1 + log tf) of body words
    lede_terms: SparseVec  # same, title + lede only
    entities: SparseVec  # sublinear tf of entity keys
    lede_entities: SparseVec  # same, title + lede only: the main actors
    numbers: SparseVec  # sublinear tf of tokens with digits (years, counts, codes) in title + lede
    years: SparseVec  # years and weekdays named anywhere in the text, and the publication year: when it happened
    entity_names: dict[int, str]  # hashed key -> a readable surface form (for storyline reasons)
    day: int | None  # proleptic ordinal of the publication date, None when unknown
    shingle_text: str  # normalised body words, for near-duplicate detection
    bare_months: frozenset[int] = frozenset()  # months (1-12) named without a year: "in early September"
    months: frozenset[int] = frozenset()  # every month named, with or without a year
    # people, places and organisations named in the title and the body's first LEDE_CHARS, by the reading's entity keys (a
    # surname alone resolves to the full name): who and where the article is about. Empty
    # without a reading: capitalised phrases do not tell a person from a place.
    people: SparseVec = EMPTY
    places: SparseVec = EMPTY
    orgs: SparseVec = EMPTY


@lru_cache(maxsize=200_000)
def term_id(term: str) -> int:
    return zlib.crc32(term.encode("utf-8")) & HASH_MASK


def words(text: str) -> list[str]:
    """Lower-case word tokens, possessive 's dropped ("Palin's" -> "palin")."""
    out = []
    for w in _WORD.findall(text):
        w = w.lower()
        if w.endswith(("'s", "’s")):
            w = w[:-2]
        out.append(w)
    return out


def _content_terms(text: str) -> Counter[int]:
    counts: Counter[int] = Counter()
    for w in words(text):
        if len(w) > 1 and w not in _STOP:
            counts[term_id(w)] += 1
    return counts


def _number_terms(text: str) -> Counter[int]:
    return Counter(term_id("N:" + w) for w in words(text) if any(c.isdigit() for c in w))


_YEAR = re.compile(r"\b(?:19[5-9]\d|20\d\d)\b")


_WEEKDAY = re.compile(r"\b(" + "|".join(d.capitalize() for d in WEEKDAY_NAMES) + r")\b")


def _year_terms(text: str) -> Counter[int]:
    """Years and weekdays named: when the event happened. Two reports of one quake name the same
    day ("on Sunday"); its look-alike another. (Month names were tried too and lowered ECB+ F1.)"""
    counts = Counter(term_id("Y:" + y) for y in _YEAR.findall(text))
    counts.update(term_id("W:" + d) for d in _WEEKDAY.findall(text))
    return counts


def _publication_year(published: str | None) -> Counter[int]:
    """The year an article was published, as one of the years it names: a report of 2013 is about
    2013 even when its text names no year, so an undated look-alike naming 2008 disagrees with it
    (ECB+: fitted half 0.923 -> 0.926 B-cubed F1 over three arrival orders)."""
    day = published_date(published)
    return Counter({term_id(f"Y:{day.year}"): 1}) if day is not None else Counter()


_MONTH = re.compile(
    r"(?P<before>\b(?i:last|next|previous|coming)\s+)?\b(?P<month>" + "|".join(m.capitalize() for m in MONTH_NAMES)
    + r")\b(?P<day>\s+\d{1,2}(?:st|nd|rd|th)?\b)?(?P<year>,?\s+(?:of\s+)?(?:19|20)\d\d\b|\s+(?:last|next)\s+year\b)?"
)


def month_mentions(text: str) -> tuple[frozenset[int], frozenset[int]]:
    """(bare, all): months the text names, and those named without a year or a "last"/"next".

    A report names the months of its own year bare ("in early September"), so a bare month tells
    roughly when an undated article was written. "May" counts only with a day ("May 5"): alone it
    is mostly the verb.
    """
    bare: set[int] = set()
    every: set[int] = set()
    for m in _MONTH.finditer(text):
        month = MONTH_NAMES.index(m.group("month").lower()) + 1
        if month == 5 and not m.group("day"):
            continue
        every.add(month)
        if not m.group("before") and not m.group("year"):
            bare.add(month)
    return frozenset(bare), frozenset(every)


def _sublinear(counts: Counter[int]) -> SparseVec:
    return SparseVec.from_counts(Counter({k: 1.0 + math.log(v) for k, v in counts.items()}))


def title_and_body(article: Article) -> tuple[str, str]:
    """The headline (stated, else the first line of the body) and the body without it."""
    body = article.body[:MAX_BODY_CHARS]
    if article.title:
        return article.title.strip(), body
    first, _, rest = body.strip().partition("\n")
    if len(first) <= 200:
        return first.strip(), rest
    return "", body


def lede(body: str, chars: int = LEDE_CHARS) -> str:
    text = body.strip()[: chars * 2]
    cut = 0
    for m in _SENTENCE_END.finditer(text):
        if m.end() > chars:
            break
        cut = m.end()
    return text[: cut or chars]


def capitalised_phrases(text: str) -> Iterable[str]:
    """Cheap named-entity stand-in: runs of capitalised words, minus sentence-initial common words.

    A capitalised word is kept as a name unless its lower-case form is a stop word or also occurs
    in lower case in the same text (then it is an ordinary word that opened a sentence).
    """
    lower_vocab = {w for w in _WORD.findall(text) if w.islower()}
    for m in _CAP_PHRASE.finditer(text):
        parts = [p for p in re.split(r"\s+", m.group(0))]
        # drop leading/trailing tokens that are ordinary words
        while parts and (parts[0].lower() in _NOT_NAMES or parts[0].lower() in lower_vocab):
            parts.pop(0)
        while parts and (parts[-1].lower() in _NOT_NAMES or parts[-1].lower() in lower_vocab):
            parts.pop()
        if parts:
            yield " ".join(parts)


def _entity_counts(phrases: Iterable[str]) -> tuple[Counter[int], dict[int, str]]:
    """Key each phrase and each of its name words, so "Lohan" meets "Lindsay Lohan"."""
    counts: Counter[int] = Counter()
    names: dict[int, str] = {}
    for phrase in phrases:
        toks = [t for t in words(phrase) if t not in _NOT_NAMES]
        if not toks:
            continue
        keys = {"E:" + " ".join(toks)} | {"E:" + t for t in toks if len(t) > 2}
        for key in keys:
            h = term_id(key)
            counts[h] += 1
            names.setdefault(h, key[2:])
    return counts, names


def _reading_name(entity: Entity) -> str:
    """The NLP stage's normalised key without its label prefix ("org:wall street journal")."""
    return entity.key.split(":", 1)[-1] if entity.key else entity.text


BACKGROUND_DOCS = 1000.0  # pseudo-documents of general English news behind every corpus
_DOC_WORDS = 400.0  # typical article length, to turn a word's frequency into a document frequency


@lru_cache(maxsize=1)
def background_df() -> np.ndarray:
    """Document frequencies of BACKGROUND_DOCS pseudo-articles of general English (wordfreq).

    Without them a small corpus (five articles on one subject) gives every shared word the
    same low idf, and "Syria" in two articles counts as much as "Idlib"; with them a word's
    weight starts from how rare it is in English and moves with what the corpus shows.
    """
    from wordfreq import get_frequency_dict, top_n_list  # loaded on first use: its tables are large

    df = np.zeros(1 << HASH_BITS, dtype=np.float32)
    freqs = get_frequency_dict("en")
    for word in top_n_list("en", 100_000):
        p_doc = 1.0 - math.exp(-freqs.get(word, 0.0) * _DOC_WORDS)
        pseudo = BACKGROUND_DOCS * p_doc
        for key in (word, "E:" + word):
            h = term_id(key)
            df[h] = max(df[h], pseudo)
    return df


def publication_day(published: str | None) -> int | None:
    day = published_date(published)
    return day.toordinal() if day is not None else None


def article_features(article: Article, reading: Reading | None = None) -> ArticleFeatures:
    title, body = title_and_body(article)
    head = lede(body)
    if reading is not None and reading.entities:
        phrases: Iterable[str] = [_reading_name(e) for e in reading.entities if e.label in ENTITY_LABELS]
    else:
        phrases = list(capitalised_phrases(title + ".\n" + body))
    ent_counts, ent_names = _entity_counts(phrases)
    lede_end = len(title) + 2 + len(head)
    if reading is not None and reading.entities:
        offset = len(title) + 2 if not article.title else 0  # derived titles are part of the body
        head_phrases: Iterable[str] = [
            _reading_name(e) for e in reading.entities if e.label in ENTITY_LABELS and e.start < len(head) + offset
        ]
    else:
        head_phrases = list(capitalised_phrases((title + ".\n" + body)[:lede_end]))
    lede_counts, _ = _entity_counts(head_phrases)
    actors: dict[str, Counter[int]] = {"people": Counter(), "places": Counter(), "orgs": Counter()}
    if reading is not None:
        offset = len(title) + 2 if not article.title else 0
        for e in reading.entities:
            kind = ACTOR_KINDS.get(e.label)
            # the first LEDE_CHARS of the body: the lede's sentences, the last one included
            if kind and e.start < LEDE_CHARS + offset and e.key:
                h = term_id("A:" + e.key)
                actors[kind][h] += 1
                ent_names.setdefault(h, e.text)
    bare_months, months = month_mentions(title + "\n" + body)
    return ArticleFeatures(
        article_id=article.id,
        title=title,
        embed_text=(title + "\n" + head)[:EMBED_CHARS] if title else head[:EMBED_CHARS],
        body_terms=_sublinear(_content_terms(title + "\n" + body)),
        lede_terms=_sublinear(_content_terms(title + "\n" + head)),
        entities=_sublinear(ent_counts),
        lede_entities=_sublinear(lede_counts),
        numbers=_sublinear(_number_terms(title + "\n" + head)),
        years=_sublinear(_year_terms(title + "\n" + body) + _publication_year(article.published)),
        entity_names=ent_names,
        day=publication_day(article.published),
        shingle_text=" ".join(words(body)),
        bare_months=bare_months,
        months=months,
        people=_sublinear(actors["people"]),
        places=_sublinear(actors["places"]),
        orgs=_sublinear(actors["orgs"]),
    )
