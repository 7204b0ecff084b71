"""What a careful editor would not accept in a dossier, on short articles written for these tests
and read by the real NLP stage and embedding model: differences that are not conflicts, fragments
and passing mentions that must not count, credits that must, and quotes given to the right
speaker. The rules' own helpers are checked directly where a whole dossier would say less."""

from __future__ import annotations

import pytest
from test_speakers import _speakers

from storyweave import nlp
from storyweave.compare import numbers_in
from storyweave.compare._conflicts import _near_spelling, _reworded, _titles_clash
from storyweave.compare._text import same_by_abbreviation
from storyweave.dossier import build_dossier
from storyweave.model import Article, Dossier, Story

# Two outlets on one hearing: more or less detail, spelling, abbreviations, a nickname, a
# deictic date and numbers of different things, none of them a conflict.
HEARING_A = """Senate panel hears former CIA director

Former CIA Director John Brennan testified on Monday before the Senate Intelligence Committee in Washington. Fred Haskins, the committee's counsel, said the hearing would resume today. "We realised the threat was growing," Brennan told the senators. The agency's work force has grown to about 21,000 people, Brennan said. Lawmakers said the department lost $6 billion last year."""

HEARING_B = """Brennan testifies to Senate committee

John Brennan, the former director of the C.I.A., testified on Monday before the Senate Intelligence Committee in Washington. Frederick Haskins, the committee's counsel, said the hearing would resume on Tuesday. "We realized the threat was growing," Brennan told the senators. The agency's workforce has grown to 21,000 people, Brennan said. The department requested $5.7 billion for next year, lawmakers said."""

# A headline-like fragment and a passing mention of another publication.
CHARITY_A = """Charity run raises record sum

RIP Coach Daniel Webb
Runners raised $48,000 for the children's hospital at Saturday's charity run in Eastfield, organisers said. The race was founded by Daniel Webb, who died last year. A report in The Harbour Gazette last week misspelled the hospital's name."""

CHARITY_B = """Eastfield run breaks fundraising record

Coach Daniel Webb remembered at race
The charity run in Eastfield raised $48,000 for the children's hospital on Saturday, organisers said. Webb, a local coach, started the race in 2009."""

# Credit lines and staff witnesses: the article relays the agency.
QUAKE_AFP = """Quake shakes northern island

AFP, Tuesday 2 Jul 2013
A strong earthquake shook the northern island on Tuesday, damaging dozens of houses. People ran out of buildings in panic as the quake shook houses for around one minute, an AFP journalist at the scene said."""

QUAKE_REUTERS = """Air strike hits border camp

A refugee camp was hit by an air strike on Thursday near the border, a Reuters witness said. The Reuters correspondent saw a crater about two metres wide. Aid workers said nobody was hurt. Members of the SWAT team and a Defense witness were not involved."""

QUAKE_OWN = """Quake damages houses on northern island

A strong earthquake damaged dozens of houses on the northern island on Tuesday. "We felt the ground roll for a minute," a resident told our correspondent. Rescue teams searched collapsed homes through the night. Schools in the district will stay closed until Friday. Officials later told the Associated Press that power had been restored."""

RELAY = """Defectors ask embassies for help

Dozens of fighters have reportedly asked their embassies for help to return home. Many reportedly say they were doing aid work. Officials are said to doubt their accounts. One father told The Evening Herald his son had asked for help."""

SELF = """Gunman barricades office workers

Workers barricaded themselves in an office on the third floor, one of them told CNN. Police said the gunman fled in a car."""

# Quotes: a joint statement, and a statement whose speaker is named only at its end.
PREMIERE = """Producers name Oscars host

"We are thrilled to have her host the show," Craig Zadan and Neil Meron said in a statement.
"Initial estimates indicate that the repairs will take twelve days.
A repair vessel has been notified," SEACOM said in a statement."""


def _article(aid: str, body: str, outlet: str | None, **extra) -> Article:
    extra.setdefault("published", "2024-03-05")
    title, _, text = body.partition("\n\n")
    return Article(id=aid, source=f"written/{aid}.txt", body=text, title=title,
                   raw_sha256=(aid * 64)[:64], outlet=outlet, **extra)


