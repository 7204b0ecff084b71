"""An article with interviews of its own keeps its own reporting: another outlet's journalist on
the scene, named once, is a witness it cites, not its primary source."""

from __future__ import annotations

from test_dossier_trust import _article

from storyweave import nlp
from storyweave.compare._provenance import trace_provenance
from storyweave.model import Story

_LEDE = "Camp bombed\n\nWarplanes bombed the Yida camp on Thursday. "


def _sources(*articles):
    readings = {r.article_id: r for r in nlp.read_articles(list(articles))}
    story = Story(id="s_own", title="t", article_ids=[a.id for a in articles])
    return {p.outlet: (p.relation, p.primary_source) for p in trace_provenance(story, list(articles), readings)}


def test_sources_that_told_the_outlet_itself_make_it_own_reporting():
    own = _article("own1", _LEDE + "Sources on the ground told Enough that one bomb fell inside the camp. "
                   "A Reuters correspondent reported hearing a large explosion.", "enoughproject.org")
    relay = _article("own2", _LEDE + "A Reuters correspondent reported hearing a large explosion. "
                     "Aid workers said one bomb fell inside the camp.", "example.org")
    assert _sources(own, relay) == {"enoughproject.org": ("own-reporting", "enoughproject.org"),
                                    "example.org": ("cites", "Reuters")}
