"""The main job: ingest -> clean -> store -> read -> cluster -> dossiers.

This module is the only one that joins stages to the store; each stage is a pure function over
models. `run` is incremental: inputs already stored are skipped by content hash, readings are
made only for articles that lack a current one, and clustering places only unplaced articles.
"""

from __future__ import annotations

import ctypes
import datetime as _dt
import json
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from . import cluster, dossier, nlp
from .clean import CleanError, clean_document
from .compare import embedding_text
from .config import ClusterSettings, EmbeddingKind, EmbeddingModel, Settings, WatchSettings
from .embeddings import STAGE_MODELS, CheckedVectors, KnownVectors, default_kind, embed, from_stored, to_stored
from .ingest import read_inputs
from .ingest.watch import Poll, Watcher, body_sha256, place_page
from .model import Article, ClusterEvent, Conflict, Dossier, IngestError, RawDocument, Reading, Story
from .notify import HookResult, run_conflict_hook
from .scale import BatchMapper, LocalMapper, batched, make_mapper
from .store import Store
from .store._sources import WatchBook
from .timespec import iso_utc

READ_BATCH = 64
CLEAN_BATCH = 16


@dataclass
class RunReport:
    records: int = 0
    added: list[str] = field(default_factory=list)
    duplicates: int = 0
    failures: list[IngestError] = field(default_factory=list)
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
                report.failures.append(item)
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
            if isinstance(result, IngestError):
                report.failures.append(result)
            elif store.add_article(raw, result):
                report.added.append(result.id)
            else:
                report.duplicates += 1


def clean_batch(batch: list[RawDocument]) -> list[Article | IngestError]:
    """The cleaning stage over one batch; pure, so any worker can run it."""
    out: list[Article | IngestError] = []
    for raw in batch:
        try:
            out.append(clean_document(raw))
        except CleanError as exc:
            out.append(IngestError(source=raw.source, reason=str(exc)))
        except Exception as exc:  # a cleaning bug on one record must not end the batch
            out.append(IngestError(source=raw.source, reason=f"internal error while cleaning: {type(exc).__name__}: {exc}"))
    return out


SentenceVectors = tuple[str, str, str, bytes, int]  # article id, kind, reader version, float16 bytes, dim


def read_batch(articles: list[Article], kind: EmbeddingKind = "minilm") -> tuple[list[Reading], list[SentenceVectors]]:
    """The reading stage over one batch, pure, so any worker can run it: each article read, and
    its sentences embedded once (one batched model call), to be kept beside the reading."""
    kind = STAGE_MODELS[kind].sentences
    readings = nlp.read_articles(articles)
    texts = [[embedding_text(s.text) for s in r.sentences] for r in readings]
    flat = embed([t for ts in texts for t in ts], kind=kind)
    vectors, at = [], 0
    for reading, ts in zip(readings, texts):
        rows = flat[at:at + len(ts)]
        at += len(ts)
        vectors.append((reading.article_id, str(kind), reading.reader_version, to_stored(rows), int(flat.shape[1])))
    return readings, vectors


def read_missing(
    store: Store, report: RunReport, progress: Progress = _no_progress,
    mapper: BatchMapper | None = None, kind: EmbeddingKind | None = None,
) -> None:
    own = mapper is None
    mapper = mapper or LocalMapper()
    versions = store.reading_versions()
    todo = [i for i in store.iter_article_ids() if versions.get(i) != nlp.READER_VERSION]
    batches = (store.articles(ids) for ids in batched(todo, READ_BATCH))
    # Reading is most of a run's CPU: many articles are read by a process per core (same
    # batches, same readings; scale.LocalMapper.sized), the store's writes staying here.
    progress("read", 0, len(todo))
    try:
        for readings, vectors in mapper.sized(len(todo)).map(partial(read_batch, kind=kind or default_kind()), batches):
            store.put_readings(readings)
            store.put_sentence_vectors(vectors)
            report.read += len(readings)
            report.read_ids.update(r.article_id for r in readings)
            progress("read", report.read, len(todo))
    finally:
        if own:
            mapper.close()


