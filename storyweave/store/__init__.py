"""The store: the only place that talks to a database.

SQLAlchemy Core keeps one schema for SQLite (the embedded default, a single file) and PostgreSQL
(for teams): pass a path or any SQLAlchemy URL. Models go in and come out as the shared pydantic
models; stages never see a connection.

Every write is one transaction, so a run killed midway leaves each article either fully stored
(raw input and clean article together) or absent, never half-written.
"""

from __future__ import annotations

import datetime as _dt
import fcntl
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    insert,
    select,
    delete,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from ..model import Article, ClusterEvent, Dossier, RawDocument, Reading, Story, Storyline
from . import _search, _tables
from ._search import SearchHit

metadata = MetaData()

raw_documents = Table(
    "raw_documents",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("source", Text, nullable=False),
    Column("format", String(16), nullable=False),
    Column("media_type", String(128)),
    Column("url", Text),
    Column("size", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),  # the input exactly as read
    Column("fields", JSON, nullable=False),
    Column("first_seen", String(32), nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("raw_sha256", String(64), nullable=False, index=True),
    Column("source", Text, nullable=False),
    Column("published", String(40), index=True),
    Column("outlet", Text),
    Column("seq", Integer, nullable=False, index=True),  # arrival order, for incremental stages
    Column("doc", JSON, nullable=False),
)

readings = Table(
    "readings",
    metadata,
    Column("article_id", String(64), primary_key=True),
    Column("reader_version", String(64), nullable=False),
    Column("doc", JSON, nullable=False),
)

stories = Table(
    "stories",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("doc", JSON, nullable=False),
)

storylines = Table(
    "storylines",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("doc", JSON, nullable=False),
)

cluster_events = Table(
    "cluster_events",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("doc", JSON, nullable=False),
)

# Opaque state a stage carries between runs (the clustering index, say): name -> bytes.
stage_state = Table(
    "stage_state",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("data", LargeBinary, nullable=False),
)


# Each article's sentence vectors, made once at read time and kept compactly (float16, one row
# per reading sentence, in order), so no dossier or page view embeds a sentence again. `kind`
# and `reader_version` say which model and which reading's sentences they belong to.
sentence_vectors = Table(
    "sentence_vectors",
    metadata,
    Column("article_id", String(64), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("reader_version", String(64), nullable=False),
    Column("dim", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
)


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def engine_url(db: str) -> str:
    return db if "://" in db else f"sqlite:///{db}"


class StoreError(RuntimeError):
    """The store cannot be opened (bad URL, unwritable folder, server down)."""


class Store:
    def __init__(self, db: str, create: bool = True):
        """Open the store at `db`; with create=False a missing SQLite file is an error, not a new store."""
        self.url = engine_url(db)
        if "://" not in db and db != ":memory:":
            path = Path(db).expanduser()
            if not create and not path.is_file():
                raise StoreError(f"no store at {db!r} (run `storyweave run` first, or pass --db)")
            path.parent.mkdir(parents=True, exist_ok=True)
        self._memory_lock = threading.Lock()  # the store lock of an in-memory SQLite store
        self._search_checked = False  # see _index_missing
        try:
            self.engine: Engine = create_engine(self.url)
            if self.engine.dialect.name == "sqlite":
                event.listen(self.engine, "connect", _sqlite_pragmas)
            with self.lock("schema"):  # two processes opening an empty database at once
                metadata.create_all(self.engine)
                _add_unique_seq(self.engine)
                _tables.create(self.engine)
                _search.create(self.engine)
        except (SQLAlchemyError, ImportError, OSError, ValueError) as exc:  # ValueError: a bad port
            raise StoreError(f"cannot open the store {_without_password(db)!r}: {exc}") from exc

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def lock(self, name: str) -> Iterator[None]:
        """Hold the store-wide lock `name` for the block: one holder at a time across threads,
        processes and (for PostgreSQL) machines. Used around read-modify-write sequences that
        replace a whole view (clustering) and around creating the schema.

        PostgreSQL: a session advisory lock on a connection of its own. SQLite: an exclusive
        flock on `FILE.lock` beside the database (SQLite's own write lock cannot be held by one
        connection while others write). Either is released if the holder dies."""
        key = _LOCK_KEYS[name]
        if self.engine.dialect.name == "postgresql":
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
                try:
                    yield
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            return
        database = self.engine.url.database
        if self.engine.dialect.name != "sqlite" or not database or database == ":memory:":
            with self._memory_lock:
                yield
            return
        try:
            handle = open(f"{database}.lock", "a+b")
        except OSError:
            if name != "schema":
                raise
            # A store in a folder this user cannot write to is only read (`storyweave articles`):
            # it creates no schema, so it needs no lock for that.
            with self._memory_lock:
                yield
            return
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- raw inputs and articles -------------------------------------------------------------

    def has_raw(self, sha256: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(
                select(raw_documents.c.sha256).where(raw_documents.c.sha256 == sha256)
            ).first() is not None

    def add_article(self, raw: RawDocument, article: Article) -> bool:
        """Store the raw input and its clean article in one transaction. False if already there."""
        for attempt in range(SEQ_ATTEMPTS):
            try:
                return self._add_article(raw, article)
            except IntegrityError:
                # Two writers at once: both saw no row and the other insert won (False: it is
                # there), or both took the same next `seq` (unique): try again with the next one.
                if self.article(article.id) is not None:
                    return False
                if attempt == SEQ_ATTEMPTS - 1:
                    raise
        return False  # not reached

    def _add_article(self, raw: RawDocument, article: Article) -> bool:
        with self.engine.begin() as conn:
            if conn.execute(select(articles.c.id).where(articles.c.id == article.id)).first():
                return False
            if not conn.execute(
                select(raw_documents.c.sha256).where(raw_documents.c.sha256 == raw.sha256)
            ).first():
                conn.execute(
                    insert(raw_documents).values(
                        sha256=raw.sha256, source=_column(raw.source), format=raw.format,
                        media_type=_column(raw.media_type), url=_column(raw.url), size=len(raw.data),
                        data=raw.data, fields=_jsonable(raw.fields), first_seen=_now(),
                    )
                )
            # The next arrival number, taken in the INSERT itself; a unique index refuses a
            # number another writer took meanwhile.
            next_seq = select(func.coalesce(func.max(articles.c.seq), 0) + 1).scalar_subquery()
            conn.execute(
                insert(articles).values(
                    id=article.id, raw_sha256=article.raw_sha256, source=_column(article.source),
                    published=_column(article.published), outlet=_column(article.outlet), seq=next_seq,
                    doc=article.model_dump(mode="json"),
                )
            )
            _search.index_article(conn, article)
        return True

    def raw(self, sha256: str) -> RawDocument | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(raw_documents).where(raw_documents.c.sha256 == sha256)).first()
        if row is None:
            return None
        return RawDocument(
            source=row.source, data=row.data, format=row.format, media_type=row.media_type,
            url=row.url, fields=row.fields or {},
        )

    def articles(self, ids: Sequence[str] | None = None) -> list[Article]:
        """The articles with `ids` (all without), in arrival order."""
        if ids is None:
            with self.engine.connect() as conn:
                query = select(articles.c.doc).order_by(articles.c.seq)
                return [Article.model_validate(doc) for (doc,) in conn.execute(query)]
        found: list[tuple[int, Any]] = []
        with self.engine.connect() as conn:
            for chunk in _chunks(ids):
                found += conn.execute(select(articles.c.seq, articles.c.doc).where(articles.c.id.in_(chunk))).all()
        return [Article.model_validate(doc) for _, doc in sorted(found, key=lambda row: row[0])]

    def article(self, article_id: str) -> Article | None:
        found = self.articles([article_id])
        return found[0] if found else None

    def article_count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(articles)).scalar_one()

    # -- readings ------------------------------------------------------------------------------

    def put_readings(self, items: Iterable[Reading]) -> None:
        """Store readings, replacing any earlier one of the same article (an upsert: two writers
        reading the same new article at once both succeed, the later one wins)."""
        upsert = pg_insert if self.engine.dialect.name == "postgresql" else sqlite_insert
        with self.engine.begin() as conn:
            for reading in items:
                values = {"article_id": reading.article_id, "reader_version": reading.reader_version,
                          "doc": reading.model_dump(mode="json")}
                statement = upsert(readings).values(**values)
                conn.execute(statement.on_conflict_do_update(
                    index_elements=[readings.c.article_id],
                    set_={"reader_version": statement.excluded.reader_version, "doc": statement.excluded.doc},
                ))
                _tables.put_reading(conn, reading)
                _search.index_reading(conn, reading)

    def readings(self, ids: Sequence[str] | None = None) -> dict[str, Reading]:
        with self.engine.connect() as conn:
            if ids is None:
                docs = [doc for (doc,) in conn.execute(select(readings.c.doc))]
            else:
                docs = [doc for chunk in _chunks(ids)
                        for (doc,) in conn.execute(select(readings.c.doc).where(readings.c.article_id.in_(chunk)))]
        found = [Reading.model_validate(doc) for doc in docs]
        return {r.article_id: r for r in found}

    def reading_versions(self, ids: Sequence[str] | None = None) -> dict[str, str]:
        """article id -> reader version, for `ids` (all without)."""
        query = select(readings.c.article_id, readings.c.reader_version)
        with self.engine.connect() as conn:
            if ids is None:
                return dict(conn.execute(query).all())
            return {aid: version for chunk in _chunks(ids)
                    for aid, version in conn.execute(query.where(readings.c.article_id.in_(chunk)))}

    def put_sentence_vectors(self, items: Iterable[tuple[str, str, str, bytes, int]]) -> None:
        """(article id, kind, reader version, float16 bytes, dim) each, replacing earlier ones."""
        rows: list[dict[str, Any]] = [
            {"article_id": a, "kind": k, "reader_version": v, "data": d, "dim": n} for a, k, v, d, n in items]
        if not rows:
            return
        with self.engine.begin() as conn:
            for chunk in _chunks([str(r["article_id"]) for r in rows]):
                conn.execute(delete(sentence_vectors).where(sentence_vectors.c.article_id.in_(chunk)))
            conn.execute(insert(sentence_vectors), rows)

    def sentence_vectors(self, ids: Sequence[str], kind: str) -> dict[str, tuple[str, int, bytes]]:
        """article id -> (reader version, dim, float16 bytes) for `ids` with vectors of `kind`."""
        query = select(sentence_vectors.c.article_id, sentence_vectors.c.reader_version,
                       sentence_vectors.c.dim, sentence_vectors.c.data).where(sentence_vectors.c.kind == kind)
        with self.engine.connect() as conn:
            return {aid: (version, dim, data) for chunk in _chunks(ids)
                    for aid, version, dim, data in conn.execute(query.where(sentence_vectors.c.article_id.in_(chunk)))}

    # -- stories -------------------------------------------------------------------------------

    def save_clustering(
        self,
        new_stories: Sequence[Story],
        new_storylines: Sequence[Storyline],
        events: Sequence[ClusterEvent],
        state: bytes | None,
    ) -> None:
        """Replace the story view and the clusterer's state together, atomically. Only stories
        and storylines that changed are written (a run touches few of a big store's stories)."""
        with self.engine.begin() as conn:
            _write_changed(conn, stories, {s.id: s.model_dump(mode="json") for s in new_stories})
            _write_changed(conn, storylines, {line.id: line.model_dump(mode="json") for line in new_storylines})
            for ev in events:
                conn.execute(insert(cluster_events).values(at=_now(), doc=ev.model_dump(mode="json")))
            if state is not None:
                _put_state(conn, "cluster", state)

    def stories(self) -> list[Story]:
        with self.engine.connect() as conn:
            return [Story.model_validate(doc) for (doc,) in conn.execute(select(stories.c.doc).order_by(stories.c.id))]

    def story(self, story_id: str) -> Story | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(stories.c.doc).where(stories.c.id == story_id)).first()
        return Story.model_validate(row[0]) if row else None

    def storylines(self) -> list[Storyline]:
        with self.engine.connect() as conn:
            return [Storyline.model_validate(doc) for (doc,) in conn.execute(select(storylines.c.doc).order_by(storylines.c.id))]

    def cluster_events(self) -> list[ClusterEvent]:
        with self.engine.connect() as conn:
            return [ClusterEvent.model_validate(doc) for (doc,) in conn.execute(select(cluster_events.c.doc).order_by(cluster_events.c.seq))]

    def state(self, name: str) -> bytes | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(stage_state.c.data).where(stage_state.c.name == name)).first()
        return row[0] if row else None

    # -- dossier tables and search (see _tables.py, _search.py) ------------------------------

    def put_dossier(self, dossier: Dossier) -> None:
        """Store a built dossier's claims and conflicts as rows (and in the search index)."""
        with self.engine.begin() as conn:
            _tables.put_dossier(conn, dossier)
            _search.index_dossier(conn, dossier)

    def story_counts(self) -> dict[str, dict[str, int]]:
        with self.engine.connect() as conn:
            return _tables.story_counts(conn)

    def article_claims(self, article_id: str) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return _tables.claims_of_article(conn, article_id)

    def search(self, query: str, **filters: Any) -> tuple[int, list[SearchHit]]:
        """(hits, a page of them): see `_search.search` for the filters."""
        self._index_missing()
        with self.engine.connect() as conn:
            return _search.search(conn, query, **filters)

    def _index_missing(self) -> None:
        """Index articles stored before search existed (or by an older version): checked once
        per open store, since every article added since is indexed as it is stored."""
        if self._search_checked:
            return
        self._search_checked = True
        with self.engine.connect() as conn:
            if _search.indexed_count(conn) >= self.article_count():
                return
            indexed = _search.indexed_articles(conn)
        missing = [i for i in self.iter_article_ids() if i not in indexed]
        for chunk in _chunks(missing):
            found = self.articles(chunk)
            found_readings = self.readings(chunk)
            with self.engine.begin() as conn:
                for article in found:
                    _search.index_article(conn, article)
                    if article.id in found_readings:
                        _tables.put_reading(conn, found_readings[article.id])
                        _search.index_reading(conn, found_readings[article.id])

    def iter_article_ids(self) -> Iterator[str]:
        with self.engine.connect() as conn:
            yield from (r[0] for r in conn.execute(select(articles.c.id).order_by(articles.c.seq)))


