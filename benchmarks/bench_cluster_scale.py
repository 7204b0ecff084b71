"""Clustering cost as the corpus grows: articles/s and peak memory for 1k, 10k and 100k articles.

Corpus: built from real texts. Source documents are the 982 ECB+ texts (grouped by their gold
event) and the 181 AEB article bodies (each its own group). A synthetic article takes 6-14
sentences drawn from the documents of one group, in random order, under the headline of one of
them, with a fresh id and a date within 3 days of its group's (random) date. So every article
is real English news prose, and each group is a plausible story reported many times.

Vectors: embedding 100k texts with MiniLM on 2 shared cores would take hours, so the model is
timed on a sample of synthetic texts (reported as texts/s), and each synthetic article's vector
is the normalised mean of the MiniLM vectors of the source documents its sentences came from,
plus Gaussian noise (sigma 0.02 per dimension), renormalised. Placement, which is what must
stay flat, runs on all articles with those vectors.

Baseline, same run: the same clusterer with the HNSW candidate search replaced by an exact scan
of every stored vector (what a plain implementation does); its cost grows with the corpus.

Each size runs in a fresh subprocess so peak RSS (VmHWM) is that size's own; "RSS growth" is the
peak minus the RSS before placement (imports, source texts and vectors already loaded).
Run: python benchmarks/bench_cluster_scale.py [--sizes 1000 10000 100000] [--baseline-max 10000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storyweave.cluster import ClusterSettings, dump_state, place_batch  # noqa: E402
from storyweave.cluster.features import article_features  # noqa: E402
from storyweave.cluster.online import Clusterer  # noqa: E402
from storyweave.model import Article  # noqa: E402

BENCH = ROOT.parent / "shared" / "bench"
CACHE = Path("/tmp/storyweave-bench-cluster-vectors.npz")  # source-document vectors, reusable
_SENT = re.compile(r"(?<=[.!?])\s+|\n+")
BATCH = 1000


def source_groups() -> tuple[list[str], list[list[tuple[int, list[str]]]]]:
    """Source documents (headline + body) and, per group, (document index, sentences)."""
    docs: list[str] = []
    groups: dict[str, list[tuple[int, list[str]]]] = {}
    for line in (BENCH / "ecbplus" / "ecbplus.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        groups.setdefault("ecb:" + row["event"], []).append((len(docs), row["text"]))
        docs.append(row["text"])
    truth = json.loads((BENCH / "aeb" / "ground-truth.json").read_text(encoding="utf-8"))
    for key in sorted(truth):
        body = (truth[key].get("articleBody") or "").strip()
        if len(body) > 400:
            groups.setdefault("aeb:" + key, []).append((len(docs), body))
            docs.append(body)
    out = []
    for name in sorted(groups):
        out.append([(i, [s.strip() for s in _SENT.split(text) if len(s.strip()) > 20]) for i, text in groups[name]])
    return docs, out


def source_vectors(docs: list[str]) -> np.ndarray:
    texts = [article_features(Article(id=str(i), source="s", body=d, raw_sha256="0")).embed_text for i, d in enumerate(docs)]
    key = hashlib.sha256("\x00".join(texts).encode()).hexdigest()
    if CACHE.exists():
        data = np.load(CACHE)
        if str(data["key"]) == key:
            return data["vectors"]
    from storyweave.embeddings import embed

    vecs = embed(texts)
    np.savez(CACHE, key=key, vectors=vecs)
    return vecs


def synthetic(n: int, docs: list[str], groups, vecs: np.ndarray, seed: int = 0) -> tuple[list[Article], np.ndarray]:
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    base = dt.date(2015, 1, 1).toordinal()
    group_day = [base + rng.randrange(730) for _ in groups]
    arts, out = [], np.zeros((n, vecs.shape[1]), dtype=np.float32)
    for k in range(n):
        g = rng.randrange(len(groups))
        members = groups[g]
        picked: list[tuple[int, str]] = []
        for _ in range(rng.randint(6, 14)):
            di, sents = members[rng.randrange(len(members))]
            if sents:
                picked.append((di, sents[rng.randrange(len(sents))]))
        head_doc = members[rng.randrange(len(members))][0]
        title = docs[head_doc].strip().split("\n", 1)[0][:200]
        body = "\n".join(s for _, s in picked)
        day = dt.date.fromordinal(group_day[g] + rng.randrange(4)).isoformat()
        aid = hashlib.sha256(f"{seed}:{k}:{body}".encode()).hexdigest()[:16]
        arts.append(Article(id=aid, source=f"synthetic:{k}", title=title, body=body, published=day,
                            raw_sha256=hashlib.sha256(body.encode()).hexdigest()))
        v = vecs[[di for di, _ in picked] or [head_doc]].mean(axis=0) + nrng.normal(0, 0.02, vecs.shape[1])
        out[k] = v / np.linalg.norm(v)
    return arts, out


class ExactScanClusterer(Clusterer):
    """Baseline: candidates from an exact scan over every stored vector (no index)."""

    def __init__(self, state, settings):
        super().__init__(state, settings)
        self.matrix = np.zeros((1024, state.dim), dtype=np.float32)
        self.count = 0

    def candidates(self, vec):  # type: ignore[override]
        st, n = self.state, self.count
        if n == 0:
            return {}
        sims = self.matrix[:n] @ vec
        k = min(self.settings.neighbours, n)
        top = np.argpartition(-sims, k - 1)[:k]
        top = top[np.argsort(-sims[top], kind="stable")]
        found: dict[int, list[tuple[int, float]]] = {}
        for o in top:
            found.setdefault(st.story_of[int(o)], []).append((int(o), float(sims[o])))
        return found

    def place(self, article, feats, vec):  # type: ignore[override]
        story = super().place(article, feats, vec)
        if self.count == self.matrix.shape[0]:
            self.matrix = np.vstack([self.matrix, np.zeros_like(self.matrix)])
        self.matrix[self.count] = vec
        self.count += 1
        return story


def peak_rss_kb() -> int:
    """This process's peak resident memory. VmHWM, not getrusage's ru_maxrss: the latter keeps
    the parent's peak across fork+exec, and the parent holds the MiniLM model."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_size(n: int, exact: bool) -> dict:
    import storyweave.cluster as cl
    from storyweave.cluster.online import ClusterState

    docs, groups = source_groups()
    vecs = source_vectors(docs)
    arts, avecs = synthetic(n, docs, groups, vecs)
    table = {a.id: avecs[i] for i, a in enumerate(arts)}

    def embedder(texts, batch):  # the derived vectors, in the order place_batch asks for them
        return np.stack([table[a.id] for a in cl.arrival_order(batch)])

    rss0 = peak_rss_kb()
    settings = ClusterSettings()
    state = ClusterState(dim=vecs.shape[1])
    scan = ExactScanClusterer(state, settings) if exact else None
    per_batch = []
    t_all = time.perf_counter()
    for start in range(0, n, BATCH):
        batch = arts[start : start + BATCH]
        t0 = time.perf_counter()
        if scan is not None:  # same work as place_batch, with the exact-scan candidate search
            for a in cl.arrival_order(batch):
                scan.place(a, article_features(a), table[a.id])
        else:
            state, _ = place_batch(batch, {}, state, settings=settings, embedder=lambda t, b=batch: embedder(t, b))
        per_batch.append(time.perf_counter() - t0)
    total = time.perf_counter() - t_all
    t0 = time.perf_counter()
    blob = dump_state(state)
    dump_s = time.perf_counter() - t0
    rss1 = peak_rss_kb()
    alive = sum(1 for s in state.stories if s.merged_into is None)
    last = n - BATCH * (len(per_batch) - 1)
    return {
        "n": n, "exact": exact, "seconds": total, "articles_per_s": n / total,
        "ms_per_article_first_batch": 1000 * per_batch[0] / min(BATCH, n),
        "ms_per_article_last_batch": 1000 * per_batch[-1] / last,
        "peak_rss_mb": rss1 / 1024, "rss_growth_mb": (rss1 - rss0) / 1024,
        "state_mb": len(blob) / 2**20, "state_dump_s": dump_s, "stories": alive, "groups": len(groups),
    }


