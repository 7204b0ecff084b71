"""Settings for a run. One object, passed down; stages read only the part they need."""

from __future__ import annotations

from pydantic import BaseModel, Field


class IngestSettings(BaseModel):
    max_bytes: int = 20 * 1024 * 1024  # per input file or fetched URL; larger inputs are refused
    max_record_bytes: int = 5 * 1024 * 1024  # per record inside a container (JSONL line, WARC record)
    # The budget of one streamed container (JSON Lines, WARC, either gzipped): lines or records
    # read, bytes read after decompression, and bad records listed (the rest are counted in one
    # line; an input whose first `max_failures` records are all bad is given up on).
    max_records: int = 1_000_000
    max_stream_bytes: int = 4 * 1024**3
    max_failures: int = 100
    fetch_timeout_s: float = 20.0  # per connect or read
    fetch_deadline_s: float = 120.0  # per URL, all redirects, retries, waits and reads together
    fetch_retries: int = 3
    fetch_backoff_s: float = 1.0
    user_agent: str = "storyweave/0.1 (+https://github.com/storyweave/storyweave)"
    # Every connection goes to public addresses only (see ingest/netpolicy.py), for the CLI and
    # the server alike. Tests fetch from a server on 127.0.0.1: this lets loopback through, and
    # no command-line option sets it.
    allow_loopback_for_tests: bool = False
    # A feed entry with only a link (no full text) is fetched from that link.
    fetch_feed_links: bool = True


class Settings(BaseModel):
    db: str = "storyweave.db"  # a SQLite path, or any SQLAlchemy URL (postgresql+psycopg://...)
    out: str = "storyweave-out"
    # Where the batch stages run: 0 workers = in this process; N = a local Dask cluster of N
    # worker processes; a scheduler address = an existing Dask cluster.
    workers: int = 0
    scheduler: str | None = None
    ingest: IngestSettings = Field(default_factory=IngestSettings)


class WatchSettings(BaseModel):
    """How `storyweave watch` polls: politely by default (see ingest/watch.py)."""

    every_s: float = 900.0  # a source is polled again this long after a success
    host_delay_s: float = 5.0  # between two requests to one host (requests to a host never overlap)
    max_requests_per_round: int = 100  # the rest wait for the next round
    backoff_s: float = 60.0  # a failing source waits this long, doubled per further failure
    max_backoff_s: float = 6 * 3600.0
    max_retry_after_s: float = 24 * 3600.0  # a longer Retry-After is cut to this
    robots_ttl_s: float = 3600.0  # how long a host's robots.txt is trusted
    contact: str | None = None  # a URL or e-mail address put into the User-Agent for site owners
    # On a new conflict in a story: run this program (an argv list, never through a shell) with
    # the details in its environment and as JSON on stdin.
    hook: list[str] | None = None
    hook_timeout_s: float = 30.0

    def user_agent(self, base: str) -> str:
        """`base` with the contact inside its comment: "storyweave/0.1 (+URL; contact: X)"."""
        if not self.contact:
            return base
        contact = "".join(ch for ch in self.contact if ch.isprintable())[:200]  # never a header break
        if base.endswith(")"):
            return f"{base[:-1]}; contact: {contact})"
        return f"{base} (contact: {contact})"
