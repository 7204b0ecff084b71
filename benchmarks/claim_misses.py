"""Why gold facts go unpaired, and which pairs are wrong: the aligner's errors on the dev events, by kind.

For every dev event (benchmarks/gold/splits.json; the held-out events are refused), the articles
are read through `storyweave run`, then aligned as the dossier aligns them (gold grouping: all the
event's articles as one story). Each gold fact stated by two or more articles that no group pairs
is put in the class of the furthest step its best pair of sentences reached:

  no statement   a sentence is no comparable statement (too short, or split unlike the gold)
  fragment       a sentence is a headline-like fragment (no closing punctuation)
  no candidate   the pair is never scored (not an embedding neighbour, no shared rare key)
  no shared word the pair shares names but no other word (vetoed before scoring)
  below bar      scored, under every acceptance bar that applies to it
  grouping       accepted, but grouping kept them apart (one sentence per article, complete linkage)

Wrong pairs (two sentences one group holds that no gold fact lists together) are printed with
their features, to be read and put in kinds by hand.

Run: python benchmarks/claim_misses.py [--events ID...] [--show] [--cache DIR]
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import tempfile
from collections import Counter
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_claims import GOLD_DIR, load_scorer, prepare_event  # noqa: E402

CLASSES = ("grouping", "below bar", "no shared word", "no candidate", "fragment", "no statement")


def read_event(ev: str, tmp: Path, cache: Path | None):
    """(articles, readings) of a dev event as `storyweave run` reads them (cached by event)."""
    from storyweave.store import Store

    if cache and (cache / f"{ev}.pkl").exists():
        return pickle.loads((cache / f"{ev}.pkl").read_bytes())
    settings, _ = prepare_event(GOLD_DIR / "events" / ev, tmp)
    with Store(settings.db) as store:
        arts = store.articles()
        out = (arts, store.readings())
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
        (cache / f"{ev}.pkl").write_bytes(pickle.dumps(out))
    return out


def analyse(ev: str, scorer_mod, tmp: Path, cache: Path | None, show: bool) -> tuple[Counter, list]:
    from storyweave.compare._align import (
        _is_fragment,
        _Scorer,
        align,
        comparable_pairs,
        embedding_text,
        statements_of,
    )
    from storyweave.embeddings import embed

    folder = GOLD_DIR / "events" / ev
    articles = json.loads((folder / "articles.json").read_text(encoding="utf-8"))
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    gev = scorer_mod.Event(gold, articles)
    arts, readings = read_event(ev, tmp, cache)
    src_of = {a.id: gev.map_article({"title": a.title, "outlet": a.outlet}) for a in arts}
    statements = [st for a in arts if a.id in readings for st in statements_of(a, readings[a.id])]
    vectors = embed([embedding_text(s.text) for s in statements])
    sc = _Scorer(statements, vectors)
    candidates = comparable_pairs(statements, vectors)
    gold_ids = [gev.match(src_of.get(s.article_id), s.text) for s in statements]
    rows_of: dict = {}
    for row, ids in enumerate(gold_ids):
        for gid in ids:
            rows_of.setdefault(gid, []).append(row)
    alignment = align(arts, readings, embedder=embed)
    group_of = {}
    for g, grp in enumerate(alignment.groups):
        for st in grp.statements:
            group_of[(st.article_id, st.index)] = g
    row_group = [group_of.get((s.article_id, s.index)) for s in statements]

    classes: Counter = Counter()
    found = set()
    for k, fset in enumerate(gev.fact_sets):
        for i, j in combinations(range(len(statements)), 2):
            if (statements[i].article_id != statements[j].article_id and row_group[i] is not None
                    and row_group[i] == row_group[j] and gold_ids[i] & fset and gold_ids[j] & fset):
                found.add(k)
                break
    misses = []
    for k, fset in enumerate(gev.fact_sets):
        if len({a for a, _ in fset}) < 2 or k in found:
            continue
        best, best_detail = len(CLASSES), None
        for (sa, ia), (sb, ib) in combinations(sorted(fset), 2):
            if sa == sb:
                continue
            ra, rb = rows_of.get((sa, ia), []), rows_of.get((sb, ib), [])
            if not ra or not rb:
                cls, detail = "no statement", ((sa, ia), (sb, ib), None)
                best, best_detail = min((best, best_detail), (CLASSES.index(cls), detail), key=lambda t: t[0])
                continue
            for i in ra:
                for j in rb:
                    pair = (min(i, j), max(i, j))
                    if _is_fragment(statements[i].text) or _is_fragment(statements[j].text):
                        cls = "fragment"
                    elif pair not in candidates:
                        cls = "no candidate"
                    elif not statements[i].terms & statements[j].terms:
                        cls = "no shared word"
                    elif not sc.accepts(*pair):
                        cls = "below bar"
                    else:
                        cls = "grouping"
                    c = CLASSES.index(cls)
                    if c < best or (c == best and best_detail and best_detail[2] is not None
                                    and sc.score(*pair) > best_detail[3]):
                        best, best_detail = c, ((sa, ia), (sb, ib), pair, sc.score(*pair))
        cls = CLASSES[best]
        classes[cls] += 1
        misses.append((cls, gold["facts"][k]["fact"], best_detail))
        if show:
            print(f"  [{cls}] {gold['facts'][k]['fact']}")
            if best_detail and best_detail[2] is not None:
                i, j = best_detail[2]
                f = sc.features(i, j)
                print(f"      score {sc.score(i, j):.3f} cos {f[0]:.2f} wj {f[1]:.2f} num {f[4]:.2f} names {f[6]:.2f} "
                      f"cov {f[7]:.2f} mutual {f[8]:.0f}")
                print(f"      A: {statements[i].text[:220]}")
                print(f"      B: {statements[j].text[:220]}")
                for x in (i, j):
                    if row_group[x] is not None:
                        others = [s.text[:100] for s in alignment.groups[row_group[x]].statements if s is not statements[x]]
                        if others:
                            print(f"      {'A' if x == i else 'B'} grouped with: {others}")
            elif best_detail:
                (sa, ia), (sb, ib) = best_detail[0], best_detail[1]
                print(f"      A {sa}:{ia}: {articles[sa]['sentences'][ia][:200]}")
                print(f"      B {sb}:{ib}: {articles[sb]['sentences'][ib][:200]}")
    wrong = []
    for grp in alignment.groups:
        for a, b in combinations(grp.statements, 2):
            if a.article_id == b.article_id:
                continue
            i, j = statements.index(a), statements.index(b)
            if any(gold_ids[i] & f and gold_ids[j] & f for f in gev.fact_sets):
                continue
            wrong.append((a.text, b.text, sc.score(i, j)))
            if show:
                f = sc.features(i, j)
                print(f"  WRONG score {sc.score(i, j):.3f} cos {f[0]:.2f} wj {f[1]:.2f} num {f[4]:.2f} names {f[6]:.2f} "
                      f"cov {f[7]:.2f} mutual {f[8]:.0f}")
                print(f"      A: {a.text[:220]}")
                print(f"      B: {b.text[:220]}")
    n_multi = sum(len({a for a, _ in f}) >= 2 for f in gev.fact_sets)
    print(f"{ev:12s} facts {n_multi:3d} found {len(found & {k for k, f in enumerate(gev.fact_sets) if len({a for a, _ in f}) >= 2}):3d}  "
          + "  ".join(f"{c} {classes[c]}" for c in CLASSES if classes[c]) + f"  wrong pairs {len(wrong)}", flush=True)
    return classes, wrong


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", nargs="*")
    ap.add_argument("--show", action="store_true", help="print each missed fact and wrong pair")
    ap.add_argument("--cache", type=Path, help="keep each event's readings here between runs")
    args = ap.parse_args()
    splits = json.loads((GOLD_DIR / "splits.json").read_text())
    dev = splits["dev"]
    events = args.events or dev
    if set(events) - set(dev):
        sys.exit("only dev events are analysed here")
    scorer_mod = load_scorer()
    total: Counter = Counter()
    n_wrong = 0
    with tempfile.TemporaryDirectory() as tmp:
        for ev in events:
            classes, wrong = analyse(ev, scorer_mod, Path(tmp), args.cache, args.show)
            total += classes
            n_wrong += len(wrong)
    print("\nmissed facts by class: " + "  ".join(f"{c} {total[c]}" for c in CLASSES) + f"  (all {sum(total.values())})")
    print(f"wrong pairs: {n_wrong}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
