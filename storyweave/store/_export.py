"""Exports of the store as flat tables: articles, stories, claims, conflicts and quotes, each as
CSV, JSON Lines or Parquet (pyarrow). Every kind has a fixed column list, so an empty export
still says what its columns are, and a Parquet file always has the same schema."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

from sqlalchemy import select

from . import _tables

if TYPE_CHECKING:
    from . import Store

from ..model.tables import EXPORT_FORMATS, EXPORT_KINDS, ExportFormat, ExportKind  # noqa: F401 (re-exported)

MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson", "parquet": "application/vnd.apache.parquet"}

# column -> "str" | "int" (every column may be empty)
COLUMNS: dict[str, dict[str, str]] = {
    "articles": {"id": "str", "title": "str", "outlet": "str", "published": "str", "author": "str", "url": "str",
                 "language": "str", "source": "str", "cites": "str", "syndicated_from": "str", "body": "str"},
    "stories": {"id": "str", "title": "str", "articles": "int", "outlets": "str", "first_published": "str",
                "last_published": "str", "article_ids": "str", "storyline_id": "str"},
    "claims": {"story_id": "str", "position": "int", "text": "str", "status": "str", "independent_sources": "int",
               "outlets": "str", "article_ids": "str", "note": "str"},
    "conflicts": {"story_id": "str", "position": "int", "kind": "str", "subject": "str", "note": "str",
                  "variants": "str"},
    "quotes": {"article_id": "str", "position": "int", "speaker": "str", "speaker_key": "str", "text": "str",
               "kind": "str", "cue": "str", "start_char": "int", "end_char": "int"},
}


def export_rows(store: Store, kind: str) -> Iterator[dict[str, Any]]:
    """The rows of one export kind, in a stable order."""
    if kind == "articles":
        for a in store.articles():
            yield {"id": a.id, "title": a.title, "outlet": a.outlet, "published": a.published, "author": a.author,
                   "url": a.url, "language": a.language, "source": a.source, "cites": "; ".join(a.cites),
                   "syndicated_from": a.syndicated_from, "body": a.body}
    elif kind == "stories":
        for s in store.stories():
            yield {"id": s.id, "title": s.title, "articles": len(s.article_ids), "outlets": "; ".join(s.outlets),
                   "first_published": s.first_published, "last_published": s.last_published,
                   "article_ids": " ".join(s.article_ids), "storyline_id": s.storyline_id}
    elif kind == "conflicts":
        with store.engine.connect() as conn:
            variants: dict[tuple[str, int], list[dict[str, Any]]] = {}
            for v in conn.execute(select(_tables.conflict_variants).order_by(*_tables.conflict_variants.primary_key)).mappings():
                variants.setdefault((v["story_id"], v["conflict_position"]), []).append(
                    {"value": v["value"], "article_ids": v["article_ids"].split(), "sentence": v["sentence"]})
            for row in conn.execute(select(_tables.conflicts).order_by(*_tables.conflicts.primary_key)).mappings():
                yield {**dict(row), "variants": json.dumps(variants.get((row["story_id"], row["position"]), []),
                                                           ensure_ascii=False)}
    elif kind in ("claims", "quotes"):
        table = _tables.claims if kind == "claims" else _tables.quotes
        with store.engine.connect() as conn:
            for row in conn.execute(select(table).order_by(*table.primary_key)).mappings():
                yield {name: row[name] for name in COLUMNS[kind]}
    else:
        raise ValueError(f"unknown export {kind!r}: use one of {', '.join(EXPORT_KINDS)}")


def write_export(store: Store, kind: str, fmt: str, out: IO[bytes]) -> int:
    """Write one export to the binary stream `out`; returns the number of rows."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")
    columns = COLUMNS.get(kind)
    if columns is None:
        raise ValueError(f"unknown export {kind!r}: use one of {', '.join(EXPORT_KINDS)}")
    rows = export_rows(store, kind)
    count = 0
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        types = {"str": pa.string(), "int": pa.int64()}
        schema = pa.schema([(name, types[t]) for name, t in columns.items()])
        table = pa.Table.from_pylist(list(rows), schema=schema)
        pq.write_table(table, out)
        return table.num_rows
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        if fmt == "csv":
            writer = csv.DictWriter(text, fieldnames=list(columns))
            writer.writeheader()
            for row in rows:
                writer.writerow(row)
                count += 1
        else:
            for row in rows:
                text.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
        text.flush()
    finally:
        text.detach()  # the caller owns `out`
    return count
