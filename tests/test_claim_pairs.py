"""Which sentence pairs a dossier may call one corroborated fact, on short articles written for
these tests and read by the real NLP stage and embedding model: the same people doing something
else is not the same fact."""

from __future__ import annotations

from test_dossier_trust import _article, _pair_dossier

from storyweave import nlp
from storyweave.dossier import build_dossier
from storyweave.model import Story


def _paired(dossier, first: str, second: str) -> bool:
    """Whether some corroborated claim pairs a sentence containing `first` with one containing `second`."""
    for claim in dossier.claims:
        if claim.status in ("corroborated", "disputed"):
            texts = [s.sentence for s in claim.support]
            if any(first in t for t in texts) and any(second in t for t in texts):
                return True
    return False


def test_the_same_people_doing_something_else_is_not_one_fact():
    lede = ("The Boston Red Sox have made first baseman Mark Teixeira an eight-year offer, "
            "Dan Patrick reported on Monday. ")
    d = _pair_dossier(
        "offer",
        "Teixeira weighs offers\n\n" + lede + "The New York Yankees could do it in a big way, too, giving "
        "Teixeira the kind of money that would put him in the clouds with Alex Rodriguez.",
        "Red Sox bid for Teixeira\n\n" + lede + "Teixeira is believed to be seeking a lot closer to the "
        "$27.5 million that Alex Rodriguez is guaranteed to make with the New York Yankees.",
    )
    assert _paired(d, "eight-year offer", "eight-year offer")
    assert not _paired(d, "could do it", "believed to be seeking")



def test_two_outlets_telling_a_statement_in_two_sentences_make_two_facts_not_crosswise_pairs():
    lede = "Chargers tackle Jamal Williams was arrested early Sunday on suspicion of drunken driving, the Highway Patrol said. "
    split_a = ("\"It's disappointing to hear about the issue involving Jamal Williams,\" general manager A. J. Smith said "
               "in a statement released by the team. \"We'll continue to monitor the situation and let the legal process run its course.\"")
    split_b = split_a.replace("It's", "It is").replace("We'll", "We will")
    joined = ("The team's general manager, A. J. Smith, said that \"we'll continue to monitor the situation and let the "
              "legal process run its course.\"")
    arts = [_article("split_a", "Chargers lineman arrested\n\n" + lede + split_a, "First Outlet"),
            _article("split_b", "Williams held\n\n" + lede + split_b, "Second Outlet"),
            _article("joined", "Chargers tackle arrested\n\n" + lede + joined, "Third Outlet")]
    readings = {r.article_id: r for r in nlp.read_articles(arts)}
    d = build_dossier(Story(id="s_statement", title="t", article_ids=[a.id for a in arts]), arts, readings)
    assert _paired(d, "disappointing", "disappointing")
    assert _paired(d, "monitor the", "monitor the")
    assert not _paired(d, "disappointing", "monitor the")
