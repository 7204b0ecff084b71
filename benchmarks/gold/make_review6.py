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

import sys

from make_review5 import EVENTS as REVIEW5
from make_review5 import write_review

# Fixed from the texts alone (kind of news, enough lines shared between the picked articles),
# before any storyweave output for them was looked at: a supermarket fire (disaster), a phone
# launch (business), an office-party shooting (crime), a coach's firing (sports).
EVENTS = ["14-ecb", "42-ecb", "18-ecb", "5-ecb"]


def main() -> int:
    write_review("review6", EVENTS, earlier=REVIEW5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
