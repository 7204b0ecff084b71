"""The main job: ingest -> clean -> store -> read -> cluster -> dossiers.

This module is the only one that joins stages to the store; each stage is a pure function over
models. `run` is incremental: inputs already stored are skipped by content hash, readings are
made only for articles that lack a current one, and clustering places only unplaced articles.
"""

from __future__ import annotations

import json
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from . import cluster, dossier, nlp
from .clean import CleanError, clean_document
from .config import Settings
from .compare import embedding_text
from .config import EmbeddingKind
from .embeddings import KnownVectors, default_kind, embed, from_stored, to_stored
from .ingest import read_inputs
from .model import Article, ClusterEvent, Dossier, IngestError, RawDocument, Reading, Story
from .scale import BatchMapper, LocalMapper, batched, make_mapper
from .store import Store

READ_BATCH = 64
CLEAN_BATCH = 16


@dataclass
class Failure:
    source: str
    reason: str


@dataclass
class RunReport:
    records: int = 0
    added: list[str] = field(default_factory=list)
    duplicates: int = 0
    failures: list[Failure] = field(default_factory=list)
    read: int = 0
    read_ids: set[str] = field(default_factory=set)  # articles (re)read this run
    stories: list[Story] = field(default_factory=list)
    dossiers_written: int = 0
    out: str | None = None

    @property
    def ok(self) -> bool:
        return not self.failures


Progress = Callable[[str, int, int | None], None]  # (phase, done, total)


def _no_progress(phase: str, done: int, total: int | None) -> None:
    pass


def ingest(
    store: Store, inputs: Iterable[str], settings: Settings, report: RunReport,
    progress: Progress = _no_progress, mapper: BatchMapper | None = None,
) -> None:
    ingest_records(store, read_inputs(inputs, settings.ingest), report, progress, mapper)


def ingest_records(
    store: Store, records: Iterable[RawDocument | IngestError], report: RunReport,
    progress: Progress = _no_progress, mapper: BatchMapper | None = None,
) -> None:
    """Clean and store records already read (the server relabels uploads before this step).

    Cleaning runs in batches through `mapper` (in-process by default, or on a Dask cluster);
    storing stays here, one transaction per article.
    """
    mapper = mapper or LocalMapper()

    def to_clean() -> Iterator[RawDocument]:
        for item in records:
            report.records += 1
            progress("ingest", report.records, None)
            if isinstance(item, IngestError):
                report.failures.append(Failure(item.source, item.reason))
            elif store.has_raw(item.sha256):
                report.duplicates += 1  # stored by an earlier run: not cleaned again
            else:
                yield item

    pending: deque[list[RawDocument]] = deque()

    def feed() -> Iterator[list[RawDocument]]:
        for batch in batched(to_clean(), CLEAN_BATCH):
            pending.append(batch)
            yield batch

    for results in mapper.map(clean_batch, feed()):
        for raw, result in zip(pending.popleft(), results):
            if isinstance(result, Failure):
                report.failures.append(result)
            elif store.add_article(raw, result):
                report.added.append(result.id)
            else:
                report.duplicates += 1


def clean_batch(batch: list[RawDocument]) -> list[Article | Failure]:
    """The cleaning stage over one batch; pure, so any worker can run it."""
    out: list[Article | Failure] = []
    for raw in batch:
        try:
            out.append(clean_document(raw))
        except CleanError as exc:
            out.append(Failure(raw.source, str(exc)))
        except Exception as exc:  # a cleaning bug on one record must not end the batch
            out.append(Failure(raw.source, f"internal error while cleaning: {type(exc).__name__}: {exc}"))
    return out


SentenceVectors = tuple[str, str, str, bytes, int]  # article id, kind, reader version, float16 bytes, dim


def read_batch(articles: list[Article], kind: EmbeddingKind = "minilm") -> tuple[list[Reading], list[SentenceVectors]]:
    """The reading stage over one batch, pure, so any worker can run it: each article read, and
    its sentences embedded once (one batched model call), to be kept beside the reading."""
    readings = nlp.read_articles(articles)
    texts = [[embedding_text(s.text) for s in r.sentences] for r in readings]
    flat = embed([t for ts in texts for t in ts], kind=kind)
    vectors, at = [], 0
    for reading, ts in zip(readings, texts):
        rows = flat[at:at + len(ts)]
        at += len(ts)
        vectors.append((reading.article_id, kind, reading.reader_version, to_stored(rows), flat.shape[1]))
    return readings, vectors


def read_missing(
    store: Store, report: RunReport, progress: Progress = _no_progress,
    mapper: BatchMapper | None = None, kind: EmbeddingKind | None = None,
) -> None:
    mapper = mapper or LocalMapper()
    versions = store.reading_versions()
    todo = [i for i in store.iter_article_ids() if versions.get(i) != nlp.READER_VERSION]
    batches = (store.articles(ids) for ids in batched(todo, READ_BATCH))
    for readings, vectors in mapper.map(partial(read_batch, kind=kind or default_kind()), batches):
        store.put_readings(readings)
        store.put_sentence_vectors(vectors)
        report.read += len(readings)
        report.read_ids.update(r.article_id for r in readings)
        progress("read", report.read, len(todo))


