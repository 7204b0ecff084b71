"""NLP reading benchmark.

(a) Speed: words/s and articles/s of our reading (`read_articles`: the staged spaCy pass plus
    every rule layer) against spaCy's full small pipeline (all components, `nlp.pipe`) over the
    same texts: ECB+ news texts (shared/bench/ecbplus) plus the five seeds. Single process, wall
    clock, models loaded and warmed before timing.
(b) Time resolution: our rules against dateparser (RELATIVE_BASE = the article date,
    PREFER_DATES_FROM = past) on labelled news-style expressions; accuracy at the expression's
    own granularity (day, month or year; None where the expression names no point in time).

    python benchmarks/bench_nlp.py [--limit N] [--batch-size B]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storyweave.clean import CleanError, clean_document
from storyweave.ingest import read_inputs
from storyweave.model import Article, IngestError
from storyweave.nlp import read_articles
from storyweave.nlp.model import load_full_pipeline, load_pipeline
from storyweave.nlp.textnorm import plain
from storyweave.model.lexicon import published_date
from storyweave.nlp.times import resolve

SHARED = ROOT.parent / "shared"

# (expression, article date, what a careful reader resolves it to)
TIME_CASES: list[tuple[str, str | None, str | None]] = [
    ("last week", "2016-06-07", "2016-05-31"),
    ("on June 5", "2016-06-07", "2016-06-05"),
    ("since last fall", "2016-06-07", "2015-09"),
    ("a year ago", "2016-06-07", "2015-06-07"),
    ("Monday", "2016-06-07", "2016-06-06"),
    ("on Monday", "2016-06-07", "2016-06-06"),
    ("last Friday", "2016-06-07", "2016-06-03"),
    ("November last year", "2016-06-07", "2015-11"),
    ("June 4, 2016", "2016-06-07", "2016-06-04"),
    ("4 June 2016", None, "2016-06-04"),
    ("October 15, 2006", None, "2006-10-15"),
    ("yesterday", "2016-06-07", "2016-06-06"),
    ("two weeks ago", "2016-06-07", "2016-05-24"),
    ("three days ago", "2016-03-02", "2016-02-28"),
    ("last month", "2016-06-07", "2016-05"),
    ("last year", "2016-06-07", "2015"),
    ("this year", "2016-06-07", "2016"),
    ("in 2014", "2016-06-07", "2014"),
    ("in March", "2016-06-07", "2016-03"),
    ("December 24", "2017-01-03", "2016-12-24"),
    ("early September", "2017-10-20", "2017-09"),
    ("last summer", "2016-06-07", "2015-06"),
    ("last winter", "2016-06-07", "2015-12"),
    ("today", "2016-06-07", "2016-06-07"),
    ("at least a month", "2016-06-07", None),
    ("the past year", "2016-06-07", None),
    ("in recent weeks", "2016-06-07", None),
    ("the early days", "2016-06-07", None),
    ("last week", None, None),
    ("early September", None, None),
]


def _granular(value: date, like: str) -> str:
    return value.isoformat()[: len(like)]


def dateparser_resolve(text: str, published: str | None, like: str | None) -> str | None:
    import dateparser

    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    pub = published_date(published)
    if pub is None:
        settings["REQUIRE_PARTS"] = ["day", "month", "year"]
    else:
        settings["RELATIVE_BASE"] = datetime(pub.year, pub.month, pub.day)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = dateparser.parse(text, languages=["en"], settings=settings)
    if found is None:
        return None
    return _granular(found.date(), like or "YYYY-MM-DD")


def time_accuracy() -> None:
    print("\n(b) time resolution on", len(TIME_CASES), "labelled expressions")
    ours_ok = dp_ok = 0
    misses = []
    for text, published, expected in TIME_CASES:
        ours = resolve(text, published_date(published))
        theirs = dateparser_resolve(text, published, expected)
        ours_ok += ours == expected
        dp_ok += theirs == expected
        if ours != expected or theirs != expected:
            misses.append(f"    {text!r:24} date {published or '-':10}  gold {expected!s:10}  ours {ours!s:10}  dateparser {theirs!s}")
    print(f"  ours (storyweave.nlp.times)        {ours_ok}/{len(TIME_CASES)} correct")
    print(f"  baseline dateparser {__import__('dateparser').__version__:<14} {dp_ok}/{len(TIME_CASES)} correct")
    print("  disagreements with the gold:")
    print("\n".join(misses))


def load_texts(limit: int) -> list[Article]:
    arts: list[Article] = []
    seeds = SHARED / "seeds"
    if seeds.exists():
        for item in read_inputs([str(seeds)]):
            if isinstance(item, IngestError):
                continue
            try:
                arts.append(clean_document(item))
            except CleanError:
                continue
    path = SHARED / "bench" / "ecbplus" / "ecbplus.jsonl"
    if not path.exists():
        sys.exit(f"{path} is absent: the benchmark data lives in shared/bench/ecbplus")
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if len(arts) >= limit:
                break
            row = json.loads(line)
            arts.append(Article(id=row["id"], source=str(path), body=row["text"], raw_sha256="0" * 64))
    return arts


def speed(arts: list[Article], batch_size: int) -> None:
    words = sum(len(a.body.split()) for a in arts)
    print(f"(a) speed on {len(arts)} articles, {words} words (single process, wall clock)")
    full = load_full_pipeline()
    ours_nlp = load_pipeline()
    list(full.pipe(["Warm-up text for the pipeline."]))
    read_articles(arts[:2])
    texts = [plain(a.body) for a in arts]

    def report(name: str, wall: float, cpu: float) -> float:
        print(f"  {name:<58} {words / wall:7.0f} words/s {len(arts) / wall:6.2f} articles/s wall"
              f" | {words / cpu:7.0f} words/s {len(arts) / cpu:6.2f} articles/s CPU")
        return cpu

    def timed(fn: Callable[[], object]) -> tuple[float, float]:
        w, c = time.perf_counter(), time.process_time()
        fn()
        return time.perf_counter() - w, time.process_time() - c

    print("  (CPU = this process's CPU time: the fair figure on a shared machine)")
    base = report(f"baseline: spaCy full pipeline ({', '.join(full.pipe_names)})",
                  *timed(lambda: list(full.pipe(texts, batch_size=batch_size))))
    report(f"our spaCy pass alone ({', '.join(ours_nlp.pipe_names)})",
           *timed(lambda: list(ours_nlp.pipe(texts, batch_size=batch_size))))
    ours = report("ours: read_articles (spaCy pass + all rules)", *timed(lambda: read_articles(arts)))
    print(f"  ours / baseline CPU time: {ours / base:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=300, help="articles to read (seeds first)")
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args()
    speed(load_texts(args.limit), args.batch_size)
    time_accuracy()


if __name__ == "__main__":
    main()
