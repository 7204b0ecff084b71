"""The watching commands of the CLI: `storyweave watch`, `storyweave sources`, and the background
watch of `storyweave serve --watch`. Registered on the app by cli.py."""

from __future__ import annotations

import json
import shlex
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from .config import DEFAULT_DB, IngestSettings, Settings, WatchSettings
from .timespec import parse_duration

if TYPE_CHECKING:
    from . import pipeline

# The pipeline, the store and the fetcher are imported inside the commands (see cli.py).

err = Console(stderr=True)

EveryOption = Annotated[str, typer.Option("--every", help="Poll each source this often (30s, 15m, 2h, 1d).")]
ContactOption = Annotated[str | None, typer.Option(
    "--contact", envvar="STORYWEAVE_CONTACT", help="A URL or e-mail address for site owners, sent in the User-Agent.")]


def expand_sources(items: list[str]) -> list[str]:
    """Source URLs from arguments: a URL, or a file listing one per line (# starts a comment)."""
    from .ingest.netpolicy import is_url

    out: list[str] = []
    for item in items:
        if is_url(item):
            out.append(item.strip())
            continue
        try:
            text = Path(item).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise typer.BadParameter(f"{item!r} is neither a URL nor a readable list of URLs: {exc}") from None
        out += [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return list(dict.fromkeys(out))


def _every(text: str) -> float:
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def _ingest_settings() -> IngestSettings:
    # The settings tree's ingest section: loopback is fetched from only in tests
    # (STORYWEAVE_INGEST_ALLOW_LOOPBACK_FOR_TESTS=1, a page server on 127.0.0.1), never by default.
    return Settings().ingest


def round_line(report: pipeline.WatchRoundReport) -> str:
    """One line per round: what changed, then what it cost."""
    conflicts = ", ".join(f"{sid} (+{n})" for sid, n in report.conflict_stories.items()) or "none"
    return (
        f"round {report.round} at {report.started}: {len(report.new_articles)} new articles, "
        f"{len(report.new_versions)} new versions, {len(report.new_stories)} new stories, "
        f"stories with new conflicts: {conflicts}; {report.sources_due} sources due, {report.requests} requests, "
        f"{report.not_modified} not modified, {report.robots_refused} refused by robots.txt, "
        f"{report.deferred} put off, {len(report.failures)} failed"
    )


def watch(
    sources: Annotated[list[str], typer.Argument(help="Feed URLs, front pages that link a feed, sitemaps, or files listing them.")],
    db: Annotated[str, typer.Option("--db", help="SQLite file or SQLAlchemy URL.")] = DEFAULT_DB,
    every: EveryOption = "15m",
    rounds: Annotated[int | None, typer.Option("--rounds", help="Stop after N rounds (default: run until stopped).")] = None,
    out: Annotated[str | None, typer.Option("--out", help="Also rewrite the dossiers of changed stories here.")] = None,
    host_delay: Annotated[float, typer.Option("--host-delay", help="Seconds between two requests to one host.")] = WatchSettings().host_delay_s,
    max_requests: Annotated[int, typer.Option("--max-requests", help="Requests per round at most; the rest wait.")] = WatchSettings().max_requests_per_round,
    contact: ContactOption = None,
    hook: Annotated[str | None, typer.Option(
        "--hook", help="A program run on a new conflict in a story, e.g. 'notify-send storyweave'; split like a "
        "command line but never run through a shell. Story id in $STORYWEAVE_STORY_ID, details as JSON on stdin.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print each round's report as one JSON line.")] = False,
) -> None:
    """Follow sources over time: fetch only what is new or changed, and say what changed.

    Each round places new articles and versions into stories and prints one line: new articles,
    new versions, new stories, stories with new conflicts. Polite by default: robots.txt, one
    request at a time per host with a delay, Retry-After, a cap per round, backoff on failures."""
    from . import pipeline

    watch_settings = WatchSettings(
        every_s=_every(every), host_delay_s=host_delay, max_requests_per_round=max_requests,
        contact=contact, hook=shlex.split(hook) if hook else None,
    )
    urls = expand_sources(sources)
    if not urls:
        raise typer.BadParameter("no sources given")
    settings = Settings(db=db, ingest=_ingest_settings())

    def show(report: pipeline.WatchRoundReport) -> None:
        if as_json:
            sys.stdout.write(json.dumps(_report_json(report), ensure_ascii=False) + "\n")
        else:
            typer.echo(round_line(report))
        sys.stdout.flush()
        for failure in report.failures:
            err.print(f"[red]error[/red] {escape(failure.source)}: {escape(failure.reason)}", highlight=False, soft_wrap=True)

    try:
        pipeline.watch(urls, settings, watch_settings, rounds=rounds, out=Path(out) if out else None, on_round=show)
    except KeyboardInterrupt:
        err.print("stopped; the next watch resumes from the store")


def _report_json(report: pipeline.WatchRoundReport) -> dict[str, object]:
    return {
        "round": report.round, "started": report.started, "sources_due": report.sources_due,
        "new_articles": report.new_articles, "new_versions": report.new_versions, "unchanged": report.unchanged,
        "new_stories": report.new_stories, "conflict_stories": report.conflict_stories,
        "requests": report.requests, "not_modified": report.not_modified,
        "robots_refused": report.robots_refused, "deferred": report.deferred,
        "failures": [{"source": f.source, "reason": f.reason} for f in report.failures],
        "hooks": [{"story_id": h.story_id, "returncode": h.returncode, "error": h.error} for h in report.hooks],
    }


def sources(
    db: Annotated[str, typer.Option("--db", help="SQLite file or SQLAlchemy URL.")] = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List the watched sources: last checked, last new entry, errors, next check."""
    from .store import Store
    from .store._sources import WatchBook

    with Store(db, create=False) as store:
        found = WatchBook(store).sources()
    if as_json:
        sys.stdout.write(json.dumps([s.model_dump(mode="json") for s in found], indent=2, ensure_ascii=False) + "\n")
        return
    for s in found:
        problem = f"  {s.errors} failing: {s.last_error}" if s.errors else ""
        typer.echo(
            f"{s.url}  [{s.kind}] checked {s.last_checked or 'never'}, new {s.last_new or 'never'}, "
            f"next {s.next_check or 'now'}; {s.checks} checks, {s.not_modified} not modified, "
            f"{s.entries_new} new{problem}"
        )


def start_background_watch(db: str, sources: list[str], every: str, contact: str | None) -> threading.Event:
    """`serve --watch`: rounds in a daemon thread beside the server; set the event to stop it."""
    from . import pipeline

    stop = threading.Event()
    urls = expand_sources(sources)
    watch_settings = WatchSettings(every_s=_every(every), contact=contact)

    def log(report: pipeline.WatchRoundReport) -> None:
        err.print(escape(round_line(report)), highlight=False, soft_wrap=True)

    thread = threading.Thread(
        target=pipeline.watch, args=(urls, Settings(db=db, ingest=_ingest_settings()), watch_settings),
        kwargs={"on_round": log, "stop": stop}, name="storyweave-watch", daemon=True,
    )
    thread.start()
    return stop
