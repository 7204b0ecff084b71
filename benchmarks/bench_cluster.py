"""Story clustering quality on ECB+: B-cubed precision/recall/F1 of our stories against the gold
`event`, with two baselines measured in the same run on the same texts and vectors:

- TF-IDF + agglomerative clustering (average linkage, cosine), its distance threshold swept on
  this very set and the best reported (an optimistic baseline);
- BERTopic over the same MiniLM embeddings (UMAP + HDBSCAN, default settings, min_topic_size 3).

Our clusterer is online: articles arrive one at a time in a shuffled order (fixed seeds, ECB+ has
no publication dates). We report the mean and spread over several orders, and a split: the
logistic weights can be refitted on half the topics (--fit) and scored on the other half.

Run: python benchmarks/bench_cluster.py [--orders 5] [--fit] [--no-bertopic]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storyweave.cluster import ClusterSettings, place_batch, story_view  # noqa: E402
from storyweave.cluster.features import article_features  # noqa: E402
from storyweave.cluster.online import FEATURE_NAMES, Clusterer, ClusterState  # noqa: E402
from storyweave.model import Article  # noqa: E402

ECB = ROOT.parent / "shared" / "bench" / "ecbplus" / "ecbplus.jsonl"


def load_ecb(path: Path = ECB) -> tuple[list[Article], dict[str, str], dict[str, str]]:
    """Articles (headline = first line, no date: ECB+ states none), gold event and topic by id."""
    articles, gold, topic = [], {}, {}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text = row["text"]
        articles.append(Article(
            id=row["id"], source=f"ecbplus:{row['id']}", url=row.get("url"), body=text,
            raw_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        ))
        gold[row["id"]], topic[row["id"]] = row["event"], row["topic"]
    return articles, gold, topic


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    by_pred, by_gold = defaultdict(set), defaultdict(set)
    for item, c in pred.items():
        by_pred[c].add(item)
    for item in pred:
        by_gold[gold[item]].add(item)
    p = r = 0.0
    for item in pred:
        same = len(by_pred[pred[item]] & by_gold[gold[item]])
        p += same / len(by_pred[pred[item]])
        r += same / len(by_gold[gold[item]])
    n = len(pred)
    p, r = p / n, r / n
    return p, r, 2 * p * r / (p + r)


class VectorTable:
    """Embeds each distinct text once (MiniLM), then serves it to every run from memory."""

    CACHE = Path("/tmp/storyweave-bench-ecb-vectors.npz")  # reruns skip the slow embedding

    def __init__(self, texts: Sequence[str]):
        uniq = sorted(set(texts))
        key = hashlib.sha256("\x00".join(uniq).encode("utf-8")).hexdigest()
        data = np.load(self.CACHE) if self.CACHE.exists() else None
        if data is not None and str(data["key"]) == key:
            vecs, self.seconds, self.cached = data["vectors"], float(data["seconds"]), True
        else:
            from storyweave.embeddings import embed

            t0 = time.perf_counter()
            vecs = embed(uniq)
            self.seconds, self.cached = time.perf_counter() - t0, False
            np.savez(self.CACHE, key=key, vectors=vecs, seconds=self.seconds)
        self.count = len(uniq)
        self.table = {t: vecs[i] for i, t in enumerate(uniq)}

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self.table[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)


def shuffled(articles: list[Article], seed: int) -> list[Article]:
    out = list(articles)
    random.Random(seed).shuffle(out)
    return out


def run_ours(ordered: list[Article], embedder: VectorTable, settings: ClusterSettings) -> tuple[dict[str, str], int]:
    """Feed articles one per batch in the given order (a stream); return the assignment and merges."""
    state, merges = None, 0
    for article in ordered:
        state, events = place_batch([article], {}, state, settings=settings, embedder=embedder)
        merges += sum(e.kind == "merge" for e in events)
    stories, _ = story_view(state)
    return {aid: s.id for s in stories for aid in s.article_ids}, merges


class _GoldClusterer(Clusterer):
    """Places each article into its gold story, to collect (features, same-story) training pairs."""

    def __init__(self, state: ClusterState, settings: ClusterSettings, gold: dict[str, str]):
        super().__init__(state, settings)
        self.gold = gold
        self.story_of_event: dict[str, int] = {}
        self.pairs: list[tuple[np.ndarray, int]] = []

    def decide(self, article, scored):  # type: ignore[override]
        event = self.gold[article.id]
        for _, si, x in scored:
            self.pairs.append((x, int(si == self.story_of_event.get(event))))
        target = self.story_of_event.get(event)
        if target is None:
            self.story_of_event[event] = len(self.state.stories)  # the index the new story will get
        return target


def fit_weights(ordered: list[Article], embedder: VectorTable, gold: dict[str, str]) -> ClusterSettings:
    from sklearn.linear_model import LogisticRegression

    feats = [article_features(a) for a in ordered]
    vecs = embedder([f.embed_text for f in feats])
    base = ClusterSettings(merge_threshold=2.0, link_threshold=2.0)
    gc = _GoldClusterer(ClusterState(dim=vecs.shape[1]), base, gold)
    for i, (a, f) in enumerate(zip(ordered, feats)):
        gc.place(a, f, vecs[i])
    x = np.stack([p[0] for p in gc.pairs])
    y = np.array([p[1] for p in gc.pairs])
    model = LogisticRegression(C=10.0, max_iter=1000).fit(x, y)
    return ClusterSettings(weights=tuple(round(float(w), 3) for w in model.coef_[0]), bias=round(float(model.intercept_[0]), 3))


def tfidf_agglomerative(articles: list[Article], gold: dict[str, str]) -> tuple[float, tuple[float, float, float]]:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    x = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1).fit_transform([a.body for a in articles])
    dist = np.clip(1.0 - (x @ x.T).toarray(), 0.0, 2.0)  # rows are L2-normalised: cosine distance
    best = (0.0, (0.0, 0.0, 0.0))
    for thr in np.arange(0.50, 1.00, 0.01):
        labels = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average", distance_threshold=float(thr)).fit_predict(dist)
        score = bcubed({a.id: str(l) for a, l in zip(articles, labels)}, gold)
        if score[2] > best[1][2]:
            best = (float(thr), score)
    return best


def bertopic_baseline(articles: list[Article], embedder: VectorTable, gold: dict[str, str]) -> tuple[float, float, float]:
    from bertopic import BERTopic
    from umap import UMAP

    feats = [article_features(a) for a in articles]
    vecs = embedder([f.embed_text for f in feats])
    umap = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42)
    model = BERTopic(umap_model=umap, min_topic_size=3, calculate_probabilities=False)
    topics, _ = model.fit_transform([a.body for a in articles], embeddings=vecs)
    # HDBSCAN's outliers (-1) are each their own story, as an unclustered article would be.
    return bcubed({a.id: (str(t) if t != -1 else "o" + a.id) for a, t in zip(articles, topics)}, gold)


def _fmt(name: str, s: tuple[float, float, float]) -> str:
    return f"{name:<58} P={s[0]:.3f} R={s[1]:.3f} F1={s[2]:.3f}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--orders", type=int, default=5, help="shuffled arrival orders to average over")
    ap.add_argument("--fit", action="store_true", help="also refit weights on half the topics and score the other half")
    ap.add_argument("--no-bertopic", action="store_true")
    args = ap.parse_args()

    articles, gold, topic = load_ecb()
    print(f"ECB+: {len(articles)} texts, {len(set(gold.values()))} events, {len(set(topic.values()))} topics")
    texts = [article_features(a).embed_text for a in articles]
    table = VectorTable(texts)
    print(f"embedding (all-MiniLM-L6-v2, CPU): {table.count} texts in {table.seconds:.1f}s = "
          f"{table.count / table.seconds:.1f} texts/s" + (" (timed when first embedded; vectors from cache)" if table.cached else ""))

    settings = ClusterSettings()
    print(f"weights {dict(zip(FEATURE_NAMES, settings.weights))} bias {settings.bias} threshold {settings.threshold}")
    f1s, results = [], []
    t0 = time.perf_counter()
    for seed in range(args.orders):
        pred, merges = run_ours(shuffled(articles, seed), table, settings)
        score = bcubed(pred, gold)
        results.append(score)
        f1s.append(score[2])
        print(_fmt(f"ours, shuffled order seed={seed} ({len(set(pred.values()))} stories, {merges} merges)", score))
    elapsed = time.perf_counter() - t0
    mean = tuple(statistics.mean(r[i] for r in results) for i in range(3))
    print(_fmt(f"ours, mean over {args.orders} orders", mean) + f"  F1 range {min(f1s):.3f}-{max(f1s):.3f}")
    print(f"placement: {args.orders * len(articles) / elapsed:.0f} articles/s (one article per batch, vectors precomputed)")

    thr, agg = tfidf_agglomerative(articles, gold)
    print(_fmt(f"baseline TF-IDF + agglomerative average (thr {thr:.2f}, tuned here)", agg))
    if not args.no_bertopic:
        try:
            print(_fmt("baseline BERTopic (same MiniLM vectors, UMAP+HDBSCAN)", bertopic_baseline(articles, table, gold)))
        except ImportError as exc:
            print(f"baseline BERTopic skipped: {exc} (pip install '.[bench]')")

    if args.fit:
        topics = sorted(set(topic.values()), key=int)
        halves = (set(topics[0::2]), set(topics[1::2]))
        for name, train in (("even-indexed", halves[0]), ("odd-indexed", halves[1])):
            train_arts = [a for a in articles if topic[a.id] in train]
            test_arts = [a for a in articles if topic[a.id] not in train]
            fitted = fit_weights(shuffled(train_arts, 100), table, gold)
            test_scores = [bcubed(run_ours(shuffled(test_arts, s), table, fitted)[0], gold) for s in range(3)]
            default_scores = [bcubed(run_ours(shuffled(test_arts, s), table, settings)[0], gold) for s in range(3)]
            m = tuple(statistics.mean(r[i] for r in test_scores) for i in range(3))
            d = tuple(statistics.mean(r[i] for r in default_scores) for i in range(3))
            thr_t, agg_t = tfidf_agglomerative(train_arts, gold)
            from sklearn.cluster import AgglomerativeClustering
            from sklearn.feature_extraction.text import TfidfVectorizer
            xt = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform([a.body for a in test_arts])
            dt = np.clip(1.0 - (xt @ xt.T).toarray(), 0.0, 2.0)
            labels = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average", distance_threshold=thr_t).fit_predict(dt)
            agg_test = bcubed({a.id: str(l) for a, l in zip(test_arts, labels)}, gold)
            print(f"split: fit on {name} topics ({len(train_arts)} texts) -> weights {fitted.weights} bias {fitted.bias}")
            print(_fmt("  ours, fitted weights, held-out half (3 orders)", m))
            print(_fmt("  ours, shipped weights, same held-out half", d))
            print(_fmt(f"  TF-IDF agglomerative, thr {thr_t:.2f} tuned on train half", agg_test))


if __name__ == "__main__":
    main()
