"""clean_document on articles written here: each format's cleaning and metadata, dates, the offset
map, captions, repeated paragraphs, bad input."""

from __future__ import annotations

import json

import pytest

from storyweave.clean import CleanError, clean_document, find_cited_publications, parse_date
from storyweave.model import Article, RawDocument

PARA = [
    "Rescue crews worked through the night after a fire broke out on the passenger ferry Aurora "
    "off the coast of Port Selden, officials said on Tuesday, as families gathered at the harbour.",
    "The harbour master, Elena Varga, said 212 passengers had been taken off the ship and that "
    "eleven of them were being treated in hospital for smoke inhalation and minor burns.",
    "\u201cWe were lucky the weather held,\u201d Varga told reporters, adding that the cause of the "
    "fire was not yet known and that an inquiry would begin once the vessel was towed in.",
    "The ferry operator said in a statement that it was cooperating fully with the coastguard and "
    "that all sailings on the route had been suspended until further notice.",
]


def text_doc(text: str, **kw) -> RawDocument:
    return RawDocument(source="written.txt", data=text.encode("utf-8"), format="text", **kw)


def check_offset_map(article: Article, decoded_raw: str) -> None:
    for seg in article.offset_map:
        assert decoded_raw[seg.raw_start : seg.raw_start + seg.length] == \
            article.body[seg.body_start : seg.body_start + seg.length]


# -- scraped text ------------------------------------------------------------------------------

SCRAPED = "\n".join([
    "Harbour Herald Weekly",
    "",
    "Fire on ferry Aurora: 212 passengers rescued",
    "",
    "By Jane Doe",
    "Published on March 3, 2021 at 10:15",
    "Share on Facebook   Share on Twitter   Print",
    "",
    PARA[0],
    "This website uses cookies to improve your experience. We'll assume you're ok with this, but you "
    "can opt-out if you wish. Accept cookies",
    "",
    "The burning ferry is seen from the harbour wall on Tuesday. \u00a9Reuters",
    "",
    PARA[1],
    "Subscribe now to continue reading. Already a subscriber? Log in",
    PARA[1],
    PARA[2],
    'string(812) "[{"id":"99","title":"Other story","pic":"/img/1.jpg"}]"',
    '{"@context": "https://schema.org", "@type": "NewsArticle"}',
    PARA[3],
    "",
    "Copyright 2021 Coastal Wire Service",
    "",
    "Related",
    "Storm warning issued for the northern coast",
    "Council approves new harbour budget",
    "Five things to know about ferry safety",
    "Follow us on Facebook, Twitter and Instagram",
])


@pytest.fixture(scope="module")
def scraped() -> Article:
    return clean_document(text_doc(SCRAPED))


def test_scraped_body_keeps_each_paragraph_once(scraped):
    for para in PARA:
        expected = para.replace("\u201c", '"').replace("\u201d", '"')
        assert scraped.body.count(expected) == 1


@pytest.mark.parametrize("junk", [
    "Share on Facebook", "Subscribe now", "string(812)", "@context", "Copyright 2021",
    "Storm warning issued", "Follow us", "By Jane Doe", "March 3, 2021", "Harbour Herald Weekly",
    "Fire on ferry Aurora", "\u00a9Reuters", "uses cookies",
])
def test_scraped_boilerplate_is_removed(scraped, junk):
    assert junk not in scraped.body


def test_scraped_metadata(scraped):
    assert scraped.title == "Fire on ferry Aurora: 212 passengers rescued"
    assert not scraped.title_derived
    assert scraped.outlet == "Harbour Herald Weekly"  # the masthead line
    assert scraped.author == "Jane Doe"
    assert scraped.published == "2021-03-03T10:15:00"
    assert scraped.syndicated_from == "Coastal Wire Service"
    assert scraped.language == "en"
    assert scraped.captions == ["The burning ferry is seen from the harbour wall on Tuesday. \u00a9Reuters"]
    assert scraped.id == text_doc(SCRAPED).sha256[:16]


