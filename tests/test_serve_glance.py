"""The server's search, exports, caching headers, offline docs and citation links, in process
over the seeded store of test_serve_api (FastAPI's TestClient drives the real app)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient
from test_serve_api import FERRY_BODY, seed_store
from test_store_search import _ferry_dossier

from storyweave.dossier import render_dossier_body
from storyweave.serve import ServeSettings, create_app
from storyweave.serve.views import article_href
from storyweave.store import Store


@pytest.fixture()
def seeded(db):
    arts = seed_store(db)
    with Store(db) as store:
        store.put_dossier(_ferry_dossier(store, arts["ferry"].id, arts["ferry2"].id))
    return TestClient(create_app(ServeSettings(db=db))), arts, db


def test_api_search_with_kinds_and_filters(seeded):
    client, arts, _ = seeded
    found = client.get("/api/search", params={"q": "Maria Lopez", "kind": "quote"}).json()
    assert found["total"] == 1 and found["items"][0]["article_id"] == arts["ferry"].id
    assert client.get("/api/search", params={"q": "ferry", "outlet": "courier"}).json()["total"] >= 1
    assert client.get("/api/search", params={"q": "ferry", "since": "2030-01-01"}).json()["total"] == 0
    assert client.get("/api/search", params={"q": "x", "since": "yesterday"}).status_code == 422
    assert client.get("/api/search", params={"q": "x", "kind": "planet"}).status_code == 422


def test_api_export_row_counts(seeded):
    pq = pytest.importorskip("pyarrow.parquet")
    client, _, _ = seeded
    csv_rows = client.get("/api/export/quotes", params={"format": "csv"})
    assert csv_rows.headers["content-type"].startswith("text/csv")
    assert len(list(csv.DictReader(io.StringIO(csv_rows.text)))) == 1
    parquet = client.get("/api/export/articles", params={"format": "parquet"})
    assert pq.read_table(io.BytesIO(parquet.content)).num_rows == 3
    assert parquet.headers["x-row-count"] == "3"
    assert client.get("/api/export/claims", params={"format": "jsonl"}).text.count("\n") == 2
    assert client.get("/api/export/secrets").status_code == 422


def test_reads_carry_etags_answer_304_and_head(seeded):
    client, _, _ = seeded
    first = client.get("/api/stories")
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"
    again = client.get("/api/stories", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    head = client.head("/api/stories")
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == etag
    assert int(head.headers["content-length"]) == len(first.content)
    assert client.head("/stories/s_ferry").status_code == 200
    missing = client.get("/api/stories/nope")
    assert missing.status_code == 404 and "etag" not in missing.headers
    assert missing.json() == {"error": "no story 'nope'", "status": 404}


def test_offline_docs_load_nothing_from_elsewhere(seeded):
    client, _, _ = seeded
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert not re.search(r"""(src|href)=["']https?://""", docs.text), "no CDN"
    policy = docs.headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    for asset in re.findall(r"""(?:src|href)=["'](/docs-assets/[^"']+)""", docs.text):
        assert client.get(asset).status_code == 200, asset
    assert client.get("/docs-assets/../app.py").status_code == 404
    # every other page still runs no script at all
    assert "script-src" not in client.get("/").headers["content-security-policy"]


def test_article_page_marks_the_cited_sentence(seeded):
    client, arts, db = seeded
    at = FERRY_BODY.index("The coast guard")
    page = client.get(f"/articles/{arts['ferry'].id}", params={"s": at, "e": at + 20}).text
    cited = re.search(r'<span id="cited"[^>]*class="[^"]*cited[^"]*"[^>]*>([^<]*)<', page)
    assert cited and cited.group(1) == "The coast guard said"
    found = client.get(f"/articles/{arts['ferry'].id}", params={"find": "140 people"}).text
    assert re.search(r'<span id="cited"[^>]*>140 people</span>', found)
    assert 'id="cited"' not in client.get(f"/articles/{arts['ferry'].id}", params={"s": 5, "e": 99999}).text
    # the claims the article supports (the claim rows of its story's dossier), each linking to
    # its sentence. (The page built and cached the real dossier, which found no claims in these
    # unread seeds; the hand-made one's rows are put back after it.)
    with Store(db) as store:
        store.put_dossier(_ferry_dossier(store, arts["ferry"].id, arts["ferry2"].id))
    page = client.get(f"/articles/{arts['ferry2'].id}").text
    assert "Claims this article supports (1)" in page and "?s=26&amp;e=38#cited" in page


def test_story_list_badges_and_filters(seeded):
    client, _, _ = seeded
    page = client.get("/").text
    ferry = page[page.index('data-story="s_ferry"'):page.index('data-story="s_council"')]
    assert "1 disputed" in ferry and "1 conflict<" in ferry
    assert "first reported by Harbour Times" in ferry
    assert 'aria-label="Coverage over time' in ferry
    council = page[page.index('data-story="s_council"'):]
    assert "dossier not built yet" in council
    only = client.get("/", params={"conflicts": "1"}).text
    assert 'data-story="s_ferry"' in only and 'data-story="s_council"' not in only
    assert 'data-story="s_ferry"' not in client.get("/", params={"until": "2023-12-31"}).text
    oldest = client.get("/", params={"sort": "oldest"}).text
    assert oldest.index('data-story="s_council"') < oldest.index('data-story="s_ferry"')


def test_dossier_citations_link_to_the_article_sentence(seeded):
    client, arts, db = seeded
    with Store(db) as store:
        built = _ferry_dossier(store, arts["ferry"].id, arts["ferry2"].id)
    page = str(render_dossier_body(built, article_href))  # the story page's renderer and links
    at = FERRY_BODY.index("A ferry")
    assert f'href="/articles/{arts["ferry"].id}?s={at}&amp;e=' in page
    for chart in ("chart-matrix", "chart-timeline"):
        assert re.search(rf'<svg class="chart" id="{chart}" role="img"[^>]*aria-labelledby=', page), chart
    assert page.index('id="key-facts"') < page.index('id="conflicts"') < page.index('id="all-claims"')
    # the conflict quotes both sides, each linking to its sentence
    conflicts = page[page.index('id="conflicts"'):page.index('id="all-claims"')]
    assert conflicts.count('class="side"') == 2
    # a variant's sentence has no offsets of its own: those of the same sentence cited elsewhere
    assert f'/articles/{arts["ferry2"].id}?s=26&amp;e=38#cited' in conflicts
    assert f'/articles/{arts["ferry"].id}?s={at}&amp;e=' in conflicts
    # the weak case is marked: one independent source is not corroboration
    assert 'class="indep indep-weak"' in page and "only 1 independent" in page
    assert client.get("/stories/s_ferry").status_code == 200
