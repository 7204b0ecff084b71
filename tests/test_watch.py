"""`storyweave watch` over a small changing site on 127.0.0.1: new entries, an edited article, an
entry moved to another URL, a 503 then recovery, robots.txt, per-host spacing, 304s, restarts."""

from __future__ import annotations

import datetime as _dt
import json
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from localhttp import serving
from watchsite import Entry, Site, ferry_entries

from storyweave import pipeline
from storyweave.config import IngestSettings, WatchSettings
from storyweave.ingest.watch import (
    PoliteClient,
    Poll,
    Watcher,
    canonical_link,
    retry_after_seconds,
    url_name,
)
from storyweave.store import Store
from storyweave.store._sources import WatchBook
from storyweave.timespec import parse_duration, parse_since

DELAY = 0.05
INGEST = IngestSettings(allow_loopback_for_tests=True, fetch_timeout_s=5, fetch_deadline_s=10)


def _watch(**kw: object) -> WatchSettings:
    base = {"every_s": 0, "host_delay_s": DELAY, "backoff_s": 0, "contact": "desk@example.org"}
    return WatchSettings(**{**base, **kw})  # type: ignore[arg-type]


def _round(db: str, sources: list[str], watch: WatchSettings, n: int) -> pipeline.WatchRoundReport:
    # A fresh store and watcher each round: what one round knows of the last comes from the
    # store, as after a restart.
    watcher = Watcher(INGEST, watch)
    try:
        with Store(db) as store:
            return pipeline.watch_round(store, watcher, sources, watch, n)
    finally:
        watcher.close()


@pytest.mark.slow
def test_watch_rounds_over_a_changing_site(db: str) -> None:
    site = Site()
    ferry = ferry_entries()
    secret = Entry(slug="/private/secret", title="Internal memo", body="<p>Not for robots.</p>",
                   updated="2026-03-15T10:00:00Z", guid="tag:lakeside,2026:secret")
    site.entries = [ferry["ledger"], ferry["herald"], ferry["riverbend"], secret]
    site.flaky["/news/riverbend"] = 1  # a 503 on its first request
    watch = _watch()
    with serving(site.handler()) as base:
        site.base = base
        sources = [f"{base}/"]  # the front page: its feed link is found and polled from then on

        r1 = _round(db, sources, watch, 1)
        assert sorted(_slugs(db, r1.new_articles)) == ["/news/herald", "/news/ledger"]
        assert any("503" in f.reason for f in r1.failures)
        assert r1.robots_refused == 1 and r1.new_stories

        r2 = _round(db, sources, watch, 2)  # the failed entry is asked again: the feed is read whole
        assert _slugs(db, r2.new_articles) == ["/news/riverbend"]
        assert not r2.failures

        r3 = _round(db, sources, watch, 3)  # nothing changed: the feed answers 304
        assert r3.not_modified == 1 and r3.new_articles == [] and r3.requests == 2  # robots.txt, the feed

        # New entry, an edit, and a page whose furniture (ads, clock) and feed date changed only.
        site.entries.append(ferry["courier"])
        ledger = ferry["ledger"]
        ledger.body += "<p>Late on Sunday the operator said the ferry would stay out of service until the inquiry ends.</p>"
        ledger.updated = "2026-03-16T08:00:00Z"
        ferry["herald"].updated = "2026-03-16T08:00:00Z"
        site.furniture += 1
        r4 = _round(db, sources, watch, 4)
        assert _slugs(db, r4.new_articles) == ["/news/courier"]
        assert _slugs(db, r4.new_versions) == ["/news/ledger"]
        assert r4.unchanged == 1

        # The courier piece moves to a new URL and feed id (its page names the old URL as
        # canonical); the herald's feed date changes but its page does not (a conditional 304).
        courier = ferry["courier"]
        courier.canonical, courier.slug, courier.guid = "/news/courier", "/2026/03/16/courier-moved", "tag:moved"
        courier.updated = ferry["herald"].updated = "2026-03-16T09:00:00Z"
        r5 = _round(db, sources, watch, 5)
        assert r5.new_articles == [] and r5.new_versions == []
        assert r5.unchanged == 1 and r5.not_modified == 1

        site.feed_down, site.retry_after = 1, "2"
        r6 = _round(db, sources, watch, 6)
        assert r6.failures and "503" in r6.failures[0].reason
        with Store(db) as store:
            state = WatchBook(store).source(sources[0])
        assert state is not None and state.errors == 1 and "503" in (state.last_error or "")
        feed_hits = site.hits["/feed.xml"]
        r7 = _round(db, sources, watch, 7)  # Retry-After: 2 s: not asked again yet
        assert r7.sources_due == 0 and site.hits["/feed.xml"] == feed_hits
        time.sleep(2.2)
        r8 = _round(db, sources, watch, 8)
        assert r8.sources_due == 1 and not r8.failures

    assert site.hits["/private/secret"] == 0
    gaps = [b - a for (a, _), (b, _) in zip(site.arrivals, site.arrivals[1:])]
    assert min(gaps) >= DELAY * 0.9, f"requests to one host closer than the delay: {min(gaps):.3f} s"
    assert site.conditional >= 3
    assert all("storyweave" in agent and "desk@example.org" in agent for agent in site.agents)

    with Store(db) as store:
        book = WatchBook(store)
        pages = {p.key: p for p in book.pages()}
        arts = {a.id: a for a in store.articles()}
        src = book.source(sources[0])
        stories = store.stories()
        assert len(arts) == 5  # four articles, one of them in two versions
        assert len(pages) == 4
        ledger_page = pages[url_name(f"{base}/news/ledger")]
        assert len(ledger_page.versions) == 2
        v1, v2 = (arts[i] for i in ledger_page.versions)
        assert v2.metadata["supersedes"] == v1.id and v2.metadata["version"] == 2
        assert "out of service" in v2.body and "out of service" not in v1.body
        courier_page = pages[url_name(f"{base}/news/courier")]
        assert url_name(f"{base}/2026/03/16/courier-moved") in courier_page.names
        assert src is not None and src.kind == "page" and src.feed_url == f"{base}/feed.xml"
        assert src.entries_new == 5 and src.not_modified >= 1 and src.errors == 0
        placed = {aid for s in stories for aid in s.article_ids}
        assert placed == set(arts)
        story = next(s for s in stories if v2.id in s.article_ids)
        built = pipeline.story_dossier(store, story)
        assert v1.id not in {a.id for a in built.articles}  # compared in its latest version only
        assert v2.id in {a.id for a in built.articles}


