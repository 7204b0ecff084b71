"""Where each account comes from: the primary source of each article and how it relates to it.

Rule, in order:
1. An article in a copy group of the story (near-duplicates, found by clustering) that is not the
   group's first article `copies` that first article and inherits its primary source.
2. An article that credits another publication for its main information `cites` it: a credit
   line ("AFP, Tuesday 2 Jul 2013", "WASHINGTON (AP) -"), the publication's own staff on the
   scene ("a Reuters correspondent said"), a credit in the lede (first three sentences) or in a
   sentence stating the headline's news, or its reports credited in two or more sentences (an
   interview given to it, "told the BBC", is not its report). Of several, the most credited
   (first credited breaks ties); two or more credited equally often further down make a
   compilation, the outlet's own. A journalist stands for the publication of the possessive
   ("ABC News' Peter Jennings"); people on a social platform are no publication.
   A publication named once in passing (a quote it obtained, a correction, a link) beside other
   credits, or in an article showing reporting of its own ("told our correspondent"), leaves the
   article its own reporting; a sole credit in an article that retells unnamed reports
   ("reportedly") and shows no reporting of its own is where those reports come from. Its own
   outlet never counts ("told The New Arab").
   A source tag on a reposted passage ("(Fox News article)") is a credit wherever it stands.
3. An article syndicated from another outlet, crediting nobody, `copies` that outlet.
4. Otherwise the article is `own-reporting` and its primary source is its outlet (unknown stays
   unknown: None when the outlet is not known).
Articles whose primary sources fold to the same name share one origin: they are one account.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timezone
from collections.abc import Sequence

from ..model import Article, Provenance, Reading, Story, Support
from ..model.groups import find
from ..model.credits import looks_like_person, publication_mentions
from ..model.media import KNOWN_MEDIA, SOCIAL_PLATFORMS, TITLE_LAST_WORDS, WIRE_SERVICES
from ._text import clip, content_terms, fold_name, normalise, same_by_abbreviation

MAX_EVIDENCE = 4
MAX_SHARED = 6
LEDE_SENTENCES = 3  # a credit this early is for the story's central facts
MIN_CREDITS = 2  # sentences crediting one publication's report that make it the article's source
_INTERVIEW_CUES = frozenset({"told", "tells", "tell", "telling"})  # an interview given, not a report
HEADLINE_SHARE = 0.5  # of the headline's content words in a credited sentence: it states the news
HEADLINE_MIN_WORDS = 3

# A credit line's shape: an agency's initials, a comma and a date ("AFP, Tuesday 2 Jul 2013"),
# or a dateline with the credit in brackets ("WASHINGTON (AP) -"); a place ("ROME, Nov 11") is a
# dateline, not a credit; or the name of a wire service and a date ("Reuters Sep 18, 2013").
_CREDIT_LINE = re.compile(
    r"^\s*(?:[A-Z][A-Z .,'-]*\s)?\((?P<paren>[A-Z][\w.&' -]{0,40})\)\s*[-\u2013\u2014:]"
    r"|^\s*(?P<name>[A-Z]{2,6})\s*,\s*"
    r"(?i:mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|\d)"
    # a wire service's name and the date opening the text ("Reuters Sep 18, 2013, 02.16PM IST")
    r"|^\s*(?P<wire>" + "|".join(sorted({form for w in WIRE_SERVICES for form in (w.upper(), w.title())}, key=len, reverse=True))
    + r")\s*[,:-]?\s+(?i:(?:mon|tue|wed|thu|fri|sat|sun)\w*,?\s+)?"
    r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.?\s+\d",
)
# A blog's credit heading: the publication, a colon, its headline ("Herald: Sox Make Offer To X").
_CREDIT_HEADING = re.compile(r"^\s*(?P<name>(?:[Tt]he\s+)?[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,3})\s*:(?:\s+[A-Z\"'\u201c]|\s*$)")
# A reposted passage's source tag, anywhere in the text: "(Fox News article)", "(Source: Reuters)".
_SOURCE_TAG = re.compile(
    r"\((?:(?i:source|via)\s*:?\s*(?P<tagged>[A-Z][\w.&' -]{0,40}?)"
    r"|(?P<tag>[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,3})\s+(?i:article|report|story))\s*\)"
)
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
# Signs of the article's own reporting: its own staff talked to the people quoted.
_OWN_STAFF = re.compile(r"\b(?:our|this newspaper's|this paper's)\s+(?:own\s+)?(?:correspondent|reporter|journalist)s?\b", re.IGNORECASE)
# Someone told a named outlet: "told The New Arab", "told Enough", "confirmed her death to the AP".
# "Speaking to IRNA, they said", "in a statement to Al-Masry Al-Youm, X said": the same account
# given (_ACCOUNT_TO marks these: their speaker's cue is "said", not "told").
_ACCOUNT_TO = r"[Ss]peaking\s+to|[Ss]poke\s+to|(?:[Ii]n\s+)?an?\s+(?:statement|interview)\s+(?:released\s+|given\s+)?(?:to|with)"
_TOLD = re.compile(r"\b(?:told|(?:confirmed|confirms)(?:\s+(?:his|her|their|its|the)\s+[a-z]+)?\s+to|(?P<account>" + _ACCOUNT_TO + r"))"
                   r"\s+(?:[Tt]he\s+)?(?P<name>[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,3})")
# Second-hand telling: the article passes on reports it does not name.
_HEARSAY = re.compile(r"\b(?:reportedly|according to (?:media )?reports|reports (?:say|said|have it)|"
                      r"it (?:was|has been) reported)\b", re.IGNORECASE)
# The publication's own staff on the scene: "an AFP journalist", "the Reuters correspondent".
# ("witness", "team" and "crew" also follow courts, police units and charities: "a Defense
# witness", "the SWAT team".)
_STAFF = re.compile(
    r"\b(?:[Aa]n?|[Tt]he)\s+(?P<name>[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,3})\s+"
    r"(?:journalist|correspondent|reporter|photographer|cameraman)s?\b"
)


def _sentence_at(reading: Reading | None, article: Article, start: int, end: int) -> Support:
    s = reading.sentence_at(start) if reading is not None else None
    if s is not None:
        return Support(article_id=article.id, sentence=clip(s.text), start=s.start, end=s.end)
    return Support(article_id=article.id, sentence=clip(article.body[start:end]), start=start, end=end)


def _credits(
    article: Article, reading: Reading | None,
) -> tuple[list[str], Counter[str], dict[str, list[Support]], dict[str, set[int]]]:
    """Publications the article credits: display names in first-credit order, counts, evidence,
    and the starts of the evidence sentences that credit a publication only with an interview
    given to it ("told the BBC"), not with its report."""
    own = {fold_name(article.outlet)} if article.outlet else set()
    order: list[str] = []
    display: dict[str, str] = {}
    counts: Counter[str] = Counter()
    evidence: dict[str, list[Support]] = {}
    found: list[tuple[int, str, int, int, bool]] = []  # position, name, span, an interview given
    if reading is not None:
        for att in reading.attributions:
            if att.is_publication and att.named:  # "the publication", "the channel" name nobody
                name = _publication_of(att.source, article.body, att.start, att.end)
                if name:
                    found.append((att.start, name, att.start, att.end, att.cue.lower() in _INTERVIEW_CUES))
    # The clean stage's citations carry no position: its credit finder places every report
    # credited to each ("according to Bloomberg" in six sentences is six credits, not one). An
    # interview given to a publication ("told the BBC") is placed once, as before: quotes given
    # to another outlet are not its report (_told_main_speaker weighs those).
    mentions = publication_mentions(article.body) if article.cites else []
    for name in article.cites:
        spans = [(start, end) for found_name, start, end, kind in mentions
                 if kind == "credit" and fold_name(found_name) == fold_name(name)]
        for start, end in spans:
            found.append((start, name, start, end, False))
        if not spans:  # placed where the text names it
            pos = _find_name(article.body, name)
            found.append((pos if pos >= 0 else len(article.body), name, -1, -1, False))
    resolve = _name_resolver([fold_name(n) for _, n, *_ in found], [fold_name(c) for c in article.cites])
    reported: dict[str, set[int]] = {}  # sentence starts crediting a report of the publication
    interviewed: dict[str, set[int]] = {}
    # "in British television": a nationality before a medium is nobody's name
    peoples = {fold_name(e.text) for e in reading.entities if e.label == "NORP"} if reading is not None else set()
    for _pos, name, start, end, interview in sorted(found, key=lambda t: t[0]):
        key = resolve.get(fold_name(name), "")
        if not key or key in own or key in peoples or _is_self(name, article.outlet):
            continue
        if key not in display and fold_name(name) == key:
            display[key] = normalise(name)
        if key not in order:
            order.append(key)
        counts[key] += 1
        if start >= 0 and len(evidence.setdefault(key, [])) < MAX_EVIDENCE:
            sup = _sentence_at(reading, article, start, end)
            (interviewed if interview else reported).setdefault(key, set()).add(sup.start)
            if all(e.start != sup.start for e in evidence[key]):
                evidence[key].append(sup)
    for key in order:
        if key not in display:  # only over-long spans name it: cut the name out of one
            name = next(normalise(n) for _, n, *_ in found if resolve.get(fold_name(n)) == key)
            at = name.lower().find(key)
            display[key] = name[at : at + len(key)] if at >= 0 else name
    for cited_name in article.cites:  # the clean stage's spelling is the display name when it has one
        cited_key = resolve.get(fold_name(cited_name))
        if cited_key and cited_key in display and cited_key == fold_name(cited_name):
            display[cited_key] = normalise(cited_name)
    for key in order:
        if not evidence.get(key):
            # No attribution span: show the first sentence naming the publication, if any.
            idx = _find_name(article.body, key)
            if idx >= 0 and reading is not None:
                evidence[key] = [_sentence_at(reading, article, idx, idx + len(key))]
    interviews_only = {k: starts - reported.get(k, set()) for k, starts in interviewed.items()}
    return [display[k] for k in order], counts, evidence, interviews_only


# A publication's possessive before its staff member's name: "ABC News' Peter Jennings".
_POSSESSOR = re.compile(r"(?P<name>(?:[Tt]he\s+)?[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,3})(?:'s?|\u2019s?)\s+$")


def _publication_of(source: str, body: str, start: int, end: int) -> str | None:
    """The publication a parsed publication credit names, or None when it names none: a
    journalist of a publication stands for it ("told ABC News' Peter Jennings" credits ABC News),
    a person alone or people on a social platform ("Brooklynites on Twitter reported") for none."""
    if {w.lower() for w in re.findall(r"\w+", source)} & SOCIAL_PLATFORMS:
        return None
    source = _without_common_nouns(source)
    if not looks_like_person(source):
        return source
    at = body.find(source, start, max(end, start + len(source)))
    m = _POSSESSOR.search(body[max(0, at - 60) : at]) if at >= 0 else None
    return m.group("name") if m and _names_publication(m.group("name")) else None


def _without_common_nouns(name: str) -> str:
    """A parsed span's name without the common nouns after it: "Al-Masry Al-Youm news paper"."""
    return re.sub(r"(?:\s+[a-z][\w-]*)+$", "", name) or name


