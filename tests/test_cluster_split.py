"""Look-alike events (same kind, another person, place or year) stay apart; a story that wrongly
holds two events is split by later articles, the split recorded, ids stable. Real spaCy readings
and the real MiniLM embedder (cached per text)."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from test_cluster import CachedEmbedder

from storyweave import nlp
from storyweave.cluster import ClusterSettings, cluster_articles, load_state
from storyweave.model import Article

TEMPLATES = (
    "{team} fire coach {name}\n{city} - The {team} fired head basketball coach {name} on {day}, the "
    "university said. {last} was dismissed after the {year} season ended with a losing record. "
    "Athletic director {ad} said {last} had been told of the decision in {city}.",
    "{name} out as {team} coach\n{name} has been fired as head coach of the {team}, athletic director "
    "{ad} announced in {city} on {day}. The {year} team missed the tournament, and {last} was let go "
    "with two years left on his contract.",
    "{team} dismiss {last}\nThe {team} have dismissed coach {name}. {ad}, the athletic director, told "
    "reporters in {city} that {last} would be paid the rest of his contract. {last}'s {year} team "
    "finished near the bottom of the conference.",
    "{last} fired by {team} after {year} season\nCoach {name} was fired {day} by the {team}. \"We need "
    "a new direction,\" athletic director {ad} said at a news conference in {city}. {last} went 14-17.",
)

KENTUCKY = dict(name="Billy Gillispie", last="Gillispie", team="Kentucky Wildcats", city="Lexington",
                ad="Mitch Barnhart", year="2009", day="Friday")
MINNESOTA = dict(name="Tubby Smith", last="Smith", team="Minnesota Golden Gophers", city="Minneapolis",
                 ad="Norwood Teague", year="2013", day="Monday")

LAW = (
    "{state} passes ban on {thing}\n{capital} - Lawmakers in {state} passed a ban on {thing} on {day}. "
    "Governor {gov} is expected to sign the bill, which passed the {state} Senate 31-9.",
    "{state} governor to sign {thing} ban\nGovernor {gov} of {state} said in {capital} that he will sign "
    "the {thing} ban the legislature approved on {day}. Opponents in {state} plan to sue.",
    "{state} outlaws {thing}\nThe {state} legislature voted on {day} to outlaw {thing}. The bill now goes "
    "to Governor {gov}, a spokesman said in {capital}.",
)
TEXAS = dict(state="Texas", capital="Austin", gov="Greg Abbott", thing="TikTok on state devices", day="Tuesday")
OKLAHOMA = dict(state="Oklahoma", capital="Oklahoma City", gov="Kevin Stitt", thing="TikTok on state devices", day="Wednesday")


def _article(aid: str, text: str, **kw) -> Article:
    return Article(id=aid, source=f"test:{aid}", body=text, raw_sha256=hashlib.sha256(text.encode()).hexdigest(), **kw)


def _event(prefix: str, templates, facts: dict, **kw) -> list[Article]:
    return [_article(f"{prefix}{i}", t.format(**facts), **kw) for i, t in enumerate(templates)]


EMBED = CachedEmbedder()
# Readings kept by id and text: the parametrised cases reuse ids for other texts.
_READINGS: dict[tuple[str, str], object] = {}


def _readings(arts: list[Article]) -> dict:
    todo = [a for a in arts if (a.id, a.raw_sha256) not in _READINGS]
    sha = {a.id: a.raw_sha256 for a in todo}
    _READINGS.update(((r.article_id, sha[r.article_id]), r) for r in nlp.read_articles(todo))
    return {a.id: _READINGS[(a.id, a.raw_sha256)] for a in arts}


def _cluster(arts, state=None, **kw):
    return cluster_articles(arts, _readings(arts), state, embedder=EMBED, **kw)


def _groups(result) -> list[list[str]]:
    return sorted(sorted(s.article_ids) for s in result.stories)


@pytest.mark.slow
@pytest.mark.parametrize("first, second", [(KENTUCKY, MINNESOTA), (MINNESOTA, KENTUCKY)])
def test_coach_firings_years_apart_stay_apart(first, second):
    a, b = _event("a", TEMPLATES, first), _event("b", TEMPLATES[::-1], second)
    result = _cluster(a + b)
    assert _groups(result) == [sorted(x.id for x in a), sorted(x.id for x in b)]


@pytest.mark.slow
def test_two_states_laws_a_week_apart_stay_apart():
    tx = _event("tx", LAW, TEXAS, published="2023-05-02")
    ok = _event("ok", LAW[::-1], OKLAHOMA, published="2023-05-09")
    result = _cluster(tx + ok)
    assert _groups(result) == [sorted(x.id for x in ok), sorted(x.id for x in tx)]


@pytest.mark.slow
def test_wrong_merge_is_split_by_later_articles():
    # Join whatever is closest (threshold 0): the first Minnesota article wrongly joins the
    # Kentucky story, and so do the ones after it, until the story's articles show two events.
    careless = ClusterSettings(threshold=0.0)
    ky = _event("ky", TEMPLATES, KENTUCKY)
    mn = _event("mn", TEMPLATES[::-1], MINNESOTA)
    first = _cluster(ky, settings=careless)
    assert _groups(first) == [sorted(a.id for a in ky)]
    kept_id = first.stories[0].id
    state = first.state
    events = []
    for article in mn:  # later articles arrive one run at a time
        result = _cluster([article], state=state, settings=careless)
        state, events = result.state, events + result.events
    assert _groups(result) == [sorted(a.id for a in ky), sorted(a.id for a in mn)]
    splits = [e for e in events if e.kind == "split"]
    assert len(splits) == 1
    split = splits[0]
    by_id = {s.id: s for s in result.stories}
    # the larger (and older) part keeps the id; the new story is named after its oldest article
    assert sorted(by_id[kept_id].article_ids) == sorted(a.id for a in ky)
    assert split.detail["from"] == kept_id and split.detail["new"] == "s_mn0"
    assert sorted(split.article_ids) == ["mn0", "mn1", "mn2"]  # split once the third showed it
    assert "Gillispie" in split.detail["reason"] and "Smith" in split.detail["reason"]
    assert "different" in split.detail["reason"]
    # apart but linked: one storyline holds both, its link says why
    assert len(result.storylines) == 1 and set(result.storylines[0].story_ids) == {kept_id, "s_mn0"}
    assert "split apart" in result.storylines[0].links[0].reason
    # the rebuilt profiles carry on: another Minnesota article joins the Minnesota story
    extra = _article("mn9", TEMPLATES[1].format(**MINNESOTA).replace("let go", "dismissed"))
    more = _cluster([extra], state=state, settings=careless)
    assert next(s for s in more.stories if "mn9" in s.article_ids).id == "s_mn0"
    assert not any(e.kind == "merge" for e in more.events)  # split stories are not merged again
    # same input, same outcome and ids; a state round trip keeps the split
    again = _cluster(ky, settings=careless)
    for article in mn:
        again = _cluster([article], state=again.state, settings=careless)
    assert [s.model_dump() for s in again.stories] == [s.model_dump() for s in result.stories]
    assert load_state(result.state).apart


@pytest.mark.slow
def test_one_event_with_many_actors_is_not_split():
    # One firing reported with different people quoted in the lede: same place and year, no split.
    facts = dict(KENTUCKY)
    arts = _event("k", TEMPLATES, facts)
    arts += [_article("k9", TEMPLATES[0].format(**{**facts, "ad": "Lee Todd"})),
             _article("k8", TEMPLATES[2].format(**{**facts, "ad": "Lee Todd"}))]
    result = _cluster(arts, settings=ClusterSettings(threshold=0.0))
    assert len(result.stories) == 1
    assert not any(e.kind == "split" for e in result.events)


def test_split_rule_needs_two_sizeable_groups():
    from storyweave.cluster.features import SparseVec
    from storyweave.cluster.split import MemberProfile, find_split

    def vec(*keys):
        return SparseVec(np.array(sorted(keys), dtype=np.int32), np.ones(len(keys), dtype=np.float32))

    df = np.zeros(1 << 20, dtype=np.float32)
    a = [MemberProfile(i, vec(1), vec(10), vec(100), vec(1, 10)) for i in range(3)]
    b = [MemberProfile(3 + i, vec(2), vec(20), vec(200), vec(2, 20)) for i in range(3)]
    silent = MemberProfile(6, vec(), vec(), vec(), vec(2, 20))
    found = find_split(a + b + [silent], df, 1000.0)
    assert found is not None and found.keep == [3, 4, 5, 6] and found.moved == [0, 1, 2]
    assert found.places_differ and found.years_differ
    assert find_split(a + b[:2], df, 1000.0) is None  # a part of two is too small
    same_place = [MemberProfile(m.ordinal, m.people, vec(10), vec(100), m.ents) for m in b]
    assert find_split(a + same_place, df, 1000.0) is None  # other people, same place and year


NOMINEE = (
    "{president} picks {name} for surgeon general\n{city} - President {president} has chosen {name}, {job}, to be "
    "the next surgeon general, aides said on {day}. {last} would lead the Public Health Service.",
    "{name} named surgeon general\n{last}, {job}, was named surgeon general by President {president} in {city}. "
    "\"{last} has spent a career caring for patients,\" {president} said.",
    "{president}'s surgeon general: {name}\nPresident {president} will nominate {name} as surgeon general. "
    "{last}, {job}, still needs Senate confirmation, officials in {city} said on {day}.",
    "Who is {name}?\nThe surgeon general nominee {name} is {job}. {president} announced the choice in {city}, "
    "and {last} said the post was an honour.",
)
GUPTA = dict(president="Barack Obama", name="Sanjay Gupta", last="Gupta", job="a CNN medical correspondent and neurosurgeon",
             city="Washington", day="Tuesday")
BENJAMIN = dict(president="Barack Obama", name="Regina Benjamin", last="Benjamin",
                job="a family doctor who runs a rural clinic in Alabama", city="Washington", day="Monday")


@pytest.mark.slow
def test_merged_look_alikes_of_one_place_and_year_are_split_into_two_groups():
    # Two nominees for one post, same place and year, one president in every lede: the people
    # rule cannot part them (they share Obama, and no place or year differs), but each nominee's
    # articles resemble each other far more than the other's, and their main person differs.
    careless = ClusterSettings(threshold=0.0)  # join whatever is closest: one story of both
    gupta, benjamin = _event("gu", NOMINEE, GUPTA), _event("be", NOMINEE[::-1], BENJAMIN)
    result = _cluster(gupta + benjamin, settings=careless)
    assert _groups(result) == [sorted(a.id for a in benjamin), sorted(a.id for a in gupta)]
    split = next(e for e in result.events if e.kind == "split")
    assert "two groups" in split.detail["reason"] and "Gupta" in split.detail["reason"]
    assert "Benjamin" in split.detail["reason"]
    # apart but linked in one storyline; a later article joins its own nominee's story, no re-merge
    assert len(result.storylines) == 1
    extra = _article("be9", NOMINEE[1].format(**BENJAMIN).replace("was named", "has been named"))
    more = _cluster([extra], state=result.state, settings=careless)
    assert next(s for s in more.stories if "be9" in s.article_ids).article_ids[0].startswith("be")
    assert not any(e.kind == "merge" for e in more.events)


@pytest.mark.slow
def test_one_event_told_from_two_angles_is_not_split_into_groups():
    # One nomination reported twice over in differing words (another weekday named): one main
    # person throughout, so the story stays whole.
    careless = ClusterSettings(threshold=0.0)
    arts = _event("gu", NOMINEE, GUPTA) + _event("gv", NOMINEE[::-1], {**GUPTA, "day": "Wednesday"})
    result = _cluster(arts, settings=careless)
    assert len(result.stories) == 1
    assert not any(e.kind == "split" for e in result.events)


def test_group_split_needs_two_sizeable_groups_less_alike_than_within():
    from storyweave.cluster.features import SparseVec
    from storyweave.cluster.split import MemberProfile, find_groups

    def vec(*keys):
        return SparseVec(np.array(sorted(keys), dtype=np.int32), np.ones(len(keys), dtype=np.float32))

    df = np.zeros(1 << 20, dtype=np.float32)
    rng = np.random.default_rng(0)
    centre_a, centre_b = np.eye(8)[0], np.eye(8)[1]

    def near(centre):
        v = centre + 0.1 * rng.standard_normal(8)
        return v / np.linalg.norm(v)

    # two events: their own names and lede words, vectors around two directions
    a = [MemberProfile(i, vec(1), vec(10), vec(), vec(1, 10, 50 + i)) for i in range(4)]
    b = [MemberProfile(4 + i, vec(2), vec(10), vec(), vec(1, 20, 60 + i)) for i in range(3)]
    ledes = [vec(300, 301, 400 + i) for i in range(4)] + [vec(310, 311, 410 + i) for i in range(3)]
    vectors = np.stack([near(centre_a) for _ in a] + [near(centre_b) for _ in b])
    found = find_groups(a + b, vectors, ledes, df, 1000.0)
    assert found is not None and found.keep == [0, 1, 2, 3] and found.moved == [4, 5, 6]
    between, within = found.cohesion
    assert between < 0.7 * within
    # the same main person in both groups: one event's angles, not split
    same_person = [MemberProfile(m.ordinal, vec(1), m.places, m.years, m.ents) for m in b]
    assert find_groups(a + same_person, vectors, ledes, df, 1000.0) is None
    # one event told alike throughout: no two groups
    one = [MemberProfile(i, vec(1), vec(10), vec(), vec(1, 10)) for i in range(7)]
    alike = np.stack([near(centre_a) for _ in one])
    assert find_groups(one, alike, [vec(300, 301)] * 7, df, 1000.0) is None
    # a second group of two is too small to stand as a story of its own
    assert find_groups(a + b[:2], vectors[:6], ledes[:6], df, 1000.0) is None


def test_cosine_matrix_is_every_pairwise_cosine() -> None:
    """The split check's one-product cosines equal the pairwise tf-idf cosine, empty rows 0."""
    from collections import Counter

    from storyweave.cluster import sparse
    from storyweave.cluster.features import EMPTY, SparseVec

    rng = np.random.default_rng(3)
    vecs = [SparseVec.from_counts(Counter({int(k): int(rng.integers(1, 4))
                                           for k in rng.choice(300, size=int(rng.integers(1, 15)), replace=False)}))
            for _ in range(30)] + [EMPTY]
    df, n_docs = rng.integers(0, 60, size=300).astype(np.float32), 120.0
    pairwise = np.array([[sparse.cosine(a, b, df, n_docs) for b in vecs] for a in vecs])
    assert np.allclose(sparse.cosine_matrix(vecs, df, n_docs), pairwise, atol=1e-6)
    assert pairwise[:-1, :-1].max() > 0.5 and not sparse.cosine_matrix(vecs, df, n_docs)[-1].any()