def cluster_unplaced(
    store: Store, report: RunReport, settings: ClusterSettings | None = None, kind: EmbeddingKind | None = None,
    progress: Progress = _no_progress,
) -> list[Story]:
    # Read the stories and state, cluster, write the new view: under the store's lock, so two
    # writers (two runs, a run and the server) take turns and the second sees the first's work.
    model = STAGE_MODELS[kind or default_kind()].cluster
    embedder = None if model == "minilm" else partial(embed, kind=model)  # None: the clusterer's MiniLM
    with store.lock("cluster"):
        _cluster_unplaced(store, settings or ClusterSettings(), embedder, partial(progress, "cluster"))
    report.stories = store.stories()
    return report.stories


def _cluster_unplaced(
    store: Store, settings: ClusterSettings, embedder: cluster.Embedder | None, on_placed: Callable[[int, int], None],
) -> None:
    # Only unplaced articles are loaded: the clusterer's state carries everything it needs
    # about earlier ones, so one run's cost follows the batch, not the corpus.
    placed = {aid for story in store.stories() for aid in story.article_ids}
    new_ids = [i for i in store.iter_article_ids() if i not in placed]
    if new_ids or not placed:
        new = store.articles(new_ids)
        try:
            result = cluster.cluster_articles(new, store.readings(new_ids), store.state("cluster"), settings=settings,
                                              embedder=embedder, on_placed=on_placed)
        except cluster.StateError as exc:
            # A state from another version or a damaged one: rebuild from every article. Ids
            # derive from content and a fixed order, so most stories keep theirs.
            result = cluster.cluster_articles(store.articles(), store.readings(), None, settings=settings,
                                              embedder=embedder, on_placed=on_placed)
            result.events.insert(0, ClusterEvent(kind="rebuild", story_ids=[], detail={"reason": str(exc)}))
        store.save_clustering(result.stories, result.storylines, result.events, result.state)


@dataclass
class DossierInputs:
    """What building one story's dossier reads from the store: picklable, so a worker builds it."""

    story: Story
    articles: list[Article]
    readings: dict[str, Reading]
    kind: EmbeddingKind
    vectors: dict[str, dict[str, tuple[str, int, bytes]]]  # model -> article id -> stored sentence vectors


def dossier_inputs(store: Store, story: Story, kind: EmbeddingKind) -> DossierInputs:
    arts = store.articles(story.article_ids)
    # A watched article edited since is compared in its latest version only (see ingest/watch.py).
    superseded = {a.metadata.get("supersedes") for a in arts} - {None}
    if superseded:
        arts = [a for a in arts if a.id not in superseded]
        kept = {a.id for a in arts}
        story = story.model_copy(update={
            "article_ids": [i for i in story.article_ids if i in kept],
            "copies": [g for g in ([i for i in group if i in kept] for group in story.copies) if len(g) > 1],
        })
    readings = store.readings(story.article_ids)
    models = STAGE_MODELS[kind]
    wanted = {models.sentences, models.pair_check or models.sentences}
    return DossierInputs(story, arts, readings, kind, {m: store.sentence_vectors(list(readings), m) for m in wanted})


def build_story_dossier(inputs: DossierInputs) -> Dossier:
    """The dossier from its inputs, comparing sentences with the vectors kept at read time; only
    sentences without one are embedded here. Pure, so any worker can run it."""
    models = STAGE_MODELS[inputs.kind]
    embedder: Any = KnownVectors(_kept_vectors(inputs, models.sentences), models.sentences)
    if models.pair_check and models.pair_check != models.sentences:
        accurate = KnownVectors(_kept_vectors(inputs, models.pair_check), models.pair_check)
        embedder = CheckedVectors(embedder, accurate)
    return dossier.build_dossier(inputs.story, inputs.articles, inputs.readings, embedder=embedder)


