"""Which sentence pairs a dossier may call one corroborated fact, on short articles written for
these tests and read by the real NLP stage and embedding model: the same people doing something
else is not the same fact."""

from __future__ import annotations

from test_dossier_trust import _pair_dossier


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
