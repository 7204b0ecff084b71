"""The web UI: server-rendered pages, no scripts, no build step, one self-contained stylesheet."""

from __future__ import annotations

import logging
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import FastAPI, HTTPException, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from .. import dossier as dossier_stage
from ..store import SearchHit, Store
from ..store._search import SEARCH_KINDS
from . import views
from .dossiers import DossierCache
from .heads import ArticleHeads
from .pages import render_page, static_text

log = logging.getLogger("storyweave.serve")

PAGE_SIZE = 100
MAX_QUERY_CHARS = 200


def add_ui_routes(app: FastAPI, store: Store, dossiers: DossierCache, heads: ArticleHeads) -> None:
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(
        q: Annotated[str, Query(max_length=MAX_QUERY_CHARS)] = "",
        offset: Annotated[int, Query(ge=0, le=2**31)] = 0,
        sort: views.StorySort = "newest",
        outlet: Annotated[str, Query(max_length=MAX_QUERY_CHARS)] = "",
        conflicts: bool = False,
        since: Annotated[str, Query(max_length=32)] = "",
        until: Annotated[str, Query(max_length=32)] = "",
    ) -> HTMLResponse:
        articles = heads.get()
        rows = views.story_rows(store.stories(), articles, store.story_counts())
        outlets = sorted({o for r in rows for o in r.outlets})
        shown = views.search_rows(rows, q)
        if outlet or conflicts or since or until:
            shown = views.filter_rows(shown, outlet, conflicts, since, until)
        if sort != "newest":  # story_rows lists them newest first
            shown = views.sort_rows(shown, sort)
        return render_page(
            "index.html",
            q=q, sort=sort, outlet=outlet, conflicts=conflicts, since=since, until=until, sorts=views.SORTS,
            all_outlets=outlets,
            rows=shown[offset : offset + PAGE_SIZE],
            total=len(shown),
            offset=offset,
            page_size=PAGE_SIZE,
            article_hits=views.search_articles(articles, q)[:PAGE_SIZE] if q.strip() else [],
            article_count=len(articles),
            pager_query=urlencode({k: v for k, v in {"q": q, "sort": sort, "outlet": outlet, "since": since,
                                                      "until": until, "conflicts": "1" if conflicts else ""}.items() if v}),
        )

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        q: Annotated[str, Query(max_length=MAX_QUERY_CHARS)] = "",
        kind: Annotated[str, Query(max_length=16)] = "",
        outlet: Annotated[str, Query(max_length=MAX_QUERY_CHARS)] = "",
        since: Annotated[str, Query(max_length=32)] = "",
        until: Annotated[str, Query(max_length=32)] = "",
        offset: Annotated[int, Query(ge=0, le=2**31)] = 0,
    ) -> HTMLResponse:
        total, hits = 0, list[SearchHit]()
        if q.strip():
            total, hits = store.search(q, kinds={kind} if kind in SEARCH_KINDS else None, outlet=outlet or None,
                                       since=since or None, until=until or None, limit=PAGE_SIZE, offset=offset)
        stories = views.search_rows(views.story_rows(store.stories(), heads.get()), q) if q.strip() else []
        titles = {s.id: s.title for s in store.stories()} if any(h.story_id for h in hits) else {}
        return render_page(
            "search.html", q=q, kind=kind, outlet=outlet, since=since, until=until, kinds=SEARCH_KINDS,
            total=total, offset=offset, page_size=PAGE_SIZE, story_titles=titles, stories=stories[:20],
            hits=[(h, views.hit_snippet(h.snippet), _hit_href(h)) for h in hits],
            pager_query=urlencode({k: v for k, v in {"q": q, "kind": kind, "outlet": outlet, "since": since,
                                                      "until": until}.items() if v}),
        )

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str) -> Response:
        story = store.story(story_id)
        if story is None and story_id.endswith(".html"):
            # The dossier stage writes pages as files and links them as "index.html" / "ID.html".
            stem = story_id.removesuffix(".html")
            if stem == "index":
                return RedirectResponse("/", status_code=307)
            if store.story(stem) is not None:
                return RedirectResponse(f"/stories/{quote(stem, safe='')}", status_code=307)
        if story is None:
            raise HTTPException(404, f"no story {story_id!r}")
        members = store.articles(story.article_ids)
        try:
            body = dossiers.rendered(story, lambda built: dossier_stage.render_dossier_body(built, views.article_href))
            dossier_error = None
        except Exception as exc:  # a failing dossier must not take the story's page down with it
            log.exception("dossier for story %s failed", story.id)
            body, dossier_error = Markup(""), f"{type(exc).__name__}: {exc}"
        row = views.story_rows([story], members, store.story_counts())[0]
        return render_page("story.html", story=story, row=row, members=members,
                           dossier_body=body, dossier_error=dossier_error)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(
        article_id: str,
        s: Annotated[int | None, Query(ge=0, le=2**31, description="start of a cited sentence")] = None,
        e: Annotated[int | None, Query(ge=0, le=2**31, description="end of a cited sentence")] = None,
        find: Annotated[str, Query(max_length=2000)] = "",
    ) -> HTMLResponse:
        article = store.article(article_id)
        if article is None:
            raise HTTPException(404, f"no article {article_id!r}")
        reading = store.readings([article_id]).get(article_id)
        stories = [st for st in store.stories() if article_id in st.article_ids]
        provenance = None
        for st in stories[:1]:
            try:
                provenance = next((p for p in dossiers.get(st).provenance if p.article_id == article_id), None)
            except Exception:  # the page stands without it
                log.exception("dossier for story %s failed", st.id)
        copied = {a.id: a.outlet or a.title or a.id for a in store.articles(provenance.copies_of)} if provenance else {}
        cited = views.cited_range(article.body, s, e, find)
        claims = store.article_claims(article_id)
        return render_page("article.html", article=article, reading=reading, stories=stories, cited=cited,
                           provenance=provenance, copied=copied, claims=claims, story_titles={st.id: st.title for st in stories},
                           body=views.highlight_body(article.body, reading, cited))

    @app.get("/static/{name}", include_in_schema=False)
    def stylesheet(name: str) -> Response:
        if name not in ("storyweave.css", "dossier.css"):
            raise HTTPException(404, f"no static file {name!r}")
        return Response(static_text(name), media_type="text/css",
                        headers={"Cache-Control": "public, max-age=3600"})


def _hit_href(hit: SearchHit) -> str:
    if hit.kind == "claim" and hit.story_id:
        return f"/stories/{quote(hit.story_id, safe='')}#all-claims"
    if hit.article_id is None:
        return "/"
    if hit.kind == "quote":
        return views.article_href(hit.article_id, hit.start, hit.end, "")
    if hit.kind in ("person", "place"):
        return views.article_href(hit.article_id, None, None, hit.title)
    return views.article_href(hit.article_id, None, None, "")