def _slugs(db: str, ids: list[str]) -> list[str]:
    with Store(db) as store:
        return sorted(urlsplit(str(a.url)).path for a in store.articles(ids))


def test_garbage_or_slow_source_backs_off_and_never_stops_the_others(db: str) -> None:
    site = Site()
    ferry = ferry_entries()
    site.entries = [ferry["herald"]]
    watch = _watch(backoff_s=60)
    with serving(site.handler()) as base:
        site.base = base
        sources = [f"{base}/nothing-here", f"{base}/robots.txt", f"{base}/slow", f"{base}/feed.xml"]
        watcher = Watcher(INGEST.model_copy(update={"fetch_timeout_s": 0.5}), watch)
        with Store(db) as store:
            book = WatchBook(store)
            poll = Poll()
            found = list(watcher.poll(sources, book, poll))
            watcher.close()
            assert [f.raw.url for f in found] == [f"{base}/news/herald"]
            bad = {s.url: s for s in book.sources() if s.errors}
            assert set(bad) == set(sources[:3])
            assert "404" in (bad[sources[0]].last_error or "")
            assert "neither a feed" in (bad[sources[1]].last_error or "")
            assert "timed out" in (bad[sources[2]].last_error or "")
            now = _dt.datetime.now(_dt.UTC)
            for state in bad.values():  # 60 s after the failure, not before
                assert state.next_check and state.next_check >= (now + _dt.timedelta(seconds=55)).isoformat(timespec="seconds")


