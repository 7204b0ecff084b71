"""Online story clustering after Miranda et al. (2018), "Multilingual Clustering of Streaming News".

Each article, in a deterministic order, is compared with the stories of its nearest neighbours
(an HNSW index over article embeddings, so the work per article does not grow with the corpus).
For every candidate story a few similarities are computed (FEATURE_NAMES): embedding cosine to
the story centroid and to its nearest member, tf-idf cosines of body words, of title + lede and
of named entities (whole story, lede only, nearest member), agreement of the numbers and of the
years and weekdays named, and time proximity when both dates are known. An undated article
naming a month bare is placed no earlier than that month. A logistic model turns them into the
probability that the article belongs to the story; above `threshold` it joins the best story,
else it founds a new one. After a batch, a one-article story gets a second placement against the
stories as they then stand (`Clusterer.settle`). Near-duplicates (copies) join their original's story before any
scoring. A dated article never joins a story whose dates are all more than `story_window_days`
away; it may continue it in a storyline instead. Idf starts from general-English frequencies
(features.background_df) so that a small corpus still weighs "Idlib" above "Syria".
"""

from __future__ import annotations

import datetime as _dt
from collections import deque
import math
from dataclasses import dataclass, field

import hnswlib
import numpy as np

from ..config import ClusterSettings
from ..model import Article, ClusterEvent
from ..model.groups import find
from . import sparse
from .copies import CopyIndex, signature
from .features import BACKGROUND_DOCS, EMPTY, ArticleFeatures, SparseVec, background_df
from .split import MemberProfile, Split, article_similarity, find_groups, find_people_groups, find_split

FEATURE_NAMES = (
    "embedding", "nearest", "body", "lede", "entities", "lede_entities", "numbers", "years", "time",
    "nearest_entities", "nearest_lede", "people", "places", "orgs",
)


@dataclass
class StoryState:
    id: str
    founder: int  # ordinal of the founding article: the order stories are listed in
    article_ids: list[str]
    vec_sum: np.ndarray
    body: SparseVec = EMPTY
    lede: SparseVec = EMPTY
    ents: SparseVec = EMPTY
    nums: SparseVec = EMPTY
    lede_ents: SparseVec = EMPTY
    years: SparseVec = EMPTY
    people: SparseVec = EMPTY  # who and where its articles' ledes name (ArticleFeatures.people)
    places: SparseVec = EMPTY
    orgs: SparseVec = EMPTY
    names: dict[int, str] = field(default_factory=dict)
    day_min: int | None = None
    day_max: int | None = None
    months: frozenset[int] = frozenset()  # every month its articles name
    title: str | None = None
    title_stated: bool = False
    outlets: list[str] = field(default_factory=list)
    first_published: str | None = None
    last_published: str | None = None
    merged_into: str | None = None
    groups_checked: int = 0  # its size when last checked for two groups (Clusterer._split_by_groups)

    @property
    def alive(self) -> bool:
        return self.merged_into is None


def _day_gap(lo_a: int | None, hi_a: int | None, lo_b: int | None, hi_b: int | None) -> int | None:
    """Days between two date spans (0 where they overlap), None when either is undated."""
    if lo_a is None or hi_a is None or lo_b is None or hi_b is None:
        return None
    return max(lo_b - hi_a, lo_a - hi_b, 0)


# The sparse term profiles an article brings to its story and a merged story to the one it joins.
_SPARSE_PARTS = ("body", "lede", "ents", "nums", "lede_ents", "years", "people", "places", "orgs")


@dataclass
class ArticleProfile:
    """What a story's profile holds of one article, kept so that a split can rebuild both parts."""

    body: SparseVec
    lede: SparseVec
    ents: SparseVec
    nums: SparseVec
    lede_ents: SparseVec
    years: SparseVec
    people: SparseVec
    places: SparseVec
    orgs: SparseVec
    names: dict[int, str]
    months: frozenset[int]
    day: int | None
    title: str | None  # stated headline, else None
    derived_title: str | None
    outlet: str | None
    published: str | None
    bare_months: frozenset[int] = frozenset()  # for a second placement (Clusterer.settle); states before it have none


