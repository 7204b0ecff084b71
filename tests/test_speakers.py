"""Who said it: quote speakers on short articles written for these tests, read by the real NLP
stage. Each test is one kind of attribution a careful editor gets right and a rule once got wrong."""

from __future__ import annotations

from storyweave import nlp
from storyweave.model import Article


def _speakers(body: str, kinds: tuple[str, ...] = ("direct",)) -> dict[str, str | None]:
    art = Article(id="spk", source="written/spk.txt", body=body, raw_sha256="d" * 64)
    (reading,) = nlp.read_articles([art])
    return {body[q.start:q.end][:24]: q.speaker for q in reading.quotes if q.kind in kinds}


def test_a_quote_paragraph_after_narration_is_the_last_speakers_unless_someone_else_speaks():
    body = ('"The boats were seen approaching the vessels," a navy spokesperson said.\n\n'
            "Six rifles were seized from the boats.\n\n"
            "They had 26 crewmen aboard.\n\n"
            '"We also found ladders and ropes, which prove that those caught were pirates."\n\n'
            "The owners of the ship said the crew was safe.\n\n"
            '"We are grateful to everyone who helped."')
    spk = _speakers(body)
    assert spk["We also found ladders an"] == "a navy spokesperson"
    assert spk.get("We are grateful to every") != "a navy spokesperson"


def test_a_name_after_said_is_the_speaker_even_with_titles_in_quotes_after_it():
    body = ('"A strike, if one occurred, would be nothing short of horrible," said Ron Howard, the former actor '
            'and Oscar-winning director of "A Beautiful Mind" whose latest film, "Frost/Nixon," is considered '
            'a strong Oscar contender.')
    assert _speakers(body)["A strike, if one occurre"] == "Ron Howard"


def test_she_is_not_the_son_named_just_before():
    body = ("Mary Steenburgen wrote the song after an operation.\n\n"
            "Steenburgen's son, filmmaker Charlie McDowell, also remembers it as a trying time.\n\n"
            '"I had been somebody who really liked music," she said.\n\n'
            "His wife, Ann Lee, spoke next to Tom Ward.\n\n"
            '"We never expected it," she said.')
    spk = _speakers(body)
    assert spk["I had been somebody who "] == "Mary Steenburgen"
    assert spk["We never expected it"] == "Ann Lee"


def test_he_said_is_whoever_spoke_just_before_named_or_not():
    body = ("One man was killed when a landslide engulfed a coffee plantation, said disaster agency official Fauzi.\n\n"
            '"A man was working at the plantation with his wife when the landslide struck," he said.\n\n'
            "The pirates had surrounded the merchant vessel when INS Mysore intervened, a Navy spokesperson said.\n\n"
            "MV Gibe was later escorted to safety, he added.")
    spk = _speakers(body)
    assert spk["A man was working at the"] == "Fauzi"
    added = _speakers(body, ("indirect",))["MV Gibe was later escort"]
    assert added == "a Navy spokesperson"


def test_a_new_sentences_verb_does_not_frame_a_quote_its_own_sentence_frames():
    body = ('A Reuters correspondent reported hearing a large explosion, then saw "a crater about two metres wide '
            'and an unexploded bomb wedged in the side of a school building." Observers believe the attacks '
            "were carried out by bombers.")
    assert _speakers(body)["a crater about two metre"] == "A Reuters correspondent"


def test_a_closing_mark_that_lost_its_space_still_closes_the_quote():
    body = '"Her friends and family are supportive of her decision, "a friend of the actress said.'
    assert _speakers(body)["Her friends and family a"] == "a friend of the actress"


def test_a_forgotten_closing_mark_before_an_attribution_ends_the_quote_there():
    body = ("In a statement, the commerce secretary, Gary Locke, and the interior secretary, Ken Salazar, agreed.\n\n"
            '"By rolling back this rule we are ensuring that species receive the full protection of the law, '
            "Locke said in a statement.\n\n"
            '"Federal agencies will once again have to consult with biologists."')
    spk = _speakers(body)
    assert spk["By rolling back this rul"] == "Gary Locke"
    assert spk["Federal agencies will on"] == "Gary Locke"


