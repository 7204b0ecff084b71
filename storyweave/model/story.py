"""What the clustering stage produces: stories (one event) and storylines (stories over time)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class Story(BaseModel):
    id: str
    title: str | None = None
    article_ids: list[str] = Field(default_factory=list)
    copies: list[list[str]] = Field(default_factory=list)  # groups of near-duplicate article ids
    storyline_id: str | None = None
    first_published: str | None = None
    last_published: str | None = None
    outlets: list[str] = Field(default_factory=list)


class StoryLink(BaseModel):
    earlier: str  # story id
    later: str
    reason: str  # readable: "shared actors: ...; later by 30 days"
    score: float


class Storyline(BaseModel):
    id: str
    story_ids: list[str] = Field(default_factory=list)
    links: list[StoryLink] = Field(default_factory=list)


# A change to story identity: a story made, an article added, two stories merged, one story split
# in two (later articles showed it held two events), or every story rebuilt (the clusterer's
# saved state was from another version or damaged).
ClusterEventKind = Literal["create", "add", "merge", "split", "rebuild"]


class ClusterEvent(BaseModel):
    """A change to story identity, recorded rather than silent."""

    kind: ClusterEventKind
    story_ids: list[str]
    article_ids: list[str] = Field(default_factory=list)
    detail: dict[str, Any] = Field(default_factory=dict)
