"""The shared rules in model/: one definition each, used by every stage."""

from __future__ import annotations

from datetime import date

from storyweave.model import Reading, Sentence
from storyweave.model.groups import find, union
from storyweave.model.lexicon import (
    ATTRIBUTION_WORDS,
    CLAIM_STOP_WORDS,
    ENGLISH_STOP_WORDS,
    MONTHS,
    PLAIN_FORMS,
    PLAIN_FORMS_AND_DASHES,
    WEEKDAYS,
    valid_date,
)
from storyweave.model.media import MEDIA_NOUNS, PUBLICATION_MARKERS, PUBLICATION_WORDS, TITLE_LAST_WORDS


def test_union_find_groups_and_keeps_the_first_root() -> None:
    parent: dict[str, str] = {}
    assert find(parent, "a") == "a" and parent == {}  # an unseen item is its own group
    union(parent, "a", "b")
    union(parent, "c", "d")
    union(parent, "b", "d")
    assert {find(parent, x) for x in "abcd"} == {"a"}
    assert find(parent, "e") == "e"
    long_chain = {i: i - 1 for i in range(1, 50)}  # a saved state may hold long paths
    assert find(long_chain, 49) == 0 and long_chain[49] != 48  # path halving shortened it


def test_sentence_at_offsets() -> None:
    reading = Reading(article_id="a", sentences=[Sentence(text="One.", start=0, end=4), Sentence(text="Two.", start=5, end=9)])
    assert reading.sentence_at(0).text == "One." and reading.sentence_at(3).text == "One."
    assert reading.sentence_at(4) is None  # the space between sentences
    assert reading.sentence_at(8).text == "Two." and reading.sentence_at(9) is None
    assert Reading(article_id="b").sentence_at(0) is None


def test_calendar_and_word_lists() -> None:
    assert MONTHS["sept"] == MONTHS["september"] == 9 and WEEKDAYS["thurs"] == WEEKDAYS["thursday"] == 3
    assert valid_date(2024, 2, 29) == date(2024, 2, 29) and valid_date(2023, 2, 29) is None
    assert {"the", "and", "whereas"} <= ENGLISH_STOP_WORDS and "ferry" not in ENGLISH_STOP_WORDS
    assert "\u201cQuoted\u201d \u00abtoo\u00bb".translate(str.maketrans(PLAIN_FORMS)) == '"Quoted" "too"'
    assert all(len(plain) == 1 for plain in PLAIN_FORMS.values())  # offsets stay offsets


def test_folding_variants_keep_offsets_and_differ_only_in_dashes() -> None:
    assert "2015\u20132020".translate(str.maketrans(PLAIN_FORMS)) == "2015\u20132020"  # the parser keeps dashes
    assert "2015\u20132020".translate(str.maketrans(PLAIN_FORMS_AND_DASHES)) == "2015-2020"
    assert all(len(plain) == 1 for plain in PLAIN_FORMS_AND_DASHES.values())


def test_claim_stop_words_keep_what_changes_a_claim() -> None:
    # Negations, numbers and quantifiers decide whether two accounts agree: never stop words there.
    assert not {"not", "never", "no", "two", "first", "only", "fire"} & CLAIM_STOP_WORDS
    assert {"not", "two", "fire"} <= ENGLISH_STOP_WORDS  # the topic list drops them
    assert ATTRIBUTION_WORDS <= CLAIM_STOP_WORDS and {"reported", "it's", "the"} <= CLAIM_STOP_WORDS


def test_publication_word_lists() -> None:
    assert PUBLICATION_MARKERS - {"wires"} <= MEDIA_NOUNS  # alone or beside a name
    assert "agency" in MEDIA_NOUNS and "agency" not in PUBLICATION_MARKERS  # "told the agency": often a ministry's
    assert {"world", "star", "nation"} <= TITLE_LAST_WORDS and not {"world", "star", "nation"} & PUBLICATION_WORDS
