"""Plain tables of what the pipeline found, for anyone with an SQL tool (datasette, psql, DuckDB):
claims and conflicts of each story's dossier, every quote read from an article, and a
story -> article link view. The JSON documents stay the source of truth; these rows are
rewritten from them (a story's rows when its dossier is built, an article's quotes when it is
read), so they never disagree with what the pipeline saw last.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.engine import Connection, Engine

from ..model import Dossier, Reading

metadata = MetaData()

claims = Table(
    "claims", metadata,
    Column("story_id", String(64), primary_key=True),
    Column("position", Integer, primary_key=True),  # rank in the dossier: 0 is the key fact
    Column("text", Text, nullable=False),
    Column("status", String(32), nullable=False),  # corroborated | single-source | disputed
    Column("independent_sources", Integer, nullable=False),
    Column("outlets", Text, nullable=False),  # "; "-joined
    Column("article_ids", Text, nullable=False),  # " "-joined
    Column("note", Text),
)

claim_support = Table(
    "claim_support", metadata,
    Column("story_id", String(64), primary_key=True),
    Column("claim_position", Integer, primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("article_id", String(64), nullable=False, index=True),
    Column("sentence", Text, nullable=False),
    Column("start_char", Integer, nullable=False),
    Column("end_char", Integer, nullable=False),
)

conflicts = Table(
    "conflicts", metadata,
    Column("story_id", String(64), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("kind", String(32), nullable=False),  # number | title | quote | name | date | place
    Column("subject", Text, nullable=False),
    Column("note", Text),
    Column("variants", Integer, nullable=False),
)

conflict_variants = Table(
    "conflict_variants", metadata,
    Column("story_id", String(64), primary_key=True),
    Column("conflict_position", Integer, primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("value", Text, nullable=False),
    Column("article_ids", Text, nullable=False),
    Column("sentence", Text, nullable=False),
)

quotes = Table(
    "quotes", metadata,
    Column("article_id", String(64), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("speaker", Text),
    Column("speaker_key", Text),
    Column("text", Text, nullable=False),
    Column("kind", String(16), nullable=False),  # direct | indirect
    Column("cue", Text),
    Column("start_char", Integer, nullable=False),
    Column("end_char", Integer, nullable=False),
)

# story -> article links, read straight from the stories' documents (never out of date).
_STORY_ARTICLES_VIEW = {
    "sqlite": "CREATE VIEW IF NOT EXISTS story_articles AS "
              "SELECT stories.id AS story_id, j.key AS position, j.value AS article_id "
              "FROM stories, json_each(stories.doc, '$.article_ids') AS j",
    "postgresql": "CREATE OR REPLACE VIEW story_articles AS "
                  "SELECT s.id AS story_id, j.ordinality - 1 AS position, j.value AS article_id "
                  "FROM stories s, json_array_elements_text(s.doc::json -> 'article_ids') WITH ORDINALITY AS j(value, ordinality)",
}


def create(engine: Engine) -> None:
    metadata.create_all(engine)
    view = _STORY_ARTICLES_VIEW.get(engine.dialect.name)
    if view:
        with engine.begin() as conn:
            conn.execute(text(view))


def _clean(value: str | None) -> str | None:
    return value.replace("\x00", "") if value else value  # PostgreSQL text refuses NUL


def put_reading(conn: Connection, reading: Reading) -> None:
    conn.execute(delete(quotes).where(quotes.c.article_id == reading.article_id))
    rows = [{
        "article_id": reading.article_id, "position": i, "speaker": _clean(q.speaker),
        "speaker_key": _clean(q.speaker_key), "text": _clean(q.text) or "", "kind": q.kind, "cue": _clean(q.cue),
        "start_char": q.start, "end_char": q.end,
    } for i, q in enumerate(reading.quotes)]
    if rows:
        conn.execute(insert(quotes), rows)


def put_dossier(conn: Connection, dossier: Dossier) -> None:
    """Replace the story's claim and conflict rows with the dossier's."""
    sid = dossier.story.id
    for table in (claims, claim_support, conflicts, conflict_variants):
        conn.execute(delete(table).where(table.c.story_id == sid))
    claim_rows: list[dict[str, Any]] = []
    support_rows: list[dict[str, Any]] = []
    for ci, claim in enumerate(dossier.claims):
        claim_rows.append({
            "story_id": sid, "position": ci, "text": _clean(claim.text) or "", "status": claim.status,
            "independent_sources": claim.independent_sources, "outlets": _clean("; ".join(claim.outlets)) or "",
            "article_ids": " ".join(dict.fromkeys(s.article_id for s in claim.support)), "note": _clean(claim.note),
        })
        support_rows += [{
            "story_id": sid, "claim_position": ci, "position": si, "article_id": s.article_id,
            "sentence": _clean(s.sentence) or "", "start_char": s.start, "end_char": s.end,
        } for si, s in enumerate(claim.support)]
    conflict_rows: list[dict[str, Any]] = []
    variant_rows: list[dict[str, Any]] = []
    for ki, conflict in enumerate(dossier.conflicts):
        conflict_rows.append({
            "story_id": sid, "position": ki, "kind": conflict.kind, "subject": _clean(conflict.subject) or "",
            "note": _clean(conflict.note), "variants": len(conflict.variants),
        })
        variant_rows += [{
            "story_id": sid, "conflict_position": ki, "position": vi, "value": _clean(v.value) or "",
            "article_ids": " ".join(v.article_ids), "sentence": _clean(v.sentence) or "",
        } for vi, v in enumerate(conflict.variants)]
    for table, rows in ((claims, claim_rows), (claim_support, support_rows),
                        (conflicts, conflict_rows), (conflict_variants, variant_rows)):
        if rows:
            conn.execute(insert(table), rows)


def story_counts(conn: Connection) -> dict[str, dict[str, int]]:
    """story id -> claims by status and conflicts, for stories whose dossier has been built."""
    counts: dict[str, dict[str, int]] = {}
    for sid, status, n in conn.execute(
        select(claims.c.story_id, claims.c.status, func.count()).group_by(claims.c.story_id, claims.c.status)
    ):
        counts.setdefault(sid, {})[status] = n
    for sid, n in conn.execute(select(conflicts.c.story_id, func.count()).group_by(conflicts.c.story_id)):
        counts.setdefault(sid, {})["conflicts"] = n
    return counts



def claims_of_article(conn: Connection, article_id: str) -> list[dict[str, Any]]:
    """Every claim (of the dossiers built) an article's sentences support, with the sentence."""
    query = (
        select(claims.c.story_id, claims.c.position, claims.c.text, claims.c.status, claims.c.independent_sources,
               claim_support.c.sentence, claim_support.c.start_char, claim_support.c.end_char)
        .join(claim_support, (claim_support.c.story_id == claims.c.story_id)
              & (claim_support.c.claim_position == claims.c.position))
        .where(claim_support.c.article_id == article_id)
        .order_by(claims.c.story_id, claims.c.position, claim_support.c.position)
    )
    return [dict(row) for row in conn.execute(query).mappings()]
