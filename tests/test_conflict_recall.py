"""Real disagreements on aligned statements that must be reported, each beside the close case that
must not be, on short articles written for these tests (issue 8: conflict recall)."""

from __future__ import annotations

from test_dossier_trust import _article, _pair_dossier

from storyweave import nlp
from storyweave.dossier import build_dossier
from storyweave.model import Story
from storyweave.nlp.quantities import find_quantities


def _dated_pair(aid: str, body_a: str, body_b: str, published_a: str, published_b: str):
    a = _article(aid + "_a", body_a, "First Outlet", published=published_a)
    b = _article(aid + "_b", body_b, "Second Outlet", published=published_b)
    readings = {r.article_id: r for r in nlp.read_articles([a, b])}
    return build_dossier(Story(id="s_" + aid, title="t", article_ids=[a.id, b.id]), [a, b], readings)


def test_two_months_for_one_verdict_conflict_and_a_day_inside_the_month_agrees():
    lede = "Gang member sentenced\n\nA jury ordered the execution of gang member Jose Orozco for the killing of a deputy. "
    verdict = _dated_pair(
        "verdict", lede + "Orozco was found guilty of first-degree murder by the same jury last month, prosecutors said.",
        lede + "In April 2007 Orozco was found guilty of first-degree murder by the same jury, prosecutors said.",
        "2007-04-04", "2009-06-01")
    dates = [c for c in verdict.conflicts if c.kind == "date"]
    assert [sorted(v.value[:7] for v in c.variants) for c in dates] == [["2007-03", "2007-04"]]
    inside = _dated_pair(
        "verdict2", lede + "Orozco was found guilty of first-degree murder by the same jury on March 20, prosecutors said.",
        lede + "In March 2007 Orozco was found guilty of first-degree murder by the same jury, prosecutors said.",
        "2007-04-04", "2009-06-01")
    assert not [c for c in inside.conflicts if c.kind == "date"]


def test_the_start_of_a_span_does_not_date_the_happening():
    lede = "Refugees flee\n\nThousands of refugees crossed into South Sudan this week, the UN said. "
    d = _dated_pair(
        "span", lede + "Hundreds of thousands of civilians have fled South Kordofan since June because of the fighting, the UN said.",
        lede + "Hundreds of thousands of civilians have fled South Kordofan since fighting began there in July, the UN said.",
        "2011-11-11", "2011-11-11")
    assert not [c for c in d.conflicts if c.kind == "date"]


def test_two_prison_terms_in_differently_worded_accounts_conflict():
    lede = "Watergate figure dies\n\nFred LaRue, the Watergate bagman, died on Saturday at 75. "
    d = _pair_dossier(
        "served", lede + "He served four months in federal prison for conspiracy to obstruct justice.",
        lede + "LaRue served four and a half months in prison for his role in the Watergate conspiracy, "
        "after being charged with obstructing justice.")
    assert [(c.kind, c.subject) for c in d.conflicts] == [("number", "prison term")]


def test_a_garbled_fraction_is_not_read_as_a_term():
    doc = nlp.load_pipeline()("LaRue was the bagman, and served 41 / 2 months in federal prison for conspiracy.")
    assert [q.value for q in find_quantities(doc)] == []


def test_a_bare_sentencing_may_be_another_one_and_is_not_a_conflict():
    lede = "Mob boss dies\n\nVincent Gigante, the Genovese crime family boss, died in prison on Monday at 77. "
    d = _pair_dossier(
        "sentenced", lede + "He was sentenced to 12 years in prison.",
        lede + "Gigante, who listed his profession as the superintendent of a tenement on Bleecker Street, "
        "was sentenced to seven years in prison.")
    assert not [c for c in d.conflicts if c.kind == "number"]


def test_two_ages_in_aligned_sentences_are_of_two_people():
    lede = "Saints hit by injuries\n\nThe Saints will be short-handed for their last two games. "
    d = _pair_dossier(
        "ages", lede + "The 23-year-old Bush will miss the team's final two regular season games against Detroit.",
        lede + "The 81-year old owner is at home and will miss the team's trip to Detroit.")
    assert not [c for c in d.conflicts if c.kind == "number"]


def test_last_week_from_two_publication_dates_is_not_a_date_conflict():
    lede = "Office shooting\n\nA gunman opened fire at an accounting firm in Troy. "
    d = _dated_pair(
        "week", lede + "A man suspected of shooting three people at the accounting firm from which he was fired last "
        "week was arrested after a chase a few hours after the attack this morning, police said.",
        lede + "A man suspected of shooting three people at the accounting firm where he was fired last week was "
        "arrested after a chase a few hours after the Monday morning attack, police said.",
        "2007-04-09", "2007-04-11")
    assert not [c for c in d.conflicts if c.kind == "date"]


