"""Arithmetic on hashed sparse vectors (sorted int32 indices, float32 weights)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .features import EMPTY, SparseVec


def add(a: SparseVec, b: SparseVec, cap: int | None = None) -> SparseVec:
    """a + b, keeping the `cap` heaviest entries so a story's profile stays bounded in size."""
    if not len(a):
        out = b
    elif not len(b):
        out = a
    else:
        idx = np.union1d(a.idx, b.idx)
        val = np.zeros(idx.size, dtype=np.float32)
        val[np.searchsorted(idx, a.idx)] += a.val
        val[np.searchsorted(idx, b.idx)] += b.val
        out = SparseVec(idx.astype(np.int32, copy=False), val)
    if cap is not None and len(out) > cap:
        keep = np.sort(np.argpartition(-out.val, cap)[:cap])
        out = SparseVec(out.idx[keep], out.val[keep])
    return out


def idf(df: np.ndarray, n_docs: float, idx: np.ndarray) -> np.ndarray:
    """Smoothed inverse document frequency of the hashed dimensions `idx`."""
    return (np.log((n_docs + 1.0) / (df[idx] + 1.0)) + 1.0).astype(np.float32)


def cosine(a: SparseVec, b: SparseVec, df: np.ndarray, n_docs: float) -> float:
    """Cosine of the two vectors after tf-idf weighting with the current document frequencies."""
    if not len(a) or not len(b):
        return 0.0
    wa = a.val * idf(df, n_docs, a.idx)
    wb = b.val * idf(df, n_docs, b.idx)
    na = float(np.dot(wa, wa))
    nb = float(np.dot(wb, wb))
    if na <= 0.0 or nb <= 0.0:
        return 0.0
    common, ia, ib = np.intersect1d(a.idx, b.idx, assume_unique=True, return_indices=True)
    if not common.size:
        return 0.0
    return float(np.dot(wa[ia], wb[ib]) / np.sqrt(na * nb))


def cosine_matrix(vecs: Sequence[SparseVec], df: np.ndarray, n_docs: float) -> np.ndarray:
    """cosine() of every pair at once (an empty vector's row is 0): one matrix product over the
    vectors' shared dimensions instead of n^2 calls."""
    n = len(vecs)
    dims = np.unique(np.concatenate([v.idx for v in vecs])) if n else np.zeros(0, dtype=np.int32)
    dense = np.zeros((n, dims.size), dtype=np.float64)
    for row, v in enumerate(vecs):
        if len(v):
            dense[row, np.searchsorted(dims, v.idx)] = v.val * idf(df, n_docs, v.idx)
    norms = np.sqrt(np.einsum("ij,ij->i", dense, dense))
    dense[norms > 0] /= norms[norms > 0, None]
    return dense @ dense.T


class Weighted:
    """A vector weighted once by idf, for comparing one article with many stories."""

    __slots__ = ("idx", "w", "norm")

    def __init__(self, vec: SparseVec, df: np.ndarray, n_docs: float):
        self.idx = vec.idx
        self.w = vec.val * idf(df, n_docs, vec.idx) if len(vec) else vec.val
        self.norm = float(np.sqrt(np.dot(self.w, self.w))) if len(vec) else 0.0


def cosine_weighted(a: Weighted, b: SparseVec, df: np.ndarray, n_docs: float) -> float:
    """cosine(), with the article side already weighted."""
    if a.norm <= 0.0 or not len(b):
        return 0.0
    common, ia, ib = np.intersect1d(a.idx, b.idx, assume_unique=True, return_indices=True)
    if not common.size:
        return 0.0
    wb = b.val * idf(df, n_docs, b.idx)
    nb = float(np.dot(wb, wb))
    if nb <= 0.0:
        return 0.0
    return float(np.dot(a.w[ia], wb[ib]) / (a.norm * np.sqrt(nb)))


def shared(a: SparseVec, b: SparseVec, df: np.ndarray, n_docs: float, top: int = 4) -> list[int]:
    """The `top` shared dimensions with the largest combined idf-weighted mass."""
    if not len(a) or not len(b):
        return []
    common, ia, ib = np.intersect1d(a.idx, b.idx, assume_unique=True, return_indices=True)
    if not common.size:
        return []
    mass = np.minimum(a.val[ia], b.val[ib]) * idf(df, n_docs, common)
    order = np.argsort(-mass, kind="stable")[:top]
    return [int(common[i]) for i in order]


__all__ = ["EMPTY", "Weighted", "add", "cosine", "cosine_weighted", "idf", "shared"]
