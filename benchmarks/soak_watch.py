"""Soak run of `storyweave watch`: many rounds over the changing local site (tests/watchsite.py),
in one process, to show memory stays flat: nothing grows per round beyond the stored data.

Articles arrive in rounds 1 and 5; an article is edited in round 8 and every 50th round (a new
version: read, clustered, its story's conflicts checked); every 10th round the pages' furniture
(ads, clock) changes and a feed date moves (the page is fetched, cleaned and found unchanged);
the other rounds find the feed unchanged (a 304). The baseline is the same
process at round 10 (every code path warm, models loaded): resident memory (RSS) at round 10
against the last round, and Python allocations still alive at the end that were made after
round 10 (tracemalloc, started at round 10).

    python benchmarks/soak_watch.py [--rounds 200] [--delay 0.005] [--keep-heap] [--trim]
"""

from __future__ import annotations

import argparse
import ctypes
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from localhttp import serving
from watchsite import Site, ferry_entries

from storyweave import pipeline
from storyweave.config import IngestSettings, Settings, WatchSettings
from storyweave.store import Store
from storyweave.store._sources import WatchBook

BASELINE_ROUND = 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.005, help="seconds between two requests to the host")
    parser.add_argument("--trim", action="store_true", help="malloc_trim(0) before every RSS reading too (the watch "
                        "itself trims only after rounds that stored something)")
    parser.add_argument("--keep-heap", action="store_true", help="leave out the watch's return of freed heap after "
                        "rounds that stored something (to see what it saves)")
    args = parser.parse_args()
    if args.keep_heap:
        pipeline._return_freed_heap = lambda: None  # type: ignore[assignment]
    if args.rounds <= BASELINE_ROUND:
        parser.error(f"--rounds must be over {BASELINE_ROUND}")

    process = psutil.Process()
    site = Site()
    ferry = ferry_entries()
    site.entries = [ferry["ledger"], ferry["herald"]]
    watch = WatchSettings(every_s=0, host_delay_s=args.delay, backoff_s=0)
    rss: dict[int, int] = {}  # round -> resident memory after it
    busy: dict[int, bool] = {}  # round -> it stored new articles or versions
    seconds: list[float] = []
    totals = {"new": 0, "versions": 0, "unchanged": 0, "not_modified": 0, "requests": 0, "failures": 0}
    clock = [time.perf_counter()]

    def after(report: pipeline.WatchRoundReport) -> None:
        n = report.round
        seconds.append(time.perf_counter() - clock[0])
        totals["new"] += len(report.new_articles)
        totals["versions"] += len(report.new_versions)
        totals["unchanged"] += report.unchanged
        totals["not_modified"] += report.not_modified
        totals["requests"] += report.requests
        totals["failures"] += len(report.failures)
        if n == BASELINE_ROUND:
            tracemalloc.start()
        if args.trim:
            ctypes.CDLL("libc.so.6").malloc_trim(0)  # hand freed heap pages back: what stays is in use
        rss[n] = process.memory_info().rss
        busy[n] = bool(report.new_articles or report.new_versions)
        # What changes before the next round.
        upcoming = n + 1
        if upcoming == 5:
            site.entries += [ferry["courier"], ferry["riverbend"]]
        elif upcoming % 50 == 0 or upcoming == 8:
            ledger = ferry["ledger"]
            ledger.body += f"<p>Update {upcoming}: the operator said the inquiry would report within {upcoming // 50 + 2} weeks.</p>"
            ledger.updated = f"2026-03-16T{upcoming // 10:02d}:00:00Z"
        elif upcoming % 10 == 0:
            site.furniture += 1
            ferry["herald"].updated = f"2026-03-17T00:{upcoming // 10:02d}:00Z"
        clock[0] = time.perf_counter()

    with tempfile.TemporaryDirectory() as work, serving(site.handler()) as base:
        site.base = base
        db = str(Path(work) / "soak.db")
        settings = Settings(db=db, ingest=IngestSettings(allow_loopback_for_tests=True, fetch_timeout_s=5))
        started = time.perf_counter()
        pipeline.watch([f"{base}/feed.xml"], settings, watch, rounds=args.rounds, on_round=after)
        wall = time.perf_counter() - started
        traced_now, _peak = tracemalloc.get_traced_memory()
        snapshot = tracemalloc.take_snapshot()
        tracemalloc.stop()
        with Store(db) as store:
            articles = store.article_count()
            pages = len(WatchBook(store).pages())
        db_bytes = sum(p.stat().st_size for p in Path(work).glob("soak.db*"))

    mib = 1024 * 1024
    last = args.rounds
    heap = "freed heap kept (--keep-heap)" if args.keep_heap else "freed heap returned after busy rounds"
    print(f"soak: {last} rounds over one local feed in {wall:.1f} s; host delay {args.delay} s; {heap}")
    print(f"  rounds: {totals['new']} new articles, {totals['versions']} new versions, {totals['unchanged']} pages "
          f"refetched unchanged, {totals['not_modified']} answers 304, {totals['requests']} requests, "
          f"{totals['failures']} failures; store: {articles} articles, {pages} pages, {db_bytes / mib:.1f} MiB")
    steady = sorted(seconds[BASELINE_ROUND:])
    print(f"  round time after round {BASELINE_ROUND}: median {steady[len(steady) // 2] * 1000:.1f} ms, "
          f"max {steady[-1] * 1000:.0f} ms (round 1, models loading: {seconds[0]:.1f} s)")
    shown = sorted({1, BASELINE_ROUND, *range(50, last + 1, 50), last})
    print("  RSS: " + ", ".join(f"round {n}: {rss[n] / mib:.1f} MiB" for n in shown))
    print(f"  RSS growth, round {BASELINE_ROUND} (baseline) -> round {last}: {(rss[last] - rss[BASELINE_ROUND]) / mib:+.1f} MiB "
          f"({(rss[last] - rss[BASELINE_ROUND]) / (last - BASELINE_ROUND) / 1024:+.1f} KiB per round)")
    # Rounds that stored nothing new (304s, pages refetched unchanged) against those that did.
    quiet = sum(rss[n] - rss[n - 1] for n in range(BASELINE_ROUND + 1, last + 1) if not busy[n])
    stored = sum(rss[n] - rss[n - 1] for n in range(BASELINE_ROUND + 1, last + 1) if busy[n])
    n_quiet = sum(1 for n in range(BASELINE_ROUND + 1, last + 1) if not busy[n])
    print(f"  of which in the {n_quiet} rounds that stored nothing new: {quiet / mib:+.1f} MiB; "
          f"in the {last - BASELINE_ROUND - n_quiet} that stored a new version: {stored / mib:+.1f} MiB")
    print(f"  Python allocations made after round {BASELINE_ROUND} and alive at round {last}: {traced_now / 1024:.0f} KiB")
    for stat in snapshot.statistics("lineno")[:5]:
        print(f"    {stat.size / 1024:8.1f} KiB  {stat.count:6d} blocks  {stat.traceback[0]}")


if __name__ == "__main__":
    main()
