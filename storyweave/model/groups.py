"""Union-find over a parent map: which items have been joined into one group.

One definition for every stage that groups things (copies of an article, one utterance quoted
by many, names of one group). The map may be a plain dict kept in a saved state: an item with no
entry is its own root, and roots are found with path halving.
"""

from __future__ import annotations

from collections.abc import Hashable, MutableMapping
from typing import TypeVar

T = TypeVar("T", bound=Hashable)


def find(parent: MutableMapping[T, T], x: T) -> T:
    """The root of `x`'s group."""
    while parent.get(x, x) != x:
        parent[x] = parent.get(parent[x], parent[x])
        x = parent[x]
    return x


def union(parent: MutableMapping[T, T], a: T, b: T) -> T:
    """Join the groups of `a` and `b`; `a`'s root stays the root. Returns it."""
    ra, rb = find(parent, a), find(parent, b)
    if ra != rb:
        parent[rb] = ra
    return ra
