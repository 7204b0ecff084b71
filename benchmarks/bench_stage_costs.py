"""Where a `storyweave run`'s CPU seconds go: every stage (ingest, read, cluster, dossiers) split
into its parts (cleaning, each spaCy component, names, quotes and speakers, quantities, framing,
embedding, clustering, comparing, rendering, the store), in CPU s an article.

Corpus: benchmarks/newsgen.py (500-800-word articles). Pipeline: `storyweave.pipeline.run` into a
fresh SQLite store, all in this process (no worker pool, so every part is seen; the pool adds its
start and the pickling of batches), models loaded before the clock starts. Each part is a
wrapped function; its time is exclusive (a wrapped callee's time is its own part), so the parts
add up to the total; "other" is the stage's own code between them. spaCy components are timed
one by one inside `nlp.pipe` (each component's generator step minus the step it pulls from the
one before). The wrappers cost a little: the total is printed beside an unwrapped run's CPU, the
baseline measured in the same process.

Run: python benchmarks/bench_stage_costs.py [--n 300] [--embeddings static] [--seed 7]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


class Frames:
    """A stack of timed frames: each frame's exclusive CPU time goes to (stage, part)."""

    def __init__(self) -> None:
        self.spent: Counter[tuple[str, str]] = Counter()
        self.stack: list[list[Any]] = []  # [stage, part, start, children's time]

    def enter(self, part: str, stage: str | None = None) -> None:
        stage = stage or (self.stack[-1][0] if self.stack else "outside")
        self.stack.append([stage, part, time.process_time(), 0.0])

    def leave(self) -> None:
        stage, part, start, children = self.stack.pop()
        spent = time.process_time() - start
        self.spent[(stage, part)] += spent - children
        if self.stack:
            self.stack[-1][3] += spent

    def wrap(self, fn: Callable, part: str, stage: str | None = None) -> Callable:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self.enter(part, stage)
            try:
                return fn(*args, **kwargs)
            finally:
                self.leave()

        return timed

    def wrap_generator(self, gen: Iterator, part: str) -> Iterator:
        while True:
            self.enter(part)
            try:
                item = next(gen)
            except StopIteration:
                return
            finally:
                self.leave()
            yield item


class TimedComponent:
    """A spaCy component whose every step (doc or batch) is a frame."""

    def __init__(self, frames: Frames, name: str, proc: Any):
        self.frames, self.name, self.proc = frames, name, proc

    def __call__(self, doc: Any) -> Any:
        return self.frames.wrap(self.proc, f"spaCy {self.name}")(doc)

    def pipe(self, docs: Iterator, **kwargs: Any) -> Iterator:
        if hasattr(self.proc, "pipe"):
            inner = self.proc.pipe(docs, **kwargs)
        else:
            inner = (self.proc(doc) for doc in docs)
        return self.frames.wrap_generator(inner, f"spaCy {self.name}")

    def __getattr__(self, attr: str) -> Any:
        # the component's own methods (the disabled lemmatizer's rule_lemmatize, which the
        # clause reader calls on single verbs) stay callable, untimed: they count to the caller
        return getattr(self.proc, attr)


