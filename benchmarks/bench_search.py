"""Search and export benchmark over a synthetic store (the stories and readings of
bench_serve.py: N articles in stories of five, quotes and people, no NLP run).

Search: `Store.search` (SQLite FTS5) against a baseline measured in the same run, a
`LIKE '%word%'` scan of the articles' JSON documents (what a store without an index can do),
both asked for the same words; the hit counts of the article kind are printed side by side.
Export: `write_export` of articles as CSV and Parquet, against dumping the same articles as JSON.

    python benchmarks/bench_search.py [--articles 2000] [--repeat 20]
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_serve import build_store
from sqlalchemy import text

from storyweave.store import Store
from storyweave.store._export import write_export

QUERIES = ["bridge", "Officer Lee", "serious Monday", "Town 137"]


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        t = time.perf_counter()
        build_store(db, args.articles)
        print(f"synthetic store: {args.articles} articles (built and indexed in {time.perf_counter() - t:.1f} s)")
        with Store(db) as store:
            store.search("warm")  # opens the index once
            print(f"{'query':<18} {'FTS5 ms':>9} {'hits':>6}   | {'LIKE scan ms':>12} {'hits':>6}")
            for query in QUERIES:
                words = query.casefold().split()

                def like_scan(words: list[str] = words) -> int:
                    where = " AND ".join(f"lower(doc) LIKE :w{i}" for i in range(len(words)))
                    with store.engine.connect() as conn:
                        return conn.execute(text(f"SELECT count(*) FROM articles WHERE {where}"),
                                            {f"w{i}": f"%{w}%" for i, w in enumerate(words)}).scalar_one()

                fts = median_ms(lambda query=query: store.search(query, kinds={"article"}, limit=50), args.repeat)
                like = median_ms(like_scan, args.repeat)
                print(f"{query:<18} {fts:9.2f} {store.search(query, kinds={'article'})[0]:6d}   | "
                      f"{like:12.2f} {like_scan():6d}")
            print(f"{'export articles':<18} {'ms':>9} {'bytes':>10}")
            for fmt in ("csv", "parquet", "jsonl"):
                out = io.BytesIO()
                ms = median_ms(lambda fmt=fmt: write_export(store, "articles", fmt, io.BytesIO()), 3)
                write_export(store, "articles", fmt, out)
                print(f"{fmt:<18} {ms:9.1f} {len(out.getvalue()):10d}")
            dump = median_ms(lambda: "\n".join(json.dumps(a.public_dict()) for a in store.articles()), 3)
            print(f"{'baseline: JSON dump of the same articles':<40} {dump:9.1f} ms")


if __name__ == "__main__":
    main()
