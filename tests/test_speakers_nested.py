"""Who said it when speech sits inside speech, or when the speaker was named a sentence before:
short articles written for these tests in the shapes met on held-out ECB+ news (issue 8's
`quotes`), each one kind of attribution a rule got wrong."""

from __future__ import annotations

from test_speakers import _speakers


def test_words_heard_from_someone_are_credited_to_whoever_reports_them():
    body = ("Two men were shot outside a store on Fulton Street on Sunday night.\n\n"
            'Maria Lopez said she heard someone shout, "Get down, he has a knife," before the shots.')
    assert _speakers(body)["Get down, he has a knife"] == "Maria Lopez"


def test_a_named_speaker_inside_someone_elses_account_keeps_the_quote():
    body = ("A gunman held up a bank in Dayton on Friday.\n\n"
            'Sergeant Paul Reyes told reporters that the gunman, Tom Blake, phoned the station, saying '
            '"I will give myself up tonight."')
    assert _speakers(body)["I will give myself up to"] == "Tom Blake"


def test_the_crowd_chanting_a_quote_is_its_speaker_not_the_trailing_report():
    body = ("Hundreds marched through Flatbush on Tuesday night.\n\n"
            'Protesters chanted "No justice, no peace, no racist police," witnesses report from the scene.')
    assert _speakers(body)["No justice, no peace, no"] == "Protesters"


def test_and_added_goes_on_from_the_clause_a_dashed_aside_interrupts():
    body = ("Tom Blake, 44, is serving a life sentence and was en route to a prison in Beaumont when he escaped.\n\n"
            'Mills said that Blake used crutches in prison \u2013 he "claimed they were necessary for his walking" '
            '\u2013 and added, "Since he ran off on foot, that is clearly in question."')
    assert _speakers(body)["Since he ran off on foot"] == "Mills"


def test_a_bare_quote_after_reported_speech_is_that_speakers_even_after_another_speakers_quote():
    body = ('"I never thought I would be a doctor," Ruth Hale once told a student paper.\n\n'
            "According to a 1998 magazine profile, the mayor, Tom Greer, said he first applied to law school.\n\n"
            '"They wrote back politely telling me that I needed a degree first."')
    assert _speakers(body)["They wrote back politely"] == "Tom Greer"
