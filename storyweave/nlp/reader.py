"""Article -> Reading: the orchestration. One spaCy pass over each body (lemmatizer off), then
rule layers over the parsed doc; title and captions are parsed only for framing counts."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from spacy.tokens import Doc

from ..model.lexicon import published_date
from ..model import (
    Argument,
    Article,
    Attribution,
    Clause,
    Entity,
    Person,
    Quantity,
    Quote,
    Reading,
    Role,
    Sentence,
    TimeExpression,
)
from .clauses import find_clauses
from .framing import group_names, member_labels
from .model import load_pipeline, one_blas_thread
from .names import PersonRecord, entity_key, find_people, fold, has_given_name
from .quantities import find_quantities, governing_verb
from .quotespans import find_quote_spans
from .speech import FoundQuote, SpeechReader
from .textnorm import plain
from .times import resolve

log = logging.getLogger(__name__)

READER_VERSION = "nlp-26"
MAX_BODY_CHARS = 200_000  # article text is untrusted: longer bodies are read up to this bound
MAX_EXTRA_CHARS = 2_000  # per title or caption
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
    sp, relay = found.speaker, found.relayed_by
    return Quote(
        speaker=sp.text if sp else None, speaker_key=sp.key if sp else None, text=found.text,
        kind=found.kind, cue=found.cue, start=found.start, end=found.end,
        relayed_by=relay.text if relay else None, relayed_by_key=relay.key if relay else None,
    )


def _times(doc: Doc, body: str, published: str | None) -> list[TimeExpression]:
    pub = published_date(published)
    out = []
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        text = ent.text.strip()
        if not text:
            continue
        start = ent.start_char + (len(ent.text) - len(ent.text.lstrip()))
        # the verb it dates ("convicted in June 1998", "returned to prison in June 1999"): which happening
        out.append(TimeExpression(text=body[start:start + len(text)], start=start, end=start + len(text),
                                  resolved=resolve(text, pub), verb=governing_verb(ent.root)))
    return out


def _name_tokens(people: list[PersonRecord]) -> set[int]:
    return {i for p in people for m in p.mentions for i in range(m.first_token, m.last_token + 1)}


def read_doc(article: Article, doc: Doc, extra_docs: Sequence[Doc] = ()) -> Reading:
    """Everything read from one parsed body; `extra_docs` (title, captions) feed framing only."""
    body = article.body[:MAX_BODY_CHARS]
    people = find_people(doc)
    speech = SpeechReader(doc, body, people, find_quote_spans(body))
    found_quotes = speech.direct_quotes() + speech.indirect_quotes()
    found_attributions = speech.attributions()
    speech.resolve_publications(found_quotes, found_attributions)
    quotes = sorted((_quote(q) for q in found_quotes), key=lambda q: q.start)
    attributions = [
        Attribution(source=a.source, cue=a.cue, named=a.named, is_publication=a.is_publication, start=a.start, end=a.end)
        for a in found_attributions
        if not (a.is_publication and article.outlet and entity_key(a.source, "ORG") == entity_key(article.outlet, "ORG"))
    ]
    quantities = [
        Quantity(value=q.value, value_max=q.value_max, qualifier=q.qualifier, of=q.of, each=q.each,
                 text=body[q.start:q.end], start=q.start, end=q.end, verb=q.verb)
        for q in find_quantities(doc)
    ]
    publications = {entity_key(a.source, "ORG").split(":", 1)[1] for a in attributions if a.is_publication}
    framing_docs = [doc, *extra_docs]
    framing_texts = [d.text for d in framing_docs]
    # full names and surnames of people named in full ('Phil Stirling' -> 'stirling')
    person_words = {fold(w) for p in people if has_given_name(p.name) for w in (p.name, p.name.split()[-1])}
    groups, group_terms = group_names(framing_docs, framing_texts, publications, person_words)
    return Reading(
        article_id=article.id,
        sentences=_sentences(doc),
        entities=_entities(doc, body, people),
        people=_people(people, body),
        quotes=quotes,
        attributions=attributions,
        quantities=quantities,
        times=_times(doc, body, article.published),
        clauses=[Clause(verb=" ".join(filter(None, (c.verb.text, c.particle))), lemma=c.lemma, start=c.verb.idx,
                        end=c.verb.idx + len(c.verb.text), negated=c.negated, modal=c.modal,
                        agents=[Argument(text=t, start=s, end=e) for t, s, e in c.agents],
                        patients=[Argument(text=t, start=s, end=e) for t, s, e in c.patients])
                 for c in find_clauses(doc)],
        group_names=groups,
        member_labels=member_labels(framing_docs, group_terms, [_name_tokens(people)]),
        reader_version=READER_VERSION,
    )


def _extras(article: Article) -> list[str]:
    """Title and captions: short texts read for how the article names things."""
    texts = [article.title] if article.title and not article.title_derived else []
    texts += article.captions
    return [plain(t[:MAX_EXTRA_CHARS]) for t in texts if t and t.strip()]


def _is_english(article: Article) -> bool:
    return not article.language or article.language.lower().startswith("en")


def _plain_sentences(body: str) -> list[Sentence]:
    """Sentences by punctuation and line breaks: all we say about text the model cannot read."""
    return [
        Sentence(text=m.group().strip(), start=m.start() + (len(m.group()) - len(m.group().lstrip())),
                 end=m.start() + len(m.group().rstrip()))
        for m in re.finditer(r"[^\n.!?]+(?:[.!?]+|$)", body, flags=re.MULTILINE)
        if m.group().strip()
    ]


def _unread(article: Article, why: str) -> Reading:
    log.info("nlp: article %s (%s) gets sentences only: %s", article.id, article.source, why)
    return Reading(article_id=article.id, sentences=_plain_sentences(article.body[:MAX_BODY_CHARS]),
                   reader_version=READER_VERSION)


def _same_input(article: Article) -> tuple:
    """Everything the reading depends on: equal keys read equally (syndicated copies)."""
    return (article.body, article.title, article.title_derived, tuple(article.captions), article.published, article.outlet)


def read_articles(articles: Sequence[Article]) -> list[Reading]:
    """Read each article into anchored facts; offsets are into `Article.body`.

    Staged so each article pays only for what is used: empty and non-English bodies skip the
    model (the English model cannot read them), an identical input (a syndicated copy in the same
    batch) is read once, titles and captions skip the parser (framing counts need only tags), and
    the lemmatizer never runs. A failure on one article is logged and yields a reading marked
    failed (another version, so the pipeline retries it); it never stops the batch."""
    nlp = load_pipeline()
    readings: list[Reading | None] = [None] * len(articles)
    first_of: dict[tuple, int] = {}
    copies: dict[int, int] = {}
    todo: list[int] = []
    for i, art in enumerate(articles):
        if not art.body.strip():
            readings[i] = _unread(art, "empty body")
        elif not _is_english(art):
            readings[i] = _unread(art, f"language {art.language!r} is not English")
        elif (key := _same_input(art)) in first_of:
            copies[i] = first_of[key]
        else:
            first_of[key] = i
            todo.append(i)
    extras = {i: _extras(articles[i]) for i in todo}
    with one_blas_thread():
        with nlp.select_pipes(disable=["parser", "storyweave_line_breaks"]):
            flat = list(nlp.pipe((t for i in todo for t in extras[i]), batch_size=64))
        bodies = list(nlp.pipe((plain(articles[i].body[:MAX_BODY_CHARS]) for i in todo), batch_size=BATCH_SIZE))
    k = 0
    for i, doc in zip(todo, bodies, strict=True):
        n = len(extras[i])
        art = articles[i]
        try:
            readings[i] = read_doc(art, doc, flat[k:k + n])
        except Exception as exc:  # a rule bug must not lose the batch; the reading says it failed
            log.exception("nlp: reading article %s (%s) failed", art.id, art.source)
            readings[i] = Reading(article_id=art.id, sentences=_sentences(doc),
                                  reader_version=f"{READER_VERSION}-failed:{type(exc).__name__}")
        k += n
    for i, j in copies.items():
        original = readings[j]
        assert original is not None  # every first copy was read above
        readings[i] = original.model_copy(update={"article_id": articles[i].id}, deep=True)
    return [r for r in readings if r is not None]
