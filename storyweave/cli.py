"""The `storyweave` command line: one tool over one store."""

from __future__ import annotations

import contextlib
import json
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from . import cli_watch
from .config import DEFAULT_DB, MAX_INPUT_BYTES, EmbeddingKind, Settings
from .timespec import parse_since

# The stages, the store and their libraries (spaCy, torch, SQLAlchemy) are imported inside the
# commands that use them: `--help` and the listing commands start in well under a second.

app = typer.Typer(
    no_args_is_help=True,  # shell completion: `storyweave --install-completion`
    help="Turn piles of news articles into cross-checked story dossiers.",
)
err = Console(stderr=True)

# Defaults come from the settings tree (config.Settings: its defaults, then STORYWEAVE_* variables).
DbOption = Annotated[str, typer.Option(
    "--db", help="SQLite file or SQLAlchemy URL.", default_factory=lambda: Settings().db,
    show_default=f"{DEFAULT_DB}, or $STORYWEAVE_DB",
)]
SinceOption = Annotated[str | None, typer.Option(
    "--since", help="Only what arrived since: a time back from now (2h, 3d) or an ISO date/time.")]


def _dump(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


@app.command()
def run(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders (walked recursively) or URLs.")],
    db: DbOption,
    out: Annotated[str | None, typer.Option("--out", help="Folder for dossiers.", show_default=Settings.model_fields["out"].default)] = None,
    max_bytes: Annotated[int | None, typer.Option(help="Refuse inputs larger than this.", show_default=str(MAX_INPUT_BYTES))] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors: no progress bars, no summary.")] = False,
    workers: Annotated[int | None, typer.Option(help="Run cleaning and reading on a local Dask cluster of N worker processes (0: in this process).", show_default=str(Settings.model_fields["workers"].default))] = None,
    scheduler: Annotated[str | None, typer.Option(help="Address of an existing Dask scheduler (tcp://host:8786).")] = None,
    embeddings: Annotated[EmbeddingKind | None, typer.Option(
        help="Sentence models: minilm (default), static (a model2vec model distilled from MiniLM on first "
        "use, for every stage; far faster) or hybrid (static, MiniLM for the claim pairs that need it); "
        "see the README for what each costs.")] = None,
) -> None:
    """Ingest inputs, group them into stories and write a dossier per story."""
    from . import pipeline

    settings = Settings()  # the environment's settings; the options given here win
    given = {"out": out, "workers": workers, "scheduler": scheduler, "embeddings": embeddings}
    settings = settings.model_copy(update={"db": db, **{k: v for k, v in given.items() if v is not None}})
    if max_bytes is not None:
        settings.ingest = settings.ingest.model_copy(update={"max_bytes": max_bytes})
    with _progress_display(quiet) as progress:
        report = pipeline.run(inputs, settings, progress)
    for failure in report.failures:
        # One unwrapped line per failure; input names and reasons are data, not markup.
        err.print(f"[red]error[/red] {escape(failure.source)}: {escape(failure.reason)}", highlight=False, soft_wrap=True)
    if not quiet:
        _print_summary(report, settings)
    raise typer.Exit(0 if report.ok else 1)


@contextlib.contextmanager
def _progress_display(quiet: bool) -> Iterator[Callable[[str, int, int | None], None]]:
    """A progress callback for `pipeline.run`: live bars with a rate and the time left on a
    terminal; otherwise (a log, a pipe) one plain line per stage every PLAIN_EVERY_S seconds and
    at its end, so a long stage is never silent."""
    if quiet:
        yield lambda phase, done, total: None
        return
    if not err.is_terminal:
        yield _PlainProgress(err).update
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        SpinnerColumn,
        Task,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class RateColumn(ProgressColumn):
        """Items a second, from rich's own speed estimate: drawn at refresh, not per update."""

        def render(self, task: Task) -> Text:
            return Text(f"{task.speed:,.1f}/s" if task.speed else "")

    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        RateColumn(), TimeRemainingColumn(), console=err, transient=True,
    ) as bar:
        tasks: dict[str, Any] = {}

        def progress(phase: str, done: int, total: int | None) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(phase, total=total)
            bar.update(tasks[phase], completed=done, total=total)

        yield progress


