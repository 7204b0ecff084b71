"""How an article names the organisation(s) it covers, and the labels it gives their members.

A general mechanism: candidate names come from the model's ORG entities and from capitalised
phrases; names are linked into one organisation by alias patterns ("Tamarrud (TF / TLF)",
"Liberation Front [LF]", "TF/TLF"), acronym expansion (PKK = Partiya Karkeren Kurdistan style
initials), acronym extension (TLF extends TF) and case variants (Farc = FARC). The organisations the
article covers are the most mentioned linked groups. Member labels are nouns from a general
lexicon of labelling words (jihadist, extremist, insurgent, ...) and forms derived from the
organisation's own names ("Tamarrudis" from "Tamarrud"), counted only where used as nouns."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc

from ..model.groups import find, union
from ..model.media import PUBLICATION_WORDS
from .lexicon import MEMBER_LABEL_STEMS, ORG_HEAD_NOUNS, TITLE_NOUNS
from .names import fold

_CONNECT = {"of", "in", "and", "the", "for", "on", "at", "al", "el", "de"}
_CAP = r"(?:[A-Z][\w'\u2019-]*)"
# A capitalised phrase: "Liberation Front of Northern Provinces", "Popular Defence Units"
_CAP_PHRASE = re.compile(rf"{_CAP}(?:\s+(?:(?:of|in|and|the|for|al|el)\s+)*{_CAP})*")
_ALIAS_ITEM = r"[A-Z][\w'\u2019.-]*(?:\s+[A-Z][\w'\u2019.-]*){0,4}"
# NAME (ALIAS / ALIAS) or NAME [ALIAS]; NAME may be quoted ('"Liberation front" (LF)')
_BRACKETED = re.compile(
    rf"(?:[\"\u201c](?P<qname>[A-Z][^\"\u201d\n]{{1,60}})[\"\u201d]|(?P<name>{_CAP}(?:\s+(?:(?:of|in|and|the|for|al|el)\s+)*{_CAP}){{0,6}}))"
    rf"\s*[\(\[]\s*(?P<aliases>{_ALIAS_ITEM}(?:\s*[/,;]\s*{_ALIAS_ITEM})*)\s*[\)\]]"
)
_SLASHED = re.compile(r"\b([A-Z][A-Za-z]{1,12})\s*/\s*([A-Z][A-Za-z]{1,12})\b")
_ACRONYM = re.compile(r"^[A-Z]{2,6}$")
_DERIVED_SUFFIXES = ("is", "i", "ists", "ist", "ites", "ite")
_GEO = {"GPE", "LOC"}
# Every accepted spelling of a labelling noun: singular, plural, "-men" plurals.
_LABEL_FORMS = frozenset(
    form for stem in MEMBER_LABEL_STEMS
    for form in (stem, stem + "s", stem + "es", stem[:-3] + "men" if stem.endswith("man") else stem)
)


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.split(r"[\s-]+", name) if w and w.lower() not in _CONNECT and w[0].isalpha()).upper()


_LEADING_WORDS = {"some", "many", "most", "all", "several", "few", "these", "those", "this", "that",
                  "their", "his", "her", "its", "our", "the", "a", "an", "both", "each", "other",
                  "any", "no", "one", "two", "three", "as", "while", "when", "after", "before", "but"}


def _clean_name(text: str) -> str:
    text = text.strip().strip("\"'\u201c\u201d\u2018\u2019")
    text = re.sub(r"^(?:anti-|pro-|Anti-|Pro-)", "", text)
    words = text.split()
    # "Some of the Tamarrud": a sentence-initial quantifier is not part of the name
    while words and (words[0].lower() in _LEADING_WORDS or words[0].lower() in _CONNECT):
        words = words[1:]
    text = " ".join(words)
    text = re.sub(r"(?:'s|\u2019s|'|\u2019)$", "", text)
    return text.strip()


def _best_suffix(name: str, aliases: list[str]) -> str:
    """'Fighters of the Tamarrud Front' (TF) -> 'Tamarrud Front': the trailing part of the
    phrase whose initials spell an acronym alias, when there is one."""
    words = name.split()
    acronyms = {a for a in aliases if _ACRONYM.match(a)}
    for k in range(len(words)):
        if words[k].lower() in _CONNECT or not words[k][:1].isupper():
            continue
        suffix = " ".join(words[k:])
        if _initials(suffix) in acronyms:
            return suffix
    return name


def _core(name: str) -> str:
    """'Liberation Front of Northern Provinces' -> 'Liberation Front': the name without its place."""
    m = re.match(r"^(.+?)\s+(?:in|of)\s+[A-Z]", name)
    if m and len(m[1].split()) >= 2:
        return m[1]
    return name


MIN_MENTIONS = 3  # an organisation the article covers is named at least this often


@dataclass
class _Names:
    """What the texts say about their capitalised names, gathered before the names are linked."""

    publications: set[str]  # folded names of the publications the article credits
    person_words: frozenset[str] | set[str]  # folded words of people's names
    parent: dict[str, str] = field(default_factory=dict)  # union-find over the names
    org_votes: Counter[str] = field(default_factory=Counter)  # folded name -> times read as an organisation
    geo_votes: Counter[str] = field(default_factory=Counter)  # ... as a place
    person_votes: Counter[str] = field(default_factory=Counter)  # ... as a person
    names: set[str] = field(default_factory=set)  # every candidate name, as written
    explicit: set[str] = field(default_factory=set)  # names given with an alias ("Tamarrud (TF)")

    def is_place(self, n: str) -> bool:
        """Place phrases ("Iraq and Syria") never stand for an organisation."""
        words = [w for w in n.split() if w.lower() not in _CONNECT]
        return fold(n) in self.geo_votes or (bool(words) and all(fold(w) in self.geo_votes for w in words))


def _vote(found: _Names, docs: Sequence[Doc]) -> None:
    """Votes from the model's entities and from syntax ("X group", "X militants")."""
    for doc in docs:
        for ent in doc.ents:
            name = _clean_name(ent.text.split("\n")[0])
            if not name or len(name) > 60:
                continue
            if ent.label_ == "ORG":
                found.org_votes[fold(name)] += 1
                found.names.add(name)
            elif ent.label_ in _GEO:
                found.geo_votes[fold(name)] += 1
            elif ent.label_ == "PERSON":
                found.person_votes[fold(name)] += 1
        # "X group", "X militants": the word before an organisation noun names an organisation
        for tok in doc:
            if tok.lower_ in ORG_HEAD_NOUNS and tok.i > 0 and doc[tok.i - 1].text[:1].isupper() and doc[tok.i - 1].pos_ == "PROPN":
                first = tok.i - 1
                while first > 0 and doc[first - 1].pos_ == "PROPN" and doc[first - 1].text[:1].isupper() and tok.i - first < 5:
                    first -= 1
                # syntax outweighs the small model's label: counted twice
                found.org_votes[fold(_clean_name(doc[first:tok.i].text))] += 2