@dataclass
class Link:
    earlier: str
    later: str
    score: float
    reason: str


@dataclass
class ClusterState:
    """Everything the clusterer remembers between batches."""

    dim: int
    article_ids: list[str] = field(default_factory=list)  # ordinal -> article id
    ordinal_of: dict[str, int] = field(default_factory=dict)
    story_of: list[int] = field(default_factory=list)  # ordinal -> index into `stories`
    stories: list[StoryState] = field(default_factory=list)
    story_index: dict[str, int] = field(default_factory=dict)
    df: np.ndarray = field(default_factory=lambda: background_df().copy())
    n_docs: float = BACKGROUND_DOCS
    index: hnswlib.Index | None = None
    copies: CopyIndex = field(default_factory=CopyIndex)
    copy_parent: dict[int, int] = field(default_factory=dict)  # union-find over ordinals
    article_ents: list[SparseVec] = field(default_factory=list)  # ordinal -> entity vector
    article_lede: list[SparseVec] = field(default_factory=list)  # ordinal -> title + lede terms
    links: dict[tuple[str, str], Link] = field(default_factory=dict)
    profiles: list[ArticleProfile] = field(default_factory=list)  # ordinal -> what it brought
    apart: set[tuple[str, str]] = field(default_factory=set)  # stories split apart: never re-merged


def _agreement(a: SparseVec, b: SparseVec, df: np.ndarray, n_docs: float) -> float:
    """In [-1, 1] when both sides name numbers (or years): -1 none shared, 1 the same; 0 when a
    side names none, since silence is no evidence while two different years are."""
    if not len(a) or not len(b):
        return 0.0
    return 2.0 * sparse.cosine(a, b, df, n_docs) - 1.0


def _actor_agreement(a: SparseVec, b: SparseVec, df: np.ndarray, n_docs: float) -> float:
    """-1 when both sides name people (or places, organisations) and share none: a look-alike
    event's who or where; else the tf-idf cosine of the two (0 when a side names none)."""
    if not len(a) or not len(b):
        return 0.0
    shared = sparse.cosine(a, b, df, n_docs)
    return shared if shared > 0.0 else -1.0


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, x))))