def _find_name(body: str, name: str) -> int:
    """Where the body names `name` (any case, any spacing), as an offset into the body; -1 if nowhere.
    (Offsets into a normalised copy would drift wherever it collapsed blank lines.)"""
    words = normalise(name).split()
    m = re.search(r"\s+".join(map(re.escape, words)), body, re.IGNORECASE) if words else None
    return m.start() if m else -1


def _outlet_label(outlet: str) -> str:
    """The name part of an outlet's web address: "enoughproject" for www.enoughproject.org."""
    return re.sub(r"^(?:www\d?|m|edition|news|articles)\.", "", outlet.lower()).split(".")[0]


def _is_self(name: str, outlet: str | None) -> bool:
    """The article's own outlet, written as a name or as its web domain ("CNN", "cnn.com"), or by
    the short name its web address ends with ("the Daily News" for nydailynews.com, "The Post"
    for nypost.com: "sources told the Daily News" is the article's own interview)."""
    if not outlet:
        return False
    squash = lambda t: re.sub(r"[^a-z0-9]", "", fold_name(t))  # noqa: E731
    label = re.sub(r"[^a-z0-9]", "", _outlet_label(outlet))
    word = squash(name)
    if word in {squash(outlet), label}:
        return True
    # a short prefix is a place or a paper's initials ("ny", "la"); a long word is a title alone
    return len(word) >= 4 and label.endswith(word) and (len(label) - len(word) <= 3 or len(word) >= 7)