def _bracketed_aliases(found: _Names, text: str) -> None:
    """"Tamarrud Front (TF / TLF)", '"Liberation front" [LF]': a name and its aliases."""
    for m in _BRACKETED.finditer(text):
        name = _clean_name(m["qname"] or m["name"] or "")
        aliases = [_clean_name(a) for a in re.split(r"\s*[/,;]\s*", m["aliases"]) if a.strip()]
        if not name or not aliases:
            continue
        name = _best_suffix(name, aliases)
        if fold(name) in found.geo_votes and fold(name) not in found.org_votes and len(aliases) < 2:
            continue  # "Baghdad (AFP)": a dateline, not an alias
        acr_ok = any(_ACRONYM.match(a) and _initials(name).startswith(a[:2]) for a in aliases)
        if len(aliases) >= 2 or acr_ok or (all(_ACRONYM.match(a) for a in aliases) and fold(name) not in found.geo_votes):
            for a in aliases:
                union(found.parent, name, a)
                found.names.add(a)
                found.explicit.add(a)
            found.names.add(name)
            found.explicit.add(name)


def _slashed_aliases(found: _Names, text: str) -> None:
    """"TF/TLF": two acronyms for one organisation."""
    for m in _SLASHED.finditer(text):
        a, b = m[1], m[2]
        if _ACRONYM.match(a) and _ACRONYM.match(b):
            union(found.parent, a, b)
            found.names.update((a, b))
            found.explicit.update((a, b))


