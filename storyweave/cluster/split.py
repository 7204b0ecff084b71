"""When a story holds two events: the rule that finds them, over its articles' stored profiles.

A story is split when its articles fall into two groups, each of at least `min_part` articles,
whose ledes name different people (no person shared between the groups) and whose places or
years disagree as well: the same kind of event happening to someone else, somewhere else or in
another year (a coach fired three years later, another state's law). Articles naming no one are
placed with the group whose names they share most; ties stay with the larger group.
A story is also split (`find_groups`, after each batch) when its articles fall into two groups
that resemble each other far less than each resembles itself and whose most named people differ:
look-alikes that share a place, a year or a secondary person (two nominees for one post).
Average linkage tends to peel off a few outliers instead; so the story is also cut by the person
each article's lede names most (`find_people_groups`): two groups about different main people,
hardly naming each other's, that resemble each other far less than each resembles itself (two
players of one team arrested for the same offence months apart).
Pure: ordinals and profiles in, a partition and its reason out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..model.groups import find, union
from . import sparse
from .features import EMPTY, SparseVec


MAIN_PEOPLE = 2  # the people an article is mostly about: its lede's most named

@dataclass(frozen=True)
class MemberProfile:
    """What the split rule reads of one article of the story."""

    ordinal: int
    people: SparseVec
    places: SparseVec
    years: SparseVec
    ents: SparseVec


@dataclass(frozen=True)
class Split:
    keep: list[int]  # ordinals that stay in the story (the larger part, or the older on a tie)
    moved: list[int]  # ordinals of the new story
    keep_people: list[int]  # hashed keys naming each part's people, heaviest first
    moved_people: list[int]
    places_differ: bool
    years_differ: bool
    cohesion: tuple[float, float] | None = None  # (between, within) mean similarity, for a split by groups


def _union_find_groups(members: Sequence[MemberProfile]) -> list[list[int]]:
    """Members (by position) connected through a shared person; members naming no one are left out."""
    parent: dict[int, int] = {}
    first_with: dict[int, int] = {}
    for i, m in enumerate(members):
        for key in _heaviest(m.people, MAIN_PEOPLE):
            if key in first_with:
                union(parent, first_with[key], i)
            else:
                first_with[key] = i
    groups: dict[int, list[int]] = {}
    for i, m in enumerate(members):
        if len(m.people):
            groups.setdefault(find(parent, i), []).append(i)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))


def _profile(members: Sequence[MemberProfile], group: Sequence[int], field: str) -> SparseVec:
    out = EMPTY
    for i in group:
        out = sparse.add(out, getattr(members[i], field))
    return out


def _disjoint(a: SparseVec, b: SparseVec) -> bool:
    return bool(len(a) and len(b)) and not np.intersect1d(a.idx, b.idx, assume_unique=True).size


def _heaviest(vec: SparseVec, top: int = MAIN_PEOPLE) -> list[int]:
    return [int(vec.idx[i]) for i in np.argsort(-vec.val, kind="stable")[:top]]


def find_split(
    members: Sequence[MemberProfile], df: np.ndarray, n_docs: float, min_part: int = 3
) -> Split | None:
    """The two events in a story's articles (given in placement order), or None."""
    if len(members) < 2 * min_part:
        return None
    groups = _union_find_groups(members)
    if len(groups) < 2 or len(groups[1]) < min_part:
        return None
    a, b = groups[0], groups[1]
    places_differ = _disjoint(_profile(members, a, "places"), _profile(members, b, "places"))
    years_differ = _disjoint(_profile(members, a, "years"), _profile(members, b, "years"))
    if not (places_differ or years_differ):
        return None  # other people, same place and time: more likely one event's many actors
    sides = [list(a), list(b)]
    ents = [_profile(members, a, "ents"), _profile(members, b, "ents")]
    grouped = set(a) | set(b)
    for i in range(len(members)):
        if i in grouped:
            continue
        sims = [sparse.cosine(members[i].ents, e, df, n_docs) for e in ents]
        sides[1 if sims[1] > sims[0] else 0].append(i)
    sides = [sorted(s) for s in sides]
    # the larger part keeps the story (and its id); on a tie, the part with the older article
    keep, moved = sorted(sides, key=lambda s: (-len(s), s[0]))
    keep_people = _heaviest(_profile(members, keep, "people"))
    moved_people = _heaviest(_profile(members, moved, "people"))
    return Split(
        keep=[members[i].ordinal for i in keep], moved=[members[i].ordinal for i in moved],
        keep_people=keep_people, moved_people=moved_people,
        places_differ=places_differ, years_differ=years_differ,
    )


def _average_linkage_halves(sim: np.ndarray) -> list[list[int]]:
    """Average-linkage agglomeration of a similarity matrix down to two groups (positions)."""
    groups = [[i] for i in range(len(sim))]
    link = sim.astype(np.float64).copy()  # mean similarity between current groups
    np.fill_diagonal(link, -np.inf)
    sizes = np.ones(len(sim))
    alive = list(range(len(sim)))
    while len(alive) > 2:
        sub = link[np.ix_(alive, alive)]
        a, b = np.unravel_index(int(np.argmax(sub)), sub.shape)
        i, j = sorted((alive[a], alive[b]))
        # the merged group's mean similarity to every other group, weighted by sizes
        link[i, :] = (link[i, :] * sizes[i] + link[j, :] * sizes[j]) / (sizes[i] + sizes[j])
        link[:, i] = link[i, :]
        link[i, i] = -np.inf
        sizes[i] += sizes[j]
        groups[i] += groups[j]
        alive.remove(j)
    return sorted((sorted(groups[i]) for i in alive), key=lambda g: (-len(g), g[0]))


