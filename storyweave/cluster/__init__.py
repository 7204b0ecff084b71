"""Stage 4, cluster: place new articles into stories and link stories into storylines.

The clusterer is a function over batches: (previous state, new articles) -> new state plus the
story view. The state is opaque bytes the store keeps between runs; placing a batch costs the
same however many articles came before (nearest-neighbour index, bounded story profiles).

Identity is stable: a story's id is its founding article's id ("s_<article id>"), articles in
a batch are placed in a fixed order (publication date, then id; undated last), and a batch
never renumbers earlier stories. Merges are recorded as ClusterEvents naming both ids (the older
id survives); every placement is recorded too ("create", "add") with the evidence behind it.
A story whose articles later show two events (different people, and different places or years;
or, checked after each batch, two groups of articles far less alike than each is within, about
different people: cluster/split.py) is split: the larger part keeps the id, the other becomes a story named after
its oldest article, linked to the first in a storyline; a "split" event records why, and the two
are never merged again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ..model import Article, ClusterEvent, Reading, Story, Storyline, StoryLink
from ..model.groups import find
from .features import ArticleFeatures, article_features
from .online import FEATURE_NAMES, Clusterer, ClusterSettings, ClusterState, StoryState
from .state import StateError, dump_state, load_state

Embedder = Callable[[Sequence[str]], np.ndarray]


class ClusterResult(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    stories: list[Story]
    storylines: list[Storyline] = Field(default_factory=list)
    events: list[ClusterEvent] = Field(default_factory=list)
    state: bytes


def arrival_order(articles: Sequence[Article]) -> list[Article]:
    """The fixed order a batch is placed in: by publication date, then id; undated last."""
    return sorted(articles, key=lambda a: (a.published is None, (a.published or "")[:10], a.id))


def _default_embedder(texts: Sequence[str]) -> np.ndarray:
    from ..embeddings import embed

    return embed(texts)


def cluster_articles(
    new_articles: Sequence[Article],
    readings: Mapping[str, Reading] | None = None,
    state: bytes | None = None,
    *,
    settings: ClusterSettings | None = None,
    embedder: Embedder | None = None,
    on_placed: Callable[[int, int], None] | None = None,
) -> ClusterResult:
    """Place `new_articles` into the stories held in `state` and return the updated view.

    Articles already placed (same id) are skipped, so re-running a batch changes nothing.
    `embedder` maps texts to L2-normalised vectors (default: storyweave.embeddings.embed);
    `on_placed(done, total)` is told after each placement, for progress.
    """
    cstate = load_state(state) if state else None
    try:
        cstate, events = place_batch(new_articles, readings or {}, cstate, settings=settings, embedder=embedder,
                                     on_placed=on_placed)
        stories, storylines = story_view(cstate)
    except StateError:
        raise
    except Exception as exc:
        if cstate is None:
            raise  # no stored state involved: a real fault, not a damaged state
        # A state that loaded but cannot be worked with is damaged in a way the load did not see.
        raise StateError(f"clustering state could not be used: {type(exc).__name__}: {exc}") from exc
    return ClusterResult(stories=stories, storylines=storylines, events=events, state=dump_state(cstate))


def place_batch(
    new_articles: Sequence[Article],
    readings: Mapping[str, Reading],
    state: ClusterState | None,
    *,
    settings: ClusterSettings | None = None,
    embedder: Embedder | None = None,
    on_placed: Callable[[int, int], None] | None = None,
) -> tuple[ClusterState, list[ClusterEvent]]:
    """The incremental core on the in-memory state (no (de)serialisation, no view building)."""
    embedder = embedder or _default_embedder
    seen: set[str] = set(state.ordinal_of) if state is not None else set()
    todo: list[Article] = []
    for article in arrival_order(new_articles):
        if article.id not in seen:
            seen.add(article.id)
            todo.append(article)
    if on_placed is not None:
        on_placed(0, len(todo))  # the features and embeddings below are part of the stage's time
    feats: list[ArticleFeatures] = [article_features(a, readings.get(a.id)) for a in todo]
    vectors = np.asarray(embedder([f.embed_text for f in feats]), dtype=np.float32) if feats else None
    if state is None:
        state = ClusterState(dim=int(vectors.shape[1]) if vectors is not None else 384)
    elif vectors is not None and vectors.shape[1] != state.dim:  # another embedding model's state
        raise StateError(f"clustering state holds {state.dim}-dimensional vectors, this model makes {vectors.shape[1]}")
    clusterer = Clusterer(state, settings or ClusterSettings())
    for i, (article, f) in enumerate(zip(todo, feats)):
        clusterer.place(article, f, vectors[i])  # type: ignore[index]
        if on_placed is not None:
            on_placed(i + 1, len(todo))
    clusterer.settle([a.id for a in todo])
    return state, clusterer.events


def _story_model(st: ClusterState, story: StoryState, line: str | None) -> Story:
    groups: dict[int, list[str]] = {}
    for aid in story.article_ids:
        o = st.ordinal_of[aid]
        if o in st.copy_parent:
            groups.setdefault(find(st.copy_parent, o), []).append(aid)
    return Story(
        id=story.id,
        title=story.title,
        article_ids=list(story.article_ids),
        copies=[g for _, g in sorted(groups.items()) if len(g) > 1],
        storyline_id=line,
        first_published=story.first_published,
        last_published=story.last_published,
        outlets=sorted(story.outlets),
    )


def _alive_id(st: ClusterState, story_id: str) -> str:
    while True:
        s = st.stories[st.story_index[story_id]]
        if s.merged_into is None:
            return s.id
        story_id = s.merged_into


def story_view(st: ClusterState) -> tuple[list[Story], list[Storyline]]:
    """Stories in founding order, and storylines: connected groups of linked stories."""
    parent: dict[str, str] = {}  # union-find over story ids

    founder = {s.id: s.founder for s in st.stories}
    links: dict[tuple[str, str], StoryLink] = {}
    for link in st.links.values():
        a, b = _alive_id(st, link.earlier), _alive_id(st, link.later)
        if a == b:
            continue
        key = (a, b)
        if key not in links or links[key].score < link.score:
            links[key] = StoryLink(earlier=a, later=b, reason=link.reason, score=link.score)
        ra, rb = find(parent, a), find(parent, b)
        if ra != rb:  # the older story roots the line, so its id is stable as the line grows
            lo, hi = (ra, rb) if founder[ra] <= founder[rb] else (rb, ra)
            parent[hi] = lo
    members: dict[str, list[str]] = {}
    for sid in parent:
        members.setdefault(find(parent, sid), []).append(sid)
    line_of: dict[str, str] = {}
    lines: list[Storyline] = []
    for r, sids in sorted(members.items(), key=lambda kv: founder[kv[0]]):
        sids = sorted(set(sids) | {r}, key=lambda s: founder[s])
        line_id = "l_" + r.removeprefix("s_")
        line_of.update((s, line_id) for s in sids)
        in_line = set(sids)
        lines.append(Storyline(
            id=line_id, story_ids=sids,
            links=[l for k, l in sorted(links.items()) if k[0] in in_line],
        ))
    stories = [
        _story_model(st, s, line_of.get(s.id))
        for s in sorted(st.stories, key=lambda s: s.founder)
        if s.merged_into is None
    ]
    return stories, lines


__all__ = [
    "FEATURE_NAMES", "ClusterResult", "ClusterSettings", "ClusterState", "Embedder", "StateError",
    "arrival_order", "cluster_articles", "dump_state", "load_state", "place_batch", "story_view",
]
