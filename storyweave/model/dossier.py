"""What the dossier stage produces for one story. Every statement points to source sentences."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from .story import Story


# How a claim stands across the story's articles (the rules are listed in `Dossier.rules`).
ClaimStatus = Literal["corroborated", "single-source", "disputed"]
# What two or more articles state differently.
ConflictKind = Literal["number", "title", "quote", "name", "date", "place", "account"]
# How an article relates to its primary source: it credits it, copies it, or reports itself.
ProvenanceRelation = Literal["cites", "copies", "own-reporting"]
# A framing item: loaded language, or a sentence that reads as the writer's opinion.
FramingKind = Literal["loaded", "opinion"]


class Support(BaseModel):
    article_id: str
    sentence: str
    start: int
    end: int


class Claim(BaseModel):
    text: str
    support: list[Support] = Field(default_factory=list)
    independent_sources: int = 0
    status: ClaimStatus
    origins: list[str] = Field(default_factory=list)  # primary sources behind the support
    outlets: list[str] = Field(default_factory=list)  # outlets (or article ids) that carry it
    note: str | None = None  # why the status and count are what they are, for a reader


class Variant(BaseModel):
    value: str
    article_ids: list[str]
    sentence: str


class Conflict(BaseModel):
    kind: ConflictKind
    subject: str
    variants: list[Variant]
    note: str | None = None


class QuoteVariant(BaseModel):
    text: str
    article_ids: list[str]
    appearances: list[Support] = Field(default_factory=list)
    group: int = 0  # variants with the same group number are one utterance, worded differently
    relayed_by: str | None = None  # whose account carries these words, when not the speaker's own
    relays: str | None = None  # whose words the speaker's account relays here


class SpeakerQuotes(BaseModel):
    speaker: str
    speaker_key: str | None = None
    variants: list[QuoteVariant] = Field(default_factory=list)


class Provenance(BaseModel):
    article_id: str
    outlet: str | None = None
    primary_source: str | None
    relation: ProvenanceRelation
    evidence: list[Support] = Field(default_factory=list)
    copies_of: list[str] = Field(default_factory=list)
    cited: list[str] = Field(default_factory=list)  # every publication the article credits
    syndicated_from: str | None = None
    shared_passages: list[Support] = Field(default_factory=list)  # text shared with a copy


class FramingItem(BaseModel):
    term: str
    kind: FramingKind
    sentence: str
    start: int
    end: int


class ArticleFraming(BaseModel):
    article_id: str
    outlet: str | None = None
    group_names: dict[str, int] = Field(default_factory=dict)
    member_labels: dict[str, int] = Field(default_factory=dict)
    loaded: list[FramingItem] = Field(default_factory=list)
    opinion: list[FramingItem] = Field(default_factory=list)


class TermComparison(BaseModel):
    """Side-by-side: which term each outlet chose for the same thing."""

    concept: str  # "group name", "member label"
    by_outlet: dict[str, dict[str, int]]


class Framing(BaseModel):
    articles: list[ArticleFraming] = Field(default_factory=list)
    side_by_side: list[TermComparison] = Field(default_factory=list)


class TimelineEvent(BaseModel):
    date: str  # ISO date or YYYY-MM
    text: str
    support: list[Support] = Field(default_factory=list)


class SummarySentence(BaseModel):
    text: str
    article_ids: list[str]
    support: list[Support] = Field(default_factory=list)


class ArticleRef(BaseModel):
    """Who is who in a dossier: enough to label an article id for a reader."""

    id: str
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    url: str | None = None


class Dossier(BaseModel):
    story: Story
    articles: list[ArticleRef] = Field(default_factory=list)
    rules: list[str] = Field(default_factory=list)  # how statuses and counts were decided
    claims: list[Claim] = Field(default_factory=list)
    conflicts: list[Conflict] = Field(default_factory=list)
    # Differences checked and judged not to be conflicts (scope, relative counts), with the why.
    close_calls: list[Conflict] = Field(default_factory=list)
    quotes: list[SpeakerQuotes] = Field(default_factory=list)
    provenance: list[Provenance] = Field(default_factory=list)
    framing: Framing = Field(default_factory=Framing)
    timeline: list[TimelineEvent] = Field(default_factory=list)
    summary: list[SummarySentence] = Field(default_factory=list)
    # Optional, off by default: sentences a language model wrote from the claims, each checked
    # against the claims it cites; what failed the check is listed, never shown as fact.
    generated_summary: list[SummarySentence] = Field(default_factory=list)
    generated_rejected: list[str] = Field(default_factory=list)
