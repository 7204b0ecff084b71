"""Align statements across a story's articles: which sentences state the same fact.

Two sentences from different articles are candidates when their embeddings are close (top
neighbours from one matrix product) or when they share a rare fact (a number, an entity key, a
rare word: found through an inverted index). Each candidate gets a probability from a small
logistic model over its meaning and shared facts (fitted on the development gold), and accepted
pairs are merged greedily, best first, into groups holding at most one sentence per article, or
two adjacent ones (so one article never corroborates itself), with complete linkage: every
sentence of a group is paired with some sentence of every other article in it (so a chain of
links never glues unrelated statements together).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np

from ..model import Article, Reading
from ..model.lexicon import VAGUE_AMOUNT_QUALIFIERS
from ._text import content_terms, normalise, number_key, numbers_in

Embedder = Callable[[Sequence[str]], np.ndarray]

MIN_WORDS = 4  # shorter sentences (datelines, captions) state no comparable fact
MAX_CHARS = 1500  # a sentence longer than this is a splitting failure; compare its head only
NEIGHBOURS = 12  # embedding neighbours examined per sentence
CANDIDATE_SIM = 0.30  # below this cosine a pair needs shared facts to be a candidate
# Pair probability needed to align two sentences: leave-one-event-out precision 0.945 on the dev
# events at 0.8 (0.88 at 0.7), chosen for precision first.
ACCEPT = 0.80
# Two sentences sharing a specific number (above 12, not a year) need less: such pairs were 0.96
# precise from 0.4 and 1.0 from 0.5 (leave-one-event-out, dev events).
ACCEPT_SHARED_NUMBER = 0.45
# Within one group, two sentences quoting the same named speaker directly are parts of one
# utterance when each article also has an accepted pair with the group: their own pair needs only
# this much (a translated or abridged quote shares few words with the original).
SAME_SPEAKER_LINK = 0.2
# A rewrite that shares a rare phrase ("humanitarian aid": both words rare in the story), or
# shares a rare word and is each other's closest sentence, needs less: such pairs between 0.25
# and ACCEPT. A phrase with one rare word ("took effect", "official statement", "the upper
# villages") is mostly one place, title or idiom in two facts: leave-one-event-out over the dev
# events, requiring both words rare gave 15 wrong pairs of 322 rather than 18 of 334, for the same
# 271 facts (benchmarks/claim_misses.py and fit_claim_pairs.py say how such figures are made).
ACCEPT_PARAPHRASE = 0.25
RARE_TERM_MAX_DF = 3  # a word in at most this many sentences of the story counts as rare
MAX_PER_ARTICLE = 2  # sentences one article may bring to a group (adjacent only)
EXACT_NEIGHBOURS_MAX = 4000  # above this many sentences, neighbours come from an HNSW index
RARE_KEY_MAX_DF = 8  # fact keys in more sentences than this are too common to block on
LOWEST_ACCEPT = min(ACCEPT, ACCEPT_SHARED_NUMBER, ACCEPT_PARAPHRASE)  # below it no pair is accepted
LOWEST_BAR = min(ACCEPT, ACCEPT_SHARED_NUMBER, ACCEPT_PARAPHRASE, SAME_SPEAKER_LINK)  # below it a pair decides nothing


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
    phrases: frozenset[tuple[str, str]] = frozenset()  # adjacent content-word pairs
    speakers: frozenset[str] = frozenset()  # person keys of the named speakers it quotes directly


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
        # A vague amount's nominal value ("dozens" read as 24) states no number: two sentences
        # with "dozens of" something share no fact through it.
        nums.update(
            number_key(q.value) for q in quants
            if sent.start <= q.start < sent.end and (q.qualifier or "").lower() not in VAGUE_AMOUNT_QUALIFIERS
        )
        named = [
            e for e in ents
            if sent.start <= e.start < sent.end and e.label not in {"CARDINAL", "ORDINAL", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY"}
        ]
        keys = {e.key for e in named}
        # Words inside a quote are the speaker's: the speaker's key is a fact of the sentence.
        speakers = {
            q.speaker_key for q in reading.quotes
            if q.speaker_key and q.kind == "direct" and q.start < sent.end and sent.start < q.end
        }
        keys.update(q.speaker_key for q in reading.quotes if q.speaker_key and q.start < sent.end and sent.start < q.end)
        # Words are compared apart from names: a name counts once, through its key and rarity.
        plain = text
        for e in sorted(named, key=lambda e: -e.start):
            a, b = e.start - sent.start, e.end - sent.start
            if 0 <= a < b <= len(plain):
                plain = plain[:a] + " " + plain[b:]
        terms_list = content_terms(plain)
        out.append(Statement(
            article_id=article.id, index=i, text=text, start=sent.start, end=sent.end,
            numbers=frozenset(nums), entity_keys=frozenset(keys), terms=frozenset(terms_list),
            phrases=frozenset(pairwise(terms_list)),
            speakers=frozenset(speakers),
        ))
    return out


# The pair model: a logistic regression over PAIR_FEATURES, fitted on the development gold's
# dev events (benchmarks/fit_claim_pairs.py prints these weights and the leave-one-event-out
# precision behind ACCEPT); the held-out events were never used.
PAIR_FEATURES = (
    "cosine", "weighted_jaccard", "rare_terms", "rare_phrase", "shared_number", "other_numbers",
    "shared_names", "coverage", "mutual_best", "margin", "phrase_share", "ledes",
)
PAIR_WEIGHTS = (3.355, 3.641, 0.587, 0.520, 5.272, 0.118, 1.511, 3.693, 1.108, -0.332, 0.772, 1.989)
PAIR_BIAS = -4.635


class _Scorer:
    """Scores a pair: the probability that two sentences state one fact, from their meaning
    (embedding cosine), shared words weighted by rarity, numbers and names."""

    def __init__(self, statements: Sequence[Statement], vectors: np.ndarray, accurate: Embedder | None = None):
        self.statements = statements
        self.vectors = vectors
        # With a fast model's `vectors`, `accurate` gives the cosine feature the weights were
        # fitted on, for the pairs where it could matter (`_needs_check`); neighbour ranks
        # (mutual_best, margin) stay the fast model's.
        self.accurate = accurate
        self._checked: dict[int, np.ndarray] = {}
        self._fast_features: dict[tuple[int, int], list[float]] = {}
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
        self._scores: dict[tuple[int, int], float] = {}
        self._features: dict[tuple[int, int], list[float]] = {}
        by_article: dict[str, list[int]] = defaultdict(list)
        for row, st in enumerate(statements):
            by_article[st.article_id].append(row)
        self._rows_of = {a: np.array(v) for a, v in by_article.items()}
        self._top2: dict[tuple[int, str], tuple[int, float, float]] = {}

    def _best_in(self, i: int, article_id: str) -> tuple[int, float, float]:
        """The sentence of `article_id` closest to sentence i: (row, cosine, runner-up cosine)."""
        key = (i, article_id)
        if key not in self._top2:
            rows = self._rows_of[article_id]
            sims = self.vectors[rows] @ self.vectors[i]
            order = np.argsort(-sims)
            second = float(sims[order[1]]) if len(order) > 1 else 0.0
            self._top2[key] = (int(rows[order[0]]), float(sims[order[0]]), second)
        return self._top2[key]

    def cosine(self, i: int, j: int) -> float:
        return float(self.vectors[i] @ self.vectors[j])

    def features(self, i: int, j: int) -> list[float]:
        """PAIR_FEATURES of the pair, computed once (score and accepts both read them)."""
        key = (i, j) if i < j else (j, i)
        if key not in self._features:
            f = list(self._features_of_vectors(*key))
            if self.accurate is not None and self._needs_check(f):
                self.check_pairs([key])
                f[0] = float(self._checked[key[0]] @ self._checked[key[1]])
            self._features[key] = f
        return self._features[key]

    def _needs_check(self, f: list[float]) -> bool:
        """Whether the accurate cosine could change a decision: at the highest cosine (1) the
        pair would reach the lowest bar. Below that every threshold says no whatever it is."""
        z = PAIR_BIAS + sum(w * x for w, x in zip(PAIR_WEIGHTS, f)) + PAIR_WEIGHTS[0] * (1.0 - f[0])
        return 1.0 / (1.0 + math.exp(-z)) >= LOWEST_BAR

    def check_pairs(self, pairs: Sequence[tuple[int, int]]) -> None:
        """Embed with the accurate model, in one call, the sentences of `pairs` that need it."""
        if self.accurate is None:
            return
        rows = sorted({r for i, j in pairs if self._needs_check(self._features_of_vectors(min(i, j), max(i, j)))
                       for r in (i, j)} - self._checked.keys())
        if rows:
            vectors = np.asarray(self.accurate([embedding_text(self.statements[r].text) for r in rows]), dtype=np.float32)
            self._checked.update(zip(rows, vectors))

    def _features_of_vectors(self, i: int, j: int) -> list[float]:
        if (i, j) not in self._fast_features:
            self._fast_features[(i, j)] = self._compute_features(i, j)
        return self._fast_features[(i, j)]

    def _compute_features(self, i: int, j: int) -> list[float]:
        a, b = self.statements[i], self.statements[j]
        shared = a.terms & b.terms
        union = sum(self.idf[t] for t in a.terms | b.terms) or 1.0
        # Words few sentences use ("passport", "humanitarian") say more than topic words do.
        rare = min(sum(self.idf[t] for t in shared if self.df[t] <= RARE_TERM_MAX_DF), 8.0) / 8.0
        rare_phrase = any(
            self.df[w1] <= RARE_TERM_MAX_DF or self.df[w2] <= RARE_TERM_MAX_DF for w1, w2 in a.phrases & b.phrases
        )
        shared_numbers = a.numbers & b.numbers
        # The same specific number is strong evidence of the same fact; small counts and years
        # recur across facts of one story and say little.
        number = max((_number_weight(n) for n in shared_numbers), default=0.0)
        # A shared name counts by its rarity: the story's topic places identify nothing.
        names = min(sum(self.key_weight[k] for k in a.entity_keys & b.entity_keys), 2.0)
        small = min(len(a.terms), len(b.terms)) or 1
        # A rewrite states a fact in its closest sentence: each being the other's best match in
        # its article, by a margin, is evidence that they say the same thing.
        bi, cos_i, second_i = self._best_in(i, b.article_id)
        bj, _, second_j = self._best_in(j, a.article_id)
        cos = self.cosine(i, j)
        mutual = bi == j and bj == i
        margin = cos - max(second_i if bi == j else cos_i, second_j if bj == i else cos)
        small_phrases = min(len(a.phrases), len(b.phrases)) or 1
        return [
            cos, sum(self.idf[t] for t in shared) / union, rare, float(rare_phrase), number,
            float(bool(a.numbers and b.numbers and not shared_numbers)), names, len(shared) / small,
            float(mutual), margin, len(a.phrases & b.phrases) / small_phrases, float(a.index <= 2 and b.index <= 2),
        ]

    def accepts(self, i: int, j: int) -> bool:
        """Whether the pair, on its own, states one fact."""
        a, b = self.statements[i], self.statements[j]
        # Sharing names but not one other word, they say different things about the same
        # people ("the Yankees could give Teixeira..." / "Teixeira is seeking ... the Yankees"):
        # on the fresh review events every such accepted pair was wrong (0 of 4).
        if not a.terms & b.terms:
            return False
        score = self.score(i, j)
        if score >= ACCEPT:
            return True
        if any(_number_weight(n) > 0.1 for n in a.numbers & b.numbers):
            return score >= ACCEPT_SHARED_NUMBER
        f = dict(zip(PAIR_FEATURES, self.features(i, j)))
        rare_phrase = any(
            self.df[w1] <= RARE_TERM_MAX_DF and self.df[w2] <= RARE_TERM_MAX_DF for w1, w2 in a.phrases & b.phrases
        )
        close_rewrite = rare_phrase or (f["mutual_best"] > 0 and f["rare_terms"] > 0)
        return close_rewrite and score >= ACCEPT_PARAPHRASE

    def links(self, i: int, j: int) -> bool:
        """Whether two sentences may stand in one group: accepted, or parts of one quote."""
        a, b = self.statements[i], self.statements[j]
        return self.accepts(i, j) or (bool(a.speakers & b.speakers) and self.score(i, j) >= SAME_SPEAKER_LINK)

    def score(self, i: int, j: int) -> float:
        key = (i, j) if i < j else (j, i)
        if key not in self._scores:
            z = PAIR_BIAS + sum(w * x for w, x in zip(PAIR_WEIGHTS, self.features(i, j)))
            self._scores[key] = 1.0 / (1.0 + math.exp(-z))
        return self._scores[key]


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


def comparable_pairs(
    statements: Sequence[Statement], vectors: np.ndarray, blocking: bool = True,
) -> set[tuple[int, int]]:
    """The pairs the pair model scores. Headlines, datelines and other fragments without closing
    punctuation are left out: a fragment ("RIP Deputy Jerry Ortiz") names a topic rather than
    stating one checkable fact."""
    pairs = _candidate_pairs(statements, vectors) if blocking else _all_pairs(statements)
    return {(i, j) for i, j in pairs if not (_is_fragment(statements[i].text) or _is_fragment(statements[j].text))}


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
    # Only one article may tell the fact across a sentence break: where two do, their sentences
    # pair crosswise ("It's disappointing..." with "We'll continue to monitor..."), which are two
    # facts, each its own group.
    if sum(len(idxs) > 1 for idxs in by_article.values()) > 1:
        return False
    # A headline (no closing punctuation) stands alone; it is not the next sentence's companion.
    for x in (*a, *b):
        st = statements[x]
        if len(by_article[st.article_id]) > 1 and not _is_full_sentence(st.text):
            return False
    return True


def _complete(statements: Sequence[Statement], scorer: _Scorer, merged: list[int]) -> list[int] | None:
    """Complete linkage: the members of a would-be group that each link to some sentence of every
    other article in it, so a chain of links never glues unrelated statements. An article's
    second, adjacent sentence that does not fit every other article is left out (it states
    another part of the story: "...for the second time." / "Third time's the charm," she said);
    None when that is not enough."""
    kept = list(merged)
    while True:
        articles = {statements[m].article_id for m in kept}
        failing = [
            x for x in kept
            if not all(any(scorer.links(x, y) for y in kept if statements[y].article_id == other)
                       for other in articles - {statements[x].article_id})
        ]
        if not failing:
            return kept
        per_article = Counter(statements[m].article_id for m in kept)
        spare = [x for x in failing if per_article[statements[x].article_id] > 1]
        if not spare:
            return None
        kept.remove(min(spare, key=lambda x: sum(scorer.score(x, y) for y in kept if y != x)))


def _is_full_sentence(text: str) -> bool:
    return normalise(text).rstrip("\"')] ").endswith((".", "!", "?", ":"))


def _is_fragment(text: str) -> bool:
    """A headline, dateline or label rather than a sentence: no closing punctuation and either
    short or written in title case ("RIP LA County Sheriff Deputy Jerry Ortiz")."""
    if _is_full_sentence(text):
        return False
    words = re.findall(r"[A-Za-z][\w'\-]*", text)
    capitalised = sum(w[0].isupper() for w in words)
    return len(words) < 6 or capitalised > len(words) / 2


def embedding_text(sentence: str) -> str:
    """The text a sentence is embedded as: the key of its vector, made at read time and kept."""
    return normalise(sentence)[:MAX_CHARS]


def _all_pairs(statements: Sequence[Statement]) -> set[tuple[int, int]]:
    """The unblocked baseline: every cross-article pair (kept for the benchmark)."""
    return {
        (i, j)
        for i in range(len(statements))
        for j in range(i + 1, len(statements))
        if statements[i].article_id != statements[j].article_id
    }


@dataclass
class Alignment:
    """A story's statement groups, and the accepted pairs that grouping kept apart."""

    groups: list[StatementGroup]
    # Pairs the pair model accepts as one fact whose sentences ended in different groups
    # (complete linkage or one-sentence-per-article kept them apart): still two accounts of one
    # fact, so the conflict checks compare them, though no claim holds both.
    links: list[tuple[Statement, Statement]] = field(default_factory=list)


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
    return align(articles, readings, embedder, blocking).groups


