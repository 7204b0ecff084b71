"""Second placement (Clusterer.settle): an event's first report, alone because it arrived before
its story formed, joins that story once the batch is placed, in one batch or across batches."""

from __future__ import annotations

import hashlib

import pytest

from storyweave.cluster import cluster_articles
from storyweave.cluster.online import Clusterer
from storyweave.model import Article


def _article(aid: str, text: str) -> Article:
    return Article(id=aid, source=f"test:{aid}", body=text, raw_sha256=hashlib.sha256(text.encode()).hexdigest())


# The Dubai report comes first and names little of the quake itself; the three Qeshm reports that
# follow form the story it belongs to. Undated articles arrive in id order (cluster.arrival_order),
# so its id "q0" is what makes it first.
DUBAI = _article("q0", "Tremors felt in Dubai after Iran quake\nTremors from an earthquake in Iran were felt in Dubai on "
                 "Sunday and office towers on Sheikh Zayed Road were evacuated, witnesses said. The quake struck near Bandar Abbas.")
QESHM = [
    _article("q1", "Strong earthquake shakes Qeshm island\nA magnitude 5.9 earthquake struck Qeshm island in the Persian "
             "Gulf on Sunday, leveling seven villages near the port of Bandar Abbas, Iranian officials said. Ten people were killed."),
    _article("q2", "Qeshm quake kills ten\nTen people were killed when a magnitude 5.9 earthquake struck Qeshm island near "
             "Bandar Abbas on Sunday, Iranian officials said, and seven villages were leveled."),
    _article("q3", "Iran quake levels villages on Qeshm\nSeven villages on Qeshm island were leveled by a magnitude 5.9 "
             "earthquake on Sunday; ten people died, officials in Bandar Abbas said. Tremors reached Dubai, where towers were evacuated."),
]
EVENT = sorted(a.id for a in [DUBAI, *QESHM])


def _groups(result) -> list[list[str]]:
    return sorted(sorted(s.article_ids) for s in result.stories)


@pytest.mark.slow
def test_first_report_joins_the_story_formed_after_it():
    result = cluster_articles([DUBAI, *QESHM])
    assert _groups(result) == [EVENT]
    merge = next(e for e in result.events if e.kind == "merge")
    assert merge.detail["by"] == "second placement" and merge.detail["p"] >= 0.3
    assert result.stories[0].id == "s_q0"  # the older id survives, as in every merge
    # across runs: the lone report was placed in an earlier batch and is not placed again
    first = cluster_articles([DUBAI, QESHM[0]])
    assert _groups(first) == [["q0"], ["q1"]]
    later = cluster_articles(QESHM[1:], state=first.state)
    assert _groups(later) == [EVENT]
    assert [s.id for s in later.stories] == ["s_q0"]


@pytest.mark.slow
def test_without_second_placement_the_first_report_stays_alone(monkeypatch):
    # the same input with the pass switched off: what the test above guards against
    monkeypatch.setattr(Clusterer, "settle", lambda self, article_ids: None)
    assert _groups(cluster_articles([DUBAI, *QESHM])) == [["q0"], ["q1", "q2", "q3"]]
