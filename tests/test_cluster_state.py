"""A stored clustering state that cannot be loaded or used, whatever is wrong with it, makes the
next run rebuild from every article instead of failing every later run."""

from __future__ import annotations

import hashlib
import pickle
import zlib
from pathlib import Path

import numpy as np
import pytest

from storyweave import pipeline
from storyweave.cluster import StateError, cluster_articles, load_state
from storyweave.cluster.online import ClusterState
from storyweave.cluster.state import FORMAT
from storyweave.model import Article, RawDocument
from storyweave.store import Store


def fake_embed(texts):
    """A stand-in embedder: a fixed unit vector per text (no model needed to test state handling)."""
    out = np.zeros((len(texts), 384), np.float32)
    for i, t in enumerate(texts):
        out[i, int(hashlib.sha256(t.encode()).hexdigest(), 16) % 384] = 1.0
    return out


class _Call:
    """Pickles as a call of an allow-listed class with arguments of our choosing."""

    def __init__(self, fn, *args):
        self.fn, self.args = fn, args

    def __reduce__(self):
        return (self.fn, self.args)


def _state(obj) -> bytes:
    return FORMAT + zlib.compress(pickle.dumps(obj))


def _malformed_states() -> dict[str, bytes]:
    good = ClusterState(dim=384)
    wrong_stories = ClusterState(dim=384)
    wrong_stories.stories = [1, 2]  # type: ignore[list-item]
    misplaced = ClusterState(dim=384)
    misplaced.article_ids, misplaced.ordinal_of, misplaced.story_of = ["a"], {"a": 0}, [7]
    no_fields = ClusterState.__new__(ClusterState)
    return {
        "dict(5)": _state(_Call(dict, 5)),
        "list of a number": _state(_Call(list, 3)),
        "set of a dict": _state(_Call(set, {1: 2})),
        "stories not StoryState": _state(wrong_stories),
        "article in no story": _state(misplaced),
        "no fields": _state(no_fields),
        "cut short": _state(good)[:-5],
        "not bytes of a state": b"\x00" * 10,
    }


@pytest.mark.parametrize("name", list(_malformed_states()))
def test_any_bad_state_is_a_state_error(name: str) -> None:
    with pytest.raises(StateError):
        load_state(_malformed_states()[name])


def _article(n: int) -> tuple[RawDocument, Article]:
    text = f"Story number {n}: the river rose {n} metres at Linden on Friday, officials said."
    raw = RawDocument(source=f"t{n}.txt", data=text.encode(), format="text")
    return raw, Article(id=raw.sha256[:16], source=raw.source, body=text, raw_sha256=raw.sha256)


# One damage in the fast tier; each rebuild runs the whole pipeline.
@pytest.mark.parametrize("name", ["dict(5)", *(pytest.param(n, marks=pytest.mark.slow) for n in ("stories not StoryState", "article in no story", "cut short"))])
def test_a_run_on_a_bad_state_rebuilds(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("storyweave.cluster._default_embedder", fake_embed)
    with Store(str(tmp_path / "s.db")) as store:
        for n in range(6):
            store.add_article(*_article(n))
        pipeline.cluster_unplaced(store, pipeline.RunReport())
        store.save_clustering(store.stories(), store.storylines(), [], _malformed_states()[name])
        for n in range(6, 9):
            store.add_article(*_article(n))
        stories = pipeline.cluster_unplaced(store, pipeline.RunReport())
        placed = [a for s in stories for a in s.article_ids]
        assert sorted(placed) == sorted(store.iter_article_ids())  # each article in exactly one story
        assert store.cluster_events()[-len(store.cluster_events()):]  # events recorded
        assert any(e.kind == "rebuild" for e in store.cluster_events())
        load_state(store.state("cluster"))  # a good state again: the next run is incremental
        again = pipeline.cluster_unplaced(store, pipeline.RunReport())
        assert [s.model_dump() for s in again] == [s.model_dump() for s in stories]


def test_a_state_that_loads_but_cannot_be_used_is_a_state_error() -> None:
    arts = [_article(n)[1] for n in range(3)]
    result = cluster_articles(arts, {}, None, embedder=fake_embed)
    state = load_state(result.state)
    state.df = np.zeros(2, np.float32)  # the right type, the wrong shape: fails only in use
    broken = _state(state)
    with pytest.raises(StateError):
        cluster_articles([_article(9)[1], *arts], {}, broken, embedder=fake_embed)
