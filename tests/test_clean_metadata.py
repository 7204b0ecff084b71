"""Title, date and byline of HTML pages written here: each rule of clean/header.py on a short page."""

from __future__ import annotations

from storyweave.clean import clean_document
from storyweave.model import Article, RawDocument

BODY = "".join(f"<p>{p}</p>" for p in [
    "Rescue crews worked through the night after a fire broke out on the passenger ferry Aurora "
    "off the coast of Port Selden, officials said on Tuesday, as families gathered at the harbour.",
    "The harbour master, Elena Varga, said 212 passengers had been taken off the ship and that "
    "eleven of them were being treated in hospital for smoke inhalation and minor burns.",
    "Varga told reporters that the cause of the fire was not yet known and that an inquiry would "
    "begin once the vessel was towed in to the harbour later in the week.",
    "The ferry operator said in a statement that it was cooperating fully with the coastguard and "
    "that all sailings on the route had been suspended until further notice.",
])


def page(head: str = "", header: str = "", after: str = "", title: str = "Ferry fire: 212 rescued off Port Selden | Harbour Herald",
         h1: str = "Ferry fire: 212 rescued off Port Selden") -> Article:
    html = (f"<!DOCTYPE html><html><head><title>{title}</title>{head}</head><body>"
            f"<div class='logo'><h1>Harbour Herald</h1></div>"
            f"<article><h1>{h1}</h1>{header}{BODY}</article>{after}</body></html>")
    return clean_document(RawDocument(source="p.html", data=html.encode(), format="html"))


def test_headline_is_the_h1_not_the_search_title():
    article = page(title="Ferry Fire Port Selden 212 Rescued - Latest News | Harbour Herald")
    assert article.title == "Ferry fire: 212 rescued off Port Selden"


def test_a_site_name_h1_unlike_the_title_is_not_the_headline():
    article = page(title="Storm closes the bridge | Harbour Herald", h1="Contact us")
    assert article.title == "Storm closes the bridge"


def test_date_printed_under_the_headline():
    article = page(header="<div class='meta'><span>March 4, 2021</span></div>")
    assert article.published.startswith("2021-03-04")


def test_visible_date_beats_the_metadata():
    article = page(head='<meta property="article:published_time" content="2020-01-01T00:00:00Z">',
                   header="<p class='date'>Published 4 March 2021</p>")
    assert article.published.startswith("2021-03-04")


def test_update_date_gives_way_to_an_earlier_publication_in_the_metadata():
    article = page(head='<meta property="article:published_time" content="2021-03-01T09:00:00Z">',
                   header="<p>Updated on <time>March 9, 2021</time></p>")
    assert article.published.startswith("2021-03-01")


def test_no_date_from_related_articles_comments_or_copyright():
    after = ("<div class='related-posts'><h3>Bridge reopens</h3><span class='date'>May 2, 2021</span>"
             "<time class='entry-date' datetime='2021-05-02'>May 2, 2021</time></div>"
             "<div id='comments'><p>Reader said on June 1, 2021</p>"
             "<span class='comment-date published'>June 1, 2021</span></div>"
             "<p>\u00a9 2021 Harbour Herald. All rights reserved.</p>")
    related_first = ("<aside><ul><li>Bridge reopens<br>May 2, 2021</li></ul></aside>")
    assert page(after=after).published is None
    assert page(header=related_first).published is None


def test_byline_under_the_headline_without_label_or_date():
    article = page(header="<div class='post-meta'><span class='author-name'>By <a rel='author'>Jane Doe</a></span>"
                          " | <span>Updated March 4, 2021</span></div>")
    assert article.author == "Jane Doe"


def test_byline_keeps_credentials_and_several_names_but_not_a_role():
    article = page(header="<p class='byline'>Written by <a class='author'>Ann Lee, MD</a> and "
                          "<a class='author'>Sam Roe</a></p><p class='author-role'>Senior Writer</p>")
    assert article.author == "Ann Lee, MD and Sam Roe"
    single = page(header="<div class='author'><span>Jane Doe</span><span>Senior Staff Writer</span></div>")
    assert single.author == "Jane Doe"


