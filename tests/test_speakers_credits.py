"""Who said it, on short articles written for these tests in the shapes met on fresh ECB+ news
(the review gold, benchmarks/gold/review): each test one attribution a rule once got wrong."""

from __future__ import annotations

from test_speakers import _speakers

from storyweave.compare import QuoteMention, align_quotes, group_speaker


def test_a_participle_hung_on_the_object_is_said_by_the_verbs_subject():
    body = ('Markets fell. A government official downplayed the unrest saying that "for years there\'s been '
            'strikes and protests in this country without much consequence."')
    assert _speakers(body)["for years there's been s"] == "A government official"


def test_he_is_the_main_clauses_subject_not_the_one_inside_what_it_says():
    body = ('"You know when the Doctor is in the room," said producer Steven Moffat.\n'
            "Moffat, who also created Sherlock, is sure that fans will agree that Capaldi is the perfect choice.\n"
            '"When you watched him walk out tonight, did you not just think so?" he said.')
    assert _speakers(body)["When you watched him wal"] == "Steven Moffat"


def test_the_company_is_the_business_named_before():
    body = ("Microsoft released an emergency fix for its browser on Tuesday after hackers exploited a flaw.\n"
            'The software maker said it acted after "extremely limited, targeted attacks" on the bug.\n'
            '"This issue could allow remote code execution," the company explained.')
    spk = _speakers(body)
    assert spk["extremely limited, targe"] == "Microsoft"
    assert spk["This issue could allow r"] == "Microsoft"


def test_a_verb_inside_a_dashed_aside_does_not_frame_the_quote_after_it():
    body = ("Prosecutor Terry White told The Post a couple hours after a court hearing \u2014 where the lawyer Mark "
            "Heller said she was in rehab \u2014 \u201cI hear she\u2019s on her way to the airport.\u201d")
    spk = _speakers(body)
    assert [v for k, v in spk.items() if k.startswith("I hear")] == ["Terry White"]


def test_a_spaced_mark_after_a_colon_opens_a_quote_running_on_over_paragraphs():
    body = ('Steven Moffat spoke after the show. He added: " [Capaldi came into it] a fair amount of time ago.\n'
            "I happened to know he's a big fan.\n"
            '"There\'s something very seductive about a brilliant actor who is a big fan of the show. "\n'
            "The show returns in November.")
    spk = _speakers(body)
    assert list(spk.values()) == ["Steven Moffat"]
    assert list(spk)[0].startswith("[Capaldi came into it]")


def test_a_bare_quote_paragraph_goes_on_from_the_reported_speech_before_it():
    body = ("The actress checked into a clinic on Thursday night, her rep confirms to PEOPLE.\n"
            '"And she showed up in the morning and hated it.\n'
            'She is interested in going back because she knows everyone there."\n'
            "She was previously at the clinic in 2010.")
    assert _speakers(body)["And she showed up in the"] == "rep"


def _mention(aid: str, speaker: str, key: str | None, text: str) -> QuoteMention:
    return QuoteMention(aid, speaker, key, text, 0, len(text), text, 0, len(text))


def test_one_wording_credited_to_a_company_and_to_a_named_person_stays_two_quotes():
    words = "this will help prevent exploitation but may affect usability"
    company = _mention("a", "Microsoft", None, words)
    person = _mention("b", "Dustin Childs", "person:childs|d", words)
    unresolved = _mention("c", "he", None, words)
    groups = align_quotes([company, person, unresolved])
    speakers = sorted(group_speaker(g)[0] for g in groups)
    assert speakers == ["Dustin Childs", "Microsoft"]


def test_a_name_in_the_last_quotes_own_attribution_does_not_end_the_speakers_turn():
    body = ("The jury convicted Christopher Simpson in the death of Ka'loni Flynn.\n"
            '"I\'m glad it\'s over. I\'m glad we got the verdict we got," said Flynn\'s father, Herbert Flynn.\n'
            '"She deserved it."\n'
            "Some audience members gasped loudly.")
    assert _speakers(body)["She deserved it."] == "Herbert Flynn"


def test_a_person_named_right_after_an_inverted_attributions_organisation_is_the_speaker():
    body = ('\u201c It is an honor to welcome back Ellen DeGeneres as the host of the year, \u201d said ABC '
            "Entertainment Group prexy Paul Lee.")
    assert list(_speakers(body).values()) == ["Paul Lee"]


def test_a_source_calling_it_something_is_the_speaker_of_those_words():
    body = ("The trade says that the negotiations with Lionsgate the first time around were not so hot either, an "
            'inside source calling it "a terrible experience," as the studio does not usually pay such fees.')
    assert _speakers(body)["a terrible experience"] == "an inside source"
