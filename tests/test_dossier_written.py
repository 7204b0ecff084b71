"""Dossiers of short stories written for these tests, read by the real NLP stage and the real
embedding model: number, title and quote conflicts, copies that must not count as independent,
articles relaying one report, a scope difference that is not a conflict, hostile article text."""

from __future__ import annotations

import json

import jsonschema
import pytest

from storyweave import nlp
from storyweave.compare import fold_name
from storyweave.dossier import (
    build_dossier,
    dossier_schema,
    render_html,
    render_index,
    render_json,
    render_markdown,
    shipped_schema,
)
from storyweave.model import Article, Dossier, Story

DAM_A = """Dam failure forces evacuation in Millbrook

Officials said 150 residents were evacuated from Millbrook on Tuesday after the Carver Dam failed. Interior Minister Jane Doerr said the bridge on Route 9 would reopen in May. "We will rebuild every home," Mayor Tom Alvarez said at a news conference. More than 4,000 Europeans have volunteered for the relief effort, organisers estimate."""

DAM_B = """Millbrook evacuated as dam gives way

Officials said 120 residents were evacuated from Millbrook on Tuesday after the Carver Dam failed. Transport Minister Jane Doerr said the bridge on Route 9 would reopen in May. "We will rebuild every single home," Mayor Tom Alvarez told reporters. About 4,500 Westerners have volunteered for the relief effort, organisers estimate."""

FIRE_ORIGINAL = """Warehouse fire closes harbour road

A fire destroyed a grain warehouse on the Kestrel harbour road early on Sunday, the port authority said. Firefighters from three towns fought the blaze for six hours before bringing it under control. The harbour road will stay closed until the structure has been inspected by engineers, the authority added."""

FIRE_OTHER = """Harbour blaze ruins grain store

Fire crews spent six hours fighting a blaze that destroyed a grain warehouse on the Kestrel harbour road on Sunday morning. Local farmers fear the loss of stored wheat will push up feed prices this winter."""

STRIKE_A = """Dock workers walk out

Dock workers at Port Arlen began a 48-hour strike on Monday over pay, according to The Coastal Herald. The union is demanding a nine percent raise for its 2,300 members."""

STRIKE_B = """Port Arlen strike begins

A 48-hour strike by dock workers at Port Arlen began on Monday in a dispute over pay, The Coastal Herald reported. Ships were diverted to neighbouring harbours."""

FERRY_A = """Ferry runs aground

A passenger ferry ran aground near Port Elden on Tuesday, the coast guard said. All 212 passengers were taken ashore by lifeboats."""

FERRY_B = """Ferry grounded, passengers rescued

A passenger ferry ran aground near Port Hallam on Wednesday, the coast guard said. All 212 passengers were taken ashore by lifeboats."""

ARMY_A = """The army deployed 150 soldiers to the border town of Keswin on Monday, the defence ministry said."""

ARMY_B = """The army sent 120 troops to the border town of Keswin on Monday, the defence ministry said."""

HOSTILE = """Council vote <script>alert("x")</script> delayed

The council delayed its vote on the budget <img src=x "onerror=alert(1)> until next week, the clerk said. Members said the figures <b>did not add up</b> and asked for an audit of the parks department."""


def _article(aid: str, body: str, outlet: str | None, **extra) -> Article:
    extra.setdefault("published", "2024-03-05")
    return Article(id=aid, source=f"written/{aid}.txt", body=body, raw_sha256=(aid * 64)[:64],
                   outlet=outlet, **extra)


@pytest.fixture(scope="module")
def corpus():
    arts = [
        _article("dam_a", DAM_A, "Valley Post"),
        _article("dam_b", DAM_B, "River Courier"),
        _article("fire_orig", FIRE_ORIGINAL, "Harbour Daily"),
        # A syndicated verbatim copy under another outlet's name.
        _article("fire_copy", FIRE_ORIGINAL, "Coast Wire", syndicated_from="Harbour Daily"),
        _article("fire_other", FIRE_OTHER, "Farm Weekly"),
        _article("strike_a", STRIKE_A, "Metro Today", cites=["The Coastal Herald"]),
        _article("strike_b", STRIKE_B, "Evening Star", cites=["The Coastal Herald"]),
        _article("hostile", HOSTILE, "Town <i>Crier</i>"),
        _article("army_a", ARMY_A, "Daily Signal"),
        _article("army_b", ARMY_B, "North Gazette"),
        _article("ferry_a", FERRY_A, "Island News", published="2024-03-07"),
        _article("ferry_b", FERRY_B, "Ferry Times", published="2024-03-07"),
    ]
    readings = {r.article_id: r for r in nlp.read_articles(arts)}
    return arts, readings


def _dossier(corpus, ids: list[str], copies: list[list[str]] | None = None) -> Dossier:
    arts, readings = corpus
    story = Story(id="story_" + ids[0], title="written story", article_ids=ids, copies=copies or [])
    return build_dossier(story, arts, readings)


