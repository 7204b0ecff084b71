"""Dossier quality on the development gold: the shared scorer's figures, dev and held-out apart.

Each event under benchmarks/gold/events/ (ECB+ articles annotated by
../shared/gold/GUIDELINE-claims.md; the split is fixed in benchmarks/gold/splits.json) goes
through the path users run: its articles as one JSON Lines file into `pipeline.run` (ingest,
clean, read, cluster, dossiers) on a fresh SQLite store. Two dossiers are scored per event with
benchmarks/gold/score_claims.py: the shared scorer with one correction (articles with the same
title are told apart by outlet; see its header); `--shared-scorer` uses the shipped copy:

  as run   the dossier `storyweave run` wrote for the story holding most of the event's articles
  gold     `pipeline.story_dossier` over all the event's articles (the gold grouping), so a
           clustering split does not hide what the dossier stage does

Baseline, measured in the same run on the same readings: every pair of sentences from two
articles whose MiniLM cosine is at least 0.8 is a corroborated claim; every article is own
reporting; no conflicts, no quotes.

Figures are micro-averaged over events (the sums of right and total counts).

`--gold-dir DIR` scores another folder of events in the same format instead (its subfolders
holding a gold.json, as one split named after the folder), e.g. benchmarks/gold/review: fresh
events annotated for quotes and primary sources only, where speaker and source accuracy are the
figures to read.

Run: python benchmarks/bench_claims.py [--events ID...] [--show] [--shared-scorer] [--gold-dir DIR]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GOLD_DIR = ROOT / "benchmarks" / "gold"
# The shared scorer with one correction (see its header): same-titled articles match by outlet.
SCORER = ROOT / "benchmarks" / "gold" / "score_claims.py"
SHARED_SCORER = ROOT.parent / "shared" / "gold" / "score_claims.py"  # as shipped, for comparison

# (figure, count it is a share of) as the scorer reports them
FIGURES = [
    ("claim_pair_precision", "claim_pairs"), ("claim_precision", "claims"), ("fact_recall", "facts"),
    ("conflict_precision", "conflicts_reported"), ("disputed_precision", "disputed"),
    ("conflict_recall", "gold_conflicts"), ("source_accuracy", "sources"),
    ("key_fact_recall", "key_facts"), ("speaker_accuracy", "quote_found"), ("quote_recall", "quotes"),
]


SPEECH_AND_SOURCE_FIGURES = {"source_accuracy", "speaker_accuracy", "quote_recall"}


def load_scorer(path: Path = SCORER):
    spec = importlib.util.spec_from_file_location("score_claims", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def event_jsonl(articles: dict, path: Path) -> None:
    with path.open("w", encoding="utf-8") as f:
        for src, a in articles.items():
            f.write(json.dumps({"id": src, "url": a["url"], "title": a["title"], "outlet": a["outlet"],
                                "text": "\n".join(a["sentences"])}) + "\n")


def baseline_dossier(articles, readings) -> dict:
    from storyweave.embeddings import embed

    sents = [(r.article_id, s.text) for r in readings.values() for s in r.sentences]
    vecs = embed([t for _, t in sents])
    claims = []
    for i, j in combinations(range(len(sents)), 2):
        if sents[i][0] != sents[j][0] and float(vecs[i] @ vecs[j]) >= 0.8:
            claims.append({"status": "corroborated", "support": [
                {"article_id": sents[i][0], "sentence": sents[i][1]},
                {"article_id": sents[j][0], "sentence": sents[j][1]}]})
    return {"articles": [{"id": a.id, "title": a.title, "outlet": a.outlet} for a in articles],
            "claims": claims, "conflicts": [], "summary": [], "quotes": [],
            "provenance": [{"article_id": a.id, "relation": "own-reporting"} for a in articles]}


def prepare_event(folder: Path, tmp: Path):
    """`storyweave run` over the event's articles, in a fresh store under `tmp`."""
    from storyweave import pipeline
    from storyweave.config import Settings

    articles = json.loads((folder / "articles.json").read_text(encoding="utf-8"))
    work = tmp / folder.name
    work.mkdir(parents=True)
    event_jsonl(articles, work / "articles.jsonl")
    settings = Settings(db=str(work / "store.db"), out=str(work / "out"))
    return settings, pipeline.run([str(work / "articles.jsonl")], settings)