def test_scraped_offset_map(scraped):
    check_offset_map(scraped, SCRAPED)
    start = scraped.body.index("We were lucky")
    assert SCRAPED[scraped.raw_offset(start) :].startswith("We were lucky")
    # The folded opening quote was produced by normalisation: it has no raw offset.
    assert scraped.body[start - 1] == '"' and scraped.raw_offset(start - 1) is None


def test_unknowns_stay_unknown():
    article = clean_document(text_doc("\n\n".join(PARA[:2])))
    assert article.published is None and article.outlet is None and article.author is None
    assert article.syndicated_from is None and article.cites == []
    # No headline: the title is derived from the first sentence, and says so.
    assert article.title_derived and article.title.startswith("Rescue crews worked through the night")


def test_relative_dates_are_not_dates():
    article = clean_document(text_doc("In early September\n\n" + PARA[0]))
    assert article.published is None


def test_normalisation_nbsp_quotes_nfc_and_map():
    raw = "Headline for the test\n\nThe mayor\u00a0said \u201cit\u2019s fine\u201d in Cafe\u0301 Roma, which " \
          "reopened on Monday after the long renovation of its old kitchen and dining room.\n"
    article = clean_document(text_doc(raw))
    assert article.body == ('The mayor said "it\'s fine" in Caf\u00e9 Roma, which reopened on Monday after '
                            "the long renovation of its old kitchen and dining room.")
    check_offset_map(article, raw)
    assert article.raw_offset(article.body.index("Roma")) == raw.index("Roma")
    assert article.raw_offset(article.body.index("\u00e9")) is None  # composed by NFC


# -- dates -------------------------------------------------------------------------------------

@pytest.mark.parametrize("line, iso", [
    ("Tue Jun 7, 2016 08:33:35", "2016-06-07T08:33:35"),
    ("Published on June 7, 2016", "2016-06-07"),
    ("08 July, 2016", "2016-07-08"),
    ("Updated: 2019-11-18T23:03:00Z", "2019-11-18T23:03:00"),
    ("November 18, 2019 11:03 PM", "2019-11-18T23:03:00"),
    ("13/06/2016", "2016-06-13"),
])
def test_date_styles(line, iso):
    found = parse_date(line)
    assert found is not None and found.iso == iso and not found.ambiguous


def test_ambiguous_date_settled_by_mentioned_dates():
    body = 'As the channel reported on June 5, troops entered the province.'
    found = parse_date("06/07/2016 - 16:21", body)
    assert found.iso == "2016-06-07T16:21:00" and not found.ambiguous
    found = parse_date("06/07/2016", "The agreement signed on July 4 came into force.")
    assert found.iso == "2016-07-06" and not found.ambiguous


def test_ambiguous_date_settled_by_weekday():
    assert parse_date("Wednesday 06/07/2016").iso == "2016-07-06"
    assert parse_date("Tue 06/07/2016").iso == "2016-06-07"


def test_ambiguous_date_flagged_in_an_article():
    raw = "Ferry fire inquiry opens\n\n04/05/2021\n\n" + "\n\n".join(PARA[1:3])
    article = clean_document(text_doc(raw))
    assert article.published == "2021-04-05" and article.published_ambiguous
    settled = clean_document(text_doc(raw + "\n\nThe vessel had been inspected on May 2 by the coastguard, "
                                      "who found no fault with its engines or its fire doors at the time."))
    assert settled.published == "2021-05-04" and not settled.published_ambiguous


# -- HTML ----------------------------------------------------------------------------------------

HTML = """<!DOCTYPE html><html lang="en"><head>
<title>Ferry fire: 212 rescued off Port Selden | Harbour Herald</title>
<meta property="og:site_name" content="Harbour Herald">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2021-03-03T10:15:00+00:00">
<script>var tracking = {"id": 1}; function go() { return 1; }</script>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article><h1>Ferry fire: 212 rescued off Port Selden</h1>
<p>PARA0</p>
<figure><img src="ferry.jpg"><figcaption>The burning ferry. Photo: Coastguard</figcaption></figure>
<p>PARA1</p><p>PARA2</p><p>PARA3</p>
<p>Share this article on Facebook and Twitter</p>
</article>
<footer><p>About us</p><p>Contact</p></footer>
</body></html>"""
for _i, _p in enumerate(PARA):
    HTML = HTML.replace(f"PARA{_i}", _p)


