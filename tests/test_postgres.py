"""The store on a real PostgreSQL server: the same behaviours as tests/test_store.py, a whole
`storyweave run` compared with the same run on SQLite, and the server reading from PostgreSQL.

Runs when env STORYWEAVE_TEST_PG holds a SQLAlchemy URL of a role allowed to create databases
(scripts/ci-services.sh starts such a server and prints it); each test gets a fresh database.
"""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pgdb import PG_ENV, fresh_database

import test_store as store_behaviours  # the SQLite store tests, rerun here against PostgreSQL
from storyweave import pipeline
from storyweave.config import Settings
from storyweave.model import Article, ClusterEvent, RawDocument, Story, Storyline
from storyweave.store import Store

ROOT = Path(__file__).resolve().parents[1]

if not os.environ.get(PG_ENV):
    pytest.skip(f"{PG_ENV} is not set (bash scripts/ci-services.sh starts PostgreSQL and prints it)",
                allow_module_level=True)
pytest.importorskip("psycopg", reason="psycopg is not installed (pip install -e '.[postgres]')")

from sqlalchemy import text  # noqa: E402

pytestmark = pytest.mark.slow  # a real PostgreSQL server


@pytest.fixture()
def pg_url() -> Iterator[str]:
    """A new, empty database on the server named by STORYWEAVE_TEST_PG, dropped afterwards."""
    with fresh_database(os.environ[PG_ENV]) as url:
        yield url


def _behaviours() -> list:
    return [fn for name, fn in sorted(vars(store_behaviours).items())
            if name.startswith("test_") and callable(fn)]


@pytest.mark.parametrize("behaviour", _behaviours(), ids=lambda fn: fn.__name__)
def test_store_behaviour_on_postgres(behaviour, pg_url):
    params = list(inspect.signature(behaviour).parameters)
    if params != ["db"]:
        pytest.skip(f"{behaviour.__name__} takes {params}, not only a database URL")
    behaviour(pg_url)


def test_dialect_is_really_postgresql(pg_url):
    with Store(pg_url) as store:
        assert store.engine.dialect.name == "postgresql"
        with store.engine.connect() as conn:
            assert conn.execute(text("select version()")).scalar().startswith("PostgreSQL")


def test_bytes_unicode_and_order_survive_the_round_trip(pg_url):
    data = bytes(range(256)) * 4  # every byte value, NUL included: bytea, not text
    raw = RawDocument(source="bin.dat", data=data, format="text", fields={"when": "2024-01-01", "n": [1, 2]})
    body = "Zoë said «ça va» — 東京 🚢 \u200f مرحبا"
    art = Article(id=raw.sha256[:16], source="bin.dat", body=body, raw_sha256=raw.sha256, title=body[:10])
    with Store(pg_url) as store:
        assert store.add_article(raw, art)
        later = [RawDocument(source=f"s{i}", data=f"article {i}".encode(), format="text") for i in range(5)]
        for r in later:
            store.add_article(r, Article(id=r.sha256[:16], source=r.source, body="b", raw_sha256=r.sha256))
    with Store(pg_url) as store:
        assert store.raw(raw.sha256).data == data
        assert store.raw(raw.sha256).fields == {"when": "2024-01-01", "n": [1, 2]}
        assert store.article(art.id).body == body
        assert list(store.iter_article_ids()) == [art.id, *(r.sha256[:16] for r in later)]  # arrival order


def test_clustering_events_and_state_on_postgres(pg_url):
    with Store(pg_url) as store:
        store.save_clustering([Story(id="s1", article_ids=["a"])],
                              [Storyline(id="l1", story_ids=["s1"])],
                              [ClusterEvent(kind="create", story_ids=["s1"], article_ids=["a"])],
                              bytes(range(256)))
        store.save_clustering([Story(id="s1", article_ids=["a", "b"])], [],
                              [ClusterEvent(kind="add", story_ids=["s1"], article_ids=["b"])], None)
        assert [e.kind for e in store.cluster_events()] == ["create", "add"]
        assert store.state("cluster") == bytes(range(256))
        assert store.storylines() == []
        assert store.story("s1").article_ids == ["a", "b"]


