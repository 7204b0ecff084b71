"""The REST API in process (FastAPI's TestClient drives the real app over ASGI).

Reads run over a store seeded here through `Store`, so they test serving, not NLP quality;
writes go through the real ingest -> clean -> read -> cluster path.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from storyweave.model import Article, Entity, Quote, RawDocument, Reading, Story, Storyline, StoryLink
from storyweave.serve import ServeSettings, create_app
from storyweave.store import Store

TOKEN = "test-token-123"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
XSS_TITLE = "<script>alert(1)</script>"

FERRY_BODY = (
    'A ferry caught fire off Port Ellis on Monday, killing 12 people. '
    '"We saw smoke everywhere," said Maria Lopez, a passenger.\n\n'
    "The coast guard said 140 people were rescued."
)


def _put(store: Store, *, title: str, body: str, outlet: str | None, published: str | None,
         reading: Reading | None = None) -> Article:
    raw = RawDocument(source=f"mem/{title[:10]}.txt", data=(title + "\n" + body).encode(), format="text")
    article = Article(id=raw.sha256[:16], source=raw.source, title=title, body=body, outlet=outlet,
                      published=published, raw_sha256=raw.sha256)
    assert store.add_article(raw, article)
    if reading is not None:
        store.put_readings([reading.model_copy(update={"article_id": article.id})])
    return article


def seed_store(db: str) -> dict[str, Article]:
    """Three articles in two stories (one titled with a script tag), a reading, a storyline."""
    start = FERRY_BODY.index("Maria Lopez")
    q_start = FERRY_BODY.index('"We saw')
    q_end = FERRY_BODY.index('," said') + 2  # through the closing quote mark
    reading = Reading(
        article_id="", reader_version="test",
        entities=[Entity(text="Maria Lopez", label="PERSON", start=start, end=start + 11, key="maria lopez"),
                  Entity(text="Port Ellis", label="GPE", start=FERRY_BODY.index("Port Ellis"),
                         end=FERRY_BODY.index("Port Ellis") + 10, key="port ellis")],
        quotes=[Quote(speaker="Maria Lopez", speaker_key="maria lopez", text="We saw smoke everywhere",
                      kind="direct", cue="said", start=q_start, end=q_end)],
    )
    with Store(db) as store:
        a = _put(store, title="Ferry fire kills 12 off Port Ellis", body=FERRY_BODY, outlet="Harbour Times",
                 published="2024-03-04", reading=reading)
        b = _put(store, title="Twelve dead in ferry blaze", body="A ferry burned on Monday. Twelve died.",
                 outlet="Coast Courier", published="2024-03-05")
        c = _put(store, title=XSS_TITLE, body="Council <b>meets</b> & votes.\n<script>alert(2)</script>",
                 outlet=None, published="2023-01-01")
        stories = [
            Story(id="s_ferry", title="Ferry fire kills 12 off Port Ellis", article_ids=[a.id, b.id],
                  storyline_id="l1", first_published="2024-03-04", last_published="2024-03-05",
                  outlets=["Coast Courier", "Harbour Times"]),
            Story(id="s_council", title=XSS_TITLE, article_ids=[c.id], first_published="2023-01-01",
                  last_published="2023-01-01"),
        ]
        line = Storyline(id="l1", story_ids=["s_council", "s_ferry"],
                         links=[StoryLink(earlier="s_council", later="s_ferry", reason="test link", score=0.5)])
        store.save_clustering(stories, [line], [], None)
    return {"ferry": a, "ferry2": b, "xss": c}


@pytest.fixture()
def seeded(db: str) -> tuple[TestClient, dict[str, Article]]:
    arts = seed_store(db)
    return TestClient(create_app(ServeSettings(db=db, token=TOKEN))), arts


# -- reads -------------------------------------------------------------------------------------

def test_articles_are_paginated_in_arrival_order(seeded):
    client, arts = seeded
    first = client.get("/api/articles", params={"limit": 2}).json()
    assert first["total"] == 3 and first["limit"] == 2
    assert [i["id"] for i in first["items"]] == [arts["ferry"].id, arts["ferry2"].id]
    rest = client.get("/api/articles", params={"offset": 2, "limit": 2}).json()
    assert [i["id"] for i in rest["items"]] == [arts["xss"].id]
    assert "body" not in first["items"][0]  # the list is a summary
    bad = client.get("/api/articles", params={"limit": 100000})
    assert bad.status_code == 422 and "limit" in bad.json()["error"]
    huge = client.get("/api/articles", params={"offset": 10**30})  # found by schemathesis: was a 500
    assert huge.status_code == 422 and "offset" in huge.json()["error"]
    assert client.get("/api/articles", params={"offset": 10**6}).json()["items"] == []


def test_article_detail_has_article_and_reading(seeded):
    client, arts = seeded
    data = client.get(f"/api/articles/{arts['ferry'].id}").json()
    assert data["article"]["body"] == FERRY_BODY
    assert data["article"]["outlet"] == "Harbour Times"
    assert "offset_map" not in data["article"]
    assert data["reading"]["quotes"][0]["speaker"] == "Maria Lopez"
    unread = client.get(f"/api/articles/{arts['ferry2'].id}").json()
    assert unread["reading"] is None


def test_raw_input_is_served_as_plain_text_never_html(seeded):
    client, arts = seeded
    resp = client.get(f"/api/articles/{arts['xss'].id}/raw")
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/plain")
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert resp.content.startswith(XSS_TITLE.encode())


def test_unknown_ids_are_json_404s_naming_the_id(seeded):
    client, _ = seeded
    for path in ("/api/articles/nope", "/api/stories/nope", "/api/stories/nope/dossier",
                 "/api/articles/nope/raw"):
        resp = client.get(path)
        assert resp.status_code == 404, path
        assert resp.headers["content-type"].startswith("application/json")
        assert "'nope'" in resp.json()["error"]


def test_stories_newest_first_and_story_detail(seeded):
    client, arts = seeded
    listed = client.get("/api/stories").json()
    assert listed["total"] == 2 and listed["offset"] == 0
    assert [s["id"] for s in listed["items"]] == ["s_ferry", "s_council"]
    assert [s["id"] for s in client.get("/api/stories", params={"sort": "oldest"}).json()["items"]] == ["s_council", "s_ferry"]
    assert [s["id"] for s in client.get("/api/stories", params={"limit": 1, "offset": 1}).json()["items"]] == ["s_council"]
    assert client.get("/api/stories", params={"outlet": "courier"}).json()["total"] == 1
    story = client.get("/api/stories/s_ferry").json()
    assert story["article_ids"] == [arts["ferry"].id, arts["ferry2"].id]
    lines = client.get("/api/storylines").json()["items"]
    assert lines[0]["links"][0]["reason"] == "test link"


def test_dossier_in_three_formats(seeded):
    client, _ = seeded
    as_json = client.get("/api/stories/s_ferry/dossier")
    assert as_json.headers["content-type"].startswith("application/json")
    assert as_json.json()["story"]["id"] == "s_ferry"
    md = client.get("/api/stories/s_ferry/dossier", params={"format": "md"})
    assert md.headers["content-type"].startswith("text/markdown")
    assert "Ferry fire kills 12" in md.text
    html = client.get("/api/stories/s_council/dossier", params={"format": "html"})
    assert html.headers["content-type"].startswith("text/html")
    assert XSS_TITLE not in html.text and "&lt;script&gt;" in html.text
    assert "script-src" not in html.headers["content-security-policy"]  # default-src 'none' covers it
    assert "default-src 'none'" in html.headers["content-security-policy"]
    bad = client.get("/api/stories/s_ferry/dossier", params={"format": "pdf"})
    assert bad.status_code == 422 and "format" in bad.json()["error"]


def test_openapi_lists_the_api(seeded):
    client, _ = seeded
    spec = client.get("/openapi.json").json()
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/stories",
                 "/api/stories/{story_id}", "/api/stories/{story_id}/dossier", "/api/storylines",
                 "/api/ingest-url"):
        assert path in spec["paths"], path
    assert "post" in spec["paths"]["/api/articles"] and "get" in spec["paths"]["/api/articles"]
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert spec["paths"]["/api/articles"]["post"]["security"] == [{"HTTPBearer": []}]
    assert "security" not in spec["paths"]["/api/stories"]["get"]
    dossier = spec["paths"]["/api/stories/{story_id}/dossier"]["get"]["responses"]["200"]["content"]
    assert dossier["application/json"]["schema"] == {"$ref": "#/components/schemas/Dossier"}  # typed, not {}


# -- writes ------------------------------------------------------------------------------------

def test_writes_are_refused_without_a_configured_token(db):
    client = TestClient(create_app(ServeSettings(db=db, token=None)))
    for headers in ({}, {"Authorization": "Bearer anything"}):
        resp = client.post("/api/articles", content=b"Some text.", headers=headers)
        assert resp.status_code == 403
        assert "disabled" in resp.json()["error"]
    assert client.post("/api/ingest-url", json={"url": "https://example.org/"}).status_code == 403
    with Store(db) as store:
        assert store.article_count() == 0


def test_writes_need_the_right_bearer_token(db):
    client = TestClient(create_app(ServeSettings(db=db, token=TOKEN)))
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN},
                    {"Authorization": f"Basic {TOKEN}"}):
        resp = client.post("/api/articles", content=b"Some text.", headers=headers)
        assert resp.status_code == 401, headers
        assert resp.headers["www-authenticate"] == "Bearer"
    with Store(db) as store:
        assert store.article_count() == 0


def test_post_json_object_runs_ingest_and_clustering(db):
    client = TestClient(create_app(ServeSettings(db=db, token=TOKEN)))
    line = {"id": "ext-1", "title": "Bridge closed after crash", "outlet": "Valley News",
            "published": "2024-05-01", "text": "The river bridge was closed on Tuesday after a crash. "
            "Police said two people were hurt.", "section": "local"}
    resp = client.post("/api/articles", json=line, headers=AUTH)
    assert resp.status_code == 201, resp.text
    result = resp.json()
    assert len(result["added"]) == 1 and result["errors"] == []
    article_id = result["added"][0]
    assert result["stories"], "the new article is placed in a story"
    stored = client.get(f"/api/articles/{article_id}").json()
    assert stored["article"]["title"] == "Bridge closed after crash"
    assert stored["article"]["external_id"] == "ext-1"
    assert stored["article"]["source"].startswith("upload:")
    assert stored["reading"] is not None, "the NLP stage read it"
    stories = [client.get(f"/api/stories/{s['id']}").json() for s in client.get("/api/stories").json()["items"]]
    assert any(article_id in s["article_ids"] for s in stories)
    # the same object again is a duplicate, not a second article
    again = client.post("/api/articles", json=line, headers=AUTH)
    assert again.status_code == 200 and again.json()["added"] == [] and again.json()["duplicates"] == 1


def test_post_raw_html_upload(db):
    client = TestClient(create_app(ServeSettings(db=db, token=TOKEN)))
    page = (
        "<!doctype html><html><head><title>Dam opens spillway</title></head><body>"
        "<article><h1>Dam opens spillway</h1>"
        + "".join(f"<p>Engineers opened the spillway of the North Dam on Friday, paragraph {i}, "
                  "as the reservoir reached its highest level in a decade.</p>" for i in range(6))
        + "</article></body></html>"
    )
    resp = client.post("/api/articles?name=dam page.html", content=page.encode(),
                       headers={**AUTH, "Content-Type": "text/html; charset=utf-8"})
    assert resp.status_code == 201, resp.text
    article = client.get(f"/api/articles/{resp.json()['added'][0]}").json()["article"]
    assert article["source"] == "upload:dam_page.html"
    assert "spillway" in article["body"] and "<p>" not in article["body"]


def test_bad_uploads_get_clear_errors_and_store_nothing(db):
    client = TestClient(create_app(ServeSettings(db=db, token=TOKEN)))
    cases = [
        (b"", "application/json", "empty"),
        (b"{not json", "application/json", "invalid JSON"),
        (b"[1, 2]", "application/json", "JSON object"),
    ]
    for body, ctype, words in cases:
        resp = client.post("/api/articles", content=body, headers={**AUTH, "Content-Type": ctype})
        assert resp.status_code == 422, body
        assert words in resp.json()["error"], resp.json()
    binary = client.post("/api/articles", content=bytes(range(256)) * 8,
                         headers={**AUTH, "Content-Type": "application/octet-stream"})
    assert binary.status_code == 422
    errors = binary.json()["errors"]
    assert len(errors) == 1 and errors[0]["source"].startswith("upload:") and errors[0]["reason"]
    assert binary.json()["error"].startswith("nothing stored: upload:")
    with Store(db) as store:
        assert store.article_count() == 0


def test_json_list_ingests_each_object_and_reports_each_failure(db):
    client = TestClient(create_app(ServeSettings(db=db, token=TOKEN)))
    items = [{"title": "Storm hits coast", "text": "A storm hit the coast on Sunday, officials said."},
             {"title": "no body at all"}]
    resp = client.post("/api/articles", content=json.dumps(items).encode(),
                       headers={**AUTH, "Content-Type": "application/json"})
    assert resp.status_code == 201, resp.text
    assert len(resp.json()["added"]) == 1
    assert len(resp.json()["errors"]) == 1


def test_ui_error_pages_are_html(seeded):
    client, _ = seeded
    resp = client.get("/stories/nope")
    assert resp.status_code == 404 and resp.headers["content-type"].startswith("text/html")
    assert "no story &#39;nope&#39;" in resp.text


def test_served_pages_escape_article_text(seeded):
    client, arts = seeded
    for path in ("/", "/?q=script", "/stories/s_council", f"/articles/{arts['xss'].id}"):
        page = client.get(path).text
        assert "<script>" not in page, path
    article = client.get(f"/articles/{arts['xss'].id}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article
    assert "Council &lt;b&gt;meets&lt;/b&gt; &amp; votes." in article


def test_article_page_highlights_quotes_and_entities(seeded):
    client, arts = seeded
    page = client.get(f"/articles/{arts['ferry'].id}").text
    assert 'class="quote quote-direct"' in page
    assert 'class="ent ent-GPE" title="GPE">Port Ellis</span>' in page
    assert f'href="/api/articles/{arts["ferry"].id}/raw"' in page


def test_index_search_over_titles(seeded):
    client, arts = seeded
    page = client.get("/", params={"q": "twelve"}).text
    assert 'href="/stories/s_ferry"' in page and 'href="/stories/s_council"' not in page
    assert f'href="/articles/{arts["ferry2"].id}"' in page
    none = client.get("/", params={"q": "zebra"}).text
    assert "No story matches." in none


def test_static_stylesheet_is_packaged(seeded):
    client, _ = seeded
    css = client.get("/static/storyweave.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "http" not in css.text  # self-contained: nothing loaded from elsewhere


def test_app_opens_an_existing_store_file(tmp_path: Path):
    db = str(tmp_path / "existing.db")
    seed_store(db)
    client = TestClient(create_app(ServeSettings(db=db)))
    assert client.get("/api/articles").json()["total"] == 3


def test_dossier_file_links_lead_back_into_the_served_ui(seeded):
    client, _ = seeded
    index = client.get("/stories/index.html", follow_redirects=False)
    assert index.status_code == 307 and index.headers["location"] == "/"
    story = client.get("/stories/s_ferry.html", follow_redirects=False)
    assert story.status_code == 307 and story.headers["location"] == "/stories/s_ferry"
    assert client.get("/stories/nope.html").status_code == 404


def test_dossiers_are_built_once_per_story_state(seeded, db, monkeypatch):
    from storyweave import pipeline

    client, arts = seeded
    built: list[str] = []
    real = pipeline.story_dossier

    def counting(store, story):
        built.append(story.id)
        return real(store, story)

    monkeypatch.setattr(pipeline, "story_dossier", counting)
    client.get("/stories/s_ferry")
    client.get("/api/stories/s_ferry/dossier?format=md")
    client.get("/stories/s_ferry")
    assert built == ["s_ferry"]
    with Store(db) as store:  # the story changes: the next view builds it again
        changed = store.story("s_ferry").model_copy(update={"article_ids": [arts["ferry"].id]})
        store.save_clustering([changed, store.story("s_council")], store.storylines(), [], None)
    page = client.get("/stories/s_ferry").text
    assert built == ["s_ferry", "s_ferry"]
    assert "1 article" in page


def test_concurrent_views_of_one_story_build_its_dossier_once(seeded, monkeypatch):
    import threading
    import time

    from storyweave import pipeline

    client, _ = seeded
    built: list[str] = []
    real = pipeline.story_dossier

    def slow(store, story):
        built.append(story.id)
        time.sleep(0.5)  # a build takes a while: the other views arrive meanwhile
        return real(store, story)

    monkeypatch.setattr(pipeline, "story_dossier", slow)
    codes: list[int] = []
    views = [threading.Thread(target=lambda: codes.append(client.get("/api/stories/s_ferry/dossier").status_code))
             for _ in range(5)]
    for view in views:
        view.start()
    for view in views:
        view.join(60)
    assert codes == [200] * 5 and built == ["s_ferry"]


def test_story_list_sees_articles_and_stories_added_while_serving(seeded, db):
    client, arts = seeded
    assert "3 articles" in client.get("/").text
    with Store(db) as store:  # another process (a `storyweave run`) writes to the same store
        late = _put(store, title="Late quake report", body="A quake shook the valley.", outlet="Valley News",
                    published="2025-02-02")
        store.save_clustering([*store.stories(), Story(id="s_late", title=None, article_ids=[late.id])], [], [], None)
    page = client.get("/").text
    assert "4 articles" in page
    assert page.index('href="/stories/s_late"') < page.index('href="/stories/s_ferry"')  # newest first
    assert "Late quake report" in page  # the title comes from the article
    assert [s["id"] for s in client.get("/api/stories").json()["items"]][0] == "s_late"
    assert 'href="/stories/s_late"' in client.get("/", params={"q": "quake"}).text


def test_article_urls_link_only_when_they_are_http(db):
    with Store(db) as store:
        for url in ("https://news.example/a?x=1&y=2", "javascript:alert(1)"):
            raw = RawDocument(source=url, data=url.encode(), format="html", url=url)
            store.add_article(raw, Article(id=raw.sha256[:16], source=url, url=url, body="b", raw_sha256=raw.sha256))
        ids = list(store.iter_article_ids())
    client = TestClient(create_app(ServeSettings(db=db)))
    good = client.get(f"/articles/{ids[0]}").text
    assert '<a href="https://news.example/a?x=1&amp;y=2" rel="noopener noreferrer nofollow">' in good
    bad = client.get(f"/articles/{ids[1]}").text
    assert 'href="javascript:' not in bad and "javascript:alert(1)" in bad


def test_a_failing_dossier_leaves_the_story_page_up(seeded, monkeypatch):
    from storyweave import pipeline

    client, _ = seeded

    def broken(store, story):
        raise RuntimeError("comparison blew up")

    monkeypatch.setattr(pipeline, "story_dossier", broken)
    page = client.get("/stories/s_ferry")
    assert page.status_code == 200
    assert "The dossier could not be built: RuntimeError: comparison blew up" in page.text
    assert 'id="story-articles"' in page.text
    quiet = TestClient(client.app, raise_server_exceptions=False)  # as a real client sees it
    api = quiet.get("/api/stories/s_ferry/dossier")
    assert api.status_code == 500 and api.json()["error"] == "internal error: RuntimeError"