@pytest.fixture(scope="module")
def dam(corpus) -> Dossier:
    return _dossier(corpus, ["dam_a", "dam_b"])


@pytest.fixture(scope="module")
def fire(corpus) -> Dossier:
    return _dossier(corpus, ["fire_orig", "fire_copy", "fire_other"], copies=[["fire_orig", "fire_copy"]])


def _claim_with(d: Dossier, text: str):
    found = [c for c in d.claims if any(text in s.sentence for s in c.support)]
    assert found, f"no claim supported by a sentence containing {text!r}"
    return found[0]


def test_number_conflict_between_aligned_sentences(dam):
    numbers = [c for c in dam.conflicts if c.kind == "number"]
    assert len(numbers) == 1, numbers
    values = {v.article_ids[0]: v.value for v in numbers[0].variants}
    assert "150" in values["dam_a"] and "120" in values["dam_b"]
    assert "residents" in numbers[0].subject
    claim = _claim_with(dam, "150 residents")
    assert claim.status == "disputed"
    assert {s.article_id for s in claim.support} == {"dam_a", "dam_b"}


def test_number_conflict_between_synonymous_counted_nouns(corpus):
    d = _dossier(corpus, ["army_a", "army_b"])
    (conflict,) = [c for c in d.conflicts if c.kind == "number"]
    assert {v.article_ids[0]: v.value for v in conflict.variants} == {"army_a": "150 soldiers", "army_b": "120 troops"}


def test_title_conflict_for_one_person(dam):
    titles = [c for c in dam.conflicts if c.kind == "title"]
    assert len(titles) == 1
    assert titles[0].subject == "Jane Doerr"
    assert {v.value: v.article_ids for v in titles[0].variants} == {
        "Interior Minister": ["dam_a"], "Transport Minister": ["dam_b"],
    }
    # The mayor has the same title in both: no conflict about him.
    assert not any("Alvarez" in c.subject for c in dam.conflicts if c.kind == "title")


def test_quote_variants_aligned_and_reported(dam):
    quotes = [c for c in dam.conflicts if c.kind == "quote"]
    assert len(quotes) == 1 and quotes[0].subject == "Tom Alvarez"
    assert "single" in (quotes[0].note or "")
    speaker = next(q for q in dam.quotes if q.speaker == "Tom Alvarez")
    assert len(speaker.variants) == 2
    assert len({v.group for v in speaker.variants}) == 1  # one utterance, two wordings
    assert {a for v in speaker.variants for a in v.article_ids} == {"dam_a", "dam_b"}


def test_scope_difference_is_not_a_conflict(dam):
    assert not any("Europeans" in c.subject or "Westerners" in c.subject for c in dam.conflicts)
    calls = [c for c in dam.close_calls if "Europeans" in c.subject]
    assert calls and "scope" in (calls[0].note or "")
    # The volunteers sentence is still the same claim, and it is not disputed.
    claim = _claim_with(dam, "Europeans")
    assert claim.status == "corroborated"


def test_date_conflict_and_place_close_call(corpus):
    d = _dossier(corpus, ["ferry_a", "ferry_b"])
    by_kind = {c.kind: c for c in d.conflicts}
    assert set(by_kind) == {"date"}, [c.kind for c in d.conflicts]
    dates = {v.article_ids[0]: v.value for v in by_kind["date"].variants}
    # Weekdays resolved against the publication date (Thursday 2024-03-07).
    assert dates["ferry_a"].startswith("2024-03-05") and dates["ferry_b"].startswith("2024-03-06")
    # Two places for one happening are shown, but as a close call: one may lie inside the other.
    (place,) = [c for c in d.close_calls if c.kind == "place"]
    assert {v.article_ids[0]: v.value for v in place.variants} == {"ferry_a": "Port Elden", "ferry_b": "Port Hallam"}
    assert _claim_with(d, "ran aground").status == "disputed"
    assert _claim_with(d, "212 passengers").status == "corroborated"


def test_no_place_or_date_conflict_when_accounts_agree(dam):
    assert not [c for c in dam.conflicts if c.kind in {"place", "date"}]


def test_copy_does_not_count_as_independent(fire):
    prov = {p.article_id: p for p in fire.provenance}
    assert prov["fire_copy"].relation == "copies"
    assert prov["fire_copy"].copies_of == ["fire_orig"]
    assert prov["fire_copy"].shared_passages, "the copied sentences are shown as evidence"
    assert prov["fire_orig"].relation == "own-reporting"
    assert prov["fire_other"].primary_source == "Farm Weekly"

    # Stated only by the original and its copy: one account, not corroboration.
    inspected = _claim_with(fire, "inspected by engineers")
    assert {s.article_id for s in inspected.support} == {"fire_orig", "fire_copy"}
    assert inspected.status == "single-source"
    assert inspected.independent_sources == 1

    # Stated by the original, its copy and an independent outlet: two accounts.
    six_hours = _claim_with(fire, "six hours")
    assert {s.article_id for s in six_hours.support} == {"fire_orig", "fire_copy", "fire_other"}
    assert six_hours.status == "corroborated"
    assert six_hours.independent_sources == 2

    farmers = _claim_with(fire, "feed prices")
    assert farmers.status == "single-source" and farmers.independent_sources == 1


