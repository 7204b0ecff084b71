"""Story clustering quality on ECB+ along the path users run: ingest -> clean -> read -> cluster.

Each ECB+ text goes through the pipeline's own `ingest` (JSONL reader, cleaning, SQLite store)
and `read_missing` (spaCy reading) once; those articles and readings are then placed by the
pipeline's own `cluster_unplaced` into a fresh SQLite store in several arrival orders:

- `run`: the whole file in one batch, as `storyweave run ecbplus.jsonl` places it;
- `shuffled seed=N`: the texts arrive in a shuffled order, `--batch` at a time, each batch
  clustered incrementally on the stored state (as repeated runs or API uploads do).

Scores are B-cubed precision, recall and F1 of the stories against the gold `event`, per item
and averaged over the items of each half of the topics (`gold/ecb_topic_split.json`, fixed
before tuning: weights and rules are tuned on the fitted half only; the held-out half is only
scored). Baseline in the same run: TF-IDF + agglomerative average linkage over the same clean
bodies, its threshold tuned on the fitted half and applied to each half.

The readings (minutes on a small CPU) are cached in /tmp for iterations (`--fresh` reads anew,
`--cache FILE` keeps them apart from other checkouts);
Vectors are memoised per distinct text within a run (same model, same numbers); the model is
the one $STORYWEAVE_EMBEDDINGS gives clustering (storyweave/embeddings.py: STAGE_MODELS).
`--fit` prints logistic weights fitted on the fitted half (gold placements of its articles).
`--stories-json FILE --db DB` scores the output of `storyweave stories --json` instead.
`--errors` lists, per arrival order and half, the stories that hold two gold events and the gold
events spread over several stories, with counts by kind.
`--tune` is the quick loop for tuning: only the fitted half's articles, placed in the same orders
by `cluster.place_batch` on the in-memory state (the store's round trip left out: seconds, not
minutes), with `--settings '{"threshold": 0.35}'` overriding ClusterSettings; it never places or
scores a held-out article. Figures to report come from the full run, not from this loop.

Run: python benchmarks/bench_cluster.py [--orders 3] [--batch 10] [--fresh] [--fit]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import random
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storyweave import embeddings, nlp, pipeline  # noqa: E402
from storyweave.cluster import place_batch, story_view  # noqa: E402
from storyweave.cluster.features import article_features  # noqa: E402
from storyweave.cluster.online import FEATURE_NAMES, Clusterer, ClusterSettings, ClusterState  # noqa: E402
from storyweave.config import Settings  # noqa: E402
from storyweave.model import Article, RawDocument, Reading  # noqa: E402
from storyweave.store import Store  # noqa: E402

ECB = ROOT.parent / "shared" / "bench" / "ecbplus" / "ecbplus.jsonl"
SPLIT = Path(__file__).resolve().parent / "gold" / "ecb_topic_split.json"
CACHE = Path("/tmp/storyweave-bench-ecb-readings.pkl")

Score = tuple[float, float, float]


@dataclass
class Corpus:
    raws: dict[str, RawDocument]  # article id -> the raw record it was cleaned from
    articles: list[Article]  # in the order the pipeline stored them
    readings: dict[str, Reading]
    gold: dict[str, str]  # article id -> gold event
    topic: dict[str, str]
    read_seconds: float
    cached: bool


def read_corpus(path: Path, fresh: bool, cache: Path = CACHE) -> Corpus:
    """Ingest, clean and read every ECB+ line through the pipeline into a scratch store."""
    key = hashlib.sha256(path.read_bytes() + nlp.READER_VERSION.encode()).hexdigest()
    if not fresh and cache.exists():
        with cache.open("rb") as fh:
            cached = pickle.load(fh)
        if cached.get("key") == key:
            corpus = cached["corpus"]
            corpus.cached = True
            return corpus
    rows = {str(json.loads(line)["id"]): json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()}
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, Store(str(Path(tmp) / "read.db")) as store:
        report = pipeline.RunReport()
        pipeline.ingest(store, [str(path)], Settings(db=str(Path(tmp) / "read.db"), out=tmp), report)
        pipeline.read_missing(store, report)
        articles = store.articles()
        readings = store.readings()
        raws = {a.id: store.raw(a.raw_sha256) for a in articles}
    seconds = time.perf_counter() - t0
    if report.failures:
        print(f"warning: {len(report.failures)} records failed: {report.failures[:3]}")
    gold = {a.id: rows[a.external_id]["event"] for a in articles}
    topic = {a.id: rows[a.external_id]["topic"] for a in articles}
    corpus = Corpus(raws, articles, readings, gold, topic, seconds, False)
    with cache.open("wb") as fh:
        pickle.dump({"key": key, "corpus": corpus}, fh)
    return corpus


def memoise_embeddings() -> None:
    """Each distinct text embedded once per run: the clusterer's default embedder calls
    storyweave.embeddings.embed, which now answers repeats from memory."""
    real, memo = embeddings.embed, {}

    def embed(texts, batch_size: int = 64, kind: str = "minilm"):
        todo = [t for t in dict.fromkeys(texts) if (kind, t) not in memo]
        if todo:
            memo.update(((kind, t), v) for t, v in zip(todo, real(todo, batch_size, kind=kind)))
        return np.stack([memo[kind, t] for t in texts]) if len(texts) else real([], kind=kind)

    embeddings.embed = pipeline.embed = embed


def place_in_order(corpus: Corpus, ids: list[str], batch: int) -> tuple[dict[str, str], Counter]:
    """A fresh store receives the articles `batch` at a time in this order; after each batch the
    pipeline's cluster_unplaced places them. Returns article -> story and the event counts."""
    by_id = {a.id: a for a in corpus.articles}
    with tempfile.TemporaryDirectory() as tmp, Store(str(Path(tmp) / "order.db")) as store:
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            for aid in chunk:
                store.add_article(corpus.raws[aid], by_id[aid])
            store.put_readings([corpus.readings[aid] for aid in chunk if aid in corpus.readings])
            pipeline.cluster_unplaced(store, pipeline.RunReport())
        stories = store.stories()
        kinds = Counter(e.kind for e in store.cluster_events())
    return {aid: s.id for s in stories for aid in s.article_ids}, kinds


