"""What can be searched and exported: the kinds and formats the store, the API and the CLI share."""

from __future__ import annotations

from typing import Literal, get_args

ExportKind = Literal["articles", "stories", "claims", "conflicts", "quotes"]
ExportFormat = Literal["csv", "jsonl", "parquet"]
EXPORT_KINDS: tuple[str, ...] = get_args(ExportKind)
EXPORT_FORMATS: tuple[str, ...] = get_args(ExportFormat)

SearchKind = Literal["article", "quote", "person", "place", "claim"]
SEARCH_KINDS: tuple[str, ...] = get_args(SearchKind)
# Marks around matched words in a snippet; private-use characters that article text can be
# stripped of, so the HTML layer can escape the snippet and then turn only these into <mark>.
HIT_OPEN, HIT_CLOSE = "\ue000", "\ue001"
