"""Settings: one tree, passed down; each stage reads only its section.

`Settings()` reads the environment: `STORYWEAVE_<FIELD>` for the top level (STORYWEAVE_DB) and
`STORYWEAVE_<SECTION>_<FIELD>` inside a section (STORYWEAVE_INGEST_MAX_BYTES,
STORYWEAVE_LLM_API_KEY, STORYWEAVE_SERVE_TOKEN). Arguments given in code or on the command line
win over the environment, which wins over the defaults here. Every threshold says where its
value was chosen.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

try:
    VERSION = version("storyweave")
except PackageNotFoundError:  # pragma: no cover - run from a checkout that was never installed
    VERSION = "0+unknown"

DEFAULT_DB = "storyweave.db"  # a SQLite file in the working folder
MAX_INPUT_BYTES = 20 * 1024 * 1024  # one input file, fetched URL or request body; larger is refused
# The sentence-embedding models (storyweave/embeddings.py says what each is and costs), and the
# settings that choose them per stage: a model, or "hybrid" (embeddings.STAGE_MODELS).
EmbeddingModel = Literal["minilm", "static"]
EmbeddingKind = Literal["minilm", "static", "hybrid"]


class IngestSettings(BaseModel):
    max_bytes: int = MAX_INPUT_BYTES  # per input file or fetched URL; larger inputs are refused
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
    user_agent: str = f"storyweave/{VERSION} (+https://github.com/storyweave/storyweave)"
    # Every connection goes to public addresses only (see ingest/netpolicy.py), for the CLI and
    # the server alike. Tests fetch from a server on 127.0.0.1: this lets loopback through, and
    # no command-line option sets it (the tests set STORYWEAVE_INGEST_ALLOW_LOOPBACK_FOR_TESTS=1).
    allow_loopback_for_tests: bool = False
    # A feed entry with only a link (no full text) is fetched from that link.
    fetch_feed_links: bool = True


class ClusterSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    # Logistic weights over cluster.FEATURE_NAMES and bias: fitted on the fitted half of the ECB+
    # topics as the pipeline reads them (`benchmarks/bench_cluster.py --fit`); the held-out half is
    # only scored. ECB+ has no dates, so the time weight is set by hand: same-day reports lean
    # together, a month apart leans apart.
    weights: tuple[float, ...] = (
        2.232, 0.091, 4.814, -0.041, -0.531, 2.232, 1.577, 0.791, 2.0, 3.57, 4.723, 0.714, 0.477, -0.171)
    bias: float = -6.267
    threshold: float = 0.3  # join the best story when P(same story) reaches this
    merge_threshold: float = 0.9  # a second story this sure is merged into the chosen one
    # (threshold and merge threshold chosen on the fitted half among 0.2-0.3 and 0.9-0.97)
    settle_members: int = 16  # a story's latest articles whose neighbours are its second-placement candidates
    link_threshold: float = 0.02  # P above this (with shared actors) links two stories in a storyline
    neighbours: int = 24  # articles fetched from the index per placement
    time_scale_days: float = 14.0  # beyond this gap in days, time counts fully against
    story_window_days: int = 21  # an article this many days from all of a story's dates opens a new one
    story_terms_cap: int = 400  # heaviest terms kept per story profile
    story_names_cap: int = 64
    article_terms_cap: int = 100  # heaviest body terms kept per article, to rebuild a split story
    split_min_part: int = 3  # each part of a split holds at least this many articles
    split_groups_ratio: float = 0.7  # two groups this much less alike between than within split a story
    split_groups_max: int = 80  # stories up to this many articles are checked for two groups after a batch
    # ... and checked again only once grown by this factor: streaming one article at a time, the
    # checks of a story then cost O(n) an article, not O(n^2) (bench_cluster_scale.py)
    split_groups_growth: float = 1.25
    ef: int = 64


class LLMSettings(BaseModel):
    """The optional generated summary (dossier/llm.py): off unless `base_url` is set."""

    model_config = ConfigDict(frozen=True)

    base_url: str = ""  # an OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1; empty: off
    model: str = "default"
    api_key: str | None = None
    timeout_s: float = 60.0
    max_sentences: int = 5
    # Share of a generated sentence's content words its cited claims must contain: 0.8 lets a
    # sentence rephrase a little ("said" for "stated") and refuses one that adds a fact.
    min_word_support: float = 0.8


class ServeSettings(BaseModel):
    db: str = DEFAULT_DB
    token: str | None = None  # bearer token for writes; None refuses every write
    max_body_bytes: int = MAX_INPUT_BYTES
    fetch_timeout_s: float = IngestSettings().fetch_timeout_s
    allow_loopback_for_tests: bool = False  # see IngestSettings; no command-line option sets it
    max_records: int = 10_000  # per request: lines or WARC records read from an upload
    fetch_deadline_s: float = 30.0  # per request: every fetch it makes (a URL, a feed's links) together
    warm_models: bool = True  # load the embedding models at start, not on the first dossier page


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


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="STORYWEAVE_", env_nested_delimiter="_", env_nested_max_split=1, extra="ignore",
    )

    db: str = DEFAULT_DB  # a SQLite path, or any SQLAlchemy URL (postgresql+psycopg://...)
    out: str = "storyweave-out"
    # Where the batch stages run: 0 workers = this machine without Dask (in this process, or a
    # pool of one process per core for a stage of 200+ articles: scale.LocalMapper.sized); N = a
    # local Dask cluster of N worker processes; a scheduler address = an existing Dask cluster.
    workers: int = 0
    scheduler: str | None = None
    local_pool: bool = True  # False: with 0 workers, every stage in this process (STORYWEAVE_LOCAL_POOL=0)
    # A local sentence-transformers model folder instead of the packaged all-MiniLM-L6-v2.
    embedding_model: str | None = None
    # PyTorch's intra-op threads for MiniLM: one. On 2 shared cores the second thread mostly
    # spins (benchmarks/bench_embed_threads.py: 400 sentences cost 5.3 CPU s with one thread,
    # 9.3-10.1 with two, and less wall time too); a run gets its parallelism from processes
    # (--workers) instead.
    torch_threads: int = Field(default=1, ge=1)
    # Where made models are kept (the static model): None: $XDG_CACHE_HOME/storyweave.
    cache: str | None = None
    # A ready static model folder instead of the one distilled into `cache` on first use.
    static_model: str | None = None
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    # Which models embed the sentences at read time (kept, reused by the dossiers), the
    # clustering's headline and lead, and the claim-pair checks: embeddings.STAGE_MODELS;
    # None: "minilm" (embeddings.default_kind).
    embeddings: EmbeddingKind | None = None
    cluster: ClusterSettings = Field(default_factory=ClusterSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    serve: ServeSettings = Field(default_factory=ServeSettings)
    watch: WatchSettings = Field(default_factory=WatchSettings)