@pytest.mark.slow
@pytest.mark.parametrize("growth, checked", [(1.0, [6, 7, 8]), (1.25, [6, 8])])
def test_a_streamed_story_is_checked_for_groups_again_only_once_grown(monkeypatch, growth, checked):
    # Articles arriving one a run: each run's settle may check the story it touched; with a
    # growth factor a story is checked again only once that much bigger (so the checks of a
    # story of n cost O(n) an article, not O(n^2)).
    from storyweave.cluster import online

    sizes: list[int] = []
    real = online.find_groups

    def counting(members, *args, **kwargs):  # type: ignore[no-untyped-def]
        sizes.append(len(members))
        return real(members, *args, **kwargs)

    monkeypatch.setattr(online, "find_groups", counting)
    settings = ClusterSettings(threshold=0.0, split_groups_growth=growth)
    state = None
    for art in _event("gu", NOMINEE, GUPTA) + _event("gv", NOMINEE[::-1], {**GUPTA, "day": "Wednesday"}):
        state = _cluster([art], state=state, settings=settings).state
    assert sizes == checked


DUI = (
    "{team} {role} {name} arrested on suspicion of DUI\n{team} {role} {name} was arrested on suspicion "
    "of drunken driving early {day} in San Diego, police said. Coach Norv Turner said {last} had apologised.",
    "{last} faces DUI charge\n{name} of the {team} faces a charge of driving under the influence after "
    "his arrest in San Diego on {day}. Coach Norv Turner said the team was aware of the arrest of {last}.",
    "{team} say {last} will play despite arrest\n{name} will play on Sunday despite his arrest on suspicion "
    "of driving under the influence, coach Norv Turner said. {last} was booked into San Diego County jail.",
    "Police: {last} failed sobriety test\nSan Diego police said {name} failed a field sobriety test before his "
    "arrest on {day}. Coach Norv Turner said {last} was released on bail hours later.",
)
JACKSON = dict(name="Vincent Jackson", last="Jackson", team="Chargers", role="receiver", day="Tuesday")
WILLIAMS = dict(name="Jamal Williams", last="Williams", team="Chargers", role="defensive tackle", day="Sunday")


