"""The REST API and the web UI over one store.

Reads are open; writes need the bearer token the server was started with, and with no token
configured writes are refused. Everything is built through `storyweave.pipeline`, the store and
the stages' public functions: the server adds no stage logic of its own.
"""

from __future__ import annotations

import datetime as dt
import hmac
import io
import json
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from itertools import islice
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import dossier as dossier_stage
from .. import embeddings
from ..config import IngestSettings, ServeSettings
from ..ingest.fetch import policy_for
from ..ingest.netpolicy import MAX_URL_CHARS, RefusedURL
from ..model import Article, Dossier, Reading, Story, Storyline
from ..store import SearchHit, Store
from ..store._export import MEDIA_TYPES, ExportFormat, ExportKind, write_export
from ..store._search import SearchKind
from . import views
from .caching import ConditionalGetMiddleware
from .docs import add_docs_routes
from .dossiers import DossierCache
from .heads import ArticleHeads
from .middleware import SECURITY_HEADERS, BodyLimitMiddleware, SecurityHeadersMiddleware
from .pages import render_page
from .ui import add_ui_routes
from .watching import SinceQuery, add_watch_routes, arrived_since, stories_since
from .writes import IngestResult, jsonl_bytes, read_upload, read_url, store_records, upload_label

log = logging.getLogger("storyweave.serve")

MAX_PAGE = 200
MAX_OFFSET = 2**31  # far past any store; bounded so a huge number is a 422, not an overflow


