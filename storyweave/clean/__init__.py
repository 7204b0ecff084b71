"""Stage 2, clean: RawDocument -> Article (clean body, captions, metadata, offset map).

Public surface: `clean_document`, `CleanError`, and the reusable recognisers
`find_cited_publications`, `find_self_references`, `parse_date`.
"""

from __future__ import annotations

from .core import clean_document
from .dates import FoundDate, parse_date
from .errors import CleanError
from .names import find_cited_publications, find_self_references
from .scraped import ScrapedParts, clean_scraped
from .textmap import MappedText

__all__ = [
    "CleanError", "FoundDate", "MappedText", "ScrapedParts", "clean_document", "clean_scraped",
    "find_cited_publications", "find_self_references", "parse_date",
]