@pytest.mark.slow
def test_merged_arrests_of_two_players_of_one_team_are_split_by_main_person():
    # The same offence, team, city and coach, no year named: nothing but who tells the two apart.
    # Joined carelessly into one story, the articles about each player form their own group.
    careless = ClusterSettings(threshold=0.0)
    jackson, williams = _event("vj", DUI, JACKSON), _event("jw", DUI[::-1], WILLIAMS)
    result = _cluster(jackson + williams, settings=careless)
    assert _groups(result) == [sorted(a.id for a in williams), sorted(a.id for a in jackson)]
    split = next(e for e in result.events if e.kind == "split")
    assert "Jackson" in split.detail["reason"] and "Williams" in split.detail["reason"]
    assert len(result.storylines) == 1  # apart but linked


def test_people_group_split_needs_different_main_people_rarely_named_together():
    from storyweave.cluster.features import SparseVec
    from storyweave.cluster.split import MemberProfile, find_people_groups

    def vec(*keys):
        return SparseVec(np.array(sorted(keys), dtype=np.int32), np.ones(len(keys), dtype=np.float32))

    def weighted(main, *others):  # the main person named most in the lede
        keys = sorted({main, *others})
        return SparseVec(np.array(keys, dtype=np.int32), np.array([3.0 if k == main else 1.0 for k in keys], dtype=np.float32))

    df = np.zeros(1 << 20, dtype=np.float32)
    rng = np.random.default_rng(1)

    def near(centre):
        v = np.eye(8)[centre] + 0.1 * rng.standard_normal(8)
        return v / np.linalg.norm(v)

    # one outlier in each group, so that average linkage alone would peel it off instead
    a = [MemberProfile(i, weighted(1), vec(10), vec(), vec(1, 10, 50 + i)) for i in range(4)]
    b = [MemberProfile(4 + i, weighted(2), vec(10), vec(), vec(2, 10, 60 + i)) for i in range(4)]
    unnamed = [MemberProfile(8, vec(), vec(10), vec(), vec(2, 10))]
    ledes = [vec(300, 400 + i) for i in range(4)] + [vec(310, 410 + i) for i in range(4)] + [vec(310)]
    vectors = np.stack([near(0) for _ in a] + [near(1) for _ in b] + [near(1)])
    found = find_people_groups(a + b + unnamed, vectors, ledes, df, 1000.0)
    assert found is not None and found.keep == [4, 5, 6, 7, 8] and found.moved == [0, 1, 2, 3]
    assert found.cohesion[0] < 0.7 * found.cohesion[1]
    # each group names the other's person too: one event's two actors (a shooter and his victim)
    both = [MemberProfile(m.ordinal, weighted(2, 1), m.places, m.years, m.ents) for m in b]
    assert find_people_groups(a + both, vectors[:8], ledes[:8], df, 1000.0) is None
    # two main people, but their articles alike throughout: one event told about each
    alike = np.stack([near(0) for _ in range(8)])
    assert find_people_groups(a + b, alike, [vec(300)] * 8, df, 1000.0) is None
    # a second person named most by only two articles is no second event
    assert find_people_groups(a + b[:2] + unnamed, vectors[[0, 1, 2, 3, 4, 5, 8]], ledes[:6] + ledes[8:], df, 1000.0) is None


def test_publication_year_counts_as_a_year_the_article_names():
    # A dated report naming no year still tells its year; an undated look-alike naming another
    # year disagrees with it (-1), one naming the same year agrees (1); silence stays 0.
    from storyweave.cluster.features import article_features, background_df
    from storyweave.cluster.online import _agreement

    dated = _article("d", "Microsoft releases emergency patch\nMicrosoft released an emergency patch for "
                          "Internet Explorer, the company said.", published="2013-09-18")
    older = _article("o", "Microsoft patches browser\nMicrosoft fixed the Internet Explorer flaw, its worst since 2008.")
    same = _article("s", "Microsoft patches browser\nMicrosoft fixed the Internet Explorer flaw, its worst of 2013.")
    silent = _article("n", "Microsoft patches browser\nMicrosoft fixed the Internet Explorer flaw.")
    df = background_df()
    years = {a.id: article_features(a).years for a in (dated, older, same, silent)}
    assert _agreement(years["o"], years["d"], df, 1000.0) == pytest.approx(-1.0)
    assert _agreement(years["s"], years["d"], df, 1000.0) == pytest.approx(1.0)
    assert _agreement(years["n"], years["d"], df, 1000.0) == 0.0