def _shows_own_reporting(article: Article) -> bool:
    """The article's own staff talked to the people quoted: "told our correspondent", or someone
    told the outlet itself ("Sources on the ground told Enough", for enoughproject.org)."""
    if _OWN_STAFF.search(article.body):
        return True
    return any(_is_self(m.group("name"), article.outlet) or _outlet_short_name(m.group("name"), article.outlet)
               for m in _TOLD.finditer(article.body))


def _outlet_short_name(name: str, outlet: str | None) -> bool:
    """A name the outlet's web address starts with, a word long ("Enough" for enoughproject.org)."""
    if not outlet:
        return False
    word = re.sub(r"[^a-z0-9]", "", fold_name(name))
    label = _outlet_label(outlet)
    return len(word) >= 5 and label.startswith(word) and word != label


def _relayed(
    article: Article, reading: Reading | None, cited: list[str], evidence: dict[str, list[Support]],
    interviews: dict[str, set[int]] | None = None,
) -> list[str]:
    """The credited publications the article takes its main information from (rule 2), plus
    those only a credit line or a staff witness names. Sentences crediting only an interview
    given to a publication ("told the BBC", in `interviews`) are not counted as its reports."""
    sentences = reading.sentences if reading is not None else []
    index_of = {s.start: i for i, s in enumerate(sentences)}
    out = []
    by_count: dict[str, int] = {}  # relayed only for being credited in several sentences
    credited: dict[str, int] = {}  # sentences crediting each publication, interviews too
    for name in cited:
        if _is_self(name, article.outlet):
            continue
        shown = evidence.get(fold_name(name), [])
        where = {index_of.get(e.start, len(sentences)) for e in shown}
        interviewed = (interviews or {}).get(fold_name(name), set())
        reports = {index_of.get(e.start, len(sentences)) for e in shown if e.start not in interviewed}
        credited[name] = len(where)
        if min(where, default=len(sentences)) < LEDE_SENTENCES or _restates_headline(article.title, shown):
            out.append(name)
        elif len(reports) >= MIN_CREDITS:
            out.append(name)
            by_count[name] = len(reports)
    passing = [n for n in cited if not _is_self(n, article.outlet)]
    own_reporting = _shows_own_reporting(article)
    if not out and len(passing) == 1 and _HEARSAY.search(article.body) and not own_reporting:
        out = passing  # the only publication named by an article retelling reports
    if not own_reporting:
        # "the clerk told The Associated Press" of the article's main speaker: the interview the
        # article is built on is the agency's, and so is the report (a passing quote given to a
        # wire in an article quoting others more is only cited)
        sole = passing[0] if len(passing) == 1 else None
        for wire in _told_main_speaker(article, reading, sole):
            told = next((c for c in cited if fold_name(c) == wire), None)
            if told is not None and wire not in {fold_name(x) for x in out}:
                out.append(told)
    for i, sent in enumerate(sentences):
        m = _CREDIT_LINE.match(sent.text) if i < LEDE_SENTENCES and len(sent.text.split()) <= 8 else None
        places = [
            (e.start, e.end) for e in (reading.entities if reading is not None else [])
            if e.label in _PLACE_LABELS and sent.start <= e.start < sent.end
        ]
        names = []
        if m and m.lastgroup and not any(a <= sent.start + m.start(m.lastgroup) < b for a, b in places):
            names.append(m.group(m.lastgroup))
        heading = _CREDIT_HEADING.match(sent.text) if i < LEDE_SENTENCES and len(sent.text.split()) <= 12 else None
        if heading and _names_publication(heading.group("name")):
            names.append(heading.group("name"))
        # another outlet's journalist on the scene is a passing witness in an article with
        # interviews of its own ("Sources on the ground told Enough")
        names += [] if own_reporting else [x.group("name") for x in _STAFF.finditer(sent.text)]
        names += [x.group("tagged") or x.group("tag") for x in _SOURCE_TAG.finditer(sent.text)]
        for name in names:
            name = normalise(name).strip(" ,.")
            if name and not _is_self(name, article.outlet) and fold_name(name) not in {fold_name(n) for n in out}:
                out.append(name)
                evidence.setdefault(fold_name(name), []).append(
                    Support(article_id=article.id, sentence=clip(sent.text), start=sent.start, end=sent.end))
    if by_count and set(out) == set(by_count):
        # a compilation: two or more publications credited equally often, each for details
        # further down ("the Post says ...", "a witness told the Daily News ..."), none in a
        # credit line or the lede: no one report is its source; the weaving is the outlet's own
        top = max(credited.values())
        if sum(n == top for n in credited.values()) >= 2:
            return []
    return out


