"""Story -> Dossier: claims, conflicts, quotes, provenance, framing, timeline, cited summary."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..compare import (
    Embedder,
    Statement,
    StatementGroup,
    align,
    align_quotes,
    clip,
    detect_copies,
    find_conflicts,
    group_speaker,
    merge_copies,
    normalise,
    origin_keys,
    quote_mentions,
    trace_provenance,
)
from ..model import (
    Article,
    ArticleRef,
    Claim,
    ClaimStatus,
    Dossier,
    Provenance,
    QuoteVariant,
    Reading,
    SpeakerQuotes,
    Story,
    SummarySentence,
    Support,
    TimelineEvent,
)
from ._framing import build_framing, loaded_terms, opinion_cues

SUMMARY_MAX = 5
SUMMARY_MIN_WORDS = 8
SUMMARY_MAX_WORDS = 60
# A sentence opening on a pronoun or in lower case leans on the sentence before it.
def _quotes_closed(text: str) -> bool:
    """Every quote the (normalised) sentence opens it also closes: it is not the middle or end
    of a quote that runs across sentences."""
    return text.count('"') % 2 == 0


_DANGLING_START = re.compile(r"(?i:he|she|they|it|this|that|these|those|his|her|their|its)\b|[a-z]")

RULES = [
    (
        "A claim is a set of sentences from different articles that state the same fact "
        "(aligned by sentence meaning plus shared numbers, names and rare words); an article "
        "contributes at most one sentence, or two adjacent ones."
    ),
    (
        "corroborated: at least two articles from different outlets state it, not counting "
        "copies of one another (near-duplicates, syndication)."
    ),
    (
        "independent_sources: how many distinct primary origins stand behind those articles. "
        "Articles relaying one report (say, all citing the same newspaper) are one account, so a "
        "claim can be corroborated by several outlets yet rest on one independent source; "
        "`origins` names them."
    ),
    (
        "disputed: the aligned sentences disagree on a number, a date or a place (see conflicts). "
        "Differences in a title, a quote's wording or a name's spelling are listed as conflicts "
        "without disputing the fact itself."
    ),
    "single-source: one article (or one set of copies) states it.",
    (
        "Primary source of an article: the first of: the article it copies; the publication it "
        "credits most often; the outlet it is syndicated from; its own outlet (own reporting)."
    ),
]


def _support(st) -> Support:
    return Support(article_id=st.article_id, sentence=clip(st.text), start=st.start, end=st.end)


def _label(article: Article | None, article_id: str) -> str:
    return (article.outlet if article and article.outlet else f"article {article_id}")


def _copy_units(story: Story) -> dict[str, str]:
    """Article id -> id of its copy group (itself when it has no copies)."""
    unit: dict[str, str] = {}
    for group in story.copies:
        if group:
            root = min(group)
            for aid in group:
                unit[aid] = root
    return unit


def _claims(
    story: Story, groups: Sequence[StatementGroup], by_id: dict[str, Article],
    provenance: dict[str, Provenance], disputed: set[int],
) -> list[Claim]:
    units = _copy_units(story)
    accounts = origin_keys(provenance, story.copies)
    order = {aid: i for i, aid in enumerate(story.article_ids)}
    ranked: list[tuple[tuple[int, int, int], Claim]] = []
    for gi, group in enumerate(groups):
        aids = list(dict.fromkeys(group.article_ids))
        if len(aids) == 1 and opinion_cues(group.statements[0].text):
            continue  # one writer's opinion is framing, not a claim of fact
        outlets = list(dict.fromkeys(_label(by_id.get(a), a) for a in aids))
        distinct_units = {units.get(a, a) for a in aids}
        origin_names: dict[str, str] = {}
        for a in aids:
            prov = provenance[a]
            origin_names.setdefault(accounts[a], prov.primary_source or f"article {prov.copies_of[0] if prov.copies_of else a}")
        independent = len(origin_names)
        status: ClaimStatus
        if gi in disputed:
            status = "disputed"
        elif len(distinct_units) >= 2 and len(outlets) >= 2:
            status = "corroborated"
        else:
            status = "single-source"
        note = _claim_note(aids, outlets, distinct_units, list(origin_names.values()), status)
        rep = _representative(group)
        # Key facts first: what most outlets state, then what the articles put earliest (their
        # ledes); what one outlet alone reports is ranked the same way among its kind.
        rank = (-len(outlets), min(st.index for st in group.statements), min(order.get(a, len(order)) for a in aids))
        ranked.append((rank, Claim(
            text=clip(rep.text), support=[_support(st) for st in group.statements],
            independent_sources=independent, status=status, origins=list(origin_names.values()),
            outlets=outlets, note=note,
        )))
    return [c for _, c in sorted(ranked, key=lambda t: t[0])]


def _claim_note(aids: list[str], outlets: list[str], units: set[str], origins: list[str], status: str) -> str:
    parts = [f"{len(aids)} article{'s' if len(aids) != 1 else ''} from {len(outlets)} outlet{'s' if len(outlets) != 1 else ''}"]
    if len(units) < len(aids):
        parts.append(f"{len(aids) - len(units)} of them cop{'ies' if len(aids) - len(units) != 1 else 'y'} of another")
    if len(aids) > 1 and len(origins) == 1:
        parts.append(f"all relay one primary source ({origins[0]}): 1 independent account")
    elif len(origins) > 1:
        parts.append(f"{len(origins)} independent accounts ({', '.join(origins)})")
    if status == "disputed":
        parts.append("the accounts disagree (see conflicts)")
    if len(outlets) == 1:
        parts.append(f"only {outlets[0]} reports this")
    return "; ".join(parts)


def _representative(group: StatementGroup):
    """The statement that best stands for the group: a full sentence of moderate length."""
    def rank(st) -> tuple:
        n = len(st.text.split())
        text = normalise(st.text)
        ends = text.rstrip("\"' )").endswith((".", "!", "?"))
        return (ends, _quotes_closed(text), -abs(n - 25), len(st.numbers) + len(st.entity_keys))
    return max(group.statements, key=rank)


def _quotes(quote_groups) -> list[SpeakerQuotes]:
    by_speaker: dict[str, SpeakerQuotes] = {}
    for group in quote_groups:
        name, key = group_speaker(group)
        ident = key or (name or "unattributed").lower()
        entry = by_speaker.setdefault(ident, SpeakerQuotes(speaker=name or key or "unattributed", speaker_key=key))
        wordings: dict[str, QuoteVariant] = {}
        for m in group:
            v = wordings.setdefault(m.wording, QuoteVariant(text=clip(normalise(m.text), 1000), article_ids=[]))
            v.relayed_by, v.relays = v.relayed_by or m.relayed_by, v.relays or m.relays
            if m.article_id not in v.article_ids:
                v.article_ids.append(m.article_id)
            v.appearances.append(Support(article_id=m.article_id, sentence=m.sentence, start=m.sentence_start, end=m.sentence_end))
        group_no = len({v.group for v in entry.variants})
        for v in wordings.values():
            v.group = group_no
            entry.variants.append(v)
    return sorted(by_speaker.values(), key=lambda s: (-len({a for v in s.variants for a in v.article_ids}), s.speaker))


def _timeline(
    articles: Sequence[Article], readings: dict[str, Reading], groups: Sequence[StatementGroup]
) -> list[TimelineEvent]:
    where: dict[tuple[str, int], int] = {}
    for gi, g in enumerate(groups):
        for st in g.statements:
            where[(st.article_id, st.start)] = gi
    events: dict[tuple[str, object], TimelineEvent] = {}
    for art in articles:
        reading = readings.get(art.id)
        if art.published:
            first = reading.sentences[0] if reading and reading.sentences else None
            ev = events.setdefault((art.published[:10], "published"), TimelineEvent(date=art.published[:10], text="Articles published", support=[]))
            ev.support.append(Support(
                article_id=art.id, sentence=clip(art.title or (first.text if first else "")),
                start=first.start if first else 0, end=first.end if first else 0,
            ))
        if reading is None:
            continue
        for t in reading.times:
            if not t.resolved:
                continue  # unknown stays unknown: an unresolved time gets no date
            sent = reading.sentence_at(t.start)
            if sent is None:
                continue
            group_index = where.get((art.id, sent.start))
            key = (t.resolved, group_index if group_index is not None else (art.id, sent.start))
            if key not in events:
                events[key] = TimelineEvent(date=t.resolved, text=clip(sent.text, 300), support=[])
            ev = events[key]
            if all(s.article_id != art.id or s.start != sent.start for s in ev.support):
                ev.support.append(Support(article_id=art.id, sentence=clip(sent.text), start=sent.start, end=sent.end))
    return sorted(events.values(), key=lambda e: (e.date, e.text != "Articles published", e.text))


def _summary(groups: Sequence[StatementGroup], articles: Sequence[Article], neutral: bool = True) -> list[SummarySentence]:
    """Source sentences only: the most widely reported facts, then the leads. With `neutral`,
    sentences carrying loaded language are left to the framing section (retried without when
    nothing else is left)."""
    order = {a.id: i for i, a in enumerate(articles)}

    def usable(text: str) -> bool:
        n = len(text.split())
        t = normalise(text)
        return (
            SUMMARY_MIN_WORDS <= n <= SUMMARY_MAX_WORDS
            and t.rstrip("\"' )").endswith((".", "!", "?"))
            and not t.startswith(("\"", "'", "-"))  # a quote fragment needs its frame to be read
            and not _DANGLING_START.match(t)  # "He said ...": whose words, the reader cannot tell
            and _quotes_closed(t)  # not a quote opened or closed in another sentence
            and not opinion_cues(text)
            and not (neutral and loaded_terms(text))
        )

    candidates = []
    for g in groups:
        arts = set(g.article_ids)
        rep = _best_usable(g, usable)
        if rep is None:
            continue
        first = min((order.get(s.article_id, 0), s.index) for s in g.statements)
        candidates.append((len(arts), first, g, rep))
    # Most widely reported first; ties go to what the articles say earliest (their leads).
    multi = sorted((c for c in candidates if c[0] >= 2), key=lambda c: (-c[0], c[1]))
    single = sorted((c for c in candidates if c[0] == 1), key=lambda c: (c[1][1], c[1][0]))
    chosen = multi[:SUMMARY_MAX]
    for c in single:
        if len(chosen) >= min(3, SUMMARY_MAX):
            break
        chosen.append(c)
    out = []
    seen: set[str] = set()
    for _, _, g, rep in chosen:
        text = normalise(rep.text)
        if text.lower() in seen:
            continue
        seen.add(text.lower())
        aids = sorted(set(g.article_ids), key=lambda a: order.get(a, 0))
        out.append(SummarySentence(text=clip(rep.text), article_ids=aids, support=[_support(s) for s in g.statements]))
    if not out and neutral:
        return _summary(groups, articles, neutral=False)
    return out


def _best_usable(group: StatementGroup, usable: Callable[[str], bool]) -> Statement | None:
    good = [s for s in group.statements if usable(s.text)]
    if not good:
        return None
    return min(good, key=lambda s: abs(len(s.text.split()) - 25))


def build_dossier(
    story: Story,
    articles: Sequence[Article],
    readings: dict[str, Reading],
    embedder: Embedder | None = None,
) -> Dossier:
    """Everything known about one story, each statement pointing at its source sentences.

    Pure: reads only its arguments (the embedding model is loaded once, offline). Articles
    without a reading contribute provenance and timeline entries but no statements.
    """
    if embedder is None:
        from ..embeddings import embed

        embedder = embed
    wanted = set(story.article_ids)  # articles given beyond the story are not part of it
    arts = [a for a in articles if a.id in wanted]
    by_id = {a.id: a for a in arts}
    alignment = align(arts, readings, embedder=embedder)
    groups = alignment.groups
    mentions = [m for a in arts if a.id in readings for m in quote_mentions(a, readings[a.id])]
    quote_groups = align_quotes(mentions)
    # The conflict checks' cosine bars were set on MiniLM: they take the accurate model where there is one.
    report = find_conflicts(groups, arts, readings, quote_groups, embedder=getattr(embedder, "accurate", embedder),
                            links=alignment.links)
    # Copies the clusterer did not report still must not count as independent accounts.
    # (The dossier's `story` stays the clusterer's; provenance shows the copies found here.)
    working = story.model_copy(update={"copies": merge_copies(story.copies, detect_copies(arts, readings))})
    provenance = trace_provenance(working, arts, readings)
    prov_by_id = {p.article_id: p for p in provenance}
    return Dossier(
        story=story,
        articles=[ArticleRef(id=a.id, outlet=a.outlet, title=a.title, published=a.published, url=a.url) for a in arts],
        rules=list(RULES),
        claims=_claims(working, groups, by_id, prov_by_id, report.disputed_groups),
        conflicts=report.conflicts,
        close_calls=report.close_calls,
        quotes=_quotes(quote_groups),
        provenance=provenance,
        framing=build_framing(arts, readings),
        timeline=_timeline(arts, readings, groups),
        summary=_summary(groups, arts),
    )
