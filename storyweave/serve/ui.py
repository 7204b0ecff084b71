"""The web UI: server-rendered pages, no scripts, no build step, one self-contained stylesheet."""

from __future__ import annotations

import logging
from typing import Annotated
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from .. import dossier as dossier_stage
from ..store import Store
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
    ) -> HTMLResponse:
        articles = heads.get()
        rows = views.story_rows(store.stories(), articles)
        shown = views.search_rows(rows, q)
        return render_page(
            "index.html",
            q=q,
            rows=shown[offset : offset + PAGE_SIZE],
            total=len(shown),
            offset=offset,
            page_size=PAGE_SIZE,
            article_hits=views.search_articles(articles, q)[:PAGE_SIZE] if q.strip() else [],
            article_count=len(articles),
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
            styles, body = views.dossier_fragment(dossier_stage.render_html(dossiers.get(story)))
            dossier_error = None
        except Exception as exc:  # a failing dossier must not take the story's page down with it
            log.exception("dossier for story %s failed", story.id)
            styles, body, dossier_error = Markup(""), Markup(""), f"{type(exc).__name__}: {exc}"
        row = views.story_rows([story], members)[0]
        return render_page("story.html", story=story, row=row, members=members,
                           dossier_styles=styles, dossier_body=body, dossier_error=dossier_error)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(article_id: str) -> HTMLResponse:
        article = store.article(article_id)
        if article is None:
            raise HTTPException(404, f"no article {article_id!r}")
        reading = store.readings([article_id]).get(article_id)
        stories = [s for s in store.stories() if article_id in s.article_ids]
        return render_page("article.html", article=article, reading=reading, stories=stories,
                           body=views.highlight_body(article.body, reading))

    @app.get("/static/storyweave.css", include_in_schema=False)
    def stylesheet() -> Response:
        return Response(static_text("storyweave.css"), media_type="text/css",
                        headers={"Cache-Control": "public, max-age=3600"})
