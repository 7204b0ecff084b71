"""Who did what to whom: each verb's doer and undergoer from the parse, passives turned round
("Smith was fired by the board": the board fires, Smith is fired), so two outlets' accounts of one
happening can be compared role by role (compare/_conflicts.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from .model import verb_lemmatizer

# Words of a noun's own phrase: "the gunman, John Smith", "Deputy Jerry Ortiz", "the Lakers".
# A possessor ("Smith's brother") or a relative clause names someone else.
_PHRASE_DEPS = {"det", "compound", "amod", "appos", "flat", "nmod", "nummod", "punct"}
_SUBJECTS = {"nsubj", "csubj"}
_PASSIVE_SUBJECTS = {"nsubjpass", "csubjpass"}
_OBJECTS = {"dobj", "obj"}


@dataclass
class ClauseRecord:
    verb: Token
    particle: str = ""  # "off" in "called off", "down" in "stepped down", "ahead" in "go ahead"
    lemma: str = ""  # the verb's lemma with its particle: "call off"
    negated: bool = False
    modal: str = ""  # "will", "would", "could", "to": a plan, a condition or a possibility, not a deed
    agents: list[tuple[str, int, int]] = field(default_factory=list)  # (text, start, end) of each doer's phrase
    patients: list[tuple[str, int, int]] = field(default_factory=list)


def _phrase(tok: Token) -> tuple[str, int, int]:
    """The noun phrase a head stands for, without possessors, prepositions or relative clauses."""
    lo = hi = tok.i
    todo = [tok]
    while todo:
        t = todo.pop()
        for child in t.children:
            if child.dep_ in _PHRASE_DEPS:
                lo, hi = min(lo, child.i), max(hi, child.i)
                todo.append(child)
    span: Span = tok.doc[lo : hi + 1]
    # an appositive's closing comma or a dash belongs to no name
    while len(span) > 1 and span[-1].is_punct:
        span = span[:-1]
    while len(span) > 1 and span[0].is_punct:
        span = span[1:]
    return span.text, span.start_char, span.end_char


def _with_conjuncts(tok: Token) -> list[Token]:
    """"Smith and Jones were arrested": both are arrested."""
    out = [tok]
    for c in tok.conjuncts:
        if c.pos_ in ("NOUN", "PROPN", "PRON"):
            out.append(c)
    return out


_RELATIVE = frozenset({"who", "whom", "which", "that"})


def _arguments(verb: Token) -> tuple[list[Token], list[Token], bool]:
    agents: list[Token] = []
    patients: list[Token] = []
    passive = False
    for child in verb.children:
        dep = child.dep_
        if child.lower_ in _RELATIVE and verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
            child = verb.head  # "Tom Hale, who beat Alan Brooks": Hale beat
        if dep in _SUBJECTS:
            agents += _with_conjuncts(child)
        elif dep in _PASSIVE_SUBJECTS:
            patients += _with_conjuncts(child)
            passive = True
        elif dep in _OBJECTS:
            patients += _with_conjuncts(child)
    if passive:
        # "by the board": the doer of a passive, whether parsed as an agent or a plain preposition
        for child in verb.children:
            if child.dep_ in ("agent", "prep") and child.lower_ == "by":
                agents += [p for c in child.children if c.dep_ == "pobj" for p in _with_conjuncts(c)]
    return agents, patients, passive


# "didn't", and as tokenised text writes it, "didn ' t" (which the parser may not read as a negation)
_NEGATION_BEFORE = re.compile(r"(?:\bnot|\bnever|n\s?'\s?t|n\u2019t)\s+(?:[a-z]+\s+){0,2}$", re.IGNORECASE)
_NOBODY = frozenset({"none", "nobody", "nothing", "neither"})


def _denied(arg: Token) -> bool:
    """"No gun was recovered": a participant that is no one denies the happening."""
    return arg.lower_ in _NOBODY or any(c.dep_ == "det" and c.lower_ == "no" for c in arg.children)


def _particle(verb: Token) -> str:
    return next((c.lower_ for c in verb.children if c.dep_ == "prt" or (c.dep_ == "advmod" and c.lower_ == "ahead")), "")


def find_clauses(doc: Doc) -> list[ClauseRecord]:
    """Every verb with a named doer or undergoer; a verb joined to another by "and" shares its
    subject ("Orozco shot and killed Ortiz": Orozco killed)."""
    out = []
    text = doc.text  # built from the tokens at every access: once, not once a verb
    verb_lemma = verb_lemmatizer()
    for tok in doc:
        if tok.pos_ != "VERB":
            continue
        agents, patients, passive = _arguments(tok)
        if not agents and tok.dep_ == "conj" and tok.head.pos_ == "VERB":
            head_agents, _, head_passive = _arguments(tok.head)
            if not head_passive and not passive:
                agents = head_agents
        if not agents and not patients:
            continue
        negated = (any(c.dep_ == "neg" for c in tok.children)
                   or any(c.dep_ == "neg" for c in tok.head.children if tok.dep_ == "xcomp")
                   or _NEGATION_BEFORE.search(text[max(0, tok.idx - 30):tok.idx]) is not None
                   or any(_denied(t) for t in (*agents, *patients)))
        modal = next((c.lower_ for c in tok.children if c.dep_ == "aux" and (c.tag_ == "MD" or c.lower_ == "to")), "")
        particle = _particle(tok)
        out.append(ClauseRecord(verb=tok, particle=particle, lemma=" ".join(filter(None, (verb_lemma(tok), particle))),
                                negated=negated, modal=modal, agents=[_phrase(t) for t in agents],
                                patients=[_phrase(t) for t in patients]))
    return out
