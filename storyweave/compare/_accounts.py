"""Who did what to whom, compared across aligned statements: a different named doer or undergoer
of one happening (a name conflict), the roles turned round, one account denying what the other
states, or outcomes that exclude each other (account conflicts).

Only clauses of one verb in statements that state one fact (an aligned group or an accepted pair)
are compared, and only their named participants. Precision first: a speech verb's speaker is a
witness, not a participant (two witnesses are not a conflict); names that may be one name written
another way (a surname alone, a title added, a transliteration) agree; a name the other article
mentions anywhere may be a participant it tells of elsewhere; verbs that name a happening of two
parties alike ("met", "played") have no direction to turn round; plans and possibilities are not
deeds; a denial still open ("has not been charged", "not yet") may be a moment of a developing story.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import combinations

from ..model import Argument, Clause, Conflict, Reading, Variant
from ._align import Statement, StatementGroup
from ._text import clip, normalise, same_by_abbreviation, same_romanised

# Entities that name a participant: a person, an organisation or team, a place acting as one.
_NAME_LABELS = {"PERSON", "ORG", "GPE", "FAC", "LOC"}
# Verbs whose subject is a witness or whose meaning says nothing about one happening's parties.
_NOT_PARTICIPATION = frozenset({
    "say", "tell", "add", "state", "report", "announce", "confirm", "explain", "note", "claim", "write",
    "describe", "insist", "warn", "urge", "ask", "reply", "respond", "comment", "argue", "estimate", "believe",
    "think", "call", "quote", "cite", "be", "have", "do", "make", "take", "get", "give", "include", "show",
    "know", "see", "expect", "want", "hope", "plan", "need", "try", "seem", "appear", "become", "remain",
})
# A happening of two parties alike: "A met B" is "B met A".
_SYMMETRIC = frozenset({
    "meet", "face", "play", "marry", "wed", "divorce", "date", "tie", "draw", "talk", "speak", "negotiate", "fight",
    "battle", "debate", "hug", "kiss", "join", "partner", "merge", "trade", "split", "share", "greet", "resemble",
    "match", "contact", "phone", "call", "visit", "accompany",
})

# Outcomes that exclude each other, each read from the participant it tells of: "resigned" of its
# subject, "was fired" of its object. One family per question; a family's outcomes disagree.
_OUTCOMES: dict[tuple[str, str], tuple[str, str]] = {
    ("resign", "agent"): ("how they left office", "resigned"),
    ("quit", "agent"): ("how they left office", "resigned"),
    ("step down", "agent"): ("how they left office", "resigned"),
    ("fire", "patient"): ("how they left office", "was dismissed"),
    ("dismiss", "patient"): ("how they left office", "was dismissed"),
    ("sack", "patient"): ("how they left office", "was dismissed"),
    ("oust", "patient"): ("how they left office", "was dismissed"),
    ("acquit", "patient"): ("the verdict", "acquitted"),
    ("clear", "patient"): ("the verdict", "acquitted"),
    ("convict", "patient"): ("the verdict", "convicted"),
    ("go ahead", "agent"): ("whether it takes place", "goes ahead"),
    ("proceed", "agent"): ("whether it takes place", "goes ahead"),
    ("cancel", "patient"): ("whether it takes place", "is called off"),
    ("call off", "patient"): ("whether it takes place", "is called off"),
    ("scrap", "patient"): ("whether it takes place", "is called off"),
    ("postpone", "patient"): ("whether it takes place", "is called off"),
}
# Families where a plan and a deed may be compared: "the address will go ahead" / "was cancelled".
_PLANNED_FAMILIES = {"whether it takes place"}
_HYPOTHETICAL = re.compile(r"^\W*(?i:if|unless)\b|\b(?:would|could|might|may)\b")
# A denial that may stop being true: "has not been charged", "not yet", "still not", "did not
# immediately respond".
_OPEN_DENIAL = re.compile(r"\b(?:has|have|had)\s+(?:not|n't|never)\b|\b(?:yet|still|so far|immediately)\b", re.IGNORECASE)
_PRONOUNS = frozenset({"he", "she", "it", "they", "him", "her", "them", "who", "which", "that", "this", "we", "i", "you"})




def _words(name: str) -> list[str]:
    n = normalise(name).lower()
    n = re.sub(r"^the\s+", "", n)
    n = re.sub(r"\s*'\s*s$", "", n)
    return re.findall(r"[a-z0-9]+", n)


def _near(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 4 and SequenceMatcher(None, a, b).ratio() >= 0.8)


def variant_names(a: str, b: str) -> bool:
    """Whether two names may name one participant: one holds the other's words ("Ortiz", "Deputy
    Jerry Ortiz", "the Lakers", "Los Angeles Lakers"), they end in one word or one word spelled
    another way ("Gurbanguly" / "Gurbanguli Berdymukhamedov"), or one abbreviates the other."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return True
    if set(wa) <= set(wb) or set(wb) <= set(wa) or _near(wa[-1], wb[-1]):
        return True
    ja, jb = "".join(wa), "".join(wb)
    return ja in jb or jb in ja or same_by_abbreviation(normalise(a), normalise(b))


