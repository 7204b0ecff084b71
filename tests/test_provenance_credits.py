"""Primary sources on short articles written for these tests (the shapes met on fresh ECB+ news):
an outlet's short name for itself, a nationality before a medium, an interview given to a wire
service, a wire's dateline, a blog's credit heading, a broadcaster's hyphenated name in an
article retelling reports."""

from __future__ import annotations

from test_dossier_trust import _article

from storyweave import nlp
from storyweave.model.credits import find_cited_publications
from storyweave.compare._provenance import trace_provenance
from storyweave.model import Story


def _sources(*articles):
    readings = {r.article_id: r for r in nlp.read_articles(list(articles))}
    story = Story(id="s_credits", title="t", article_ids=[a.id for a in articles])
    return {p.outlet: (p.relation, p.primary_source) for p in trace_provenance(story, list(articles), readings)}


def test_sources_telling_the_outlet_by_its_short_name_is_its_own_reporting():
    news = _article("self1", "Singer enters rehab\n\nThe singer checked into a clinic late Thursday, "
                    "sources told the Daily News. It is the same clinic she used in 2010.", "nydailynews.com")
    post = _article("self2", "Singer enters rehab\n\nProsecutor Ann White told The Post the singer had left. "
                    "\"The facility is not licensed,\" a state official told The Post.", "nypost.com")
    assert _sources(news, post) == {"nydailynews.com": ("own-reporting", "nydailynews.com"),
                                    "nypost.com": ("own-reporting", "nypost.com")}


def test_a_nationality_before_a_medium_is_no_publication():
    body = ("Peter Hale was unveiled as the new Doctor on Sunday. Widely regarded as one of the biggest roles in "
            "British television, the part goes to him at Christmas. \"It is a privilege,\" Hale said.")
    art = _article("norp1", "New Doctor named\n\n" + body, "bbc.co.uk", cites=find_cited_publications(body))
    assert _sources(art) == {"bbc.co.uk": ("own-reporting", "bbc.co.uk")}


def test_an_interview_given_to_a_wire_service_makes_the_article_its_report():
    art = _article("wire1", "Dairy burns\n\nA fire destroyed the old dairy warehouse on Tuesday. "
                   "The public safety director said a call came in at 3:33 a.m. Crews fought the fire for hours. "
                   "The building had been vacant for years, City Clerk Jan Bower told The Associated Press. "
                   "\"It is very, very sad,\" Bower said.", "alaskajournal.com")
    assert _sources(art) == {"alaskajournal.com": ("cites", "The Associated Press")}


def test_a_passing_quote_given_to_a_wire_leaves_the_article_its_own_reporting():
    art = _article("wire3", "Dairy burns\n\nA fire destroyed the old dairy warehouse on Tuesday, Fire Chief Jon Owen "
                   "said. \"The roof went in minutes,\" Owen said. \"We focused on the fuel tanks next door,\" Owen "
                   "said. The building had been vacant for years, a neighbour told The Associated Press.",
                   "alaskapublic.org")
    assert _sources(art) == {"alaskapublic.org": ("own-reporting", "alaskapublic.org")}


def test_a_wire_services_name_and_date_opening_the_text_is_a_credit_line():
    art = _article("wire2", "Patch released\n\nReuters Sep 18, 2013\n\nThe software maker released an emergency fix "
                   "on Tuesday after hackers exploited a flaw in its browser. The company said the attacks were "
                   "limited.", "timesofindia.indiatimes.com")
    assert _sources(art) == {"timesofindia.indiatimes.com": ("cites", "Reuters")}


def test_a_publications_name_and_a_colon_heading_a_blog_post_is_its_credit():
    art = _article("head1", "December 16\n\nHerald: Sox Make Offer To Slugger\n\nThe columnist writes that the club "
                   "has made an offer, the biggest yet for this ownership group. The offer is believed to be for "
                   "eight years.", "joyofsox.blogspot.nl")
    assert _sources(art) == {"joyofsox.blogspot.nl": ("cites", "Herald")}


def test_a_hyphenated_broadcaster_is_the_source_of_an_article_retelling_reports():
    body = ("Three people died in a blaze at a bank in Athens. The fire started when demonstrators threw petrol "
            "bombs. SKY-TV reports that the three were bank employees. Reports have it that demonstrators threw "
            "stones at the fire brigade.")
    cites = find_cited_publications(body)  # as the clean stage gathers them
    assert cites == ["SKY-TV"]
    art = _article("sky1", "Three dead at bank\n\n" + body, "keeptalkinggreece.com", cites=cites)
    assert _sources(art) == {"keeptalkinggreece.com": ("cites", "SKY-TV")}


def test_a_wire_named_on_the_date_line_clean_drops_is_where_the_copy_comes_from():
    from storyweave.clean import clean_document
    from storyweave.model import RawDocument

    text = ("Microsoft releases security patch\n\nReuters Sep 18, 2013, 02.16PM IST\n\n"
            "Microsoft released an emergency software fix for its browser on Tuesday after hackers exploited a "
            "security flaw to attack an unknown number of users.\n\n"
            "The software maker said on its website it released the fix as an emergency measure.\n\n"
            "Security experts said users should install the fix at once or stop using the browser.\n")
    art = clean_document(RawDocument(source="written.txt", data=text.encode("utf-8"), format="text"))
    assert "Reuters" not in art.body  # the date line is not body text
    art = art.model_copy(update={"outlet": "timesofindia.indiatimes.com"})
    assert _sources(art) == {"timesofindia.indiatimes.com": ("copies", "Reuters")}


def test_a_death_confirmed_to_a_wire_by_the_one_spokesman_quoted_is_the_wires_report():
    body = ("Championship swimmer-turned-actress Esther Williams has died. She passed away in Beverly Hills on "
            "Thursday at the age of 91. She starred in Bathing Beauty in 1944 and Million Dollar Mermaid in 1952. "
            "Williams' publicist, Harlan Boll, confirmed her death to the Associated "
            "Press on Thursday.")
    cites = find_cited_publications(body)
    assert cites == ["the Associated Press"] or cites == ["Associated Press"]
    art = _article("wire4", "Esther Williams dies\n\n" + body, "starpulse.com", cites=cites)
    assert _sources(art)["starpulse.com"][0] == "cites"
    assert "Associated Press" in _sources(art)["starpulse.com"][1]