def align(
    articles: Sequence[Article],
    readings: dict[str, Reading],
    embedder: Embedder | None = None,
    blocking: bool = True,
) -> Alignment:
    """`align_statements`, with the accepted pairs left in different groups."""
    if embedder is None:
        from ..embeddings import embed

        embedder = embed
    statements: list[Statement] = []
    for article in articles:
        reading = readings.get(article.id)
        if reading is not None:
            statements.extend(statements_of(article, reading))
    if not statements:
        return Alignment([])
    vectors = np.asarray(embedder([embedding_text(s.text) for s in statements]), dtype=np.float32)
    return group_statements(statements, vectors, getattr(embedder, "accurate", None), blocking)


def group_statements(
    statements: Sequence[Statement], vectors: np.ndarray, accurate: Embedder | None = None, blocking: bool = True,
) -> Alignment:
    """The alignment of statements already embedded (`vectors`, one row each)."""
    scorer = _Scorer(statements, vectors, accurate)
    pairs = comparable_pairs(statements, vectors, blocking)
    scorer.check_pairs(sorted(pairs))
    scored = sorted(
        ((scorer.score(i, j), i, j) for i, j in pairs), key=lambda t: (-t[0], t[1], t[2])
    )
    group_of = list(range(len(statements)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(statements))}
    best: dict[int, float] = {}
    for score, i, j in scored:
        if score < LOWEST_ACCEPT:
            break
        gi, gj = group_of[i], group_of[j]
        if gi == gj or not scorer.accepts(i, j):
            continue
        a_members, b_members = members[gi], members[gj]
        if not _may_join(statements, a_members, b_members):
            continue
        kept = _complete(statements, scorer, [*a_members, *b_members])
        if kept is None:
            continue
        keep, drop = (gi, gj) if len(a_members) >= len(b_members) else (gj, gi)
        joined = best.pop(keep, 0.0), best.pop(drop, 0.0), score
        merged = members.pop(keep) + members.pop(drop)
        # A second sentence that fits not all goes alone; the group lives on under a kept member
        # (its old root may be the one that went).
        root = keep if keep in kept else min(kept)
        members[root] = [m for m in merged if m in kept]
        for m in members[root]:
            group_of[m] = root
        for m in set(merged) - set(kept):
            group_of[m], members[m] = m, [m]
        best[root] = max(joined)
    groups = []
    for root, idxs in members.items():
        idxs.sort()
        groups.append((idxs[0], StatementGroup([statements[i] for i in idxs], best.get(root, 0.0))))
    groups.sort(key=lambda t: t[0])
    links = []
    for score, i, j in scored:
        if score < LOWEST_ACCEPT:
            break
        if group_of[i] != group_of[j] and scorer.accepts(i, j):
            links.append((statements[i], statements[j]))
    return Alignment([g for _, g in groups], links)