def test_html_page_content_and_meta():
    article = clean_document(RawDocument(source="page.html", data=HTML.encode(), format="html",
                                         url="https://www.harbourherald.example/2021/03/ferry"))
    assert article.title == "Ferry fire: 212 rescued off Port Selden"
    assert article.outlet == "Harbour Herald"
    assert article.author == "Jane Doe"
    assert article.published.startswith("2021-03-03")
    assert "212 passengers had been taken off" in article.body
    assert "all sailings on the route had been suspended" in article.body
    for junk in ("tracking", "Home", "About us", "Share this article"):
        assert junk not in article.body
    assert article.captions == ["The burning ferry. Photo: Coastguard"]
    assert "The burning ferry" not in article.body
    check_offset_map(article, HTML)
    assert article.offset_map, "plain paragraphs are found in the page and mapped"


def test_html_container_fields_win():
    # A feed entry as ingest hands it over: an HTML fragment plus the entry's own fields.
    fragment = "".join(f"<p>{p}</p>" for p in PARA)
    raw = RawDocument(source="feed.xml#1", data=fragment.encode(), format="html",
                      url="https://news.example.org/ferry",
                      fields={"title": "Ferry fire", "published": "2021-03-04T08:00:00+00:00",
                              "author": "Sam Roe", "feed_title": "Example Coast News",
                              "http_date": "Fri, 05 Mar 2021 10:00:00 GMT"})
    article = clean_document(raw)
    assert (article.title, article.author, article.outlet) == ("Ferry fire", "Sam Roe", "Example Coast News")
    assert article.published == "2021-03-04T08:00:00+00:00"  # the entry's date, not the fetch date
    assert "eleven of them were being treated" in article.body


def test_short_html_fragment_keeps_its_text():
    fragment = "<p>Ferry crossings to Asterholm resume on Monday, the operator said.</p><script>x()</script>"
    article = clean_document(RawDocument(source="feed#2", data=fragment.encode(), format="html"))
    assert article.body == "Ferry crossings to Asterholm resume on Monday, the operator said."


def test_html_of_scripts_only_is_no_article():
    page = "<html><head><script>" + "var a = 1;" * 500 + "</script></head><body></body></html>"
    with pytest.raises(CleanError):
        clean_document(RawDocument(source="s.html", data=page.encode(), format="html"))


@pytest.mark.parametrize("url, outlet", [
    ("https://www.portselden-news.example/a/1", "portselden-news.example"),
    ("https://edition.harbourherald.co.uk/2021/ferry", "harbourherald.co.uk"),
    ("http://[::1", None),
])
def test_url_domain_is_the_last_resort_outlet(url, outlet):
    fragment = "".join(f"<p>{p}</p>" for p in PARA)
    article = clean_document(RawDocument(source="u", data=fragment.encode(), format="html", url=url))
    assert article.outlet == outlet


# -- JSONL ---------------------------------------------------------------------------------------

def jsonl_doc(obj: dict) -> RawDocument:
    line = json.dumps(obj).encode()
    return RawDocument(source="a.jsonl#1", data=line, format="jsonl", fields=obj,
                       external_id=str(obj["id"]) if "id" in obj else None)