def spelled_apart(a: str, b: str) -> bool:
    """One full name spelled two ways: the same words but one, and that one a misspelling of the
    other ("Duncan Rait" / "Duncan Raite", "Robyn" / "Robin"), not a romanisation ("Sergei" /
    "Sergey"), a short form ("Fred" / "Frederick") or a plural ending."""
    wa, wb = _words(a), _words(b)
    if len(wa) < 2 or len(wa) != len(wb):
        return False
    differing = [(x, y) for x, y in zip(wa, wb) if x != y]
    if len(differing) != 1:
        return False
    x, y = differing[0]
    if same_romanised(x, y) or min(len(x), len(y)) < 4:
        return False
    short, long = sorted((x, y), key=len)
    if long.startswith(short):
        return len(long) == len(short) + 1 and not long.endswith("s")  # "Rait" / "Raite", not "Fred" / "Frederick"
    return SequenceMatcher(None, x, y).ratio() >= 0.8


@dataclass(frozen=True)
class _Role:
    names: tuple[tuple[str, str], ...]  # (key, text) of the named participants in the phrase
    head: str  # the phrase's last word, lower-cased: what it is when it names no one ("address")


@dataclass(frozen=True)
class _Told:
    clause: Clause
    statement: Statement
    lemmas: frozenset[str]
    agent: _Role | None
    patient: _Role | None


def _role(args: list[Argument], reading: Reading) -> _Role | None:
    if len(args) != 1:
        return None  # several doers ("Smith and Jones") are compared as no single one
    arg = args[0]
    # A name is the participant when it ends the phrase ("the gunman, John Smith", "the Lakers") or
    # stands before an appositive ("John Smith, the gunman"); one modifying a noun ("Indian navy",
    # "U.S. forces") names whose it is, not who.
    names = tuple((e.key, e.text) for e in reading.entities
                  if e.label in _NAME_LABELS and arg.start <= e.start and e.end <= arg.end
                  and (e.end == arg.end or arg.text[e.end - arg.start:].lstrip().startswith(",")))
    heads = re.findall(r"[A-Za-z]+", arg.text)
    return _Role(names, heads[-1].lower() if heads else "")


def _told(statement: Statement, reading: Reading) -> list[_Told]:
    if _HYPOTHETICAL.search(statement.text):
        return []
    out = []
    for c in reading.clauses:
        if statement.start <= c.start < statement.end:
            out.append(_Told(c, statement, frozenset({c.lemma or c.verb.lower()}), _role(c.agents, reading), _role(c.patients, reading)))
    return out


def _article_names(reading: Reading) -> tuple[list[str], set[str]]:
    """The names an article mentions anywhere, and their keys."""
    return [e.text for e in reading.entities if e.label in _NAME_LABELS], {e.key for e in reading.entities}


def _named_in(names: Sequence[tuple[str, str]], others: Sequence[str], other_keys: set[str]) -> bool:
    return any(k in other_keys or any(variant_names(t, o) for o in others) for k, t in names)


def _same_participant(a: _Role | None, b: _Role | None) -> bool:
    if a is None or b is None:
        return False
    if a.names and b.names:
        return any(variant_names(x, y) for _, x in a.names for _, y in b.names)
    return not a.names and not b.names and bool(a.head) and a.head == b.head and a.head not in _PRONOUNS


