"""Which sentences a claim pairs, on short reports written for these tests and read by the real
NLP stage and embedding model: a common phrase or the same vague amount in two different facts is
no shared fact, while the lede both reports state is."""

from __future__ import annotations

import pytest

from storyweave import nlp
from storyweave.compare._align import _Scorer, embedding_text, statements_of
from storyweave.dossier import build_dossier
from storyweave.model import Article, Dossier, Story

QUAKE_A = """Earthquake shakes mountain district

A strong earthquake struck the mountain district of Valdoro on Tuesday morning, killing six people, officials said. The quake damaged dozens of houses and cut the road to the valley. Another four people died later in hospital from their injuries, a district official said. Rescue teams worked through the night to reach the upper villages. The regional government has sent two army helicopters to carry food and tents. Many residents slept in their cars for fear of aftershocks. The district was last hit by a strong quake in 1998."""

QUAKE_B = """Quake kills six in Valdoro

Six people were killed when a strong earthquake hit Valdoro district on Tuesday, officials said. Dozens of people were injured and are being treated at three hospitals, said the district governor. Schools will stay closed until Friday. Aid trucks reached the valley on Wednesday. Snow is expected in the upper villages later this week. The mayor asked residents to stay out of damaged houses. An older quake in 1998 destroyed the district's main bridge."""


def _article(aid: str, body: str, outlet: str) -> Article:
    title, _, text = body.partition("\n\n")
    return Article(id=aid, source=f"written/{aid}.txt", body=text, title=title,
                   raw_sha256=(aid * 64)[:64], outlet=outlet, published="2024-03-06")


@pytest.fixture(scope="module")
def quake() -> Dossier:
    arts = [_article("quake_a", QUAKE_A, "Valley Courier"), _article("quake_b", QUAKE_B, "Mountain Post")]
    readings = {r.article_id: r for r in nlp.read_articles(arts)}
    return build_dossier(Story(id="s_quake", title="quake", article_ids=[a.id for a in arts]), arts, readings)


def _paired(d: Dossier, a: str, b: str) -> bool:
    return any(
        c.status != "single-source" and any(a in s.sentence for s in c.support) and any(b in s.sentence for s in c.support)
        for c in d.claims
    )


def test_the_lede_both_reports_state_is_corroborated(quake):
    assert _paired(quake, "killing six people", "Six people were killed")


# "environmental groups" is the only phrase the court sentence and the critics' sentence share,
# and "groups" is in four of the story's sentences: one rare word in a common phrase.
LOGGING_A = """Governor lifts logging rule

The governor on Monday lifted a rule that had limited logging in state forests. The rule took effect in January, weeks before the governor was sworn in. Timber groups welcomed the decision and said it would save jobs. Environmental groups said they would challenge the move in court."""

LOGGING_B = """Logging rule scrapped

The state's governor scrapped a January rule limiting logging in public forests on Monday. Critics of the rule, which took effect before the election, called it a gift to environmental groups. Timber groups said the decision would save hundreds of jobs. A court challenge is expected."""


def test_a_common_phrase_with_one_rare_word_is_no_rewrite():
    from storyweave.embeddings import embed

    arts = [_article("log_a", LOGGING_A, "Forest News"), _article("log_b", LOGGING_B, "State Wire")]
    readings = {r.article_id: r for r in nlp.read_articles(arts)}
    statements = [st for a in arts for st in statements_of(a, readings[a.id])]
    scorer = _Scorer(statements, embed([embedding_text(st.text) for st in statements]))

    def row(words: str) -> int:
        return next(i for i, st in enumerate(statements) if words in st.text)

    court, critics = row("challenge the move in court"), row("Critics of the rule")
    assert not scorer.accepts(court, critics), scorer.score(court, critics)
    # The same fact in other words still pairs.
    assert scorer.accepts(row("welcomed the decision"), row("save hundreds of jobs"))


def test_a_vague_amount_is_no_shared_number(quake):
    # "dozens of houses" and "dozens of people" are both read as about 24: no number was stated,
    # so the pair must not pass on a shared number's lower bar.
    assert not _paired(quake, "damaged dozens of houses", "Dozens of people were injured")
