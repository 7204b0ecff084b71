"""Pure view functions of the server: highlighting, ordering, search, dossier embedding."""

from __future__ import annotations

import html as html_module
import re

from storyweave.model import Article, Entity, Quote, Reading, Story
from storyweave.serve.views import highlight_body, search_rows, story_rows


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


def test_dates_are_compared_as_datetimes_and_shown_in_one_format():
    from storyweave.dossier import date_key, show_date

    values = ["2016-06-07T16:21:00", "2016-06-07", "2016-06-07T08:33:35+00:00", "2016-06-07T10:00:00+05:00"]
    assert sorted(values, key=date_key) == ["2016-06-07", "2016-06-07T10:00:00+05:00",
                                            "2016-06-07T08:33:35+00:00", "2016-06-07T16:21:00"]
    assert show_date("2016-06-07") == "2016-06-07"
    assert show_date("2016-06-07T08:33:35") == "2016-06-07 08:33"
    assert show_date("2016-06-07T08:33:35+00:00") == "2016-06-07 08:33 UTC"
    assert show_date("2016-06-07T10:00:00.123+05:00") == "2016-06-07 10:00 UTC+05:00"
    assert show_date("sometime") == "sometime" and show_date(None) == ""


def test_story_rows_order_and_filters_by_dates_not_strings():
    from storyweave.serve.views import filter_rows, sort_rows

    arts = [Article(id="a", source="x", body="b", raw_sha256="0", outlet="O1", published="2024-06-01T23:00:00-05:00"),
            Article(id="b", source="x", body="b", raw_sha256="0", outlet="O2", published="2024-06-02T01:00:00+00:00")]
    rows = story_rows([Story(id="s_a", article_ids=["a"]), Story(id="s_b", article_ids=["b"])], arts,
                      {"s_b": {"corroborated": 2, "conflicts": 1}})
    # as strings "2024-06-02T01..." sorts after "2024-06-01T23..."; as datetimes s_a (04:00 UTC) is newer
    assert [r.id for r in rows] == ["s_a", "s_b"]
    assert [r.id for r in sort_rows(rows, "oldest")] == ["s_b", "s_a"]
    assert [r.id for r in sort_rows(rows, "conflicts")] == ["s_b", "s_a"]
    assert rows[1].conflicts == 1 and rows[1].disputed == 0 and rows[0].conflicts is None
    assert [r.id for r in filter_rows(rows, has_conflicts=True)] == ["s_b"]
    assert [r.id for r in filter_rows(rows, outlet="o1")] == ["s_a"]
    assert [r.id for r in filter_rows(rows, since="2024-06-02")] == ["s_b"]  # s_a's date is June 1
