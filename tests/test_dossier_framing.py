"""Framing cues on sentences written for these tests: the writer's opinion against reported
speech, and figurative or loaded language against plain wording."""

from __future__ import annotations

import pytest

from storyweave.dossier import loaded_terms, opinion_cues


@pytest.mark.parametrize("sentence", [
    "The government should stop pretending that the budget adds up.",
    "The only reason the mayor resigned is that the audit was about to be published.",
    "This plan is very shortsighted.",
    "It will be interesting to see whether the council keeps its promise.",
    "We must not let these \"reforms\" pass unchallenged.",
])
def test_opinion_sentences(sentence):
    assert opinion_cues(sentence)


@pytest.mark.parametrize("sentence", [
    "The minister said the council should resign before the vote.",  # attributed: reporting
    "\"We must rebuild every home,\" the mayor told reporters.",
    "According to officials, the bridge needs to be inspected before it reopens.",
    "The council voted 7 to 2 on Tuesday to approve the budget.",
    "Residents were evacuated after the dam failed.",
])
def test_reporting_sentences(sentence):
    assert opinion_cues(sentence) == []


def test_similes_and_loaded_words_found_with_offsets():
    text = "Like rats fleeing a sinking ship, the brutal regime's officials left the capital."
    found = loaded_terms(text)
    terms = [t for t, _, _ in found]
    assert terms[0] == "Like rats fleeing a sinking ship"
    assert "brutal" in terms and "regime" in terms
    for term, start, end in found:
        assert text[start:end] == term


@pytest.mark.parametrize("sentence", [
    "Officials would like to see the report before Friday.",
    "Prices rose in cities like Leeds and Hull during the spring.",
    "It felt like being at home again, she said.",
])
def test_plain_uses_of_like_are_not_similes(sentence):
    assert not [t for t, _, _ in loaded_terms(sentence) if t.lower().startswith("like")]
