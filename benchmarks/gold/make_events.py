"""Pick the development-gold events from ECB+ and write each event's articles for annotation.

Each event folder gets `articles.json` in the scorer's format
({SRC: {"title", "outlet", "url", "sentences"}}): the headline is the title (not numbered), every
later line of the ECB+ text is one body sentence, numbered from 0. Articles are chosen
deterministically: distinct outlets (web domains), 6 to 30 lines, in id order, at most 5.
The split (dev or held-out) is fixed here, before any dossier was looked at.

Run: python benchmarks/gold/make_events.py
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
ECB = HERE.parents[2] / "shared" / "bench" / "ecbplus" / "ecbplus.jsonl"

# Kinds: politics, courts and crime, business, disasters, other news. A third held out.
DEV = ["9-ecbplus", "16-ecbplus", "43-ecbplus", "37-ecbplus", "12-ecbplus", "2-ecbplus",
       "18-ecbplus", "24-ecbplus", "28-ecbplus", "41-ecbplus", "36-ecbplus", "30-ecbplus"]
HELD_OUT = ["34-ecbplus", "22-ecbplus", "44-ecbplus", "20-ecbplus", "19-ecbplus", "3-ecbplus"]
PER_EVENT = 5


def outlet_of(url: str) -> str:
    host = urlparse(url).netloc.lower()
    return re.sub(r"^(www\d?|m|articles|edition|news)\.", "", host)


def src_code(outlet: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]", "", outlet.split(".")[0])[:12] or "src"
    code, n = base, 2
    while code in taken:
        code, n = f"{base}{n}", n + 1
    return code


def pick(rows: list[dict]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    seen: set[str] = set()
    for r in sorted(rows, key=lambda r: r["id"]):
        lines = [ln.strip() for ln in r["text"].split("\n") if ln.strip()]
        outlet = outlet_of(r["url"] or "")
        if not r.get("url") or outlet in seen or not 6 <= len(lines) <= 30:
            continue
        seen.add(outlet)
        out[src_code(outlet, set(out))] = {"ecb_id": r["id"], "title": lines[0], "outlet": outlet,
                                           "url": r["url"], "sentences": lines[1:]}
        if len(out) == PER_EVENT:
            break
    return out


def ecb_by_event() -> dict[str, list[dict]]:
    """ECB+ texts grouped by their gold event."""
    by_event: dict[str, list[dict]] = defaultdict(list)
    for line in ECB.open(encoding="utf-8"):
        r = json.loads(line)
        by_event[r["event"]].append(r)
    return by_event


def write_articles(folder: Path, arts: dict[str, dict]) -> str:
    """An event's picked articles as folder/articles.json; a line saying how much they hold."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "articles.json").write_text(json.dumps(arts, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return f"{folder.name:12s} {len(arts)} articles, {sum(len(a['sentences']) for a in arts.values())} sentences"


def main() -> int:
    by_event = ecb_by_event()
    for split, events in (("dev", DEV), ("held-out", HELD_OUT)):
        for ev in events:
            print(f"{split:9s} " + write_articles(HERE / "events" / ev, pick(by_event[ev])))
    (HERE / "splits.json").write_text(json.dumps({"dev": DEV, "held-out": HELD_OUT}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
