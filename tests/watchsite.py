"""A small news site that changes between rounds, served on 127.0.0.1 for the watch tests and the
soak benchmark: a front page linking its Atom feed, article pages with ads and a clock in their
furniture, ETags, robots.txt, and switches for the changes a test makes (an edit, a move, a 503)."""

from __future__ import annotations

import hashlib
import html
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _text_article(name: str) -> tuple[str, str]:
    """(title, body paragraphs) of an example .txt article (title, blank, header lines, body)."""
    lines = (EXAMPLES / name).read_text(encoding="utf-8").split("\n\n")
    title = lines[0].strip()
    body = [p.strip() for p in lines[2:] if p.strip()]
    return title, "\n".join(f"<p>{html.escape(p)}</p>" for p in body)


@dataclass
class Entry:
    slug: str  # the page's path
    title: str
    body: str  # HTML paragraphs
    updated: str  # the feed's <updated>
    guid: str
    canonical: str | None = None  # path of the canonical link, if the page states one
    published: str = "2026-03-15T09:00:00Z"


@dataclass
class Site:
    entries: list[Entry] = field(default_factory=list)
    robots: str = "User-agent: *\nDisallow: /private/\n"
    feed_down: int = 0  # answer the feed with this many 503s (Retry-After: `retry_after`)
    retry_after: str | None = None
    flaky: dict[str, int] = field(default_factory=dict)  # path -> 503s left
    furniture: int = 0  # changes the ads and the clock on every page
    base: str = ""
    hits: Counter[str] = field(default_factory=Counter)
    arrivals: list[tuple[float, str]] = field(default_factory=list)  # (monotonic time, path)
    agents: set[str] = field(default_factory=set)
    conditional: int = 0  # requests that carried If-None-Match or If-Modified-Since
    lock: threading.Lock = field(default_factory=threading.Lock)

    def page(self, entry: Entry) -> bytes:
        canonical = f'<link rel="canonical" href="{self.base}{entry.canonical}">' if entry.canonical else ""
        return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(entry.title)} | Lakeside Tribune</title>
<meta property="og:site_name" content="Lakeside Tribune">
<meta property="article:published_time" content="{entry.published}">
{canonical}
</head><body>
<header><nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a></nav></header>
<aside class="ad">Advertisement: offer number {self.furniture} - subscribe today</aside>
<main><article><h1>{html.escape(entry.title)}</h1>
{entry.body}
</article></main>
<footer>Page generated at 2026-03-15 10:{self.furniture % 60:02d} &middot; Copyright Lakeside Tribune</footer>
</body></html>""".encode()

    def feed(self) -> bytes:
        items = "".join(
            f"<entry><title>{html.escape(e.title)}</title><link href=\"{self.base}{e.slug}\"/>"
            f"<id>{html.escape(e.guid)}</id><updated>{e.updated}</updated><published>{e.published}</published></entry>"
            for e in self.entries
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Lakeside Tribune</title><id>{self.base}/</id><updated>2026-03-15T10:00:00Z</updated>{items}</feed>"
        ).encode()

    def sitemap(self) -> bytes:
        urls = "".join(f"<url><loc>{self.base}{e.slug}</loc><lastmod>{e.updated}</lastmod></url>" for e in self.entries)
        return ('<?xml version="1.0" encoding="UTF-8"?>'
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>').encode()

    def front(self) -> bytes:
        return (b'<!DOCTYPE html><html><head><title>Lakeside Tribune</title>'
                b'<link rel="alternate" type="application/atom+xml" href="/feed.xml"></head>'
                b'<body><h1>Lakeside Tribune</h1></body></html>')

    def handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8", **headers: str) -> None:
                self.send_response(status)
                if status != 304:
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name.replace("_", "-"), value)
                self.end_headers()
                if status != 304:
                    try:
                        self.wfile.write(body)
                    except (BrokenPipeError, ConnectionResetError):
                        pass  # the client gave up (the timeout test)

            def with_etag(self, body: bytes, ctype: str) -> None:
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self.send(304, ETag=etag)
                else:
                    self.send(200, body, ctype, ETag=etag)

            def do_GET(self) -> None:
                path = self.path
                with site.lock:
                    site.hits[path] += 1
                    site.arrivals.append((time.monotonic(), path))
                    site.agents.add(self.headers.get("User-Agent", ""))
                    if self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"):
                        site.conditional += 1
                    down = site.flaky.get(path, 0)
                    if down:
                        site.flaky[path] = down - 1
                    feed_down = path == "/feed.xml" and site.feed_down > 0
                    if feed_down:
                        site.feed_down -= 1
                if path == "/robots.txt":
                    self.send(200, site.robots.encode(), "text/plain")
                elif path == "/":
                    self.with_etag(site.front(), "text/html; charset=utf-8")
                elif path == "/slow":  # answers after the client's timeout
                    time.sleep(1.5)
                    try:
                        self.send(200, site.feed(), "application/atom+xml")
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                elif path == "/sitemap.xml":
                    self.with_etag(site.sitemap(), "application/xml")
                elif path == "/feed.xml":
                    if feed_down:
                        extra = {"Retry_After": site.retry_after} if site.retry_after else {}
                        self.send(503, b"busy", "text/plain", **extra)
                    else:
                        self.with_etag(site.feed(), "application/atom+xml")
                elif down:
                    self.send(503, b"try later", "text/plain")
                else:
                    entry = next((e for e in site.entries if e.slug == path), None)
                    if entry is None:
                        self.send(404, b"no such page", "text/plain")
                    else:
                        self.with_etag(site.page(entry), "text/html; charset=utf-8")

        return Handler


def ferry_entries() -> dict[str, Entry]:
    """Four articles about one ferry fire, from the examples."""
    out = {}
    for slug, name in (("ledger", "daily-ledger-ferry-fire.txt"), ("herald", "northgate-herald-ferry.txt"),
                       ("courier", "tessmer-courier-ferry.txt")):
        title, body = _text_article(name)
        out[slug] = Entry(slug=f"/news/{slug}", title=title, body=body, updated="2026-03-15T10:00:00Z",
                          guid=f"tag:lakeside,2026:{slug}")
    riverbend = (EXAMPLES / "riverbend-post-ferry.html").read_text(encoding="utf-8")
    body = riverbend.split("<article>", 1)[1].split("</article>", 1)[0]
    out["riverbend"] = Entry(slug="/news/riverbend", title="Lake ferry fire: safety board to inspect Marit Olsen",
                             body=body, updated="2026-03-15T10:00:00Z", guid="tag:lakeside,2026:riverbend")
    return out
