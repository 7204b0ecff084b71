"""The newsroom UI on the seed articles, in a real browser (Debian's chromium driven by
Playwright) against `storyweave serve`: the story list, a dossier, an article and search, at a
desktop (1400 px) and a phone (400 px) width. Each page: no horizontal overflow, its charts
present and labelled, no serious or critical axe-core violations (axe-core's own script, shipped
in the axe-playwright-python package, injected by the test: the pages themselves run none), and
a screenshot written to docs/screenshots/.

Skips where chromium, playwright or the shared seeds are absent.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from test_serve_live import serve_cli
from test_ui_browser import CHROMIUM, CHROMIUM_ARGS

from storyweave import pipeline
from storyweave.config import Settings
from storyweave.store import Store

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python is not installed")
if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
    pytest.skip(f"{CHROMIUM} is absent (apt-get install chromium; CI has it)", allow_module_level=True)

pytestmark = pytest.mark.slow
SCREENSHOTS = Path(os.environ.get("STORYWEAVE_SCREENSHOTS", Path(__file__).resolve().parents[1] / "docs" / "screenshots"))
WIDTHS = {"desktop": 1400, "phone": 400}
CHARTS = ("chart-matrix", "chart-provenance", "chart-timeline", "chart-framing")


@pytest.fixture(scope="module")
def seeded_site(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path):
    folder = tmp_path_factory.mktemp("glance")
    db = str(folder / "seeds.db")
    report = pipeline.run([str(seeds_dir)], Settings(db=db, out=str(folder / "out")))
    assert report.ok, report.failures
    with Store(db) as store:
        story = max(store.stories(), key=lambda s: len(s.article_ids))
    with serve_cli(db) as base:
        yield base, story


@pytest.fixture(params=list(WIDTHS))
def tab(request: pytest.FixtureRequest, seeded_site):
    base = seeded_site[0]
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": WIDTHS[request.param], "height": 900})
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                      else route.abort())
        page = context.new_page()
        page.width_name = request.param  # type: ignore[attr-defined]
        try:
            yield page
        finally:
            context.close()
            browser.close()


def _check(page, name: str, top: bool = True) -> None:
    """No sideways scrolling, no serious accessibility violation, and a screenshot (of the top
    of the page, or where it is scrolled to)."""
    width = page.evaluate("window.innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name}: horizontal overflow"
    results = axe_sync.Axe().run(page)
    serious = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not serious, f"{name}: " + "; ".join(
        f"{v['id']}: {v['help']} ({[n['target'] for n in v['nodes'][:3]]})" for v in serious)
    if top:
        page.evaluate("window.scrollTo(0, 0)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{page.width_name}.png"))


def test_story_list(seeded_site, tab):
    base, story = seeded_site
    tab.goto(base + "/")
    row = tab.locator(f'li.story[data-story="{story.id}"]')
    assert row.count() == 1
    badges = row.locator(".badges").inner_text()
    assert "3 articles" in badges and "corroborated" in badges and "conflict" in badges
    assert row.locator("svg.spark").get_attribute("aria-label").startswith("Coverage over time")
    assert "first reported by" in row.inner_text()
    _check(tab, "stories")


def test_dossier_charts_and_citation_click(seeded_site, tab):
    base, story = seeded_site
    tab.goto(base + f"/stories/{story.id}")
    for chart in CHARTS:
        svg = tab.locator(f"svg#{chart}")
        assert svg.count() == 1, chart
        assert svg.get_attribute("role") == "img"
        assert svg.locator("title").first.text_content().strip(), chart  # its accessible name
    key_facts = tab.locator("#key-facts li.claim")
    assert key_facts.count() >= 3
    assert tab.locator("#key-facts .indep-weak").count() >= 1  # "only 1 independent" is marked
    assert tab.locator("#conflicts .side").count() >= 2  # both sides quoted
    # the rest is collapsed, and filters by status without scripts
    rest = tab.locator("details.rest")
    rest.locator(":scope > summary").click()
    visible = rest.locator("li.claim:visible").count()
    rest.locator("label", has_text="corroborated").first.click()
    assert rest.locator("li.claim:visible").count() < visible
    _check(tab, "dossier")
    # a citation lands on its sentence, highlighted and scrolled into view
    link = tab.locator("#key-facts a.cite-link").first
    sentence = " ".join(link.inner_text().split())
    link.click()
    tab.wait_for_url("**/articles/**#cited")
    cited = tab.locator("#cited")
    assert cited.is_visible()
    marked = " ".join(" ".join(tab.locator("#article-body .cited").all_inner_texts()).split())
    assert sentence.startswith(marked[:40]) and len(marked) >= min(len(sentence), 20)
    box = cited.bounding_box()
    assert box is not None and 0 <= box["y"] < tab.viewport_size["height"], "scrolled into view"
    assert tab.evaluate("getComputedStyle(document.getElementById('cited')).backgroundColor") != "rgba(0, 0, 0, 0)"
    _check(tab, "article", top=False)


def test_search_finds_speaker_place_and_claim_word(seeded_site, tab):
    base, _ = seeded_site
    for query, kind in (("le Bret", "quote"), ("Turkey", "place"), ("repatriate", "claim")):
        tab.goto(base + "/")
        tab.fill("header input[name=q]", query)
        tab.press("header input[name=q]", "Enter")
        tab.wait_for_url("**/search?q=*")
        assert tab.locator(f"li.hit-{kind}").count() >= 1, (query, kind)
        assert tab.locator(f"li.hit-{kind} mark").first.is_visible() or kind in ("quote", "place")
    tab.goto(base + "/search?q=le+Bret&kind=quote")
    assert tab.locator("li.hit").count() == tab.locator("li.hit-quote").count() >= 1
    _check(tab, "search")