@pytest.fixture(scope="module")
def corpus():
    arts = [
        _article("hear_a", HEARING_A, "Capitol Daily"),
        _article("hear_b", HEARING_B, "National Ledger", published="2024-03-04"),
        _article("run_a", CHARITY_A, "Eastfield Echo"),
        _article("run_b", CHARITY_B, "County Record"),
        _article("afp", QUAKE_AFP, "english.ahram.org.eg"),
        _article("reuters", QUAKE_REUTERS, "trust.org"),
        _article("own", QUAKE_OWN, "Island Times"),
        _article("self", SELF, "cnn.com"),
        _article("relay", RELAY, "Daily Wire Service"),
        _article("premiere", PREMIERE, "Film Weekly"),
    ]
    readings = {r.article_id: r for r in nlp.read_articles(arts)}
    return arts, readings


def _dossier(corpus, ids: list[str]) -> Dossier:
    arts, readings = corpus
    return build_dossier(Story(id="s_" + ids[0], title="written", article_ids=ids), arts, readings)


@pytest.fixture(scope="module")
def hearing(corpus) -> Dossier:
    return _dossier(corpus, ["hear_a", "hear_b"])


def test_detail_spelling_nickname_deictic_dates_and_other_numbers_are_not_conflicts(hearing):
    assert hearing.conflicts == [], [(c.kind, [v.value for v in c.variants]) for c in hearing.conflicts]
    assert not any(c.status == "disputed" for c in hearing.claims)


def test_the_shared_facts_of_the_hearing_are_corroborated(hearing):
    corroborated = [c for c in hearing.claims if c.status == "corroborated"]
    texts = [" | ".join(s.sentence for s in c.support) for c in corroborated]
    assert any("testified on Monday" in t and t.count("testified") == 2 for t in texts), texts
    assert any("21,000" in t for t in texts), texts


def test_a_headline_fragment_never_corroborates(corpus):
    d = _dossier(corpus, ["run_a", "run_b"])
    for c in d.claims:
        if c.status == "corroborated":
            assert not any("RIP" in s.sentence or "remembered at race" in s.sentence for s in c.support), c
    assert any(c.status == "corroborated" and any("48,000" in s.sentence for s in c.support) for c in d.claims)


def test_a_passing_mention_is_not_the_primary_source(corpus):
    d = _dossier(corpus, ["run_a", "run_b"])
    prov = {p.article_id: p for p in d.provenance}
    assert prov["run_a"].relation == "own-reporting", prov["run_a"]


def test_credit_lines_and_staff_witnesses_make_the_agency_the_source(corpus):
    d = _dossier(corpus, ["afp", "reuters", "own", "self", "relay"])
    prov = {p.article_id: p for p in d.provenance}
    assert (prov["afp"].relation, prov["afp"].primary_source) == ("cites", "AFP")
    assert (prov["reuters"].relation, prov["reuters"].primary_source) == ("cites", "Reuters")
    # Its own correspondent talked to the resident: a passing agency credit does not make it a relay.
    assert prov["own"].relation == "own-reporting"
    # An outlet never cites itself.
    assert prov["self"].relation == "own-reporting"
    # Retelling unnamed reports, naming one publication once: that publication is the source.
    assert (prov["relay"].relation, prov["relay"].primary_source) == ("cites", "The Evening Herald")


def test_joint_speakers_and_a_speaker_named_at_the_end_of_the_statement(corpus):
    d = _dossier(corpus, ["premiere"])
    speakers = {v.text[:20]: q.speaker for q in d.quotes for v in q.variants}
    assert "Zadan" in speakers["We are thrilled to h"] and "Meron" in speakers["We are thrilled to h"]
    assert speakers["Initial estimates in"] == "SEACOM"


@pytest.mark.parametrize(("a", "b", "clash"), [
    ("National Intelligence Coordinator", "National Intelligence Director", True),
    ("Interior Minister", "Transport Minister", True),
    ("Captain", "Chief Public Relations Officer", False),  # two roles one person may hold
    ("polygamist leader", "sect leader", False),  # one role described two ways
    ("CEO of EYP", "chief executive officer of EYP", False),
    ("Police spokesman", "local police inspector", False),  # a job in the force, not a rank
    ("executive vice president of Defenders of Wildlife and former director of the Fish and Wildlife Service",
     "executive vice president of the advocacy group Defenders of Wildlife", False),  # more or less detail
])
def test_which_titles_clash(a, b, clash):
    assert _titles_clash(a, b) is clash