class ArticleSummary(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    author: str | None
    source: str
    url: str | None
    language: str | None


class ArticlePage(BaseModel):
    total: int
    offset: int
    limit: int
    items: list[ArticleSummary]


class StoryPage(BaseModel):
    total: int
    offset: int
    limit: int
    items: list[views.StoryRow]


class StorylinePage(BaseModel):
    total: int
    offset: int
    limit: int
    items: list[Storyline]


class SearchPage(BaseModel):
    total: int
    offset: int
    limit: int
    items: list[SearchHit]


class ArticleDetail(BaseModel):
    article: dict[str, Any] = Field(description="the article as `storyweave articles --json` prints it")
    reading: Reading | None


class IngestRejected(IngestResult):
    """Nothing was stored: every input failed (or the request itself was unusable)."""

    error: str
    status: int


class UrlRequest(BaseModel):
    url: str = Field(max_length=MAX_URL_CHARS, description="an http(s) URL on a public address")


class ErrorBody(BaseModel):
    error: str
    status: int


# Declares bearer auth on the write routes in OpenAPI; `require_writer` makes the check itself.
BEARER = HTTPBearer(auto_error=False, description="the token the server was started with (--token)")


def create_app(settings: ServeSettings) -> FastAPI:
    store = Store(settings.db)
    dossiers = DossierCache(store)
    heads = ArticleHeads(store)
    # One writer at a time in this process, held only to store and cluster: reading an upload and
    # fetching a URL happen before it is taken, within the request's fetch deadline.
    write_lock = threading.Lock()
    ingest_settings = IngestSettings(
        max_bytes=settings.max_body_bytes,
        fetch_timeout_s=settings.fetch_timeout_s,
        allow_loopback_for_tests=settings.allow_loopback_for_tests,
        max_records=settings.max_records,
        max_stream_bytes=8 * settings.max_body_bytes,  # an upload's budget after decompression
        fetch_deadline_s=settings.fetch_deadline_s,
    )
    policy = policy_for(ingest_settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if settings.warm_models:  # before the first request, so the first dossier page is as fast as the rest
            await run_in_threadpool(embeddings.warm)
        yield
        store.close()

    app = FastAPI(
        lifespan=lifespan,
        title="storyweave",
        summary="Cross-checked story dossiers from many outlets' news articles.",
        docs_url=None,  # /docs is served below from packaged assets (no CDN)
        redoc_url=None,
        # Every error is {"error", "status"}, validation errors included (see the handlers below).
        responses={404: {"model": ErrorBody}, 422: {"model": ErrorBody}},
    )
    app.add_middleware(BodyLimitMiddleware, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(ConditionalGetMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    _install_error_handlers(app)

    def require_writer(
        request: Request, declared: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)],
    ) -> None:
        # The scheme object only declares bearer auth in OpenAPI; the check is this one.
        if not settings.token:
            raise HTTPException(403, "writes are disabled: start the server with --token or STORYWEAVE_TOKEN")
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), settings.token.encode()):
            raise HTTPException(401, "missing or wrong bearer token", headers={"WWW-Authenticate": "Bearer"})

    writer = [Depends(require_writer)]

    def locked_write(fn: Any, *args: Any) -> IngestResult:
        with write_lock:  # taken in the worker thread, never on the event loop
            return fn(*args)

    def _story_or_404(story_id: str) -> Story:
        found = store.story(story_id)
        if found is None:
            raise HTTPException(404, f"no story {story_id!r}")
        return found

    def _article_or_404(article_id: str) -> Article:
        found = store.article(article_id)
        if found is None:
            raise HTTPException(404, f"no article {article_id!r}")
        return found

    # -- API: reads --------------------------------------------------------------------------

    @app.get("/api/articles", response_model=ArticlePage, tags=["read"])
    def list_articles(
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
        sort: Annotated[Literal["arrival", "newest", "oldest"], Query(description="arrival order, or by publication date")] = "arrival",
        outlet: Annotated[str | None, Query(max_length=200, description="outlet name contains this")] = None,
        published_from: Annotated[dt.date | None, Query(description="published on or after")] = None,
        published_until: Annotated[dt.date | None, Query(description="published on or before")] = None,
        since: SinceQuery = None,
    ) -> ArticlePage:
        arrived = arrived_since(store, since)
        if sort == "arrival" and not (outlet or published_from or published_until) and arrived is None:
            ids = list(islice(store.iter_article_ids(), offset, offset + limit))
            total = store.article_count()
        else:
            found = views.filter_articles(heads.get(), outlet or "", published_from, published_until)
            if arrived is not None:
                found = [a for a in found if a.id in arrived]
            if sort != "arrival":
                found = views.sort_articles(found, newest=sort == "newest")
            ids, total = [a.id for a in found[offset : offset + limit]], len(found)
        by_id = {a.id: a for a in store.articles(ids)}
        items = [ArticleSummary.model_validate(by_id[i].model_dump()) for i in ids if i in by_id]
        return ArticlePage(total=total, offset=offset, limit=limit, items=items)

    @app.get("/api/articles/{article_id}", response_model=ArticleDetail, tags=["read"])
    def get_article(article_id: str) -> ArticleDetail:
        found = _article_or_404(article_id)
        return ArticleDetail(article=found.public_dict(), reading=store.readings([article_id]).get(article_id))

    @app.get("/api/articles/{article_id}/raw", tags=["read"],
             responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}},
                              "description": "the input exactly as read"}})
    def get_raw(article_id: str) -> Response:
        """The input exactly as read, as bytes; never served as HTML."""
        found = _article_or_404(article_id)
        raw = store.raw(found.raw_sha256)
        if raw is None:
            raise HTTPException(404, f"no raw input stored for article {article_id!r}")
        return Response(raw.data, media_type="text/plain; charset=utf-8",
                        headers={"Content-Disposition": "inline"})

    @app.get("/api/stories", response_model=StoryPage, tags=["read"])
    def list_stories(
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
        sort: views.StorySort = "newest",
        outlet: Annotated[str, Query(max_length=200, description="an outlet's name contains this")] = "",
        conflicts: Annotated[bool, Query(description="only stories whose dossier found conflicts")] = False,
        published_from: Annotated[dt.date | None, Query(description="coverage reaches this date or later")] = None,
        published_until: Annotated[dt.date | None, Query(description="coverage starts on this date or earlier")] = None,
        since: SinceQuery = None,
    ) -> StoryPage:
        """Stories with their badges: outlets, claims by status and conflicts (once their dossier
        is built: null before), first reported by whom and when. `since` keeps the stories with an
        article that arrived since then (a time back from now, 2h or 3d, or an ISO date/time)."""
        stories = stories_since(store.stories(), arrived_since(store, since))
        rows = views.story_rows(stories, heads.get(), store.story_counts())
        rows = views.sort_rows(views.filter_rows(rows, outlet, conflicts, published_from.isoformat() if published_from else "",
                                                 published_until.isoformat() if published_until else ""), sort)
        return StoryPage(total=len(rows), offset=offset, limit=limit, items=rows[offset : offset + limit])

    @app.get("/api/stories/{story_id}", response_model=Story, tags=["read"])
    def get_story(story_id: str) -> Story:
        return _story_or_404(story_id)

    @app.get("/api/stories/{story_id}/dossier", tags=["read"], response_model=Dossier,
             responses={200: {"description": "the dossier (JSON), or its Markdown or HTML rendering",
                              "content": {"text/markdown": {"schema": {"type": "string"}},
                                          "text/html": {"schema": {"type": "string"}}}}})
    def get_dossier(story_id: str, format: Literal["json", "md", "html"] = "json") -> Response:
        built = dossiers.get(_story_or_404(story_id))
        if format == "md":
            return Response(dossier_stage.render_markdown(built), media_type="text/markdown; charset=utf-8")
        if format == "html":
            return HTMLResponse(dossier_stage.render_html(built))
        return Response(dossier_stage.render_json(built), media_type="application/json")

    @app.get("/api/storylines", response_model=StorylinePage, tags=["read"])
    def list_storylines(
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    ) -> StorylinePage:
        lines = store.storylines()
        return StorylinePage(total=len(lines), offset=offset, limit=limit, items=lines[offset : offset + limit])

    @app.get("/api/search", response_model=SearchPage, tags=["read"])
    def search(
        q: Annotated[str, Query(min_length=1, max_length=200, description="words, all required")],
        kind: Annotated[list[SearchKind] | None, Query(description="only these kinds")] = None,
        outlet: Annotated[str | None, Query(max_length=200, description="outlet name contains this")] = None,
        since: Annotated[dt.date | None, Query(description="published on or after")] = None,
        until: Annotated[dt.date | None, Query(description="published on or before")] = None,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    ) -> SearchPage:
        """Full-text search over articles, quotes, people, places and claims, best first. In a
        snippet, U+E000 and U+E001 mark the start and end of each matched word."""
        total, hits = store.search(q, kinds=set(kind) if kind else None, outlet=outlet,
                                   since=since.isoformat() if since else None,
                                   until=until.isoformat() if until else None, limit=limit, offset=offset)
        return SearchPage(total=total, offset=offset, limit=limit, items=hits)

    @app.get("/api/export/{kind}", tags=["read"],
             responses={200: {"description": "the whole table in the asked format",
                              "content": {MEDIA_TYPES["csv"]: {}, MEDIA_TYPES["jsonl"]: {}, MEDIA_TYPES["parquet"]: {}}}})
    def export(kind: ExportKind, format: ExportFormat = "csv") -> Response:
        """Articles, stories, claims, conflicts or quotes as CSV, JSON Lines or Parquet (the same
        tables as `storyweave export`)."""
        buffer = io.BytesIO()
        rows = write_export(store, kind, format, buffer)
        suffix = {"csv": "csv", "jsonl": "jsonl", "parquet": "parquet"}[format]
        return Response(buffer.getvalue(), media_type=MEDIA_TYPES[format], headers={
            "Content-Disposition": f'attachment; filename="{kind}.{suffix}"', "X-Row-Count": str(rows)})

    # -- API: writes -------------------------------------------------------------------------

    @app.post("/api/articles", response_model=IngestResult, tags=["write"], status_code=201, dependencies=writer,
              responses={200: {"model": IngestResult, "description": "nothing new: all stored already"},
                         401: {"model": ErrorBody}, 403: {"model": ErrorBody},
                         413: {"model": ErrorBody}, 422: {"model": IngestRejected}},
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/json": {"schema": {
                      "description": "one object like a JSONL line, or a list of them",
                      "oneOf": [{"type": "object"}, {"type": "array", "items": {"type": "object"}}]}},
                  "text/html": {"schema": {"type": "string"}},
                  "text/plain": {"schema": {"type": "string"}},
              }}})
    async def post_articles(request: Request, name: str | None = None) -> JSONResponse:
        """Ingest one article: a JSON object like a JSONL line, or a raw upload of text or HTML.

        Runs the same ingest path as `storyweave run`, then updates the stories."""
        body = await request.body()
        if not body.strip():
            raise HTTPException(422, "empty request body: send a JSON object or the article's text or HTML")
        media_type = request.headers.get("content-type")
        if _is_json(media_type):
            try:
                body = await _in_thread(_json_article, body)  # parsed off the event loop
            except (ValueError, UnicodeDecodeError) as exc:
                raise HTTPException(422, f"invalid JSON article: {exc}") from exc
            except RecursionError as exc:
                raise HTTPException(422, "invalid JSON article: nested too deeply") from exc
        label = upload_label(name)
        source, records = await _in_thread(read_upload, body, media_type, label, ingest_settings, settings.fetch_deadline_s)
        result = await _in_thread(locked_write, store_records, store, source, records)
        return _write_response(result)

    @app.post("/api/ingest-url", response_model=IngestResult, tags=["write"], status_code=201, dependencies=writer,
              responses={200: {"model": IngestResult, "description": "nothing new: stored already"},
                         400: {"model": ErrorBody}, 401: {"model": ErrorBody}, 403: {"model": ErrorBody},
                         422: {"model": IngestRejected}})
    async def post_ingest_url(payload: UrlRequest) -> JSONResponse:
        """Fetch a public http(s) URL and ingest it. Private, loopback and link-local addresses
        are refused before any connection is made."""
        try:
            url = await _in_thread(policy.check_url, payload.url)
        except RefusedURL as exc:
            raise HTTPException(400, str(exc)) from exc
        source, records = await _in_thread(read_url, url, ingest_settings, settings.fetch_deadline_s)
        result = await _in_thread(locked_write, store_records, store, source, records)
        return _write_response(result)

    add_docs_routes(app)
    add_ui_routes(app, store, dossiers, heads)
    add_watch_routes(app, store)
    return app


