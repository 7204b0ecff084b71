"""Group-name counts come out in one order whatever the process's string hashing (set order)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

SCRIPT = (
    "from storyweave.nlp.framing import _term_counts;"
    "print(list(_term_counts({'ISIS', 'Isis', 'IS', 'Hamas', 'HAMAS', 'Fatah'},"
    " ['ISIS and Isis, Hamas and HAMAS, Fatah; IS'])))"
)


@pytest.mark.slow  # each process imports spaCy
def test_term_counts_order_does_not_follow_the_hash_seed() -> None:
    orders = {
        subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout
        for seed in range(4)
    }
    assert len(orders) == 1, orders
