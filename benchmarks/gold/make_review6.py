"""Pick the sixth review gold (a full fresh gold: facts, conflicts, sources, quotes) from ECB+.

The development gold's figures are tuned on; review6 is fresh material to check whether changes to
claim alignment and conflict detection generalise. Four events of the older `ecb` halves of ECB+
topics, of four kinds (a fire, a business launch, a shooting, a sports firing), in no split, of
no held-out topic and not in review5; articles picked as in make_review5.py (four per event,
6 to 30 lines, in id order; no outlet is known). `gold.json` is written by hand, fully, by
../shared/gold/GUIDELINE-claims.md, before storyweave is run on them.

Run: python benchmarks/gold/make_review6.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from make_events import ecb_by_event, write_articles
from make_review import REVIEW
from make_review5 import EVENTS as REVIEW5
from make_review5 import pick_unlinked

HERE = Path(__file__).resolve().parent
# Fixed from the texts alone (kind of news, enough lines shared between the picked articles),
# before any storyweave output for them was looked at: a supermarket fire (disaster), a phone
# launch (business), an office-party shooting (crime), a coach's firing (sports).
EVENTS = ["14-ecb", "42-ecb", "18-ecb", "5-ecb"]


def main() -> int:
    splits = json.loads((HERE / "splits.json").read_text())
    held_topics = {e.split("-")[0] for e in splits["held-out"]}
    taken = (set(splits["dev"]) | set(splits["held-out"]) | set(REVIEW5)
             | {e for evs in REVIEW.values() for e in evs})
    used_topics = {e.split("-")[0] for e in REVIEW5}
    assert not set(EVENTS) & taken and not {e.split("-")[0] for e in EVENTS} & (held_topics | used_topics)
    by_event = ecb_by_event()
    for ev in EVENTS:
        print(write_articles(HERE / "review6" / ev, pick_unlinked(by_event[ev])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
