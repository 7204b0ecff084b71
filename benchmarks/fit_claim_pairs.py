"""Fit the claim-pair model (compare/_align.py: PAIR_WEIGHTS, PAIR_BIAS) on the dev events.

Every candidate pair of sentences (the aligner's own blocking) of each dev event, read through
`storyweave run`, is labelled by the gold: positive when some gold fact lists both sentences.
A logistic regression is fitted; its precision and recall at several thresholds are estimated by
leave-one-event-out folds (each event scored by a model that never saw it), which is how ACCEPT
was chosen; then end to end: each event grouped by the aligner with the weights of the other
events, its claim pairs and facts counted as the scorer counts them (gold grouping), which is how
the other bars and rules of compare/_align.py were judged. The held-out events are never read here.

`--embeddings static` fits on the static model's cosines instead of MiniLM's (the events are then
read with that model too).

Run: python benchmarks/fit_claim_pairs.py [--embeddings minilm|static]
"""

from __future__ import annotations

import json
import sys
import tempfile
from itertools import combinations
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_claims import GOLD_DIR, load_scorer, prepare_event  # noqa: E402


def event_data(folder: Path, scorer_mod, tmp: Path, model: str = "minilm") -> dict:
    """An event's statements as the dossier reads them, their vectors, and the gold sentence ids
    each covers."""
    from storyweave.compare._align import statements_of
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
    gold_ids = [ev.match(src_of.get(s.article_id), s.text) for s in statements]
    return {"statements": statements, "vectors": vectors, "gold_ids": gold_ids, "fact_sets": ev.fact_sets}


def event_pairs(d: dict):
    """Every candidate pair's PAIR_FEATURES, labelled by the gold (some fact lists both)."""
    from storyweave.compare._align import PAIR_FEATURES, _Scorer, comparable_pairs

    statements, vectors, gold_ids = d["statements"], d["vectors"], d["gold_ids"]
    sc = _Scorer(statements, vectors)
    X, y = [], []
    for i, j in sorted(comparable_pairs(statements, vectors)):
        X.append(sc.features(i, j))
        y.append(any(gold_ids[i] & f and gold_ids[j] & f for f in d["fact_sets"]))
    assert len(X[0]) == len(PAIR_FEATURES) if X else True
    return np.array(X, dtype=float), np.array(y, dtype=int)


def grouped(d: dict) -> tuple[int, int, set[int]]:
    """The aligner's groups over an event: (claim pairs, right ones, gold facts some pair finds),
    as the scorer counts them on the gold grouping's dossier."""
    from storyweave.compare._align import group_statements

    statements, gold_ids, facts = d["statements"], d["gold_ids"], d["fact_sets"]
    row = {(s.article_id, s.index): r for r, s in enumerate(statements)}
    pairs = right = 0
    found: set[int] = set()
    for group in group_statements(statements, d["vectors"]).groups:
        for a, b in combinations(group.statements, 2):
            if a.article_id == b.article_id:
                continue
            i, j = row[(a.article_id, a.index)], row[(b.article_id, b.index)]
            hit = {k for k, f in enumerate(facts) if gold_ids[i] & f and gold_ids[j] & f}
            pairs += 1
            right += bool(hit)
            found |= hit
    multi = {k for k, f in enumerate(facts) if len({src for src, _ in f}) >= 2}
    return pairs, right, found & multi


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
    data, events = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for ev in dev:
            events[ev] = event_data(GOLD_DIR / "events" / ev, scorer_mod, Path(tmp), args.embeddings)
            data[ev] = event_pairs(events[ev])
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
    # End to end: each event grouped by the aligner (its thresholds, linkage and rules) with the
    # weights fitted on the other events; claim pairs and facts counted as the scorer counts them
    # on the gold grouping.
    from storyweave.compare import _align

    fitted = (_align.PAIR_WEIGHTS, _align.PAIR_BIAS)
    pairs = right = facts = found = 0
    for ev in dev:
        model = fit([e for e in dev if e != ev])
        _align.PAIR_WEIGHTS, _align.PAIR_BIAS = tuple(model.coef_[0]), float(model.intercept_[0])
        p, r, hit = grouped(events[ev])
        pairs, right, found = pairs + p, right + r, found + len(hit)
        facts += sum(len({src for src, _ in f}) >= 2 for f in events[ev]["fact_sets"])
    _align.PAIR_WEIGHTS, _align.PAIR_BIAS = fitted
    print(f"\nend to end, leave-one-event-out (gold grouping): claim-pair precision {right / max(pairs, 1):.3f} "
          f"({pairs} pairs, {pairs - right} wrong), fact recall {found / max(facts, 1):.3f} ({found} of {facts})")
    p, r, hit = (sum(x) for x in zip(*[(a, b, len(c)) for a, b, c in map(grouped, events.values())]))
    print(f"end to end, the weights in compare/_align.py: claim-pair precision {r / max(p, 1):.3f} "
          f"({p} pairs, {p - r} wrong), fact recall {hit / max(facts, 1):.3f} ({hit} of {facts})")
    model = fit(dev)
    print("\nPAIR_WEIGHTS = (" + ", ".join(f"{w:.3f}" for w in model.coef_[0]) + ")")
    print(f"PAIR_BIAS = {model.intercept_[0]:.3f}")
    for name, w in zip(PAIR_FEATURES, model.coef_[0]):
        print(f"  {name:18s} {w:+.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
