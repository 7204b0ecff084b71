"""Pure functions from the shared models to what the pages and the API show.

Every piece of article text that reaches HTML here goes through `markupsafe.escape`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise
from typing import Any, Literal, Protocol

from urllib.parse import quote, urlencode

from markupsafe import Markup, escape
from pydantic import BaseModel, Field

from ..dossier import date_key, parse_date
from ..model import Article, Reading, Story
from ..store._search import HIT_CLOSE, HIT_OPEN


class Headed(Protocol):
    """What the story list needs of an article: an Article or an ArticleHead."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str | None: ...
    @property
    def outlet(self) -> str | None: ...
    @property
    def published(self) -> str | None: ...


class ArticleHead(BaseModel):
    """An article without its body: enough to list, order and search stories."""

    id: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None

    @classmethod
    def of(cls, article: Article) -> ArticleHead:
        return cls(id=article.id, title=article.title, outlet=article.outlet, published=article.published)


class StoryRow(BaseModel):
    """A story as listed: newest first, with its outlets, how many articles it holds and, once
    its dossier has been built, its claims by status and its conflicts."""

    id: str
    title: str | None
    articles: int
    outlets: list[str] = Field(default_factory=list)
    first_published: str | None = None
    last_published: str | None = None
    article_titles: list[str] = Field(default_factory=list)
    first_outlet: str | None = Field(default=None, description="the outlet of the earliest dated article")
    article_dates: list[str] = Field(default_factory=list)
    corroborated: int | None = None  # None: the story's dossier has not been built yet
    disputed: int | None = None
    single_source: int | None = None
    conflicts: int | None = None


SORTS = ("newest", "oldest", "articles", "outlets", "conflicts")
StorySort = Literal["newest", "oldest", "articles", "outlets", "conflicts"]


def story_rows(
    stories: Sequence[Story], articles: Sequence[Headed], counts: dict[str, dict[str, int]] | None = None,
) -> list[StoryRow]:
    """Stories newest first (by latest publication date, compared as datetimes; undated stories
    last, by id)."""
    by_id = {a.id: a for a in articles}
    counts = counts or {}
    rows = []
    for story in stories:
        members = [by_id[i] for i in story.article_ids if i in by_id]
        dated = sorted((a for a in members if parse_date(a.published)), key=lambda a: date_key(a.published))
        outlets = story.outlets or sorted({a.outlet for a in members if a.outlet})
        found = counts.get(story.id)
        rows.append(StoryRow(
            id=story.id,
            title=story.title or next((a.title for a in members if a.title), None),
            articles=len(story.article_ids),
            outlets=outlets,
            first_published=story.first_published or (dated[0].published if dated else None),
            last_published=story.last_published or (dated[-1].published if dated else None),
            article_titles=[a.title for a in members if a.title],
            first_outlet=dated[0].outlet if dated else None,
            article_dates=[a.published for a in dated if a.published],
            corroborated=None if found is None else found.get("corroborated", 0),
            disputed=None if found is None else found.get("disputed", 0),
            single_source=None if found is None else found.get("single-source", 0),
            conflicts=None if found is None else found.get("conflicts", 0),
        ))
    return sort_rows(rows, "newest")


def sort_rows(rows: Sequence[StoryRow], sort: str) -> list[StoryRow]:
    ordered = sorted(rows, key=lambda r: r.id)
    undated = [r for r in ordered if parse_date(r.last_published) is None]
    dated = [r for r in ordered if parse_date(r.last_published) is not None]
    if sort == "oldest":
        return sorted(dated, key=lambda r: date_key(r.first_published or r.last_published)) + undated
    newest = sorted(dated, key=lambda r: date_key(r.last_published), reverse=True) + undated
    if sort == "articles":
        return sorted(newest, key=lambda r: -r.articles)
    if sort == "outlets":
        return sorted(newest, key=lambda r: -len(r.outlets))
    if sort == "conflicts":
        return sorted(newest, key=lambda r: -(r.conflicts or 0))
    return newest


def filter_rows(
    rows: Sequence[StoryRow], outlet: str = "", has_conflicts: bool = False, since: str = "", until: str = "",
) -> list[StoryRow]:
    """Stories with an outlet whose name contains `outlet`, with conflicts, and whose coverage
    overlaps [since, until] (ISO dates, compared as dates)."""
    wanted = outlet.casefold().strip()
    lo, hi = parse_date(since[:10]) if since else None, parse_date(until[:10]) if until else None
    kept = []
    for r in rows:
        if wanted and not any(wanted in o.casefold() for o in r.outlets):
            continue
        if has_conflicts and not r.conflicts:
            continue
        first, last = parse_date(r.first_published), parse_date(r.last_published)
        if lo and (last is None or last.date() < lo.date()):
            continue
        if hi and (first is None or first.date() > hi.date()):
            continue
        kept.append(r)
    return kept


def search_rows(rows: Sequence[StoryRow], query: str) -> list[StoryRow]:
    """Stories whose title or any article title contains every word of `query` (any case)."""
    words = query.casefold().split()
    if not words:
        return list(rows)
    hits = []
    for row in rows:
        titles = [t.casefold() for t in [row.title or "", *row.article_titles]]
        if all(any(w in t for t in titles) for w in words):
            hits.append(row)
    return hits


