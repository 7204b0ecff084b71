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
from collections.abc import Sequence

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


def _count(term: str, texts: Sequence[str]) -> int:
    rx = re.compile(rf"(?<![\w]){re.escape(term)}(?![\w])")
    return sum(len(rx.findall(t)) for t in texts)


MIN_MENTIONS = 3  # an organisation the article covers is named at least this often


def group_names(docs: Sequence[Doc], texts: Sequence[str], publications: set[str],
                person_words: frozenset[str] | set[str] = frozenset()) -> tuple[dict[str, int], set[str]]:
    """{name as written: count} for the organisation(s) the texts cover, and every linked name.
    `person_words`: folded words of people's names, which never name an organisation here."""
    parent: dict[str, str] = {}  # union-find over the names
    org_votes: Counter[str] = Counter()
    geo_votes: Counter[str] = Counter()
    person_votes: Counter[str] = Counter()
    names: set[str] = set()
    for doc in docs:
        for ent in doc.ents:
            name = _clean_name(ent.text.split("\n")[0])
            if not name or len(name) > 60:
                continue
            if ent.label_ == "ORG":
                org_votes[fold(name)] += 1
                names.add(name)
            elif ent.label_ in _GEO:
                geo_votes[fold(name)] += 1
            elif ent.label_ == "PERSON":
                person_votes[fold(name)] += 1
        # "X group", "X militants": the word before an organisation noun names an organisation
        for tok in doc:
            if tok.lower_ in ORG_HEAD_NOUNS and tok.i > 0 and doc[tok.i - 1].text[:1].isupper() and doc[tok.i - 1].pos_ == "PROPN":
                first = tok.i - 1
                while first > 0 and doc[first - 1].pos_ == "PROPN" and doc[first - 1].text[:1].isupper() and tok.i - first < 5:
                    first -= 1
                # syntax outweighs the small model's label: counted twice
                org_votes[fold(_clean_name(doc[first:tok.i].text))] += 2
    explicit: set[str] = set()
    for text in texts:
        for m in _BRACKETED.finditer(text):
            name = _clean_name(m["qname"] or m["name"] or "")
            aliases = [_clean_name(a) for a in re.split(r"\s*[/,;]\s*", m["aliases"]) if a.strip()]
            if not name or not aliases:
                continue
            name = _best_suffix(name, aliases)
            if fold(name) in geo_votes and fold(name) not in org_votes and len(aliases) < 2:
                continue  # "Baghdad (AFP)": a dateline, not an alias
            acr_ok = any(_ACRONYM.match(a) and _initials(name).startswith(a[:2]) for a in aliases)
            if len(aliases) >= 2 or acr_ok or (all(_ACRONYM.match(a) for a in aliases) and fold(name) not in geo_votes):
                for a in aliases:
                    union(parent, name, a)
                    names.add(a)
                    explicit.add(a)
                names.add(name)
                explicit.add(name)
        for m in _SLASHED.finditer(text):
            a, b = m[1], m[2]
            if _ACRONYM.match(a) and _ACRONYM.match(b):
                union(parent, a, b)
                names.update((a, b))
                explicit.update((a, b))
        for m in _CAP_PHRASE.finditer(text):
            phrase = _clean_name(m.group())
            if len(phrase.split()) >= 2 and len(phrase) <= 60:
                names.add(phrase)
        for m in re.finditer(r"\b[A-Z]{2,6}\b", text):
            names.add(m.group())
    # case variants are one name; acronyms expand multiword names or extend their acronyms.
    # Place phrases ("Iraq and Syria") never stand for an organisation.
    def is_place(n: str) -> bool:
        words = [w for w in n.split() if w.lower() not in _CONNECT]
        return fold(n) in geo_votes or (bool(words) and all(fold(w) in geo_votes for w in words))

    names = {n for n in names if n}
    multi = [n for n in names if len(n.split()) >= 2 and not is_place(n)]
    by_fold: dict[str, str] = {}
    for n in sorted(names):
        f = fold(n)
        if f in by_fold:
            union(parent, by_fold[f], n)
        else:
            by_fold[f] = n
    acronyms = [n for n in names if _ACRONYM.match(n)]
    for a in acronyms:
        for n in multi:
            ini = _initials(n)
            if len(ini) >= 2 and ini == a:
                union(parent, n, a)
            core = _core(n)
            if core != n and len(_initials(core)) >= 2 and _initials(core) == a:
                union(parent, n, a)
    # acronym extension: LFN extends LF when LF is the initials of a linked multiword name
    for a in acronyms:
        for n in multi:
            ini = _initials(_core(n))
            if len(ini) >= 2 and a != ini and a.startswith(ini) and len(a) - len(ini) <= 2:
                union(parent, n, a)
    # a multiword name with a place tail is its core name ("Liberation Front of Northern Provinces")
    for n in multi:
        c = _core(n)
        if c != n:
            union(parent, n, c)
            names.add(c)

    clusters: dict[str, set[str]] = {}
    for n in names:
        clusters.setdefault(find(parent, n), set()).add(n)
    scored = []
    for members in clusters.values():
        org = sum(org_votes.get(fold(m), 0) for m in members)
        geo = sum(geo_votes.get(fold(m), 0) + person_votes.get(fold(m), 0) for m in members)
        linked = bool(members & explicit) or len(members) > 1
        if org == 0 and not (members & explicit):
            continue
        if geo > org and not (members & explicit):
            continue
        if any(fold(m) in publications or set(fold(m).split()) & PUBLICATION_WORDS for m in members):
            continue
        if any(fold(m).split()[-1:] and fold(m).split()[-1] in TITLE_NOUNS for m in members if len(members) == 1):
            continue
        if any(fold(m) in person_words for m in members):
            continue
        counts = _term_counts(members, texts)
        total = sum(counts.values())
        if total < MIN_MENTIONS:
            continue
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
    for term in sorted(members, key=len, reverse=True):
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
