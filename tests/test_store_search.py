"""Full-text search, the SQL tables (claims, conflicts, quotes, story_articles) and exports, on
a real SQLite store and, where STORYWEAVE_TEST_PG is set, a real PostgreSQL database."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator

import pytest
from pgdb import PG_ENV, fresh_database
from sqlalchemy import text
from test_serve_api import FERRY_BODY, seed_store

from storyweave.model import ArticleRef, Claim, Conflict, Dossier, Support, Variant
from storyweave.store import Store
from storyweave.store._export import EXPORT_KINDS, write_export



@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "search.db")
        return
    if not os.environ.get(PG_ENV):
        pytest.skip(f"{PG_ENV} is not set (bash scripts/ci-services.sh starts PostgreSQL and prints it)")
    pytest.importorskip("psycopg")
    with fresh_database(os.environ[PG_ENV]) as url:
        yield url


def _ferry_dossier(store: Store, ferry_id: str, ferry2_id: str) -> Dossier:
    story = store.story("s_ferry")
    assert story is not None
    at = FERRY_BODY.index("A ferry")
    sentence = FERRY_BODY[at : FERRY_BODY.index(".") + 1]
    refs = {a.id: ArticleRef(id=a.id, outlet=a.outlet, title=a.title, published=a.published)
            for a in store.articles(story.article_ids)}
    return Dossier(
        story=story, articles=list(refs.values()),
        claims=[Claim(text="A ferry caught fire off Port Ellis, killing 12 people.", status="disputed",
                      independent_sources=2, outlets=["Harbour Times", "Coast Courier"],
                      support=[Support(article_id=ferry_id, sentence=sentence, start=at, end=at + len(sentence)),
                               Support(article_id=ferry2_id, sentence="Twelve died.", start=26, end=38)]),
                Claim(text="The coast guard rescued 140 people.", status="single-source", independent_sources=1,
                      outlets=["Harbour Times"], support=[])],
        conflicts=[Conflict(kind="number", subject="people killed", variants=[
            Variant(value="12", article_ids=[ferry_id], sentence=sentence),
            Variant(value="twelve", article_ids=[ferry2_id], sentence="Twelve died.")])],
    )


def test_search_finds_words_speakers_places_and_claims(any_db):
    arts = seed_store(any_db)
    with Store(any_db) as store:
        store.put_dossier(_ferry_dossier(store, arts["ferry"].id, arts["ferry2"].id))
        total, hits = store.search("maria lopez", kinds={"quote"})
        assert total == 1 and hits[0].article_id == arts["ferry"].id and hits[0].title == "Maria Lopez"
        assert (hits[0].start, hits[0].end) == (FERRY_BODY.index('"We saw'), FERRY_BODY.index('," said') + 2)
        _, places = store.search("Port Ellis", kinds={"place"})
        assert [h.title for h in places] == ["Port Ellis"]
        total, claims = store.search("rescued coast guard", kinds={"claim"})
        assert total == 1 and claims[0].story_id == "s_ferry"
        _, words = store.search("blaze")  # an article's title
        assert [h.article_id for h in words if h.kind == "article"] == [arts["ferry2"].id]
        assert store.search("zebra")[0] == 0
        assert store.search('" OR * NEAR(')[0] == 0  # punctuation is not FTS syntax
        # filters: outlet (part of the name, any case) and dates compared as dates
        assert {h.outlet for h in store.search("ferry", kinds={"article"}, outlet="courier")[1]} == {"Coast Courier"}
        assert store.search("ferry", kinds={"article"}, since="2024-03-05")[0] == 1
        assert store.search("ferry", kinds={"article"}, until="2024-03-04")[0] == 1
        assert store.search("ferry", kinds={"article"}, since="2024-03-06")[0] == 0
        # a match is marked in the snippet
        _, hits = store.search("smoke")
        assert any("\ue000smoke\ue001" in h.snippet.casefold() for h in hits)


def test_sql_tables_hold_claims_conflicts_quotes_and_story_links(any_db):
    arts = seed_store(any_db)
    with Store(any_db) as store:
        store.put_dossier(_ferry_dossier(store, arts["ferry"].id, arts["ferry2"].id))
        store.put_dossier(_ferry_dossier(store, arts["ferry"].id, arts["ferry2"].id))  # rebuilt: replaced, not doubled
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT status, independent_sources FROM claims ORDER BY position")).all() == [
                ("disputed", 2), ("single-source", 1)]
            assert conn.execute(text("SELECT count(*) FROM claim_support")).scalar_one() == 2
            assert conn.execute(text("SELECT kind, subject, variants FROM conflicts")).all() == [("number", "people killed", 2)]
            assert conn.execute(text("SELECT speaker FROM quotes")).scalars().all() == ["Maria Lopez"]
            links = conn.execute(text("SELECT story_id, article_id FROM story_articles ORDER BY story_id, position")).all()
            assert links == [("s_council", arts["xss"].id), ("s_ferry", arts["ferry"].id), ("s_ferry", arts["ferry2"].id)]
        assert store.story_counts() == {"s_ferry": {"disputed": 1, "single-source": 1, "conflicts": 1}}
        claims = store.article_claims(arts["ferry2"].id)
        assert [(c["story_id"], c["sentence"]) for c in claims] == [("s_ferry", "Twelve died.")]


def test_exports_round_trip_with_the_stores_row_counts(any_db):
    pq = pytest.importorskip("pyarrow.parquet")
    arts = seed_store(any_db)
    with Store(any_db) as store:
        store.put_dossier(_ferry_dossier(store, arts["ferry"].id, arts["ferry2"].id))
        with store.engine.connect() as conn:
            expected = {"articles": store.article_count(), "stories": len(store.stories()),
                        **{k: conn.execute(text(f"SELECT count(*) FROM {k}")).scalar_one()
                           for k in ("claims", "conflicts", "quotes")}}
        assert expected == {"articles": 3, "stories": 2, "claims": 2, "conflicts": 1, "quotes": 1}
        for kind in EXPORT_KINDS:
            out = io.BytesIO()
            assert write_export(store, kind, "csv", out) == expected[kind]
            rows = list(csv.DictReader(io.StringIO(out.getvalue().decode())))
            assert len(rows) == expected[kind], kind
            out = io.BytesIO()
            write_export(store, kind, "parquet", out)
            assert pq.read_table(io.BytesIO(out.getvalue())).num_rows == expected[kind], kind
            out = io.BytesIO()
            write_export(store, kind, "jsonl", out)
            assert len([json.loads(line) for line in out.getvalue().splitlines()]) == expected[kind], kind
        out = io.BytesIO()
        write_export(store, "conflicts", "jsonl", out)
        variants = json.loads(json.loads(out.getvalue())["variants"])
        assert [v["value"] for v in variants] == ["12", "twelve"]


def test_a_store_made_before_search_is_indexed_on_first_search(tmp_path):
    db = str(tmp_path / "old.db")
    arts = seed_store(db)
    with Store(db) as store, store.engine.begin() as conn:
        conn.execute(text("DELETE FROM search_docs"))
        conn.execute(text("DELETE FROM quotes"))
    with Store(db) as store:
        assert store.search("Maria Lopez", kinds={"quote"})[1][0].article_id == arts["ferry"].id
        assert store.search("ferry", kinds={"article"})[0] == 2


@pytest.mark.slow  # each command imports the whole pipeline (torch, spaCy): seconds apiece
def test_cli_search_export_and_version(tmp_path):
    """The commands as a user runs them (a subprocess, the installed entry point's module)."""
    import subprocess
    import sys

    pq = pytest.importorskip("pyarrow.parquet")
    db = str(tmp_path / "cli.db")
    arts = seed_store(db)

    def storyweave(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "storyweave.cli", *args], capture_output=True, text=True,
                              timeout=300, check=False, cwd=tmp_path)

    found = storyweave("search", "Maria Lopez", "--db", db, "--kind", "quote", "--json")
    assert found.returncode == 0, found.stderr
    hits = json.loads(found.stdout)
    assert hits["total"] == 1 and hits["hits"][0]["article_id"] == arts["ferry"].id
    shown = storyweave("search", "Port Ellis", "--db", db)
    assert shown.returncode == 0 and "place" in shown.stdout and "[Port] [Ellis]" in shown.stdout
    out = tmp_path / "articles.parquet"
    done = storyweave("export", "articles", "--db", db, "--format", "parquet", "--out", str(out))
    assert done.returncode == 0 and "3 articles exported" in done.stderr
    assert pq.read_table(out).num_rows == 3
    as_csv = storyweave("export", "stories", "--db", db)
    assert as_csv.returncode == 0 and len(list(csv.DictReader(io.StringIO(as_csv.stdout)))) == 2
    version = storyweave("--version")
    assert version.returncode == 0 and version.stdout.startswith("storyweave ")
