"""The web UI in a real browser: Debian's chromium, headless, driven by Playwright, against
`storyweave serve` on 127.0.0.1 started here.

Skips with a reason where chromium or the playwright package is absent; CI installs both
(scripts/ci-services.sh).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import httpx
import pytest
from test_serve_api import XSS_TITLE, seed_store  # the same seeded store as the API tests
from test_serve_live import TOKEN, serve_cli

pytestmark = pytest.mark.slow  # a real chromium against a served store

CHROMIUM = os.environ.get("STORYWEAVE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    "--disable-dev-shm-usage",  # a small /dev/shm in containers crashes tabs otherwise
]

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
    pytest.skip(f"{CHROMIUM} is absent (apt-get install chromium; CI has it)", allow_module_level=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    db = str(tmp_path_factory.mktemp("ui") / "ui.db")
    arts = seed_store(db)
    with serve_cli(db) as base:
        yield base, arts


@pytest.fixture()
def page(site, tmp_path: Path):
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        # Nothing but our own server may be reached from the page.
        base = site[0]
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                      else route.abort())
        tab = context.new_page()
        tab.dialogs = []  # type: ignore[attr-defined]
        tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
        try:
            yield tab
        finally:
            context.close()
            browser.close()


def test_index_lists_stories_and_clicking_one_shows_its_dossier(site, page, tmp_path):
    base, arts = site
    # The headings of the dossier stage's own page, to find again inside the story page.
    page.goto(base + "/api/stories/s_ferry/dossier?format=html")
    dossier_headings = [h.strip() for h in page.locator("h2, h3").all_inner_texts() if h.strip()]

    page.goto(base + "/")
    stories = page.locator("li.story")
    assert stories.count() >= 2  # (a later test uploads one more, undated: listed last)
    first = stories.nth(0)  # newest first
    assert "Ferry fire kills 12 off Port Ellis" in first.inner_text()
    assert "2 articles" in first.inner_text()
    assert "Coast Courier, Harbour Times" in first.inner_text()
    page.screenshot(path=str(tmp_path / "index.png"), full_page=True)

    first.locator("a.story-title").click()
    page.wait_for_url(base + "/stories/s_ferry")
    assert page.locator("h1").first.inner_text() == "Ferry fire kills 12 off Port Ellis"
    assert page.locator("#story-articles li").count() == 2
    dossier = page.locator("#dossier")
    assert dossier.is_visible()
    assert dossier.locator("h2").first.inner_text() == "Dossier"
    embedded = dossier.locator("h2, h3").all_inner_texts()
    for heading in dossier_headings:  # every section of the dossier stage's rendering is there
        assert heading in embedded, (heading, embedded)
    page.screenshot(path=str(tmp_path / "story.png"), full_page=True)

    page.locator("#story-articles a", has_text="Ferry fire kills 12").click()
    page.wait_for_url(base + f"/articles/{arts['ferry'].id}")
    assert page.locator("#article-body .quote").first.inner_text() == '"We saw smoke everywhere,"'
    assert page.locator("#article-body .ent-GPE").inner_text() == "Port Ellis"
    page.screenshot(path=str(tmp_path / "article.png"), full_page=True)
    raw = page.locator("a", has_text="raw input")
    assert raw.get_attribute("href") == f"/api/articles/{arts['ferry'].id}/raw"


def test_script_title_renders_as_text_and_runs_nothing(site, page):
    base, arts = site
    for path in ("/", "/stories/s_council", f"/articles/{arts['xss'].id}", "/?q=alert"):
        page.goto(base + path)
        assert page.evaluate("document.scripts.length") == 0, path
        assert page.get_by_text(XSS_TITLE).first.is_visible(), path
    page.goto(base + f"/articles/{arts['xss'].id}")
    assert "<script>alert(2)</script>" in page.locator("#article-body").inner_text()
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_search_box_searches_titles_and_text(site, page):
    base, _ = site
    page.goto(base + "/")
    page.fill("header input[name=q]", "blaze")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/search?q=blaze")
    stories = page.locator("h2", has_text="Stories whose titles match")
    assert stories.is_visible()
    assert "Ferry fire" in page.locator("main ul.articles").first.inner_text()
    assert page.locator("li.hit-article a", has_text="Twelve dead in ferry blaze").is_visible()
    page.goto(base + "/?q=blaze")  # the story list's own title filter
    assert page.locator("li.story").count() == 1
    assert page.locator("h2", has_text="Articles matching").is_visible()


def test_an_uploaded_hostile_article_is_shown_as_text(site, page):
    """Through the whole write path: POST -> ingest -> clean -> read -> cluster -> pages."""
    base, _ = site
    posted = httpx.post(base + "/api/articles", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=600, json={
        "title": "<script>alert(1)</script>", "outlet": "<b>Evil</b> Outlet",
        "text": "The council met on Monday. <img src=x onerror=alert(3)> Officials said the vote passed."})
    assert posted.status_code == 201, posted.text
    article_id, story_id = posted.json()["added"][0], posted.json()["stories"][0]
    for path in (f"/articles/{article_id}", f"/stories/{story_id}", "/"):
        page.goto(base + path)
        assert page.evaluate("document.scripts.length") == 0, path
        assert page.locator("img").count() == 0, path
        assert page.get_by_text("<script>alert(1)</script>").first.is_visible(), path
    page.goto(base + f"/articles/{article_id}")
    assert "<img src=x onerror=alert(3)>" in page.locator("#article-body").inner_text()
    assert "<b>Evil</b> Outlet" in page.locator("dl.facts").inner_text()
    assert page.dialogs == []  # type: ignore[attr-defined]