def test_spellings_abbreviations_and_reworded_quotes():
    assert _near_spelling("Dider", "Didier") and _near_spelling("realised", "realized")
    assert not _near_spelling("Fred", "Frederick")  # a short form, not a misspelling
    assert same_by_abbreviation("US", "the United States") and not same_by_abbreviation("Paris", "Texas")
    assert _reworded(["we realised it", "we realized it"]) == []
    assert _reworded(["not going that well", "not going so well"]) == ["not going that well", "not going so well"]
    # quote marks around a phrase inside the quote are punctuation
    assert _reworded(["Police locked down the neighbourhood", "Police 'locked down ' the neighborhood"]) == []


def test_a_number_hyphenated_to_a_name_is_not_a_count():
    assert numbers_in("six AK-47 rifles and an F-35 jet, 12 magazines") == {"12"}


def test_a_title_abbreviation_ends_no_sentence_and_gives_way_to_the_name():
    body = ('"This is the kind of crime the death penalty was made for," said Dist. Atty. Steve Cooley. '
            'The suspect was "deliberately seeking out these individuals," according to Lt. Gerry Scherlinck.')
    art = Article(id="abbr", source="written/abbr.txt", body=body, raw_sha256="c" * 64)
    (reading,) = nlp.read_articles([art])
    assert len(reading.sentences) == 2 and reading.sentences[0].text.endswith("Steve Cooley.")
    assert {q.speaker for q in reading.quotes if q.kind == "direct"} == {"Steve Cooley", "Gerry Scherlinck"}


def test_claims_rank_key_facts_first_and_name_what_one_outlet_alone_reports(corpus):
    d = _dossier(corpus, ["run_a", "run_b"])
    outlets = [len(c.outlets) for c in d.claims]
    assert outlets == sorted(outlets, reverse=True)  # what most outlets state comes first
    single = [c for c in d.claims if c.status == "single-source"]
    assert single and all(f"only {c.outlets[0]} reports this" in (c.note or "") for c in single)


def test_summary_sentences_stand_alone(hearing):
    assert hearing.summary
    for s in hearing.summary:
        assert not s.text.startswith(('"', "He ", "She ", "They ", "It ")) and s.text[:1].isupper(), s.text


def test_a_title_with_more_or_less_detail_does_not_clash():
    assert not _titles_clash("Deputy", "Sheriff Deputy")
    assert not _titles_clash("former Attorney General", "former attorney general who")


def test_summary_never_starts_or_ends_inside_a_quote():
    story_arts = [
        _article("q_a", 'Harbour closes after fire\n\n"We acted fast. Within minutes every passenger had a life jacket on and the boats were in the water," harbour master Elin Vosk told reporters on Saturday.', "Lake Daily"),
        _article("q_b", 'Ferry fire on the lake\n\n"Within minutes every passenger had a life jacket on and the boats were in the water," harbour master Elin Vosk said on Saturday.', "Shore News"),
    ]
    story_readings = {r.article_id: r for r in nlp.read_articles(story_arts)}
    d = build_dossier(Story(id="s_q", title="q", article_ids=["q_a", "q_b"]), story_arts, story_readings)
    for s in d.summary:
        assert s.text.count('"') % 2 == 0, s.text


def test_a_pronoun_speaks_for_the_subject_before_it_not_a_name_in_a_quote_or_an_aside():
    body = ("Sheriff's Deputy Timothy Brennan, who had been Ortiz's partner for a year, called the verdict bittersweet.\n"
            'He explained, "You feel good, but it will never bring Jerry back to his family."\n'
            'DeGeneres announced the news in a tweet: "I would like to thank my wife Portia and the Academy."\n'
            '"I am so excited to be hosting the Oscars for the second time," she added in a statement.')
    spk = _speakers(body)
    assert spk["You feel good, but it wi"] == "Timothy Brennan"
    assert spk["I am so excited to be ho"] == "DeGeneres"


def test_police_ranks_appositions_listeners_and_hedges_do_not_take_the_speaker():
    body = ('The suspect was "deliberately seeking out these individuals," according to Troy police Lt. Gerry Scherlinck.\n'
            'Two men, believed to be "management level employees," underwent surgery, Scherlinck said.\n'
            '"We are thrilled to have her back," producers Craig Zadan and Neil Meron said in a statement.\n'
            '"They are absolutely not afraid of anything," Gerard Benezat, the store\'s insurer, told France Info.\n'
            '"It has become almost routine and everyone knows what needs to be done."')
    spk = _speakers(body)
    assert spk["deliberately seeking out"] == "Gerry Scherlinck"
    assert spk["management level employe"] == "Gerry Scherlinck"
    assert "Zadan" in spk["We are thrilled to have "] and "Meron" in spk["We are thrilled to have "]
    assert spk["It has become almost rou"] == "Gerard Benezat"  # France Info was spoken to


