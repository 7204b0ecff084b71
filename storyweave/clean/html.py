"""Main content and metadata of an HTML page through trafilatura, then our line-level cleaning.

trafilatura runs without comments and favouring precision (measured better on the article-
extraction benchmark than its defaults: see benchmarks/bench_clean.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import trafilatura

MAX_HTML_CHARS = 5_000_000  # untrusted input: bound the work done on one page


@dataclass
class HtmlExtract:
    text: str
    title: str | None
    author: str | None
    date: str | None
    sitename: str | None
    hostname: str | None
    url: str | None
    description: str | None


def extract_html(html: str, url: str | None = None) -> HtmlExtract:
    doc = trafilatura.bare_extraction(
        html[:MAX_HTML_CHARS],
        url=url,
        with_metadata=True,
        include_comments=False,
        favor_precision=True,
        include_tables=True,
    )
    meta: dict[str, Any] = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else dict(doc or {})
    return HtmlExtract(
        text=meta.get("text") or "",
        title=meta.get("title") or None,
        author=meta.get("author") or None,
        date=meta.get("date") or None,
        sitename=meta.get("sitename") or None,
        hostname=meta.get("hostname") or None,
        url=meta.get("url") or url,
        description=meta.get("description") or None,
    )


def extract_plain(html: str) -> str:
    """Plain trafilatura with its defaults: the benchmark's baseline."""
    return trafilatura.extract(html) or ""