def test_one_utterance_across_outlets_takes_the_fullest_form_of_the_persons_name():
    from storyweave.compare._quotes import QuoteMention, group_speaker

    def mention(article_id: str, speaker: str, key: str | None) -> QuoteMention:
        return QuoteMention(article_id, speaker, key, "We will win this fight", 0, 22, "x", 0, 30)

    group = [mention("a", "Trump", "person:trump|d"), mention("b", "Trump", "person:trump|d"),
             mention("c", "Donald Trump", "person:trump|d"), mention("d", "he", None)]
    assert group_speaker(group) == ("Donald Trump", "person:trump|d")
    assert group_speaker([mention("a", "a navy spokesperson", None), mention("b", "he", None)])[0] == "a navy spokesperson"


def test_the_two_men_are_the_two_people_just_named_together():
    body = ("In a statement, the commerce secretary, Gary Locke, and the interior secretary, Ken Salazar, agreed.\n\n"
            '"We are ensuring that species receive the full protection of the law," the two men said.')
    assert _speakers(body)["We are ensuring that spe"] == "Gary Locke and Ken Salazar"


def test_a_passive_reporting_verb_credits_the_document_not_the_person_described():
    body = ('Mr. LaRue came to Washington in 1969 and was described in a 1972 Washington Post profile as a '
            '"Faulknerian character, an insignificant-looking man who passionately sought anonymity."')
    assert _speakers(body)["Faulknerian character, a"] == "Washington Post"


def test_a_stray_full_stop_after_an_abbreviation_does_not_hide_the_subject():
    body = ('Matt Smith, the county attorney in Mohave County, Az. said in a press release that he had heard '
            'about the charges, but "the indictments in Texas do not affect the Arizona case at all."')
    assert _speakers(body)["the indictments in Texas"] == "Matt Smith"


def test_an_apposition_without_its_closing_comma_still_belongs_to_the_named_speaker():
    body = ('"This is mainly due to the change in wind direction," Kurinji Selvaraj, a research analyst at the '
            "Delhi-based Council on Energy, Environment and Water think tank told CBS News.")
    assert _speakers(body)["This is mainly due to th"] == "Kurinji Selvaraj"


def test_she_is_the_woman_the_text_calls_she_not_the_man_it_calls_he():
    body = ("Taylor Swift said she would keep fighting for her music.\n\n"
            "Swift lost her rights to the masters last year.\n\n"
            "Robert Miller said he paid $300 million for the label. Miller called his purchase a bargain.\n\n"
            '"I just want to be able to perform my own music," she said.')
    assert _speakers(body)["I just want to be able t"] == "Taylor Swift"


def test_a_phrase_quoted_inside_narration_is_not_credited_to_the_next_speaker():
    body = ("Within minutes, the roof was engulfed, fire chief Jon Owen said.\n"
            "Crews operating under a \"surround and drown\" strategy suppressed the fire.\n"
            "But their goal was not saving the old warehouse, Owen said.\n"
            'Their focus instead was preventing "the conflagration" sure to follow if the fire reached the fuel '
            "office next door, he said.")
    assert _speakers(body).get("surround and drown") is None


def test_a_quote_after_a_full_stop_inside_a_wrapping_quote_opens_not_closes():
    body = ('"ISIS militants "are now starting to leave," France\'s National Intelligence Coordinator Didier le Bret '
            'said, adding that others are also returning. "They\'ve got a feeling it\'s not going that well," he said."')
    assert _speakers(body)["They've got a feeling it"] == "Didier le Bret"


def test_a_quote_inside_a_sentence_about_the_speaker_opens_their_statement():
    body = ("Obama issued a memorandum that suspends the regulation while ordering a review of whether it "
            'promotes "the purposes of the Endangered Species Act."\n\n'
            '"The work of scientists in my administration will be respected," Obama said.\n\n'
            'In his testimony, Jeffs said there was no crime. He went on to say that the church must "follow the law '
            'set out for it by God."')
    spk = _speakers(body)
    assert spk["the purposes of the Enda"] == "Obama"
    assert spk["follow the law set out f"] == "Jeffs"


def test_it_that_speaks_is_the_company_or_statement_that_spoke_before_never_a_person():
    body = ("Store burns down\n\nA statement from Harwell Foods said the store would be rebuilt.\n\n"
            '"We regret any inconvenience caused to residents and staff," it added.')
    assert _speakers(body)["We regret any inconvenie"] == "Harwell Foods"
    company = ("Plant to close\n\nThe company said on Monday that the plant would close in June.\n\n"
               '"This was a difficult decision," it said.')
    assert _speakers(company)["This was a difficult dec"] == "The company"
    person = ("Plant to close\n\nMayor Jane Ortega said the town would lose 300 jobs.\n\n"
              '"This was a difficult decision," it said.')
    assert _speakers(person)["This was a difficult dec"] is None