def test_round_cap_and_retry_after_date_put_requests_off(db: str) -> None:
    site = Site()
    ferry = ferry_entries()
    site.entries = [ferry["ledger"], ferry["herald"], ferry["courier"]]
    with serving(site.handler()) as base:
        site.base = base
        watch = _watch(max_requests_per_round=3)  # robots.txt, the feed, one page
        watcher = Watcher(INGEST, watch)
        with Store(db) as store:
            poll = Poll()
            found = list(watcher.poll([f"{base}/feed.xml"], WatchBook(store), poll))
            assert len(found) == 1 and poll.counts.requests == 3 and poll.counts.deferred == 2
            state = WatchBook(store).source(f"{base}/feed.xml")
            assert state is not None and state.etag is None  # read whole next round: two entries wait
        watcher.close()
    later = (_dt.datetime.now(_dt.UTC) + _dt.timedelta(seconds=90)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert 85 <= (retry_after_seconds(later) or 0) <= 91
    assert retry_after_seconds("120") == 120 and retry_after_seconds("soon") is None


def test_sitemap_source_lists_pages_and_their_lastmod(db: str) -> None:
    site = Site()
    ferry = ferry_entries()
    site.entries = [ferry["herald"], ferry["courier"]]
    with serving(site.handler()) as base:
        site.base = base
        watcher = Watcher(INGEST, _watch())
        with Store(db) as store:
            book = WatchBook(store)
            found = list(watcher.poll([f"{base}/sitemap.xml"], book, Poll()))
            assert [f.raw.url for f in found] == [f"{base}/news/herald", f"{base}/news/courier"]
            assert [f.entry_stamp for f in found] == ["2026-03-15T10:00:00Z"] * 2
            state = book.source(f"{base}/sitemap.xml")
            assert state is not None and state.kind == "sitemap" and state.etag
            poll = Poll()
            assert list(watcher.poll([f"{base}/sitemap.xml"], book, poll)) == [] and poll.counts.not_modified == 1
        watcher.close()


def test_robots_unreachable_forbids_and_missing_allows() -> None:
    site = Site()
    site.robots = ""
    with serving(site.handler()) as base:
        site.base = base
        client = PoliteClient(INGEST, _watch())
        try:
            assert client.allowed(f"{base}/private/anything")  # an empty robots.txt allows all
        finally:
            client.close()
    client = PoliteClient(INGEST, _watch())
    try:
        assert not client.allowed(f"{base}/news/x")  # the server is gone: unreachable forbids all
    finally:
        client.close()


def test_canonical_link_and_url_names() -> None:
    page = b'<html><head><link rel="Canonical" href="/a/b?utm_source=x"></head><body></body></html>'
    assert canonical_link(page, "http://site.example/other") == "http://site.example/a/b?utm_source=x"
    assert url_name("HTTP://Site.Example:80/a/b?utm_source=x#top") == url_name("http://site.example/a/b")
    assert canonical_link(b"<html><body>no head</body></html>", "http://x.example/") is None


def test_time_specs() -> None:
    assert parse_duration("15m") == 900 and parse_duration("2h") == 7200 and parse_duration("30") == 30
    now = _dt.datetime(2026, 5, 2, 12, 0, tzinfo=_dt.UTC)
    assert parse_since("2h", now) == "2026-05-02T10:00:00+00:00"
    assert parse_since("2026-05-01", now) == "2026-05-01T00:00:00+00:00"
    with pytest.raises(ValueError):
        parse_since("yesterday-ish", now)


def test_conflict_hook_gets_data_on_stdin_never_a_shell(tmp_path: Path, monkeypatch) -> None:
    import subprocess

    from storyweave import notify
    from storyweave.model import Conflict, Story, Variant
    from storyweave.notify import run_conflict_hook

    calls: list[tuple[object, dict]] = []
    real_run = subprocess.run

    def spy(args, **kw):  # the real run, with what it was asked recorded
        calls.append((args, kw))
        return real_run(args, **kw)

    monkeypatch.setattr(notify.subprocess, "run", spy)

    out = tmp_path / "hook.json"
    script = tmp_path / "hook.py"
    script.write_text(
        "import json, os, sys\n"
        f"data = json.load(sys.stdin)\n"
        f"json.dump({{'env': os.environ['STORYWEAVE_STORY_ID'], 'data': data}}, open({str(out)!r}, 'w'))\n"
    )
    marker = tmp_path / "pwned"
    hostile = f"$(touch {marker}); `touch {marker}`"
    story = Story(id="s_1", title=hostile, article_ids=["a"])
    conflict = Conflict(kind="number", subject="passengers", variants=[
        Variant(value="130", article_ids=["a"], sentence=hostile), Variant(value="150", article_ids=["b"], sentence="x")])
    result = run_conflict_hook([sys.executable, str(script)], story, [conflict], 20)
    assert result.returncode == 0, result.error
    got = json.loads(out.read_text())
    assert got["env"] == "s_1" and got["data"]["story"]["title"] == hostile
    assert not marker.exists()
    # the article text went only to stdin: the command ran as the argv given, with no shell
    assert [(args, kw.get("shell")) for args, kw in calls] == [([sys.executable, str(script)], False)]



@pytest.mark.slow
def test_watch_follows_the_run_settings_and_builds_each_dossier_once(tmp_path: Path, monkeypatch) -> None:
    """A watch round clusters with the user's cluster settings (as `run` does) and the dossiers it
    builds to look for conflicts are the ones written to `out`, not made a second time."""
    from storyweave.config import ClusterSettings, Settings

    site = Site()
    ferry = ferry_entries()
    site.entries = [ferry["ledger"], ferry["herald"], ferry["riverbend"]]
    built: list[str] = []
    real = pipeline.build_story_dossier

    def counting(inputs):  # type: ignore[no-untyped-def]
        built.append(inputs.story.id)
        return real(inputs)

    monkeypatch.setattr(pipeline, "build_story_dossier", counting)
    # A join threshold no pair reaches: every article its own story, as the user asked.
    settings = Settings(db=str(tmp_path / "w.db"), ingest=INGEST, cluster=ClusterSettings(threshold=1.01, merge_threshold=1.01))
    out = tmp_path / "out"
    with serving(site.handler()) as base:
        site.base = base
        assert pipeline.watch([f"{base}/feed.xml"], settings, _watch(), rounds=1, out=out) == 1
    with Store(settings.db) as store:
        stories = store.stories()
    assert len(stories) == 3 and all(len(s.article_ids) == 1 for s in stories)
    assert sorted(built) == sorted(s.id for s in stories)  # one build per story, none twice
    assert len(list(out.glob("*.json"))) == 3