def story_dossier(store: Store, story: Story, kind: EmbeddingKind | None = None) -> Dossier:
    """The story's dossier, comparing sentences with `kind` (None: the environment's model)."""
    return build_story_dossier(dossier_inputs(store, story, kind or default_kind()))


def _kept_vectors(inputs: DossierInputs, kind: EmbeddingModel) -> dict[str, Any]:
    """embedding text -> vector, from the vectors kept for these readings' very sentences."""
    known: dict[str, Any] = {}
    for article_id, (version, dim, data) in inputs.vectors[kind].items():
        reading = inputs.readings[article_id]
        vectors = from_stored(data, dim)
        if version != reading.reader_version or len(vectors) != len(reading.sentences):
            continue  # made for another reading of the article: embedded afresh when needed
        known.update(zip((embedding_text(s.text) for s in reading.sentences), vectors))
    return known


DossierBuilt = tuple[Dossier, tuple[str, str, str]] | Exception  # the dossier and its HTML, Markdown, JSON
DOSSIER_BATCH = 4  # stories


def _inputs_or_error(store: Store, story: Story, kind: EmbeddingKind) -> DossierInputs | Exception:
    try:
        return dossier_inputs(store, story, kind)
    except Exception as exc:  # reported with the story, as a failed build is
        return exc


def _rendered(d: Dossier) -> DossierBuilt:
    return d, (dossier.render_html(d), dossier.render_markdown(d), dossier.render_json(d))


def dossier_batch(batch: list[DossierInputs | Exception]) -> list[DossierBuilt]:
    """Each story's dossier and its renderings, or the error that stopped it; pure."""
    out: list[DossierBuilt] = []
    for inputs in batch:
        if isinstance(inputs, Exception):
            out.append(inputs)
            continue
        try:
            out.append(_rendered(build_story_dossier(inputs)))
        except Exception as exc:  # one bad story must not cost the others their dossiers
            out.append(exc)
    return out


def write_dossiers(
    store: Store, stories: Sequence[Story], out: Path, report: RunReport | None = None,
    changed: set[str] | None = None, kind: EmbeddingKind | None = None, mapper: BatchMapper | None = None,
    built: dict[str, Dossier] | None = None, progress: Progress = _no_progress,
) -> None:
    """Each story's dossier as JSON, Markdown and HTML, plus index.html. A story whose dossier
    fails is reported (naming the story) and the others are still written.

    With `changed` (article ids added or re-read), a story none of whose articles changed and
    whose dossier files exist keeps them: an incremental run rebuilds only what it touched.
    Dossiers are built and rendered through `mapper` (many articles' worth: in a process per
    core); the store and the files are written here. `built` holds dossiers already made from the
    store as it is now (a watch round's), by story id: they are rendered, not built again.
    """
    out.mkdir(parents=True, exist_ok=True)
    kind = kind or default_kind()  # once, not per story
    own = mapper is None
    mapper = mapper or LocalMapper()
    todo = []
    for story in stories:
        files = _dossier_files(out, story)
        if changed is None or not changed.isdisjoint(story.article_ids) or not _dossier_is_current(story, files):
            todo.append(story)
    made = {s.id: built[s.id] for s in todo if built and s.id in built}
    to_build = [s for s in todo if s.id not in made]
    pending: deque[list[Story]] = deque()

    def feed() -> Iterator[list[DossierInputs | Exception]]:
        for batch in batched(to_build, DOSSIER_BATCH):
            pending.append(batch)
            yield [_inputs_or_error(store, story, kind) for story in batch]

    def outcomes() -> Iterator[tuple[Story, DossierBuilt]]:
        for story in todo:
            if story.id in made:
                try:
                    yield story, _rendered(made[story.id])
                except Exception as exc:  # reported with the story, as a failed build is
                    yield story, exc
        for results in mapper.sized(sum(len(s.article_ids) for s in to_build)).map(dossier_batch, feed()):
            yield from zip(pending.popleft(), results)

    failed: set[str] = set()
    progress("dossiers", 0, len(todo))
    try:
        for done, (story, result) in enumerate(outcomes(), 1):
            try:
                if isinstance(result, Exception):
                    raise result
                d, rendered = result
                store.put_dossier(d)  # its claims and conflicts as rows, for SQL tools and search
                # Each file replaced whole (never seen half-written), the JSON last: it is what
                # says a story's files are current, so it is written only once the others are.
                for path, text in zip(_dossier_files(out, story)[::-1], rendered):
                    _write_whole(path, text)
                if report is not None:
                    report.dossiers_written += 1
            except Exception as exc:  # one bad story must not cost the others their dossiers
                if report is None:
                    raise
                failed.add(story.id)
                report.failures.append(IngestError(source=f"story {story.id}",
                                                   reason=f"dossier failed: {type(exc).__name__}: {exc}"))
            progress("dossiers", done, len(todo))
    finally:
        if own:
            mapper.close()
    _write_whole(out / "index.html", dossier.render_index([s for s in stories if s.id not in failed]))