def test_copies_are_found_when_clustering_does_not_report_them(corpus):
    d = _dossier(corpus, ["fire_orig", "fire_copy", "fire_other"], copies=[])
    assert d.story.copies == []  # the story object is the clusterer's, unchanged
    prov = {p.article_id: p for p in d.provenance}
    assert prov["fire_copy"].relation == "copies" and prov["fire_copy"].copies_of == ["fire_orig"]
    assert prov["fire_other"].relation == "own-reporting"
    inspected = _claim_with(d, "inspected by engineers")
    assert inspected.status == "single-source" and inspected.independent_sources == 1


def test_relaying_one_report_is_corroborated_but_one_independent_source(corpus):
    d = _dossier(corpus, ["strike_a", "strike_b"])
    for p in d.provenance:
        assert p.relation == "cites" and fold_name(p.primary_source or "") == "coastal herald"
    claim = _claim_with(d, "48-hour strike")
    assert {s.article_id for s in claim.support} == {"strike_a", "strike_b"}
    assert claim.status == "corroborated"
    assert claim.independent_sources == 1
    assert [fold_name(o) for o in claim.origins] == ["coastal herald"]
    assert "one primary source" in (claim.note or "")


def test_timeline_merges_one_event_told_by_two_articles(dam):
    by_date: dict[str, list] = {}
    for ev in dam.timeline:
        by_date.setdefault(ev.date, []).append(ev)
    assert [e.date for e in dam.timeline] == sorted(e.date for e in dam.timeline)
    published = [e for e in by_date["2024-03-05"] if e.text == "Articles published"]
    assert published and {s.article_id for s in published[0].support} == {"dam_a", "dam_b"}
    # "on Tuesday" in both aligned sentences: one event, both sources.
    evacuation = [e for e in by_date["2024-03-05"] if "evacuated" in e.text]
    assert len(evacuation) == 1 and {s.article_id for s in evacuation[0].support} == {"dam_a", "dam_b"}
    # "in May", resolved to a month only, never to an invented day.
    assert [e.date for e in dam.timeline if "reopen" in e.text] == ["2024-05"]


def test_summary_sentences_are_extractive_and_cited(dam, fire):
    for d in (dam, fire):
        assert d.summary
        ids = set(d.story.article_ids)
        for s in d.summary:
            assert s.article_ids and set(s.article_ids) <= ids
            assert {sup.article_id for sup in s.support} == set(s.article_ids)
            assert any(sup.sentence == s.text for sup in s.support), "a summary sentence is a source sentence"


def test_hostile_text_is_escaped_everywhere(corpus):
    d = _dossier(corpus, ["hostile"])
    page = render_html(d)
    assert "<script" not in page.lower()
    assert "<img" not in page.lower()
    assert '"onerror=' not in page
    assert "<i>Crier" not in page and "<b>did" not in page
    assert "&lt;script&gt;" in page or "&lt;img" in page
    md = render_markdown(d)
    assert "<script" not in md and "<img" not in md
    index = render_index([Story(id="x\"><script>", title="<script>alert(1)</script>", article_ids=["hostile"])])
    assert "<script" not in index


def test_renderings_and_schema(dam, fire):
    assert shipped_schema() == dossier_schema(), "run: python -m storyweave.dossier.schema"
    for d in (dam, fire):
        data = json.loads(render_json(d))
        jsonschema.validate(data, shipped_schema())
        assert Dossier.model_validate(data) == d
        md = render_markdown(d)
        assert "## Conflicts" in md and "## Summary" in md
        page = render_html(d)
        assert page.startswith("<!doctype html>") and "<style>" in page and "<script" not in page
    broken = json.loads(render_json(dam))
    broken["claims"][0]["support"] = "not a list"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, shipped_schema())
    # The enum-like fields are closed: a value outside the model's set fails the shipped schema.
    for field, path in (("status", ("claims", 0)), ("relation", ("provenance", 0)), ("kind", ("conflicts", 0))):
        wrong = json.loads(render_json(dam))
        wrong[path[0]][path[1]][field] = "confirmed"
        with pytest.raises(jsonschema.ValidationError, match="confirmed"):
            jsonschema.validate(wrong, shipped_schema())


def test_articles_without_reading_do_not_crash(corpus):
    arts, readings = corpus
    story = Story(id="partial", article_ids=["dam_a", "dam_b"])
    d = build_dossier(story, arts, {"dam_a": readings["dam_a"]})
    assert {p.article_id for p in d.provenance} == {"dam_a", "dam_b"}
    assert all(len({s.article_id for s in c.support}) == 1 for c in d.claims)
    empty = build_dossier(Story(id="empty"), [], {})
    assert empty.claims == [] and empty.summary == []
