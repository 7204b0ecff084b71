"""The seeds read against the shared gold: quotes with speakers, quantities, citations, group
names and member labels. The gold is hand-made; nothing here is derived from our own output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from storyweave.clean import clean_document
from storyweave.ingest import read_inputs
from storyweave.model import Article, Reading
from storyweave.nlp import READER_VERSION, read_articles

_PLAIN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})


def norm(text: str | None) -> str:
    return " ".join((text or "").translate(_PLAIN).split())


def loose(text: str | None) -> str:
    """Case-folded, leading article dropped: 'the Guardian' names 'The Guardian'."""
    return re.sub(r"^the\s+", "", norm(text).casefold())


def singular(term: str) -> str:
    """'Takfiris' -> 'Takfiri': the gold's terms cover their plurals."""
    return norm(term).removesuffix("'s").removesuffix("s")


@pytest.fixture(scope="module")
def seeds(seeds_dir: Path) -> dict[str, tuple[Article, Reading]]:
    articles = []
    for item in read_inputs([str(seeds_dir)]):
        assert not hasattr(item, "reason"), item
        articles.append(clean_document(item))
    readings = read_articles(articles)
    out = {}
    for art, reading in zip(articles, readings, strict=True):
        out[Path(art.source).stem] = (art, reading)
    return out


def test_every_seed_is_read(seeds, gold):
    assert set(gold["articles"]) <= set(seeds)
    for art, reading in seeds.values():
        assert reading.article_id == art.id
        assert reading.reader_version == READER_VERSION
        assert reading.sentences and reading.entities


def test_offsets_point_into_the_body(seeds):
    for art, reading in seeds.values():
        for item in [*reading.sentences, *reading.entities, *reading.quantities, *reading.times]:
            assert art.body[item.start:item.end] == item.text
        for q in reading.quotes:
            assert art.body[q.start:q.end] == q.text
        for a in reading.attributions:
            assert 0 <= a.start < a.end <= len(art.body)
        for p in reading.people:
            for r in p.roles:
                assert art.body[r.start:r.end] == r.text


def test_gold_quotes_found_with_their_speakers(seeds, gold):
    for name, expected in gold["articles"].items():
        reading = seeds[name][1]
        for g in expected.get("quotes", []):
            hits = [q for q in reading.quotes if norm(g["contains"]) in norm(q.text)]
            assert hits, f"{name}: no quote contains {g['contains']!r}"
            speakers = {loose(q.speaker) for q in hits}
            assert loose(g["speaker"]) in speakers, f"{name}: {g['contains']!r} by {speakers}, gold {g['speaker']!r}"


def test_le_bret_spellings_share_one_speaker_key(seeds, gold):
    keys = set()
    spellings = set()
    for name, expected in gold["articles"].items():
        for g in expected.get("quotes", []):
            if g.get("speaker_is", g["speaker"]) != "Didier le Bret":
                continue
            spellings.add(g["speaker"])
            for q in seeds[name][1].quotes:
                if norm(g["contains"]) in norm(q.text):
                    keys.add(q.speaker_key)
    assert len(spellings) == 3
    assert len(keys) == 1 and None not in keys


def test_gold_titles_are_read_as_roles(seeds, gold):
    for conflict in gold["conflicts"]:
        if conflict["kind"] != "title":
            continue
        for v in conflict["variants"]:
            reading = seeds[v["article"]][1]
            roles = {norm(r.text) for p in reading.people for r in p.roles}
            assert v["value"] in roles, f"{v['article']}: roles {roles}"


def test_gold_quantities_found(seeds, gold):
    for name, expected in gold["articles"].items():
        reading = seeds[name][1]
        for g in expected.get("quantities", []):
            nouns = [g["of"].split()[-1].casefold()] + [w.casefold() for w in g.get("of_any", [])]
            hits = [
                q for q in reading.quantities
                if q.value == g["value"] and q.of and any(n in q.of.casefold() for n in nouns)
            ]
            assert hits, f"{name}: no quantity {g['value']} of {g['of']!r}: {[(q.value, q.of) for q in reading.quantities]}"
            if g.get("each"):
                assert any(q.each for q in hits), f"{name}: {g} not read as 'each'"
            if g.get("qualifier"):
                assert any(q.qualifier == g["qualifier"] for q in hits), f"{name}: {g} qualifier"


def test_gold_citations_found_as_attributions(seeds, gold):
    for name, expected in gold["articles"].items():
        reading = seeds[name][1]
        sources = [loose(a.source) for a in reading.attributions]
        for cited in expected.get("attributions_include", []) + expected.get("cites", []):
            assert any(loose(cited) in s for s in sources), f"{name}: {cited!r} not in {sources}"


def test_cited_publications_are_marked(seeds, gold):
    for name, expected in gold["articles"].items():
        reading = seeds[name][1]
        pubs = [loose(a.source) for a in reading.attributions if a.is_publication]
        for cited in expected.get("cites", []):
            assert any(loose(cited) in s for s in pubs), f"{name}: {cited!r} not a publication in {pubs}"


def test_gold_group_names_and_member_labels(seeds, gold):
    for name, expected in gold["articles"].items():
        reading = seeds[name][1]
        got_names = {singular(t) for t in reading.group_names}
        for term in expected["group_names"]:
            assert singular(term) in got_names, f"{name}: group name {term!r} not in {reading.group_names}"
        got_labels = {singular(t) for t in reading.member_labels}
        for term in expected["member_labels"]:
            assert singular(term) in got_labels, f"{name}: member label {term!r} not in {reading.member_labels}"
        assert all(c > 0 for c in [*reading.group_names.values(), *reading.member_labels.values()])


def test_times_resolve_against_the_article_date(seeds):
    for art, reading in seeds.values():
        for t in reading.times:
            if art.published is None:
                # with no article date only absolute dates can be resolved
                assert t.resolved is None or re.search(r"\d{4}", t.text), t