def _variant(value: str, st: Statement) -> Variant:
    return Variant(value=clip(normalise(value), 200), article_ids=[st.article_id], sentence=clip(st.text))


def _swapped(a: _Told, b: _Told) -> bool:
    """"Smith followed Jones" / "Jones followed Smith": each side's doer is the other's undergoer."""
    if not (a.agent and a.patient and b.agent and b.patient and a.agent.names and a.patient.names
            and b.agent.names and b.patient.names):
        return False
    if _same_participant(a.agent, a.patient) or _same_participant(b.agent, b.patient):
        return False
    return (_same_participant(a.agent, b.patient) and _same_participant(a.patient, b.agent)
            and not _same_participant(a.agent, b.agent))


def _other_named(a: _Told, b: _Told, slot: str, names_a: list[str], keys_a: set[str], names_b: list[str],
                 keys_b: set[str]) -> bool:
    """A different named participant in one slot, the other slot not disagreeing, and neither name
    mentioned anywhere in the other article."""
    ra, rb = getattr(a, slot), getattr(b, slot)
    if not (ra and rb and ra.names and rb.names) or _same_participant(ra, rb):
        return False
    other = "patient" if slot == "agent" else "agent"
    oa, ob = getattr(a, other), getattr(b, other)
    if oa and ob and oa.names and ob.names and not _same_participant(oa, ob):
        return False  # both slots differ: likely two happenings, not one told two ways
    return not _named_in(ra.names, names_b, keys_b) and not _named_in(rb.names, names_a, keys_a)


def _about(t: _Told) -> str:
    """Whom a clause tells of, for display: its first named participant, else its doer's noun."""
    for r in (t.agent, t.patient):
        if r and r.names:
            return r.names[0][1]
    r = t.agent or t.patient
    return r.head if r else ""


def _outcome(t: _Told) -> tuple[str, str, _Role] | None:
    if t.clause.negated:
        return None
    for lemma in t.lemmas:
        for slot in ("agent", "patient"):
            found = _OUTCOMES.get((lemma, slot))
            role = getattr(t, slot)
            if found and role is not None:
                return found[0], found[1], role
    return None


def _compare_pair(a: _Told, b: _Told, known_a: tuple[list[str], set[str]], known_b: tuple[list[str], set[str]],
                  report_conflicts: list[Conflict]) -> bool:
    """Adds the disagreement of two clauses of aligned statements, if any; True when one is found."""
    same_verb = bool(a.lemmas & b.lemmas)
    verbs = a.lemmas | b.lemmas
    participation = same_verb and not verbs & _NOT_PARTICIPATION
    deeds = not a.clause.modal and not b.clause.modal
    if participation and deeds and not verbs & _SYMMETRIC and _swapped(a, b):
        def told(t: _Told) -> str:
            assert t.agent is not None and t.patient is not None  # _swapped checked both
            return f"{t.agent.names[0][1]} {t.clause.verb} {t.patient.names[0][1]}"

        report_conflicts.append(Conflict(
            kind="account", subject=f"who {a.clause.verb} whom",
            variants=[_variant(told(a), a.statement), _variant(told(b), b.statement)],
            note="the roles are turned round"))
        return True
    if participation and deeds and a.clause.negated == b.clause.negated:
        (names_a, keys_a), (names_b, keys_b) = known_a, known_b
        for slot in ("agent", "patient"):
            if _other_named(a, b, slot, names_a, keys_a, names_b, keys_b):
                na, nb = getattr(a, slot).names[0][1], getattr(b, slot).names[0][1]
                other = a.patient if slot == "agent" else a.agent
                known = other.names[0][1] if other and other.names else ""
                role = (f"who {a.clause.verb} {known}" if slot == "agent" else f"whom {known} {a.clause.verb}").strip()
                report_conflicts.append(Conflict(kind="name", subject=role,
                                                 variants=[_variant(na, a.statement), _variant(nb, b.statement)]))
                return True
    if participation and a.clause.modal == b.clause.modal and a.clause.negated != b.clause.negated:
        denial = a if a.clause.negated else b
        # Named participants only: "Police did not release the name" / "Police released the name"
        # may be two moments of a developing story; "Tom Hale was not injured" / "was injured" are not.
        shared = [s for s in ("agent", "patient") if _same_participant(getattr(a, s), getattr(b, s))
                  and getattr(a, s).names]
        clash = [s for s in ("agent", "patient") if getattr(a, s) and getattr(b, s) and s not in shared]
        if shared and not clash and not _OPEN_DENIAL.search(denial.statement.text):
            report_conflicts.append(Conflict(
                kind="account", subject=f"whether {_about(a)} {a.clause.verb}".strip(),
                variants=[_variant(("not " if t.clause.negated else "") + t.clause.verb, t.statement) for t in (a, b)],
                note="one account denies what the other states"))
            return True
    oa, ob = _outcome(a), _outcome(b)
    if oa and ob and oa[0] == ob[0] and oa[1] != ob[1] and _same_participant(oa[2], ob[2]) and (
            a.clause.modal == b.clause.modal or oa[0] in _PLANNED_FAMILIES):
        report_conflicts.append(Conflict(
            kind="account", subject=oa[0],
            variants=[_variant(f"{_about(a)} {oa[1]}", a.statement), _variant(f"{_about(b)} {ob[1]}", b.statement)],
            note="the outcomes exclude each other"))
        return True
    return False


