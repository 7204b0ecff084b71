"""The one data model every stage shares. Stages are functions from these models to these models.

Sections are owned by the stage that produces them: article.py (ingest, clean), reading.py (nlp),
story.py (cluster), dossier.py (compare, dossier).
"""

from .article import Article, DocumentFormat, IngestError, OffsetSegment, RawDocument, sha256_hex
from .dossier import (
    ArticleFraming,
    ArticleRef,
    Claim,
    ClaimStatus,
    Conflict,
    ConflictKind,
    Dossier,
    Framing,
    FramingItem,
    FramingKind,
    Provenance,
    ProvenanceRelation,
    QuoteVariant,
    SpeakerQuotes,
    SummarySentence,
    Support,
    TermComparison,
    TimelineEvent,
    Variant,
)
from .reading import (
    Argument,
    Attribution,
    Clause,
    Entity,
    Person,
    Quantity,
    Quote,
    QuoteKind,
    Reading,
    Role,
    Sentence,
    TimeExpression,
)
from .source import SourceKind, SourceState, WatchedPage
from .story import ClusterEvent, ClusterEventKind, Story, Storyline, StoryLink

__all__ = [
    "Argument", "Article", "ArticleFraming", "ArticleRef", "Attribution", "Claim", "ClaimStatus", "Clause", "ClusterEvent",
    "ClusterEventKind", "Conflict", "ConflictKind", "DocumentFormat", "Dossier",
    "Entity", "Framing", "FramingItem", "FramingKind", "IngestError", "OffsetSegment", "Person", "Provenance",
    "ProvenanceRelation", "Quantity", "Quote", "QuoteKind", "QuoteVariant", "RawDocument", "Reading", "Role", "Sentence",
    "SourceKind", "SourceState", "SpeakerQuotes", "Story", "StoryLink", "Storyline", "SummarySentence", "Support",
    "TermComparison", "TimeExpression", "TimelineEvent", "Variant", "WatchedPage", "sha256_hex",
]
