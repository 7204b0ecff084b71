"""The `storyweave` command line: one tool over one store."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from .config import EmbeddingKind, IngestSettings, Settings

# The stages, the store and their libraries (spaCy, torch, SQLAlchemy) are imported inside the
# commands that use them: `--help` and the listing commands start in well under a second.

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Turn piles of news articles into cross-checked story dossiers.",
)
err = Console(stderr=True)

DbOption = Annotated[str, typer.Option("--db", help="SQLite file or SQLAlchemy URL.")]


def _dump(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


@app.command()
def run(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders (walked recursively) or URLs.")],
    db: DbOption = "storyweave.db",
    out: Annotated[str, typer.Option("--out", help="Folder for dossiers.")] = "storyweave-out",
    max_bytes: Annotated[int, typer.Option(help="Refuse inputs larger than this.")] = IngestSettings().max_bytes,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
    workers: Annotated[int, typer.Option(help="Run cleaning and reading on a local Dask cluster of N worker processes (0: in this process).")] = 0,
    scheduler: Annotated[str | None, typer.Option(help="Address of an existing Dask scheduler (tcp://host:8786).")] = None,
    embeddings: Annotated[EmbeddingKind | None, typer.Option(
        help="Sentence model for the dossiers' claim alignment: minilm (default) or static (a model2vec "
        "model distilled from MiniLM on first use; far faster, see the README for what it costs).")] = None,
) -> None:
    """Ingest inputs, group them into stories and write a dossier per story."""
    # Loopback is fetched from only in tests (a page server on 127.0.0.1), never by default.
    for_tests = os.environ.get("STORYWEAVE_ALLOW_LOOPBACK_FOR_TESTS") == "1"
    settings = Settings(
        db=db, out=out, ingest=IngestSettings(max_bytes=max_bytes, allow_loopback_for_tests=for_tests),
        workers=workers, scheduler=scheduler, embeddings=embeddings,
    )
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

    from . import pipeline

    show = not quiet and err.is_terminal
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        console=err, disable=not show, transient=True,
    ) as bar:
        tasks: dict[str, Any] = {}

        def progress(phase: str, done: int, total: int | None) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(phase, total=total)
            bar.update(tasks[phase], completed=done, total=total)

        report = pipeline.run(inputs, settings, progress)
    for failure in report.failures:
        # One unwrapped line per failure; input names and reasons are data, not markup.
        err.print(f"[red]error[/red] {escape(failure.source)}: {escape(failure.reason)}", highlight=False, soft_wrap=True)
    if not quiet:
        _print_summary(report, settings)
    raise typer.Exit(0 if report.ok else 1)


def _print_summary(report: Any, settings: Settings) -> None:  # report: pipeline.RunReport
    from rich.table import Table

    console = Console()
    console.print(
        f"{report.records} records read, {len(report.added)} new articles, "
        f"{report.duplicates} already stored, {len(report.failures)} failed; "
        f"{report.read} read by NLP; store: {settings.db}"
    )
    table = Table(title=f"{len(report.stories)} stories", show_lines=False)
    table.add_column("story")
    table.add_column("articles", justify="right")
    table.add_column("outlets")
    table.add_column("title")
    for story in report.stories[:40]:
        table.add_row(story.id, str(len(story.article_ids)), ", ".join(story.outlets), story.title or "")
    console.print(table)
    if len(report.stories) > 40:
        console.print(f"... and {len(report.stories) - 40} more")
    console.print(f"{report.dossiers_written} dossiers (re)built; index: {Path(settings.out).resolve()}/index.html")


@app.command()
def articles(
    db: DbOption = "storyweave.db",
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
) -> None:
    """List the stored articles."""
    from .store import Store

    with Store(db, create=False) as store:
        found = store.articles()
    if as_json:
        _dump([a.public_dict() for a in found])
        return
    for a in found:
        typer.echo(f"{a.id}  {a.published or '?':<20} {a.outlet or '?':<24} {a.title or ''}")


@app.command()
def article(
    article_id: str,
    db: DbOption = "storyweave.db",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show one article with everything read from it."""
    from .store import Store

    with Store(db, create=False) as store:
        found = store.article(article_id)
        reading = store.readings([article_id]).get(article_id)
    if found is None:
        err.print(f"no article {article_id!r} in {db}")
        raise typer.Exit(2)
    data = found.public_dict()
    if reading is not None:
        data.update(reading.model_dump(mode="json", exclude={"article_id"}))
    if as_json:
        _dump(data)
    else:
        typer.echo(f"{found.title or '(untitled)'}\n{found.outlet or '?'} {found.published or '?'}\n\n{found.body}")


