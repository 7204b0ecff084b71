"""Who said it when speech sits inside speech, or when the speaker was named a sentence before:
short articles written for these tests in the shapes met on held-out ECB+ news (issue 8's
`quotes`), each one kind of attribution a rule got wrong."""

from __future__ import annotations

from test_speakers import _speakers

from storyweave import nlp
from storyweave.model import Article


def test_a_named_speaker_inside_someone_elses_account_keeps_the_quote():
    # the gold lists both speakers of such a sentence; the quote's words are the one who uttered them
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


def test_the_report_is_the_one_named_with_its_author_before():
    body = ("The NCAA notified Ohio State of nine alleged rules violations on Monday.\n\n"
            "The NCAA report says the coach gave the recruit the money through an assistant.\n\n"
            'Both are accused of acting "contrary to principles of ethical conduct" by failing to report it, '
            "the report said.")
    assert _speakers(body)["contrary to principles o"] == "NCAA"


def test_the_letter_is_the_one_its_writer_wrote_and_an_owned_statement_is_its_owners():
    body = ("Gray's school principal, Matthew Willoughby, wrote a heartfelt letter about the teen.\n\n"
            '"Kimani made great strides this year academically," the letter read.\n\n'
            'The NYPD\'s statement said the teen "adjusted his waistband and acted in a suspicious manner."')
    spk = _speakers(body)
    assert spk["Kimani made great stride"] == "Matthew Willoughby"
    assert spk["adjusted his waistband a"] == "NYPD"


def test_a_capitalised_role_opening_a_sentence_is_no_name():
    body = ('Showrunner, 51, adds that the old role will not cast a shadow: "You know when the Doctor is in the room."\n\n'
            "Doctor Who boss Steven Moffat has revealed that Peter Capaldi was the only name considered.\n\n"
            "The 51-year-old showrunner also insisted that the old role would not overshadow the new one.")
    (reading,) = nlp.read_articles([Article(id="sr", source="written/sr.txt", body=body, raw_sha256="e" * 64)])
    assert "Showrunner" not in {p.name for p in reading.people}