def place_in_memory(corpus: Corpus, ids: list[str], batch: int, settings: ClusterSettings) -> tuple[dict[str, str], Counter]:
    """place_in_order without the store: the clusterer's state carried between batches in memory."""
    by_id = {a.id: a for a in corpus.articles}
    state, kinds = None, Counter()
    for start in range(0, len(ids), batch):
        state, events = place_batch([by_id[i] for i in ids[start : start + batch]], corpus.readings, state, settings=settings)
        kinds.update(e.kind for e in events)
    stories, _ = story_view(state) if state is not None else ([], [])
    return {aid: s.id for s in stories for aid in s.article_ids}, kinds


def bcubed_items(pred: dict[str, str], gold: dict[str, str]) -> dict[str, tuple[float, float]]:
    """Per item B-cubed (precision, recall) over whole clusters."""
    by_pred, by_gold = defaultdict(set), defaultdict(set)
    for item, c in pred.items():
        by_pred[c].add(item)
        by_gold[gold[item]].add(item)
    out = {}
    for item in pred:
        same = len(by_pred[pred[item]] & by_gold[gold[item]])
        out[item] = (same / len(by_pred[pred[item]]), same / len(by_gold[gold[item]]))
    return out


def mean_score(per_item: dict[str, tuple[float, float]], items: set[str]) -> Score:
    ps = [per_item[i][0] for i in items]
    rs = [per_item[i][1] for i in items]
    p, r = statistics.mean(ps), statistics.mean(rs)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def halves(corpus: Corpus) -> dict[str, set[str]]:
    split = json.loads(SPLIT.read_text(encoding="utf-8"))
    fitted, held = set(split["fitted"]), set(split["held_out"])
    return {
        "fitted": {a for a, t in corpus.topic.items() if t in fitted},
        "held-out": {a for a, t in corpus.topic.items() if t in held},
        "all": set(corpus.topic),
    }


