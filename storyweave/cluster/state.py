"""The clusterer's state as bytes, for the store to keep between runs.

The state holds numpy arrays and an hnswlib index, which serialise through pickle. The bytes only
ever come from our own store, but they are still loaded with an allow-list unpickler: only the
classes below can be built, so a tampered state cannot run code.
"""

from __future__ import annotations

import io
import pickle
import zlib

from .copies import CopyIndex
from .features import SparseVec
from .online import ClusterState, Link, StoryState

FORMAT = b"storyweave-cluster-v2\n"  # v2: per-article profiles (splits), actor features

_ALLOWED = {
    ("builtins", "set"), ("builtins", "frozenset"), ("builtins", "list"), ("builtins", "dict"),
    ("builtins", "tuple"), ("builtins", "bytearray"),
    ("numpy", "ndarray"), ("numpy", "dtype"),
    ("numpy._core.multiarray", "_reconstruct"), ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "scalar"), ("numpy.core.multiarray", "scalar"),
    ("numpy._core.numeric", "_frombuffer"), ("numpy.core.numeric", "_frombuffer"),
    ("hnswlib", "Index"),
    (__name__.rsplit(".", 1)[0] + ".online", "ClusterState"),
    (__name__.rsplit(".", 1)[0] + ".online", "StoryState"),
    (__name__.rsplit(".", 1)[0] + ".online", "Link"),
    (__name__.rsplit(".", 1)[0] + ".online", "ArticleProfile"),
    (__name__.rsplit(".", 1)[0] + ".features", "SparseVec"),
    (__name__.rsplit(".", 1)[0] + ".copies", "CopyIndex"),
}


class StateError(ValueError):
    """The stored clustering state is not one this version can read."""


class _AllowListUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) not in _ALLOWED:
            raise StateError(f"clustering state refers to {module}.{name}, which is not allowed")
        return super().find_class(module, name)


def dump_state(state: ClusterState) -> bytes:
    return FORMAT + zlib.compress(pickle.dumps(state, protocol=5), 1)


def load_state(data: bytes) -> ClusterState:
    """The state in `data`; StateError for anything that is not a whole, well-formed state
    (another version's, a damaged one, or allowed classes put together wrongly)."""
    if not isinstance(data, (bytes, bytearray, memoryview)) or not bytes(data[: len(FORMAT)]) == FORMAT:
        raise StateError("clustering state has an unknown format (from another version?)")
    try:
        state = _AllowListUnpickler(io.BytesIO(zlib.decompress(data[len(FORMAT):]))).load()
    except StateError:
        raise
    except Exception as exc:  # noqa: BLE001 - dict(5), a bad ndarray, a cut stream: all damage
        raise StateError(f"clustering state is damaged: {type(exc).__name__}: {exc}") from exc
    if not isinstance(state, ClusterState):
        raise StateError("clustering state holds something else")
    problem = _shape_problem(state)
    if problem:
        raise StateError(f"clustering state is malformed: {problem}")
    return state


def _shape_problem(state: ClusterState) -> str | None:
    """What is wrong with the fields of an unpickled state, or None. Pickle restores objects
    field by field without their constructors, so the types are checked here."""
    try:
        fields = vars(state)
    except TypeError:
        return "no fields"
    kinds = {
        "dim": int, "article_ids": list, "ordinal_of": dict, "story_of": list, "stories": list,
        "story_index": dict, "copy_parent": dict, "article_ents": list, "article_lede": list, "links": dict,
        "copies": CopyIndex, "profiles": list, "apart": set,
    }
    for name, kind in kinds.items():
        if not isinstance(fields.get(name), kind):
            return f"{name} is {type(fields.get(name)).__name__}, not {kind.__name__}"
    n = len(state.article_ids)
    if len(state.ordinal_of) != n or len(state.story_of) != n or len(state.profiles) != n:
        return "article lists of different lengths"
    if not all(isinstance(story, StoryState) for story in state.stories):
        return "a story that is not a StoryState"
    if not all(isinstance(i, int) and 0 <= i < len(state.stories) for i in state.story_of):
        return "an article placed in no known story"
    if not all(isinstance(i, int) and 0 <= i < len(state.stories) for i in state.story_index.values()):
        return "a story index out of range"
    return None


__all__ = ["ClusterState", "CopyIndex", "Link", "SparseVec", "StateError", "StoryState", "dump_state", "load_state"]