def _capitalised_phrases(found: _Names, text: str) -> None:
    """Candidates the model missed: capitalised phrases of two words or more, and acronyms."""
    for m in _CAP_PHRASE.finditer(text):
        phrase = _clean_name(m.group())
        if len(phrase.split()) >= 2 and len(phrase) <= 60:
            found.names.add(phrase)
    for m in re.finditer(r"\b[A-Z]{2,6}\b", text):
        found.names.add(m.group())


# What each text adds to the candidates, in order (the aliases before the phrases they link).
_TEXT_RULES: tuple[Callable[[_Names, str], None], ...] = (_bracketed_aliases, _slashed_aliases, _capitalised_phrases)


def _link_case_variants(found: _Names, multi: list[str], acronyms: list[str]) -> None:
    """Farc = FARC: names that fold alike are one name."""
    by_fold: dict[str, str] = {}
    for n in sorted(found.names):
        f = fold(n)
        if f in by_fold:
            union(found.parent, by_fold[f], n)
        else:
            by_fold[f] = n


def _link_acronym_expansions(found: _Names, multi: list[str], acronyms: list[str]) -> None:
    """PKK = Partiya Karkeren Kurdistan: an acronym spells a multiword name (or its core)."""
    for a in acronyms:
        for n in multi:
            ini = _initials(n)
            if len(ini) >= 2 and ini == a:
                union(found.parent, n, a)
            core = _core(n)
            if core != n and len(_initials(core)) >= 2 and _initials(core) == a:
                union(found.parent, n, a)


def _link_acronym_extensions(found: _Names, multi: list[str], acronyms: list[str]) -> None:
    """LFN extends LF when LF is the initials of a linked multiword name."""
    for a in acronyms:
        for n in multi:
            ini = _initials(_core(n))
            if len(ini) >= 2 and a != ini and a.startswith(ini) and len(a) - len(ini) <= 2:
                union(found.parent, n, a)


def _link_place_tails(found: _Names, multi: list[str], acronyms: list[str]) -> None:
    """A multiword name with a place tail is its core name ("Liberation Front of Northern Provinces")."""
    for n in multi:
        c = _core(n)
        if c != n:
            union(found.parent, n, c)
            found.names.add(c)


# How names are linked into one organisation, in order.
_LINK_RULES: tuple[Callable[[_Names, list[str], list[str]], None], ...] = (
    _link_case_variants, _link_acronym_expansions, _link_acronym_extensions, _link_place_tails,
)


def _folded(members: set[str]) -> list[str]:
    return [fold(m) for m in members]


# Linked names that are not an organisation the article covers, whatever their mentions.
_NOT_COVERED: tuple[Callable[[set[str], _Names], bool], ...] = (
    # never read as an organisation, and given no alias
    lambda members, found: sum(found.org_votes.get(f, 0) for f in _folded(members)) == 0 and not members & found.explicit,
    # read more often as a place or a person than as an organisation, and given no alias
    lambda members, found: (
        sum(found.geo_votes.get(f, 0) + found.person_votes.get(f, 0) for f in _folded(members))
        > sum(found.org_votes.get(f, 0) for f in _folded(members)) and not members & found.explicit
    ),
    # a publication the article credits, or a name with a publication word in it
    lambda members, found: any(f in found.publications or set(f.split()) & PUBLICATION_WORDS for f in _folded(members)),
    # a lone name ending in a post ("Interior Minister")
    lambda members, found: len(members) == 1 and any(f.split()[-1:] and f.split()[-1] in TITLE_NOUNS for f in _folded(members)),
    # a person's name
    lambda members, found: any(f in found.person_words for f in _folded(members)),
)