def run_event(folder: Path, scorer, tmp: Path) -> dict[str, dict]:
    from storyweave import pipeline
    from storyweave.dossier import dossier_filename
    from storyweave.model import Story
    from storyweave.store import Store

    articles = json.loads((folder / "articles.json").read_text(encoding="utf-8"))
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    settings, report = prepare_event(folder, tmp)
    work = tmp / folder.name
    biggest = max(report.stories, key=lambda s: len(s.article_ids))
    as_run = json.loads((work / "out" / f"{dossier_filename(biggest.id)}.json").read_text(encoding="utf-8"))
    with Store(settings.db) as store:
        ids = list(store.iter_article_ids())
        whole = Story(id="gold", article_ids=ids)
        gold_dossier = json.loads(pipeline.dossier.render_json(pipeline.story_dossier(store, whole)))
        base = baseline_dossier(store.articles(ids), store.readings(ids))
    out = {name: scorer.score(gold, articles, d)
           for name, d in (("as run", as_run), ("gold", gold_dossier), ("baseline", base))}
    out["as run"]["stories"] = len(report.stories)
    out["_dossiers"] = {"as run": as_run, "gold": gold_dossier}
    return out


def micro(results: list[dict]) -> dict[str, tuple[float | None, int]]:
    agg = {}
    for fig, count in FIGURES:
        right = total = 0
        for r in results:
            n = r.get(count) if count != "quote_found" else round((r.get("quote_recall") or 0) * (r.get("quotes") or 0))
            if n and r.get(fig) is not None:
                total += n
                right += round(r[fig] * n)
        agg[fig] = (right / total if total else None, total)
    return agg


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", nargs="*", help="only these event folders")
    ap.add_argument("--show", action="store_true", help="per-event figures and wrong-claim examples")
    ap.add_argument("--keep", help="write each event's dossiers and scores under this folder")
    ap.add_argument("--shared-scorer", action="store_true", help="score with ../shared/gold/score_claims.py as shipped")
    ap.add_argument("--gold-dir", type=Path, help="score the events in this folder instead (one split)")
    args = ap.parse_args()
    if args.gold_dir:
        events_dir = args.gold_dir
        splits = {events_dir.name: sorted(p.name for p in events_dir.iterdir() if (p / "gold.json").exists())}
    else:
        events_dir = GOLD_DIR / "events"
        splits = json.loads((GOLD_DIR / "splits.json").read_text())
    scorer = load_scorer(SHARED_SCORER if args.shared_scorer else SCORER)
    per: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for split, events in splits.items():
            for ev in events:
                folder = events_dir / ev
                if (args.events and ev not in args.events) or not (folder / "gold.json").exists():
                    continue
                per[ev] = run_event(folder, scorer, Path(tmp))
                per[ev]["_split"] = split
                if args.keep:
                    keep = Path(args.keep) / ev
                    keep.mkdir(parents=True, exist_ok=True)
                    for name, d in per[ev]["_dossiers"].items():
                        (keep / f"dossier-{name.replace(' ', '-')}.json").write_text(json.dumps(d, indent=1))
                    (keep / "scores.json").write_text(json.dumps(
                        {k: v for k, v in per[ev].items() if not k.startswith("_")}, indent=1))
                if args.show:
                    r = per[ev]["as run"]
                    print(f"{ev:12s} [{split}] stories {r['stories']}  "
                          + "  ".join(f"{f.split('_')[0][:5]}_{f.split('_')[1][:4]} {r[f]}" for f, _ in FIGURES[:8]))
                    for ex in r["wrong_claims_examples"]:
                        print("     wrong:", ex)
    print(f"\n{len(per)} events; figure (count it is a share of), micro-averaged")
    for split in splits:
        evs = [v for v in per.values() if v["_split"] == split]
        if not evs:
            continue
        print(f"\n== {split}: {len(evs)} events, {sum(len(v['gold']['articles_unmatched']) == 0 for v in evs)} fully matched; "
              f"events split by clustering: {sum(v['as run']['stories'] > 1 for v in evs)}")
        cols = {name: micro([v[name] for v in evs]) for name in ("as run", "gold", "baseline")}
        print(f"{'figure':24s} {'as run':>14s} {'gold grouping':>14s} {'baseline':>14s}")
        # A gold with no facts (the review golds: quotes and sources only) scores no claims,
        # conflicts or key facts: every claim would count as wrong there.
        facts_annotated = any(v["gold"].get("facts") for v in evs)
        if not facts_annotated:
            print("(no facts annotated in this gold: claim, conflict and key-fact figures not shown)")
        for fig, _ in FIGURES:
            if not facts_annotated and fig not in SPEECH_AND_SOURCE_FIGURES:
                continue
            cells = []
            for name in ("as run", "gold", "baseline"):
                val, n = cols[name][fig]
                cells.append(f"{'-' if val is None else f'{val:.3f}'} ({n})")
            print(f"{fig:24s} " + " ".join(f"{c:>14s}" for c in cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
