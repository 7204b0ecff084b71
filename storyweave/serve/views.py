"""Pure functions from the shared models to what the pages and the API show.

Every piece of article text that reaches HTML here goes through `markupsafe.escape`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise
from typing import Protocol

from markupsafe import Markup, escape
from pydantic import BaseModel, Field

from ..model import Article, Reading, Story


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
    """A story as listed: newest first, with its outlets and how many articles it holds."""

    id: str
    title: str | None
    articles: int
    outlets: list[str] = Field(default_factory=list)
    first_published: str | None = None
    last_published: str | None = None
    article_titles: list[str] = Field(default_factory=list)


def story_rows(stories: Sequence[Story], articles: Sequence[Headed]) -> list[StoryRow]:
    """Stories newest first (by latest publication date; undated stories last, by id)."""
    by_id = {a.id: a for a in articles}
    rows = []
    for story in stories:
        members = [by_id[i] for i in story.article_ids if i in by_id]
        dates = sorted(a.published for a in members if a.published)
        outlets = story.outlets or sorted({a.outlet for a in members if a.outlet})
        rows.append(StoryRow(
            id=story.id,
            title=story.title or next((a.title for a in members if a.title), None),
            articles=len(story.article_ids),
            outlets=outlets,
            first_published=story.first_published or (dates[0] if dates else None),
            last_published=story.last_published or (dates[-1] if dates else None),
            article_titles=[a.title for a in members if a.title],
        ))
    rows.sort(key=lambda r: r.id)
    rows.sort(key=lambda r: r.last_published or "", reverse=True)
    return rows


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


def search_articles(articles: Sequence[Headed], query: str) -> list[Headed]:
    words = query.casefold().split()
    if not words:
        return []
    return [a for a in articles if a.title and all(w in a.title.casefold() for w in words)]


def highlight_body(body: str, reading: Reading | None) -> Markup:
    """The body as escaped HTML, quotes and entities wrapped in spans.

    Quotes and entities may overlap (a name inside a quote), so the body is cut at every span
    boundary and each piece carries the classes of every span covering it: always well nested.
    """
    if reading is None:
        return escape(body)
    spans: list[tuple[int, int, str, str]] = []  # start, end, css class, tooltip
    for q in reading.quotes:
        tip = f"{q.kind} quote" + (f" — {q.speaker}" if q.speaker else "") + (f" ({q.cue})" if q.cue else "")
        spans.append((q.start, q.end, f"quote quote-{q.kind}", tip))
    for ent in reading.entities:
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
    for start, end in pairwise(cuts):  # one sweep: linear in cuts, not cuts x spans
        active.difference_update(closing.get(start, ()))
        active.update(opening.get(start, ()))
        covering = [(spans[i][2], spans[i][3]) for i in sorted(active)]
        piece = escape(body[start:end])
        if covering:
            classes = " ".join(dict.fromkeys(_css_class(c) for c, _ in covering))
            tips = " · ".join(dict.fromkeys(t for _, t in covering))
            out.append(f'<span class="{escape(classes)}" title="{escape(tips)}">{piece}</span>')
        else:
            out.append(str(piece))
    return Markup("".join(out))


def _css_class(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9 _-]", "", value)


_STYLE = re.compile(r"<style\b[^>]*>.*?</style\s*>", re.I | re.S)
_BODY = re.compile(r"<body\b[^>]*>(.*?)(?:</body\s*>|\Z)", re.I | re.S)
_HEAD_PARTS = re.compile(
    r"<!doctype[^>]*>|<head\b[^>]*>.*?</head\s*>|<title\b[^>]*>.*?</title\s*>|<meta\b[^>]*>"
    r"|<link\b[^>]*>|</?html\b[^>]*>",
    re.I | re.S,
)


def dossier_fragment(document: str) -> tuple[Markup, Markup]:
    """(style blocks, body content) of a full page from `dossier.render_html`, to embed it.

    The dossier renderer already escapes article text; this only cuts its page open.
    """
    styles = "".join(_STYLE.findall(document))
    found = _BODY.search(document)
    body = found.group(1) if found else _HEAD_PARTS.sub("", _STYLE.sub("", document))
    return Markup(styles), Markup(body)
