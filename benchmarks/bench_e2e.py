"""End to end: articles per second from text in to dossiers out, per stage, and peak memory,
against a floor measured in the same run on the same texts.

Corpus: benchmarks/newsgen.py (real ECB+ and AEB sentences recombined into 500-800-word articles,
stories, look-alikes and copies in known proportions), written as one JSON Lines file.

Pipeline: `storyweave.pipeline.run` on that file into a fresh SQLite store and dossier folder,
the path `storyweave run` takes; each stage function (ingest, read, cluster, dossiers) is wrapped
with a timer, nothing else is changed. Story B-cubed F1 against the generator's gold is printed as
a sanity check that speed was not bought with nonsense.

Floor: one plain spaCy small-model pass (every component, `nlp.pipe`) plus one MiniLM embedding
of each article's text (the model reads its first 256 word pieces), on the same texts, or on the
first `--floor-n` of them, the rate then applied to all.

On a shared machine wall time depends on the other load: CPU seconds (user + system of the run's
process, its threads and every worker process it started and waited for: the reading pool, a Dask
cluster's) are printed beside it, also per article. Each of the two runs in a fresh subprocess;
its peak memory is the largest sum of the resident sizes of that process and its descendants
(sampled every 0.2 s; the process's own VmHWM when larger); models load inside the timed run in
both.
Runs: one per worker count and embedding setting (`--embeddings minilm static hybrid`: MiniLM,
the default; the static model distilled from it; static with MiniLM for the claim pairs that
need it; storyweave/embeddings.py: STAGE_MODELS says which stage uses which model).
`--pool auto off`: with --workers 0, a run with the local process pool (the default) and one all
in one process, to measure what the pool gives.
Run: python benchmarks/bench_e2e.py [--n 1000] [--floor-n 300] [--workers 0] [--embeddings minilm static hybrid]
     [--pool auto off]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _descendants(root: int) -> dict[int, list[str]]:
    """The /proc stat fields (after the name) of `root`'s live descendants."""
    stats: dict[int, list[str]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            stats[int(stat.parent.name)] = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
    tree, frontier = set(), {root}
    while frontier:
        frontier = {p for p, f in stats.items() if int(f[1]) in frontier and p not in tree}
        tree |= frontier
    return {p: stats[p] for p in tree}


def tree_rss_mb(root: int) -> float:
    """Resident MB of `root` and all its descendants now (from /proc)."""
    pages = sum(int(f[21]) for f in _descendants(root).values())
    own = int(Path("/proc/self/statm").read_text().split()[1])
    return (pages + own) * os.sysconf("SC_PAGE_SIZE") / 2**20


class TreePeak:
    """The largest `tree_rss_mb` of this process seen by a sampling thread."""

    def __init__(self, every_s: float = 0.2):
        self.peak, self.every_s = 0.0, every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(self.every_s):
            self.peak = max(self.peak, tree_rss_mb(os.getpid()))

    def __enter__(self) -> "TreePeak":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def cpu_s() -> float:
    """User + system CPU seconds of this process and its threads, of every child process (with
    its descendants) that has ended and been waited for, and of the live ones so far."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    ended = resource.getrusage(resource.RUSAGE_CHILDREN)
    live = sum(int(f[11]) + int(f[12]) for f in _descendants(os.getpid()).values()) / os.sysconf("SC_CLK_TCK")
    return own.ru_utime + own.ru_stime + ended.ru_utime + ended.ru_stime + live


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    ids = [i for i in gold if i in pred]
    by_pred: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for i in ids:
        by_pred[pred[i]].add(i)
        by_gold[gold[i]].add(i)
    p = sum(len(by_pred[pred[i]] & by_gold[gold[i]]) / len(by_pred[pred[i]]) for i in ids) / len(ids)
    r = sum(len(by_pred[pred[i]] & by_gold[gold[i]]) / len(by_gold[gold[i]]) for i in ids) / len(ids)
    return p, r, 2 * p * r / (p + r)


def child_pipeline(corpus: Path, work: Path, workers: int, embeddings: str, pool: str = "auto") -> dict:
    from storyweave import pipeline

    from storyweave.config import Settings
    from storyweave.store import Store

    stages: dict[str, float] = Counter()
    cpu: dict[str, float] = Counter()
    names = {"ingest": "ingest", "read_missing": "read", "cluster_unplaced": "cluster", "write_dossiers": "dossiers"}
    for fn_name, stage in names.items():
        original = getattr(pipeline, fn_name)

        def timed(*args, _original=original, _stage=stage, **kwargs):
            start, start_cpu = time.perf_counter(), cpu_s()
            try:
                return _original(*args, **kwargs)
            finally:
                stages[_stage] += time.perf_counter() - start
                cpu[_stage] += cpu_s() - start_cpu

        setattr(pipeline, fn_name, timed)
    settings = Settings(db=str(work / "bench.db"), out=str(work / "out"), workers=workers, embeddings=embeddings,
                        local_pool=pool != "off")
    start, start_cpu = time.perf_counter(), cpu_s()
    with TreePeak() as tree:
        report = pipeline.run([str(corpus)], settings)
    wall, cpu_spent = time.perf_counter() - start, cpu_s() - start_cpu
    # Articles are stored under their own ids; the gold is keyed by the records' external ids.
    with Store(settings.db) as store:
        external = {a.id: (a.external_id or a.id) for a in store.articles()}
        pred = {external[aid]: s.id for s in store.stories() for aid in s.article_ids}
    gold = json.loads(corpus.with_suffix(".gold.json").read_text(encoding="utf-8"))
    p, r, f1 = bcubed(pred, gold)
    return {"wall": wall, "cpu": cpu_spent, "stages": dict(stages), "stage_cpu": dict(cpu), "articles": len(report.added),
            "stories": len(report.stories), "dossiers": report.dossiers_written, "failures": len(report.failures),
            "peak_mb": max(peak_rss_mb(), tree.peak), "bcubed": [p, r, f1]}


def child_floor(corpus: Path, limit: int) -> dict:
    from storyweave.embeddings import embed
    from storyweave.nlp.model import load_full_pipeline

    texts = []
    with corpus.open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            texts.append(f"{record['title']}\n\n{record['text']}")
            if len(texts) >= limit:
                break
    start, start_cpu = time.perf_counter(), cpu_s()
    nlp = load_full_pipeline()
    for _doc in nlp.pipe(texts, batch_size=16):
        pass
    spacy_s, spacy_cpu = time.perf_counter() - start, cpu_s() - start_cpu
    mid, mid_cpu = time.perf_counter(), cpu_s()
    embed(texts)
    embed_s, embed_cpu = time.perf_counter() - mid, cpu_s() - mid_cpu
    return {"wall": spacy_s + embed_s, "cpu": spacy_cpu + embed_cpu, "spacy": spacy_s, "embed": embed_s,
            "spacy_cpu": spacy_cpu, "embed_cpu": embed_cpu, "articles": len(texts), "peak_mb": peak_rss_mb()}


def _in_child(*args: str) -> dict:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode != 0:
        raise SystemExit(f"child {args[:2]} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="articles in the corpus")
    parser.add_argument("--floor-n", type=int, default=300, help="articles the floor is measured on (a prefix)")
    parser.add_argument("--workers", type=int, nargs="+", default=[0], help="pipeline runs, one per worker count")
    parser.add_argument("--embeddings", nargs="+", default=["minilm", "static"],
                        help="pipeline runs, one per embedding setting (Settings.embeddings)")
    parser.add_argument("--pool", nargs="+", choices=["auto", "off"], default=["auto"],
                        help="with --workers 0: the process pool for 200+ articles (auto), or all in one process (off)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child", choices=["pipeline", "floor"], help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "pipeline":
        print(json.dumps(child_pipeline(args.corpus, args.work, args.workers[0], args.embeddings[0], args.pool[0])))
        return
    if args.child == "floor":
        print(json.dumps(child_floor(args.corpus, args.floor_n)))
        return

    import newsgen

    with tempfile.TemporaryDirectory(prefix="storyweave-e2e-") as tmp:
        corpus = Path(tmp) / "news.jsonl"
        records, gold = newsgen.generate(args.n, args.seed)
        newsgen.write(records, gold, corpus)
        words = sum(len(r["text"].split()) for r in records) / len(records)
        print(f"corpus: {len(records)} articles, {len(set(gold.values()))} stories, {words:.0f} words on average "
              f"(newsgen seed {args.seed})")
        floor = _in_child("--child", "floor", "--corpus", str(corpus), "--floor-n", str(min(args.floor_n, args.n)))
        floor_rate = floor["articles"] / floor["wall"]
        floor_cpu_rate = floor["articles"] / floor["cpu"]
        print(f"floor (spaCy sm, all components + MiniLM per article) on {floor['articles']} articles: "
              f"{floor['wall']:.1f} s (spaCy {floor['spacy']:.1f} s, MiniLM {floor['embed']:.1f} s) "
              f"= {floor_rate:.2f} articles/s; CPU {floor['cpu']:.1f} s (spaCy {floor['spacy_cpu']:.1f} s, "
              f"MiniLM {floor['embed_cpu']:.1f} s); peak {floor['peak_mb']:.0f} MB")
        for workers, embeddings, pool in [(w, e, o) for w in args.workers for e in args.embeddings for o in args.pool]:
            work = Path(tmp) / f"run-w{workers}-{embeddings}-{pool}"
            work.mkdir()
            got = _in_child("--child", "pipeline", "--corpus", str(corpus), "--work", str(work),
                            "--workers", str(workers), "--embeddings", embeddings, "--pool", pool)
            rate = got["articles"] / got["wall"]
            floor_time = args.n / floor_rate
            stages = ", ".join(f"{k} {v:.1f} s (CPU {got['stage_cpu'][k]:.1f} s)" for k, v in got["stages"].items())
            p, r, f1 = got["bcubed"]
            print(f"pipeline.run, workers={workers}, embeddings={embeddings}, pool={pool}: {got['articles']} articles in {got['wall']:.1f} s = {rate:.2f} "
                  f"articles/s; time / floor's time {got['wall'] / floor_time:.2f}; CPU {got['cpu']:.1f} s "
                  f"= {got['cpu'] / got['articles']:.3f} s an article (floor's {1 / floor_cpu_rate:.3f}), "
                  f"CPU / floor's CPU {got['cpu'] / (args.n / floor_cpu_rate):.2f}; peak {got['peak_mb']:.0f} MB")
            print(f"  stages: {stages}")
            print(f"  {got['stories']} stories, {got['dossiers']} dossiers, {got['failures']} failures; "
                  f"story B-cubed P {p:.3f} R {r:.3f} F1 {f1:.3f} against the generator's gold")


if __name__ == "__main__":
    main()