def article_similarity(members: Sequence[MemberProfile], vectors: np.ndarray, ledes: Sequence[SparseVec], df: np.ndarray,
                n_docs: float) -> np.ndarray:
    """Mean of embedding, entity and title-and-lede cosines between every two articles."""
    ents = sparse.cosine_matrix([m.ents for m in members], df, n_docs)
    lede = sparse.cosine_matrix(list(ledes), df, n_docs)
    return (np.asarray(vectors, dtype=np.float64) @ np.asarray(vectors, dtype=np.float64).T + ents + lede) / 3.0


def _cohesion(sim: np.ndarray, a: Sequence[int], b: Sequence[int]) -> tuple[float, float]:
    """(mean similarity between the two groups, mean of the two groups' mean within)."""
    within = float(np.mean([sim[np.ix_(g, g)][~np.eye(len(g), dtype=bool)].mean() for g in (a, b)]))
    return float(sim[np.ix_(a, b)].mean()), within


def find_groups(
    members: Sequence[MemberProfile], vectors: np.ndarray, ledes: Sequence[SparseVec], df: np.ndarray,
    n_docs: float, min_part: int = 3, max_ratio: float = 0.7, sim: np.ndarray | None = None,
) -> Split | None:
    """Two groups of articles that resemble each other far less than each resembles itself:
    similarity is the mean of embedding, entity and title-and-lede cosines between two articles,
    the story is cut in two by average linkage, and it splits when each part holds `min_part`
    articles and the mean similarity between the parts is below `max_ratio` of that within them.
    One event's reports, whatever their angle, share its words, names and meaning; a look-alike
    told by the same kind of words (another actor chosen for the same role, another year's vote)
    forms its own group. The two groups must also be about different people: each names someone
    in its ledes and their most named person differs. Members are given in placement order; the
    larger part keeps the story. `sim`: their `article_similarity`, when the caller has it."""
    n = len(members)
    if n < 2 * min_part:
        return None
    sim = article_similarity(members, vectors, ledes, df, n_docs) if sim is None else sim
    a, b = _average_linkage_halves(sim)
    if len(b) < min_part:
        return None
    between, within = _cohesion(sim, a, b)
    if within <= 0.0 or between >= max_ratio * within:
        return None
    keep, moved = sorted((a, b), key=lambda s: (-len(s), s[0]))
    keep_people, moved_people = _heaviest(_profile(members, keep, "people")), _heaviest(_profile(members, moved, "people"))
    if not keep_people or not moved_people or keep_people[0] == moved_people[0]:
        return None  # the same main person (or none named): one event's angles more likely than two events
    return Split(
        keep=[members[i].ordinal for i in keep], moved=[members[i].ordinal for i in moved],
        keep_people=keep_people, moved_people=moved_people,
        places_differ=_disjoint(_profile(members, keep, "places"), _profile(members, moved, "places")),
        years_differ=_disjoint(_profile(members, keep, "years"), _profile(members, moved, "years")),
        cohesion=(round(between, 3), round(within, 3)),
    )


MAX_CROSS_MENTIONS = 1 / 3  # share of a group's articles that may name the other group's main person


def find_people_groups(
    members: Sequence[MemberProfile], vectors: np.ndarray, ledes: Sequence[SparseVec], df: np.ndarray,
    n_docs: float, min_part: int = 3, max_ratio: float = 0.7, sim: np.ndarray | None = None,
) -> Split | None:
    """Two events told about different main people: the articles whose ledes name person A most
    and those naming person B most form groups of at least `min_part` each, at most a third of
    either group names the other's person in its lede (one event's two actors, a shooter and his
    victim, are named together), and the groups resemble each other less than `max_ratio` of
    how much each resembles itself (`find_groups`' similarity). The other articles join the group
    they resemble more; the larger part keeps the story."""
    if len(members) < 2 * min_part:
        return None
    main: list[int | None] = [next(iter(_heaviest(m.people, 1)), None) for m in members]
    counts: dict[int, int] = {}
    for key in main:
        if key is not None:
            counts[key] = counts.get(key, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], main.index(kv[0])))
    if len(ranked) < 2 or ranked[1][1] < min_part:
        return None
    (pa, _), (pb, _) = ranked[:2]
    a = [i for i, k in enumerate(main) if k == pa]
    b = [i for i, k in enumerate(main) if k == pb]
    for group, other in ((a, pb), (b, pa)):
        if sum(1 for i in group if other in members[i].people.idx) > MAX_CROSS_MENTIONS * len(group):
            return None
    sim = article_similarity(members, vectors, ledes, df, n_docs) if sim is None else sim
    between, within = _cohesion(sim, a, b)
    if within <= 0.0 or between >= max_ratio * within:
        return None
    sides = [list(a), list(b)]
    for i in range(len(members)):
        if main[i] not in (pa, pb):
            sides[1 if sim[i, b].mean() > sim[i, a].mean() else 0].append(i)
    keep, moved = sorted((sorted(s) for s in sides), key=lambda s: (-len(s), s[0]))
    return Split(
        keep=[members[i].ordinal for i in keep], moved=[members[i].ordinal for i in moved],
        keep_people=_heaviest(_profile(members, keep, "people")), moved_people=_heaviest(_profile(members, moved, "people")),
        places_differ=_disjoint(_profile(members, keep, "places"), _profile(members, moved, "places")),
        years_differ=_disjoint(_profile(members, keep, "years"), _profile(members, moved, "years")),
        cohesion=(round(between, 3), round(within, 3)),
    )