def filter_articles(articles: Sequence[Headed], outlet: str, since: Any, until: Any) -> list[Headed]:
    """Articles whose outlet contains `outlet` and whose publication date (as a date) lies in
    [since, until]; an undated article passes only when no date bound is given."""
    wanted = outlet.casefold().strip()
    kept = []
    for a in articles:
        if wanted and wanted not in (a.outlet or "").casefold():
            continue
        if since or until:
            found = parse_date(a.published)
            if found is None or (since and found.date() < since) or (until and found.date() > until):
                continue
        kept.append(a)
    return kept


def sort_articles(articles: Sequence[Headed], newest: bool) -> list[Headed]:
    dated = sorted((a for a in articles if parse_date(a.published)), key=lambda a: date_key(a.published),
                   reverse=newest)
    return dated + [a for a in articles if not parse_date(a.published)]


def search_articles(articles: Sequence[Headed], query: str) -> list[Headed]:
    words = query.casefold().split()
    if not words:
        return []
    return [a for a in articles if a.title and all(w in a.title.casefold() for w in words)]


def highlight_body(body: str, reading: Reading | None, cited: tuple[int, int] | None = None) -> Markup:
    """The body as escaped HTML, quotes and entities wrapped in spans, and the `cited` range
    (body offsets of a sentence a dossier cites) marked, its first piece with id="cited" so
    that a link ending in #cited scrolls to it.

    Quotes and entities may overlap (a name inside a quote), so the body is cut at every span
    boundary and each piece carries the classes of every span covering it: always well nested.
    """
    if reading is None and cited is None:
        return escape(body)
    spans: list[tuple[int, int, str, str]] = []  # start, end, css class, tooltip
    if cited is not None:
        spans.append((cited[0], cited[1], "cited", "the cited sentence"))
    for q in (reading.quotes if reading else ()):
        tip = f"{q.kind} quote" + (f" — {q.speaker}" if q.speaker else "") + (f" ({q.cue})" if q.cue else "")
        spans.append((q.start, q.end, f"quote quote-{q.kind}", tip))
    for ent in (reading.entities if reading else ()):
        spans.append((ent.start, ent.end, f"ent ent-{ent.label}", ent.label))
    spans = [(s, min(len(body), e), c, t) for s, e, c, t in spans if 0 <= s < min(len(body), e)]
    cuts = sorted({0, len(body), *(s for s, *_ in spans), *(e for _, e, *_ in spans)})
    opening: dict[int, list[int]] = {}
    closing: dict[int, list[int]] = {}
    for index, (span_start, span_end, _, _) in enumerate(spans):
        opening.setdefault(span_start, []).append(index)
        closing.setdefault(span_end, []).append(index)
    active: set[int] = set()
    out: list[str] = []
    anchored = False
    for start, end in pairwise(cuts):  # one sweep: linear in cuts, not cuts x spans
        active.difference_update(closing.get(start, ()))
        active.update(opening.get(start, ()))
        covering = [(spans[i][2], spans[i][3]) for i in sorted(active)]
        piece = escape(body[start:end])
        if covering:
            classes = " ".join(dict.fromkeys(_css_class(c) for c, _ in covering))
            tips = " · ".join(dict.fromkeys(t for _, t in covering))
            anchor = ""
            if not anchored and any(spans[i][2] == "cited" for i in active):
                anchor, anchored = ' id="cited" tabindex="-1"', True
            out.append(f'<span{anchor} class="{escape(classes)}" title="{escape(tips)}">{piece}</span>')
        else:
            out.append(str(piece))
    return Markup("".join(out))


MAX_FIND_CHARS = 500


def cited_range(body: str, start: int | None, end: int | None, find: str | None) -> tuple[int, int] | None:
    """The body range a citation link asks to highlight: its offsets where they fit the body,
    else the first place the given text occurs."""
    if start is not None and end is not None and 0 <= start < end <= len(body):
        return start, end
    wanted = " ".join((find or "").split())[:MAX_FIND_CHARS]
    if wanted:
        at = body.find(wanted)
        if at >= 0:
            return at, at + len(wanted)
    return None


def hit_snippet(snippet: str) -> Markup:
    """A search snippet as HTML: escaped, then the index's match marks made <mark>."""
    return Markup(str(escape(snippet)).replace(HIT_OPEN, "<mark>").replace(HIT_CLOSE, "</mark>"))


def article_href(article_id: str, start: int | None, end: int | None, sentence: str) -> str:
    """The server's link to an article at a cited sentence (highlighted, scrolled to)."""
    path = f"/articles/{quote(article_id, safe='')}"
    if start is not None and end is not None:
        return f"{path}?s={start}&e={end}#cited"
    if sentence:
        return f"{path}?{urlencode({'find': ' '.join(sentence.split())[:MAX_FIND_CHARS]})}#cited"
    return path


def _css_class(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9 _-]", "", value)
