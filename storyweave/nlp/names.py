"""People and entity keys. A key is a cross-document identity: it survives case, diacritics,
articles, possessives and (for people) spelling slips in the given name, because it rests on the
normalised surname plus the first initial."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Token

from .lexicon import HONORIFICS, NAME_PARTICLES, TITLE_NOUNS

_NON_WORD = re.compile(r"[^a-z0-9]+")
_CONTEXT_LABELS = {"NORP", "GPE", "LOC"}  # stop a role or name at "French", "US", "Europe"
# Labels the small model wrongly gives to people's names ("Mayor Ana Ruiz" as WORK_OF_ART).
_MISLABELS = {"WORK_OF_ART", "FAC", "PRODUCT", "EVENT", "LAW"}
_NAME_LABELS = {"", "PERSON", "ORG"} | _MISLABELS  # after a title, these can be names
_SPEAKER_LABELS = {"", "PERSON"} | _MISLABELS  # an ORG that speaks is an organisation


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower case without diacritics: 'Zoë Dupré' -> 'zoe dupre'."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _words(text: str) -> list[str]:
    return [w for w in _NON_WORD.split(fold(text).replace("'s", "").replace("'", "")) if w]


def entity_key(text: str, label: str) -> str:
    """'The Daily Herald' ORG -> 'org:daily herald'; 'U.S.' GPE -> 'gpe:us'.
    The label stays in the key so 'France' (GPE) and 'French' (NORP) never meet."""
    cleaned = fold(text).replace(".", "")
    words = _words(cleaned)
    if words and words[0] == "the":
        words = words[1:]
    return f"{label.lower()}:{' '.join(words)}"


def _name_parts(name: str) -> tuple[list[str], list[str]]:
    """(given names, surname words without particles) of a personal name."""
    raw = [w for w in re.split(r"[\s]+", name.strip()) if w]
    words: list[str] = []
    for w in raw:
        f = fold(w).strip(".,'")
        if not words and f in HONORIFICS:
            continue
        words.append(w)
    # "al-Bashir": a hyphenated particle is a separate particle for keying.
    split: list[str] = []
    for w in words:
        head, sep, tail = w.partition("-")
        if sep and fold(head) in NAME_PARTICLES and tail:
            split.extend([head, tail])
        else:
            split.append(w)
    folded = [_NON_WORD.sub("", fold(w)) for w in split]
    folded = [w for w in folded if w]
    if not folded:
        return [], []
    # The surname is the last word plus nothing else; particles before it are dropped for the
    # key so "al-Bashir"/"Bashir" and "de Gaulle"/"Gaulle" meet.
    surname = [folded[-1]]
    i = len(folded) - 2
    while i >= 0 and folded[i] in NAME_PARTICLES:
        i -= 1
    given = [w for w in folded[: i + 1] if w not in NAME_PARTICLES]
    return given, surname


def person_key(name: str) -> str:
    """'Charles de Gaulle', 'Charles De Gaulle', 'Charels de Gaulle' -> 'person:gaulle|c'; 'de Gaulle'
    alone -> 'person:gaulle' (a bare surname is resolved to the full name within an article first)."""
    given, surname = _name_parts(name)
    if not surname:
        return "person:" + fold(name).strip()
    key = "person:" + " ".join(surname)
    if given:
        key += "|" + given[0][0]
    return key


def surname_of(name: str) -> str:
    return " ".join(_name_parts(name)[1])


def has_given_name(name: str) -> bool:
    return bool(_name_parts(name)[0])


@dataclass
class NameMention:
    start: int  # character offsets in the body
    end: int
    text: str
    first_token: int
    last_token: int  # inclusive


@dataclass
class PersonRecord:
    name: str
    key: str
    mentions: list[NameMention] = field(default_factory=list)
    roles: list[tuple[str, int, int]] = field(default_factory=list)


def _is_name_word(tok: Token) -> bool:
    text = tok.text
    return (
        text[:1].isupper()
        and any(c.isalpha() for c in text)
        and fold(text).strip(".") not in TITLE_NOUNS
        and fold(text) not in HONORIFICS
        and tok.ent_type_ not in _CONTEXT_LABELS
        and not (text.isupper() and len(text) > 1 and len(text) > 3)  # acronyms are not names
    )


def _joined(doc: Doc, i: int) -> bool:
    """Token i is glued to token i-1 (no space), as in 'al-Bashir'."""
    return i > 0 and doc[i - 1].whitespace_ == ""


def _extend_name(doc: Doc, first: int, last: int) -> tuple[int, int]:
    """Grow a PERSON span over given names, particles and hyphen pieces the model left out."""
    sent_start = doc[first].sent.start
    # leftwards: "Charles de" before "Gaulle"
    i = first - 1
    while i >= sent_start and first - i <= 4:
        tok = doc[i]
        if tok.text == "-" and i - 1 >= sent_start and fold(doc[i - 1].text) in NAME_PARTICLES and _joined(doc, i) and _joined(doc, i + 1):
            i -= 2
            first = i + 1
            continue
        if fold(tok.text) in NAME_PARTICLES and i - 1 >= sent_start and _is_name_word(doc[i - 1]):
            i -= 1
            continue
        if _is_name_word(tok) and tok.pos_ == "PROPN" and tok.ent_type_ in _NAME_LABELS:
            first = i
            i -= 1
            continue
        break
    # a dangling particle at the left edge is not part of the name
    while first < last and fold(doc[first].text) in NAME_PARTICLES and not doc[first].text[:1].isupper():
        first += 1
    # rightwards: "Charles" before "de Gaulle", "Omar" before "al-Bashir"
    j = last + 1
    sent_end = doc[last].sent.end
    while j < sent_end and j - last <= 4:
        tok = doc[j]
        if tok.text == "-" and _joined(doc, j) and j + 1 < sent_end and _joined(doc, j + 1) and doc[j + 1].text[:1].isupper():
            last = j + 1
            j += 2
            continue
        if fold(tok.text) in NAME_PARTICLES and j + 1 < sent_end and (_is_name_word(doc[j + 1]) or (doc[j + 1].text == "-" and _joined(doc, j + 1))):
            j += 1
            continue
        if _is_name_word(tok) and tok.pos_ == "PROPN" and tok.ent_type_ in _NAME_LABELS:
            last = j
            j += 1
            continue
        break
    return first, last


def _titled_names(doc: Doc) -> list[tuple[int, int]]:
    """Names right after a title the model missed or filed as ORG: 'Director Jean de Vries'."""
    found = []
    for tok in doc[:-1]:
        if fold(tok.text).strip(".") not in TITLE_NOUNS and fold(tok.text) not in HONORIFICS:
            continue
        nxt = doc[tok.i + 1]
        if not (_is_name_word(nxt) and nxt.pos_ == "PROPN" and nxt.ent_type_ in _NAME_LABELS):
            continue
        if tok.sent.end <= nxt.i:
            continue
        first, last = _extend_name(doc, nxt.i, nxt.i)
        first = max(first, nxt.i)
        if last > first:
            found.append((first, last))
    return found


def _role_before(doc: Doc, first: int) -> tuple[int, int] | None:
    """The premodifying title of a name: 'Spain's [National Security Adviser] Ana de Vries',
    'Dutch [central bank governor] Jan Smit', 'US [President] Barack Obama'."""
    i = first - 1
    if i < 0 or fold(doc[i].text).strip(".") not in TITLE_NOUNS:
        return None
    end = i
    sent_start = doc[first].sent.start
    while i >= sent_start:
        tok = doc[i]
        # a compound modifier counts whatever its tag: the small model tags the "harbour" of
        # "harbour master" as a verb
        in_role = tok.pos_ in ("NOUN", "PROPN", "ADJ") or (tok.dep_ == "compound" and tok.is_alpha)
        if not in_role or tok.ent_type_ in _CONTEXT_LABELS:
            break
        if tok.text in ("'s", "'") or tok.tag_ == "POS":
            break
        i -= 1
    if i + 1 > end:
        return None
    return i + 1, end


def _role_appositive(doc: Doc, last: int) -> tuple[int, int] | None:
    """', an adviser on homeland security,' after a name: the appositive, when it names a post."""
    head = doc[last]
    for child in head.children:
        if child.dep_ != "appos" or child.i <= last:
            continue
        if fold(child.text) not in TITLE_NOUNS:
            continue
        tokens = [t for t in child.subtree]
        start = tokens[0].i
        end = tokens[-1].i
        # cut at the first comma or clause inside the appositive
        for t in tokens:
            if t.i > child.i and (t.text in (",", ";", "(") or t.dep_ in ("relcl", "acl")):
                end = t.i - 1
                break
        while start <= end and doc[start].pos_ in ("DET", "PUNCT"):
            start += 1
        if start <= end:
            return start, end
    return None


def _unlabelled_names(doc: Doc) -> list[tuple[int, int]]:
    """Proper-noun pairs the model left unlabelled but the syntax shows to be people: the subject
    of a speech verb ('Ana Ruiz said') or a name with a title in apposition ('Ana Ruiz, the
    mayor')."""
    from .lexicon import SPEECH_VERBS

    found = []
    for tok in doc:
        if tok.pos_ != "PROPN" or tok.ent_type_ not in _SPEAKER_LABELS or not _is_name_word(tok):
            continue
        speaks = tok.dep_ in ("nsubj", "nsubjpass") and tok.head.lower_ in SPEECH_VERBS
        titled = any(c.dep_ == "appos" and fold(c.text) in TITLE_NOUNS for c in tok.children)
        titled = titled or (tok.dep_ == "appos" and fold(tok.head.text) in TITLE_NOUNS)
        if not (speaks or titled):
            continue
        first = tok.i
        while first - 1 >= tok.sent.start and doc[first - 1].dep_ in ("compound", "flat") and doc[first - 1].head.i == tok.i \
                and doc[first - 1].pos_ == "PROPN" and doc[first - 1].ent_type_ in _SPEAKER_LABELS and _is_name_word(doc[first - 1]):
            first -= 1
        if first < tok.i:
            found.append((first, tok.i))
    return found


def _with_particle(doc: Doc, mention: NameMention, full_name: str) -> NameMention:
    """'Bret' after 'Didier le Bret': the mention takes back the particle written before it."""
    words = full_name.split()
    i = mention.first_token - 1
    if len(words) >= 2 and i >= 0 and fold(words[-2]) in NAME_PARTICLES and doc[i].lower_ == fold(words[-2]):
        return NameMention(doc[i].idx, mention.end, doc[i:mention.last_token + 1].text, i, mention.last_token)
    return mention


def _add_bare_surnames(doc: Doc, people: list[PersonRecord], taken: set[int]) -> None:
    """Later mentions by surname alone ('Dupre said', 'de Vries added') the model left unlabelled."""
    by_surname: dict[str, PersonRecord] = {}
    for p in sorted(people, key=lambda p: not has_given_name(p.name)):  # full names win
        by_surname.setdefault(surname_of(p.name), p)
    if not by_surname:
        return
    for tok in doc:
        if tok.i in taken or not tok.text[:1].isupper() or tok.pos_ != "PROPN":
            continue
        key = _NON_WORD.sub("", fold(tok.text))
        rec = by_surname.get(key)
        if rec is None:
            continue
        first = tok.i
        if first > 0 and fold(doc[first - 1].text) in NAME_PARTICLES and first - 1 not in taken:
            first -= 1
        span = doc[first:tok.i + 1]
        rec.mentions.append(NameMention(span.start_char, span.end_char, span.text, first, tok.i))
        taken.update(range(first, tok.i + 1))


def find_people(doc: Doc) -> list[PersonRecord]:
    """Every person named in the doc, bare surnames resolved to the full name used nearby."""
    spans: list[tuple[int, int]] = []
    taken: set[int] = set()
    common_nouns = {t.lower_ for t in doc if t.tag_ in ("NN", "NNS") and t.text.islower()}
    candidates = [(ent.start, ent.end - 1) for ent in doc.ents if ent.label_ == "PERSON"]
    candidates = _titled_names(doc) + candidates + _unlabelled_names(doc)
    for first, last in candidates:
        # the model sometimes puts a title inside PERSON ("Coordinator Didier"): drop it
        while first < last and (fold(doc[first].text).strip(".") in TITLE_NOUNS or fold(doc[first].text) in HONORIFICS):
            first += 1
        first, last = _extend_name(doc, first, last)
        while last > first and (doc[last].tag_ == "POS" or doc[last].text in ("'s", "'", "\u2019s", "\u2019")):
            last -= 1  # "Laci Peterson's": the possessive is not part of the name
        if any(i in taken for i in range(first, last + 1)):
            continue
        if not any(c.isalpha() for c in doc[first:last + 1].text) or any(c.isdigit() for c in doc[first:last + 1].text):
            continue  # "MI6", "B-21": codes, not people
        if first == last and doc[first].is_sent_start and fold(doc[first].text) in common_nouns:
            continue  # "Showrunner, 51, adds ..." where the text also says "the showrunner": a role, capitalised
        spans.append((first, last))
        taken.update(range(first, last + 1))
    spans.sort()

    mentions = [NameMention(doc[f].idx, doc[l].idx + len(doc[l].text), doc[f:l + 1].text, f, l) for f, l in spans]
    people: list[PersonRecord] = []
    by_key: dict[str, PersonRecord] = {}
    # full names first, so bare surnames can be resolved to them
    for m in sorted(mentions, key=lambda m: not has_given_name(m.text)):
        key = person_key(m.text)
        if not has_given_name(m.text):
            surname = surname_of(m.text)
            match = next((p for p in people if surname_of(p.name) == surname and has_given_name(p.name)), None)
            if match is not None:
                match.mentions.append(_with_particle(doc, m, match.name))
                continue
        rec = by_key.get(key)
        if rec is None:
            rec = PersonRecord(name=m.text, key=key)
            by_key[key] = rec
            people.append(rec)
        rec.mentions.append(m)
    _add_bare_surnames(doc, people, taken)
    for rec in people:
        rec.mentions.sort(key=lambda m: m.start)
        seen: set[str] = set()
        for m in rec.mentions:
            for found in (_role_before(doc, m.first_token), _role_appositive(doc, m.last_token)):
                if found is None:
                    continue
                span = doc[found[0]: found[1] + 1]
                if span.text not in seen:
                    seen.add(span.text)
                    rec.roles.append((span.text, span.start_char, span.end_char))
    people = [p for p in people if not _names_a_group(doc, p)]
    people.sort(key=lambda p: p.mentions[0].start)
    return people


def _names_a_group(doc: Doc, person: PersonRecord) -> bool:
    """'Boko Haram fighters', 'a Hamas commander': a name that modifies a group noun names an
    organisation, whatever the model labelled it."""
    from .lexicon import ORG_HEAD_NOUNS

    for m in person.mentions:
        nxt = m.last_token + 1
        if nxt < len(doc) and doc[nxt].lower_ in ORG_HEAD_NOUNS and doc[m.last_token].dep_ == "compound":
            return True
    return False
