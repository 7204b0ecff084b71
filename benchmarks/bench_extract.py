"""HTML extraction settings compared on the article-extraction benchmark (shared/bench/aeb/html).

Why our HTML path calls trafilatura the way it does: each row runs over the same 181 saved pages
in this one run, scored by word 4-gram shingle precision, recall and F1 against the true bodies
(mean over pages), with articles per second. The first row, trafilatura's defaults, is the baseline.

    python benchmarks/bench_extract.py [--aeb PATH] [--limit N]
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

from benchmarks.shingles import mean, score  # noqa: E402
from storyweave.clean import CleanError, clean_document  # noqa: E402
from storyweave.clean.language import detect_language  # noqa: E402
from storyweave.model import RawDocument  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--aeb", type=Path, default=ROOT.parent / "shared" / "bench" / "aeb")
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    if not args.aeb.exists():
        sys.exit(f"{args.aeb} is absent: the benchmark data lives in shared/bench/aeb")
    truth = json.loads((args.aeb / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(k for k in truth if truth[k].get("articleBody", "").strip())[: args.limit or None]
    pages = {k: gzip.decompress((args.aeb / "html" / f"{k}.html.gz").read_bytes()) for k in keys}
    detect_language("Load the language model once, outside the timings.")

    def traf(**options: object) -> Callable[[str, bytes], str]:
        return lambda k, html: trafilatura.extract(html.decode("utf-8", "replace"), **options) or ""

    def ours(k: str, html: bytes) -> str:
        try:
            return clean_document(RawDocument(source=k, data=html, format="html", url=truth[k].get("url"))).body
        except CleanError:
            return ""

    rows: list[tuple[str, Callable[[str, bytes], str]]] = [
        ("trafilatura defaults (baseline)", traf()),
        ("trafilatura, no comments", traf(include_comments=False)),
        ("trafilatura, no comments, favor_recall", traf(include_comments=False, favor_recall=True)),
        ("trafilatura, no comments, favor_precision", traf(include_comments=False, favor_precision=True)),
        ("storyweave clean_document (html)", ours),
    ]
    print(f"HTML extraction on {len(keys)} pages (word 4-gram shingles, mean over pages)")
    for name, fn in rows:
        start = time.perf_counter()
        scores = [score(fn(k, pages[k]), truth[k]["articleBody"]) for k in keys]
        rate = len(keys) / (time.perf_counter() - start)
        m = mean(scores)
        print(f"  {name:<44} P {m.precision:.3f}  R {m.recall:.3f}  F1 {m.f1:.3f}  {rate:6.1f} articles/s")


if __name__ == "__main__":
    main()
