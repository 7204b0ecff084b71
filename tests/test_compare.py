"""The comparison stage's parts on their own: neighbour search, quote alignment, provenance."""

from __future__ import annotations

import numpy as np

from storyweave.compare import QuoteMention, align_quotes, fold_name, trace_provenance
from storyweave.compare._align import Statement, _ann_neighbours, _exact_neighbours
from storyweave.model import Article, Attribution, Reading, Sentence, Story


def _unit_vectors(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = rng.normal(size=(n, 64)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_hnsw_neighbours_match_exact_search():
    vectors = _unit_vectors(800)
    statements = [Statement(article_id=f"a{i // 8}", index=i % 8, text="t", start=0, end=1) for i in range(800)]
    exact = {(i, j): s for i, j, s in _exact_neighbours(statements, vectors)}
    approx = {(i, j): s for i, j, s in _ann_neighbours(statements, vectors)}
    assert all(statements[i].article_id != statements[j].article_id for i, j in approx)
    recall = len(exact.keys() & approx.keys()) / len(exact)
    assert recall > 0.95
    for key in list(exact.keys() & approx.keys())[:50]:
        assert abs(exact[key] - approx[key]) < 1e-4


def _mention(aid: str, text: str, key: str | None = None, speaker: str | None = None) -> QuoteMention:
    return QuoteMention(aid, speaker, key, text, 0, len(text), text, 0, len(text))


def test_quotes_align_by_wording_and_speaker():
    mentions = [
        _mention("a", "We will rebuild every home in this town", "person:x", "Ann X"),
        _mention("b", "We will rebuild every single home in this town", "person:x", "Ann X"),
        _mention("c", "We will rebuild every home in this town", "person:y", "Bo Y"),  # another speaker
        _mention("d", "The budget will be balanced by next spring", None, "he"),
        _mention("e", "rebuild every single home", None, None),  # part of b's wording, unattributed
    ]
    groups = {frozenset(m.article_id for m in g) for g in align_quotes(mentions)}
    assert frozenset({"a", "b", "e"}) in groups
    assert frozenset({"c"}) in groups and frozenset({"d"}) in groups


def test_an_unattributed_quote_never_joins_two_speakers():
    mentions = [
        _mention("a", "We will rebuild every home in this town", "person:x", "Ann X"),
        _mention("c", "We will rebuild every home in this town", "person:y", "Bo Y"),
        _mention("e", "rebuild every home", None, None),  # matches both exactly
    ]
    for group in align_quotes(mentions):
        assert len({m.speaker_key for m in group if m.speaker_key}) <= 1


def test_provenance_prefers_most_credited_publication_and_ignores_own_outlet():
    body = ("The Daily Planet reported the merger on Monday. According to The Daily Planet, talks "
            "lasted a year. A spokesman told the Evening Post the deal was final.")
    article = Article(id="p1", source="p1", body=body, raw_sha256="0" * 64, outlet="Evening Post",
                      cites=["The Daily Planet"])
    reading = Reading(
        article_id="p1",
        sentences=[Sentence(text=body[:47], start=0, end=47)],
        attributions=[
            Attribution(source="The Daily Planet", cue="reported", is_publication=True, start=0, end=16),
            Attribution(source="The Daily Planet", cue="according to", is_publication=True, start=48, end=77),
            Attribution(source="the Evening Post", cue="told", is_publication=True, start=119, end=135),
        ],
    )
    (prov,) = trace_provenance(Story(id="s", article_ids=["p1"]), [article], {"p1": reading})
    assert prov.relation == "cites" and fold_name(prov.primary_source or "") == "daily planet"
    assert [fold_name(c) for c in prov.cited] == ["daily planet"]  # its own outlet is not a citation
    assert prov.evidence and "Daily Planet" in prov.evidence[0].sentence


def test_provenance_unknown_outlet_stays_unknown():
    article = Article(id="u1", source="u1", body="Nobody is credited here.", raw_sha256="1" * 64)
    (prov,) = trace_provenance(Story(id="s", article_ids=["u1"]), [article], {})
    assert prov.relation == "own-reporting" and prov.primary_source is None


def test_one_disagreement_seen_in_several_groups_is_one_conflict():
    from storyweave.compare._conflicts import merge_repeated
    from storyweave.model import Conflict, Variant

    def sighting(ids_a, ids_b, low="120 passengers", high="About 150 passengers"):
        return Conflict(kind="number", subject="passengers", variants=[
            Variant(value=low, article_ids=ids_a, sentence="..."),
            Variant(value=high, article_ids=ids_b, sentence="..."),
        ])

    merged = merge_repeated([
        sighting(["a"], ["b"]), sighting(["a"], ["c"], high="about 150 passengers"),
        sighting(["a"], ["d"], high="about 130 passengers"),
        Conflict(kind="title", subject="passengers", variants=[]),
    ])
    assert [c.kind for c in merged] == ["number", "number", "title"]
    first = merged[0]
    assert {v.value: v.article_ids for v in first.variants} == {
        "120 passengers": ["a"], "About 150 passengers": ["b", "c"]}
    assert {v.value for v in merged[1].variants} == {"120 passengers", "about 130 passengers"}


def test_one_title_written_three_ways_is_not_a_title_conflict():
    from storyweave.compare._conflicts import _fold_role

    assert _fold_role("harbour master") == _fold_role("harbourmaster") == _fold_role("Harbour-master")
    assert _fold_role("harbour master") != _fold_role("port director")