def test_concurrent_writers_store_each_article_once(pg_url):
    """Two processes' worth of writers (two Stores) adding the same articles at once."""
    pairs = []
    for i in range(30):
        raw = RawDocument(source=f"c{i}.txt", data=f"concurrent article {i}".encode(), format="text")
        pairs.append((raw, Article(id=raw.sha256[:16], source=raw.source, body=f"body {i}", raw_sha256=raw.sha256)))
    Store(pg_url).close()  # schema first, as `storyweave run` would have made it
    errors: list[BaseException] = []
    added: list[int] = []
    gate = threading.Barrier(2)

    def writer() -> None:
        try:
            with Store(pg_url) as store:
                gate.wait()
                added.append(sum(store.add_article(raw, art) for raw, art in pairs))
        except BaseException as exc:  # reported below, with the other thread's outcome
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sum(added) == len(pairs)
    with Store(pg_url) as store:
        assert store.article_count() == len(pairs)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "storyweave.cli", *args], capture_output=True, text=True,
                          timeout=900, cwd=ROOT)


@pytest.mark.slow
def test_storyweave_run_on_postgres_matches_sqlite(pg_url, tmp_path):
    corpus = ROOT / "examples"
    sqlite_db = str(tmp_path / "same.db")
    for db in (pg_url, sqlite_db):
        done = _cli("run", str(corpus), "--db", db, "--out", str(tmp_path / "out"), "--quiet")
        assert done.returncode == 0, done.stderr
    with Store(pg_url) as pg, Store(sqlite_db) as lite:
        pg_articles = [a.public_dict() for a in pg.articles()]
        assert pg_articles and pg_articles == [a.public_dict() for a in lite.articles()]
        assert set(pg.readings()) == {a["id"] for a in pg_articles}
        assert pg.readings() == lite.readings()
        pg_stories = sorted(sorted(s.article_ids) for s in pg.stories())
        assert pg_stories and pg_stories == sorted(sorted(s.article_ids) for s in lite.stories())
    # a second run adds nothing
    report = pipeline.run([str(corpus)], Settings(db=pg_url, out=str(tmp_path / "out2")))
    assert report.added == [] and report.duplicates == len(pg_articles) and report.ok
    with Store(pg_url) as pg:
        assert pg.article_count() == len(pg_articles)


def test_server_reads_and_writes_on_postgres(pg_url):
    from fastapi.testclient import TestClient

    from storyweave.serve import ServeSettings, create_app
    from test_serve_api import seed_store

    arts = seed_store(pg_url)
    client = TestClient(create_app(ServeSettings(db=pg_url, token="pg-token")))
    assert client.get("/api/articles").json()["total"] == 3
    assert [s["id"] for s in client.get("/api/stories").json()["items"]] == ["s_ferry", "s_council"]
    assert client.get(f"/articles/{arts['xss'].id}").status_code == 200
    posted = client.post("/api/articles", headers={"Authorization": "Bearer pg-token"},
                         json={"title": "Harbour reopens", "outlet": "Valley News",
                               "text": "The harbour reopened on Friday after the fire, officials said."})
    assert posted.status_code == 201, posted.text
    new_id = posted.json()["added"][0]
    assert posted.json()["stories"]
    assert client.get("/api/articles").json()["total"] == 4
    assert client.get(f"/api/articles/{new_id}").json()["reading"] is not None


def test_nul_characters_in_indexed_fields_do_not_break_postgres(pg_url):
    """PostgreSQL text columns refuse NUL (SQLite takes it): an input whose outlet, source or
    date carries one is still stored, the document keeping the value exactly as read."""
    raw = RawDocument(source="feed\x00.jsonl#1", data=b'{"text": "x"}', format="jsonl",
                      media_type="application/json", url="https://example.org/a\x00b")
    art = Article(id=raw.sha256[:16], source=raw.source, body="Body \x00 text.", raw_sha256=raw.sha256,
                  outlet="Daily\x00 Ledger", published="2024-01-01\x00")
    with Store(pg_url) as store:
        assert store.add_article(raw, art)
        assert store.article(art.id) == art
        assert store.raw(raw.sha256).data == raw.data
