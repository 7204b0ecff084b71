"""Sentence embeddings: made once at read time and kept (float16), reused by the dossiers; equal
texts embedded once; the static model as an opt-in kind."""

from __future__ import annotations

import numpy as np
import pytest

from storyweave import embeddings, pipeline
from storyweave.compare import embedding_text
from storyweave.config import Settings
from storyweave.store import Store

FLOOD_1 = """Flood waters cut off Linden valley

Heavy rain sent the Aster River over its banks on Friday, cutting the only road into the Linden valley, the county emergency office said. About 300 households were without power on Friday night. "We have never seen the river rise this fast," county fire chief Maria Okafor said."""

FLOOD_2 = """Linden valley isolated as Aster River floods

The Aster River burst its banks on Friday after two days of heavy rain and cut the only road into the Linden valley, according to the county emergency office. Around 300 households lost power. "We have never seen the river rise so fast," fire chief Maria Okafor told reporters."""


def run_floods(root, kind: str):
    """`storyweave run` over the two flood reports with one embedding setting."""
    inputs = root / "inputs"
    inputs.mkdir()
    (inputs / "flood1.txt").write_text(FLOOD_1, encoding="utf-8")
    (inputs / "flood2.txt").write_text(FLOOD_2, encoding="utf-8")
    settings = Settings(db=str(root / "sw.db"), out=str(root / "out"), embeddings=kind)
    report = pipeline.run([str(inputs)], settings)
    assert report.ok, report.failures
    return settings, report


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    return run_floods(tmp_path_factory.mktemp("embedded_run"), "minilm")


def test_equal_texts_are_embedded_once_and_get_equal_rows(monkeypatch):
    seen: list[list[str]] = []
    real = embeddings._encode

    def counting(kind, texts, batch_size):
        seen.append(list(texts))
        return real(kind, texts, batch_size)

    monkeypatch.setattr(embeddings, "_encode", counting)
    texts = ["The river rose.", "Power was cut.", "The river rose."]
    vectors = embeddings.embed(texts)
    assert seen == [["The river rose.", "Power was cut."]]
    assert vectors.shape == (3, embeddings.DIM)
    assert np.array_equal(vectors[0], vectors[2]) and not np.array_equal(vectors[0], vectors[1])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_stored_vectors_are_float16_and_keep_cosines():
    vectors = embeddings.embed(["Heavy rain cut the road.", "Rain cut off the valley road.", "A chess final."])
    data = embeddings.to_stored(vectors)
    assert len(data) == vectors.size * 2
    back = embeddings.from_stored(data, vectors.shape[1])
    assert np.abs(back @ back.T - vectors @ vectors.T).max() < 2e-3


def test_every_read_article_keeps_one_vector_per_sentence(ran):
    settings, _ = ran
    with Store(settings.db) as store:
        readings = store.readings()
        kept = store.sentence_vectors(list(readings), "minilm")
    assert set(kept) == set(readings)
    for article_id, (version, dim, data) in kept.items():
        assert version == readings[article_id].reader_version and dim == embeddings.DIM
        assert embeddings.from_stored(data, dim).shape == (len(readings[article_id].sentences), dim)


def test_a_dossier_embeds_no_sentence_again(ran, monkeypatch):
    settings, report = ran
    embedded: list[str] = []
    real = embeddings.embed

    def recording(texts, batch_size=64, kind="minilm"):
        embedded.extend(texts)
        return real(texts, batch_size, kind)

    monkeypatch.setattr(embeddings, "embed", recording)
    with Store(settings.db) as store:
        story = max(report.stories, key=lambda s: len(s.article_ids))
        readings = store.readings(story.article_ids)
        built = pipeline.story_dossier(store, story, "minilm")
        sentences = {embedding_text(s.text) for r in readings.values() for s in r.sentences}
        assert built.claims
        assert not sentences & set(embedded)  # counted nouns may be embedded, sentences never
        # Vectors kept for another reading of an article are not used: its sentences are embedded.
        some = next(iter(readings))
        version, dim, data = store.sentence_vectors([some], "minilm")[some]
        store.put_sentence_vectors([(some, "minilm", "nlp-older", data, dim)])
        pipeline.story_dossier(store, story, "minilm")
    again = {embedding_text(s.text) for s in readings[some].sentences}
    assert again & set(embedded)


def test_the_kind_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("STORYWEAVE_EMBEDDINGS", "static")
    assert embeddings.default_kind() == "static"
    monkeypatch.setenv("STORYWEAVE_EMBEDDINGS", "word2vec")
    with pytest.raises(ValueError):
        embeddings.default_kind()
    monkeypatch.delenv("STORYWEAVE_EMBEDDINGS")
    assert embeddings.default_kind() == "minilm"


@pytest.mark.slow
def test_static_vectors_rank_a_paraphrase_above_an_unrelated_sentence():
    embeddings.load_static_model()  # made on first use (distilled from MiniLM: a minute or so), as a run would
    a, b, c = embeddings.embed([
        "Heavy rain sent the river over its banks and cut the only road into the valley.",
        "The river burst its banks after heavy rain and cut the valley's only road.",
        "A teenager won the national chess championship on Sunday.",
    ], kind="static")
    assert a.shape == (embeddings.STATIC_PCA_DIMS,)
    assert float(a @ b) > float(a @ c) + 0.1