# "the gunman, John Smith,", "John Smith, 23, the gunman,", "identified the victim as Jane Doe": a
# one-holder role ("the", not "a") given a name in apposition. The role is the last word of its
# phrase ("the former attorney general"); a place phrase ("in the vehicle, Pickell said") is no role.
_ROLE_PHRASE = r"the\s+(?:[a-z][a-z-]+\s+){0,3}(?P<role>[a-z][a-z-]+)"
_ROLE_BEFORE = re.compile(r"(?:^|[^\w\s]\s*|\b(?:and|but|as|when|after|while|that|said|says)\s+)" + _ROLE_PHRASE + r"\s*,\s*$", re.IGNORECASE)
_ROLE_AFTER = re.compile(r"^\s*,\s*(?:\d+\s*,\s*)?" + _ROLE_PHRASE + r"\s*(?:,|\.|;|$|\bwho\b)", re.IGNORECASE)
_IDENTIFIED_AS = re.compile(r"\bthe\s+(?P<role>[a-z][a-z-]+)\s+(?:was\s+|has\s+been\s+|had\s+been\s+)?(?:identified|named)\s+as\s+$"
                            r"|\b(?:identified|named)\s+the\s+(?P<role2>[a-z][a-z-]+)\s+as\s+$", re.IGNORECASE)
# After the name, an appositive closes ("," or the sentence's end), it does not go on as the
# subject of a verb ("in the vehicle, Pickell said").
_APPOSITION_CLOSES = re.compile(r"^\s*(?:,|\.|;|\)|$)")
# Roles several people hold at once for one happening: any one of them may speak or act.
_SHARED_ROLES = frozenset({
    "spokesman", "spokeswoman", "spokesperson", "official", "officer", "representative", "member", "aide",
    "adviser", "advisor", "employee", "staffer", "source", "witness", "neighbor", "neighbour", "resident",
    "friend", "relative", "lawyer", "attorney", "analyst", "expert", "player", "teammate", "passenger",
    "student", "worker", "colleague", "activist", "leader", "director", "manager", "head", "chief",
})


def _named_roles(statement: Statement, reading: Reading) -> list[tuple[str, str, str]]:
    """(role, key, name) for each one-holder role a statement names someone in."""
    out = []
    for e in reading.entities:
        if e.label != "PERSON" or not (statement.start <= e.start < statement.end):
            continue
        before = statement.text[max(0, e.start - statement.start - 60): e.start - statement.start]
        after = statement.text[e.end - statement.start: e.end - statement.start + 60]
        before_role = _ROLE_BEFORE.search(before) if _APPOSITION_CLOSES.match(after) else None
        for m in (before_role, _IDENTIFIED_AS.search(before), _ROLE_AFTER.match(after)):
            role = m and (m.groupdict().get("role") or m.groupdict().get("role2") or "").lower()
            if role and role not in _SHARED_ROLES:
                out.append((role, e.key, e.text))
                break
    return out