def test_reviewer_is_not_the_author():
    article = page(header="<div class='author-box'><span>Reviewed by</span><a>Molly Price</a></div>")
    assert article.author is None


def test_metadata_author_in_json_ld_when_no_byline_is_printed():
    ld = ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
          '"headline": "Ferry fire", "author": {"@type": "Person", "name": "Jane Doe"}}</script>')
    assert page(head=ld).author == "Jane Doe"


def test_missing_byline_is_null_not_a_guess():
    # An author box with no name in it, and a site name in the footer: still no author.
    article = page(header="<div class='author'><span>Author</span></div>",
                   after="<footer><p>Harbour Herald Staff</p></footer>")
    assert article.author is None


def test_page_opening_with_a_script_and_a_long_head_is_read_as_html():
    head = "<script>var a = 1;</script>" + "<meta name='x' content='" + "y" * 6000 + "'>"
    html = (f"{head}<html><head><title>Ferry fire: 212 rescued off Port Selden</title></head><body>"
            f"<article><h1>Ferry fire: 212 rescued off Port Selden</h1>{BODY}</article></body></html>")
    article = clean_document(RawDocument(source="p.html", data=html.encode(), format="html"))
    assert article.title == "Ferry fire: 212 rescued off Port Selden"
    assert "var a" not in article.body and article.body.startswith("Rescue crews")


def test_full_date_in_the_url_is_the_first_publication():
    html = (f"<html><head><title>Ferry fire: 212 rescued off Port Selden</title></head><body><article>"
            f"<h1>Ferry fire: 212 rescued off Port Selden</h1><p>April 12, 2022</p>{BODY}</article></body></html>")
    article = clean_document(RawDocument(source="p.html", data=html.encode(), format="html",
                                         url="https://blog.example.org/2021/01/18/ferry-fire"))
    assert article.published == "2021-01-18"


def test_page_title_without_h1_loses_a_suffix_naming_the_host():
    html = (f"<html><head><title>Ferry fire: 212 rescued | Harbour Herald Online</title></head><body>"
            f"<article>{BODY}</article></body></html>")
    article = clean_document(RawDocument(source="p.html", data=html.encode(), format="html",
                                         url="https://www.harbourherald.example/ferry"))
    assert article.title == "Ferry fire: 212 rescued"


def test_byline_from_a_link_to_the_author_page_or_after_a_lone_by():
    linked = page(header="<div class='meta'><span>By</span> <a href='/authors/jane-doe'>Jane Doe</a></div>")
    assert linked.author == "Jane Doe"
    lone_by = page(header="<p class='page-header__meta'><span>By</span><a href='/people/sam'>Sam O'Brien</a></p>")
    assert lone_by.author == "Sam O'Brien"


def test_editor_named_after_edited_by_is_not_the_author():
    assert page(header="<p class='byline'>Edited by Walter Black</p>").author is None


def test_a_lone_h1_is_the_headline_even_when_the_search_title_words_it_otherwise():
    html = (f"<html><head><title>Ferry Disaster Port Selden | Harbour Herald</title></head><body>"
            f"<article><h1>212 rescued as fire sweeps through the Aurora</h1>{BODY}</article></body></html>")
    article = clean_document(RawDocument(source="p.html", data=html.encode(), format="html"))
    assert article.title == "212 rescued as fire sweeps through the Aurora"


def test_section_label_h1_beside_the_headline_does_not_count():
    html = (f"<html><head><title>Ferry Disaster Port Selden</title></head><body><h1>The Blog</h1>"
            f"<article><h1>212 rescued as fire sweeps through the Aurora</h1>{BODY}</article></body></html>")
    article = clean_document(RawDocument(source="p.html", data=html.encode(), format="html"))
    assert article.title == "212 rescued as fire sweeps through the Aurora"
