"""What watching produces and keeps between rounds: each watched source's state, and each watched
page's identity (its canonical key, the names it was seen under, its versions)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

SourceKind = Literal["unknown", "feed", "page", "sitemap"]


class SourceState(BaseModel):
    """One watched source (a feed, a front page with a feed link, a sitemap), as last polled."""

    url: str
    kind: SourceKind = "unknown"
    feed_url: str | None = None  # the feed a front page links to, polled instead once found
    etag: str | None = None
    last_modified: str | None = None
    checks: int = 0
    not_modified: int = 0  # answers 304 to a conditional request
    entries_new: int = 0  # articles or versions this source brought, all rounds together
    last_checked: str | None = None  # ISO 8601 UTC
    last_ok: str | None = None
    last_new: str | None = None  # when it last brought a new article or version
    errors: int = 0  # consecutive failures; 0 after a success
    last_error: str | None = None
    next_check: str | None = None  # not polled before this (the period, a backoff or Retry-After)


class WatchedPage(BaseModel):
    """One article as the watcher knows it, whatever URLs it was seen under."""

    key: str  # its canonical key: the normalised canonical URL (or first URL) it was found under
    url: str  # the URL last fetched for it
    names: list[str] = Field(default_factory=list)  # "url:..." and "id:..." names that lead here
    etag: str | None = None
    last_modified: str | None = None
    entry_stamp: str | None = None  # the feed's updated/published text for it when last read
    body_sha256: str  # of the clean body's words: page furniture (ads, timestamps) leaves it alone
    article_id: str  # the current version
    versions: list[str] = Field(default_factory=list)  # article ids, oldest first
    first_seen: str
    last_changed: str
