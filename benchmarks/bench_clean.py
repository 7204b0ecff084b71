"""Cleaning benchmark on the article-extraction benchmark (181 real news pages, shared/bench/aeb).

(a) text: our cleaning of each page's whole visible text (fulltext.json) against the true body
    (ground-truth.json); baseline: the whole text unchanged.
(b) HTML: our HTML path (clean_document on the saved page) against plain `trafilatura.extract`
    with its defaults; both run here, on the same pages.
Scores: precision, recall and F1 of word 4-gram shingles per page, averaged over pages; speed in
articles per second (single process, wall clock).

    python benchmarks/bench_clean.py [--aeb PATH] [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.shingles import Score, mean, score  # noqa: E402
from storyweave.clean import CleanError, clean_document  # noqa: E402
from storyweave.clean.language import detect_language  # noqa: E402
from storyweave.model import RawDocument  # noqa: E402


def extract_plain(html: str) -> str:
    """Plain trafilatura with its defaults: the baseline."""
    return trafilatura.extract(html) or ""


def run(name: str, items: list[tuple[str, object]], truth: dict[str, str], fn: Callable[[str, object], str]) -> Score:
    scores = []
    failures = 0
    start = time.perf_counter()
    for key, value in items:
        try:
            out = fn(key, value)
        except CleanError:
            out, failures = "", failures + 1
        scores.append(score(out, truth[key]))
    elapsed = time.perf_counter() - start
    m = mean(scores)
    print(f"  {name:<34} P {m.precision:.3f}  R {m.recall:.3f}  F1 {m.f1:.3f}  "
          f"{len(items) / elapsed:7.1f} articles/s  ({failures} with no article)")
    return m


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--aeb", type=Path, default=ROOT.parent / "shared" / "bench" / "aeb")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages (0: all)")
    args = parser.parse_args()
    if not args.aeb.exists():
        sys.exit(f"{args.aeb} is absent: the benchmark data lives in shared/bench/aeb")
    truth_full = json.loads((args.aeb / "ground-truth.json").read_text(encoding="utf-8"))
    fulltext = json.loads((args.aeb / "fulltext.json").read_text(encoding="utf-8"))
    keys = sorted(k for k in truth_full if truth_full[k].get("articleBody", "").strip())
    if args.limit:
        keys = keys[: args.limit]
    truth = {k: truth_full[k]["articleBody"] for k in keys}
    urls = {k: truth_full[k].get("url") for k in keys}
    print(f"article-extraction benchmark: {len(keys)} pages, word 4-gram shingles, mean over pages")
    detect_language("Load the language model once, outside the timings.")

    print("(a) text cleaning of the whole visible page text")
    texts = [(k, fulltext[k]) for k in keys]
    base = run("baseline: whole text", texts, truth, lambda k, t: t)
    ours = run("storyweave clean_document (text)", texts, truth, lambda k, t: clean_document(
        RawDocument(source=k, data=t.encode("utf-8"), format="text")).body)
    print(f"  F1 gain over the whole text: {ours.f1 - base.f1:+.3f}")

    print("(b) HTML extraction of the saved pages")
    pages = [(k, gzip.decompress((args.aeb / "html" / f"{k}.html.gz").read_bytes())) for k in keys]
    base = run("baseline: trafilatura.extract", pages, truth, lambda k, h: extract_plain(h.decode("utf-8", "replace")))
    ours = run("storyweave clean_document (html)", pages, truth, lambda k, h: clean_document(
        RawDocument(source=k, data=h, format="html", url=urls[k])).body)
    print(f"  F1 gain over plain trafilatura: {ours.f1 - base.f1:+.3f}")


if __name__ == "__main__":
    main()
