"""The watcher's memory in the store: each source's state, each watched page's identity and
versions, the names (URLs, feed ids) that lead to a page, and the conflicts already announced per
story. Its own tables, created on first use, so a store made before watching existed gains them.

A restart resumes from here: nothing about watching is kept only in memory between rounds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import (
    JSON,
    Column,
    MetaData,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
)

from ..model import SourceState, WatchedPage
from . import Store, articles, raw_documents

watch_metadata = MetaData()

watch_sources = Table(
    "watch_sources",
    watch_metadata,
    Column("url", Text, primary_key=True),
    Column("doc", JSON, nullable=False),
)

watch_pages = Table(
    "watch_pages",
    watch_metadata,
    Column("key", Text, primary_key=True),
    Column("body_sha256", String(64), nullable=False, index=True),
    Column("doc", JSON, nullable=False),
)

# Every name a page was seen under ("url:<normalised URL>", "id:<feed id>") -> its key.
watch_names = Table(
    "watch_names",
    watch_metadata,
    Column("name", Text, primary_key=True),
    Column("key", Text, nullable=False, index=True),
)

# Per story, the conflicts already reported (their fingerprints), so a round names only new ones.
watch_conflicts = Table(
    "watch_conflicts",
    watch_metadata,
    Column("story_id", String(64), primary_key=True),
    Column("marks", JSON, nullable=False),
)


class WatchBook:
    """The watch tables of one store."""

    def __init__(self, store: Store) -> None:
        self.engine = store.engine
        with store.lock("schema"):
            watch_metadata.create_all(self.engine)

    # -- sources -------------------------------------------------------------------------------

    def sources(self) -> list[SourceState]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(watch_sources.c.doc).order_by(watch_sources.c.url)).all()
        return [SourceState.model_validate(doc) for (doc,) in rows]

    def source(self, url: str) -> SourceState | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(watch_sources.c.doc).where(watch_sources.c.url == url)).first()
        return SourceState.model_validate(row[0]) if row else None

    def put_source(self, state: SourceState) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(watch_sources).where(watch_sources.c.url == state.url))
            conn.execute(insert(watch_sources).values(url=state.url, doc=state.model_dump(mode="json")))

    # -- pages ---------------------------------------------------------------------------------

    def page_named(self, names: Iterable[str]) -> WatchedPage | None:
        """The page any of `names` leads to (the first name that is known wins)."""
        wanted = list(dict.fromkeys(names))
        if not wanted:
            return None
        with self.engine.connect() as conn:
            found = dict(conn.execute(select(watch_names.c.name, watch_names.c.key).where(watch_names.c.name.in_(wanted))).all())
            for name in wanted:
                if name in found:
                    row = conn.execute(select(watch_pages.c.doc).where(watch_pages.c.key == found[name])).first()
                    if row:
                        return WatchedPage.model_validate(row[0])
        return None

    def page_with_body(self, body_sha256: str) -> WatchedPage | None:
        """A page whose current body is this one (the same article under a URL not yet known)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(watch_pages.c.doc).where(watch_pages.c.body_sha256 == body_sha256)).first()
        return WatchedPage.model_validate(row[0]) if row else None

    def put_page(self, page: WatchedPage) -> None:
        """Store the page and point each of its names at it."""
        with self.engine.begin() as conn:
            conn.execute(delete(watch_pages).where(watch_pages.c.key == page.key))
            conn.execute(insert(watch_pages).values(key=page.key, body_sha256=page.body_sha256, doc=page.model_dump(mode="json")))
            names = list(dict.fromkeys(page.names))
            if names:
                conn.execute(delete(watch_names).where(watch_names.c.name.in_(names)))
                conn.execute(insert(watch_names), [{"name": n, "key": page.key} for n in names])

    def pages(self) -> list[WatchedPage]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(watch_pages.c.doc).order_by(watch_pages.c.key)).all()
        return [WatchedPage.model_validate(doc) for (doc,) in rows]

    # -- conflicts announced -------------------------------------------------------------------

    def conflict_marks(self, story_ids: Sequence[str]) -> dict[str, set[str]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(watch_conflicts.c.story_id, watch_conflicts.c.marks)
                                .where(watch_conflicts.c.story_id.in_(list(story_ids)))).all()
        return {sid: set(marks) for sid, marks in rows}

    def put_conflict_marks(self, story_id: str, marks: set[str]) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(watch_conflicts).where(watch_conflicts.c.story_id == story_id))
            conn.execute(insert(watch_conflicts).values(story_id=story_id, marks=sorted(marks)))


def arrivals(store: Store, since: str | None = None) -> dict[str, str]:
    """Article id -> when its input was first stored (ISO 8601 UTC), for articles that arrived
    at or after `since` (all without). What `--since` and the Atom feed go by."""
    query = (select(articles.c.id, raw_documents.c.first_seen)
             .join(raw_documents, raw_documents.c.sha256 == articles.c.raw_sha256))
    if since is not None:
        query = query.where(raw_documents.c.first_seen >= since)
    with store.engine.connect() as conn:
        return dict(conn.execute(query).all())