class Clusterer:
    """Places articles one at a time into `state`, recording identity changes as events."""

    def __init__(self, state: ClusterState, settings: ClusterSettings):
        self.state = state
        self.settings = settings
        self.events: list[ClusterEvent] = []
        self._query_for: ArticleFeatures | None = None
        self._query_cache: dict[str, sparse.Weighted] = {}

    # -- scoring -----------------------------------------------------------------------------

    def pair_features(
        self, feats: ArticleFeatures, vec: np.ndarray, story: StoryState, members: list[tuple[int, float]]
    ) -> np.ndarray:
        """Similarities of one article to one story. `members`: the story's articles among the
        article's nearest neighbours, with their embedding similarity (single-link evidence)."""
        gap = _day_gap(feats.day, feats.day, story.day_min, story.day_max)
        q = self._query(feats)
        nearest = [(sim, q["ents"], q["lede"], o) for o, sim in members]
        return self._similarities(q, feats.numbers, feats.years, (feats.people, feats.places, feats.orgs),
                                  vec, gap, story, nearest)

    def story_pair_features(
        self, story: StoryState, other: StoryState, members: list[tuple[int, int, float]]
    ) -> np.ndarray:
        """The same similarities with a whole story in the article's place: its profile is the
        query. `members`: (its article, the other's article, embedding similarity) among nearest
        neighbours."""
        st = self.state
        gap = _day_gap(story.day_min, story.day_max, other.day_min, other.day_max)
        df, n = st.df, st.n_docs
        q = {name: sparse.Weighted(getattr(story, name), df, n) for name in ("body", "lede", "ents", "lede_ents")}
        nearest = [
            (sim, sparse.Weighted(st.article_ents[mine], df, n), sparse.Weighted(st.article_lede[mine], df, n), o)
            for mine, o, sim in members
        ]
        norm = float(np.linalg.norm(story.vec_sum))
        vec = story.vec_sum / norm if norm > 0 else story.vec_sum
        return self._similarities(q, story.nums, story.years, (story.people, story.places, story.orgs),
                                  vec, gap, other, nearest)

    def _similarities(
        self, q: dict[str, sparse.Weighted], numbers: SparseVec, years: SparseVec,
        actors: tuple[SparseVec, SparseVec, SparseVec], vec: np.ndarray, gap: int | None,
        story: StoryState, nearest: list[tuple[float, sparse.Weighted, sparse.Weighted, int]],
    ) -> np.ndarray:
        """FEATURE_NAMES, in order, of a query (an article or a story) against `story`; `nearest`
        holds (embedding similarity, query-side entities, query-side lede, the story's member)."""
        st = self.state
        norm = float(np.linalg.norm(story.vec_sum))
        emb = float(np.dot(vec, story.vec_sum) / norm) if norm > 0 else 0.0
        # unknown dates are no evidence either way
        time = 0.0 if gap is None else 1.0 - 2.0 * min(gap / self.settings.time_scale_days, 1.0)
        df, n = st.df, st.n_docs
        cos = sparse.cosine_weighted
        return np.array(
            [
                emb,
                max((sim for sim, _, _, _ in nearest), default=0.0),
                cos(q["body"], story.body, df, n),
                cos(q["lede"], story.lede, df, n),
                cos(q["ents"], story.ents, df, n),
                cos(q["lede_ents"], story.lede_ents, df, n),
                _agreement(numbers, story.nums, df, n),
                _agreement(years, story.years, df, n),
                time,
                max((cos(e, st.article_ents[o], df, n) for _, e, _, o in nearest), default=0.0),
                max((cos(l, st.article_lede[o], df, n) for _, _, l, o in nearest), default=0.0),
                _actor_agreement(actors[0], story.people, df, n),
                _actor_agreement(actors[1], story.places, df, n),
                _actor_agreement(actors[2], story.orgs, df, n),
            ],
            dtype=np.float64,
        )

    def _query(self, feats: ArticleFeatures) -> dict[str, sparse.Weighted]:
        """The article's vectors weighted once per placement (the df does not change meanwhile)."""
        if self._query_for is not feats:
            st = self.state
            self._query_cache = {
                "body": sparse.Weighted(feats.body_terms, st.df, st.n_docs),
                "lede": sparse.Weighted(feats.lede_terms, st.df, st.n_docs),
                "ents": sparse.Weighted(feats.entities, st.df, st.n_docs),
                "lede_ents": sparse.Weighted(feats.lede_entities, st.df, st.n_docs),
            }
            self._query_for = feats
        return self._query_cache

    def probability(self, x: np.ndarray) -> float:
        return _sigmoid(float(np.dot(self.settings.weights, x)) + self.settings.bias)

    def candidates(self, vec: np.ndarray) -> dict[int, list[tuple[int, float]]]:
        """Story indices owning the nearest stored articles, nearest first, merges followed,
        each with its members among those neighbours and their embedding similarity."""
        st = self.state
        if st.index is None or st.index.get_current_count() == 0:
            return {}
        k = min(self.settings.neighbours, st.index.get_current_count())
        labels, dists = st.index.knn_query(vec.reshape(1, -1), k=k)
        found: dict[int, list[tuple[int, float]]] = {}
        for label, dist in zip(labels[0], dists[0]):
            found.setdefault(st.story_of[int(label)], []).append((int(label), 1.0 - float(dist)))  # ip: 1 - dot
        return found

    # -- placement ---------------------------------------------------------------------------

    def place(self, article: Article, feats: ArticleFeatures, vec: np.ndarray) -> str:
        """Put one article into a story; return the story id."""
        st = self.state
        ordinal = len(st.article_ids)
        st.article_ids.append(article.id)
        st.ordinal_of[article.id] = ordinal
        st.article_ents.append(feats.entities)
        st.article_lede.append(feats.lede_terms)
        self._count_terms(feats)

        sig = signature(feats.shingle_text)
        copy_of = st.copies.find(sig) if sig is not None else []
        scored: list[tuple[float, int, np.ndarray]] = []
        if copy_of:
            target: int | None = st.story_of[copy_of[0][0]]
            for other, _ in copy_of:
                a, b = find(st.copy_parent, other), find(st.copy_parent, ordinal)
                st.copy_parent.setdefault(other, other)
                st.copy_parent.setdefault(ordinal, ordinal)
                if a != b:
                    st.copy_parent[max(a, b)] = min(a, b)
        else:
            for si, members in self.candidates(vec).items():
                x = self.pair_features(feats, vec, st.stories[si], members)
                scored.append((self.probability(x), si, x))
            # best first; ties go to the older story so the outcome never depends on set order
            scored.sort(key=lambda t: (-t[0], st.stories[t[1]].founder))
            # a story quiet for longer than the window is closed to new articles (they may still
            # continue it in a storyline); both dates must be known for that
            target = self.decide(article, [t for t in scored if self._open_to(feats, st.stories[t[1]])])

        if target is None:
            target = self._new_story(article, ordinal, vec)
            detail: dict = {}
            if scored:  # why no existing story was close enough: the best one's evidence
                detail = {"best": st.stories[scored[0][1]].id, "p": round(scored[0][0], 4),
                          "features": {n: round(float(v), 3) for n, v in zip(FEATURE_NAMES, scored[0][2])}}
            self.events.append(ClusterEvent(kind="create", story_ids=[st.stories[target].id], article_ids=[article.id], detail=detail))
        else:
            if copy_of:
                detail = {"copy_of": [st.article_ids[o] for o, _ in copy_of]}
            else:  # the evidence for joining, kept so a placement can be explained later
                best = next(t for t in scored if t[1] == target) if any(t[1] == target for t in scored) else None
                detail = {"p": round(best[0], 4), "features": {n: round(float(v), 3) for n, v in zip(FEATURE_NAMES, best[2])}} if best else {}
            self.events.append(ClusterEvent(kind="add", story_ids=[st.stories[target].id], article_ids=[article.id], detail=detail))
        st.story_of.append(target)
        st.profiles.append(self._profile_of(article, feats))
        self._absorb(st.stories[target], article.id, st.profiles[ordinal], vec)

        for p, si, x in scored:
            neighbour = st.stories[si]
            if not neighbour.alive or si == target:
                continue
            if (p >= self.settings.merge_threshold and self._open_to(feats, neighbour)
                    and not self._kept_apart(st.stories[target], neighbour)):
                target = self._merge(target, si, article.id, p)
            elif p >= self.settings.link_threshold:
                self._link(st.stories[target], neighbour, feats, x, p)

        if st.index is None:
            st.index = hnswlib.Index(space="ip", dim=st.dim)
            st.index.init_index(max_elements=1024, ef_construction=100, M=16, random_seed=7)
            st.index.set_num_threads(1)  # one thread: insertion order, hence the graph, is fixed
        if st.index.get_current_count() >= st.index.get_max_elements():
            st.index.resize_index(2 * st.index.get_max_elements())
        st.index.set_ef(self.settings.ef)
        st.index.add_items(vec.reshape(1, -1), np.array([ordinal]))
        if sig is not None:
            st.copies.add(ordinal, sig)
        return st.stories[self._maybe_split(st.story_of[ordinal], article.id)].id

    def settle(self, article_ids: list[str]) -> None:
        """After a batch, give each one-article story among those it touched a second placement:
        it joins the story it is most likely part of, at the bar an arriving article meets
        (`threshold`), judged against stories as they now stand. An event's first report often
        arrives before the story it belongs to has formed, and stays alone; two stories of many
        articles are not merged here (on ECB+ that lost more precision than it gained recall)."""
        st = self.state
        queue = deque(sorted({st.story_of[st.ordinal_of[aid]] for aid in article_ids}, key=lambda i: st.stories[i].founder))
        while queue:
            si = queue.popleft()
            story = st.stories[si]
            if not story.alive or not story.article_ids:
                continue
            best: tuple[float, int] | None = None
            for oi, members in self._story_candidates(story).items():
                other = st.stories[oi]
                if (oi == si or not other.alive or min(len(story.article_ids), len(other.article_ids)) > 1
                        or self._kept_apart(story, other) or not self._stories_open(story, other)):
                    continue
                p = self.probability(self.story_pair_features(story, other, members))
                if p >= self.settings.threshold and (best is None or p > best[0]):
                    best = (p, oi)
            if best is not None:
                keep = self._merge(si, best[1], story.article_ids[-1], best[0], by="second placement")
                queue.appendleft(self._maybe_split(keep, st.stories[keep].article_ids[-1]))
        # then each story the batch added to is checked, whole, for two groups of articles
        touched = sorted({st.story_of[st.ordinal_of[aid]] for aid in article_ids}, key=lambda i: st.stories[i].founder)
        for si in touched:
            if st.stories[si].alive and st.stories[si].article_ids:
                self._split_by_groups(si, st.stories[si].article_ids[-1])

    def _story_candidates(self, story: StoryState) -> dict[int, list[tuple[int, int, float]]]:
        """Stories owning the nearest neighbours of the story's latest articles, each with the
        (its article, their article, similarity) pairs found."""
        st = self.state
        if st.index is None:
            return {}
        mine = [st.ordinal_of[aid] for aid in story.article_ids[-self.settings.settle_members:]]
        k = min(self.settings.neighbours, st.index.get_current_count())
        labels, dists = st.index.knn_query(np.asarray(st.index.get_items(mine), dtype=np.float32), k=k)
        found: dict[int, list[tuple[int, int, float]]] = {}
        for o, row, drow in zip(mine, labels, dists):
            for label, dist in zip(row, drow):
                found.setdefault(st.story_of[int(label)], []).append((o, int(label), 1.0 - float(dist)))
        return found

    def _open_to(self, feats: ArticleFeatures, story: StoryState) -> bool:
        return self._open(feats.day, feats.bare_months, story)

    def _open(self, day: int | None, bare_months: frozenset[int], story: StoryState) -> bool:
        """Whether an article of this date (or, undated, naming these months bare) may join the story."""
        if story.day_min is None or story.day_max is None:
            return True
        if day is None:
            earliest = _earliest_day(bare_months - story.months, story.day_max)
            return earliest is None or earliest - story.day_max <= self.settings.story_window_days
        return (_day_gap(day, day, story.day_min, story.day_max) or 0) <= self.settings.story_window_days

    def _stories_open(self, a: StoryState, b: StoryState) -> bool:
        """Whether two stories may merge: a one-article story by the rule for an arriving
        article, else unless both are dated and further apart than a story's window."""
        for one, other in ((a, b), (b, a)):
            if len(one.article_ids) == 1:
                profile = self.state.profiles[self.state.ordinal_of[one.article_ids[0]]]
                return self._open(profile.day, profile.bare_months, other)
        gap = _day_gap(a.day_min, a.day_max, b.day_min, b.day_max)
        return gap is None or gap <= self.settings.story_window_days

    def decide(self, article: Article, scored: list[tuple[float, int, np.ndarray]]) -> int | None:
        """The story index to join (scored is best first), or None to found a new story."""
        if scored and scored[0][0] >= self.settings.threshold:
            return scored[0][1]
        return None

    def _count_terms(self, feats: ArticleFeatures) -> None:
        st = self.state
        for vec in (feats.body_terms, feats.entities, feats.numbers, feats.years, feats.people, feats.places, feats.orgs):
            if len(vec):
                st.df[vec.idx] += 1
        st.n_docs += 1

    def _new_story(self, article: Article, ordinal: int, vec: np.ndarray) -> int:
        st = self.state
        story = StoryState(id="s_" + article.id, founder=ordinal, article_ids=[], vec_sum=np.zeros(st.dim, dtype=np.float32))
        st.stories.append(story)
        st.story_index[story.id] = len(st.stories) - 1
        return len(st.stories) - 1

    def _fold_in(
        self, story: StoryState, vec: np.ndarray, part: ArticleProfile | StoryState, days: tuple[int | None, ...],
    ) -> None:
        """Add one article's profile, or a merged story's, to a story: one place for both."""
        cap = self.settings.story_terms_cap
        story.vec_sum = story.vec_sum + vec
        for name in _SPARSE_PARTS:
            setattr(story, name, sparse.add(getattr(story, name), getattr(part, name), cap))
        for h, label in part.names.items():
            if len(story.names) >= self.settings.story_names_cap:
                break
            story.names.setdefault(h, label)
        story.months = story.months | part.months
        for d in days:
            if d is not None:
                story.day_min = d if story.day_min is None else min(story.day_min, d)
                story.day_max = d if story.day_max is None else max(story.day_max, d)

    def _profile_of(self, article: Article, feats: ArticleFeatures) -> ArticleProfile:
        names = dict(list(feats.entity_names.items())[: self.settings.story_names_cap])
        return ArticleProfile(
            body=sparse.add(EMPTY, feats.body_terms, self.settings.article_terms_cap),
            lede=feats.lede_terms, ents=feats.entities, nums=feats.numbers, lede_ents=feats.lede_entities,
            years=feats.years, people=feats.people, places=feats.places, orgs=feats.orgs, names=names,
            months=feats.months, day=feats.day,
            title=article.title.strip() if article.title else None, derived_title=feats.title or None,
            outlet=article.outlet, published=article.published, bare_months=feats.bare_months,
        )

    def _absorb(self, story: StoryState, article_id: str, a: ArticleProfile, vec: np.ndarray) -> None:
        story.article_ids.append(article_id)
        self._fold_in(story, vec, a, (a.day,))
        if a.title and not story.title_stated:
            story.title, story.title_stated = a.title, True
        elif story.title is None and a.derived_title:
            story.title = a.derived_title
        if a.outlet and a.outlet not in story.outlets:
            story.outlets.append(a.outlet)
        if a.published:
            if story.first_published is None or a.published < story.first_published:
                story.first_published = a.published
            if story.last_published is None or a.published > story.last_published:
                story.last_published = a.published

    def _kept_apart(self, a: StoryState, b: StoryState) -> bool:
        return (a.id, b.id) in self.state.apart or (b.id, a.id) in self.state.apart

    def _maybe_split(self, si: int, because: str) -> int:
        """Split story `si` when its articles show two events (split.find_split); the larger part
        keeps the id, the other becomes a new story linked to it. Returns the index of the story
        now holding `because` (the article whose placement showed it)."""
        st = self.state
        story = st.stories[si]
        if len(story.article_ids) < 2 * self.settings.split_min_part:
            return si
        found = find_split(self._members([st.ordinal_of[aid] for aid in story.article_ids]), st.df, st.n_docs,
                           self.settings.split_min_part)
        if found is None:
            return si
        return self._apply_split(si, found, because)

    def _members(self, ordinals: list[int]) -> list[MemberProfile]:
        """The split checks' view of these articles: who, where and when each names."""
        profiles = self.state.profiles
        return [MemberProfile(o, profiles[o].people, profiles[o].places, profiles[o].years, profiles[o].ents) for o in ordinals]

    def _split_by_groups(self, si: int, because: str) -> int:
        """Split story `si` when its articles form two groups far less alike than each is within
        (split.find_groups, else split.find_people_groups). Stories longer than `split_groups_max` are not checked (the work grows
        with the square of their size). Returns the index of the story now holding `because`."""
        st = self.state
        story = st.stories[si]
        size = len(story.article_ids)
        if not story.alive or not 2 * self.settings.split_min_part <= size <= self.settings.split_groups_max:
            return si
        if size < story.groups_checked * self.settings.split_groups_growth:
            return si  # checked at a size not much smaller
        story.groups_checked = size
        ordinals = [st.ordinal_of[aid] for aid in story.article_ids]
        members = self._members(ordinals)
        vectors = np.asarray(st.index.get_items(ordinals), dtype=np.float32)  # type: ignore[union-attr]
        ledes = [st.profiles[o].lede for o in ordinals]
        sim = article_similarity(members, vectors, ledes, st.df, st.n_docs)  # once, for both rules
        found = None
        for rule in (find_groups, find_people_groups):
            found = rule(members, vectors, ledes, st.df, st.n_docs, self.settings.split_min_part,
                         self.settings.split_groups_ratio, sim=sim)
            if found is not None:
                break
        return si if found is None else self._apply_split(si, found, because)

    def _apply_split(self, si: int, found: Split, because: str) -> int:
        st = self.state
        story = st.stories[si]
        moved_ids = [st.article_ids[o] for o in found.moved]
        new_id = next((f"s_{aid}" for aid in moved_ids if f"s_{aid}" not in st.story_index), None)
        new_id = new_id or f"s_{moved_ids[0]}-split{len(st.stories)}"
        new = StoryState(id=new_id, founder=found.moved[0], article_ids=[], vec_sum=np.zeros(st.dim, dtype=np.float32))
        st.stories.append(new)
        new_i = len(st.stories) - 1
        st.story_index[new_id] = new_i
        for o in found.moved:
            st.story_of[o] = new_i
        self._rebuild(story, found.keep)
        self._rebuild(new, found.moved)
        story.groups_checked = 0  # a new story now: its remaining part may hold two events again
        reason = self._split_reason(story, new, found)
        st.apart.add((story.id, new.id))
        earlier, later = _chronological(story, new)
        st.links[(earlier.id, later.id)] = Link(earlier.id, later.id, 1.0, f"split apart: {reason}")
        self.events.append(ClusterEvent(
            kind="split", story_ids=[story.id, new.id], article_ids=moved_ids,
            detail={"from": story.id, "new": new.id, "kept": len(found.keep), "moved": len(found.moved),
                    "because": because, "reason": reason},
        ))
        return st.story_of[st.ordinal_of[because]]

    def _split_reason(self, keep: StoryState, moved: StoryState, found: Split) -> str:
        def who(keys: list[int], story: StoryState) -> str:
            return " and ".join(story.names.get(k, "?") for k in keys) or "no one named"

        if found.cohesion is not None:
            parts = [f"its articles form two groups (similarity {found.cohesion[0]:.2f} between, "
                     f"{found.cohesion[1]:.2f} within; {who(found.keep_people, keep)} / {who(found.moved_people, moved)})"]
        else:
            parts = [f"its articles name different people ({who(found.keep_people, keep)} / "
                     f"{who(found.moved_people, moved)})"]
        if found.places_differ:
            parts.append("different places")
        if found.years_differ:
            parts.append("different years")
        return ", ".join(parts)

    def _rebuild(self, story: StoryState, ordinals: list[int]) -> None:
        """The story's profile again from its articles' stored profiles and vectors."""
        st = self.state
        story.article_ids, story.vec_sum = [], np.zeros(st.dim, dtype=np.float32)
        for name in _SPARSE_PARTS:
            setattr(story, name, EMPTY)
        story.names, story.months, story.day_min, story.day_max = {}, frozenset(), None, None
        story.title, story.title_stated, story.outlets = None, False, []
        story.first_published = story.last_published = None
        story.founder = min(ordinals)
        vectors = np.asarray(st.index.get_items(ordinals), dtype=np.float32)  # type: ignore[union-attr]
        for o, vec in zip(sorted(ordinals), vectors[np.argsort(ordinals)]):
            self._absorb(story, st.article_ids[o], st.profiles[o], vec)

    def _merge(self, keep_i: int, gone_i: int, because: str, p: float, by: str = "article") -> int:
        """Fold the younger story into the older; the older id survives, the other is recorded."""
        st = self.state
        a, b = st.stories[keep_i], st.stories[gone_i]
        keep, gone = (a, b) if a.founder <= b.founder else (b, a)
        keep_idx = st.story_index[keep.id]
        self._fold_in(keep, gone.vec_sum, gone, (gone.day_min, gone.day_max))
        for aid in gone.article_ids:
            st.story_of[st.ordinal_of[aid]] = keep_idx
        keep.article_ids.extend(gone.article_ids)
        if not keep.title_stated and gone.title_stated:
            keep.title, keep.title_stated = gone.title, True
        keep.outlets.extend(o for o in gone.outlets if o not in keep.outlets)
        pubs = [x for x in (keep.first_published, gone.first_published) if x]
        keep.first_published = min(pubs) if pubs else None
        pubs = [x for x in (keep.last_published, gone.last_published) if x]
        keep.last_published = max(pubs) if pubs else None
        gone.merged_into = keep.id
        gone.article_ids = []
        gone.vec_sum = np.zeros(0, dtype=np.float32)
        for name in _SPARSE_PARTS:
            setattr(gone, name, EMPTY)
        self.events.append(
            ClusterEvent(kind="merge", story_ids=[keep.id, gone.id], article_ids=[because],
                         detail={"into": keep.id, "merged": gone.id, "p": round(p, 4), "by": by})
        )
        return keep_idx

    def _link(self, story: StoryState, other: StoryState, feats: ArticleFeatures, x: np.ndarray, p: float) -> None:
        """Record that two stories continue one another: same actors, similar subject."""
        st = self.state
        common = sparse.shared(feats.entities, other.ents, st.df, st.n_docs)
        names = [n for n in (other.names.get(h) or feats.entity_names.get(h) for h in common) if n]
        if not names:
            return  # a storyline needs shared actors, not just a similar subject
        earlier, later = _chronological(story, other)
        key = (earlier.id, later.id)
        if key in st.links and st.links[key].score >= p:
            return
        if earlier.day_min is not None and later.day_min is not None:
            when = f"later by {later.day_min - earlier.day_min} days"
        else:
            when = "order of arrival (a date is unknown)"
        reason = f"shared actors: {', '.join(names)}; subject similarity {x[0]:.2f}; {when}"
        st.links[key] = Link(earlier.id, later.id, round(p, 4), reason)


def _earliest_day(bare_months: frozenset[int], story_last_day: int) -> int | None:
    """The earliest day an undated article can have been written, judged against a dated story:
    reports name past months of their own year bare, so an article naming "September" bare was
    written in September or later. Only months two to six after the story's last month count
    (a month just after may be a plan, one further on may be last year's); months the story
    itself names are excluded (a date both sides expect). None when there is no such evidence."""
    last = _dt.date.fromordinal(story_last_day)
    found: list[int] = []
    for month in bare_months:
        ahead = (month - last.month) % 12
        if 2 <= ahead <= 6:
            year = last.year + (1 if month < last.month else 0)
            found.append(_dt.date(year, month, 1).toordinal())
    return max(found) if found else None


def _chronological(a: StoryState, b: StoryState) -> tuple[StoryState, StoryState]:
    if a.day_min is not None and b.day_min is not None and a.day_min != b.day_min:
        return (a, b) if a.day_min < b.day_min else (b, a)
    return (a, b) if a.founder <= b.founder else (b, a)
