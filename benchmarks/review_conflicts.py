"""Every conflict storyweave reports on ECB+ events outside the development gold, for an editor to
judge one by one (is it two statements that cannot both be true about the same thing?).

The events: every second ECB+ event with four or more texts that is neither a gold event nor of a
held-out gold topic (`--second-half`: the ones in between, a second sample; up to 18 events, their
first 5 texts with a body), run as one JSON Lines file through
`storyweave run` (the path users run). No gold exists for them: the point is to read what a user
would be shown, on news no rule was written for.

Run: python benchmarks/review_conflicts.py [--second-half | --rest] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ECB = HERE.parents[1] / "shared" / "bench" / "ecbplus" / "ecbplus.jsonl"
SPLITS = HERE / "gold" / "splits.json"
EVENTS, PER_EVENT = 18, 5


def review_corpus(path: Path, second_half: bool = False, rest: bool = False) -> list[str]:
    splits = json.loads(SPLITS.read_text())
    held_topics = {e.split("-")[0] for e in splits["held-out"]}
    gold = set(splits["dev"]) | set(splits["held-out"])
    by_event: dict[str, list[dict]] = defaultdict(list)
    for line in ECB.open(encoding="utf-8"):
        d = json.loads(line)
        if d["topic"] not in held_topics and d["event"] not in gold:
            by_event[d["event"]].append(d)
    eligible = sorted((e for e in by_event if len(by_event[e]) >= 4), key=lambda e: (int(e.split("-")[0]), e))
    halves = eligible[0::2][:EVENTS] + eligible[1::2][:EVENTS]
    events = [e for e in eligible if e not in halves][:EVENTS] if rest else eligible[int(second_half)::2][:EVENTS]
    with path.open("w", encoding="utf-8") as f:
        for e in events:
            for d in by_event[e][:PER_EVENT]:
                title, _, text = d["text"].strip().partition("\n")
                if not text.strip():
                    continue  # a headline alone: nothing to compare
                f.write(json.dumps({"id": d["id"], "url": d["url"], "title": title, "text": text}) + "\n")
    return events


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--second-half", action="store_true",
                    help="the other half of the eligible events (the ones in between), a second fresh sample")
    ap.add_argument("--rest", action="store_true",
                    help="the eligible events neither half takes (up to 18): a third fresh sample")
    ap.add_argument("--keep", help="folder for the run's store and dossiers (default: a temporary one)")
    args = ap.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="sw-review-"))
    work.mkdir(parents=True, exist_ok=True)
    events = review_corpus(work / "review.jsonl", args.second_half, args.rest)
    subprocess.run([sys.executable, "-m", "storyweave.cli", "run", str(work / "review.jsonl"),
                    "--db", str(work / "store.db"), "--out", str(work / "out")],
                   check=True, stdout=subprocess.DEVNULL)
    n = 0
    for f in sorted((work / "out").glob("*.json")):
        d = json.loads(f.read_text())
        if not isinstance(d, dict) or "conflicts" not in d:
            continue
        outlets = {a["id"]: a.get("outlet") or a["id"] for a in d.get("articles", [])}
        for c in d["conflicts"]:
            n += 1
            print(f"[{n}] {c['kind']}: {c.get('subject', '')[:90]}")
            for v in c["variants"]:
                print(f"     {v['value'][:60]!r} ({', '.join(outlets.get(a, a) for a in v['article_ids'])}): {v['sentence'][:220]}")
    print(f"\n{len(events)} events; {n} conflicts reported")


if __name__ == "__main__":
    main()