class _PlainProgress:
    """Progress as plain lines: `read 120/300 (4.1/s, about 44 s left)`."""

    PLAIN_EVERY_S = 10.0

    def __init__(self, console: Console) -> None:
        self.console = console
        self.started: dict[str, float] = {}
        self.shown: dict[str, float] = {}

    def update(self, phase: str, done: int, total: int | None) -> None:
        if total == 0:
            return  # nothing to do in this stage: no line
        now = time.monotonic()
        start = self.started.setdefault(phase, now)
        finished = total is not None and done >= total
        if not finished and now - self.shown.get(phase, start) < self.PLAIN_EVERY_S:
            return
        self.shown[phase] = now
        rate = done / (now - start) if now > start else 0.0
        line = f"{phase} {done}/{total}" if total is not None else f"{phase} {done}"
        if rate:
            # No estimate before 5% is done: a stage's first items can wait on a batch step
            # (clustering embeds every headline before placing the first).
            estimate = total is not None and done * 20 >= total and not finished
            left = f", about {(total - done) / rate:,.0f} s left" if total is not None and estimate else ""
            line += f" ({rate:,.1f}/s{left})"
        self.console.print(line, highlight=False, markup=False)


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
    db: DbOption,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
    since: SinceOption = None,
) -> None:
    """List the stored articles."""
    from .store import Store
    from .store._sources import arrivals

    with Store(db, create=False) as store:
        found = store.articles()
        if since is not None:
            arrived = arrivals(store, _since(since))
            found = [a for a in found if a.id in arrived]
    if as_json:
        _dump([a.public_dict() for a in found])
        return
    for a in found:
        typer.echo(f"{a.id}  {a.published or '?':<20} {a.outlet or '?':<24} {a.title or ''}")


@app.command()
def article(
    article_id: str,
    db: DbOption,
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
    db: DbOption,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    since: SinceOption = None,
) -> None:
    """List the stories (with --since: those with an article that arrived since)."""
    from .store import Store
    from .store._sources import arrivals

    with Store(db, create=False) as store:
        found = store.stories()
        if since is not None:
            arrived = arrivals(store, _since(since))
            found = [s for s in found if arrived.keys() & set(s.article_ids)]
    if as_json:
        _dump([s.model_dump(mode="json") for s in found])
        return
    for s in found:
        typer.echo(f"{s.id}  {len(s.article_ids):>3} articles  {s.title or ''}")


@app.command()
def storylines(
    db: DbOption,
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
    db: DbOption,
    fmt: Annotated[str, typer.Option("--format", help="json, md or html")] = "json",
    llm_url: Annotated[str | None, typer.Option(
        "--llm-url", help="Optional OpenAI-compatible endpoint (http://host/v1) for a generated "
        "summary checked against the claims; key from $STORYWEAVE_LLM_API_KEY. Off by default.")] = None,
    llm_model: Annotated[str | None, typer.Option("--llm-model", help="Model name for --llm-url.", show_default="default")] = None,
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
    llm = Settings().llm
    llm = llm.model_copy(update={k: v for k, v in {"base_url": llm_url, "model": llm_model}.items() if v})
    if llm.base_url:
        from .dossier.llm import LLMError, with_generated_summary

        try:
            built = with_generated_summary(built, llm)
        except LLMError as exc:  # the dossier stands without it
            err.print(f"generated summary skipped: {exc}", highlight=False)
    sys.stdout.write(renderers[fmt](built) + "\n")


@app.command()
def serve(
    db: DbOption,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(envvar="STORYWEAVE_TOKEN", help="Bearer token for writes (or $STORYWEAVE_SERVE_TOKEN); without one, writes are refused."),
    ] = None,
    max_body_bytes: Annotated[int | None, typer.Option(help="Refuse request bodies larger than this (413).", show_default=str(MAX_INPUT_BYTES))] = None,
    watch: Annotated[list[str] | None, typer.Option(
        "--watch", help="Watch these sources (URLs or a file listing them) in the background; repeatable.")] = None,
    every: cli_watch.EveryOption = "15m",
    contact: cli_watch.ContactOption = None,
) -> None:
    """Serve the store: REST API under /api, web UI at /."""
    from sqlalchemy.engine import make_url

    from .serve import create_app, run_app

    given = {"db": db, "token": token or None, "max_body_bytes": max_body_bytes}
    serve_settings = Settings().serve.model_copy(update={k: v for k, v in given.items() if v is not None})
    token = serve_settings.token
    server = create_app(serve_settings)
    shown = make_url(db).render_as_string(hide_password=True) if "://" in db else db
    err.print(f"serving {shown} on http://{host}:{port}/ (writes {'need the bearer token' if token else 'disabled: no token'})")
    stop_watch = cli_watch.start_background_watch(db, watch, every, contact) if watch else None
    try:
        run_app(server, host=host, port=port)
    finally:
        if stop_watch is not None:
            stop_watch.set()


app.command()(cli_watch.watch)
app.command()(cli_watch.sources)


def _since(text: str) -> str:
    try:
        return parse_since(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--since") from None


from . import cli_data  # noqa: E402  (search and export, kept in their own module)

app.command()(cli_data.search)
app.command()(cli_data.export)


def _show_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"storyweave {version('storyweave')}")
        raise typer.Exit()


@app.callback()
def _options(
    _version: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True,
                                           help="Print the version and exit.")] = False,
) -> None:
    """Turn piles of news articles into cross-checked story dossiers."""


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
