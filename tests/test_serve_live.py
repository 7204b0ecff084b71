"""The server as users run it: `storyweave serve` under uvicorn on 127.0.0.1, real sockets.

Covers the body limit (413 before the body is read whole), the refusal of private, loopback and
link-local fetch targets with no connection made, and the command line itself.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import select
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from storyweave.serve import ServeSettings, create_app

pytestmark = pytest.mark.slow  # a real server process

TOKEN = "live-token-456"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
LIMIT = 64 * 1024


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve_cli(db: str, *extra: str, token: str | None = TOKEN) -> Iterator[str]:
    """`storyweave serve` in a subprocess; yields its base URL once it answers."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "STORYWEAVE_TOKEN"}
    if token is not None:
        env["STORYWEAVE_TOKEN"] = token
    proc = subprocess.Popen(
        [sys.executable, "-m", "storyweave.cli", "serve", "--db", db, "--host", "127.0.0.1",
         "--port", str(port), *extra],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # imports torch and spaCy: slow on a busy 2-core machine
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"server exited: {proc.stdout.read().decode(errors='replace')}")
            try:
                httpx.get(base + "/api/storylines", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise AssertionError("server did not start within 180 s") from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = str(tmp_path_factory.mktemp("live") / "live.db")
    with serve_cli(db, "--max-body-bytes", str(LIMIT)) as base:
        yield base


def _raw_request(base: str, head: str, body_part: bytes) -> tuple[bytes, float]:
    """Send a request head and part of a body, then read the answer without sending the rest."""
    host, port = base.removeprefix("http://").split(":")
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(head.encode() + body_part)
        chunks = []
        while True:
            try:
                data = sock.recv(65536)
            except (TimeoutError, ConnectionResetError):
                break
            if not data:
                break
            chunks.append(data)
            if b"\r\n\r\n" in b"".join(chunks) and b"}" in b"".join(chunks):
                break
    return b"".join(chunks), time.monotonic() - started


def test_declared_oversize_body_gets_413_before_it_is_sent(live):
    huge = 500 * 1024 * 1024  # announced, never sent: only the first KiB goes out
    head = (f"POST /api/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n"
            f"Content-Type: text/plain\r\nContent-Length: {huge}\r\n\r\n")
    answer, took = _raw_request(live, head, b"x" * 1024)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"larger than the limit of 65536 bytes" in answer
    assert took < 5  # answered at once, not after waiting for 500 MB


def test_streamed_oversize_body_is_cut_off_at_the_limit(live):
    """A chunked body (no Content-Length) is answered 413 once it passes the limit, while the
    client is still sending: the server does not wait for, or hold, the whole body."""
    host, port = live.removeprefix("http://").split(":")
    chunk = b"y" * 16384
    sent = 0
    answer = b""
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall((f"POST /api/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n"
                      "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n").encode())
        deadline = time.monotonic() + 30
        while sent < 16 * 1024 * 1024 and time.monotonic() < deadline:
            try:
                sock.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
            ready, _, _ = select.select([sock], [], [], 0.05)
            if ready:
                answer = sock.recv(65536)
                break
        if not answer:
            answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert LIMIT < sent < 1024 * 1024  # stopped soon after the limit, far short of 16 MB


def test_body_under_the_limit_is_accepted(live):
    resp = httpx.post(live + "/api/articles", content=b"Small council meeting report. The council met on Monday.",
                      headers={**AUTH, "Content-Type": "text/plain"}, timeout=600)
    assert resp.status_code in (200, 201), resp.text
    assert resp.json()["errors"] == []


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        type(self).hits += 1
        body = b"<html><body><p>internal secret</p></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_ingest_url_refuses_a_loopback_server_without_contacting_it(live):
    target = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CountingHandler)
    thread = threading.Thread(target=target.serve_forever, daemon=True)
    thread.start()
    try:
        port = target.server_address[1]
        assert httpx.get(f"http://127.0.0.1:{port}/").status_code == 200  # it is up and counting
        before = _CountingHandler.hits
        for url in (f"http://127.0.0.1:{port}/page", f"http://localhost:{port}/page",
                    f"http://[::ffff:127.0.0.1]:{port}/page", f"http://2130706433:{port}/page"):
            resp = httpx.post(live + "/api/ingest-url", json={"url": url}, headers=AUTH, timeout=30)
            assert resp.status_code == 400, (url, resp.text)
            assert "refused" in resp.json()["error"]
        assert _CountingHandler.hits == before
    finally:
        target.shutdown()
        target.server_close()


def test_ingest_url_refuses_private_targets_with_no_connection_attempt(db, monkeypatch):
    """In process, with every outgoing connection trapped: none may be attempted."""
    attempts: list[object] = []

    def trapped_connect(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise AssertionError(f"connection attempted to {address}")

    client = TestClient(create_app(ServeSettings(db=db, token=TOKEN)))
    monkeypatch.setattr(socket.socket, "connect", trapped_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", trapped_connect)
    cases = {
        "http://127.0.0.1/": "127.0.0.1",
        "http://10.20.30.40:8080/news": "10.20.30.40",
        "http://169.254.169.254/latest/meta-data/": "169.254.169.254",
        "http://[::1]/": "::1",
        "http://localhost/": "localhost resolves to",
        "http://192.168.0.10/": "192.168.0.10",
        "http://[fe80::1]/": "fe80::1",
        "http://0.0.0.0/": "0.0.0.0",
    }
    for url, named in cases.items():
        resp = client.post("/api/ingest-url", json={"url": url}, headers=AUTH)
        assert resp.status_code == 400, (url, resp.text)
        assert named in resp.json()["error"], resp.json()
    for url in ("file:///etc/passwd", "gopher://example.org/", "http://user:pw@example.org/"):
        resp = client.post("/api/ingest-url", json={"url": url}, headers=AUTH)
        assert resp.status_code == 400, url
    assert attempts == []


def test_cli_serve_refuses_writes_without_token(tmp_path):
    with serve_cli(str(tmp_path / "t.db"), token=None) as base:
        resp = httpx.post(base + "/api/articles", content=b"Text.", headers={"Authorization": "Bearer x"})
        assert resp.status_code == 403
        assert httpx.get(base + "/openapi.json").json()["info"]["title"] == "storyweave"


def test_cli_serve_names_an_unreachable_store_without_its_password():
    port = _free_port()  # nothing listens there
    done = subprocess.run(
        [sys.executable, "-m", "storyweave.cli", "serve", "--db",
         f"postgresql+psycopg://sw:hunter2secret@127.0.0.1:{port}/news", "--port", str(_free_port())],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 2
    assert "cannot open the store" in done.stderr and f"127.0.0.1:{port}/news" in done.stderr
    assert "hunter2secret" not in done.stdout + done.stderr
    assert "serving" not in done.stderr  # it never claimed to serve


def test_server_start_loads_the_embedding_model_before_the_first_request(db):
    """The first dossier page must not pay for loading MiniLM: the app loads it at start-up
    (its lifespan), unless told not to."""
    from storyweave import embeddings

    embeddings.load_model.cache_clear()
    with TestClient(create_app(ServeSettings(db=db, warm_models=False))) as client:
        assert client.get("/api/stories").status_code == 200
        assert embeddings.load_model.cache_info().currsize == 0
    with TestClient(create_app(ServeSettings(db=db))):
        assert embeddings.load_model.cache_info().currsize == 1
