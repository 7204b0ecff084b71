"""Article -> Reading: the orchestration. One spaCy pass over each body (lemmatizer off), then
rule layers over the parsed doc; title and captions are parsed only for framing counts."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from spacy.tokens import Doc

from ..model import Article, Attribution, Entity, Person, Quote, Reading, Role, Sentence
from .model import load_pipeline
from .names import PersonRecord, entity_key, find_people
from .quotespans import find_quote_spans
from .speech import FoundQuote, SpeechReader
from .textnorm import plain

READER_VERSION = "nlp-1"
MAX_BODY_CHARS = 200_000  # article text is untrusted: longer bodies are read up to this bound
BATCH_SIZE = 16


def _sentences(doc: Doc) -> list[Sentence]:
    out = []
    for sent in doc.sents:
        text = sent.text.strip()
        if not text:
            continue
        start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
        out.append(Sentence(text=text, start=start, end=start + len(text)))
    return out


def _entities(doc: Doc, body: str, people: list[PersonRecord]) -> list[Entity]:
    person_spans = [(m.start, m.end, p) for p in people for m in p.mentions]
    out: list[Entity] = []
    for ent in doc.ents:
        text = ent.text.strip()
        if not text or ent.label_ == "PERSON":
            continue
        start = ent.start_char + (len(ent.text) - len(ent.text.lstrip()))
        end = start + len(text)
        if "\n" in text:  # a name never crosses a line
            text = text.split("\n", 1)[0].rstrip()
            end = start + len(text)
        if any(s < end and start < e for s, e, _ in person_spans):
            continue  # the person layer has the better reading of this span
        out.append(Entity(text=body[start:end], label=ent.label_, start=start, end=end, key=entity_key(text, ent.label_)))
    for s, e, p in person_spans:
        out.append(Entity(text=body[s:e], label="PERSON", start=s, end=e, key=p.key))
    out.sort(key=lambda x: x.start)
    return out


def _people(people: list[PersonRecord], body: str) -> list[Person]:
    return [
        Person(
            name=p.name,
            key=p.key,
            roles=[Role(text=body[s:e], start=s, end=e) for _, s, e in p.roles],
            mentions=[(m.start, m.end) for m in p.mentions],
        )
        for p in people
    ]


def _quote(found: FoundQuote) -> Quote:
    sp = found.speaker
    return Quote(
        speaker=sp.text if sp else None, speaker_key=sp.key if sp else None, text=found.text,
        kind=found.kind, cue=found.cue, start=found.start, end=found.end,
    )


def read_doc(article: Article, doc: Doc) -> Reading:
    """Everything read from one parsed body."""
    body = article.body[:MAX_BODY_CHARS]
    people = find_people(doc)
    speech = SpeechReader(doc, body, people, find_quote_spans(body))
    quotes = [_quote(q) for q in speech.direct_quotes() + speech.indirect_quotes()]
    quotes.sort(key=lambda q: q.start)
    attributions = [
        Attribution(source=a.source, cue=a.cue, named=a.named, is_publication=a.is_publication, start=a.start, end=a.end)
        for a in speech.attributions()
        if not (a.is_publication and article.outlet and entity_key(a.source, "ORG") == entity_key(article.outlet, "ORG"))
    ]
    return Reading(
        article_id=article.id,
        sentences=_sentences(doc),
        entities=_entities(doc, body, people),
        people=_people(people, body),
        quotes=quotes,
        attributions=attributions,
        reader_version=READER_VERSION,
    )


def _texts(articles: Sequence[Article]) -> Iterator[str]:
    for art in articles:
        yield plain(art.body[:MAX_BODY_CHARS])


def read_articles(articles: Sequence[Article]) -> list[Reading]:
    """Read each article into anchored facts; offsets are into `Article.body`."""
    nlp = load_pipeline()
    docs = nlp.pipe(_texts(articles), batch_size=BATCH_SIZE)
    return [read_doc(art, doc) for art, doc in zip(articles, docs, strict=True)]
