"""Who says what: speakers of direct quotes, indirect (reported) speech, and attributions.

Rules over spaCy's parse: the reporting verb nearest the quote (outside it) gives the speaker as
its subject (its object for "quoted"/"cited", the pobj for "according to", the agent for "was
reported by"). Pronouns resolve to the nearest preceding named person, titles to the one person
holding that title; anything else stays the description as written."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ..model import QuoteKind
from .lexicon import (
    COMPANY_NOUNS,
    OBJECT_SPEAKER_VERBS,
    POSSESSIVE_DETERMINERS,
    PRONOUNS_PERSON,
    PUBLICATION_MARKERS,
    PUBLICATION_WORDS,
    SPEECH_VERBS,
    TITLE_ABBREVIATIONS,
    TITLE_NOUNS,
    UNNAMED_SOURCE_NOUNS,
    WEAK_SPEECH_VERBS,
)
from .names import PersonRecord, fold
from .quotespans import QuoteSpan

# Documents that speak for an author ("a report by X said", "according to a statement from X").
DOCUMENT_NOUNS = frozenset({"report", "statement", "study", "estimate", "survey", "letter",
                            "document", "analysis", "memo", "communique", "release", "filing",
                            "assessment", "findings", "figures", "data", "investigation", "review"})

# Words that tell a person's sex in the text itself ("his wife, Ann Lee", "Mrs. Cole", "the
# actress Ann Lee"), so that "she said" never goes to a man named just before.
_MALE_WORDS = frozenset({"mr", "mr.", "sir", "lord", "man", "boy", "son", "father", "husband", "brother",
                         "uncle", "nephew", "grandfather", "grandson", "king", "prince", "actor", "businessman",
                         "spokesman", "chairman", "congressman", "dad", "boyfriend", "widower", "monk"})
_FEMALE_WORDS = frozenset({"mrs", "mrs.", "ms", "ms.", "miss", "dame", "lady", "woman", "girl", "daughter",
                           "mother", "wife", "sister", "aunt", "niece", "grandmother", "granddaughter", "queen",
                           "princess", "actress", "businesswoman", "spokeswoman", "chairwoman", "congresswoman",
                           "mom", "mum", "girlfriend", "widow", "nun"})
_PRONOUN_SEX = {"he": "m", "him": "m", "she": "f", "her": "f"}
_OTHER_SEX_WORDS = {"m": _FEMALE_WORDS, "f": _MALE_WORDS}

_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
# What a passive reporting verb may cite ("described in a profile", "quoted in an interview").
_PASSIVE_SOURCES = DOCUMENT_NOUNS | {"profile", "article", "interview", "editorial", "column", "book",
                                     "obituary", "story", "broadcast", "post", "tweet", "documentary"}
# Dependencies that keep a token inside the speaker's noun phrase ("officer in Istanbul").
_NP_DEPS = frozenset({"prep", "pobj", "compound", "amod", "det", "nummod", "poss", "case", "cc",
                      "conj", "nmod", "flat", "punct", "appos", "quantmod", "npadvmod", "hmod", "hyph"})
# Dependencies that open a clause inside another ("that Capaldi is ...", "who said ...").
_EMBEDDED_CLAUSES = frozenset({"ccomp", "xcomp", "advcl", "relcl", "acl", "csubj", "pcomp", "parataxis"})
_PAIR_WORDS = frozenset({"men", "women", "two", "pair", "couple", "duo", "leaders", "officials", "ministers"})
_DASHES = ("-", "\u2014", "\u2013", "--")
_SHORT_QUOTE_WORDS = 3  # shorter quotes with no speaker are scare quotes or names, not speech
_MAX_SPEAKER_CHARS = 120
_ANTECEDENT_SENTENCES = 3  # how far back a pronoun's person is looked for before any name will do
_CONTINUATION_CHARS = 300  # a speakerless quote this close after a speaker's quote is theirs


@dataclass
class Speaker:
    text: str  # resolved name, or the description as written
    key: str | None  # person key when resolved to a named person
    start: int
    end: int
    named: bool
    head: int = -1  # token index of the phrase head


@dataclass
class Cue:
    token: Token
    text: str


@dataclass
class FoundQuote:
    speaker: Speaker | None
    text: str
    kind: QuoteKind
    cue: str | None
    start: int
    end: int
    relayed_by: Speaker | None = None  # whose account carries the words, when not the speaker's own


@dataclass
class FoundAttribution:
    source: str
    cue: str
    named: bool
    is_publication: bool
    start: int
    end: int
    speaker_key: str | None = None


def _takes_to_infinitive(tok: Token) -> bool:
    """'believed to be "management level employees"', 'said to be': a hedge describing someone,
    whose quoted words are not the verb's subject's utterance."""
    return any(c.dep_ == "xcomp" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children) for c in tok.children)


def _is_cue(tok: Token) -> bool:
    low = tok.lower_
    if low == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
        return True
    if low not in SPEECH_VERBS or tok.pos_ not in ("VERB", "AUX", "NOUN") or tok.tag_ == "NN":
        return False
    if not any(c.dep_ in _SUBJECTS for c in tok.children) and _takes_to_infinitive(tok):
        return False  # "two men, believed to be employees", "said to be the richest": a hedge, no speech
    if tok.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass", "agent") for c in tok.children):
        return tok.dep_ == "acl"  # 'Asked about it, she said': a participle frame, not the cue
    return True


def _role_head(role: str) -> str:
    """The head noun of a role phrase: its last word before a preposition or comma."""
    words = fold(role).split()
    cut = next((k for k, w in enumerate(words) if w in ("at", "of", "in", "for", "with", "from", "on") or w.endswith(",")), len(words))
    return words[cut - 1].rstrip("s") if cut else ""


_INTERVIEW_NOUNS = frozenset({"statement", "interview", "remarks", "comments", "comment", "email", "e-mail"})


_HAS_LETTER = re.compile(r"[^\W\d_]")  # a speaker's text must name something, not be "." or "12"


def _interviewed_by(cue: Token) -> list[Token]:
    """Heads of "to X" / "with X" after a statement or interview the cue hangs from ("in a
    statement to X", "in an interview with X")."""
    found = []
    for prep in cue.children:
        if prep.dep_ != "prep":
            continue
        for noun in prep.children:
            if noun.dep_ == "pobj" and noun.lower_ in _INTERVIEW_NOUNS:
                found += [o for p2 in noun.children if p2.dep_ == "prep" and p2.lower_ in ("to", "with")
                          for o in p2.children if o.dep_ == "pobj"]
    return found


def _cue_text(tok: Token) -> str:
    if tok.lower_ == "according":
        return "according to"
    return tok.text


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


class SpeechReader:
    """Per-document state: the parse, the people, the quote spans."""

    def __init__(self, doc: Doc, body: str, people: list[PersonRecord], quotes: list[QuoteSpan]):
        self.doc = doc
        self.body = body
        self.people = people
        self.quotes = quotes
        # names and scare quotes ('channel "Al Arabiya"') do not hide a speaker
        self.quote_ranges = [(q.open_mark, q.close_mark + 1) for q in quotes
                             if len(body[q.start:q.end].split()) >= _SHORT_QUOTE_WORDS]
        self.token_starts = [t.idx for t in doc]
        self.mentions = sorted(((m.start, m.end, p) for p in people for m in p.mentions), key=lambda x: x[0])
        self._sex_cache: dict[str, str | None] = {}

    # --- speakers -------------------------------------------------------------------------
    def _person_at(self, tok: Token) -> PersonRecord | None:
        for s, e, p in self.mentions:
            if s <= tok.idx < e:
                return p
        return None

    def _antecedent(self, pronoun: Token) -> Speaker | None:
        """Who a 'he' or 'she' stands for: the nearest sentence (this one up to the pronoun, then
        up to `_ANTECEDENT_SENTENCES` before it) where someone speaks or is named outside
        quotation marks. There, one person reported speaking (", Navy spokesperson said." then
        "..., he said": the spokesperson), else the grammatical subject among the people named
        ("Deputy Timothy Brennan, who had been Ortiz's partner, called it bittersweet. He
        explained": Brennan). Someone the text marks as of the other sex is skipped."""
        doc = self.doc
        sex = _PRONOUN_SEX.get(pronoun.lower_)
        fits = {p.key: self._sex_of(p) in (None, sex) for p in self.people}
        sent_start, hi = pronoun.sent.start, pronoun.idx
        for _ in range(_ANTECEDENT_SENTENCES + 1):
            lo = doc[sent_start].idx
            span = doc[sent_start:pronoun.i] if sent_start == pronoun.sent.start else doc[sent_start].sent
            found, same_pronoun = self._one_speaker_in(span, sex)
            if found is not None:
                return found
            named = [(s, p) for s, _, p in self.mentions if lo <= s < hi and not _inside(s, self.quote_ranges) and fits[p.key]]
            if sent_start == pronoun.sent.start and pronoun.dep_ == "nsubj" and _is_cue(pronoun.head):
                named = []  # "MV Gibe was escorted to safety, he added": the report is not its speaker
            if named and not same_pronoun:
                subjects = [(self._clause_depth(s), p) for s, p in named if self._is_subject_at(s)]
                # the main clause's subject over one inside what it says or thinks ("Moffat is sure
                # that Capaldi is the perfect choice. '...,' he said": Moffat)
                top = min((d for d, _ in subjects), default=0)
                p = [p for d, p in subjects if d == top][-1] if subjects else named[-1][1]
                return Speaker(p.name, p.key, pronoun.idx, pronoun.idx + len(pronoun.text), True)
            if sent_start == 0:
                break
            hi, sent_start = lo, doc[sent_start - 1].sent.start
        found_p = None
        for s, _, p in self.mentions:
            if s < pronoun.idx and not _inside(s, self.quote_ranges) and fits[p.key]:
                found_p = p
        return Speaker(found_p.name, found_p.key, pronoun.idx, pronoun.idx + len(pronoun.text), True) if found_p else None

    def _one_speaker_in(self, span, sex: str | None) -> tuple[Speaker | None, bool]:
        """The last single person reported speaking in `span` (named, or a singular description
        such as "a Navy spokesperson"), and whether a pronoun of the same sex speaks there (then
        that sentence's speaker is the one wanted, found further back)."""
        for tok in reversed(list(span)):
            if not _is_cue(tok) or _inside(tok.idx, self.quote_ranges) or tok.lower_ == "according":
                continue
            head = next((c for c in tok.children if c.dep_ == "nsubj"), None) or self._right_neighbour(tok)
            if head is None or _inside(head.idx, self.quote_ranges):
                continue
            if head.lower_ in PRONOUNS_PERSON:
                if _PRONOUN_SEX.get(head.lower_) == sex:
                    return None, True
                continue
            person = self._person_at(head) or next(
                (p for c in head.children if c.dep_ in ("appos", "compound") and (p := self._person_at(c)) is not None), None)
            if person is not None:
                if self._sex_of(person) in (None, sex) and not any(c.dep_ == "conj" for c in head.children):
                    return Speaker(person.name, person.key, head.idx, head.idx + len(head.text), True), False
                continue
            if head.pos_ == "PROPN" and head.ent_type_ == "PERSON":
                return Speaker(head.text, None, head.idx, head.idx + len(head.text), True), False
            # "official Fauzi": a role noun with a one-word name the person finder missed
            name = next((c for c in head.children if c.dep_ in ("appos", "flat") and c.pos_ == "PROPN"), None)
            if head.pos_ == "NOUN" and name is not None:
                return Speaker(name.text, None, name.idx, name.idx + len(name.text), True), False
            # "a Navy spokesperson said": one unnamed person
            word = head.lower_
            if head.tag_ == "NN" and (word in TITLE_NOUNS or word in UNNAMED_SOURCE_NOUNS or word in _MALE_WORDS
                                      or word in _FEMALE_WORDS) and word not in _OTHER_SEX_WORDS.get(sex or "", ()):
                if not any(c.dep_ == "conj" for c in head.children):
                    return self._speaker_text(head), False
        return None, False

    def _sex_of(self, person: PersonRecord) -> str | None:
        """'m' or 'f' when the text says (an honorific, a kinship or gendered noun the name is in
        apposition to or follows), else None."""
        if person.key in self._sex_cache:
            return self._sex_cache[person.key]
        found, hinted = set(), []
        for m in person.mentions:
            words = [fold(w) for w in self.body[max(0, m.start - 40):m.start].replace(",", " ").split()[-2:]]
            tok = self._name_head_at(m.start)
            if tok is not None:
                if tok.dep_ == "appos":
                    words.append(tok.head.lower_)
                words += [c.lower_ for c in tok.children if c.dep_ in ("appos", "compound") and c.pos_ == "NOUN"]
                hinted += ["m" if w in ("he", "his") else "f" for w in self._own_pronouns(tok)]
            for w in words:
                if w in _MALE_WORDS:
                    found.add("m")
                elif w in _FEMALE_WORDS:
                    found.add("f")
        if not found and len(hinted) >= 2 and len(set(hinted)) == 1:
            found = set(hinted)  # pronouns may be someone else's: only a repeated, uncontested hint counts
        sex = found.pop() if len(found) == 1 else None
        self._sex_cache[person.key] = sex
        return sex

    @staticmethod
    def _own_pronouns(name: Token) -> list[str]:
        """Pronouns that can only be the subject's own: 'Reid told People she was ...' (the
        subject of what a speaker says of themselves), 'Noem defended her campaign' (a possessive
        in the subject's own clause, before any other person could be meant)."""
        verb = name.head
        if name.dep_ != "nsubj" or verb.i == name.i:
            return []
        out = []
        for t in verb.subtree:
            if t.lower_ in ("his", "her") and t.dep_ == "poss" and t.i > verb.i:
                anc = t.head
                while anc.i != verb.i and anc.pos_ not in ("VERB", "AUX") and anc.head.i != anc.i:
                    anc = anc.head
                if anc.i == verb.i:
                    out.append(t.lower_)
            elif t.lower_ in ("he", "she") and t.dep_ == "nsubj" and t.head.dep_ == "ccomp" and t.head.head.i == verb.i \
                    and _is_cue(verb) and not any(_is_cue(x) for x in verb.doc[verb.i + 1:t.i]):
                out.append(t.lower_)
        return out

    def _name_head_at(self, pos: int) -> Token | None:
        """The head token of the name starting at `pos` ("Brennan" in "Timothy Brennan")."""
        tok = self._token_at(pos)
        while tok is not None and tok.dep_ in ("compound", "flat") and tok.head is not tok:
            tok = tok.head
        return tok

    def _is_subject_at(self, pos: int) -> bool:
        """Is the name starting at `pos` a clause's subject (or in apposition to one)?"""
        tok = self._name_head_at(pos)
        if tok is None:
            return False
        if tok.dep_ == "appos":
            tok = tok.head
        return tok.dep_ in _SUBJECTS

    def _clause_depth(self, pos: int) -> int:
        """How many clauses down from its sentence's main clause the name at `pos` stands."""
        tok = self._name_head_at(pos)
        depth = 0
        while tok is not None and tok.head.i != tok.i:
            if tok.dep_ in _EMBEDDED_CLAUSES:
                depth += 1
            tok = tok.head
        return depth

    def _person_by_title(self, title_word: str) -> PersonRecord | None:
        """The one person whose role's head noun is this title ('the doctor' for 'Ema Suryani, a
        doctor at a health clinic'; 'the sheriff' for 'Genesee County Sheriff Robert Pickell')."""
        matches = [p for p in self.people if any(_role_head(r[0]) == title_word.rstrip("s") for r in p.roles)]
        return matches[0] if len(matches) == 1 else None

    def _speaker_from_head(self, head: Token, cue_pos: int) -> Speaker | None:
        found = self._speaker_text(head)
        if found is not None:
            found.head = head.i
        return found

    def _speaker_text(self, head: Token) -> Speaker | None:
        doc = self.doc
        person = self._person_at(head)
        named_by = head  # the token whose phrase holds the person ("producers Craig Zadan and ...")
        if person is None:
            for child in head.children:
                if child.dep_ in ("appos", "compound") and (p := self._person_at(child)) is not None:
                    person, named_by = p, child
                    break
        title = next((t for t in (head, *head.children) if t.lower_.rstrip(".") in TITLE_ABBREVIATIONS
                      and (t is head or t.dep_ in ("appos", "compound"))), None)
        if title is not None:
            # "said Dist. Atty. Steve Cooley", "Troy police Lt. Gerry Scherlinck": the title stands
            # for the name after it
            person = next((p for t in head.doc[title.i + 1 : title.i + 6] if (p := self._person_at(t)) is not None
                           and p.name.lower().rstrip(".") not in TITLE_ABBREVIATIONS), None)
        if person is not None:
            # "Zadan and Meron said", "producers Craig Zadan and Neil Meron said": both speak; the
            # pair is no one person's key
            partner = next((q for tok in {head, named_by} for c in tok.children
                            if c.dep_ == "conj" and (q := self._person_at(c)) is not None and q.key != person.key), None)
            if partner is not None:
                return Speaker(f"{person.name} and {partner.name}", None, head.idx, head.idx + len(head.text), True)
            return Speaker(person.name, person.key, head.idx, head.idx + len(head.text), True)
        low = head.lower_
        if low in PRONOUNS_PERSON:
            antecedent = self._antecedent(head)
            if antecedent is not None:
                return Speaker(antecedent.text, antecedent.key, head.idx, head.idx + len(head.text), antecedent.named)
            return Speaker(head.text, None, head.idx, head.idx + len(head.text), False)
        if low == "it" and head.dep_ == "nsubj" and _is_cue(head.head):
            # "A statement from Waitrose said ... 'We regret ...,' it added": the body or document
            # that spoke just before
            return self._thing_speaker_before(head)
        if low in ("who", "which", "that", "whom", "what", "them", "him", "us", "me", "it", "this", "there"):
            return None
        if low == "they":
            # "The diplomats said ... They added": the plural speaker just before
            earlier = self._plural_speaker_before(head)
            if earlier is not None:
                return earlier
        if head.pos_ == "PRON":
            return Speaker(head.text, None, head.idx, head.idx + len(head.text), False)
        if low in _PAIR_WORDS and (low in ("pair", "couple", "duo", "two") or any(c.lower_ in ("two", "both") for c in head.children)):
            pair = self._pair_before(head)  # "the two men said": the two people just named together
            if pair is not None:
                return pair
        # "The report, published by Human Rights Watch", "the NCAA report", "the letter" Willoughby
        # wrote: a document speaks for its author
        if low in DOCUMENT_NOUNS:
            author = self._document_owner(head) or self._earlier_document_author(head)
            if author is not None:
                return author
        # 'channel "Al Arabiya"', 'the newspaper, Le Monde': the appositive name is the source
        if head.pos_ == "NOUN":
            name = next((c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
            if name is not None:
                toks = [t for t in name.subtree if not t.is_punct or t.text in ("-", "&")]
                if toks:
                    first_t, last_t = toks[0], toks[-1]
                    text = doc[first_t.i:last_t.i + 1].text.strip("\"' ")
                    if text and len(text) <= _MAX_SPEAKER_CHARS:
                        return Speaker(text, None, first_t.idx, last_t.idx + len(last_t.text), True)
        # the description as written, cut before commas, clauses and the quote itself
        tokens = sorted(head.subtree, key=lambda t: t.i)
        start_i = head.i
        for t in reversed([t for t in tokens if t.i < head.i]):
            if t.text in (",", '"', "(", ")") or t.is_space or _inside(t.idx, self.quote_ranges) or t.i != start_i - 1:
                break
            start_i = t.i
        end_i = head.i
        # a name ends where its entity ends, unless a preposition goes on ("X of the Y")
        in_name = head.pos_ == "PROPN" and head.ent_type_ != ""
        via_prep = {d.i for c in head.children if c.dep_ == "prep" for d in c.subtree}
        for t in [t for t in tokens if t.i > head.i]:
            if in_name and t.ent_iob_ != "I" and t.i not in via_prep:
                break
            glued_dash = t.text == "-" and t.whitespace_ == "" and doc[t.i - 1].whitespace_ == ""
            if (t.text in (",", ";", '"', "(", ")", ".") or (t.text == "-" and not glued_dash)) or t.is_space:
                break
            if t.dep_ in ("relcl", "acl", "advcl") or t.lower_ in ("who", "which", "that") or _inside(t.idx, self.quote_ranges):
                break
            if t.i != end_i + 1 or not self._np_chain(t, head):
                break
            end_i = t.i
        while start_i < head.i and (doc[start_i].is_punct or doc[start_i].lower_ in POSSESSIVE_DETERMINERS):
            start_i += 1
        span = doc[start_i:end_i + 1]
        text = span.text.strip()
        if not _HAS_LETTER.search(text) or len(text) > _MAX_SPEAKER_CHARS:
            return None  # punctuation or digits alone ("AZ." cut to ".") name no one
        if low.rstrip("s") in TITLE_NOUNS or low in TITLE_NOUNS:
            p = self._person_by_title(low)
            if p is not None and start_i < head.i and doc[start_i].lower_ == "the":
                return Speaker(p.name, p.key, span.start_char, span.end_char, True)
        if low in COMPANY_NOUNS and doc[start_i].lower_ == "the":
            company = self._company_before(head)
            if company is not None:
                return Speaker(company, None, span.start_char, span.end_char, True)
        named = any(t.ent_type_ in ("PERSON", "ORG", "NORP") or t.pos_ == "PROPN" for t in span if t.i == head.i)
        return Speaker(text, None, span.start_char, span.end_char, named)

    def _company_before(self, head: Token) -> str | None:
        """The business 'the company' stands for: of the organisations named (outside quotes) in
        the last few sentences, the one the article named most so far; a publication never."""
        doc = self.doc
        first = doc[max(0, head.sent.start - 1)].sent.start
        for _ in range(_ANTECEDENT_SENTENCES - 1):
            if first == 0:
                break
            first = doc[first - 1].sent.start
        counts: dict[str, int] = {}
        recent: dict[str, int] = {}  # name -> last position, so that a tie goes to the latest
        for e in doc.ents:
            if e.label_ != "ORG" or e.start >= head.i or _inside(e.start_char, self.quote_ranges):
                continue
            name = re.sub(r"^the\s+|'s?$", "", e.text.strip(), flags=re.IGNORECASE)
            if not name or {fold(w) for w in name.split()} & PUBLICATION_WORDS:
                continue
            counts[name] = counts.get(name, 0) + 1
            if e.start >= first:
                recent[name] = e.start
        return max(recent, key=lambda n: (counts[n], recent[n])) if recent else None

    @staticmethod
    def _np_chain(tok: Token, head: Token) -> bool:
        """Every link from tok up to head is a noun-phrase-internal dependency."""
        while tok.i != head.i:
            if tok.dep_ not in _NP_DEPS or tok.head is tok:
                return False
            tok = tok.head
        return True

    def _left_neighbour(self, cue: Token) -> Token | None:
        """The noun phrase right before the verb ('..., sources said', 'his daughter had texted'),
        climbed to its head while it stays inside the phrase."""
        if cue.tag_ == "VBG" or cue.lower_ == "according":
            return None
        doc = self.doc
        j = cue.i - 1
        while j >= 0 and doc[j].pos_ in ("AUX", "ADV", "PART") and doc[j].lower_ != "'s":
            j -= 1
        if j < 0 or doc[j].pos_ not in ("NOUN", "PROPN", "PRON") or _inside(doc[j].idx, self.quote_ranges):
            return None
        if not _HAS_LETTER.search(doc[j].text):
            return None  # "Mohave County, Az. said": a stray full stop tagged as a name is no speaker
        tok = doc[j]
        left_edge = j
        while left_edge > 0 and doc[left_edge - 1].text not in (",", '"', ";", ":") and not doc[left_edge - 1].is_space and doc[left_edge - 1].pos_ not in ("VERB", "AUX", "SCONJ"):
            left_edge -= 1
        while tok.dep_ in ("pobj", "compound", "prep") and tok.head.i < tok.i and tok.head.i >= left_edge:
            tok = tok.head
        if tok.pos_ not in ("NOUN", "PROPN", "PRON"):
            return None
        return tok

    def _right_neighbour(self, cue: Token) -> Token | None:
        """The noun phrase right after a verb that follows a quote ('..." said Ron Howard, the
        director of ...'), when the parser hung that name on another verb: its head noun."""
        doc = self.doc
        prev = cue.i - 1
        while prev >= 0 and doc[prev].is_space:
            prev -= 1
        if prev < 0 or not doc[prev].is_punct or cue.tag_ not in ("VBD", "VBZ", "VBP"):
            return None
        j = cue.i + 1
        while j < len(doc) and j <= cue.i + 3 and doc[j].pos_ in ("DET", "ADJ"):
            j += 1
        if j >= len(doc) or doc[j].pos_ not in ("NOUN", "PROPN") or _inside(doc[j].idx, self.quote_ranges):
            return None
        tok = doc[j]
        while tok.dep_ in ("compound", "flat", "amod") and tok.head.i > tok.i and tok.head.i <= j + 4 \
                and tok.head.pos_ in ("NOUN", "PROPN"):
            tok = tok.head
        # 'said ABC Entertainment Group prexy Paul Lee': a person named right after the phrase,
        # with no punctuation between, is who it describes (an unknown title word broke the parse)
        for k in range(tok.i + 1, min(tok.i + 4, tok.sent.end)):
            if doc[k].is_punct or doc[k].is_space or doc[k].pos_ in ("AUX", "ADP", "SCONJ", "CCONJ") \
                    or (doc[k].pos_ == "VERB" and doc[k].tag_ != "VB"):  # a bare "VB" after a name is a misread noun
                break
            if self._person_at(doc[k]) is not None and self._person_at(tok) is None:
                return self._name_head_at(doc[k].idx) or tok
        return tok

    def _pair_before(self, tok: Token) -> Speaker | None:
        """The two people named together as a subject in the nearest earlier sentences ("Gary
        Locke and Ken Salazar agreed", "the commerce secretary, Gary Locke, and ...")."""
        doc = self.doc
        sent_start = tok.sent.start
        for _ in range(_ANTECEDENT_SENTENCES + 1):
            sent = doc[sent_start].sent
            found: list[PersonRecord] = []
            for s, _, p in self.mentions:
                if not (sent.start_char <= s < min(sent.end_char, tok.idx)) or _inside(s, self.quote_ranges):
                    continue
                t = self._name_head_at(s)
                while t is not None and t.dep_ in ("appos", "conj", "compound") and t.head.i != t.i:
                    t = t.head
                if t is not None and t.dep_ in _SUBJECTS and all(p.key != q.key for q in found):
                    found.append(p)
            if len(found) == 2:
                return Speaker(f"{found[0].name} and {found[1].name}", None, tok.idx, tok.idx + len(tok.text), True)
            if sent_start == 0:
                break
            sent_start = doc[sent_start - 1].sent.start
        return None

    def _plural_speaker_before(self, pronoun: Token) -> Speaker | None:
        doc = self.doc
        lo = max(0, pronoun.sent.start - 60)
        for t in reversed(doc[lo:pronoun.i]):
            if t.tag_ in ("NNS", "NNPS") and t.dep_ == "nsubj" and _is_cue(t.head) and t.i < pronoun.i:
                return self._speaker_text(t)
            if t.i < pronoun.sent.start and t.is_sent_start and pronoun.sent.start - t.i > 40:
                break
        return None

    def _thing_speaker_before(self, pronoun: Token) -> Speaker | None:
        """Who an "it" that speaks stands for: the nearest earlier singular speaker that is no person
        (a company, a body, a statement), in this sentence or the one before."""
        doc = self.doc
        lo = doc[pronoun.sent.start - 1].sent.start if pronoun.sent.start > 0 else 0
        for t in reversed(doc[lo:pronoun.i]):
            if (t.dep_ == "nsubj" and _is_cue(t.head) and t.tag_ in ("NN", "NNP") and t.lower_ not in PRONOUNS_PERSON
                    and self._person_at(t) is None and not _inside(t.idx, self.quote_ranges)):
                found = self._speaker_text(t)
                return found if found is not None and found.key is None else None
        return None

    def _dashed_aside(self, tok: Token) -> tuple[int, int] | None:
        """The (opening, closing) dash indices of the spaced-dash aside `tok` stands in, if any."""
        dashes = [t.i for t in tok.sent if t.text in _DASHES and (t.text != "-" or (t.whitespace_ and t.i > 0
                                                                                 and t.doc[t.i - 1].whitespace_))]
        return next(((a, b) for a, b in zip(dashes[::2], dashes[1::2]) if a < tok.i < b), None)

    def _document_author(self, cue: Token) -> Speaker | None:
        """The author of the document a passive reporting verb cites ('in a Washington Post
        profile', 'in a report by Human Rights Watch')."""
        for prep in (c for c in cue.children if c.dep_ == "prep" and c.lower_ in ("in", "by")):
            doc_noun = next((c for c in prep.children if c.dep_ == "pobj" and c.lower_ in _PASSIVE_SOURCES), None)
            if doc_noun is None:
                continue
            by = self._author_of(doc_noun)
            if by is not None:
                return by
            names = [c for c in doc_noun.children if c.dep_ in ("compound", "poss") and c.pos_ == "PROPN"]
            if names:
                first = min(t.i for n in names for t in n.subtree if t.pos_ == "PROPN")
                last = max(n.i for n in names)
                span = self.doc[first:last + 1]
                return Speaker(span.text, None, span.start_char, span.end_char, True, head=last)
        return None

    def _document_owner(self, noun: Token) -> Speaker | None:
        """Who a document is by when its own phrase says so: 'a report by Human Rights Watch',
        'the NCAA report', 'the NYPD's statement'. A publication's report keeps its wording (a
        publication is a source, not a speaker)."""
        author = self._author_of(noun)
        if author is not None:
            return author
        owners = [c for c in noun.children if c.dep_ in ("poss", "compound") and c.pos_ == "PROPN" and c.i < noun.i]
        if not owners or self._is_publication_span(owners[-1]):
            return None
        owner = owners[-1]
        person = self._person_at(owner)
        if person is not None:
            return Speaker(person.name, person.key, owner.idx, owner.idx + len(owner.text), True)
        names = [t for t in owner.subtree if t.pos_ == "PROPN"]
        span = self.doc[names[0].i:names[-1].i + 1]
        text = re.sub(r"^the\s+", "", span.text.strip(), flags=re.IGNORECASE)
        if not _HAS_LETTER.search(text) or len(text) > _MAX_SPEAKER_CHARS:
            return None
        return Speaker(text, None, span.start_char, span.end_char, True)

    def _earlier_document_author(self, noun: Token) -> Speaker | None:
        """'The NCAA report says ... ; ..., the report said': 'the report' is the one named with
        its author in the sentences before ('the NCAA report', 'a statement from the Defence
        PRO', 'Willoughby wrote a letter')."""
        if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in noun.children):
            return None
        doc = self.doc
        first = noun.sent.start
        for _ in range(_ANTECEDENT_SENTENCES):
            if first == 0:
                break
            first = doc[first - 1].sent.start
        for t in reversed(doc[first:noun.i]):
            if t.lower_ != noun.lower_ or _inside(t.idx, self.quote_ranges):
                continue
            author = self._document_owner(t)
            if author is None and t.dep_ == "dobj" and t.head.pos_ == "VERB":
                subject = next((c for c in t.head.children if c.dep_ == "nsubj"), None)
                if subject is not None and (subject.pos_ == "PROPN" or self._person_at(subject) is not None
                                            or any(c.dep_ == "appos" for c in subject.children)):
                    author = self._speaker_text(subject)
            if author is not None:
                return author
        return None

    def _author_of(self, head: Token) -> Speaker | None:
        for t in head.subtree:
            if t.dep_ == "pobj" and t.head.lower_ in ("by", "from") and t.pos_ == "PROPN":
                person = self._person_at(t)
                if person is not None:
                    return Speaker(person.name, person.key, t.idx, t.idx + len(t.text), True)
                ent = next((e for e in self.doc.ents if e.start <= t.i < e.end), None)
                span = ent if ent is not None else self.doc[min(c.i for c in t.subtree):t.i + 1]
                text = span.text.strip()
                if text and len(text) <= _MAX_SPEAKER_CHARS:
                    return Speaker(text, None, span.start_char, span.end_char, True)
        return None

    def speaker_of(self, cue: Token) -> Speaker | None:
        doc = self.doc
        if cue.dep_ == "xcomp" and cue.head.lower_ not in SPEECH_VERBS and not (
                cue.head.lower_ in ("go", "goes", "went", "going", "gone") and any(c.lower_ == "on" for c in cue.head.children)):
            return None  # "declined to comment", "refused to say": nothing was said ("went on to say" was)
        if any(c.dep_ == "neg" for c in cue.children):
            return None  # "did not say"
        head: Token | None = None
        if cue.lower_ == "according":
            to = doc[cue.i + 1]
            head = next((c for c in to.children if c.dep_ == "pobj"), None)
        elif cue.lower_ in OBJECT_SPEAKER_VERBS:
            head = next((c for c in cue.children if c.dep_ in ("dobj", "obj")), None)
        if head is None:
            agent = next((c for c in cue.children if c.dep_ == "agent"), None)
            if agent is not None:
                head = next((c for c in agent.children if c.dep_ == "pobj"), None)
        if head is None and any(c.dep_ == "auxpass" for c in cue.children):
            # "was described in a 1972 Washington Post profile as ...": the document speaks; the
            # one described never does
            return self._document_author(cue)
        if head is None:
            head = next((c for c in cue.children if c.dep_ in _SUBJECTS), None)
            if head is not None and head.dep_ == "nsubjpass":
                return None  # "X was reported to have arrived", "cases can't be predicted": no source
            near = self._left_neighbour(cue)
            if near is not None and (head is None or (head.i < near.i and any(t.text == "," for t in doc[head.i:near.i])
                                                      and near not in head.subtree)):  # not in its apposition
                head = near
        if head is None and cue.tag_ == "VBG" and cue.dep_ == "acl" and cue.head.dep_ == "dobj" \
                and cue.head.head.pos_ == "VERB":
            # "An official downplayed the unrest, saying ...", "He sent a letter saying ...": the
            # participle hung on the object; the one who did the deed says it
            head = next((c for c in cue.head.head.children if c.dep_ == "nsubj"), None)
        if head is None and cue.dep_ == "acl" and cue.head.i < cue.i and cue.head.pos_ in ("NOUN", "PROPN"):
            head = cue.head  # 'As channel X reported ...' parsed as a participle on the noun
        if head is None and cue.tag_ == "VBG":
            # "sources said, adding that ...": the verb it continues speaks
            prior = [t for t in doc[cue.sent.start:cue.i] if t.i >= cue.i - 10 and _is_cue(t) and t.tag_ != "VBG"]
            if prior:
                return self.speaker_of(prior[-1])
        verb = cue
        hops = 0
        while head is None and verb.dep_ in ("advcl", "conj", "xcomp", "ccomp", "relcl") and hops < 3 and verb.head is not verb:
            # "..., adding that" / "and said": the subject of the governing verb speaks
            if verb.dep_ == "ccomp" and verb.head.lower_ not in SPEECH_VERBS:
                break
            aside = self._dashed_aside(verb.head)
            if verb.dep_ == "conj" and aside is not None and not aside[0] < verb.i < aside[1]:
                # 'Lyons said that ... - he "claimed ..." - and added, "..."': "and added" goes on
                # from the clause the dashed aside interrupts, not from the aside
                main = [t for t in doc[verb.sent.start:aside[0]] if _is_cue(t)
                        and any(c.dep_ in _SUBJECTS for c in t.children) and not _inside(t.idx, self.quote_ranges)]
                return self.speaker_of(main[-1]) if main else None
            verb = verb.head
            hops += 1
            head = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
        if head is None:
            # inverted order the parser missed: '..." said a European diplomat in Istanbul'
            after = [c for c in cue.children if c.i > cue.i and c.dep_ in ("dobj", "attr", "npadvmod", "nsubj", "dative") and c.pos_ in ("NOUN", "PROPN")]
            head = after[0] if after else self._right_neighbour(cue)
        if head is None or _inside(head.idx, self.quote_ranges):
            return None
        return self._speaker_from_head(head, cue.idx)

    # --- direct quotes --------------------------------------------------------------------
    def _token_at(self, pos: int) -> Token | None:
        """The token covering character `pos`, or the last one starting before it."""
        i = bisect.bisect_right(self.token_starts, pos) - 1
        return self.doc[i] if 0 <= i < len(self.doc) else None

    def _window_tokens(self, q: QuoteSpan) -> tuple[list[Token], list[Token]]:
        doc = self.doc
        first = self._token_at(q.open_mark)
        last = self._token_at(min(q.close_mark, len(self.body) - 1))
        if first is None or last is None:
            return [], []
        before = [t for t in doc[first.sent.start:first.i] if not _inside(t.idx, self.quote_ranges)]
        if not [t for t in before if not t.is_punct and not t.is_space]:
            # "He said:" in the sentence before
            prev_i = first.sent.start - 1
            if prev_i >= 0 and doc[prev_i].text.strip() == "" and prev_i > 0:
                prev_i -= 1
            if prev_i >= 0 and doc[prev_i].text == ":":
                before = [t for t in doc[doc[prev_i].sent.start:prev_i] if not _inside(t.idx, self.quote_ranges)]
        after_end = last.sent.end if last.i + 1 < len(doc) else len(doc)
        if last.i + 1 < len(doc) and doc[last.i + 1].sent.start != last.sent.start:
            after_end = doc[last.i + 1].sent.end
        after = [t for t in doc[last.i + 1:after_end] if not _inside(t.idx, self.quote_ranges)]
        if not [t for t in after if not t.is_punct and not t.is_space] and after_end < len(doc):
            nxt = doc[after_end]
            if nxt.text in _DASHES or nxt.text[:1].islower():
                after = [t for t in doc[after_end:nxt.sent.end] if not _inside(t.idx, self.quote_ranges)]
        # "... adding that ... " earlier in the same sentence is not this quote's frame
        return before, after

    def _cue_and_speaker(self, q: QuoteSpan) -> tuple[Token | None, Speaker | None]:
        """The reporting verb nearest the quote that has a speaker (in '..." one protester, who
        asked not to be named, said', 'asked' has none and 'said' has)."""
        before, after = self._window_tokens(q)
        close_tok = self._token_at(min(q.close_mark, len(self.body) - 1))
        ranked: list[tuple[int, Token]] = []
        # spaced dashes before the quote: a cue between two of them is an aside's ('White told
        # The Post - where the lawyer said she was in rehab - "I hear she left"': White's quote)
        dashes = [t.i for t in before if t.text in ("\u2014", "\u2013", "--")
                  or (t.text == "-" and t.whitespace_ and t.i > 0 and t.doc[t.i - 1].whitespace_)]
        for toks, side in ((after, "after"), (before, "before")):
            for t in toks:
                if not _is_cue(t):
                    continue
                dist = t.idx - q.close_mark if side == "after" else q.open_mark - t.idx
                if side == "before" and any(a < t.i < b for a, b in zip(dashes[::2], dashes[1::2])):
                    dist += 1000
                if side == "after" and close_tok is not None and t.sent.start != close_tok.sent.start \
                        and t.sent[0].text[:1].isupper() and t.sent[0].text[:1] not in '"\u201c':
                    # '... then saw "a crater." Observers believe ...': a new sentence's verb frames
                    # the quote only when nothing before the quote does
                    dist += 1000
                # prefer the verb after the quote (news style) at equal distance
                ranked.append((dist if side == "after" else dist + 20, t))
        ranked.sort(key=lambda x: x[0])
        for _, cue in ranked:
            speaker = self.speaker_of(cue)
            if speaker is not None:
                return self._utterer_inside(cue, before, q) or (cue, speaker)
        return (ranked[0][1] if ranked else None), None

    def _utterer_inside(self, cue: Token, before: list[Token], q: QuoteSpan) -> tuple[Token, Speaker] | None:
        """'March participants chanted "...", people report from the scene': the verb before
        the quote that takes it as its words, inside what the verb after reports, is who uttered
        them; the trailing report is the source of the account, not the speaker."""
        inside = self._token_at(q.start)
        if inside is None or not _is_cue(cue) or cue.i < inside.i:
            return None
        for t in reversed(before):
            if t.i == cue.i or not _is_cue(t) or t.lower_ == "according" or inside not in t.subtree:
                continue
            anc, via_ccomp = t, False
            while anc.head.i != anc.i and anc.i != cue.i:
                via_ccomp = via_ccomp or anc.dep_ == "ccomp"
                anc = anc.head
            if anc.i != cue.i or not via_ccomp or not any(c.dep_ in _SUBJECTS for c in t.children) \
                    or _takes_to_infinitive(t):
                continue
            speaker = self.speaker_of(t)
            if speaker is not None:
                return t, speaker
        return None

    def _relayer(self, cue: Token, speaker: Speaker, q: QuoteSpan) -> Speaker | None:
        """Who relays the words a cue gives to `speaker`: the speaker of a reporting verb whose
        complement clause holds the cue ('Reyes told reporters that Blake phoned, saying "..."':
        Reyes; 'Ann said she heard someone say "..."': Ann; 'Protesters chanted "...", witnesses
        report': the witnesses). A different person, or the account is the speaker's own. The
        quote must sit inside that complement, not beside it."""
        inside = self._token_at(q.start)
        anc, via_ccomp = cue, False
        while anc.head.i != anc.i and inside is not None:
            if anc.dep_ == "advcl" and any(c.dep_ == "mark" for c in anc.children):
                return None  # 'Kelly told the Times there was "...", while Cerar said "..."': a clause beside the account
            via_ccomp = via_ccomp or anc.dep_ == "ccomp"
            branch, anc = anc, anc.head
            if via_ccomp and inside in branch.subtree and _is_cue(anc) and anc.lower_ != "according" and not _inside(anc.idx, self.quote_ranges):
                outer = self.speaker_of(anc)
                if outer is None or self._same_speaker(outer, speaker) \
                        or (outer.head >= 0 and self._is_publication_span(self.doc[outer.head])):
                    return None  # one's own account; a publication credits the report, it is no speaker
                return outer
        return None

    def _claimant_of(self, q: QuoteSpan) -> tuple[Token, Speaker] | None:
        """A quote opening on its own reporting verb, its subject just outside the marks ('he
        "claimed it was necessary"'): that verb and its speaker."""
        verb = self._token_at(q.start)
        if verb is None or not _is_cue(verb) or verb.lower_ == "according":
            return None
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "csubj")), None)
        if subj is None or subj.idx >= q.open_mark:
            return None
        speaker = self.speaker_of(verb)
        return (verb, speaker) if speaker is not None else None

    @staticmethod
    def _same_speaker(a: Speaker, b: Speaker) -> bool:
        return (a.key is not None and a.key == b.key) or fold(a.text) == fold(b.text) or 0 <= a.head == b.head

    def direct_quotes(self) -> list[FoundQuote]:
        out: list[FoundQuote] = []
        previous: tuple[int, Speaker, str | None] | None = None  # (close mark, speaker, cue)
        for q in self.quotes:
            text = self.body[q.start:q.end].strip()
            if not re.search(r"[A-Za-z]", text) or re.search(r'[{}]|":"', text):
                continue
            before = self.body[max(0, q.open_mark - 2):q.open_mark]
            if before[-1:] in ("{", "[", "=") or before in ('":', '",'):
                continue  # a quoted string in code or data, not speech
            cue, speaker = self._cue_and_speaker(q)
            cue_text = _cue_text(cue) if cue is not None else None
            if speaker is not None and speaker.head >= 0 and cue is not None \
                    and cue not in self.doc[speaker.head].subtree and any(
                    t.idx <= q.open_mark < t.idx + len(t.text) for t in self.doc[speaker.head].subtree):
                # the quote sits inside the speaker's own phrase: a scare quote (unless the phrase
                # holds the cue too: 'an inside source calling it "a terrible experience"')
                speaker = None
            if (speaker is None and cue is None and previous is not None and len(text.split()) >= _SHORT_QUOTE_WORDS
                    and self._opens_sentence(q.open_mark)
                    and self._continues_speech(previous[0], q.open_mark, previous[1], across_narration=True)):
                # '"...," she said. "Next sentence."': the speaker goes on, even after a short
                # paragraph of narration in which no one else speaks
                _, speaker, cue_text = previous
            if speaker is None and cue is None and len(text.split()) >= _SHORT_QUOTE_WORDS \
                    and self._opens_sentence(q.open_mark):
                # 'the singer checked in, her rep confirms to PEOPLE. "And she hated it."': a quote
                # paragraph with no frame goes on from the reported speech right before it, also
                # when that sentence ended an earlier speaker's turn ('"...," she said. According
                # to a 1997 article, Benjamin said she applied to Yale. "They sent me a reply."')
                speaker, cue_text = self._reported_just_before(q.open_mark)
            if speaker is None and len(text.split()) < _SHORT_QUOTE_WORDS:
                continue
            start = q.start + (len(self.body[q.start:q.end]) - len(self.body[q.start:q.end].lstrip()))
            text = text.rstrip(",;: ")  # the comma before the closing mark belongs to the sentence
            found = FoundQuote(speaker, text, "direct", cue_text if speaker else None, start, start + len(text))
            if speaker is not None and cue is not None:  # (a speaker carried over from before has no cue)
                found.relayed_by = self._relayer(cue, speaker, q)
                claimant = self._claimant_of(q)
                if claimant is not None and found.relayed_by is None and not self._same_speaker(claimant[1], speaker) \
                        and fold(claimant[1].text) not in PRONOUNS_PERSON:
                    # 'Lyons said he "claimed it was necessary"': the claim is his, relayed by Lyons
                    found.speaker, found.cue, found.relayed_by = claimant[1], _cue_text(claimant[0]), speaker
            out.append(found)
            previous = (q.close_mark, speaker, cue_text) if speaker is not None else None
        self._credit_forward(out)
        return out

    def _reported_just_before(self, open_mark: int) -> tuple[Speaker | None, str | None]:
        """The speaker of the last reporting verb in the sentence ending right before `open_mark`
        (only space between), outside quotation marks."""
        tok = self._token_at(open_mark)
        if tok is None or tok.sent.start == 0:
            return None, None
        prev = self.doc[tok.sent.start - 1].sent
        if self.body[prev.end_char:open_mark].strip():
            return None, None
        for cue in reversed([t for t in prev if _is_cue(t) and not _inside(t.idx, self.quote_ranges)]):
            speaker = self.speaker_of(cue)
            if speaker is not None:
                return speaker, _cue_text(cue)
        return None, None

    def _credit_forward(self, quotes: list[FoundQuote]) -> None:
        """'"First sentence. / Second sentence," SEACOM said.': a speakerless quote right before
        a speaker's quote, with no one else named between, opens that speaker's statement."""
        following: FoundQuote | None = None
        for q in reversed(quotes):
            nxt = following
            mark = max(self.body.rfind(m, 0, q.start) for m in ('"', "\u201c", "\u201e", "\u00ab"))
            if q.speaker is None and nxt is not None and nxt.speaker is not None \
                    and (self._opens_sentence(mark) or self._sentence_is_about(mark, nxt.speaker)) \
                    and self._continues_speech(q.end, nxt.start - 1, nxt.speaker):
                # (a quote inside narration opens the statement only in a sentence about the speaker:
                # 'Obama issued a memo ... "the purposes of the Act."', not 'a "surround and drown" strategy')
                q.speaker, q.cue = nxt.speaker, nxt.cue
            following = q

    def _sentence_is_about(self, pos: int, speaker: Speaker) -> bool:
        """Is the subject of the sentence at `pos` this speaker (by name, or as 'he'/'she')?"""
        tok = self._token_at(pos)
        if tok is None or speaker.key is None:
            return False
        subj = next((c for c in tok.sent.root.children if c.dep_ in _SUBJECTS), None)
        if subj is None:
            return False
        if subj.lower_ in ("he", "she"):
            return True
        person = self._person_at(subj)
        return person is not None and person.key == speaker.key

    def _opens_sentence(self, pos: int) -> bool:
        tok = self._token_at(pos)
        if tok is None:
            return False
        first = tok.sent[0]
        return first.idx >= pos - 1 or not self.body[first.idx:pos].strip()

    def _continues_speech(self, prev_close: int, open_mark: int, speaker: Speaker, across_narration: bool = False) -> bool:
        """A quote right after the previous speaker's quote, with no one else named between. With
        `across_narration`, paragraphs may come between if none of them reports speech: an
        unattributed quote paragraph is, by news convention, the last speaker's."""
        if open_mark - prev_close > _CONTINUATION_CHARS:
            return False
        between = self.body[prev_close + 1:open_mark]
        if "\n\n" in between and between.count("\n") > 2:
            if not across_narration:
                return False
            close_tok = self._token_at(prev_close)
            after_sent = close_tok.sent.end if close_tok is not None else 0
            if any(_is_cue(t) for t in self.doc[after_sent:] if t.idx < open_mark):
                return False
        # names in the previous quote's own attribution ('said Flynn's father, Herbert Flynn.')
        # are its frame, not someone else taking the floor
        close_tok = self._token_at(prev_close)
        frame_end = close_tok.sent.end_char if close_tok is not None and close_tok.sent.end_char <= open_mark else prev_close
        return not any(max(prev_close, frame_end - 1) < s < open_mark and (speaker.key is None or p.key != speaker.key)
                       and not self._is_listener_at(s) for s, _, p in self.mentions)

    def _is_listener_at(self, pos: int) -> bool:
        """Is the name at `pos` the one spoken to ('told France Info', 'said to Reuters')?"""
        tok = self._name_head_at(pos)
        if tok is None:
            return False
        if tok.dep_ == "pobj" and tok.head.lower_ == "to":
            tok = tok.head
        return tok.dep_ in ("dobj", "dative", "prep") and _is_cue(tok.head)

    # --- reported speech and attributions -------------------------------------------------
    def indirect_quotes(self) -> list[FoundQuote]:
        out: list[FoundQuote] = []
        for tok in self.doc:
            if not _is_cue(tok) or _inside(tok.idx, self.quote_ranges):
                continue
            if tok.lower_ == "according":
                to = self.doc[tok.i + 1]
                pp_tokens = {t.i for t in to.subtree} | {tok.i}
                sent = tok.sent
                content = [t for t in sent if t.i not in pp_tokens]
                while content and (content[0].is_punct or content[0].is_space):
                    content = content[1:]
                while content and (content[-1].is_punct or content[-1].is_space):
                    content = content[:-1]
                if not content:
                    continue
                s, e = content[0].idx, content[-1].idx + len(content[-1].text)
            else:
                comp = next((c for c in tok.children if c.dep_ == "ccomp"), None)
                if comp is None:
                    continue
                sub = sorted(comp.subtree, key=lambda t: t.i)
                while sub and (sub[0].lower_ == "that" or sub[0].is_punct):
                    sub = sub[1:]
                while sub and sub[-1].is_punct:
                    sub = sub[:-1]
                if len(sub) < 3:
                    continue
                s, e = sub[0].idx, sub[-1].idx + len(sub[-1].text)
            if any(qs < e and s < qe for qs, qe in self.quote_ranges):
                continue
            speaker = self.speaker_of(tok)
            if speaker is None:
                continue
            out.append(FoundQuote(speaker, self.body[s:e], "indirect", _cue_text(tok), s, e))
        return out

    def attributions(self) -> list[FoundAttribution]:
        out: list[FoundAttribution] = []
        for tok in self.doc:
            if not _is_cue(tok) or _inside(tok.idx, self.quote_ranges):
                continue
            if tok.lower_ in WEAK_SPEECH_VERBS and not any(c.dep_ in ("ccomp", "agent") for c in tok.children):
                continue
            speaker = self.speaker_of(tok)
            if speaker is not None:
                out.append(self._attribution(speaker, tok))
            # "told The Daily Herald": the publication that received the account
            if tok.lower_ in ("told", "tell", "tells", "telling"):
                for c in tok.children:
                    if c.dep_ in ("dobj", "dative", "obj") and self._is_publication_span(c):
                        sp = self._speaker_from_head(c, tok.idx)
                        if sp is not None:
                            att = self._attribution(sp, tok)
                            att.is_publication = True
                            out.append(att)
            # "in a statement to Al-Masry Al-Youm", "said in an interview with CNN": the
            # publication that received the account, as with "told"
            for pub in _interviewed_by(tok):
                # the publication's own words, not an apposition after it ("the Courier, Mark Olsen")
                span = self.doc[pub.left_edge.i : pub.i + 1]
                if self._is_publication_span(pub) and any(t.pos_ == "PROPN" for t in span):
                    sp = Speaker(span.text, None, span.start_char, span.end_char, True, pub.i)
                    att = self._attribution(sp, tok)
                    att.is_publication, att.named = True, True
                    out.append(att)
        out.sort(key=lambda a: a.start)
        return out

    @staticmethod
    def resolve_publications(quotes: list[FoundQuote], attributions: list[FoundAttribution]) -> None:
        """'the channel', 'the publication', 'the newspaper' -> the publication last named before."""
        named = [(a.start, a.source) for a in attributions if a.is_publication and a.named]

        def latest(pos: int) -> str | None:
            found = None
            for start, source in named:
                if start < pos:
                    found = source
            return found

        def generic(text: str) -> bool:
            words = fold(text).split()
            return len(words) == 2 and words[0] == "the" and words[1] in PUBLICATION_MARKERS | {"paper", "report"}

        for a in attributions:
            if generic(a.source) and (name := latest(a.start)):
                a.source, a.named, a.is_publication = name, True, True
        for sp in [s for q in quotes for s in (q.speaker, q.relayed_by) if s is not None]:
            if generic(sp.text) and (name := latest(sp.start)):
                sp.text, sp.named = name, True

    def _is_publication_span(self, head: Token) -> bool:
        toks = list(head.subtree)
        words = {fold(t.text) for t in toks}
        if words & PUBLICATION_MARKERS or {"news", "agency"} <= words:
            return True
        proper = [t for t in toks if t.pos_ == "PROPN" or t.ent_type_ in ("ORG", "WORK_OF_ART")]
        return bool(proper) and bool({fold(t.text) for t in proper} & PUBLICATION_WORDS)

    def _attribution(self, speaker: Speaker, cue: Token) -> FoundAttribution:
        head = self.doc.char_span(speaker.start, speaker.end, alignment_mode="expand")
        is_pub = False
        if head is not None and len(head) and speaker.key is None:
            root = head.root
            is_pub = self._is_publication_span(root) or cue.lower_ in ("reported", "reports", "report")
            words = {fold(t.text) for t in head}
            is_pub = is_pub and (root.pos_ == "PROPN" or bool(words & PUBLICATION_MARKERS) or {"news", "agency"} <= words)
        named = speaker.named and fold(speaker.text) not in UNNAMED_SOURCE_NOUNS
        start = min(speaker.start, cue.idx)
        end = max(speaker.end, cue.idx + len(cue.text) + (3 if cue.lower_ == "according" else 0))
        return FoundAttribution(speaker.text, _cue_text(cue), named, is_pub, start, end, speaker.key)