# Share of the shorter sentence's words (names aside) the other must hold for another name in one
# role to be a disagreement: "Brooks beat Hale for the title" / "On Friday Brooks beat Keller in
# the semifinal" share one word of three, two games; an account told twice shares most.
MIN_SHARED_WORDS = 0.5


def _say_alike(a: Statement, b: Statement) -> bool:
    small = min(len(a.terms), len(b.terms))
    return small > 0 and len(a.terms & b.terms) / small >= MIN_SHARED_WORDS


def _role_clash(sa: Statement, ra: Reading, sb: Statement, rb: Reading,
                known_a: tuple[list[str], set[str]], known_b: tuple[list[str], set[str]]) -> Conflict | None:
    """One role given two names that are not one name written two ways, neither named anywhere in
    the other article ("the victim, Jane Doe" / "the victim, Mary Roe")."""
    (names_a, keys_a), (names_b, keys_b) = known_a, known_b
    for role, ka, na in _named_roles(sa, ra):
        for role_b, kb, nb in _named_roles(sb, rb):
            if role != role_b or ka == kb or variant_names(na, nb):
                continue
            if _named_in([(ka, na)], names_b, keys_b) or _named_in([(kb, nb)], names_a, keys_a):
                continue
            return Conflict(kind="name", subject="the " + role,
                            variants=[_variant(na, sa), _variant(nb, sb)])
    return None


def _spelling_clash(sa: Statement, ra: Reading, sb: Statement, rb: Reading) -> Conflict | None:
    """One person of two statements worded alike, spelled two ways under two person keys ("Duncan
    Rait" / "Duncan Raite"; one key is compared for spelling in _conflicts._name_conflict)."""
    people_a = {e.key: e.text for e in ra.entities if e.label == "PERSON" and sa.start <= e.start < sa.end}
    people_b = {e.key: e.text for e in rb.entities if e.label == "PERSON" and sb.start <= e.start < sb.end}
    for ka, na in people_a.items():
        for kb, nb in people_b.items():
            if ka != kb and ka not in people_b and kb not in people_a and spelled_apart(na, nb):
                return Conflict(kind="name", subject=" / ".join(sorted((na, nb))),  # one subject: merged once
                                variants=[_variant(na, sa), _variant(nb, sb)], note="one name spelled two ways")
    return None


def compare_accounts(groups: Sequence[StatementGroup], readings: dict[str, Reading],
                     links: Sequence[tuple[Statement, Statement]] = ()) -> tuple[list[Conflict], set[int]]:
    """Name and account conflicts between the clauses of aligned statements, and the indexes of
    the groups they dispute (a clash found in an accepted pair kept apart disputes no claim)."""
    conflicts: list[Conflict] = []
    disputed: set[int] = set()
    pairs: list[tuple[int | None, Statement, Statement]] = [
        (gi, sa, sb) for gi, g in enumerate(groups) for sa, sb in combinations(g.statements, 2)
             if sa.article_id != sb.article_id]
    pairs += [(None, sa, sb) for sa, sb in links if sa.article_id != sb.article_id]
    told: dict[tuple[str, int], list[_Told]] = {}  # each statement's clauses read once, not once a pair
    known = {aid: _article_names(r) for aid, r in readings.items()}  # once an article, not once a pair

    def clauses_of(st: Statement, reading: Reading) -> list[_Told]:
        key = (st.article_id, st.index)
        if key not in told:
            told[key] = _told(st, reading)
        return told[key]

    for gi, sa, sb in pairs:
        ra, rb = readings.get(sa.article_id), readings.get(sb.article_id)
        # Only statements worded alike: "Brooks beat Hale for the title" / "since Hale beat Brooks
        # last year" align on their names but tell two matches.
        if ra is None or rb is None or not _say_alike(sa, sb):
            continue
        clash = _role_clash(sa, ra, sb, rb, known[sa.article_id], known[sb.article_id]) or _spelling_clash(sa, ra, sb, rb)
        if clash is not None:
            conflicts.append(clash)
        found = clash is not None
        for a in clauses_of(sa, ra) if not found else ():
            for b in clauses_of(sb, rb):
                if _compare_pair(a, b, known[sa.article_id], known[sb.article_id], conflicts):
                    found = True
                    break
            if found:
                break
        if found and gi is not None:
            disputed.add(gi)
    return conflicts, disputed

