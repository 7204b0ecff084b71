"""Primary sources: the kinds of credit the fresh news of issue 8 showed wrong, each on a short
article written for these tests: a publication's name run together ("RussiaToday") or in its
initials ("WSJ"), two publications in one credit, a quote mark glued to "according to", a
journalist named with the publication's possessive, people on a social platform, a statement
the main speaker gave another paper, and a compilation crediting several papers equally."""

from __future__ import annotations

from test_dossier_trust import _article

from storyweave import nlp
from storyweave.model.credits import find_cited_publications
from storyweave.compare._provenance import trace_provenance
from storyweave.model import Story


def _sources(*articles):
    readings = {r.article_id: r for r in nlp.read_articles(list(articles))}
    story = Story(id="s_kinds", title="t", article_ids=[a.id for a in articles])
    return {p.outlet: (p.relation, p.primary_source) for p in trace_provenance(story, list(articles), readings)}


def _credited(aid: str, text: str, outlet: str):
    title, _, body = text.partition("\n\n")
    return _article(aid, text, outlet, cites=find_cited_publications(body))


def test_a_name_run_together_that_ends_in_a_title_word_is_a_publication():
    assert find_cited_publications("Police moved in at midnight, according to HarborToday.") == ["HarborToday"]
    assert find_cited_publications("The song leaked last week, her manager told Popwire.com.") == ["Popwire.com"]
    # a company's run-together name is not a paper's ("World" ends companies too)
    assert find_cited_publications("The orca died on Monday, according to SeaWorld.") == []
    art = _credited("brand1", "Crowd clashes with police\n\nPolice broke up a vigil of more than a hundred people "
                    "on Monday night, according to HarborToday. Two people were arrested.", "bloggy.example")
    assert _sources(art) == {"bloggy.example": ("cites", "HarborToday")}


def test_the_initials_of_a_big_paper_are_a_publication():
    assert find_cited_publications("After a slow year, WSJ is reporting that the chain will close 40 stores.") == ["WSJ"]
    assert find_cited_publications("NASA is saying that the launch slips to May.") == []


def test_two_publications_in_one_credit_are_both_credited():
    found = find_cited_publications("The Harbor Times and Bayview Daily are reporting that the mayor will resign.")
    assert found == ["The Harbor Times", "Bayview Daily"]
    # a person and a publication: only the publication
    assert find_cited_publications("Jane Cole and the Harbor Times reported the merger.") == ["Harbor Times"]


def test_a_quote_mark_glued_to_according_to_still_credits():
    assert find_cited_publications('According to"The Valley Herald", the director will return.') == ["Valley Herald"]


def test_speaking_to_a_wire_at_a_sentence_start_is_a_credit():
    assert find_cited_publications("Speaking to Reuters, villagers said no aid had come.") == ["Reuters"]


def test_a_journalist_named_with_the_papers_possessive_credits_the_paper_not_the_person():
    text = ("Nominee profile\n\nThe doctor runs a rural clinic. \"The people are proud,\" she told CBS News' Dana Reed "
            "in 1995. She will be nominated on Monday.")
    own = _article("poss1", text, "cbsnews.com")
    other = _article("poss2", text, "bloggy.example")
    got = _sources(own, other)
    assert got["cbsnews.com"] == ("own-reporting", "cbsnews.com")
    assert got["bloggy.example"][1] != "Dana Reed"


def test_people_on_a_social_platform_are_not_a_publication():
    art = _article("plat1", "March in Flatbush\n\nNew Yorkers on Twitter reported that police followed the march. "
                   "\"We want answers,\" Councilman Tom Bray said. The march ended at midnight.", "bloggy.example")
    assert _sources(art) == {"bloggy.example": ("own-reporting", "bloggy.example")}


def test_the_main_speakers_statement_to_the_only_paper_named_makes_it_the_source():
    art = _credited("stmt1", "Cable cut\n\nInternet service slowed across the coast on Tuesday. "
                    "Phone lines were also hit. Most of the city was affected. "
                    "In a statement to the Delta Courier newspaper, Omar Hadi, a member of the regulator's board, "
                    "said the cable was cut near the port. He said repairs would take a week.", "techblog.example")
    assert _sources(art) == {"techblog.example": ("cites", "Delta Courier")}