def time_embedding(sample: int = 200) -> float:
    from storyweave.embeddings import embed, load_model

    docs, groups = source_groups()
    arts, _ = synthetic(sample, docs, groups, np.zeros((len(docs), 384), np.float32) + 1.0, seed=99)
    texts = [article_features(a).embed_text for a in arts]
    load_model()
    t0 = time.perf_counter()
    embed(texts)
    return sample / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--baseline-max", type=int, default=10000, help="largest size for the exact-scan baseline")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--exact", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_size(args.child, args.exact)))
        return
    docs, groups = source_groups()
    source_vectors(docs)  # embed the source documents once, before the timed children
    print(f"sources: {len(docs)} real documents in {len(groups)} groups (ECB+ events, AEB articles)")
    rate = time_embedding()
    print(f"MiniLM embedding on this machine: {rate:.1f} texts/s (200 synthetic texts); "
          f"100k would take {100000 / rate / 60:.0f} min, so placement below uses derived vectors")
    print(f"{'articles':>9} {'candidates':>11} {'art/s':>7} {'ms/art first 1k':>16} {'ms/art last 1k':>15} "
          f"{'peak RSS MB':>12} {'RSS growth MB':>14} {'state MB':>9} {'stories':>8}")
    for n in args.sizes:
        for exact in ([False, True] if n <= args.baseline_max else [False]):
            cmd = [sys.executable, __file__, "--child", str(n)] + (["--exact"] if exact else [])
            out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
            r = json.loads(out)
            print(f"{r['n']:>9} {'exact scan' if exact else 'HNSW':>11} {r['articles_per_s']:>7.0f} "
                  f"{r['ms_per_article_first_batch']:>16.2f} {r['ms_per_article_last_batch']:>15.2f} "
                  f"{r['peak_rss_mb']:>12.0f} {r['rss_growth_mb']:>14.0f} {r['state_mb']:>9.1f} {r['stories']:>8}", flush=True)


if __name__ == "__main__":
    main()