def _restates_headline(title: str | None, credited: list[Support]) -> bool:
    """A credited sentence that states the headline's news (most of its words): the credit is
    for the central facts, wherever it stands ("THR is saying that director Gary Ross is still
    in negotiations" under "Director Gary Ross Still In Negotiations For The Sequel")."""
    head = set(content_terms(title or ""))
    if len(head) < HEADLINE_MIN_WORDS:
        return False
    return any(len(head & set(content_terms(s.sentence))) >= HEADLINE_SHARE * len(head) for s in credited)


def _told_main_speaker(article: Article, reading: Reading | None, sole: str | None = None) -> list[str]:
    """Wire services (folded) told something by the speaker the article quotes most (or by the
    one source of an article quoting no one else); also `sole`, the only publication the article
    names, when that speaker gave it the account ("in a statement to Al-Masry Al-Youm")."""
    if reading is None:
        return []
    speakers = Counter(q.speaker for q in reading.quotes if q.speaker)  # as resolved: one name a person
    top = max(speakers.values(), default=0)
    out = []
    for m in _TOLD.finditer(article.body):
        wire = fold_name(m.group("name"))
        if wire not in WIRE_SERVICES and not (sole and wire == fold_name(sole)):
            continue
        # who told it, in this sentence: a quote's speaker, or a source named with the cue
        sent = reading.sentence_at(m.start())
        if sent is None:
            continue
        # "Speaking to IRNA, they said": the account's cue is the speaker's own verb
        cues = None if m.group("account") else ("told", "tells", "confirmed", "confirms")
        tellers = [q.speaker for q in reading.quotes
                   if q.speaker and (cues is None or q.cue in cues) and sent.start <= q.start < sent.end]
        tellers += [a.source for a in reading.attributions
                    if not a.is_publication and (cues is None or a.cue in cues)
                    and sent.start <= a.start < sent.end]
        # an agency's interview is its report whoever gave it; another publication's only when
        # the main source gave it the statement the article carries ("told the BBC he was a fan"
        # is a line from another outlet's interview, not its report)
        if any(speakers[t] == top for t in tellers) and (wire in WIRE_SERVICES or m.group("account")):
            out.append(wire)
    return out


