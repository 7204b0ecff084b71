"""Two speakers of one sentence: words one person uttered, inside another person's account of them
(issue 8's `quotes`: "a sentence with two speakers gets two entries"). The reader keeps the words'
speaker and records who relays them; the dossier lists the words under both, marked as relayed.
Short articles written for these tests."""

from __future__ import annotations

from storyweave import nlp
from storyweave.compare import align_quotes, quote_mentions
from storyweave.dossier._build import _quotes
from storyweave.model import Article


def _read(body: str):
    art = Article(id="rel", source="written/rel.txt", body=body, raw_sha256="e" * 64)
    (reading,) = nlp.read_articles([art])
    return art, reading


class _Direct(dict):
    """(speaker, relayed by) of each direct quote, looked up by the quote's first words."""

    def __getitem__(self, opening: str) -> tuple[str | None, str | None]:
        (hit,) = [v for k, v in self.items() if k.startswith(opening)]
        return hit


def _direct(body: str) -> _Direct:
    _, reading = _read(body)
    return _Direct({body[q.start:q.end]: (q.speaker, q.relayed_by) for q in reading.quotes if q.kind == "direct"})


def test_words_inside_a_dispatchers_account_are_the_callers_relayed_by_the_dispatcher():
    body = ("A gunman held up a bank in Dayton on Friday.\n\n"
            'Sergeant Paul Reyes told reporters that the gunman, Tom Blake, phoned the station, saying '
            '"I will give myself up tonight."')
    assert _direct(body)["I will give myself up"] == ("Tom Blake", "Paul Reyes")


def test_someone_heard_saying_is_relayed_by_the_witness_who_heard_it():
    body = "Shots rang out on Main Street on Sunday.\n\n" \
           'Ann Cole said she heard someone say, "He has a gun," and ran inside a bakery.'
    assert _direct(body)["He has a gun"] == ("someone", "Ann Cole")


def test_a_quoted_claim_opening_on_its_verb_is_the_claimants_relayed_by_the_one_telling_it():
    body = ("Tom Blake, 44, escaped from a prison van in Beaumont on Monday.\n\n"
            'Mills said that Blake used crutches in prison \u2013 Blake "claimed they were necessary for his walking" '
            '\u2013 and added, "Since he ran off on foot, that is clearly in question."')
    spk = _direct(body)
    assert spk["claimed they were nec"] == ("Tom Blake", "Mills")
    assert spk["Since he ran off on f"] == ("Mills", None)


def test_a_crowds_chant_is_relayed_by_those_reporting_it_from_the_scene():
    body = ("Hundreds marched through Flatbush on Tuesday night.\n\n"
            'Protesters chanted "No justice, no peace, no racist police," witnesses report from the scene.')
    assert _direct(body)["No justice, no peace"] == ("Protesters", "witnesses")


def test_a_speakers_own_words_and_a_clause_beside_an_account_relay_nothing():
    body = ('"We will rebuild the bridge by spring," Mayor Tom Greer said on Monday.\n\n'
            'Tom Greer said the city would rebuild, adding "we will not give up on this town."\n\n'
            'Police chief Ray Dunn told the Courier there was "no sign of foul play," while the fire marshal, '
            'Joe Platt, said "the wiring looks old to me."')
    quotes = _direct(body)
    assert quotes["We will rebuild"] == ("Tom Greer", None)
    assert quotes["we will not give up"] == ("Tom Greer", None)
    assert quotes["the wiring looks old"][1] is None


def test_the_dossier_lists_relayed_words_under_both_speakers_marked_as_relayed():
    body = ("A gunman held up a bank in Dayton on Friday.\n\n"
            'Sergeant Paul Reyes told reporters that the gunman, Tom Blake, phoned the station, saying '
            '"I will give myself up tonight."')
    art, reading = _read(body)
    entries = {sq.speaker: sq.variants for sq in _quotes(align_quotes(quote_mentions(art, reading)))}
    (own,), (relayed,) = entries["Tom Blake"], entries["Paul Reyes"]
    assert own.text == relayed.text == "I will give myself up tonight."
    assert (own.relayed_by, own.relays) == ("Paul Reyes", None)
    assert (relayed.relayed_by, relayed.relays) == (None, "Tom Blake")


def test_a_publication_reporting_someones_words_credits_the_report_and_is_no_relaying_speaker():
    # the issue: a publication is never a quote's speaker (provenance credits it instead)
    body = ("The bridge over the Miami River collapsed on Sunday.\n\n"
            'The Dayton Daily News reported that Mayor Tom Greer told residents "we will rebuild by spring."')
    assert _direct(body)["we will rebuild"] == ("Tom Greer", None)
