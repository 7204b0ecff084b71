"""Measures: a quake's magnitude, a place's population and a person's age read as quantities, so
two accounts of one measure can disagree, and two different measures never do."""

from __future__ import annotations

from test_dossier_trust import _pair_dossier

from storyweave import nlp
from storyweave.nlp.quantities import find_quantities

_LEDE = "Quake hits island\n\n"


def _measures(text: str) -> list[tuple[float, str | None, str | None]]:
    doc = nlp.load_pipeline()(text)
    return [(q.value, q.qualifier, q.of) for q in find_quantities(doc)]


def test_magnitude_population_and_age_are_read_in_their_usual_wordings():
    assert _measures("A 5.9-magnitude earthquake hit the island.") == [(5.9, None, "quake magnitude")]
    assert _measures("The quake measured 6.1 on the Richter scale.") == [(6.1, None, "quake magnitude")]
    assert _measures("A magnitude-5.2 aftershock followed.") == [(5.2, None, "aftershock magnitude")]
    assert _measures("The island has a population of about 120,000.") == [(120000.0, "about", "population")]
    assert _measures("Qeshm, home to some 200,000 people, was hit.") == [(200000.0, "some", "population")]
    assert _measures("A 32-year-old man was arrested.") == [(32.0, None, "age")]


def test_two_magnitudes_for_one_quake_conflict():
    d = _pair_dossier("mag", _LEDE + "A magnitude 6.1 earthquake struck the island of Ventra on Sunday, killing three "
                      "people, officials said.",
                      _LEDE + "A 5.9-magnitude earthquake hit Ventra island on Sunday, killing three people, "
                      "officials said.")
    assert [(c.kind, sorted(v.value for v in c.variants)) for c in d.conflicts] == [
        ("number", ["5.9-magnitude earthquake", "magnitude 6.1 earthquake"])]
    assert "disputed" in [c.status for c in d.claims]


def test_an_aftershock_is_not_the_quake_and_a_rounded_magnitude_agrees():
    aftershock = _pair_dossier(
        "after", _LEDE + "A magnitude 6.1 earthquake struck the island of Ventra on Sunday, officials said.",
        _LEDE + "A magnitude 5.2 aftershock struck the island of Ventra on Sunday, officials said.")
    assert not [c for c in aftershock.conflicts if c.kind == "number"]
    about = _pair_dossier(
        "about", _LEDE + "A magnitude 6.1 earthquake struck the island of Ventra on Sunday, officials said.",
        _LEDE + "An earthquake of about magnitude 6 struck the island of Ventra on Sunday, officials said.")
    assert not [c for c in about.conflicts if c.kind == "number"]


def test_prison_terms_are_read_in_days_and_two_terms_for_one_stay_conflict():
    assert _measures("He served four and a half months in prison.") == [(135.0, None, "prison term")]
    assert _measures("She was sentenced to twenty-five years.") == [(9125.0, None, "prison term")]
    assert _measures("He served four months in federal prison.") == [(120.0, None, "prison term")]
    lede = "Aide freed\n\nFormer aide Carl Moss was freed on Friday. "
    d = _pair_dossier("term", lede + "Moss served four and a half months in prison for perjury, his lawyer said.",
                      lede + "Moss served four months in prison for perjury, his lawyer said.")
    assert [(c.kind, c.subject) for c in d.conflicts] == [("number", "prison term")]


def test_a_maximum_term_does_not_dispute_the_sentence():
    lede = "Aide sentenced\n\nFormer aide Carl Moss was sentenced on Friday. "
    d = _pair_dossier("max", lede + "Moss was sentenced to six years for perjury, his lawyer said.",
                      lede + "Moss faced up to 20 years in prison for perjury, his lawyer said.")
    assert not [c for c in d.conflicts if c.kind == "number"]


def test_two_directions_from_one_place_conflict_and_neighbouring_ones_do_not():
    quake = "Quake hits Aceh\n\nA strong earthquake struck Aceh province on Tuesday, "
    d = _pair_dossier("bearing",
                      quake + "with its epicentre 55 km south of Bireun and 72 km southeast of Reuleuet, the agency said.",
                      quake + "with its epicentre 55 km (34 miles) west of the town of Bireun on the western tip of "
                      "Sumatra.")
    assert [(c.kind, c.subject) for c in d.conflicts] == [("place", "direction from Bireun")]
    assert "disputed" in [c.status for c in d.claims]
    near = _pair_dossier("bearing2", quake + "with its epicentre 55 km north of Bireun, the agency said.",
                         quake + "with its epicentre 55 km northeast of Bireun, the agency said.")
    assert not [c for c in near.conflicts if c.kind == "place"]


def test_a_number_split_by_tokenised_text_reads_as_one_number():
    # ECB+ and other tokenised corpora write "230,000" as "230, 000" and "6.1" as "6. 1"
    assert _measures("A magnitude-6. 1 earthquake struck the province.") == [(6.1, None, "quake magnitude")]
    assert _measures("The tsunami killed about 230, 000 people.") == [(230000.0, "about", "people")]
    assert _measures("The plan costs $ 5. 7 billion.") == [(5.7e9, None, "US dollars")]
    assert _measures("Some 10, 000 to 15, 000 people fled.")[0][0] == 10000.0
    # a date's day before a count, and a count opening the next sentence, stay apart
    assert _measures("On May 5, 100 protesters marched.") == [(100.0, None, "protesters")]
    assert _measures("He died in 2006. 12 people attended the funeral.") == [(12.0, None, "people")]


def test_two_tolls_written_in_tokenised_text_conflict():
    d = _pair_dossier("toll", _LEDE + "The tsunami killed 120, 000 people on the island of Ventra on Sunday, officials said.",
                      _LEDE + "The tsunami killed 150,000 people on the island of Ventra on Sunday, officials said.")
    assert [c.kind for c in d.conflicts] == ["number"]


def test_a_count_of_an_earlier_happening_or_of_a_part_is_not_the_storys_count():
    lede = "Quake hits Ventra\n\nA strong earthquake struck the island of Ventra on Tuesday, officials said. "
    earlier = _pair_dossier("earlier", lede + "In April last year a magnitude 8.6 earthquake struck off Ventra, prompting a tsunami alert.",
                            lede + "A magnitude 6.1 earthquake struck off Ventra, prompting a tsunami alert.")
    assert not [c for c in earlier.conflicts if c.kind == "number"]
    part = _pair_dossier("part", lede + "A tsunami in 2004 killed 170,000 people in the province and tens of thousands more in countries around the ocean.",
                         lede + "A tsunami in 2004 killed 230,000 people across the region.")
    assert not [c for c in part.conflicts if c.kind == "number"]
    # the same toll told twice, neither a part nor dated apart, still conflicts
    toll = _pair_dossier("toll2", lede + "A tsunami in 2004 killed 170,000 people in the province.",
                         lede + "A tsunami in 2004 killed 230,000 people in the province.")
    assert [c.kind for c in toll.conflicts if c.kind == "number"] == ["number"]
