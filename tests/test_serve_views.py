"""Pure view functions of the server: highlighting, ordering, search, dossier embedding."""

from __future__ import annotations

import html as html_module
import re

from storyweave.model import Article, Entity, Quote, Reading, Story
from storyweave.serve.views import dossier_fragment, highlight_body, search_rows, story_rows


def _text(html: str) -> str:
    return html_module.unescape(re.sub(r"<[^>]+>", "", html))


def test_overlapping_quote_and_entity_nest_and_keep_the_text():
    body = 'Mayor Ann Lee said "Ann Lee will <not> resign" on Friday & left.'
    q_start, q_end = body.index('"'), body.rindex('"') + 1
    reading = Reading(article_id="a", entities=[
        Entity(text="Ann Lee", label="PERSON", start=6, end=13, key="ann lee"),
        Entity(text="Ann Lee", label="PERSON", start=q_start + 1, end=q_start + 8, key="ann lee"),
    ], quotes=[Quote(speaker="Ann Lee", speaker_key="ann lee", text="Ann Lee will <not> resign",
                     kind="direct", cue="said", start=q_start, end=q_end)])
    html = str(highlight_body(body, reading))
    assert _text(html) == body  # nothing lost, nothing added
    assert "<not>" not in html and "&lt;not&gt;" in html
    assert ('<span class="quote quote-direct ent ent-PERSON" title="direct quote — Ann Lee (said) · PERSON">'
            "Ann Lee</span>") in html
    assert '<span class="ent ent-PERSON" title="PERSON">Ann Lee</span> said' in html
    # every span is closed before the next opens: no crossing markup
    assert html.count("<span") == html.count("</span>")
    assert not re.search(r"<span[^>]*>[^<]*<span", html)


def test_offsets_out_of_range_are_clipped_not_fatal():
    body = "Short body."
    reading = Reading(article_id="a", entities=[Entity(text="x", label="ORG", start=6, end=999, key="x"),
                                                 Entity(text="y", label="ORG", start=5, end=2, key="y")])
    html = str(highlight_body(body, reading))
    assert _text(html) == body
    assert '<span class="ent ent-ORG" title="ORG">body.</span>' in html


def test_labels_cannot_break_out_of_the_class_attribute():
    body = "Acme Corp grew."
    reading = Reading(article_id="a",
                      entities=[Entity(text="Acme", label='ORG" onclick="x', start=0, end=4, key="acme")])
    html = str(highlight_body(body, reading))
    assert 'onclick="' not in html


def test_story_rows_newest_first_and_fill_from_articles():
    arts = [Article(id="a1", source="x", body="b", raw_sha256="0", title="Old", outlet="O1", published="2020-01-01"),
            Article(id="a2", source="x", body="b", raw_sha256="0", title="New", outlet="O2", published="2024-06-01"),
            Article(id="a3", source="x", body="b", raw_sha256="0", title="Undated", outlet=None)]
    stories = [Story(id="s1", article_ids=["a1"]), Story(id="s3", article_ids=["a3"]),
               Story(id="s2", article_ids=["a2", "a1"])]
    rows = story_rows(stories, arts)
    assert [r.id for r in rows] == ["s2", "s1", "s3"]
    assert rows[0].outlets == ["O1", "O2"] and rows[0].articles == 2
    assert rows[0].first_published == "2020-01-01" and rows[0].last_published == "2024-06-01"
    assert rows[0].title == "New"  # no story title: the first article's
    assert rows[2].last_published is None  # unknown stays unknown
    assert [r.id for r in search_rows(rows, "old")] == ["s2", "s1"]  # by any article title
    assert [r.id for r in search_rows(rows, "NEW old")] == ["s2"]


def test_dossier_fragment_cuts_a_full_page_open():
    page = ("<!doctype html><html><head><meta charset=utf-8><title>T</title><style>h2{color:red}</style>"
            "</head><body><h1>T</h1><section><h2>Claims</h2></section></body></html>")
    styles, body = dossier_fragment(page)
    assert str(styles) == "<style>h2{color:red}</style>"
    assert str(body) == "<h1>T</h1><section><h2>Claims</h2></section>"
    styles, body = dossier_fragment("<!doctype html><title>Only &lt;t&gt;</title><p>x</p>")
    assert str(body) == "<p>x</p>" and str(styles) == ""
