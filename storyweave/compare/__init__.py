"""Cross-source comparison: align statements across a story's articles, find what they agree on
and where they disagree, and trace where each account comes from."""

from ._align import Alignment, Embedder, Statement, StatementGroup, align, align_statements, embedding_text, statements_of
from ._conflicts import ConflictReport, find_conflicts
from ._provenance import detect_copies, merge_copies, origin_key, origin_keys, trace_provenance
from ._quotes import QuoteMention, align_quotes, group_speaker, quote_mentions
from ._text import clip, content_terms, fold_name, normalise, numbers_in

__all__ = [
    "Alignment",
    "ConflictReport",
    "Embedder",
    "QuoteMention",
    "Statement",
    "StatementGroup",
    "align",
    "align_quotes",
    "align_statements",
    "clip",
    "content_terms",
    "detect_copies",
    "embedding_text",
    "find_conflicts",
    "fold_name",
    "group_speaker",
    "merge_copies",
    "normalise",
    "numbers_in",
    "origin_key",
    "origin_keys",
    "quote_mentions",
    "statements_of",
    "trace_provenance",
]