def test_counts_of_two_named_people_are_not_a_conflict_and_two_sources_on_one_toll_are():
    lede = "Tar Heels win\n\nNorth Carolina beat Maryland 88-72 on Saturday night. "
    players = _pair_dossier(
        "points", lede + "Phil Ford finished his career in 1978 with 2,290 points for North Carolina.",
        lede + "Tyler Hansbrough finished with 20 points for North Carolina on Saturday.")
    assert not [c for c in players.conflicts if c.kind == "number"]
    camp = "Camp bombed\n\nWarplanes bombed the Yida refugee camp in South Sudan on Thursday. "
    toll = _pair_dossier(
        "toll", camp + "Local official Miabek Lang said at least 12 people were killed in the camp on Thursday.",
        camp + "Aid worker Ryan Boyette said two people were killed in the camp on Thursday.")
    assert [c.kind for c in toll.conflicts] == ["number"]


def test_an_excerpt_or_a_spaced_apostrophe_is_not_another_wording():
    from storyweave.compare._conflicts import _reworded

    assert _reworded(["i thought it was a brick but it was a bullet",
                      "at the time, i thought it was a brick, but it was a bullet"]) == []
    assert _reworded(["it ' s disappointing to hear about it", "it's disappointing to hear about it"]) == []
    # two overlapping parts of one statement (Jenna Coleman's, as two outlets cut it)
    assert _reworded(["i'm so excited he is the 12th doctor. with steven's writing we'll be making an amazing show",
                      "with steven's writing we'll be making an amazing show. i can't wait to start"]) == []
    assert len(_reworded(["i wish my successor all the best", "i just want to wish my successor all the best"])) == 2



def test_counts_beside_a_part_of_a_whole_are_not_a_conflict():
    lede = "Tar Heels win\n\nNorth Carolina beat Maryland 88-72 on Saturday night. "
    d = _pair_dossier(
        "run", lede + "Echenique scored all 11 of his points in the second half, grabbed 11 rebounds and blocked six shots.",
        lede + "During the deciding 15-2 run, Echenique scored two three-point plays, grabbed 3 of his 11 rebounds "
        "and blocked two shots.")
    assert not [c for c in d.conflicts if c.kind == "number"]


def test_an_office_named_by_its_body_s_acronym_is_not_a_title_conflict():
    from storyweave.compare._conflicts import _titles_clash

    assert not _titles_clash("Police Commissioner", "NYPD Commissioner")
    assert _titles_clash("FBI Director", "CIA Director")
    assert _titles_clash("Interior Minister", "Transport Minister")


def test_a_date_in_a_relative_clause_dates_that_clause_not_the_sentence():
    # When he was hired (a year before) against the day he was fired: no disagreement. Both
    # dates on the firing are one.
    lede = "Sixers fire O'Brien\n\nThe Philadelphia 76ers fired coach Jim O'Brien and hired Maurice Cheeks. "
    hired = _dated_pair(
        "hired", lede + "Nearly three weeks after the Sixers ended their season, King decided to fire O'Brien, who "
        "still has two years and $8 million left on the contract he signed when he was hired by the Sixers on "
        "April 21, 2004.",
        lede + "In a surprising move nearly three weeks following the end of their season, the Sixers fired Jim "
        "O'Brien on Monday and replaced him with Cheeks.",
        "2005-05-24", "2005-05-24")
    assert not [c for c in hired.conflicts if c.kind == "date"]
    fired = _dated_pair(
        "fired", lede + "The Sixers fired Jim O'Brien, their coach of one season, on April 21.",
        lede + "The Sixers fired Jim O'Brien, their coach of one season, on Monday.",
        "2005-05-24", "2005-05-24")
    assert [c.kind for c in fired.conflicts if c.kind == "date"] == ["date"]


def test_dates_of_two_happenings_in_aligned_sentences_are_not_a_date_conflict():
    # The conviction and the return to prison are two happenings of one life: each its own date.
    lede = "Inmate escapes\n\nA convicted rapist serving a life term escaped from a prison van near Baytown. "
    two = _dated_pair(
        "convicted", lede + "Morris was serving a life sentence after being convicted in June 1998 of aggravated "
        "sexual assault in Brazos County.",
        lede + "Morris was in and out of prison on parole violations until he returned to prison in June 1999 to "
        "serve a life sentence for aggravated sexual assault in Brazos County.",
        "2012-10-09", "2012-10-09")
    assert not [c for c in two.conflicts if c.kind == "date"]
    one = _dated_pair(
        "convicted2", lede + "Morris was serving a life sentence after being convicted in June 1998 of aggravated "
        "sexual assault in Brazos County.",
        lede + "Morris was serving a life sentence after being convicted in June 1999 of aggravated sexual "
        "assault in Brazos County.",
        "2012-10-09", "2012-10-09")
    assert [c.kind for c in one.conflicts if c.kind == "date"] == ["date"]