def tfidf_baseline(corpus: Corpus, parts: dict[str, set[str]]) -> tuple[float, dict[str, Score]]:
    """TF-IDF average linkage over the clean bodies, threshold tuned on the fitted half."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    arts = corpus.articles
    x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform([a.body for a in arts])
    dist = np.clip(1.0 - (x @ x.T).toarray(), 0.0, 2.0)
    best: tuple[float, float, dict] = (-1.0, 0.0, {})
    for thr in np.arange(0.50, 1.00, 0.02):
        labels = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                         distance_threshold=float(thr)).fit_predict(dist)
        per = bcubed_items({a.id: str(l) for a, l in zip(arts, labels)}, corpus.gold)
        f = mean_score(per, parts["fitted"])[2]
        if f > best[0]:
            best = (f, float(thr), per)
    return best[1], {name: mean_score(best[2], items) for name, items in parts.items()}


class _GoldClusterer(Clusterer):
    """Places each article into its gold story, collecting (features, same story) pairs."""

    def __init__(self, state: ClusterState, settings: ClusterSettings, gold: dict[str, str]):
        super().__init__(state, settings)
        self.gold, self.story_of_event, self.pairs = gold, {}, []

    def decide(self, article, scored):  # type: ignore[override]
        target = self.story_of_event.get(self.gold[article.id])
        for _, si, x in scored:
            self.pairs.append((x, int(si == target)))
        if target is None:
            self.story_of_event[self.gold[article.id]] = len(self.state.stories)
        return target


def fit_weights(corpus: Corpus, items: set[str], seeds: int = 3) -> ClusterSettings:
    from sklearn.linear_model import LogisticRegression

    pairs = []
    arts = [a for a in corpus.articles if a.id in items]
    feats = {a.id: article_features(a, corpus.readings.get(a.id)) for a in arts}
    vecs = dict(zip(feats, embeddings.embed([f.embed_text for f in feats.values()])))
    for seed in range(seeds):
        order = list(arts)
        random.Random(100 + seed).shuffle(order)
        gc = _GoldClusterer(ClusterState(dim=embeddings.DIM), ClusterSettings(merge_threshold=2.0, link_threshold=2.0), corpus.gold)
        for a in order:
            gc.place(a, feats[a.id], vecs[a.id])
        pairs += gc.pairs
    x = np.stack([p[0] for p in pairs])
    y = np.array([p[1] for p in pairs])
    model = LogisticRegression(C=10.0, max_iter=2000).fit(x, y)
    return ClusterSettings(weights=tuple(round(float(w), 3) for w in model.coef_[0]), bias=round(float(model.intercept_[0]), 3))


def error_kinds(pred: dict[str, str], corpus: Corpus, parts: dict[str, set[str]]) -> list[str]:
    """Where the F1 is lost: stories holding two gold events (look-alikes of one topic, or of two
    topics) and events spread over several stories (a lone article left out, or sizeable parts)."""
    by_story, by_event = defaultdict(list), defaultdict(list)
    for aid, sid in pred.items():
        by_story[sid].append(aid)
        by_event[corpus.gold[aid]].append(aid)
    kinds: Counter = Counter()
    lines = []
    for sid, aids in by_story.items():
        events = Counter(corpus.gold[a] for a in aids)
        if len(events) > 1:
            half = "fitted" if aids[0] in parts["fitted"] else "held-out"
            kind = "merge: look-alikes of one topic" if len({corpus.topic[a] for a in aids}) == 1 else "merge: two topics"
            kinds[half, kind] += 1
            lines.append(f"    {half:<8} {kind:<34} {sid}: {dict(events.most_common())}")
    for event, aids in by_event.items():
        sizes = sorted(Counter(pred[a] for a in aids).values(), reverse=True)
        if len(sizes) > 1:
            half = "fitted" if aids[0] in parts["fitted"] else "held-out"
            kind = "split: lone articles left out" if max(sizes[1:]) == 1 else "split: into sizeable parts"
            kinds[half, kind] += 1
            lines.append(f"    {half:<8} {kind:<34} {event}: story sizes {sizes}")
    summary = [f"  {half:<8} {kind:<34} {n}" for (half, kind), n in sorted(kinds.items())]
    return summary + sorted(lines)


def _fmt(name: str, s: Score) -> str:
    return f"  {name:<40} P={s[0]:.3f} R={s[1]:.3f} F1={s[2]:.3f}"


def score_cli_output(stories_json: Path, db: str, path: Path) -> None:
    rows = {str(json.loads(line)["id"]): json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()}
    with Store(db, create=False) as store:
        external = {a.id: a.external_id for a in store.articles()}
    stories = json.loads(stories_json.read_text(encoding="utf-8"))
    pred = {aid: s["id"] for s in stories for aid in s["article_ids"]}
    gold = {aid: rows[external[aid]]["event"] for aid in pred}
    topic = {aid: rows[external[aid]]["topic"] for aid in pred}
    split = json.loads(SPLIT.read_text(encoding="utf-8"))
    per = bcubed_items(pred, gold)
    print(f"storyweave stories --json: {len(stories)} stories for {len(set(gold.values()))} events, {len(pred)} articles")
    for name, topics in (("fitted", split["fitted"]), ("held-out", split["held_out"])):
        print(_fmt(name, mean_score(per, {a for a in pred if topic[a] in set(topics)})))
    print(_fmt("all", mean_score(per, set(pred))))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--orders", type=int, default=3, help="shuffled arrival orders (besides the one-batch run)")
    ap.add_argument("--batch", type=int, default=10, help="articles per incremental batch in shuffled orders")
    ap.add_argument("--fresh", action="store_true", help="read the texts anew instead of from the /tmp cache")
    ap.add_argument("--cache", type=Path, default=CACHE, help="where readings are cached (other checkouts share the default)")
    ap.add_argument("--fit", action="store_true", help="print weights fitted on the fitted half")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--stories-json", type=Path, help="score `storyweave stories --json` output (needs --db)")
    ap.add_argument("--db")
    ap.add_argument("--errors", action="store_true", help="list merged and split gold events per order")
    ap.add_argument("--tune", action="store_true", help="quick loop on the fitted half only, in memory")
    ap.add_argument("--settings", default="{}", help="ClusterSettings fields as JSON, for --tune")
    args = ap.parse_args()
    if args.stories_json:
        score_cli_output(args.stories_json, args.db, ECB)
        return

    corpus = read_corpus(ECB, args.fresh, args.cache)
    parts = halves(corpus)
    print(f"ECB+ through ingest, clean, read: {len(corpus.articles)} articles, {len(set(corpus.gold.values()))} events, "
          f"{len(set(corpus.topic.values()))} topics ({len(parts['fitted'])} fitted / {len(parts['held-out'])} held-out articles); "
          f"read in {corpus.read_seconds:.0f}s" + (" (readings from cache)" if corpus.cached else ""))
    memoise_embeddings()
    if args.fit:
        fitted = fit_weights(corpus, parts["fitted"])
        print(f"fitted on the fitted half: weights={fitted.weights} bias={fitted.bias}")
        print(dict(zip(FEATURE_NAMES, fitted.weights)))

    articles = [a for a in corpus.articles if not args.tune or a.id in parts["fitted"]]
    runs: list[tuple[str, list[str], int]] = [("run (one batch, as storyweave run)", [a.id for a in articles], len(articles))]
    for seed in range(args.orders):
        ids = [a.id for a in articles]
        random.Random(seed).shuffle(ids)
        runs.append((f"shuffled seed={seed}, batches of {args.batch}", ids, args.batch))
    scores: dict[str, list[Score]] = defaultdict(list)
    for name, ids, batch in runs:
        t0 = time.perf_counter()
        if args.tune:
            pred, kinds = place_in_memory(corpus, ids, batch, ClusterSettings(**json.loads(args.settings)))
        else:
            pred, kinds = place_in_order(corpus, ids, batch)
        per = bcubed_items(pred, corpus.gold)
        print(f"{name}: {len(set(pred.values()))} stories, {kinds.get('merge', 0)} merges, {kinds.get('split', 0)} splits, "
              f"{time.perf_counter() - t0:.0f}s")
        for part, items in parts.items():
            if args.tune and part != "fitted":
                continue
            s = mean_score(per, items)
            print(_fmt(part, s))
            if name.startswith("shuffled"):
                scores[part].append(s)
        if args.errors:
            print("\n".join(error_kinds(pred, corpus, parts)))
    if args.orders:
        print(f"mean over {args.orders} shuffled orders:")
        for part, ss in scores.items():
            mean = tuple(statistics.mean(s[i] for s in ss) for i in range(3))
            print(_fmt(part, mean) + f"  F1 range {min(s[2] for s in ss):.3f}-{max(s[2] for s in ss):.3f}")
    if not args.no_baseline and not args.tune:
        thr, base = tfidf_baseline(corpus, parts)
        print(f"baseline TF-IDF + agglomerative average linkage (threshold {thr:.2f} tuned on the fitted half):")
        for part, s in base.items():
            print(_fmt(part, s))


if __name__ == "__main__":
    main()