@app.command()
def stories(
    db: DbOption = "storyweave.db",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List the stories."""
    from .store import Store

    with Store(db, create=False) as store:
        found = store.stories()
    if as_json:
        _dump([s.model_dump(mode="json") for s in found])
        return
    for s in found:
        typer.echo(f"{s.id}  {len(s.article_ids):>3} articles  {s.title or ''}")


@app.command()
def storylines(
    db: DbOption = "storyweave.db",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List the storylines and why their stories are linked."""
    from .store import Store

    with Store(db, create=False) as store:
        found = store.storylines()
    if as_json:
        _dump([s.model_dump(mode="json") for s in found])
        return
    for line in found:
        typer.echo(f"{line.id}: {', '.join(line.story_ids)}")
        for link in line.links:
            typer.echo(f"  {link.earlier} -> {link.later}: {link.reason}")


@app.command()
def dossier(
    story_id: str,
    db: DbOption = "storyweave.db",
    fmt: Annotated[str, typer.Option("--format", help="json, md or html")] = "json",
    llm_url: Annotated[str | None, typer.Option(
        "--llm-url", help="Optional OpenAI-compatible endpoint (http://host/v1) for a generated "
        "summary checked against the claims; key from $STORYWEAVE_LLM_API_KEY. Off by default.")] = None,
    llm_model: Annotated[str, typer.Option("--llm-model", help="Model name for --llm-url.")] = "default",
) -> None:
    """Print one story's dossier."""
    from . import dossier as dossier_stage
    from . import pipeline
    from .store import Store

    renderers = {"json": dossier_stage.render_json, "md": dossier_stage.render_markdown, "html": dossier_stage.render_html}
    if fmt not in renderers:
        err.print(f"unknown format {fmt!r}: use json, md or html")
        raise typer.Exit(2)
    with Store(db, create=False) as store:
        story = store.story(story_id)
        if story is None:
            err.print(f"no story {story_id!r} in {db}")
            raise typer.Exit(2)
        built = pipeline.story_dossier(store, story)
    if llm_url:
        import os

        from .dossier.llm import LLMError, LLMSettings, with_generated_summary

        try:
            built = with_generated_summary(built, LLMSettings(
                base_url=llm_url, model=llm_model, api_key=os.environ.get("STORYWEAVE_LLM_API_KEY")))
        except LLMError as exc:  # the dossier stands without it
            err.print(f"generated summary skipped: {exc}", highlight=False)
    sys.stdout.write(renderers[fmt](built) + "\n")


@app.command()
def serve(
    db: DbOption = "storyweave.db",
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(envvar="STORYWEAVE_TOKEN", help="Bearer token for writes; without one, writes are refused."),
    ] = None,
    max_body_bytes: Annotated[int, typer.Option(help="Refuse request bodies larger than this (413).")] = IngestSettings().max_bytes,
) -> None:
    """Serve the store: REST API under /api, web UI at /."""
    from sqlalchemy.engine import make_url

    from .serve import ServeSettings, create_app, run_app

    server = create_app(ServeSettings(db=db, token=token or None, max_body_bytes=max_body_bytes))
    shown = make_url(db).render_as_string(hide_password=True) if "://" in db else db
    err.print(f"serving {shown} on http://{host}:{port}/ (writes {'need the bearer token' if token else 'disabled: no token'})")
    run_app(server, host=host, port=port)


def main() -> None:
    try:
        app()
    except Exception as exc:
        from .store import StoreError  # imported only once a command has failed

        if not isinstance(exc, StoreError):
            raise
        err.print(f"error: {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