def test_the_doctor_is_the_person_whose_role_is_doctor():
    body = ('One child died when a wall collapsed, said Ema Suryani, a doctor at a health clinic in Lampahan.\n'
            '"We have received around 50 people with injuries," added the doctor.')
    assert _speakers(body)["We have received around "] == "Ema Suryani"


def test_a_quote_runs_through_bare_lines_and_stops_before_a_forgotten_attribution():
    body = ('The course of the warship was altered to intercept the boats.\n'
            '"The incident occurred when five boats were seen approaching the vessels.\n'
            'Seeing the warship, the skiffs tried to escape.\n'
            'Two of them managed to flee, " a defence spokesperson said.\n'
            '"Officers found a gun in the vehicle matching the description, Troy police Lt. Gerry Scherlinck said.')
    spk = _speakers(body)
    assert spk["The incident occurred wh"] == "a defence spokesperson"
    assert spk["Officers found a gun in "] == "Gerry Scherlinck"


def test_a_period_inside_brackets_ends_no_sentence():
    body = "At around 4:30 a.m. local time (11. 30 p. m. ET) the thieves rammed an SUV into the store. Le Monde reported it."
    art = Article(id="brk", source="written/brk.txt", body=body, raw_sha256="e" * 64)
    (reading,) = nlp.read_articles([art])
    assert [s.text for s in reading.sentences][-1] == "Le Monde reported it."
    assert len(reading.sentences) == 2


def test_a_copy_without_dates_is_one_account_but_no_one_is_said_to_copy():
    text = ("Title\n\nThe Indian Navy foiled a piracy attempt in the Gulf of Aden on Friday and arrested 26 pirates. "
            "The warship intercepted three skiffs and seized six rifles and 300 rounds of ammunition from the boats. "
            "This is the fifth anti-piracy operation by the warship since it was sent to the Gulf of Aden in September.")
    undated = [_article("c1", text, "Forum Reposts", published=None), _article("c2", text, "Daily Paper", published=None)]
    dated = [_article("d1", text, "Forum Reposts", published="2011-11-12"), _article("d2", text, "Daily Paper", published="2011-11-11")]
    for arts, copier in ((undated, None), (dated, "d1")):
        readings = {r.article_id: r for r in nlp.read_articles(arts)}
        d = build_dossier(Story(id="s_" + arts[0].id, title="t", article_ids=[a.id for a in arts]), arts, readings)
        copies = {p.article_id for p in d.provenance if p.relation == "copies"}
        assert copies == ({copier} if copier else set())
        assert d.claims and all(c.independent_sources == 1 for c in d.claims)


def test_a_source_tag_on_a_reposted_passage_is_a_credit():
    body = ("Repost\n\n\"A man suspected of shooting three people was arrested after a chase, authorities said. "
            "Witnesses said the shooter used a shotgun, police said.\" (Fox News article)\n"
            "Calls to the firm were not answered on Monday afternoon.")
    arts = [_article("tag", body, "voices.example.com")]
    readings = {r.article_id: r for r in nlp.read_articles(arts)}
    d = build_dossier(Story(id="s_tag", title="t", article_ids=["tag"]), arts, readings)
    (prov,) = d.provenance
    assert prov.relation == "cites" and prov.primary_source == "Fox News"


def test_counts_of_two_places_are_not_a_conflict():
    lede = "Quake hits Aceh\n\nA strong earthquake struck Indonesia's Aceh province on Tuesday. "
    d = _pair_dossier("aceh", lede + "The earthquake damaged more than 300 houses in Aceh, the national disaster agency said on Tuesday.",
                      lede + "The earthquake damaged 10 houses in Takengon, the national disaster agency said on Tuesday.")
    houses = [c for c in d.claims if "houses" in c.text]
    assert houses and all(c.status != "disputed" for c in houses)
    assert not [c for c in d.conflicts if c.kind == "number"]


