"""The "hybrid" embedding setting: the static model for every sentence (kept at read time), MiniLM
only for the claim pairs whose cosine could change a decision, and the same decisions as giving
every pair its MiniLM cosine."""

from __future__ import annotations

import pytest

from storyweave import embeddings, pipeline
from storyweave.compare import _align
from storyweave.compare._align import _Scorer, comparable_pairs, embedding_text, statements_of
from storyweave.store import Store

from test_embeddings import FLOOD_1, run_floods

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    embeddings.load_static_model()  # made on first use (distilled from MiniLM: a minute or so), as a run would
    return run_floods(tmp_path_factory.mktemp("hybrid_run"), "hybrid")


def test_read_time_vectors_are_the_static_models(ran):
    settings, _ = ran
    with Store(settings.db) as store:
        readings = store.readings()
        assert set(store.sentence_vectors(list(readings), "static")) == set(readings)
        assert store.sentence_vectors(list(readings), "minilm") == {}


def test_a_dossier_asks_minilm_only_for_sentences_of_its_pairs(ran, monkeypatch):
    settings, report = ran
    asked: dict[str, list[str]] = {"minilm": [], "static": []}
    real = embeddings._encode

    def recording(kind, texts, batch_size):
        asked[kind].extend(texts)
        return real(kind, texts, batch_size)

    monkeypatch.setattr(embeddings, "_encode", recording)
    with Store(settings.db) as store:
        story = max(report.stories, key=lambda s: len(s.article_ids))
        assert len(story.article_ids) == 2
        built = pipeline.story_dossier(store, story, "hybrid")
        readings = store.readings(story.article_ids)
        arts = store.articles(story.article_ids)
    sentences = {embedding_text(s.text) for r in readings.values() for s in r.sentences}
    statements = {embedding_text(s.text) for a in arts for s in statements_of(a, readings[a.id])}
    assert any(c.status == "corroborated" for c in built.claims)
    assert not sentences & set(asked["static"])  # kept at read time
    checked = sentences & set(asked["minilm"])
    assert checked and checked <= statements  # MiniLM for compared sentences only (and counted nouns)


def test_checking_only_some_pairs_decides_as_checking_all(ran):
    settings, report = ran
    with Store(settings.db) as store:
        story = max(report.stories, key=lambda s: len(s.article_ids))
        readings = store.readings(story.article_ids)
        arts = store.articles(story.article_ids)
    statements = [st for a in arts for st in statements_of(a, readings[a.id])]
    texts = [embedding_text(s.text) for s in statements]
    fast = embeddings.embed(texts, kind="static")

    def accurate(batch):
        return embeddings.embed(list(batch), kind="minilm")

    gated = _Scorer(statements, fast, accurate)
    every = _Scorer(statements, fast, accurate)
    every._needs_check = lambda f: True  # type: ignore[method-assign]
    pairs = sorted(comparable_pairs(statements, fast))
    gated.check_pairs(pairs)
    every.check_pairs(pairs)
    # (on these texts, as on the dev events, the gate skips no pair: what is shown is that gating
    # never changes a decision, not that it saves work)
    assert len(every._checked) == len({r for p in pairs for r in p})
    all_pairs = [(i, j) for i in range(len(statements)) for j in range(i + 1, len(statements))
                 if statements[i].article_id != statements[j].article_id]
    for i, j in all_pairs:
        assert gated.accepts(i, j) == every.accepts(i, j)
        assert gated.links(i, j) == every.links(i, j)
        if every.score(i, j) >= _align.LOWEST_BAR:
            assert gated.score(i, j) == pytest.approx(every.score(i, j))


def test_a_store_clustered_with_minilm_is_reclustered_when_the_model_changes(ran, tmp_path):
    settings, report = ran
    other = tmp_path / "flood3.txt"
    other.write_text(FLOOD_1.replace("Friday", "Saturday").replace("300", "320"), encoding="utf-8")
    with Store(settings.db) as store:
        before = store.state("cluster")
    again = pipeline.run([str(other)], settings.model_copy(update={"embeddings": "minilm"}))
    assert again.ok, again.failures
    with Store(settings.db) as store:
        events = store.cluster_events()
        assert before != store.state("cluster")
    rebuilt = [e for e in events if e.kind == "rebuild"]
    assert rebuilt and "dimensional" in rebuilt[-1].detail["reason"]
    assert sum(len(s.article_ids) for s in again.stories) == 3