def _names_publication(name: str) -> bool:
    """A name shaped like a publication's: a wire service or broadcaster, or a title word last."""
    folded = fold_name(name)
    return folded in KNOWN_MEDIA or folded.split()[-1] in TITLE_LAST_WORDS


def _name_resolver(keys: list[str], preferred: list[str]) -> dict[str, str]:
    """Map each folded name to the shortest known name it extends on a word boundary: a reader's
    over-long span ("the Wall Street Journal his daughter") joins "wall street journal"."""
    known = sorted(set(preferred) | set(keys), key=len)
    out = {}
    for key in set(keys):
        out[key] = next((k for k in known if k and (key == k or key.startswith(k + " "))), key)
    for key in set(keys):
        # a paper's short name after its full one: "the News" for the Daily News, "the Post"
        # for the New York Post (only when one cited name ends so)
        longer = {out[k] for k in keys if out[k] != key and out[k].endswith(" " + key)}
        if " " not in key and key in TITLE_LAST_WORDS and len(longer) == 1:
            out[key] = longer.pop()
    return out


def _shared_passages(a: Reading | None, b: Reading | None, article_id: str) -> list[Support]:
    """Sentences of `a` that appear verbatim (after normalising) in `b`: the copied text."""
    if a is None or b is None:
        return []
    theirs = {normalise(s.text).lower() for s in b.sentences}
    out = []
    for s in a.sentences:
        if len(s.text.split()) >= 6 and normalise(s.text).lower() in theirs:
            out.append(Support(article_id=article_id, sentence=clip(s.text), start=s.start, end=s.end))
            if len(out) >= MAX_SHARED:
                break
    return out


