"""The watch tables (store/_sources.py) on SQLite and, when STORYWEAVE_TEST_PG is set, PostgreSQL:
sources, pages and their names, conflict marks, arrivals; all of it survives reopening."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from pgdb import fresh_database

from storyweave.clean import clean_document
from storyweave.model import RawDocument, SourceState, WatchedPage
from storyweave.store import Store
from storyweave.store._sources import WatchBook, arrivals


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "watch.db")
        return
    base_url = os.environ.get("STORYWEAVE_TEST_PG")
    if not base_url:
        pytest.skip("STORYWEAVE_TEST_PG is not set (bash scripts/ci-services.sh starts PostgreSQL)")
    pytest.importorskip("psycopg")
    with fresh_database(base_url, prefix="sw_watch") as url:
        yield url


def test_watch_book_round_trip(store_url: str) -> None:
    page = WatchedPage(key="url:http://a.example/x", url="http://a.example/x", names=["url:http://a.example/x", "id:feed|1"],
                       etag='"e1"', body_sha256="b" * 64, article_id="a1", versions=["a1"],
                       first_seen="2026-01-01T00:00:00+00:00", last_changed="2026-01-01T00:00:00+00:00")
    with Store(store_url) as store:
        book = WatchBook(store)
        book.put_source(SourceState(url="http://a.example/feed", kind="feed", errors=2, last_error="HTTP 503"))
        book.put_page(page)
        moved = page.model_copy(update={"names": [*page.names, "url:http://a.example/moved"], "versions": ["a1", "a2"], "article_id": "a2"})
        book.put_page(moved)  # the same page again, under one more name
        book.put_conflict_marks("s_1", {"m1", "m2"})
        raw = RawDocument(source="n.txt", data=b"A title\n\nA body about a ferry fire on the lake.", format="text")
        article = clean_document(raw)
        store.add_article(raw, article)
    with Store(store_url) as store:  # reopened: everything is still there
        book = WatchBook(store)
        (source,) = book.sources()
        assert source.errors == 2 and source.last_error == "HTTP 503" and book.source("http://nope") is None
        assert book.page_named(["url:http://a.example/moved"]) == moved
        assert book.page_named(["id:feed|1", "url:unknown"]).article_id == "a2"  # type: ignore[union-attr]
        assert book.page_named(["url:unknown"]) is None and book.page_named([]) is None
        assert book.page_with_body("b" * 64) == moved and len(book.pages()) == 1
        assert book.conflict_marks(["s_1", "s_2"]) == {"s_1": {"m1", "m2"}}
        assert set(arrivals(store)) == {article.id}
        assert arrivals(store, "2999-01-01T00:00:00+00:00") == {}
