"""Reading fixes found on real articles, each with a short written text: a bracketed time holds no
sentence end, and a statement or interview given to a publication credits that publication."""

from __future__ import annotations

import hashlib

from storyweave import nlp
from storyweave.model import Article


def _read(text: str):
    art = Article(id="r" + hashlib.sha256(text.encode()).hexdigest()[:8], source="written.txt", body=text, title="T",
                  raw_sha256="0" * 64, outlet="Own Outlet")
    return nlp.read_articles([art])[0]


def test_a_bracketed_time_ends_no_sentence_even_after_a_number():
    r = _read("Robbers raid a store and make off with watches valued at over $2. 6 million early Monday.\n\n"
              "At around 4: 30 a. m. local time (11. 30 p. m. ET) the thieves rammed an SUV into the front of "
              "the Casty store, near the prestigious Place Vendome, a well-known square in the center of the "
              "French capital.")
    assert [s.text[:45] for s in r.sentences] == [
        "Robbers raid a store and make off with watche", "At around 4: 30 a. m. local time (11. 30 p. m"]


def test_a_statement_or_interview_given_to_a_publication_credits_it():
    r = _read("In a statement to the Daily Courier newspaper, Mark Olsen, a board member, said that the cable "
              "was cut on Tuesday. The minister said in an interview with the Daily Star that talks failed. "
              "The minister said in a statement to parliament that talks failed.")
    pubs = [(a.source, a.named) for a in r.attributions if a.is_publication]
    assert pubs == [("the Daily Courier newspaper", True), ("the Daily Star", True)]