def trace_provenance(
    story: Story, articles: Sequence[Article], readings: dict[str, Reading]
) -> list[Provenance]:
    """One Provenance per article of the story, in the order given."""
    by_id = {a.id: a for a in articles}
    order = {a.id: i for i, a in enumerate(articles)}
    copy_source: dict[str, str] = {}
    for group in story.copies:
        present = [i for i in group if i in by_id]
        if len(present) < 2:
            continue
        # The first published is the one the others copy; on a tie, one that says it is
        # syndicated is not the original, then the story's own order decides.
        first = min(present, key=lambda i: (by_id[i].published or "9999", by_id[i].syndicated_from is not None, order[i]))
        for i in present:
            # who copied whom needs evidence: a publication date before the copy's, or the copy
            # saying it is syndicated; without it the two are one account (see origin_keys) but
            # neither is said to copy the other
            if i != first and (by_id[i].syndicated_from is not None
                               or _published_before(by_id[first].published, by_id[i].published)):
                copy_source[i] = first
    own: dict[str, Provenance] = {}
    for article in articles:
        reading = readings.get(article.id)
        cited, counts, evidence, interviews = _credits(article, reading)
        prov = Provenance(
            article_id=article.id, outlet=article.outlet, primary_source=None,
            relation="own-reporting", cited=cited, syndicated_from=article.syndicated_from,
        )
        relayed = _relayed(article, reading, cited, evidence, interviews)
        for k, name in enumerate(relayed):  # "AP" is shown as the "Associated Press" it also writes
            full = [c for c in cited if len(c) > len(name) and same_by_abbreviation(name, c)]
            if full:
                counts[fold_name(full[0])] += counts[fold_name(name)]
                evidence.setdefault(fold_name(full[0]), evidence.get(fold_name(name), []))
                relayed[k] = full[0]
        if relayed:
            top = max(relayed, key=lambda name: (counts[fold_name(name)], -relayed.index(name)))
            prov.primary_source = top
            prov.relation = "cites"
            prov.evidence = evidence.get(fold_name(top), [])
        elif article.syndicated_from:
            prov.primary_source = article.syndicated_from
            prov.relation = "copies"
        else:
            prov.primary_source = article.outlet
        own[article.id] = prov
    out = []
    for article in articles:
        prov = own[article.id]
        source_id = copy_source.get(article.id)
        if source_id is not None:
            origin = own[source_id]
            prov = prov.model_copy(update={
                "relation": "copies",
                "primary_source": origin.primary_source,
                "copies_of": [source_id],
                "shared_passages": _shared_passages(readings.get(article.id), readings.get(source_id), article.id),
            })
        out.append(prov)
    return out