def cluster_unplaced(store: Store, report: RunReport) -> list[Story]:
    # Read the stories and state, cluster, write the new view: under the store's lock, so two
    # writers (two runs, a run and the server) take turns and the second sees the first's work.
    with store.lock("cluster"):
        _cluster_unplaced(store)
    report.stories = store.stories()
    return report.stories


def _cluster_unplaced(store: Store) -> None:
    # Only unplaced articles are loaded: the clusterer's state carries everything it needs
    # about earlier ones, so one run's cost follows the batch, not the corpus.
    placed = {aid for story in store.stories() for aid in story.article_ids}
    new_ids = [i for i in store.iter_article_ids() if i not in placed]
    if new_ids or not placed:
        new = store.articles(new_ids)
        try:
            result = cluster.cluster_articles(new, store.readings(new_ids), store.state("cluster"))
        except cluster.StateError as exc:
            # A state from another version or a damaged one: rebuild from every article. Ids
            # derive from content and a fixed order, so most stories keep theirs.
            result = cluster.cluster_articles(store.articles(), store.readings(), None)
            result.events.insert(0, ClusterEvent(kind="rebuild", story_ids=[], detail={"reason": str(exc)}))
        store.save_clustering(result.stories, result.storylines, result.events, result.state)


def story_dossier(store: Store, story: Story, kind: EmbeddingKind | None = None) -> Dossier:
    """The story's dossier, comparing sentences with `kind` (None: the environment's model) and
    the sentence vectors kept at read time; only sentences without one are embedded here."""
    kind = kind or default_kind()
    arts = store.articles(story.article_ids)
    readings = store.readings(story.article_ids)
    return dossier.build_dossier(story, arts, readings, embedder=KnownVectors(_kept_vectors(store, readings, kind), kind))


def _kept_vectors(store: Store, readings: dict[str, Reading], kind: EmbeddingKind) -> dict[str, Any]:
    """embedding text -> vector, from the vectors kept for these readings' very sentences."""
    known: dict[str, Any] = {}
    for article_id, (version, dim, data) in store.sentence_vectors(list(readings), kind).items():
        reading = readings[article_id]
        vectors = from_stored(data, dim)
        if version != reading.reader_version or len(vectors) != len(reading.sentences):
            continue  # made for another reading of the article: embedded afresh when needed
        known.update(zip((embedding_text(s.text) for s in reading.sentences), vectors))
    return known


def write_dossiers(
    store: Store, stories: Sequence[Story], out: Path, report: RunReport | None = None,
    changed: set[str] | None = None, kind: EmbeddingKind | None = None,
) -> None:
    """Each story's dossier as JSON, Markdown and HTML, plus index.html. A story whose dossier
    fails is reported (naming the story) and the others are still written.

    With `changed` (article ids added or re-read), a story none of whose articles changed and
    whose dossier files exist keeps them: an incremental run rebuilds only what it touched.
    """
    out.mkdir(parents=True, exist_ok=True)
    listed = []
    for story in stories:
        name = dossier.dossier_filename(story.id)
        files = [out / f"{name}.{ext}" for ext in ("json", "md", "html")]
        if changed is not None and changed.isdisjoint(story.article_ids) and _dossier_is_current(story, files):
            listed.append(story)
            continue
        try:
            d = story_dossier(store, story, kind)
            # Each file replaced whole (never seen half-written), the JSON last: it is what says
            # a story's files are current, so it is written only once the others are.
            for path, render in zip(files[::-1], (dossier.render_html, dossier.render_markdown, dossier.render_json)):
                _write_whole(path, render(d))
            listed.append(story)
            if report is not None:
                report.dossiers_written += 1
        except Exception as exc:  # one bad story must not cost the others their dossiers
            if report is None:
                raise
            report.failures.append(Failure(f"story {story.id}", f"dossier failed: {type(exc).__name__}: {exc}"))
    _write_whole(out / "index.html", dossier.render_index(listed))


def _write_whole(path: Path, text: str) -> None:
    """Write `path` through a temporary file and os.replace: a kill leaves the old file or the
    new one, never a truncated one."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def _dossier_is_current(story: Story, files: list[Path]) -> bool:
    """The files exist, are complete, and the JSON was built for this very story object (same
    articles, copies, storyline). Complete: a file cut short by an earlier version's in-place
    write (or by hand) is rebuilt."""
    try:
        json_file, md_file, html_file = files
        if not md_file.read_text(encoding="utf-8").endswith("\n"):
            return False
        if not html_file.read_text(encoding="utf-8").rstrip().endswith("</html>"):
            return False
        return json.loads(json_file.read_text(encoding="utf-8")).get("story") == story.model_dump(mode="json")
    except (OSError, ValueError, AttributeError, UnicodeDecodeError):
        return False


def run(inputs: Sequence[str], settings: Settings, progress: Progress = _no_progress) -> RunReport:
    report = RunReport(out=settings.out)
    mapper = make_mapper(settings.workers, settings.scheduler)
    try:
        with Store(settings.db) as store:
            ingest(store, inputs, settings, report, progress, mapper)
            read_missing(store, report, progress, mapper, settings.embeddings)
            stories = cluster_unplaced(store, report)
            write_dossiers(store, stories, Path(settings.out), report, changed=report.read_ids,
                           kind=settings.embeddings)
    finally:
        mapper.close()
    return report


def load_articles(settings: Settings) -> list[Article]:
    with Store(settings.db) as store:
        return store.articles()