def _json_article(body: bytes) -> bytes:
    return jsonl_bytes(json.loads(body))


def _is_json(media_type: str | None) -> bool:
    base = (media_type or "").split(";", 1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


async def _in_thread(fn: Any, *args: Any) -> Any:
    """Blocking work (store, NLP, DNS) off the event loop."""
    return await run_in_threadpool(fn, *args)


def _write_response(result: IngestResult) -> JSONResponse:
    if result.added:
        return JSONResponse(result.model_dump(mode="json"), status_code=201)
    if result.errors and not result.duplicates:
        first = result.errors[0]
        refused = next((i for i in result.inputs if i.reason), None)
        why = f"{refused.source}: {refused.reason}" if refused else f"{first.source}: {first.reason}"
        rejected = IngestRejected(**result.model_dump(), status=422, error=f"nothing stored: {why}")
        return JSONResponse(rejected.model_dump(mode="json"), status_code=422)
    return JSONResponse(result.model_dump(mode="json"), status_code=200)


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and request.url.path != "/openapi.json"


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = str(exc.detail)
        if _wants_html(request):
            return render_page("error.html", status_code=exc.status_code, status=exc.status_code, message=message)
        return JSONResponse({"error": message, "status": exc.status_code},
                            status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err.get('loc', ()))}: {err.get('msg', 'invalid')}" for err in exc.errors()
        )
        message = f"invalid request: {problems}"
        if _wants_html(request):
            return render_page("error.html", status_code=422, status=422, message=message)
        return JSONResponse({"error": message, "status": 422}, status_code=422)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        log.exception("error serving %s", request.url.path)
        # Answered outside the middleware stack (Starlette's outermost error layer): the
        # security headers are added here.
        return JSONResponse({"error": f"internal error: {type(exc).__name__}", "status": 500}, status_code=500,
                            headers={name.decode(): value.decode() for name, value in SECURITY_HEADERS})