def _published_before(first: str | None, other: str | None) -> bool:
    """Both dates known and `first` earlier (by the day, or by the time when both give one)."""
    if not first or not other:
        return False
    a, b = _when(first), _when(other)
    if a is None or b is None:
        return False
    if a.date() != b.date() or ("T" not in first or "T" not in other):
        return a.date() < b.date()
    return a < b


def _when(value: str) -> datetime | None:
    try:
        found = datetime.fromisoformat(value)
    except ValueError:
        return None
    return found.replace(tzinfo=None) if found.tzinfo is None else found.astimezone(timezone.utc).replace(tzinfo=None)


COPY_SHARE = 0.8  # share of an article's sentences found verbatim in another: a copy


def detect_copies(articles: Sequence[Article], readings: dict[str, Reading]) -> list[list[str]]:
    """Groups of articles that are copies of each other (most sentences verbatim in the other),
    for stories whose clustering did not say: independence must never count a copy twice."""
    sentence_sets: dict[str, set[str]] = {}
    for a in articles:
        r = readings.get(a.id)
        if r is not None:
            texts = {normalise(s.text).lower() for s in r.sentences if len(s.text.split()) >= 6}
            if texts:
                sentence_sets[a.id] = texts
    parent: dict[str, str] = {}  # union-find over article ids

    ids = list(sentence_sets)
    for i, first in enumerate(ids):
        for second in ids[i + 1 :]:
            shared = len(sentence_sets[first] & sentence_sets[second])
            if shared and shared >= COPY_SHARE * min(len(sentence_sets[first]), len(sentence_sets[second])):
                parent[find(parent, first)] = find(parent, second)
    groups: dict[str, list[str]] = {}
    for aid in ids:
        groups.setdefault(find(parent, aid), []).append(aid)
    return [g for g in groups.values() if len(g) > 1]


def merge_copies(declared: Sequence[Sequence[str]], found: Sequence[Sequence[str]]) -> list[list[str]]:
    """Union of the clusterer's copy groups and the ones found here (overlapping groups join)."""
    merged: list[set[str]] = []
    for group in [*declared, *found]:
        g = set(group)
        overlapping = [m for m in merged if m & g]
        for m in overlapping:
            g |= m
            merged.remove(m)
        merged.append(g)
    return [sorted(g) for g in merged if len(g) > 1]


def origin_keys(provenance: dict[str, Provenance], copies: Sequence[Sequence[str]]) -> dict[str, str]:
    """Article id -> the account it carries: its origin_key, with every copy group one account
    (near-identical texts are never two independent sources, whoever copied whom)."""
    keys = {aid: origin_key(prov) for aid, prov in provenance.items()}
    for group in copies:
        members = [a for a in group if a in keys]
        if len(members) < 2:
            continue
        merged = {keys[a] for a in members}
        target = min(merged)
        for aid, key in keys.items():
            if key in merged:
                keys[aid] = target
    return keys


def origin_key(prov: Provenance) -> str:
    """Identity of the account behind an article: its folded primary source, else the article."""
    if prov.copies_of and not prov.primary_source:
        return "article:" + prov.copies_of[0]
    return fold_name(prov.primary_source) if prov.primary_source else "article:" + prov.article_id