def instrument(frames: Frames) -> None:
    import storyweave.cluster as cluster_mod
    import storyweave.dossier as dossier_mod
    import storyweave.embeddings as embeddings_mod
    import storyweave.nlp.reader as reader_mod
    import storyweave.nlp.speech as speech_mod
    from storyweave import pipeline
    from storyweave.nlp.model import load_pipeline
    from storyweave.store import Store

    for name, stage in (("ingest", "ingest"), ("read_missing", "read"), ("cluster_unplaced", "cluster"),
                        ("write_dossiers", "dossiers")):
        setattr(pipeline, name, frames.wrap(getattr(pipeline, name), "other", stage))
    pipeline.clean_batch = frames.wrap(pipeline.clean_batch, "clean")
    pipeline.embed = frames.wrap(pipeline.embed, "embed")
    embeddings_mod.embed = frames.wrap(embeddings_mod.embed, "embed")
    pipeline.story_dossier = frames.wrap(pipeline.story_dossier, "dossier inputs (store reads)")
    pipeline._write_whole = frames.wrap(pipeline._write_whole, "write files")
    cluster_mod.cluster_articles = frames.wrap(cluster_mod.cluster_articles, "cluster")
    dossier_mod.build_dossier = frames.wrap(dossier_mod.build_dossier, "build dossier (compare)")
    for render in ("render_html", "render_markdown", "render_json", "render_index"):
        setattr(dossier_mod, render, frames.wrap(getattr(dossier_mod, render), "render"))
    for name in ("add_article", "has_raw", "articles", "put_readings", "readings", "reading_versions",
                 "put_sentence_vectors", "sentence_vectors", "save_clustering", "stories", "state",
                 "put_dossier", "iter_article_ids"):
        setattr(Store, name, frames.wrap(getattr(Store, name), "store"))
    reader_mod.read_articles = frames.wrap(reader_mod.read_articles, "reader other")
    pipeline.nlp.read_articles = reader_mod.read_articles
    reader_mod.find_people = frames.wrap(reader_mod.find_people, "names")
    reader_mod.find_quote_spans = frames.wrap(reader_mod.find_quote_spans, "quote spans")
    reader_mod.find_quantities = frames.wrap(reader_mod.find_quantities, "quantities")
    reader_mod.group_names = frames.wrap(reader_mod.group_names, "framing")
    reader_mod.member_labels = frames.wrap(reader_mod.member_labels, "framing")
    for name in ("_sentences", "_entities", "_times", "_people"):
        setattr(reader_mod, name, frames.wrap(getattr(reader_mod, name), "reading assembly"))
    cls = speech_mod.SpeechReader
    for name in ("__init__", "direct_quotes", "indirect_quotes", "attributions"):
        setattr(cls, name, frames.wrap(getattr(cls, name), "speech (quotes, speakers, attributions)"))
    cls.resolve_publications = staticmethod(frames.wrap(cls.resolve_publications, "speech (quotes, speakers, attributions)"))

    nlp = load_pipeline()
    nlp.make_doc = frames.wrap(nlp.make_doc, "spaCy tokenizer")
    nlp._components = [(name, TimedComponent(frames, name, proc)) for name, proc in nlp._components]


def run_once(corpus: Path, work: Path, embeddings: str) -> float:
    from storyweave import pipeline
    from storyweave.config import Settings

    settings = Settings(db=str(work / "bench.db"), out=str(work / "out"), workers=0, embeddings=embeddings)
    start = time.process_time()
    pipeline.run([str(corpus)], settings)
    return time.process_time() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--embeddings", default="static")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    import newsgen

    from storyweave import scale
    from storyweave.embeddings import STAGE_MODELS, embed
    from storyweave.nlp.model import load_pipeline

    scale.POOL_MIN_ITEMS = 10**12  # every stage in this process
    load_pipeline()
    models = STAGE_MODELS[args.embeddings]
    for kind in {models.sentences, models.cluster, models.pair_check or models.sentences}:
        embed(["warm up"], kind=kind)
    with tempfile.TemporaryDirectory(prefix="storyweave-costs-") as tmp:
        corpus = Path(tmp) / "news.jsonl"
        records, gold = newsgen.generate(args.n, args.seed)
        newsgen.write(records, gold, corpus)
        (Path(tmp) / "plain").mkdir()
        plain = run_once(corpus, Path(tmp) / "plain", args.embeddings)
        frames = Frames()
        instrument(frames)
        (Path(tmp) / "timed").mkdir()
        timed = run_once(corpus, Path(tmp) / "timed", args.embeddings)
    n = len(records)
    print(f"{n} newsgen articles (seed {args.seed}), embeddings={args.embeddings}: CPU {plain:.1f} s unwrapped "
          f"= {plain / n:.4f} s an article; wrapped run {timed:.1f} s (the parts below add up to it)")
    by_stage: Counter[str] = Counter()
    for (stage, _part), spent in frames.spent.items():
        by_stage[stage] += spent
    print(f"{'stage':<10} {'part':<42} {'CPU s/article':>13} {'share':>6}")
    for stage, stage_total in by_stage.most_common():
        print(f"{stage:<10} {'(all)':<42} {stage_total / n:>13.4f} {100 * stage_total / timed:>5.1f}%")
        parts = [(part, spent) for (st, part), spent in frames.spent.items() if st == stage]
        for part, spent in sorted(parts, key=lambda x: -x[1]):
            print(f"{'':<10} {part:<42} {spent / n:>13.4f} {100 * spent / timed:>5.1f}%")


if __name__ == "__main__":
    main()
