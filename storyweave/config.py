"""Settings for a run. One object, passed down; stages read only the part they need."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

# The sentence-embedding models (storyweave/embeddings.py says what each is and costs).
EmbeddingKind = Literal["minilm", "static"]


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
    # The model sentences are embedded with at read time and compared with in the dossiers
    # (claim alignment, counted nouns); None: $STORYWEAVE_EMBEDDINGS, else "minilm".
    # Clustering always uses MiniLM: its thresholds were fitted on MiniLM cosines.
    embeddings: EmbeddingKind | None = None
