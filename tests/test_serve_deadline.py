"""The server's write lock is held only to store: a slow-drip or silent URL is fetched outside it,
within the request's overall deadline, and other writes go on meanwhile."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from localhttp import serving

from storyweave.config import IngestSettings
from storyweave.ingest import read_inputs
from storyweave.model import IngestError
from storyweave.serve import ServeSettings, create_app

TOKEN = "t0ken"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


class _Drip(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        try:
            for _ in range(200):  # one byte every 0.1 s: each read is quick, the whole is not
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.1)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture()
def drip() -> Iterator[str]:
    with serving(_Drip) as url:
        yield url + '/slow'


@pytest.fixture()
def silent() -> Iterator[str]:
    """A port that accepts connections (the backlog) and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/"
    sock.close()


def test_slow_drip_ends_at_the_overall_deadline(drip: str) -> None:
    started = time.monotonic()
    (err,) = read_inputs([drip], IngestSettings(allow_loopback_for_tests=True, fetch_timeout_s=1.0, fetch_deadline_s=1.5))
    took = time.monotonic() - started
    assert isinstance(err, IngestError) and "overall deadline of 1.5 s" in err.reason
    assert took < 3.0


def test_silent_server_ends_at_the_overall_deadline(silent: str) -> None:
    started = time.monotonic()
    (err,) = read_inputs([silent], IngestSettings(allow_loopback_for_tests=True, fetch_timeout_s=20, fetch_deadline_s=1.0))
    assert isinstance(err, IngestError) and "overall deadline" in err.reason
    assert time.monotonic() - started < 3.0


@pytest.mark.slow
def test_writes_go_on_while_a_slow_url_is_fetched(drip: str, db: str) -> None:
    app = create_app(ServeSettings(db=db, token=TOKEN, allow_loopback_for_tests=True, fetch_deadline_s=6.0))
    page = (EXAMPLES / "riverbend-post-ferry.html").read_bytes()
    warm = TestClient(app).post("/api/articles?name=a.html", content=page, headers={**AUTH, "Content-Type": "text/html"})
    assert warm.status_code == 201, warm.text  # models loaded before the timing below

    slow: dict[str, object] = {}

    def fetch_slowly() -> None:
        started = time.monotonic()
        resp = TestClient(app).post("/api/ingest-url", json={"url": drip}, headers=AUTH)
        slow.update(status=resp.status_code, body=resp.json(), took=time.monotonic() - started)

    thread = threading.Thread(target=fetch_slowly)
    thread.start()
    time.sleep(0.5)
    text = (EXAMPLES / "daily-ledger-ferry-fire.txt").read_bytes()
    resp = TestClient(app).post("/api/articles?name=b.txt", content=text, headers={**AUTH, "Content-Type": "text/plain"})
    assert resp.status_code == 201, resp.text
    assert thread.is_alive()  # stored while the slow fetch was still dripping
    thread.join(30)
    assert slow["status"] == 422 and "overall deadline of 6 s" in slow["body"]["error"]  # type: ignore[index]
    assert 5.5 < slow["took"] < 9  # type: ignore[operator]
