"""Name and account conflicts: who did what to whom, told differently by two outlets in aligned
statements, each beside the close case that is not a conflict (issue 8), on short articles
written for these tests."""

from __future__ import annotations

from test_dossier_trust import _pair_dossier

from storyweave import nlp
from storyweave.compare._accounts import spelled_apart, variant_names
from storyweave.model import Article

RACE = "Race widens\n\nThe mayor's race widened on Monday. "
SHOT = "Deputy killed\n\nA deputy was killed in Hawaiian Gardens on Friday. "
CHIEF = "Chief leaves\n\nThe Millbrook police chief left his post on Friday. "
ADDRESS = "Address in doubt\n\nThe governor's annual address was in doubt after the storm. "
CRASH = "Bus crash\n\nA bus crashed on the Keswin road on Monday. "


def _found(d, kind: str) -> list[list[str]]:
    return [sorted(v.value for v in c.variants) for c in d.conflicts if c.kind == kind]


def test_clauses_turn_a_passive_round_and_share_a_subject_across_and():
    doc_article = Article(id="c", source="written/c.txt", raw_sha256="c" * 64,
                          body="Smith was fired by the board on Friday. Orozco shot and killed Deputy Jerry Ortiz.")
    reading = nlp.read_articles([doc_article])[0]
    told = {c.verb: ([a.text for a in c.agents], [p.text for p in c.patients]) for c in reading.clauses}
    assert told["fired"] == (["the board"], ["Smith"])
    assert told["killed"] == (["Orozco"], ["Deputy Jerry Ortiz"])


def test_roles_turned_round_are_an_account_conflict_but_a_meeting_has_no_direction():
    swapped = _pair_dossier(
        "follow", RACE + "Senator Alan Brooks followed Governor Mary Pike into the race on Monday, aides said.",
        RACE + "Governor Mary Pike followed Senator Alan Brooks into the race on Monday, aides said.")
    assert _found(swapped, "account") == [["Alan Brooks followed Mary Pike", "Mary Pike followed Alan Brooks"]]
    assert any(c.status == "disputed" for c in swapped.claims)
    met = _pair_dossier(
        "met", "Talks\n\nLeaders met on Monday. President Alan Brooks met Prime Minister Mary Pike in Keswin on Monday.",
        "Talks\n\nLeaders met on Monday. Prime Minister Mary Pike met President Alan Brooks in Keswin on Monday.")
    assert not met.conflicts


def test_another_named_doer_is_a_name_conflict_but_one_name_written_shorter_is_not():
    other = _pair_dossier(
        "shooter", SHOT + "Jose Orozco shot Deputy Jerry Ortiz outside an apartment on Friday, police said.",
        SHOT + "Luis Mendoza shot Deputy Jerry Ortiz outside an apartment on Friday, police said.")
    assert _found(other, "name") == [["Jose Orozco", "Luis Mendoza"]]
    shorter = _pair_dossier(
        "shooter2", SHOT + "Jose Luis Orozco shot Deputy Jerry Ortiz outside an apartment on Friday, police said.",
        SHOT + "Orozco shot Ortiz outside an apartment on Friday, police said.")
    assert not shorter.conflicts


def test_two_witnesses_are_not_a_name_conflict():
    d = _pair_dossier("witness", CRASH + "The bus hit a wall at speed, Tom Hale said.",
                      CRASH + "The bus hit a wall at speed, Anna Pike said.")
    assert not d.conflicts


def test_a_name_the_other_article_tells_of_elsewhere_is_not_a_name_conflict():
    d = _pair_dossier(
        "elsewhere", SHOT + "Jose Orozco shot Deputy Jerry Ortiz outside an apartment on Friday, police said. "
        "Luis Mendoza was arrested nearby.",
        SHOT + "Luis Mendoza shot Deputy Jerry Ortiz outside an apartment on Friday, police said. "
        "Jose Orozco drove the car.")
    assert not _found(d, "name")


def test_resigned_against_fired_is_an_account_conflict_but_a_plan_against_a_deed_is_not():
    d = _pair_dossier("resign", CHIEF + "Chief Dan Keller resigned on Friday after the audit, the council said.",
                      CHIEF + "Chief Dan Keller was fired on Friday after the audit, the council said.")
    assert _found(d, "account") == [["Dan Keller resigned", "Dan Keller was dismissed"]]
    plan = _pair_dossier("resign2", CHIEF + "Chief Dan Keller will resign next month after the audit, the council said.",
                         CHIEF + "Chief Dan Keller was fired on Friday after the audit, the council said.")
    assert not _found(plan, "account")


def test_going_ahead_against_called_off_is_an_account_conflict():
    d = _pair_dossier("ahead", ADDRESS + "The governor's address will go ahead on Tuesday, her office said.",
                      ADDRESS + "The governor's address was cancelled on Tuesday, her office said.")
    assert _found(d, "account") == [["address goes ahead", "address is called off"]]


