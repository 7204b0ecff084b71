"""The one data model every stage shares. Stages are functions from these models to these models.

Sections are owned by the stage that produces them: article.py (ingest, clean), reading.py (nlp),
story.py (cluster), dossier.py (compare, dossier).
"""

from .article import Article, IngestError, OffsetSegment, RawDocument, sha256_hex
from .dossier import (
    ArticleFraming,
    ArticleRef,
    Claim,
    Conflict,
    Dossier,
    Framing,
    FramingItem,
    Provenance,
    QuoteVariant,
    SpeakerQuotes,
    SummarySentence,
    Support,
    TermComparison,
    TimelineEvent,
    Variant,
)
from .reading import (
    Attribution,
    Entity,
    Person,
    Quantity,
    Quote,
    Reading,
    Role,
    Sentence,
    TimeExpression,
)
from .source import SourceKind, SourceState, WatchedPage
from .story import ClusterEvent, Story, Storyline, StoryLink

__all__ = [
    "Article", "ArticleFraming", "ArticleRef", "Attribution", "Claim", "ClusterEvent", "Conflict", "Dossier",
    "Entity", "Framing", "FramingItem", "IngestError", "OffsetSegment", "Person", "Provenance",
    "Quantity", "Quote", "QuoteVariant", "RawDocument", "Reading", "Role", "Sentence",
    "SourceKind", "SourceState", "SpeakerQuotes", "Story", "StoryLink", "Storyline", "SummarySentence", "Support",
    "TermComparison", "TimeExpression", "TimelineEvent", "Variant", "WatchedPage", "sha256_hex",
]
