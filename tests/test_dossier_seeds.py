"""The dossier of the seeds' first story against the hand-made gold (../shared/gold/seeds.json),
built through the real stages: ingest, clean, nlp, the clusterer's copy detection, embeddings."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from storyweave import cluster, nlp
from storyweave.clean import clean_document
from storyweave.compare import fold_name, normalise
from storyweave.dossier import build_dossier, render_html, render_json, shipped_schema
from storyweave.ingest import read_inputs
from storyweave.model import Dossier, RawDocument, Story

pytestmark = pytest.mark.slow  # reads and clusters every seed article with the real models


@pytest.fixture(scope="module")
def seeds(seeds_dir: Path):
    docs = [d for d in read_inputs([str(seeds_dir)]) if isinstance(d, RawDocument)]
    articles = [clean_document(d) for d in docs]
    readings = {r.article_id: r for r in nlp.read_articles(articles)}
    by_name = {Path(a.source).stem: a for a in articles}
    return articles, readings, by_name


@pytest.fixture(scope="module")
def clustered(seeds) -> list[Story]:
    articles, readings, _ = seeds
    return cluster.cluster_articles(articles, readings, None).stories


def _story(seeds, clustered: list[Story], names: list[str], story_id: str) -> Story:
    """The real clusterer's story when it matches the gold grouping; otherwise the gold grouping
    with the copy groups the clusterer found among those articles."""
    _, _, by_name = seeds
    ids = [by_name[n].id for n in names]
    for story in clustered:
        if set(story.article_ids) == set(ids):
            return story
    copies = [[i for i in g if i in ids] for s in clustered for g in s.copies]
    return Story(id=story_id, article_ids=ids, copies=[g for g in copies if len(g) > 1])


@pytest.fixture(scope="module")
def first(seeds, clustered, gold) -> Dossier:
    articles, readings, _ = seeds
    story = _story(seeds, clustered, gold["stories"][0]["articles"], "seed_story_1")
    return build_dossier(story, articles, readings)


@pytest.fixture(scope="module")
def singles(seeds, clustered, gold) -> dict[str, Dossier]:
    articles, readings, _ = seeds
    out = {}
    for i, s in enumerate(gold["stories"][1:]):
        (name,) = s["articles"]
        out[name] = build_dossier(_story(seeds, clustered, [name], f"seed_single_{i}"), articles, readings)
    return out


def _norm(text: str) -> str:
    return normalise(text).lower()


def test_gold_corroborated_facts_are_claims_of_all_their_articles(first, seeds, gold):
    _, _, by_name = seeds
    for fact in gold["corroborated_facts"]:
        want = {by_name[n].id for n in fact["articles"]}
        matches = [
            c for c in first.claims
            if want <= {s.article_id for s in c.support}
            and all(any(_norm(k) in _norm(s.sentence) for s in c.support) for k in fact["keys"])
        ]
        assert matches, f"no claim supported by {sorted(want)} for {fact['fact']!r}"
        claim = matches[0]
        assert claim.status == "corroborated", (fact["fact"], claim.status)
        # All three relay one Wall Street Journal report: corroborated, one independent source.
        assert claim.independent_sources == 1, (fact["fact"], claim.origins)
        assert [fold_name(o) for o in claim.origins] == ["wall street journal"]


def test_gold_single_source_facts_stay_single_source(first, seeds, gold):
    _, _, by_name = seeds
    for fact in gold["single_source_facts"]:
        holders = [c for c in first.claims if any(all(_norm(k) in _norm(s.sentence) for k in fact["keys"]) for s in c.support)]
        assert holders, f"no claim for {fact['fact']!r}"
        for claim in holders:
            assert claim.status == "single-source", (fact["fact"], [s.sentence for s in claim.support])
            assert {s.article_id for s in claim.support} == {by_name[fact["article"]].id}


def test_gold_conflicts(first, seeds, gold):
    _, _, by_name = seeds
    for want in gold["conflicts"]:
        found = [c for c in first.conflicts if c.kind == want["kind"] and "bret" in c.subject.lower()]
        assert found, f"no {want['kind']} conflict about {want['subject']}"
        variants = found[0].variants
        for wv in want["variants"]:
            aid = by_name[wv["article"]].id
            assert any(_norm(wv["value"]) in _norm(v.value) and aid in v.article_ids for v in variants), (
                want["kind"], wv, [(v.value, v.article_ids) for v in variants]
            )


def test_gold_primary_source_of_every_article(first, singles, seeds, gold):
    _, _, by_name = seeds
    prov = {p.article_id: p for d in (first, *singles.values()) for p in d.provenance}
    for item in gold["derivation"]:
        p = prov[by_name[item["article"]].id]
        assert fold_name(p.primary_source or "") == fold_name(item["primary_source"]), (item, p)
        cited = gold["articles"][item["article"]]["cites"]
        assert p.relation == ("cites" if cited else "own-reporting")
        if cited:
            assert p.evidence and any(_norm(p.primary_source or "") in _norm(e.sentence) for e in p.evidence)


def _covers(found: set[str], term: str) -> bool:
    """Gold terms are sets compared case-sensitively; 'Takfiri' covers 'Takfiris'."""
    return any(f == term or f.startswith(term) or term.startswith(f) for f in found)


def test_framing_terms_of_each_article(first, singles, seeds, gold):
    _, _, by_name = seeds
    framing = {f.article_id: f for d in (first, *singles.values()) for f in d.framing.articles}
    for name, want in gold["articles"].items():
        fr = framing[by_name[name].id]
        for term in want["group_names"]:
            assert _covers(set(fr.group_names), term), (name, term, fr.group_names)
        for term in want["member_labels"]:
            assert _covers(set(fr.member_labels), term), (name, term, fr.member_labels)
        for phrase in want.get("loaded", []):
            assert any(_norm(phrase) in _norm(i.term) for i in fr.loaded), (name, phrase)
    side = {t.concept: t for t in first.framing.side_by_side}
    assert len(side["group name"].by_outlet) == 3  # one column per outlet (or unknown outlet)


def test_opinion_sentences_of_the_idlib_article(singles, seeds, gold):
    name = gold["stories"][2]["articles"][0]
    d = singles[name]
    (fr,) = d.framing.articles
    opinions = [_norm(i.sentence) for i in fr.opinion]
    for sentence in gold["articles"][name]["opinion_sentences"]:
        assert any(_norm(sentence) in o for o in opinions), (sentence, opinions)
    # Reporting sentences stay reporting, and opinions are not offered as claims of fact.
    assert not any("has confirmed" in o for o in opinions)
    assert not any("no free rides" in _norm(s.sentence) for c in d.claims for s in c.support)


def test_summary_cites_its_sources(first, singles, seeds):
    articles, _, _ = seeds
    bodies = {a.id: normalise(a.body) for a in articles}
    for d in (first, *singles.values()):
        assert d.summary
        for s in d.summary:
            assert len(s.article_ids) >= 1 and set(s.article_ids) <= set(d.story.article_ids)
            # Extractive: the sentence is in the text of an article it cites.
            assert any(normalise(s.text) in bodies[a] for a in s.article_ids), s.text
    assert any(len(s.article_ids) == 3 for s in first.summary), "the main fact is reported by all three"


def test_seed_dossiers_validate_and_render(first, singles):
    schema = shipped_schema()
    for d in (first, *singles.values()):
        jsonschema.validate(json.loads(render_json(d)), schema)
        page = render_html(d)
        assert "<script" not in page