SEQ_ATTEMPTS = 20
_UNIQUE_SEQ = Index("ux_articles_seq", articles.c.seq, unique=True)


def _add_unique_seq(engine: Engine) -> None:
    """The unique index on arrival numbers, added to stores made before it existed. A store
    whose numbers already repeat (two writers at once, before it) keeps working without it."""
    try:
        _UNIQUE_SEQ.create(engine, checkfirst=True)
    except (IntegrityError, OperationalError, ProgrammingError):
        pass


# Keys of the store-wide locks (PostgreSQL advisory lock ids: any fixed 64-bit numbers).
_LOCK_KEYS = {"schema": 0x5354_5257_0001, "cluster": 0x5354_5257_0002}

# Ids per `IN (...)` list: far below SQLite's (32,766) and PostgreSQL's (65,535) limits on bound
# parameters in one statement, so a run of any size can ask for its articles.
ID_CHUNK = 5000


def _chunks(ids: Sequence[str]) -> Iterator[list[str]]:
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), ID_CHUNK):
        yield unique[start : start + ID_CHUNK]


def _write_changed(conn: Any, table: Table, docs: dict[str, Any]) -> None:
    """Make `table` (id, doc) hold exactly `docs`, deleting and inserting only the rows that differ."""
    old = dict(conn.execute(select(table.c.id, table.c.doc)).all())
    stale = [i for i, doc in old.items() if docs.get(i) != doc]
    for chunk in _chunks(stale):
        conn.execute(delete(table).where(table.c.id.in_(chunk)))
    fresh = [{"id": i, "doc": doc} for i, doc in docs.items() if old.get(i) != doc]
    if fresh:
        conn.execute(insert(table), fresh)


def _put_state(conn: Any, name: str, data: bytes) -> None:
    conn.execute(delete(stage_state).where(stage_state.c.name == name))
    conn.execute(insert(stage_state).values(name=name, data=data))


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL: readers never block the writer, and a killed writer leaves the file consistent.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def _without_password(db: str) -> str:
    """The store's name as shown in messages and logs: a URL's password masked."""
    try:
        return make_url(db).render_as_string(hide_password=True) if "://" in db else db
    except (ArgumentError, ValueError):
        return db.split("://", 1)[0] + "://..."


def _column(value: str | None) -> str | None:
    """A text column's copy of a value: PostgreSQL text refuses NUL (the JSON document keeps it)."""
    return value.replace("\x00", "") if value else value


def _jsonable(value: Any) -> Any:
    """Container fields can hold datetimes or bytes; store them as text."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)
