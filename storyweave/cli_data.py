"""`storyweave search` and `storyweave export`: the store's search index and flat exports on the
command line (registered on the main app by cli.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from .config import DEFAULT_DB
from .model.tables import EXPORT_FORMATS, EXPORT_KINDS, HIT_CLOSE, HIT_OPEN, SEARCH_KINDS

# The store and its libraries are imported inside the commands (see cli.py).

DbOption = Annotated[str, typer.Option("--db", help="SQLite file or SQLAlchemy URL.")]


def search(
    query: Annotated[str, typer.Argument(help="Words to find (all of them), in articles, quotes, people, places and claims.")],
    db: DbOption = DEFAULT_DB,
    kind: Annotated[list[str] | None, typer.Option("--kind", help=f"Only these kinds: {', '.join(SEARCH_KINDS)} (repeatable).")] = None,
    outlet: Annotated[str | None, typer.Option(help="Only this outlet (part of its name).")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before this date (YYYY-MM-DD).")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON object.")] = False,
) -> None:
    """Full-text search over the store."""
    bad = set(kind or ()) - set(SEARCH_KINDS)
    if bad:
        raise typer.BadParameter(f"unknown kind {sorted(bad)}: use {', '.join(SEARCH_KINDS)}", param_hint="--kind")
    from .store import Store

    with Store(db, create=False) as store:
        total, hits = store.search(query, kinds=set(kind) if kind else None, outlet=outlet, since=since,
                                   until=until, limit=limit)
    if as_json:
        sys.stdout.write(json.dumps({"total": total, "hits": [h.model_dump(mode="json") for h in hits]},
                                    ensure_ascii=False, indent=2) + "\n")
        return
    typer.echo(f"{total} hit{'' if total == 1 else 's'}" + (f" (first {len(hits)})" if total > len(hits) else ""))
    for h in hits:
        where = h.article_id or h.story_id or ""
        snippet = " ".join(h.snippet.split()).replace(HIT_OPEN, "[").replace(HIT_CLOSE, "]")
        typer.echo(f"{h.kind:<7} {where:<18} {h.outlet or '':<20.20} {(h.published or '')[:10]:<10}  {h.title[:60]}")
        if snippet:
            typer.echo(f"        {snippet[:200]}")


def export(
    kind: Annotated[str, typer.Argument(help=f"What to export: {', '.join(EXPORT_KINDS)}.")],
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", help=f"{', '.join(EXPORT_FORMATS)}.")] = "csv",
    out: Annotated[Path | None, typer.Option("--out", help="File to write (default: standard output; Parquet needs a file).")] = None,
) -> None:
    """Export articles, stories, claims, conflicts or quotes as CSV, JSON Lines or Parquet.

    Claims and conflicts are those of the dossiers built so far (`storyweave run` builds them)."""
    if kind not in EXPORT_KINDS:
        raise typer.BadParameter(f"use one of {', '.join(EXPORT_KINDS)}", param_hint="KIND")
    if fmt not in EXPORT_FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(EXPORT_FORMATS)}", param_hint="--format")
    if fmt == "parquet" and out is None:
        raise typer.BadParameter("Parquet is binary: give a file with --out", param_hint="--out")
    from .store import Store
    from .store._export import write_export

    with Store(db, create=False) as store:
        if out is None:
            count = write_export(store, kind, fmt, sys.stdout.buffer)
            sys.stdout.flush()
        else:
            partial = out.with_name(out.name + ".part")
            with open(partial, "wb") as handle:
                count = write_export(store, kind, fmt, handle)
            partial.replace(out)  # never a half-written export under the asked name
    typer.echo(f"{count} {kind} exported" + (f" to {out}" if out else ""), err=True)
