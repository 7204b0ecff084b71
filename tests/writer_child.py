"""`storyweave run` in a child process for tests/test_concurrent_writers.py, with hooks that force
an interleaving: with SW_TEST_PAUSE_DIR set it says when it reaches clustering ("NAME-ready"),
then, once inside (stories and state read), says so ("NAME-inside") and waits for "go".
A stand-in embedder keeps model loading out of it. SW_TEST_NO_LOCK=1 removes the store lock (to
show that the interleaving loses work without it)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import time
from pathlib import Path

import numpy as np

import storyweave.cluster as cluster
from storyweave import pipeline
from storyweave.cli import main
from storyweave.store import Store


def fake_embed(texts):
    out = np.zeros((len(texts), 384), np.float32)
    for i, t in enumerate(texts):
        out[i, int(hashlib.sha256(t.encode()).hexdigest(), 16) % 384] = 1.0
    return out


def install(name: str, pause_dir: str | None) -> None:
    cluster._default_embedder = fake_embed
    if os.environ.get("SW_TEST_NO_LOCK") == "1":
        Store.lock = lambda self, lock_name: contextlib.nullcontext()  # type: ignore[assignment]
    if not pause_dir:
        return
    folder = Path(pause_dir)
    real_unplaced, real_cluster = pipeline.cluster_unplaced, cluster.cluster_articles

    def announced(store, report, *rest, **kwargs):
        (folder / f"{name}-ready").touch()
        return real_unplaced(store, report, *rest, **kwargs)

    def paused(*args, **kwargs):
        (folder / f"{name}-inside").touch()
        ends = time.monotonic() + 60
        while not (folder / "go").exists() and time.monotonic() < ends:
            time.sleep(0.05)
        return real_cluster(*args, **kwargs)

    pipeline.cluster_unplaced = announced
    if os.environ.get("SW_TEST_HOLD") == "1":
        cluster.cluster_articles = paused


if __name__ == "__main__":
    install(os.environ.get("SW_TEST_NAME", "w"), os.environ.get("SW_TEST_PAUSE_DIR"))
    sys.argv = ["storyweave", *sys.argv[1:]]
    main()
