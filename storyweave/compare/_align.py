"""Align statements across a story's articles: which sentences state the same fact.

Two sentences from different articles are candidates when their embeddings are close (top
neighbours from one matrix product) or when they share a rare fact (a number, an entity key, a
rare word: found through an inverted index). Each candidate is scored by meaning plus shared facts,
and accepted pairs are merged greedily, best first, into groups holding at most one sentence per
article, or two adjacent ones (so one article never corroborates itself) and whose members stay close on average (so a
chain of weak links never glues unrelated statements together).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np

from ..model import Article, Reading
from ._text import content_terms, normalise, number_key, numbers_in

Embedder = Callable[[Sequence[str]], np.ndarray]

MIN_WORDS = 4  # shorter sentences (datelines, captions) state no comparable fact
MAX_CHARS = 1500  # a sentence longer than this is a splitting failure; compare its head only
NEIGHBOURS = 12  # embedding neighbours examined per sentence
CANDIDATE_SIM = 0.30  # below this cosine a pair needs shared facts to be a candidate
ACCEPT = 0.71  # combined score needed to align two sentences
RARE_TERM_MAX_DF = 3  # a word in at most this many sentences of the story counts as rare
GROUP_MIN_SCORE = 0.45  # every cross pair of a merged group scores at least this
GROUP_MEAN_SCORE = 0.60  # and the cross pairs score this on average
MAX_PER_ARTICLE = 2  # sentences one article may bring to a group (adjacent only)
EXACT_NEIGHBOURS_MAX = 4000  # above this many sentences, neighbours come from an HNSW index
RARE_KEY_MAX_DF = 8  # fact keys in more sentences than this are too common to block on


@dataclass(frozen=True)
class Statement:
    """One sentence of one article, with the facts read from it."""

    article_id: str
    index: int  # position in the reading's sentence list
    text: str
    start: int
    end: int
    numbers: frozenset[str] = frozenset()
    entity_keys: frozenset[str] = frozenset()
    terms: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()  # last word of each named source the sentence credits
    phrases: frozenset[tuple[str, str]] = frozenset()  # adjacent content-word pairs


@dataclass
class StatementGroup:
    """Statements that state the same fact: one per article, or two adjacent ones."""

    statements: list[Statement] = field(default_factory=list)
    score: float = 0.0  # best pair score that joined it (0 for a lone statement)

    @property
    def article_ids(self) -> list[str]:
        return [s.article_id for s in self.statements]


def statements_of(article: Article, reading: Reading) -> list[Statement]:
    """The comparable sentences of one article, with their numbers and entity keys."""
    out = []
    ents = sorted(reading.entities, key=lambda e: e.start)
    quants = sorted(reading.quantities, key=lambda q: q.start)
    for i, sent in enumerate(reading.sentences):
        text = sent.text
        if len(content_terms(text)) < MIN_WORDS - 1 or len(text.split()) < MIN_WORDS:
            continue
        nums = set(numbers_in(text))
        nums.update(number_key(q.value) for q in quants if sent.start <= q.start < sent.end)
        named = [
            e for e in ents
            if sent.start <= e.start < sent.end and e.label not in {"CARDINAL", "ORDINAL", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY"}
        ]
        keys = {e.key for e in named}
        # Words inside a quote are the speaker's: the speaker's key is a fact of the sentence.
        keys.update(q.speaker_key for q in reading.quotes if q.speaker_key and q.start < sent.end and sent.start < q.end)
        # Words are compared apart from names: a name counts once, through its key and rarity.
        plain = text
        for e in sorted(named, key=lambda e: -e.start):
            a, b = e.start - sent.start, e.end - sent.start
            if 0 <= a < b <= len(plain):
                plain = plain[:a] + " " + plain[b:]
        terms_list = content_terms(plain)
        sources = {
            words[-1].lower() for a in reading.attributions
            if sent.start <= a.start < sent.end and (a.named or a.is_publication)
            and (words := re.findall(r"[A-Za-z][\w\-]*", a.source))
        }
        out.append(Statement(
            article_id=article.id, index=i, text=text, start=sent.start, end=sent.end,
            numbers=frozenset(nums), entity_keys=frozenset(keys), terms=frozenset(content_terms(plain)),
            sources=frozenset(sources),
            phrases=frozenset(pairwise(terms_list)),
        ))
    return out


class _Scorer:
    """Scores a pair: cosine plus bonuses for shared numbers, entities and rare words."""

    def __init__(self, statements: Sequence[Statement], vectors: np.ndarray, vocab: dict[str, set[str]] | None = None):
        self.statements = statements
        self.vocab = vocab or {}
        self.vectors = vectors
        n = max(len(statements), 1)
        df: dict[str, int] = defaultdict(int)
        for s in statements:
            for t in s.terms:
                df[t] += 1
        self.df = df
        key_df: dict[str, int] = defaultdict(int)
        for s in statements:
            for k in s.entity_keys:
                key_df[k] += 1
        top = math.log((n + 1) / 2.5)  # the weight of a key seen in exactly two sentences
        self.key_weight = {k: max(0.0, math.log((n + 1) / (d + 0.5)) / top) ** 2 for k, d in key_df.items()}
        self.idf = {t: math.log((n + 1) / (d + 0.5)) for t, d in df.items()}

    def cosine(self, i: int, j: int) -> float:
        return float(self.vectors[i] @ self.vectors[j])

    def score(self, i: int, j: int) -> float:
        a, b = self.statements[i], self.statements[j]
        sim = self.cosine(i, j)
        shared = a.terms & b.terms
        union = sum(self.idf[t] for t in a.terms | b.terms) or 1.0
        weighted_jaccard = sum(self.idf[t] for t in shared) / union
        # Words few sentences use ("passport", "humanitarian") say more than topic words do.
        rare = min(sum(self.idf[t] for t in shared if self.df[t] <= RARE_TERM_MAX_DF), 8.0)
        bonus = 0.6 * weighted_jaccard + 0.04 * rare
        if any(self.df[w1] <= RARE_TERM_MAX_DF or self.df[w2] <= RARE_TERM_MAX_DF for w1, w2 in a.phrases & b.phrases):
            bonus += 0.08  # a shared rare phrase ("humanitarian aid") is the same wording
        shared_numbers = a.numbers & b.numbers
        if shared_numbers:
            # The same specific number is strong evidence of the same fact; small counts and
            # years recur across facts of one story and say little.
            bonus += max(_number_weight(n) for n in shared_numbers)
        elif a.numbers and b.numbers:
            bonus -= 0.03  # different numbers: maybe the same fact in conflict, but weaker
        # A shared name counts by its rarity: the story's topic places (in every other sentence)
        # identify nothing, a person named twice in the story does.
        bonus += min(sum(0.10 * self.key_weight[k] for k in a.entity_keys & b.entity_keys), 0.2)
        # A sentence crediting a source the other article never names reports something else.
        for x, y in ((a, b), (b, a)):
            words = self.vocab.get(y.article_id)
            if words is not None and any(src not in words for src in x.sources):
                bonus -= 0.08
                break
        return sim + bonus


def _number_weight(key: str) -> float:
    try:
        value = float(key)
    except ValueError:
        return 0.08
    if value <= 12 or (1900 <= value <= 2100 and value.is_integer()):
        return 0.08
    return 0.25


def _exact_neighbours(statements: Sequence[Statement], vectors: np.ndarray):
    """(i, j, cosine) for each sentence's nearest sentences of other articles: exact, by blocks
    of the similarity matrix (bounded memory)."""
    n = len(statements)
    art = np.array([hash(s.article_id) for s in statements])
    k = min(NEIGHBOURS, n - 1)
    block = 256
    for lo in range(0, n, block):
        sims = vectors[lo : lo + block] @ vectors.T
        sims[art[lo : lo + block, None] == art[None, :]] = -1.0
        top = np.argpartition(-sims, kth=k - 1, axis=1)[:, :k]
        for r, row in enumerate(top):
            for j in row:
                yield lo + r, int(j), float(sims[r, j])


def _ann_neighbours(statements: Sequence[Statement], vectors: np.ndarray):
    """The same from an HNSW index (hnswlib), for stories too large for exact search."""
    import hnswlib

    n, dim = vectors.shape
    index = hnswlib.Index(space="ip", dim=dim)
    index.init_index(max_elements=n, ef_construction=100, M=16, random_seed=7)
    index.add_items(vectors, np.arange(n))
    k = min(NEIGHBOURS * 3, n)  # extra: neighbours from the same article are dropped
    index.set_ef(max(k * 2, 50))
    labels, distances = index.knn_query(vectors, k=k)
    for i in range(n):
        kept = 0
        for j, dist in zip(labels[i], distances[i]):
            j = int(j)
            if j == i or statements[j].article_id == statements[i].article_id:
                continue
            yield i, j, 1.0 - float(dist)  # hnswlib's "ip" distance is 1 - dot product
            kept += 1
            if kept >= NEIGHBOURS:
                break


def _candidate_pairs(statements: Sequence[Statement], vectors: np.ndarray) -> set[tuple[int, int]]:
    """Blocking: embedding neighbours plus pairs sharing a rare fact key, across articles only."""
    pairs: set[tuple[int, int]] = set()
    n = len(statements)
    if n > 1:
        neighbours = _ann_neighbours if n > EXACT_NEIGHBOURS_MAX else _exact_neighbours
        for i, j, sim in neighbours(statements, vectors):
            if sim >= CANDIDATE_SIM:
                pairs.add((min(i, j), max(i, j)))
    index: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(statements):
        for key in s.entity_keys:
            index["e:" + key].append(i)
        for num in s.numbers:
            if num not in {"1", "2", "3"}:  # tiny numbers say little about identity
                index["n:" + num].append(i)
    for members in index.values():
        if len(members) > RARE_KEY_MAX_DF:
            continue
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if statements[i].article_id != statements[j].article_id:
                    pairs.add((i, j))
    return pairs


def _may_join(statements: Sequence[Statement], a: list[int], b: list[int]) -> bool:
    """An article may put one sentence in a group, or two adjacent ones (a fact told across a
    sentence break, such as a quote and its attribution); never more, so it cannot vouch twice."""
    by_article: dict[str, list[int]] = defaultdict(list)
    for m in (*a, *b):
        by_article[statements[m].article_id].append(statements[m].index)
    for idxs in by_article.values():
        if len(idxs) > MAX_PER_ARTICLE or max(idxs) - min(idxs) + 1 != len(idxs):
            return False
    # A headline (no closing punctuation) stands alone; it is not the next sentence's companion.
    for x in (*a, *b):
        st = statements[x]
        if len(by_article[st.article_id]) > 1 and not _is_full_sentence(st.text):
            return False
    return True


def _is_full_sentence(text: str) -> bool:
    return normalise(text).rstrip("\"')] ").endswith((".", "!", "?", ":"))


def _all_pairs(statements: Sequence[Statement]) -> set[tuple[int, int]]:
    """The unblocked baseline: every cross-article pair (kept for the benchmark)."""
    return {
        (i, j)
        for i in range(len(statements))
        for j in range(i + 1, len(statements))
        if statements[i].article_id != statements[j].article_id
    }


def align_statements(
    articles: Sequence[Article],
    readings: dict[str, Reading],
    embedder: Embedder | None = None,
    blocking: bool = True,
) -> list[StatementGroup]:
    """Group the sentences of a story's articles by the fact they state.

    Returns every comparable sentence in exactly one group; groups of one are single-source.
    Groups come in order of first appearance (article order, then sentence order).
    """
    if embedder is None:
        from ..embeddings import embed

        embedder = embed
    statements: list[Statement] = []
    for article in articles:
        reading = readings.get(article.id)
        if reading is not None:
            statements.extend(statements_of(article, reading))
    if not statements:
        return []
    vectors = np.asarray(embedder([normalise(s.text)[:MAX_CHARS] for s in statements]), dtype=np.float32)
    vocab = {a.id: set(re.findall(r"[a-z][\w\-]*", a.body.lower())) for a in articles}
    scorer = _Scorer(statements, vectors, vocab)
    pairs = _candidate_pairs(statements, vectors) if blocking else _all_pairs(statements)
    scored = sorted(
        ((scorer.score(i, j), i, j) for i, j in pairs), key=lambda t: (-t[0], t[1], t[2])
    )
    group_of = list(range(len(statements)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(statements))}
    best: dict[int, float] = {}
    for score, i, j in scored:
        if score < ACCEPT:
            break
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        a_members, b_members = members[gi], members[gj]
        if not _may_join(statements, a_members, b_members):
            continue
        # Every article must fit the merged group, not just the pair that links them (no
        # chains): for each pair of articles across the two groups, their best sentence pair.
        best_by_articles: dict[tuple[str, str], float] = {}
        for x in a_members:
            for y in b_members:
                ax, ay = statements[x].article_id, statements[y].article_id
                if ax != ay:
                    k = (ax, ay)
                    best_by_articles[k] = max(best_by_articles.get(k, -1.0), scorer.score(x, y))
        cross = list(best_by_articles.values()) or [score]
        if min(cross) < GROUP_MIN_SCORE or sum(cross) / len(cross) < GROUP_MEAN_SCORE:
            continue
        keep, drop = (gi, gj) if len(a_members) >= len(b_members) else (gj, gi)
        for m in members[drop]:
            group_of[m] = keep
        members[keep].extend(members.pop(drop))
        best[keep] = max(best.get(keep, 0.0), best.pop(drop, 0.0), score)
    groups = []
    for root, idxs in members.items():
        idxs.sort()
        groups.append((idxs[0], StatementGroup([statements[i] for i in idxs], best.get(root, 0.0))))
    groups.sort(key=lambda t: t[0])
    return [g for _, g in groups]