def _dossier_files(out: Path, story: Story) -> list[Path]:
    name = dossier.dossier_filename(story.id)
    return [out / f"{name}.{ext}" for ext in ("json", "md", "html")]


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
    mapper = make_mapper(settings.workers, settings.scheduler, settings.local_pool)
    try:
        with Store(settings.db) as store:
            ingest(store, inputs, settings, report, progress, mapper)
            read_missing(store, report, progress, mapper, settings.embeddings)
            stories = cluster_unplaced(store, report, settings.cluster, settings.embeddings, progress)
            write_dossiers(store, stories, Path(settings.out), report, changed=report.read_ids,
                           kind=settings.embeddings, mapper=mapper, progress=progress)
    finally:
        mapper.close()
    return report


# -- watching: one round of `storyweave watch` -------------------------------------------------


@dataclass
class WatchRoundReport:
    round: int = 0
    started: str = ""
    sources_due: int = 0
    new_articles: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)  # article ids of new versions
    unchanged: int = 0  # pages fetched again whose clean text had not changed
    new_stories: list[str] = field(default_factory=list)
    conflict_stories: dict[str, int] = field(default_factory=dict)  # story id -> new conflicts
    requests: int = 0
    not_modified: int = 0
    robots_refused: int = 0
    deferred: int = 0
    failures: list[IngestError] = field(default_factory=list)
    hooks: list[HookResult] = field(default_factory=list)
    dossiers: dict[str, Dossier] = field(default_factory=dict)  # story id -> the touched stories' dossiers


