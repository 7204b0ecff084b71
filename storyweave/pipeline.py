"""The main job: ingest -> clean -> store -> read -> cluster -> dossiers.

This module is the only one that joins stages to the store; each stage is a pure function over
models. `run` is incremental: inputs already stored are skipped by content hash, readings are
made only for articles that lack a current one, and clustering places only unplaced articles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import cluster, dossier, nlp
from .clean import CleanError, clean_document
from .config import Settings
from .ingest import read_inputs
from .model import Article, Dossier, IngestError, RawDocument, Story
from .store import Store

READ_BATCH = 64


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
    stories: list[Story] = field(default_factory=list)
    out: str | None = None

    @property
    def ok(self) -> bool:
        return not self.failures


Progress = Callable[[str, int, int | None], None]  # (phase, done, total)


def _no_progress(phase: str, done: int, total: int | None) -> None:
    pass


def ingest(
    store: Store, inputs: Iterable[str], settings: Settings, report: RunReport,
    progress: Progress = _no_progress,
) -> None:
    ingest_records(store, read_inputs(inputs, settings.ingest), report, progress)


def ingest_records(
    store: Store, records: Iterable[RawDocument | IngestError], report: RunReport,
    progress: Progress = _no_progress,
) -> None:
    """Clean and store records already read (the server relabels uploads before this step)."""
    for item in records:
        report.records += 1
        progress("ingest", report.records, None)
        if isinstance(item, IngestError):
            report.failures.append(Failure(item.source, item.reason))
            continue
        if store.has_raw(item.sha256):
            report.duplicates += 1  # stored by an earlier run: not cleaned again
            continue
        try:
            article = clean_document(item)
        except CleanError as exc:
            report.failures.append(Failure(item.source, str(exc)))
            continue
        except Exception as exc:  # a cleaning bug on one record must not end the batch
            report.failures.append(Failure(item.source, f"internal error while cleaning: {type(exc).__name__}: {exc}"))
            continue
        if store.add_article(item, article):
            report.added.append(article.id)
        else:
            report.duplicates += 1


def read_missing(store: Store, report: RunReport, progress: Progress = _no_progress) -> None:
    versions = store.reading_versions()
    todo = [i for i in store.iter_article_ids() if versions.get(i) != nlp.READER_VERSION]
    for start in range(0, len(todo), READ_BATCH):
        batch = store.articles(todo[start : start + READ_BATCH])
        store.put_readings(nlp.read_articles(batch))
        report.read += len(batch)
        progress("read", report.read, len(todo))


def cluster_unplaced(store: Store, report: RunReport) -> list[Story]:
    placed = {aid for story in store.stories() for aid in story.article_ids}
    all_articles = store.articles()
    new = [a for a in all_articles if a.id not in placed]
    if new or not placed:
        result = cluster.cluster_articles(new, all_articles, store.readings(), store.state("cluster"))
        store.save_clustering(result.stories, result.storylines, result.events, result.state)
    report.stories = store.stories()
    return report.stories


def story_dossier(store: Store, story: Story) -> Dossier:
    arts = store.articles(story.article_ids)
    return dossier.build_dossier(story, arts, store.readings(story.article_ids))


def write_dossiers(store: Store, stories: Sequence[Story], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for story in stories:
        d = story_dossier(store, story)
        (out / f"{story.id}.json").write_text(dossier.render_json(d), encoding="utf-8")
        (out / f"{story.id}.md").write_text(dossier.render_markdown(d), encoding="utf-8")
        (out / f"{story.id}.html").write_text(dossier.render_html(d), encoding="utf-8")
    (out / "index.html").write_text(dossier.render_index(stories), encoding="utf-8")


def run(inputs: Sequence[str], settings: Settings, progress: Progress = _no_progress) -> RunReport:
    report = RunReport(out=settings.out)
    with Store(settings.db) as store:
        ingest(store, inputs, settings, report, progress)
        read_missing(store, report, progress)
        stories = cluster_unplaced(store, report)
        write_dossiers(store, stories, Path(settings.out))
    return report


def load_articles(settings: Settings) -> list[Article]:
    with Store(settings.db) as store:
        return store.articles()
