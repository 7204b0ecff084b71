"""Pick the fifth review gold (primary sources) from ECB+ and write its articles.

review..review3 (make_review.py) used the `ecbplus` halves of topics, whose texts carry a URL;
few of those are left and they rarely credit anyone. Each ECB+ topic also holds an `ecb` half: a
different, older event of the same kind whose texts have no URL and often relay wires and other
publications ("told The Canadian Press", "(AP)"), which is what primary sources are about. This
picks such events, in no split and of no held-out topic, four articles each (6 to 30 lines, in id
order; no outlet is known). `gold.json` is written by hand (../shared/gold/GUIDELINE-claims.md:
sources; facts, conflicts and key facts left empty) before storyweave is run on them.

Run: python benchmarks/gold/make_review5.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from make_events import ecb_by_event, write_articles
from make_review import REVIEW

HERE = Path(__file__).resolve().parent
# Fixed from the texts' credit words alone (several publications or wires named), before any
# storyweave output for them was looked at.
EVENTS = ["1-ecb", "11-ecb", "13-ecb", "30-ecb", "37-ecb"]
PER_EVENT = 4


def pick_unlinked(rows: list[dict]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for r in sorted(rows, key=lambda r: r["id"]):
        lines = [ln.strip() for ln in r["text"].split("\n") if ln.strip()]
        if 6 <= len(lines) <= 30:
            out[f"a{len(out) + 1}"] = {"ecb_id": r["id"], "title": lines[0], "outlet": None,
                                       "url": None, "sentences": lines[1:]}
        if len(out) == PER_EVENT:
            break
    return out


def write_review(folder: str, events: list[str], earlier: tuple[str, ...] | list[str] = ()) -> None:
    """Write `events`' articles under benchmarks/gold/`folder`, after checking that none is in a
    split or an earlier review set and none is of a held-out topic or of an `earlier` one's."""
    splits = json.loads((HERE / "splits.json").read_text())
    held_topics = {e.split("-")[0] for e in splits["held-out"]}
    taken = set(splits["dev"]) | set(splits["held-out"]) | set(earlier) | {e for evs in REVIEW.values() for e in evs}
    used_topics = {e.split("-")[0] for e in earlier}
    assert not set(events) & taken and not {e.split("-")[0] for e in events} & (held_topics | used_topics)
    by_event = ecb_by_event()
    for ev in events:
        print(write_articles(HERE / folder / ev, pick_unlinked(by_event[ev])))


def main() -> int:
    write_review("review5", EVENTS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