def watch_round(
    store: Store, watcher: Watcher, sources: Sequence[str], watch: WatchSettings, round_number: int = 0,
    settings: Settings | None = None,
) -> WatchRoundReport:
    """Poll the due sources once, store new articles and versions, place them into stories and
    say what changed: new stories, and stories with conflicts not reported before. Reading and
    clustering follow `settings` (the defaults when None), as `run` does."""
    settings = settings or Settings()
    now = _dt.datetime.now(_dt.timezone.utc)
    report = WatchRoundReport(round=round_number, started=iso_utc(now))
    book = WatchBook(store)
    poll = Poll()
    for found in watcher.poll(list(sources), book, poll, now):
        result = clean_batch([found.raw])[0]
        if isinstance(result, IngestError):
            report.failures.append(result)
            continue
        same_body = None if found.known else book.page_with_body(body_sha256(result))
        placement, page, article = place_page(found, result, same_body, report.started)
        if placement != "unchanged" and store.add_article(found.raw, article):
            (report.new_articles if placement == "new" else report.new_versions).append(article.id)
            found.source.entries_new += 1
            found.source.last_new = report.started
        elif placement == "unchanged":
            report.unchanged += 1
        book.put_page(page)
    report.sources_due = poll.sources_due
    report.failures += [IngestError(source=f.url, reason=f.reason) for f in poll.failures]
    counts = poll.counts
    report.requests, report.not_modified = counts.requests, counts.not_modified
    report.robots_refused, report.deferred = counts.robots_refused, counts.deferred
    added = set(report.new_articles) | set(report.new_versions)
    if not added:
        return report
    stories_before = {s.id for s in store.stories()}  # new articles are stored but not yet placed
    run_report = RunReport()
    read_missing(store, run_report, kind=settings.embeddings)
    stories = cluster_unplaced(store, run_report, settings.cluster, settings.embeddings)
    report.new_stories = [s.id for s in stories if s.id not in stories_before]
    touched = [s for s in stories if added.intersection(s.article_ids)]
    announced = book.conflict_marks([s.id for s in touched])
    kind = settings.embeddings or default_kind()
    for story in touched:
        try:
            built = report.dossiers[story.id] = story_dossier(store, story, kind)
        except Exception as exc:  # one story's dossier failing must not end the round
            report.failures.append(IngestError(source=f"story {story.id}", reason=f"dossier failed: {type(exc).__name__}: {exc}"))
            continue
        conflicts = built.conflicts
        marks = {_conflict_mark(c) for c in conflicts}
        fresh = [c for c in conflicts if _conflict_mark(c) not in announced.get(story.id, set())]
        if fresh:
            report.conflict_stories[story.id] = len(fresh)
            if watch.hook:
                report.hooks.append(run_conflict_hook(watch.hook, story, fresh, watch.hook_timeout_s))
        if marks != announced.get(story.id):
            book.put_conflict_marks(story.id, marks)
    return report


def _conflict_mark(conflict: Conflict) -> str:
    """A conflict's identity across rounds: its kind, subject and the values in dispute."""
    values = sorted({v.value for v in conflict.variants})
    return json.dumps([conflict.kind, conflict.subject, values], ensure_ascii=False)


def watch(
    sources: Sequence[str], settings: Settings, watch_settings: WatchSettings, *, rounds: int | None = None,
    out: Path | None = None, on_round: Callable[[WatchRoundReport], None] | None = None,
    stop: threading.Event | None = None,
) -> int:
    """Watch rounds every `every_s` until `rounds` are done or `stop` is set; the number run.
    Everything a round needs from the last is in the store, so a restart resumes. With `out`,
    the dossiers of stories that changed are rewritten after each round."""
    stop = stop or threading.Event()
    watcher = Watcher(settings.ingest, watch_settings)
    done = 0
    try:
        with Store(settings.db) as store:
            while not stop.is_set() and (rounds is None or done < rounds):
                started = time.monotonic()
                done += 1
                try:
                    report = watch_round(store, watcher, sources, watch_settings, done, settings)
                    changed = set(report.new_articles) | set(report.new_versions)
                    if out is not None and changed:
                        run_report = RunReport()
                        # The round's dossiers are written as built, not made a second time.
                        write_dossiers(store, store.stories(), out, run_report, changed=changed,
                                       kind=settings.embeddings, built=report.dossiers)
                        report.failures += run_report.failures
                except Exception as exc:  # a bad round (the database away, say) is not the last one
                    report = WatchRoundReport(round=done, started=iso_utc(_dt.datetime.now(_dt.timezone.utc)))
                    report.failures.append(IngestError(source="watch round", reason=f"{type(exc).__name__}: {exc}"))
                if report.new_articles or report.new_versions:
                    _return_freed_heap()
                if on_round is not None:
                    on_round(report)
                if rounds is not None and done >= rounds:
                    break
                stop.wait(max(0.0, watch_settings.every_s - (time.monotonic() - started)))
    finally:
        watcher.close()
    return done


def _return_freed_heap() -> None:
    """Hand heap pages freed by a round's reading and clustering back to the system (glibc's
    malloc_trim): without it a weeks-long watch's resident size creeps up by what the allocator
    keeps, though the memory in use stays flat (benchmarks/soak_watch.py measures both)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: nothing to do