def test_an_accepted_pair_kept_in_two_groups_is_still_compared_for_its_date():
    # Grouping may keep two accounts of one announcement apart (a third article links to one
    # only); the pair model still calls them one fact, so their days are compared, and a clash
    # disputes no claim.
    from storyweave.compare import StatementGroup, find_conflicts, statements_of

    a = _article("announce_a", "HP buys EYP\n\nHewlett-Packard announced on Tuesday that it has agreed to acquire "
                 "EYP Mission Critical Facilities, a data center consulting firm.", "First Outlet", published="2007-11-14")
    b = _article("announce_b", "HP to buy EYP\n\nHewlett-Packard said on Monday 12 November that it has agreed to buy "
                 "data center consulting firm EYP Mission Critical Facilities.", "Second Outlet", published="2007-11-14")
    readings = {r.article_id: r for r in nlp.read_articles([a, b])}
    sa, sb = statements_of(a, readings[a.id])[0], statements_of(b, readings[b.id])[0]
    apart = [StatementGroup([sa]), StatementGroup([sb])]
    assert not find_conflicts(apart, [a, b], readings, []).conflicts
    report = find_conflicts(apart, [a, b], readings, [], links=[(sa, sb)])
    assert [c.kind for c in report.conflicts] == ["date"] and not report.disputed_groups


def test_counts_of_one_doing_to_one_person_in_side_clauses_conflict_and_on_two_days_do_not():
    # Neither sentence states the other's fact, so no claim pairs them; both count how often one
    # named teenager was shot.
    lede = "Vigil turns tense\n\nHundreds of people gathered in Flatbush for a vigil on Monday night. "
    shot = _dated_pair(
        "shot", lede + "Marchers filled the streets of the neighbourhood where Jamal Robinson was shot 11 times by "
        "police officers, organisers said.",
        lede + "Marchers filled the streets of the neighbourhood where Jamal Robinson was killed by police officers, "
        "organisers said. The police department has not released the names of the two officers. The crowd was calm on Tuesday, but on Wednesday, when an autopsy showed Robinson had been "
        "shot seven times, dozens of marchers clashed with riot police.",
        "2013-03-14", "2013-03-14")
    assert [(c.kind, c.subject) for c in shot.conflicts] == [("number", "times")]
    assert not any(c.status == "disputed" for c in shot.claims)
    games = _dated_pair(
        "games", "Bluejays advance\n\nCreighton beat Drake in the conference quarterfinals. "
        "Doug Miles scored 23 points on Friday as the Bluejays beat Drake in the quarterfinals.",
        "Bluejays advance\n\nCreighton beat Drake in the conference quarterfinals. "
        "Fans recalled that Doug Miles scored 15 points on Thursday last week, when the Bluejays lost to Wichita State.",
        "2013-03-09", "2013-03-09")
    assert not [c for c in games.conflicts if c.kind == "number"]


def test_a_part_of_the_team_s_points_in_tokenised_text_is_not_a_conflict():
    # Tokenised news text spaces the apostrophe ("the team ' s"): still a part counted against its whole.
    lede = "Bluejays advance\n\nCreighton beat Drake 65-53 in the conference quarterfinals on Friday. "
    d = _pair_dossier(
        "teampoints", lede + "Doug Miles scored 23 points to become the school's all-time scoring leader.",
        lede + "Doug Miles scored 10 of the team ' s first 17 points, displaying a mix of three-point touch and "
        "the ability to finish around the rim.")
    assert not [c for c in d.conflicts if c.kind == "number"]


def test_a_running_total_against_an_earlier_count_is_not_a_conflict():
    # "has since received" is the count at the time of writing: both figures can be true.
    lede = "Wolf rule draws protest\n\nThe Interior Department proposed to drop protections for grey wolves. "
    running = _pair_dossier(
        "running", lede + "The agency received nearly 235,000 comments on the wolf proposal, most of them form letters.",
        lede + "The agency proposed the rule in May and has since received nearly 300,000 comments on the wolf proposal.")
    assert not [c for c in running.conflicts if c.kind == "number"]
    both_past = _pair_dossier(
        "bothpast", lede + "The agency received nearly 235,000 comments on the wolf proposal, most of them form letters.",
        lede + "The agency received nearly 300,000 comments on the wolf proposal, most of them form letters.")
    assert [c.kind for c in both_past.conflicts if c.kind == "number"] == ["number"]
