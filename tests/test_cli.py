"""The `storyweave` command end to end: run, re-run, JSON contract, URLs, failures."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from localhttp import serving

pytestmark = pytest.mark.slow  # each test starts the CLI in a process that loads the models

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CONTRACT_KEYS = {
    "id", "external_id", "source", "title", "title_derived", "published", "outlet", "author", "cites",
    "syndicated_from", "language", "body", "captions", "raw_sha256",
}


def storyweave(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    found = shutil.which("storyweave")
    cmd = [found] if found else [sys.executable, "-m", "storyweave.cli"]
    return subprocess.run([*cmd, *args], cwd=cwd, capture_output=True, text=True, timeout=900, check=False,
                          env={**os.environ, **(env or {})})


def articles_json(db: Path, cwd: Path) -> list[dict]:
    listed = storyweave("articles", "--json", "--db", str(db), cwd=cwd)
    assert listed.returncode == 0, listed.stderr
    return json.loads(listed.stdout)


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    work = tmp_path_factory.mktemp("demo")
    result = storyweave("run", str(EXAMPLES), "--db", str(work / "s.db"), "--out", str(work / "out"), cwd=work)
    return work, result


def test_run_on_the_demo_corpus(demo_run: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    work, result = demo_run
    assert result.returncode == 0, result.stderr
    assert "5 records read, 5 new articles, 0 already stored, 0 failed" in " ".join(result.stdout.split())
    found = articles_json(work / "s.db", work)
    assert len(found) == 5 and all(CONTRACT_KEYS <= set(a) for a in found)
    inputs = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".html"))
    by_source = {a["source"]: a for a in found}
    for path in inputs:
        assert by_source[str(path)]["raw_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    (jsonl,) = [a for a in found if a["source"].endswith(".jsonl#1")]
    record = json.loads((EXAMPLES / "harborline-wire.jsonl").read_text(encoding="utf-8"))
    assert jsonl["external_id"] == record["id"]
    assert all(a["external_id"] is None for a in found if a is not jsonl)
    # stderr is a pipe here: each stage ends with a plain progress line, none is silent
    lines = result.stderr.splitlines()
    for stage in ("read 5/5", "cluster 5/5", "dossiers "):
        assert any(line.startswith(stage) for line in lines), (stage, result.stderr)


def test_rerun_adds_nothing_twice(demo_run: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    work, first = demo_run
    assert first.returncode == 0, first.stderr
    before = articles_json(work / "s.db", work)
    again = storyweave("run", str(EXAMPLES), str(EXAMPLES), "--db", str(work / "s.db"), "--out", str(work / "out"), cwd=work)
    assert again.returncode == 0, again.stderr
    assert "10 records read, 0 new articles, 10 already stored, 0 failed" in " ".join(again.stdout.split())
    assert articles_json(work / "s.db", work) == before


def test_failure_lines_name_the_input_verbatim(tmp_path: Path) -> None:
    odd = tmp_path / "[bold]odd name[red] with a long tail to pass the usual eighty columns of a terminal.txt"
    odd.write_bytes(b"")
    result = storyweave("run", str(odd), "--db", str(tmp_path / "s.db"), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 1
    assert f"error {odd}: empty file" in result.stderr.splitlines()
    assert "1 failed" in result.stdout


class _Pages(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/story":
            body = (EXAMPLES / "riverbend-post-ferry.html").read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
        else:
            body = b"not found"
            self.send_response(404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture()
def site() -> Iterator[str]:
    with serving(_Pages) as url:
        yield url


def test_run_on_urls(tmp_path: Path, site: str) -> None:
    result = storyweave(
        "run", f"{site}/story", f"{site}/gone", "--db", str(tmp_path / "s.db"), "--out", str(tmp_path / "out"), cwd=tmp_path,
        env={"STORYWEAVE_INGEST_ALLOW_LOOPBACK_FOR_TESTS": "1"},
    )
    assert result.returncode == 1
    assert f"error {site}/gone: HTTP 404 Not Found" in result.stderr.splitlines()
    (article,) = articles_json(tmp_path / "s.db", tmp_path)
    assert article["source"] == f"{site}/story"
    page = (EXAMPLES / "riverbend-post-ferry.html").read_bytes()
    assert article["raw_sha256"] == hashlib.sha256(page).hexdigest()
