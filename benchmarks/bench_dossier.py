"""Time to build story dossiers of 2, 10 and 50 articles from real news texts (ECB+).

Stories are the gold events of ../shared/bench/ecbplus (largest events first; the 50-article story
joins the events of the largest topics, as a clustering mistake or a broad story would). Texts
are read once by the real NLP stage; that time is reported apart and excluded from the dossier
figures. Sentence embeddings are computed once per story and cached, then reported apart, so
the figures compare the comparison work itself:

  dossier     build_dossier end to end (alignment with blocking, conflicts, provenance, ...)
  align       align_statements with blocking (embedding neighbours + rare-fact index)
  baseline    align_statements scoring every cross-article sentence pair (no blocking)

Run: python benchmarks/bench_dossier.py [--repeat 3] [--also 200]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from functools import partial
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storyweave import nlp
from storyweave.compare import align_statements
from storyweave.compare._align import statements_of
from storyweave.dossier import build_dossier
from storyweave.embeddings import embed
from storyweave.model import Article, Story, sha256_hex

ECB = ROOT.parent / "shared" / "bench" / "ecbplus" / "ecbplus.jsonl"


class CachedEmbedder:
    """The real model, each distinct text embedded once: repeats time the comparison only."""

    def __init__(self) -> None:
        self.cache: dict[str, np.ndarray] = {}
        self.seconds = 0.0

    def __call__(self, texts):
        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if missing:
            t0 = time.perf_counter()
            for t, v in zip(missing, embed(missing)):
                self.cache[t] = v
            self.seconds += time.perf_counter() - t0
        return np.stack([self.cache[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)


def stories(rows: list[dict], extra: list[int] | None = None) -> dict[int, list[dict]]:
    by_event: dict[str, list[dict]] = defaultdict(list)
    by_topic: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_event[r["event"]].append(r)
        by_topic[r["topic"]].append(r)
    events = sorted(by_event.values(), key=len, reverse=True)
    topics = sorted(by_topic.values(), key=len, reverse=True)
    big = [r for t in topics[:2] for r in t][:50]
    out = {2: events[0][:2], 10: events[1][:10], 50: big}
    for size in extra or []:
        out[size] = rows[:size]  # the first texts of the file: several topics, a very broad story
    return out


def to_article(row: dict) -> Article:
    body = row["text"]
    # ECB+ names no outlets: unknown stays unknown (each article counts as its own outlet).
    return Article(id=row["id"], source=f"ecbplus:{row['id']}", body=body, url=row.get("url"),
                   raw_sha256=sha256_hex(body.encode()))


def timed(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--also", type=int, nargs="*", default=[],
                        help="extra story sizes, e.g. --also 200 (minutes: the baseline is quadratic)")
    args = parser.parse_args()
    if not ECB.exists():
        sys.exit(f"{ECB} is absent (the shared benchmark data lives beside the checkout)")
    rows = [json.loads(line) for line in ECB.open(encoding="utf-8")]
    embed(["load the model before timing"])
    print(f"bench_dossier: ECB+ texts, median of {args.repeat} runs (embedding model loaded beforehand)\n")
    print(f"{'articles':>8} {'sentences':>9} {'pairs all':>10} {'read s':>7} {'embed s':>8} "
          f"{'dossier s':>9} {'align s':>8} {'baseline s':>10} {'speedup':>8} {'claims':>6} {'same groups':>11} "
          f"{'mixed events':>12}")
    for size, picked in stories(rows, args.also).items():
        articles = [to_article(r) for r in picked]
        t0 = time.perf_counter()
        readings = {r.article_id: r for r in nlp.read_articles(articles)}
        read_s = time.perf_counter() - t0
        story = Story(id=f"bench{size}", article_ids=[a.id for a in articles])
        embedder = CachedEmbedder()
        build_dossier(story, articles, readings, embedder=embedder)  # warm: fills the cache
        embed_s = embedder.seconds
        dossier_s, dossier = timed(partial(build_dossier, story, articles, readings, embedder=embedder), args.repeat)
        align_s, blocked = timed(partial(align_statements, articles, readings, embedder=embedder), args.repeat)
        base_s, full = timed(partial(align_statements, articles, readings, embedder=embedder, blocking=False), args.repeat)
        sts = [s for a in articles for s in statements_of(a, readings[a.id])]
        per_article = defaultdict(int)
        for s in sts:
            per_article[s.article_id] += 1
        n = len(sts)
        cross = (n * n - sum(c * c for c in per_article.values())) // 2
        key = lambda gs: {tuple(sorted((s.article_id, s.index) for s in g.statements)) for g in gs if len(g.statements) > 1}
        agree = len(key(blocked) & key(full)) / max(len(key(full)), 1)
        # A precision proxy: an aligned group mixing two gold events is surely wrong.
        event = {r["id"]: r["event"] for r in picked}
        multi = [g for g in blocked if len(set(g.article_ids)) > 1]
        mixed = sum(1 for g in multi if len({event[a] for a in g.article_ids}) > 1)
        print(f"{size:>8} {n:>9} {cross:>10} {read_s:>7.2f} {embed_s:>8.2f} {dossier_s:>9.3f} {align_s:>8.3f} "
              f"{base_s:>10.3f} {base_s / max(align_s, 1e-9):>7.1f}x {len(dossier.claims):>6} {agree:>10.0%} "
              f"{mixed:>5} of {len(multi):<4}")
    print("\nspeedup = baseline / align; same groups = share of the baseline's multi-article groups "
          "that blocking reproduces exactly; mixed events = multi-article groups joining sentences of "
          "two different gold events (surely wrong alignments).")


if __name__ == "__main__":
    main()
