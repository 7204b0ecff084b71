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

FORMAT = b"storyweave-cluster-v1\n"

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
    (__name__.rsplit(".", 1)[0] + ".features", "SparseVec"),
    (__name__.rsplit(".", 1)[0] + ".copies", "CopyIndex"),
}


class StateError(ValueError):
    """The stored clustering state is not one this version can read."""


class _AllowListUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):  # type: ignore[override]
        if (module, name) not in _ALLOWED:
            raise StateError(f"clustering state refers to {module}.{name}, which is not allowed")
        return super().find_class(module, name)


def dump_state(state: ClusterState) -> bytes:
    return FORMAT + zlib.compress(pickle.dumps(state, protocol=5), 1)


def load_state(data: bytes) -> ClusterState:
    if not data.startswith(FORMAT):
        raise StateError("clustering state has an unknown format (from another version?)")
    try:
        state = _AllowListUnpickler(io.BytesIO(zlib.decompress(data[len(FORMAT):]))).load()
    except (pickle.UnpicklingError, zlib.error, EOFError) as exc:
        raise StateError(f"clustering state is damaged: {exc}") from exc
    if not isinstance(state, ClusterState):
        raise StateError("clustering state holds something else")
    return state


__all__ = ["ClusterState", "CopyIndex", "Link", "SparseVec", "StateError", "StoryState", "dump_state", "load_state"]