def group_names(docs: Sequence[Doc], texts: Sequence[str], publications: set[str],
                person_words: frozenset[str] | set[str] = frozenset()) -> tuple[dict[str, int], set[str]]:
    """{name as written: count} for the organisation(s) the texts cover, and every linked name.
    `person_words`: folded words of people's names, which never name an organisation here."""
    found = _Names(publications, person_words)
    _vote(found, docs)
    for text in texts:
        for rule in _TEXT_RULES:
            rule(found, text)
    found.names = {n for n in found.names if n}
    multi = [n for n in found.names if len(n.split()) >= 2 and not found.is_place(n)]
    acronyms = [n for n in found.names if _ACRONYM.match(n)]
    for link in _LINK_RULES:
        link(found, multi, acronyms)

    clusters: dict[str, set[str]] = {}
    for n in found.names:
        clusters.setdefault(find(found.parent, n), set()).add(n)
    scored = []
    for members in clusters.values():
        if any(rule(members, found) for rule in _NOT_COVERED):
            continue
        counts = _term_counts(members, texts)
        total = sum(counts.values())
        if total < MIN_MENTIONS:
            continue
        linked = bool(members & found.explicit) or len(members) > 1
        scored.append((total + (3 if linked else 0), counts, members))
    if not scored:
        return {}, set()
    scored.sort(key=lambda x: -x[0])
    top = scored[0][0]
    chosen = [s for s in scored if s[0] == top or (s[0] >= 0.5 * top and s[0] >= 5)]
    out: dict[str, int] = {}
    linked_names: set[str] = set()
    for _, counts, members in chosen:
        for term, mentions in counts.items():
            if mentions:
                out[term] = out.get(term, 0) + mentions
        linked_names |= members
    return out, linked_names


def _term_counts(members: set[str], texts: Sequence[str]) -> dict[str, int]:
    """Occurrences of each name, longest first so 'Liberation Front of Northern Provinces' is not
    also counted as 'Liberation Front'; a long form with a place tail counts under its core name."""
    counts: Counter[str] = Counter()
    masked = list(texts)
    for term in sorted(members, key=lambda t: (-len(t), t)):  # ties by text: the same order in every process
        rx = re.compile(rf"(?<![\w]){re.escape(term)}(?![\w])")
        label = _core(term)
        for k, t in enumerate(masked):
            found = rx.findall(t)
            if found:
                counts[label] += len(found)
                masked[k] = rx.sub(lambda m: "\0" * len(m.group()), t)
    return {k: v for k, v in counts.items() if v}


def member_labels(docs: Sequence[Doc], group_terms: set[str],
                  skip: Sequence[set[int]] = ()) -> dict[str, int]:
    """{label as written: count} for labelling nouns and forms derived from the group's names.
    `skip[k]`: token indices in docs[k] that belong to people's names ('Zabihullah Mujahid')."""
    derived = {fold(t) + s for t in group_terms if len(t) >= 3 and " " not in t for s in _DERIVED_SUFFIXES}
    out: Counter[str] = Counter()
    for k, doc in enumerate(docs):
        names = skip[k] if k < len(skip) else set()
        for tok in doc:
            if not tok.is_alpha or tok.pos_ not in ("NOUN", "PROPN") or tok.i in names or tok.ent_type_ == "PERSON":
                continue
            low = fold(tok.text)
            if not (low in derived or low in _LABEL_FORMS):
                continue
            # a noun, not a modifier: "the extremists" counts, "the extremist group" does not
            if tok.dep_ in ("compound", "amod") and tok.head.i > tok.i:
                continue
            if tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ in ("NOUN", "PROPN") and doc[tok.i + 1].dep_ != "appos" and tok.dep_ != "poss":
                continue
            out[tok.text] += 1
    return dict(out)
