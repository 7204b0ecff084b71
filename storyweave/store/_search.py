"""Full-text search over articles, quotes, people, places and claims.

SQLite: a `search_docs` table indexed by an FTS5 table over it (unicode61 tokenizer, accents
folded). PostgreSQL: the same table with a stored `tsvector` column and a GIN index, queried with
`plainto_tsquery`. Both are filled as the
store is written (an article when added, its quotes/people/places when read, a story's claims
when its dossier is built); a store made before search existed is indexed on its first search.

A query's words are all required; a user's query is never passed to FTS5 as syntax (each word
is quoted), so punctuation in it cannot break or widen a search.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from ..model import Article, Dossier, Reading

from ..model.tables import HIT_CLOSE, HIT_OPEN, SEARCH_KINDS, SearchKind  # noqa: F401 (re-exported)

PLACE_LABELS = {"GPE", "LOC", "FAC"}
MAX_INDEXED_CHARS = 200_000  # of one article body: bounded, like everything from article text


class SearchHit(BaseModel):
    kind: SearchKind
    title: str  # the article's title, the speaker, the person, the place or the claim
    snippet: str  # text around the matched words, each wrapped in HIT_OPEN ... HIT_CLOSE
    article_id: str | None = None
    story_id: str | None = None
    outlet: str | None = None
    published: str | None = None
    start: int | None = None  # body offsets of a quote, for a link to it
    end: int | None = None


# SQLite: the rows in a plain table (indexed by article and story, so replacing an article's
# rows is a lookup, not a scan) and an FTS5 index over it as external content, kept in step by
# triggers.
_SQLITE = [
    ("CREATE TABLE IF NOT EXISTS search_docs ("
     "id INTEGER PRIMARY KEY, kind TEXT NOT NULL, article_id TEXT, story_id TEXT, outlet TEXT, published TEXT, "
     "start_char INTEGER, end_char INTEGER, title TEXT NOT NULL, body TEXT NOT NULL)"),
    "CREATE INDEX IF NOT EXISTS ix_search_docs_article ON search_docs (article_id)",
    "CREATE INDEX IF NOT EXISTS ix_search_docs_story ON search_docs (story_id)",
    ("CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(title, body, content = 'search_docs', "
     "content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2')"),
    ("CREATE TRIGGER IF NOT EXISTS search_docs_added AFTER INSERT ON search_docs BEGIN "
     "INSERT INTO search_fts (rowid, title, body) VALUES (new.id, new.title, new.body); END"),
    ("CREATE TRIGGER IF NOT EXISTS search_docs_removed AFTER DELETE ON search_docs BEGIN "
     "INSERT INTO search_fts (search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END"),
]
# PostgreSQL: the same table with a stored tsvector and a GIN index on it.
_POSTGRES = [
    ("CREATE TABLE IF NOT EXISTS search_docs ("
     "id BIGSERIAL PRIMARY KEY, kind TEXT NOT NULL, article_id TEXT, story_id TEXT, outlet TEXT, published TEXT, "
     "start_char INTEGER, end_char INTEGER, title TEXT NOT NULL, body TEXT NOT NULL, "
     "tsv tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', title), 'A') || "
     "to_tsvector('english', body)) STORED)"),
    "CREATE INDEX IF NOT EXISTS ix_search_docs_tsv ON search_docs USING GIN (tsv)",
    "CREATE INDEX IF NOT EXISTS ix_search_docs_article ON search_docs (article_id)",
    "CREATE INDEX IF NOT EXISTS ix_search_docs_story ON search_docs (story_id)",
]


def _table(conn: Connection) -> str:
    return "search_docs"


def create(engine: Engine) -> None:
    statements = {"sqlite": _SQLITE, "postgresql": _POSTGRES}.get(engine.dialect.name, [])
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def _clean(value: str | None, limit: int = 5000) -> str:
    return re.sub(f"[\x00{HIT_OPEN}{HIT_CLOSE}]", "", value or "")[:limit]


def _insert(conn: Connection, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    conn.execute(text(
        f"INSERT INTO {_table(conn)} (kind, article_id, story_id, outlet, published, start_char, end_char, title, body) "
        "VALUES (:kind, :article_id, :story_id, :outlet, :published, :start_char, :end_char, :title, :body)"
    ), [{"story_id": None, "start_char": None, "end_char": None, **row} for row in rows])


def index_article(conn: Connection, article: Article) -> None:
    _insert(conn, [{
        "kind": "article", "article_id": article.id, "outlet": _clean(article.outlet, 300) or None,
        "published": _clean(article.published, 40) or None, "title": _clean(article.title, 1000),
        "body": _clean(article.body, MAX_INDEXED_CHARS),
    }])


def index_reading(conn: Connection, reading: Reading) -> None:
    """The quotes, people and places read from an article (replacing any earlier reading's)."""
    table = _table(conn)
    conn.execute(text(f"DELETE FROM {table} WHERE article_id = :aid AND kind IN ('quote', 'person', 'place')"),
                 {"aid": reading.article_id})
    found = conn.execute(text("SELECT outlet, published FROM articles WHERE id = :aid"),
                         {"aid": reading.article_id}).first()
    common = {"article_id": reading.article_id, "outlet": _clean(found[0], 300) or None if found else None,
              "published": found[1] if found else None}
    rows = [{**common, "kind": "quote", "title": _clean(q.speaker or "unattributed", 300), "body": _clean(q.text),
             "start_char": q.start, "end_char": q.end} for q in reading.quotes]
    rows += [{**common, "kind": "person", "title": _clean(p.name, 300),
              "body": _clean("; ".join(dict.fromkeys(r.text for r in p.roles)))} for p in reading.people]
    places = dict.fromkeys(e.text for e in reading.entities if e.label in PLACE_LABELS)
    rows += [{**common, "kind": "place", "title": _clean(place, 300), "body": ""} for place in places]
    _insert(conn, rows)


def index_dossier(conn: Connection, dossier: Dossier) -> None:
    table = _table(conn)
    conn.execute(text(f"DELETE FROM {table} WHERE story_id = :sid AND kind = 'claim'"), {"sid": dossier.story.id})
    _insert(conn, [{
        "kind": "claim", "story_id": dossier.story.id, "outlet": _clean("; ".join(c.outlets), 300) or None,
        "published": _clean(dossier.story.first_published, 40) or None, "title": _clean(c.status),
        "body": _clean(c.text), "article_id": c.support[0].article_id if c.support else None,
    } for c in dossier.claims])


def indexed_count(conn: Connection) -> int:
    return conn.execute(text(f"SELECT count(*) FROM {_table(conn)} WHERE kind = 'article'")).scalar_one()


def indexed_articles(conn: Connection) -> set[str]:
    return {aid for (aid,) in conn.execute(text(f"SELECT article_id FROM {_table(conn)} WHERE kind = 'article'"))}


def _words(query: str) -> list[str]:
    return re.findall(r"\w+", query.casefold())[:20]


def search(
    conn: Connection, query: str, kinds: set[str] | None = None, outlet: str | None = None,
    since: str | None = None, until: str | None = None, limit: int = 50, offset: int = 0,
) -> tuple[int, list[SearchHit]]:
    """(number of hits, the page of them from `offset`), best first. `since`/`until` are ISO
    dates compared on the date part of `published` (inclusive)."""
    words = _words(query)
    if not words:
        return 0, []
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    where: list[str] = []
    if kinds:
        names = sorted(set(kinds) & set(SEARCH_KINDS))
        where.append("d.kind IN (" + ", ".join(f"'{k}'" for k in names) + ")")  # from a fixed list
    if outlet:
        where.append("lower(d.outlet) LIKE :outlet")
        params["outlet"] = "%" + outlet.casefold().replace("%", "").replace("_", "") + "%"
    if since:
        where.append("substr(d.published, 1, 10) >= :since")
        params["since"] = since[:10]
    if until:
        where.append("substr(d.published, 1, 10) <= :until")
        params["until"] = until[:10]
    extra = "".join(f" AND {w}" for w in where)
    if conn.dialect.name == "sqlite":
        params["match"] = " ".join('"' + w.replace('"', '""') + '"' for w in words)
        base = f"FROM search_fts JOIN search_docs AS d ON d.id = search_fts.rowid WHERE search_fts MATCH :match{extra}"
        columns = (f"d.kind, d.title, snippet(search_fts, 1, '{HIT_OPEN}', '{HIT_CLOSE}', '…', 16), "
                   "d.article_id, d.story_id, d.outlet, d.published, d.start_char, d.end_char")
        order = "ORDER BY bm25(search_fts, 4.0, 1.0)"
    else:
        params["match"] = " ".join(words)
        base = f"FROM search_docs AS d WHERE d.tsv @@ plainto_tsquery('english', :match){extra}"
        columns = (f"d.kind, d.title, ts_headline('english', left(d.body, 20000), plainto_tsquery('english', :match), "
                   f"'StartSel={HIT_OPEN}, StopSel={HIT_CLOSE}, MaxWords=30, MinWords=8'), "
                   "d.article_id, d.story_id, d.outlet, d.published, d.start_char, d.end_char")
        order = "ORDER BY ts_rank(d.tsv, plainto_tsquery('english', :match)) DESC, d.id"
    total = conn.execute(text(f"SELECT count(*) {base}"), params).scalar_one()
    rows = conn.execute(text(f"SELECT {columns} {base} {order} LIMIT :limit OFFSET :offset"), params).all()
    hits = [SearchHit(kind=r[0], title=r[1] or "", snippet=r[2] or "", article_id=r[3], story_id=r[4],
                      outlet=r[5], published=r[6], start=r[7], end=r[8]) for r in rows]
    return total, hits
