"""Fit the claim-pair model (compare/_align.py: PAIR_WEIGHTS, PAIR_BIAS) on the dev events.

Every candidate pair of sentences (the aligner's own blocking) of each dev event, read through
`storyweave run`, is labelled by the gold: positive when some gold fact lists both sentences.
A logistic regression is fitted; its precision and recall at several thresholds are estimated by
leave-one-event-out folds (each event scored by a model that never saw it), which is how ACCEPT
was chosen. The held-out events are never read here.

`--embeddings static` fits on the static model's cosines instead of MiniLM's (the events are then
read with that model too).

Run: python benchmarks/fit_claim_pairs.py [--embeddings minilm|static]
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_claims import GOLD_DIR, load_scorer, prepare_event  # noqa: E402


def event_pairs(folder: Path, scorer_mod, tmp: Path, model: str = "minilm"):
    from storyweave.compare._align import (
        PAIR_FEATURES,
        _Scorer,
        comparable_pairs,
        statements_of,
    )
    from storyweave.compare._text import normalise
    from storyweave.embeddings import embed
    from storyweave.store import Store

    articles = json.loads((folder / "articles.json").read_text(encoding="utf-8"))
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    ev = scorer_mod.Event(gold, articles)
    settings, _ = prepare_event(folder, tmp)
    with Store(settings.db) as store:
        arts = store.articles()
        readings = store.readings()
    src_of = {a.id: ev.map_article({"title": a.title, "outlet": a.outlet}) for a in arts}
    statements = [st for a in arts if a.id in readings for st in statements_of(a, readings[a.id])]
    vectors = embed([normalise(s.text)[:1500] for s in statements], kind=model)
    sc = _Scorer(statements, vectors)
    gold_ids = [ev.match(src_of.get(s.article_id), s.text) for s in statements]
    X, y = [], []
    for i, j in sorted(comparable_pairs(statements, vectors)):
        X.append(sc.features(i, j))
        y.append(any(gold_ids[i] & f and gold_ids[j] & f for f in ev.fact_sets))
    assert len(X[0]) == len(PAIR_FEATURES) if X else True
    return np.array(X, dtype=float), np.array(y, dtype=int)


def main() -> int:
    from sklearn.linear_model import LogisticRegression

    from storyweave.compare._align import PAIR_FEATURES

    import argparse
    import os

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--embeddings", choices=["minilm", "static"], default="minilm")
    args = ap.parse_args()
    os.environ["STORYWEAVE_EMBEDDINGS"] = args.embeddings
    scorer_mod = load_scorer()
    dev = json.loads((GOLD_DIR / "splits.json").read_text())["dev"]
    data = {}
    with tempfile.TemporaryDirectory() as tmp:
        for ev in dev:
            data[ev] = event_pairs(GOLD_DIR / "events" / ev, scorer_mod, Path(tmp), args.embeddings)
            print(f"{ev:12s} {len(data[ev][1]):5d} candidate pairs, {data[ev][1].sum():4d} positive", flush=True)

    def fit(evs):
        X = np.vstack([data[e][0] for e in evs])
        y = np.concatenate([data[e][1] for e in evs])
        return LogisticRegression(C=1.0, max_iter=2000).fit(X, y)

    probs, labels = [], []
    for ev in dev:  # leave one event out
        model = fit([e for e in dev if e != ev])
        probs.append(model.predict_proba(data[ev][0])[:, 1])
        labels.append(data[ev][1])
    p, y = np.concatenate(probs), np.concatenate(labels)
    print(f"\nleave-one-event-out over {len(dev)} dev events ({y.sum()} positive of {len(y)} pairs):")
    print("threshold  precision  recall(of positive candidate pairs)")
    for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        sel = p >= t
        prec = y[sel].mean() if sel.any() else float("nan")
        print(f"  {t:.1f}      {prec:.3f}      {y[sel].sum() / max(y.sum(), 1):.3f}")
    model = fit(dev)
    print("\nPAIR_WEIGHTS = (" + ", ".join(f"{w:.3f}" for w in model.coef_[0]) + ")")
    print(f"PAIR_BIAS = {model.intercept_[0]:.3f}")
    for name, w in zip(PAIR_FEATURES, model.coef_[0]):
        print(f"  {name:18s} {w:+.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
