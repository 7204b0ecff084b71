"""Stage 4, cluster: place new articles into stories and link stories into storylines.

The clusterer is a function over batches: (previous state, new articles) -> new state plus the
story view. The state is opaque bytes the store keeps between runs.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence

from pydantic import BaseModel, Field

from ..model import Article, ClusterEvent, Reading, Story, Storyline


class ClusterResult(BaseModel):
    stories: list[Story]
    storylines: list[Storyline] = Field(default_factory=list)
    events: list[ClusterEvent] = Field(default_factory=list)
    state: bytes


def cluster_articles(
    new_articles: Sequence[Article],
    all_articles: Sequence[Article],
    readings: dict[str, Reading],
    state: bytes | None,
) -> ClusterResult:
    stories = [Story(id="s_" + a.id, title=a.title, article_ids=[a.id]) for a in all_articles]
    return ClusterResult(stories=stories, state=pickle.dumps({}))
