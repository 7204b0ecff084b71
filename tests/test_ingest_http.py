"""URLs and feeds fetched from a real HTTP server on 127.0.0.1 (http.server in a thread)."""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from storyweave.config import IngestSettings
from storyweave.ingest import read_inputs
from storyweave.model import IngestError, RawDocument

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PAGE = (EXAMPLES / "riverbend-post-ferry.html").read_bytes()
UA = "storyweave-test/1.0 (+https://example.invalid/bot)"


class Server:
    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.agents: list[str] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8", **headers: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name.replace("_", "-"), value)
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout and size-cap tests)

            def do_GET(self) -> None:
                path = self.path
                server.hits[path] += 1
                server.agents.append(self.headers.get("User-Agent", ""))
                n = server.hits[path]
                if path == "/article":
                    self.send(200, PAGE)
                elif path == "/redirect":
                    self.send(302, Location="/hop2")
                elif path == "/hop2":
                    self.send(301, Location=f"{server.base}/article")
                elif path == "/to-file":
                    self.send(302, Location="file:///etc/passwd")
                elif path == "/loop":
                    self.send(302, Location="/loop")
                elif path == "/flaky":
                    self.send(500, b"oops") if n <= 2 else self.send(200, PAGE)
                elif path == "/busy":
                    self.send(429, b"slow down", Retry_After="0") if n == 1 else self.send(200, PAGE)
                elif path == "/always500":
                    self.send(503, b"down")
                elif path == "/declared-big":
                    self.send(200, b"x" * 5000)
                elif path == "/streamed-big":
                    # No Content-Length: the body runs until the connection closes.
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.end_headers()
                    try:
                        for _ in range(2000):
                            self.wfile.write(b"<p>" + b"y" * 1021)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                elif path == "/slow":
                    time.sleep(1)
                    self.send(200, PAGE)
                elif path == "/feed":
                    self.send(200, feed(server.base), ctype="application/rss+xml")
                elif path == "/linked":
                    self.send(200, PAGE.replace(b"Riverbend Post", b"Linked Page"))
                elif path == "/article.txt":
                    self.send(200, (EXAMPLES / "daily-ledger-ferry-fire.txt").read_bytes(), ctype="text/plain")
                else:
                    self.send(404, b"not here")

        return Handler

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def feed(base: str) -> bytes:
    body = " ".join(["<p>Investigators will board the ferry Marit Olsen on Monday after the fire.</p>"] * 10)
    return f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Riverbend Post</title>
