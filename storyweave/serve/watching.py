"""What the server shows of watching: the sources' state (/api/sources), an Atom feed of new and
updated stories (/stories.atom), and the `since` filter the listing endpoints share."""

from __future__ import annotations

import datetime as _dt
from typing import Annotated

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import Response

from ..model import SourceState, Story
from ..store import Store
from ..store._sources import WatchBook, arrivals
from ..timespec import iso_utc, parse_since
from .pages import render_text

ATOM_ENTRIES = 50
SinceQuery = Annotated[str | None, Query(
    max_length=64, description="only what arrived since: a time back from now (2h, 3d) or an ISO date/time")]


def arrived_since(store: Store, since: str | None) -> dict[str, str] | None:
    """Article id -> arrival for articles that arrived since `since`; None without a filter."""
    if since is None:
        return None
    try:
        return arrivals(store, parse_since(since))
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None


def stories_since(stories: list[Story], arrived: dict[str, str] | None) -> list[Story]:
    if arrived is None:
        return stories
    return [s for s in stories if arrived.keys() & set(s.article_ids)]


def add_watch_routes(app: FastAPI, store: Store) -> None:
    book = WatchBook(store)

    @app.get("/api/sources", response_model=list[SourceState], tags=["read"])
    def list_sources() -> list[SourceState]:
        """Every watched source: last checked, last new entry, errors, next check."""
        return book.sources()

    @app.get("/stories.atom", tags=["read"], responses={200: {"content": {"application/atom+xml": {}}}})
    def stories_atom(request: Request, since: SinceQuery = None) -> Response:
        """New and updated stories, newest first (updated: when its latest article arrived)."""
        arrived = arrived_since(store, since)
        if arrived is None:
            arrived = arrivals(store)
        latest = {}
        for story in store.stories():
            times = [arrived[a] for a in story.article_ids if a in arrived]
            if times:
                latest[story.id] = (max(times), story)
        newest = sorted(latest.values(), key=lambda pair: (pair[0], pair[1].id), reverse=True)[:ATOM_ENTRIES]
        base = str(request.base_url).rstrip("/")
        body = render_text(
            "stories.atom", base=base, entries=newest,
            updated=newest[0][0] if newest else iso_utc(_dt.datetime.now(_dt.UTC)),
        )
        return Response(body, media_type="application/atom+xml; charset=utf-8")