def test_a_denial_is_an_account_conflict_but_a_denial_still_open_is_a_developing_story():
    d = _pair_dossier("injured", CRASH + "The driver, Tom Hale, was injured in the crash on Monday, police said.",
                      CRASH + "The driver, Tom Hale, was not injured in the crash on Monday, police said.")
    assert _found(d, "account") == [["injured", "not injured"]]
    open_denial = _pair_dossier(
        "charged", CRASH + "The driver, Tom Hale, was charged with reckless driving, police said.",
        CRASH + "The driver, Tom Hale, has not been charged with reckless driving, police said.")
    assert not open_denial.conflicts


def test_name_variants_and_verb_forms():
    assert variant_names("Gurbanguly Berdymukhamedov", "Gurbanguli Berdymukhamedov")
    assert variant_names("Ortiz", "Deputy Jerry Ortiz") and variant_names("the Lakers", "Los Angeles Lakers")
    assert not variant_names("Boston Celtics", "Boston Red Sox") and not variant_names("Jose Orozco", "Luis Mendoza")
    # verbs are compared by the model's lemma, a particle kept ("called off" is not "called")
    body = ("Game off\n\nThe board fired Smith. Police shot and killed the gunman, who was stopped. "
            "The game was called off. The deputy slew him.")
    art = Article(id="lem", source="written/lem.txt", body=body, raw_sha256="e" * 64)
    (reading,) = nlp.read_articles([art])
    assert {c.verb: c.lemma for c in reading.clauses} == {
        "fired": "fire", "shot": "shoot", "killed": "kill", "stopped": "stop", "called off": "call off", "slew": "slay"}


def test_one_role_given_two_names_is_a_name_conflict_but_a_shared_role_is_not():
    lede = "Shooting\n\nA woman was shot dead outside a bar in Keswin on Saturday. "
    d = _pair_dossier("victim", lede + "Police identified the victim as Jane Doe, 34, of Keswin.",
                      lede + "The victim was identified as Mary Roe, 34, of Keswin, police said.")
    assert _found(d, "name") == [["Jane Doe", "Mary Roe"]]
    spokesmen = _pair_dossier(
        "spokes", lede + "The shooting is under investigation, the police spokesman, Tom Hale, said.",
        lede + "The shooting is under investigation, the police spokesman, Dan Keller, said.")
    assert not spokesmen.conflicts



def test_names_turned_round_in_sentences_telling_two_matches_are_not_a_conflict():
    lede = "Final\n\nThe Keswin Open final was played on Sunday before a full house. "
    d = _pair_dossier(
        "rounds", lede + "In a tense match that went to five sets, Alan Brooks beat Tom Hale for the title.",
        lede + "Organisers said ticket sales were up 20 percent, the best in the tournament's 40-year history, "
        "since Tom Hale beat Alan Brooks last year.")
    assert not d.conflicts
    semi = _pair_dossier(
        "semi", lede + "In a tense match that went to five sets, Alan Brooks beat Tom Hale for the title.",
        lede + "On Friday Alan Brooks beat Dan Keller in the semifinal. Dan Keller retired after the match.")
    assert not semi.conflicts


def test_one_participant_spelled_two_ways_is_a_name_conflict_but_a_romanisation_is_not():
    lede = "Climber dies\n\nA climber fell to his death in Keswin National Park on Friday. "
    d = _pair_dossier("rait", lede + "On Friday, 36-year-old Duncan Rait died after slipping from a ridge near the glacier.",
                      lede + "On Friday, 36-year-old Duncan Raite died after slipping from a ridge near the glacier.")
    assert _found(d, "name") == [["Duncan Rait", "Duncan Raite"]]
    assert spelled_apart("Robyn Mendes", "Robin Mendes") and not spelled_apart("Sergei Ivanov", "Sergey Ivanov")
    assert not spelled_apart("Fred LaRue", "Frederick LaRue") and not spelled_apart("Jose Orozco", "Luis Mendoza")


def test_an_unnamed_body_not_yet_doing_what_it_later_does_is_a_developing_story():
    lede = "Shooting\n\nA woman was shot dead outside a bar in Keswin on Saturday. "
    d = _pair_dossier("release", lede + "Police did not release the name of the woman on Saturday night.",
                      lede + "Police released the name of the woman on Saturday night.")
    assert not d.conflicts


def test_a_name_spelled_two_ways_outside_any_clause_role_is_a_name_conflict():
    lede = "Climbers die\n\nTwo climbers died in Keswin National Park this week, rangers said. "
    d = _pair_dossier("death", lede + "Rangers said the death of Duncan Rait, 36, on the glacier ridge was an accident.",
                      lede + "Rangers said the death of Duncan Raite, 36, on the glacier ridge was an accident.")
    assert _found(d, "name") == [["Duncan Rait", "Duncan Raite"]]