def test_one_of_a_group_is_membership_not_a_count():
    lede = "Cable cut\n\nThe cable cut hit Etisalat Egypt and LinkdotNet hard on Friday. "
    d = _pair_dossier("isp", lede + "Etisalat Egypt and LinkdotNet are one of Egypt's largest internet service providers, and were hit by the cable cut.",
                      lede + "The cable cut affected Etisalat Egypt and LinkdotNet, two of Egypt's largest internet service providers.")
    assert not [c for c in d.conflicts if c.kind == "number"]


def _pair_dossier(aid: str, body_a: str, body_b: str):
    a = _article(aid + "_a", body_a, "First Outlet")
    b = _article(aid + "_b", body_b, "Second Outlet")
    readings = {r.article_id: r for r in nlp.read_articles([a, b])}
    return build_dossier(Story(id="s_" + aid, title="t", article_ids=[a.id, b.id]), [a, b], readings)


def test_counts_of_one_doing_conflict_and_counts_of_different_doings_do_not():
    lede = "Camp bombed\n\nWarplanes bombed the Yida refugee camp in South Sudan on Thursday, aid workers said. "
    same = _pair_dossier("bombs", lede + "Five bombs were dropped on the camp on Thursday, aid workers said.",
                         lede + "Four bombs were dropped on the camp on Thursday, aid workers said.")
    assert [c.kind for c in same.conflicts] == ["number"]
    other = _pair_dossier("runs", "Teixeira signs\n\nMark Teixeira signed with the Yankees on Tuesday. "
                          "Teixeira has driven in at least 105 runs in each of the past five seasons.",
                          "Teixeira signs\n\nMark Teixeira signed with the Yankees on Tuesday. "
                          "Teixeira hit 13 home runs in 54 games for the Angels in the past season.")
    assert not [c for c in other.conflicts if c.kind == "number"]


def test_a_condition_states_no_date_to_dispute_and_two_places_are_only_a_close_call():
    d = _pair_dossier("game", "Playoffs\n\nThe Saints face the Seahawks in a wildcard game on Saturday, Jan. 8 at Qwest Field.",
                      "Playoffs\n\nIf the Saints beat Seattle, the Saints face the Falcons on Saturday, Jan. 15 at the Georgia Dome.")
    assert not [c for c in d.conflicts if c.kind in ("date", "place")]
    born = _pair_dossier("born", "Gigante dies\n\nVincent Gigante was born on March 29, 1928, in New York City, his lawyer said.",
                         "Gigante dies\n\nVincent Gigante was born on March 29, 1928, in the Bronx, his lawyer said.")
    assert not [c for c in born.conflicts if c.kind == "place"]


def test_two_tallies_with_no_count_in_common_are_not_a_conflict():
    lede = "Running back retires\n\nRunning back Pierre Thomas retired from football on Monday after nine seasons. "
    d = _pair_dossier("tally", lede + "Thomas caught 29 passes for 201 yards and ran for 269 yards in his last season.",
                      lede + "Thomas caught 39 passes for 302 yards and ran for 793 yards in his last season.")
    assert not [c for c in d.conflicts if c.kind == "number"]
    assert [c for c in d.close_calls if c.kind == "number" and "tally different" in (c.note or "")]


def test_a_thing_counted_twice_in_one_sentence_is_not_a_conflict():
    lede = "Running back retires\n\nRunning back Pierre Thomas retired from football on Monday after nine seasons. "
    d = _pair_dossier("twice", lede + "Thomas ran for 269 yards and two touchdowns and caught 29 passes for 201 yards last season.",
                      lede + "Thomas ran for 793 yards and two touchdowns and caught 39 passes for 302 yards last season.")
    assert not [c for c in d.conflicts if c.kind == "number" and "yards" in c.subject]
    assert [c for c in d.close_calls if c.kind == "number" and c.subject == "yards"]


def test_a_diphthong_romanised_two_ways_is_not_a_name_conflict_and_another_name_is():
    lede = "Quake hits island\n\nA strong earthquake hit the island on Sunday, killing ten people. "
    romanised = _pair_dossier(
        "romanised", lede + "Island governor Sergei Malikov said fifty people were injured in the quake.",
        lede + "Island governor Sergey Malikov said fifty people were injured in the quake.")
    assert not [c for c in romanised.conflicts if c.kind == "name"]
    other = _pair_dossier(
        "othername", lede + "Island governor Robyn Malikov said fifty people were injured in the quake.",
        lede + "Island governor Robin Malikov said fifty people were injured in the quake.")
    assert [c.kind for c in other.conflicts if c.kind == "name"] == ["name"]
