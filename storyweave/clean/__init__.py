"""Stage 2, clean: RawDocument -> Article (clean body, captions, metadata, offset map).

`clean_document` is the stage; `CleanError` says a record holds no article. The recognisers other
stages may reuse: `find_cited_publications` (publications an article credits), `find_self_references`
(names a page uses for itself) and `parse_date` (date lines in many styles, ambiguous numeric dates
settled from evidence or flagged).
"""

from __future__ import annotations

from .core import clean_document
from .dates import FoundDate, parse_date
from .errors import CleanError
from ..model.credits import find_cited_publications, find_self_references

__all__ = [
    "CleanError", "FoundDate", "clean_document", "find_cited_publications", "find_self_references", "parse_date",
]