def test_jsonl_text_fields_metadata_and_map():
    obj = {"id": "ferry-7", "url": "https://ex.org/f", "title": "Ferry fire",
           "text": "\n\n".join(PARA) + "\n\nShare this article\n\n" + PARA[1],
           "published": "2021-03-03", "outlet": "Example Post", "author": "Ann Lee",
           "section": "World", "tags": ["fire", "ferry"]}
    raw = jsonl_doc(obj)
    article = clean_document(raw)
    assert article.external_id == "ferry-7"
    assert (article.title, article.outlet, article.author) == ("Ferry fire", "Example Post", "Ann Lee")
    assert article.published == "2021-03-03" and article.url == "https://ex.org/f"
    assert article.metadata == {"section": "World", "tags": ["fire", "ferry"]}
    assert "Share this article" not in article.body
    assert article.body.count("212 passengers") == 1
    # The map points into the JSON line itself, past its escapes.
    check_offset_map(article, raw.data.decode())
    at = article.body.index("We were lucky")
    assert raw.data.decode()[article.raw_offset(at) :].startswith("We were lucky")


def test_jsonl_numeric_date_is_settled_or_flagged():
    flagged = clean_document(jsonl_doc({"text": "\n\n".join(PARA), "published": "04/05/2021"}))
    assert flagged.published == "2021-04-05" and flagged.published_ambiguous
    text = "\n\n".join(PARA) + "\n\nThe vessel had been inspected on May 2 by the coastguard, who found no fault."
    settled = clean_document(jsonl_doc({"text": text, "published": "04/05/2021"}))
    assert settled.published == "2021-05-04" and not settled.published_ambiguous


def test_jsonl_html_goes_through_extraction():
    obj = {"id": 3, "html": HTML, "extra": 1}
    article = clean_document(jsonl_doc(obj))
    assert "212 passengers had been taken off" in article.body and "About us" not in article.body
    assert article.external_id == "3" and article.metadata == {"extra": 1}


def test_jsonl_without_text_is_refused():
    with pytest.raises(CleanError, match="neither"):
        clean_document(jsonl_doc({"id": 1, "title": "only a title"}))


# -- decoding and bad input ------------------------------------------------------------------------

def test_decoding_bom_and_legacy_encodings():
    text = "Caf\u00e9 owners in the old town said on Monday that the ferry fire had kept visitors away all week."
    for data in (text.encode("utf-16"), b"\xef\xbb\xbf" + text.encode(), (text + " " + text).encode("cp1252")):
        article = clean_document(RawDocument(source="x", data=data, format="text"))
        assert "Caf\u00e9 owners" in article.body


def test_declared_charset_is_used_when_utf8_fails():
    russian = ("\u041f\u043e\u0436\u0430\u0440 \u043d\u0430 \u043f\u0430\u0440\u043e\u043c\u0435 " * 12).strip() + "."
    header = RawDocument(source="r", data=russian.encode("cp1251"), format="text",
                         fields={"content_type": "text/plain; charset=windows-1251"})
    assert clean_document(header).body == russian
    page = (f'<html><head><meta charset="windows-1251"></head><body><article><p>{russian}</p>'
            f"<p>{russian}</p></article></body></html>")
    meta = RawDocument(source="p", data=page.encode("cp1251"), format="html")
    assert russian in clean_document(meta).body


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"), (b"   \n\t\n", "empty"), (b"\x00\x01\x02\x03" * 50, "binary"),
    ("Share\nPrint\nSubscribe\n\u00a9 2021 Example Media".encode(), "no article"),
])
def test_no_article_raises_clean_error(data, reason):
    with pytest.raises(CleanError, match=reason):
        clean_document(RawDocument(source="bad", data=data, format="text"))


# -- publications --------------------------------------------------------------------------------

def test_cited_publications():
    text = ("The Washington Post said in a Monday report that talks had stalled. Officials told "
            "Reuters the deal was off. According to John Smith, the minister resigned. The White "
            'House said nothing. As channel "Sky Arabia" reported on Sunday, troops moved in. '
            "Unnamed officials told the newspaper nothing new. Our reporter spoke to the mayor.")
    assert find_cited_publications(text) == ["The Washington Post", "Reuters", "Sky Arabia"]
    assert find_cited_publications(text, exclude=["Reuters"]) == ["The Washington Post", "Sky Arabia"]


