"""`storyweave watch`, `storyweave sources`, `--since`, and the server's /api/sources and
/stories.atom, over the changing local site (tests/watchsite.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import feedparser
import pytest
from fastapi.testclient import TestClient
from localhttp import serving
from test_cli import storyweave
from watchsite import Site, ferry_entries

from storyweave.serve import ServeSettings, create_app

LOOPBACK = {"STORYWEAVE_INGEST_ALLOW_LOOPBACK_FOR_TESTS": "1"}


@pytest.mark.slow
def test_watch_command_sources_since_and_the_api(tmp_path: Path) -> None:
    site = Site()
    ferry = ferry_entries()
    site.entries = [ferry["ledger"], ferry["herald"]]
    db = str(tmp_path / "w.db")
    listing = tmp_path / "sources.txt"
    hook_out = tmp_path / "hook.jsonl"
    hook = tmp_path / "hook.py"
    hook.write_text(f"import sys\nopen({str(hook_out)!r}, 'a').write(sys.stdin.read() + '\\n')\n")
    with serving(site.handler()) as base:
        site.base = base
        listing.write_text(f"# the Lakeside Tribune\n{base}/feed.xml\n\n")
        result = storyweave(
            "watch", str(listing), "--db", db, "--rounds", "2", "--every", "0s", "--host-delay", "0.02",
            "--contact", "desk@example.org", "--hook", f"{sys.executable} {hook}", "--json", cwd=tmp_path, env=LOOPBACK,
        )
    assert result.returncode == 0, result.stderr
    r1, r2 = (json.loads(line) for line in result.stdout.splitlines())
    assert len(r1["new_articles"]) == 2 and r1["new_stories"] and r1["requests"] == 4
    assert r2["new_articles"] == [] and r2["not_modified"] == 1
    assert all(h["returncode"] == 0 for h in r1["hooks"])
    # The two reports disagree on some details: the hook saw that story, as JSON on stdin.
    assert r1["conflict_stories"] and r2["conflict_stories"] == {}
    told = [json.loads(line) for line in hook_out.read_text().splitlines()]
    assert {t["story"]["id"] for t in told} == set(r1["conflict_stories"])
    assert sum(len(t["conflicts"]) for t in told) == sum(r1["conflict_stories"].values())

    listed = storyweave("sources", "--db", db, "--json", cwd=tmp_path)
    (state,) = json.loads(listed.stdout)
    assert state["url"] == f"{base}/feed.xml" and state["kind"] == "feed" and state["checks"] == 2
    assert state["not_modified"] == 1 and state["errors"] == 0 and state["next_check"]
    assert "feed.xml" in storyweave("sources", "--db", db, cwd=tmp_path).stdout

    recent = storyweave("stories", "--db", db, "--json", "--since", "1h", cwd=tmp_path)
    assert len(json.loads(recent.stdout)) >= 1
    future = storyweave("articles", "--db", db, "--json", "--since", "2999-01-01", cwd=tmp_path)
    assert json.loads(future.stdout) == []
    bad = storyweave("articles", "--db", db, "--since", "whenever", cwd=tmp_path)
    assert bad.returncode == 2 and "not a time" in bad.stderr

    client = TestClient(create_app(ServeSettings(db=db)))
    sources = client.get("/api/sources").json()
    assert sources[0]["url"] == f"{base}/feed.xml" and sources[0]["checks"] == 2
    assert client.get("/api/articles", params={"since": "1h"}).json()["total"] == 2
    assert client.get("/api/articles", params={"since": "2999-01-01"}).json()["total"] == 0
    assert client.get("/api/stories", params={"since": "2999-01-01"}).json()["items"] == []
    assert client.get("/api/stories", params={"since": "soon"}).status_code == 422
    atom = client.get("/stories.atom")
    assert atom.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(atom.content)
    assert not parsed.bozo and parsed.entries
    stories = client.get("/api/stories").json()["items"]
    assert {e.link.rsplit("/", 1)[1] for e in parsed.entries} == {s["id"] for s in stories}
    assert feedparser.parse(client.get("/stories.atom", params={"since": "2999-01-01"}).content).entries == []


@pytest.mark.slow
def test_serve_watch_polls_in_the_background(tmp_path: Path) -> None:
    import os
    import shutil
    import socket
    import subprocess
    import time

    import httpx

    site = Site()
    site.entries = [ferry_entries()["herald"]]
    db = str(tmp_path / "served.db")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    found = shutil.which("storyweave")
    cmd = [found] if found else [sys.executable, "-m", "storyweave.cli"]
    with serving(site.handler()) as base:
        site.base = base
        server = subprocess.Popen(
            [*cmd, "serve", "--db", db, "--port", str(port), "--watch", f"{base}/feed.xml", "--every", "1h"],
            cwd=tmp_path, env={**os.environ, **LOOPBACK}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + 240
            sources: list[dict] = []
            while time.monotonic() < deadline:
                try:
                    sources = httpx.get(f"http://127.0.0.1:{port}/api/sources", timeout=5).json()
                    if sources and sources[0]["entries_new"] == 1:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.5)
            assert sources and sources[0]["entries_new"] == 1 and sources[0]["checks"] == 1
            assert httpx.get(f"http://127.0.0.1:{port}/api/articles", timeout=5).json()["total"] == 1
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert site.hits["/news/herald"] == 1
