"""Near-duplicate detection: MinHash signatures (datasketch) over word shingles, banded LSH.

The bands are plain dicts (band bytes -> article ordinals) so the index serialises without
pickling code references, and a candidate is confirmed by the estimated Jaccard similarity of
the two signatures, not by the bucket collision alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from datasketch import MinHash

NUM_PERM = 64
SHINGLE_WORDS = 5
BANDS, ROWS = 16, 4  # 16 x 4 = 64: collision probability 0.5 at Jaccard ~0.5, ~0.99 at 0.8
COPY_JACCARD = 0.7  # estimated shingle Jaccard above which two bodies are copies
MIN_WORDS = 25  # shorter bodies carry too little text to call a copy


def signature(text: str) -> np.ndarray | None:
    """MinHash of the body's word 5-shingles, or None when the body is too short to judge."""
    toks = text.split()
    if len(toks) < MIN_WORDS:
        return None
    shingles = {" ".join(toks[i : i + SHINGLE_WORDS]).encode("utf-8") for i in range(len(toks) - SHINGLE_WORDS + 1)}
    mh = MinHash(num_perm=NUM_PERM, seed=1)
    mh.update_batch(sorted(shingles))
    return mh.hashvalues.astype(np.uint32)


@dataclass
class CopyIndex:
    bands: list[dict[bytes, list[int]]] = field(default_factory=lambda: [{} for _ in range(BANDS)])
    signatures: dict[int, np.ndarray] = field(default_factory=dict)  # ordinal -> signature

    def find(self, sig: np.ndarray) -> list[tuple[int, float]]:
        """Ordinals of earlier articles this signature copies, with estimated Jaccard, best first."""
        seen: set[int] = set()
        for b in range(BANDS):
            seen.update(self.bands[b].get(sig[b * ROWS : (b + 1) * ROWS].tobytes(), ()))
        found = [(o, float(np.mean(self.signatures[o] == sig))) for o in seen]
        return sorted(((o, j) for o, j in found if j >= COPY_JACCARD), key=lambda x: (-x[1], x[0]))

    def add(self, ordinal: int, sig: np.ndarray) -> None:
        self.signatures[ordinal] = sig
        for b in range(BANDS):
            self.bands[b].setdefault(sig[b * ROWS : (b + 1) * ROWS].tobytes(), []).append(ordinal)