<item><title>Full entry</title><link>{base}/full</link><pubDate>Sun, 15 Mar 2026 09:10:00 GMT</pubDate>
<description><![CDATA[{body}]]></description></item>
<item><title>Linked entry</title><link>{base}/linked</link><guid isPermaLink="false">rp-linked-1</guid><author>desk@riverbend.example (Jonah Meerveld)</author>
<pubDate>Sun, 15 Mar 2026 10:00:00 GMT</pubDate><description>A short teaser.</description></item>
<item><title>Dead link</title><link>{base}/gone</link><description>Teaser.</description></item>
</channel></rss>""".encode()


@pytest.fixture()
def server() -> Iterator[Server]:
    with Server() as running:
        yield running


def read(*urls: str, **settings: object) -> list[RawDocument | IngestError]:
    options: dict[str, object] = {
        "fetch_backoff_s": 0.01, "fetch_timeout_s": 5.0, "user_agent": UA, "allow_loopback_for_tests": True,
    }
    options.update(settings)
    return list(read_inputs(list(urls), IngestSettings(**options)))


def test_url_is_fetched_with_user_agent_and_sniffed(server: Server) -> None:
    (doc,) = read(f"{server.base}/article", f"{server.base}/article.txt")[:1]
    assert isinstance(doc, RawDocument) and doc.data == PAGE and doc.format == "html"
    assert doc.source == doc.url == f"{server.base}/article" and doc.fields.get("http_date")
    assert doc.fields["content_type"] == "text/html; charset=utf-8"
    text = read(f"{server.base}/article.txt")[0]
    assert isinstance(text, RawDocument) and text.format == "text"
    assert set(server.agents) == {UA}


def test_redirects_are_followed_hop_by_hop(server: Server) -> None:
    (doc,) = read(f"{server.base}/redirect")
    assert isinstance(doc, RawDocument) and doc.data == PAGE
    assert doc.source == f"{server.base}/redirect" and doc.url == f"{server.base}/article"
    assert server.hits["/redirect"] == server.hits["/hop2"] == server.hits["/article"] == 1


def test_redirect_loop_is_an_error(server: Server) -> None:
    (err,) = read(f"{server.base}/loop")
    assert isinstance(err, IngestError) and "too many redirects" in err.reason


def test_redirect_to_another_scheme_is_refused(server: Server) -> None:
    (err,) = read(f"{server.base}/to-file")
    assert isinstance(err, IngestError) and "only http and https" in err.reason


def test_500_then_200_is_retried(server: Server) -> None:
    (doc,) = read(f"{server.base}/flaky")
    assert isinstance(doc, RawDocument) and doc.data == PAGE and server.hits["/flaky"] == 3


def test_429_is_retried(server: Server) -> None:
    (doc,) = read(f"{server.base}/busy")
    assert isinstance(doc, RawDocument) and server.hits["/busy"] == 2


def test_persistent_5xx_gives_up_after_the_retries(server: Server) -> None:
    (err,) = read(f"{server.base}/always500", fetch_retries=2)
    assert isinstance(err, IngestError) and "HTTP 503 Service Unavailable (after 3 tries)" in err.reason
    assert server.hits["/always500"] == 3


def test_backoff_is_exponential(server: Server) -> None:
    started = time.monotonic()
    read(f"{server.base}/always500", fetch_retries=3, fetch_backoff_s=0.1)
    assert time.monotonic() - started >= 0.1 + 0.2 + 0.4


def test_404_is_an_error_naming_the_status(server: Server) -> None:
    (err,) = read(f"{server.base}/nothing")
    assert isinstance(err, IngestError) and err.source == f"{server.base}/nothing" and "HTTP 404" in err.reason


@pytest.mark.parametrize("path", ["/declared-big", "/streamed-big"])
def test_oversize_response_is_refused(server: Server, path: str) -> None:
    (err,) = read(f"{server.base}{path}", max_bytes=4096)
    assert isinstance(err, IngestError) and "limit of 4096 bytes" in err.reason


def test_timeout_is_an_error(server: Server) -> None:
    (err,) = read(f"{server.base}/slow", fetch_timeout_s=0.3)
    assert isinstance(err, IngestError) and "timed out" in err.reason


def test_unreachable_url_says_why() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    (err,) = read(f"http://127.0.0.1:{port}/x", fetch_retries=1)
    assert isinstance(err, IngestError) and "unreachable after 2 tries" in err.reason


def test_loopback_is_refused_by_default(server: Server) -> None:
    (err,) = read(f"{server.base}/article", allow_loopback_for_tests=False)
    assert isinstance(err, IngestError) and "non-public address (127.0.0.1, loopback)" in err.reason
    assert server.hits["/article"] == 0  # refused before any request was made
    (err2,) = read("http://localhost:9/x", allow_loopback_for_tests=False)
    assert isinstance(err2, IngestError) and "non-public address" in err2.reason
    assert IngestSettings().allow_loopback_for_tests is False


def test_feed_from_url_takes_full_text_and_fetches_links(server: Server) -> None:
    items = read(f"{server.base}/feed", fetch_feed_links=False)  # from a URL: links are fetched anyway
    full, linked, dead = items
    assert isinstance(full, RawDocument) and full.source == f"{server.base}/feed#1"
    assert full.url == f"{server.base}/full" and b"Marit Olsen" in full.data
    assert server.hits["/full"] == 0  # full text came from the feed itself
    assert isinstance(linked, RawDocument) and linked.source == f"{server.base}/linked"
    assert b"Linked Page" in linked.data and linked.format == "html" and linked.external_id == "rp-linked-1"
    assert linked.fields["title"] == "Linked entry" and linked.fields["feed_title"] == "Riverbend Post"
    assert linked.fields["published"] == "2026-03-15T10:00:00+00:00"
    assert isinstance(dead, IngestError) and dead.source == f"{server.base}/gone" and "HTTP 404" in dead.reason


def test_feed_file_with_links_fetches_them_when_allowed(server: Server, tmp_path: Path) -> None:
    path = tmp_path / "saved-feed.xml"
    path.write_bytes(feed(server.base))
    items = read(str(path))
    assert [type(i).__name__ for i in items] == ["RawDocument", "RawDocument", "IngestError"]
    assert server.hits["/linked"] == 1


def test_dns_rebinding_between_check_and_connect_is_refused(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """A name that resolves to a public address when checked and to loopback when connecting
    (a rebinding DNS server, played here by a stand-in resolver) never reaches the server."""
    real = socket.getaddrinfo
    port = int(server.base.rsplit(":", 1)[1])
    answers = iter(["93.184.216.34"])

    def rebinding(host: str, *args: object, **kwargs: object) -> list:
        if host != "rebind.test":
            return real(host, *args, **kwargs)
        address = next(answers, "127.0.0.1")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    (err,) = read(f"http://rebind.test:{port}/article", allow_loopback_for_tests=False)
    assert isinstance(err, IngestError) and "non-public address (127.0.0.1, loopback)" in err.reason
    assert server.hits["/article"] == 0


def test_retry_after_as_an_http_date_on_a_503_sets_the_wait() -> None:
    """One Retry-After reader for fetches and watches: an HTTP date counts as well as seconds,
    on a 503 as well as a 429, and is cut to the fetch's cap."""
    import datetime as _dt
    import email.utils

    import httpx

    from storyweave.config import IngestSettings
    from storyweave.ingest.fetch import MAX_RETRY_AFTER_S, _retry_delay

    settings = IngestSettings(fetch_backoff_s=0.01)
    soon = email.utils.format_datetime(_dt.datetime.now(_dt.UTC) + _dt.timedelta(seconds=12), usegmt=True)
    wait = _retry_delay(settings, 0, httpx.Response(503, headers={"Retry-After": soon}))
    assert 9 <= wait <= 12
    late = email.utils.format_datetime(_dt.datetime.now(_dt.UTC) + _dt.timedelta(hours=3), usegmt=True)
    assert _retry_delay(settings, 0, httpx.Response(429, headers={"Retry-After": late})) == MAX_RETRY_AFTER_S
    assert _retry_delay(settings, 0, httpx.Response(503, headers={"Retry-After": "soon"})) == 0.01
