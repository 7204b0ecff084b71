"""What the NLP stage reads out of one article. Every item is anchored by [start, end) character
offsets into `Article.body` (and through `Article.offset_map` into the raw input)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

# A quote as written: in quotation marks, or reported speech ("she said that ...").
QuoteKind = Literal["direct", "indirect"]


class Sentence(BaseModel):
    text: str
    start: int
    end: int


class Entity(BaseModel):
    text: str
    label: str  # spaCy label: PERSON, ORG, GPE, NORP, DATE, ...
    start: int
    end: int
    key: str  # cross-document identity, stable under spelling variants and case


class Role(BaseModel):
    text: str  # "National Intelligence Coordinator"
    start: int
    end: int


class Person(BaseModel):
    name: str
    key: str
    roles: list[Role] = Field(default_factory=list)
    mentions: list[tuple[int, int]] = Field(default_factory=list)


class Quote(BaseModel):
    speaker: str | None  # as resolved: a name, or the description as written ("sources")
    speaker_key: str | None  # person key when the speaker resolves to a named person
    text: str
    kind: QuoteKind
    cue: str | None = None  # "said", "told", "according to"
    start: int
    end: int
    # whose account carries the words when it is not the speaker's own ('Reyes said Blake phoned,
    # saying "..."': Blake's words, relayed by Reyes)
    relayed_by: str | None = None
    relayed_by_key: str | None = None


class Quantity(BaseModel):
    value: float
    qualifier: str | None = None  # about, some, at least, more than, up to, several
    of: str | None = None  # what is counted ("militants") or the unit ("US dollars")
    each: bool = False
    text: str
    start: int
    end: int
    value_max: float | None = None  # upper end of a range ("10 to 15")
    verb: str | None = None  # the verb the count belongs to, as written ("dropped" in "five bombs were dropped")


class Attribution(BaseModel):
    source: str  # "The Wall Street Journal", "officials", "sources"
    cue: str  # "said in a Monday report", "told", "according to"
    named: bool = True
    is_publication: bool = False
    start: int
    end: int


class TimeExpression(BaseModel):
    text: str  # "last week", "on June 5"
    start: int
    end: int
    resolved: str | None = None  # ISO 8601 at the precision stated: YYYY-MM-DD, YYYY-MM or YYYY
    verb: str | None = None  # the verb it dates, as written ("convicted" in "convicted in June 1998")


class Argument(BaseModel):
    text: str  # the noun phrase: "the gunman, John Smith"
    start: int
    end: int


class Clause(BaseModel):
    """One verb's doers and undergoers, passives turned round ("Smith was fired by the board":
    the board is the agent, Smith the patient)."""

    verb: str  # as written, with its particle: "fired", "called off"
    lemma: str = ""  # spaCy's lemma, with its particle: "fire", "call off"
    start: int  # the verb's offsets
    end: int
    negated: bool = False
    modal: str = ""  # "will", "would", "to": a plan or a possibility, not a deed
    agents: list[Argument] = Field(default_factory=list)
    patients: list[Argument] = Field(default_factory=list)


class Reading(BaseModel):
    article_id: str
    sentences: list[Sentence] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    quantities: list[Quantity] = Field(default_factory=list)
    attributions: list[Attribution] = Field(default_factory=list)
    times: list[TimeExpression] = Field(default_factory=list)
    clauses: list[Clause] = Field(default_factory=list)
    group_names: dict[str, int] = Field(default_factory=dict)
    member_labels: dict[str, int] = Field(default_factory=dict)
    reader_version: str = ""

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence holding body offset `offset`, or None (a gap, or no sentences read)."""
        return next((s for s in self.sentences if s.start <= offset < s.end), None)