def test_a_bystanders_line_told_a_tv_station_leaves_the_article_its_own():
    art = _credited("stmt2", "Crash on Main Street\n\nA car hit a bus shelter on Main Street on Friday. Nobody was "
                    "hurt. The driver was taken to hospital. \"They drive reckless around here,\" a bystander told "
                    "Metro TV.", "localblog.example")
    assert _sources(art) == {"localblog.example": ("own-reporting", "localblog.example")}


COMPILATION = (
    "Vigil turns to riot\n\nA crowd gathered on Monday night to mourn the teenager. Police said officers had "
    "fired after he pointed a gun. The crowd later marched to the precinct. A witness told the Daily News the officers "
    "started shooting at once. The Harbor Post says a crowd looted a pharmacy. The manager said they took the "
    "registers. Police sources also told the News that he had four prior arrests. Police said the crowd had "
    "dispersed by 10:30 p.m. (the Harbor Post says three people were injured)."
)


def test_a_compilation_crediting_several_papers_equally_is_the_outlets_own():
    art = _credited("comp1", COMPILATION, "citynews.example")
    assert _sources(art) == {"citynews.example": ("own-reporting", "citynews.example")}


def test_one_paper_credited_more_than_the_others_stays_the_source():
    text = COMPILATION.replace("Police sources also told the News that", "Police sources said that")
    art = _credited("comp2", text, "citynews.example")
    assert _sources(art) == {"citynews.example": ("cites", "The Harbor Post")}


def test_a_host_reporting_on_his_own_show_is_the_source():
    assert find_cited_publications("Ann Lee wrote in her Sunday column that the team will fold.") == ["Ann Lee"]
    # a page on a platform is not a medium of one's own
    assert find_cited_publications("Ann Lee said on her Facebook page that she resigns.") == []
    art = _credited("host1", "Report: Hawks offer Diaz $90 million\n\nMarch 3, 2024\n\nTom Rusk reported on his show "
                    "on KXL 750 that the Hawks have made Diaz a five-year offer. If so, it beats every other bid. "
                    "\"It will be interesting to see what the Owls do,\" Rusk said.", "sportsblog.example")
    assert _sources(art) == {"sportsblog.example": ("cites", "Tom Rusk")}


def test_a_credit_for_the_headlines_news_after_a_wind_up_is_the_source():
    body = ("Director Ava Lind Still Negotiating For The Sequel\n\nThe first film opened to records. Fans loved it. "
            "Critics were kinder than expected. The studio kept its cast. But behind the scenes things are slower: "
            "the Valley Ledger says director Ava Lind is still negotiating to direct the sequel. "
            "Her first deal paid her $3 million.")
    art = _credited("head1", body, "filmblog.example")
    assert _sources(art) == {"filmblog.example": ("cites", "Valley Ledger")}
    # a side detail credited once, far from the headline's news, leaves it the blog's own
    side = body.replace("the Valley Ledger says director Ava Lind is still negotiating to direct the sequel.",
                        "director Ava Lind is still negotiating to direct the sequel. The budget was $80 million, "
                        "the Valley Ledger says.")
    assert _sources(_credited("head2", side, "filmblog.example")) == {"filmblog.example": ("own-reporting", "filmblog.example")}


def test_a_paper_credited_in_several_sentences_further_down_is_the_source():
    art = _credited("many1", "Cables cut\n\nPhone and internet service failed across the region on Friday. Three "
                    "undersea cables were damaged. It is unclear when they will be fixed. The operator plans to send "
                    "a repair ship, according to Bloomberg. Mobile service was also hit, according to Bloomberg. "
                    "Rerouting has slowed connections, Bloomberg reported.", "techsite.example")
    assert _sources(art) == {"techsite.example": ("cites", "Bloomberg")}


def test_interviews_given_to_another_outlet_twice_leave_the_article_its_own():
    art = _credited("many2", "New Doctor named\n\nPeter Hale was unveiled as the new Doctor on Sunday. He takes over at "
                    "Christmas. The show has run for 50 years. Hale told the BBC he had been a fan since childhood. "
                    "\"It is a privilege,\" Hale said. Talking about his exit, Matt Lane told the BBC he would miss "
                    "the role.", "news.example")
    assert _sources(art) == {"news.example": ("own-reporting", "news.example")}


def test_a_web_name_that_only_said_something_may_be_a_company():
    assert find_cited_publications("Amazon.com said holiday sales rose 20 percent.") == []