def test_self_reference_is_not_a_citation():
    text = ("Exclusive: ferry plan\n\nGovernment and security officials have told The Harbour Courier that "
            "a new inspection regime for passenger ferries will be announced within weeks of the fire.\n\n"
            + "\n\n".join(PARA[1:]))
    article = clean_document(text_doc(text))
    assert article.outlet == "The Harbour Courier"
    assert article.cites == []


def test_language_detection():
    german = ("Die Feuerwehr hat in der Nacht einen Brand auf der F\u00e4hre gel\u00f6scht, wie die Beh\u00f6rden "
              "am Dienstag mitteilten. Mehr als zweihundert Passagiere wurden gerettet und in Sicherheit gebracht.")
    assert clean_document(text_doc(german)).language == "de"


def test_hard_wrapped_text_is_joined_into_paragraphs():
    import textwrap

    wrapped = "Ferry fire: 212 rescued\n\n" + "\n\n".join(textwrap.fill(p, 68) for p in PARA) + "\n"
    article = clean_document(text_doc(wrapped.replace("\n", "\r\n")))
    paragraphs = article.body.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[1] == PARA[1]
    check_offset_map(article, wrapped.replace("\n", "\r\n"))


def test_headline_only_item_keeps_its_line():
    article = clean_document(text_doc("June 06, 2013\nFerry operator suspends all Lake Tessmer crossings\n"))
    assert article.body == "Ferry operator suspends all Lake Tessmer crossings"
    assert article.published == "2013-06-06"


@pytest.mark.parametrize("text, name", [
    ("Body text here.\nMore from Harbour Herald\nOther", "Harbour Herald"),
    ("Join Coastwatch for insider access and analysis.", "Coastwatch"),
    ("Follow Coastwatch on Twitter", "Coastwatch"),
    ("KELLBY, March 14 (Lakeside Wire) - Passengers were evacuated on Saturday.", "Lakeside Wire"),
])
def test_self_references(text, name):
    from storyweave.clean import find_self_references

    assert find_self_references(text) == [name]


def test_a_person_to_follow_is_an_author_not_an_outlet():
    from storyweave.clean import find_self_references

    text = "\n\n".join(PARA) + "\n\nFollow Jane Doe on Twitter.\n"
    assert find_self_references(text) == []
    assert clean_document(text_doc(text)).author == "Jane Doe"


def test_republished_story_names_its_source():
    text = ("Port Selden Gazette\n\nFerry fire: 212 rescued\n\n" + "\n\n".join(PARA)
            + "\n\nThis story was first published by the Valley Echo and is republished with permission.\n")
    article = clean_document(text_doc(text))
    assert article.outlet == "Port Selden Gazette"
    assert article.syndicated_from == "Valley Echo"
    assert "Valley Echo" not in article.cites


def test_unspaced_script_sentences_are_not_a_headline_list():
    sentences = [
        "\u6e2f\u3067\u30d5\u30a7\u30ea\u30fc\u306e\u706b\u4e8b\u304c\u3042\u308a\u3001\u4e57\u5ba2\u306f\u6551\u547d\u30dc\u30fc\u30c8\u3067\u907f\u96e3\u3057\u307e\u3057\u305f\u3002",
        "\u6d88\u9632\u306b\u3088\u308b\u3068\u3001\u3051\u304c\u4eba\u306f\u56db\u4eba\u3067\u3001\u5168\u54e1\u304c\u305d\u306e\u65e5\u306e\u3046\u3061\u306b\u9000\u9662\u3057\u307e\u3057\u305f\u3002",
        "\u904b\u822a\u4f1a\u793e\u306f\u3001\u5168\u3066\u306e\u4fbf\u3092\u5f53\u9762\u904b\u4f11\u3059\u308b\u3068\u767a\u8868\u3057\u307e\u3057\u305f\u3002",
    ]
    article = clean_document(text_doc("\n".join(sentences)))
    assert article.body.split("\n\n") == sentences
    assert article.language == "ja"
