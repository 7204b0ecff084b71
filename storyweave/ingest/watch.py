"""Watching sources over time, politely: the polling half of `storyweave watch`.

Each round reads the sources that are due (a feed, a front page that links its feed, a sitemap),
and hands on only the entries it has not seen, or whose feed date changed. Politeness, by
default and in one place (`PoliteClient`):

- robots.txt obeyed (protego, RFC 9309: a missing file allows all, an unreachable one forbids
  all for a while), every redirect hop checked against it;
- one request at a time per host (the watcher is sequential) with `host_delay_s` between them,
  and a host that answered 429/503 with Retry-After (seconds or an HTTP date) left alone until then;
- a User-Agent naming storyweave, with the contact setting;
- a cap on requests per round (the rest wait for the next round);
- conditional GET (If-None-Match, If-Modified-Since) for sources and known pages; 304s counted;
- a failing source waits `backoff_s`, doubled per further failure, and never stops the others.

Every connection goes through the one address policy (netpolicy) and its overall deadline.
Which page an entry is: a canonical key from the page's canonical link, else its normalised URL
(courlan), plus the feed's entry id, so one article under two URLs is one page. Whether a fetched
page is new, unchanged (only its furniture changed) or a new version is decided on its clean
body by `place_page`, after cleaning.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal, Protocol
from urllib.parse import urljoin, urlsplit

import httpx
from courlan import normalize_url
from lxml import etree
from lxml import html as lxml_html
from protego import Protego

from ..config import IngestSettings, WatchSettings
from ..model import Article, RawDocument, SourceState, WatchedPage
from ..timespec import iso_utc
from .containers import FeedEntry, feed_entries
from .fetch import MAX_REDIRECTS, FetchError, _read_capped, policy_for, retry_after_seconds
from .netpolicy import PolicyTransport, RefusedURL, deadline
from .reader import Reader
from .sniff import BadInput, sniff

ROBOTS_AGENT = "storyweave"  # the token robots.txt groups are matched against
MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309: at least 500 KiB are read; the rest is ignored


class Deferred(Exception):
    """Not asked now (the round's request cap is reached, or the host asked us to wait): not a
    failure, tried again in a later round."""


class RobotsRefused(Exception):
    """robots.txt forbids this URL to storyweave."""


class HTTPFailure(FetchError):
    """An HTTP error answer; `retry_after_s` when the server said how long to wait."""

    def __init__(self, message: str, status: int, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class Answer:
    url: str  # after redirects
    status: int  # 200, or 304 (not modified: `data` is empty)
    data: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    http_date: str | None = None


@dataclass
class RoundCounts:
    requests: int = 0  # robots.txt included
    not_modified: int = 0
    robots_refused: int = 0
    deferred: int = 0


def _host(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


_LAST_REQUEST: dict[str, float] = {}  # host -> monotonic end of this process's last request to it


class PoliteClient:
    """One HTTP client for a watch, with its per-host pacing, Retry-After and robots.txt memory
    (one entry per host: bounded by the hosts watched, not by rounds)."""

    def __init__(
        self, ingest: IngestSettings, watch: WatchSettings, *,
        clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.ingest = ingest
        self.watch = watch
        self.policy = policy_for(ingest)
        self.clock = clock
        self.sleep = sleep
        self.user_agent = watch.user_agent(ingest.user_agent)
        self.client = httpx.Client(
            transport=PolicyTransport(self.policy), timeout=ingest.fetch_timeout_s,
            headers={"User-Agent": self.user_agent}, follow_redirects=False,
        )
        self.counts = RoundCounts()
        # On the real clock the pacing is the process's, not this client's: a watcher made
        # afresh (a new round after a restart, the server's background watch beside a command)
        # still waits out the delay after the last request any of them sent to the host.
        self._last_request: dict[str, float] = _LAST_REQUEST if clock is time.monotonic else {}
        self._wait_until: dict[str, float] = {}
        self._robots: dict[str, tuple[float, Protego | None]] = {}  # host -> (expires, rules; None: allow all)

    def close(self) -> None:
        self.client.close()

    def start_round(self) -> RoundCounts:
        """Reset the per-round counts; returns the finished round's."""
        done, self.counts = self.counts, RoundCounts()
        return done

    # -- robots.txt ----------------------------------------------------------------------------

    def allowed(self, url: str) -> bool:
        host = _host(url)
        expires, rules = self._robots.get(host, (0.0, None))
        if host not in self._robots or expires <= self.clock():
            rules = self._load_robots(host)
        return rules is None or rules.can_fetch(url, ROBOTS_AGENT)

    def _load_robots(self, host: str) -> Protego | None:
        try:
            answer = self._follow(f"{host}/robots.txt", {}, robots=False, max_hops=5)
            rules = Protego.parse(answer.data[:MAX_ROBOTS_BYTES].decode("utf-8", "replace"))
            ttl = self.watch.robots_ttl_s
        except HTTPFailure as exc:
            if exc.status < 500 and exc.status != 429:
                rules, ttl = None, self.watch.robots_ttl_s  # no robots.txt: everything allowed
            else:
                rules, ttl = Protego.parse("User-agent: *\nDisallow: /"), self.watch.backoff_s
        except FetchError:
            # Unreachable: RFC 9309 says assume everything is forbidden; asked again after a backoff.
            rules, ttl = Protego.parse("User-agent: *\nDisallow: /"), self.watch.backoff_s
        self._robots[host] = (self.clock() + ttl, rules)
        return rules

    # -- requests ------------------------------------------------------------------------------

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Answer:
        """GET `url` (conditionally, given validators). Raises Deferred, RobotsRefused or FetchError."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        answer = self._follow(url, headers, robots=True, max_hops=MAX_REDIRECTS)
        if answer.status == 304:
            self.counts.not_modified += 1
        return answer

    def _follow(self, url: str, headers: dict[str, str], *, robots: bool, max_hops: int) -> Answer:
        current = url.strip()
        for _hop in range(max_hops + 1):
            try:
                current = self.policy.check_url(current)
            except RefusedURL as exc:
                raise FetchError(str(exc)) from None
            if robots and not self.allowed(current):
                self.counts.robots_refused += 1
                raise RobotsRefused(f"robots.txt forbids {current}")
            location = self._request(current, headers)
            if isinstance(location, Answer):
                return location
            current = urljoin(current, location)
        raise FetchError(f"too many redirects (more than {max_hops})")

    def _request(self, url: str, headers: dict[str, str]) -> Answer | str:
        """One request: an Answer, or the Location of a redirect."""
        host = _host(url)
        if self._wait_until.get(host, 0.0) > self.clock():
            self.counts.deferred += 1
            raise Deferred(f"{host} asked us to wait (Retry-After)")
        if self.counts.requests >= self.watch.max_requests_per_round:
            self.counts.deferred += 1
            raise Deferred(f"the cap of {self.watch.max_requests_per_round} requests per round is reached")
        gap = self._last_request.get(host, -1e18) + self.watch.host_delay_s - self.clock()
        if gap > 0:
            self.sleep(gap)
        self.counts.requests += 1
        try:
            with deadline(self.ingest.fetch_deadline_s), self.client.stream("GET", url, headers=headers) as response:
                return self._answer(url, host, response)
        except httpx.TimeoutException as exc:
            raise FetchError(f"timed out ({type(exc).__name__})") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"fetch failed: {exc or type(exc).__name__}") from None
        except RefusedURL as exc:
            raise FetchError(str(exc)) from None
        finally:
            self._last_request[host] = self.clock()  # spacing counts from the end of a request

    def _answer(self, url: str, host: str, response: httpx.Response) -> Answer | str:
        status = response.status_code
        if status in (301, 302, 303, 307, 308):
            location = response.headers.get("location")
            if not location:
                raise HTTPFailure(f"HTTP {status} redirect without a Location header", status)
            return location
        if status == 304:
            return Answer(url=url, status=304)
        if status >= 400 or status < 200:
            wait = retry_after_seconds(response.headers.get("retry-after")) if status in (429, 503) else None
            if wait is not None:
                wait = min(wait, self.watch.max_retry_after_s)
                self._wait_until[host] = self.clock() + wait
            raise HTTPFailure(f"HTTP {status} {response.reason_phrase}".rstrip(), status, wait)
        return Answer(
            url=url, status=status, data=_read_capped(response, self.ingest.max_bytes),
            content_type=response.headers.get("content-type"), etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"), http_date=response.headers.get("date"),
        )


# -- names and keys ------------------------------------------------------------------------------


def url_name(url: str) -> str:
    """The name a URL gives a page: courlan's normalised form (scheme and host lowercased,
    default port, tracking parameters and fragment dropped, query sorted)."""
    try:
        normal = normalize_url(url, strict=True)
    except (ValueError, TypeError):
        normal = url
    return "url:" + normal.split("#", 1)[0]


def canonical_link(data: bytes, base: str) -> str | None:
    """The page's `<link rel="canonical">` as an absolute http(s) URL, if it states one."""
    try:
        tree = lxml_html.fromstring(data)
    except (etree.ParserError, ValueError):
        return None
    for href in tree.xpath('//head/link[contains(concat(" ", normalize-space(translate(@rel, "CANONICL", "canonicl")), " "), " canonical ")]/@href'):
        link = urljoin(base, str(href).strip())
        if link.lower().startswith(("http://", "https://")):
            return link
    return None


def feed_link(data: bytes, base: str) -> str | None:
    """The feed a page links to (`<link rel="alternate" type="application/rss+xml">` or Atom)."""
    try:
        tree = lxml_html.fromstring(data)
    except (etree.ParserError, ValueError):
        return None
    for link in tree.xpath("//link[@href]"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower()
        if "alternate" in rel and kind in ("application/rss+xml", "application/atom+xml", "application/rdf+xml"):
            return urljoin(base, link.get("href").strip())
    return None


_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_entries(data: bytes, source: str) -> list[FeedEntry] | None:
    """The pages (or child sitemaps, marked "sitemap") a sitemap lists; None if `data` is not one."""
    head = data[:2048].lstrip()
    if not head.startswith(b"<") or (b"<urlset" not in data[:4096] and b"<sitemapindex" not in data[:4096]):
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"a broken sitemap: {exc}") from None
    child = root.tag.endswith("sitemapindex")
    out = []
    for number, item in enumerate(root, start=1):
        loc = item.findtext(f"{_SITEMAP_NS}loc") or item.findtext("loc")
        if not loc:
            continue
        stamp = item.findtext(f"{_SITEMAP_NS}lastmod") or item.findtext("lastmod")
        out.append(FeedEntry(
            name=f"{source}#{number}", fields={"sitemap": True} if child else {}, full_html=None,
            link=loc.strip(), entry_id=None, stamp=stamp.strip() if stamp else None,
        ))
    return out


# -- one round -----------------------------------------------------------------------------------


@dataclass
class FoundPage:
    """A page fetched this round (or a feed entry carrying its full text), for the pipeline to
    clean and place with `place_page`."""

    raw: RawDocument
    key: str  # the key a new page gets
    names: list[str]
    known: WatchedPage | None  # the page any of its names led to before this round
    source: SourceState  # whose counts the pipeline adds to
    etag: str | None = None
    last_modified: str | None = None
    entry_stamp: str | None = None


@dataclass
class PollFailure:
    url: str
    reason: str


@dataclass
class Poll:
    """What one round's polling saw, besides the pages it handed on."""

    sources_due: int = 0
    failures: list[PollFailure] = field(default_factory=list)
    counts: RoundCounts = field(default_factory=RoundCounts)


class PageBook(Protocol):
    """What the watcher needs of the store (store/_sources.py's WatchBook provides it)."""

    def source(self, url: str) -> SourceState | None: ...
    def put_source(self, state: SourceState) -> None: ...
    def page_named(self, names: list[str]) -> WatchedPage | None: ...
    def put_page(self, page: WatchedPage) -> None: ...


class Watcher:
    def __init__(self, ingest: IngestSettings, watch: WatchSettings, client: PoliteClient | None = None) -> None:
        self.ingest = ingest
        self.watch = watch
        self.client = client or PoliteClient(ingest, watch)
        self.reader = Reader(ingest)  # turns a fetched body into a RawDocument, as `run` does

    def close(self) -> None:
        self.client.close()
        self.reader.close()

    def poll(self, sources: list[str], book: PageBook, poll: Poll, now: _dt.datetime | None = None) -> Iterator[FoundPage]:
        """The pages of every due source not seen before (or changed since), one at a time.
        Each source's state is saved once its entries are consumed, whatever happened."""
        self.client.start_round()
        now = now or _dt.datetime.now(_dt.UTC)
        stamp = iso_utc(now)
        try:
            for url in sources:
                state = book.source(url) or SourceState(url=url)
                if state.next_check is not None and state.next_check > stamp:
                    continue
                poll.sources_due += 1
                try:
                    entries, base = self._read_source(state, stamp)
                except Deferred:
                    continue  # asked again next round; not the source's fault
                except (FetchError, RobotsRefused, ValueError, BadInput) as exc:
                    self._failed(state, str(exc), now, exc)
                    poll.failures.append(PollFailure(url, str(exc)))
                    book.put_source(state)
                    continue
                except Exception as exc:  # one source's surprise never stops the others
                    reason = f"internal error: {type(exc).__name__}: {exc}"
                    self._failed(state, reason, now, exc)
                    poll.failures.append(PollFailure(url, reason))
                    book.put_source(state)
                    continue
                state.errors, state.last_error, state.last_ok = 0, None, stamp
                state.next_check = iso_utc(now + _dt.timedelta(seconds=self.watch.every_s))
                missed = False  # an entry failed or was put off: the source is read whole next time
                try:
                    for entry in entries:
                        try:
                            found = self._entry(entry, base, state, book)
                        except RobotsRefused:
                            continue  # counted by the client; never asked for
                        except Deferred:
                            missed = True
                            continue
                        except (FetchError, ValueError, BadInput) as exc:
                            missed = True
                            poll.failures.append(PollFailure(entry.link or entry.name, str(exc)))
                            continue
                        except Exception as exc:  # one entry's surprise never stops the others
                            missed = True
                            poll.failures.append(PollFailure(
                                entry.link or entry.name, f"internal error: {type(exc).__name__}: {exc}"))
                            continue
                        if found is not None:
                            yield found
                finally:
                    if missed:  # a 304 next round would hide the entries still to fetch
                        state.etag = state.last_modified = None
                    book.put_source(state)
        finally:
            poll.counts = self.client.counts

    def _failed(self, state: SourceState, reason: str, now: _dt.datetime, exc: Exception) -> None:
        state.errors += 1
        state.last_error = reason[:500]
        wait = min(self.watch.max_backoff_s, self.watch.backoff_s * 2 ** (state.errors - 1))
        if isinstance(exc, HTTPFailure) and exc.retry_after_s is not None:
            wait = max(wait, exc.retry_after_s)
        state.next_check = iso_utc(now + _dt.timedelta(seconds=wait))

    def _read_source(self, state: SourceState, stamp: str) -> tuple[list[FeedEntry], str]:
        target = state.feed_url or state.url
        state.checks += 1
        state.last_checked = stamp
        answer = self.client.get(target, state.etag, state.last_modified)
        if answer.status == 304:
            state.not_modified += 1
            return [], target
        sitemap = sitemap_entries(answer.data, target)
        if sitemap is not None:
            state.kind = "sitemap"
            state.etag, state.last_modified = answer.etag, answer.last_modified
            return sitemap, answer.url
        kind = sniff(answer.data[:8192])
        if kind == "feed":
            entries = list(feed_entries(answer.data, target))
            if state.kind == "unknown":
                state.kind = "feed"
            state.etag, state.last_modified = answer.etag, answer.last_modified
            return entries, answer.url
        if kind in ("html", "text") and state.feed_url is None:
            found = feed_link(answer.data, answer.url)
            if found:
                state.kind, state.feed_url = "page", found
                return self._read_source(state, stamp)
        raise ValueError("neither a feed, a sitemap nor a page that links a feed")

    def _entry(self, entry: FeedEntry, base: str, state: SourceState, book: PageBook) -> FoundPage | None:
        link = urljoin(base, entry.link) if entry.link else None
        names = [url_name(link)] if link else []
        if entry.entry_id:
            names.append(f"id:{_host(base)}|{entry.entry_id}")
        known = book.page_named(names)
        if known is not None and (entry.stamp is None or entry.stamp == known.entry_stamp):
            if not set(names) <= set(known.names):  # seen under a new URL or id: remember it
                known.names = list(dict.fromkeys(known.names + names))
                book.put_page(known)
            return None
        if entry.fields.get("sitemap"):
            return None  # a child sitemap: not followed (one level of sitemaps is read)
        if entry.full_html is not None:
            raw = RawDocument(
                source=entry.name, data=entry.full_html.encode("utf-8"), format="html", media_type="text/html",
                url=link, external_id=entry.entry_id, fields=entry.fields,
            )
            return FoundPage(raw=raw, key=names[0] if names else f"entry:{entry.name}", names=names,
                             known=known, source=state, entry_stamp=entry.stamp)
        if link is None:
            return None
        etag = last_modified = None
        if known is not None and url_name(known.url) == url_name(link):  # validators belong to one URL
            etag, last_modified = known.etag, known.last_modified
        answer = self.client.get(link, etag, last_modified)
        if answer.status == 304 and known is not None:
            known.entry_stamp = entry.stamp
            known.names = list(dict.fromkeys(known.names + names))
            book.put_page(known)
            return None
        canonical = canonical_link(answer.data, answer.url)
        key = url_name(canonical) if canonical else url_name(answer.url)
        names = list(dict.fromkeys([key, *names, url_name(answer.url)]))
        known = known or book.page_named(names)
        fields = dict(entry.fields)
        if answer.http_date:
            fields.setdefault("http_date", answer.http_date)
        if answer.content_type:
            fields.setdefault("content_type", answer.content_type)
        raws = [item for item in self.reader.read_stream(
            io.BytesIO(answer.data), link, size=len(answer.data), url=answer.url, from_url=True,
            content_type=answer.content_type, fields=fields,
        ) if isinstance(item, RawDocument) and item.format in ("html", "text")]
        if not raws:
            raise ValueError(f"{link}: not an article page")
        raw = raws[0]
        if entry.entry_id:
            raw = raw.model_copy(update={"external_id": entry.entry_id})
        return FoundPage(raw=raw, key=key, names=names, known=known, source=state, etag=answer.etag,
                         last_modified=answer.last_modified, entry_stamp=entry.stamp)


# -- placing a cleaned page --------------------------------------------------------------------

Placement = Literal["new", "version", "unchanged"]


def body_sha256(article: Article) -> str:
    """A fingerprint of the clean body's words: whitespace and page furniture do not change it."""
    return hashlib.sha256(" ".join(article.body.split()).encode("utf-8")).hexdigest()


def place_page(found: FoundPage, article: Article, same_body: WatchedPage | None, now: str) -> tuple[Placement, WatchedPage, Article]:
    """Whether the cleaned `article` is a new article, a new version of a known one, or the
    known one unchanged; the page record to keep, and the article to store (a version names the
    one it supersedes). `same_body`: a known page with this very body under other names."""
    sha = body_sha256(article)
    known = found.known or same_body
    if known is None:
        page = WatchedPage(
            key=found.key, url=found.raw.url or found.raw.source, names=found.names, etag=found.etag,
            last_modified=found.last_modified, entry_stamp=found.entry_stamp, body_sha256=sha,
            article_id=article.id, versions=[article.id], first_seen=now, last_changed=now,
        )
        return "new", page, article
    page = known.model_copy(deep=True)
    page.names = list(dict.fromkeys(page.names + found.names))
    page.url = found.raw.url or page.url
    page.etag, page.last_modified, page.entry_stamp = found.etag, found.last_modified, found.entry_stamp
    if sha == known.body_sha256:
        return "unchanged", page, article
    version = len(known.versions) + 1
    article = article.model_copy(update={"metadata": {
        **article.metadata, "page_key": known.key, "version": version, "supersedes": known.article_id,
    }})
    page.body_sha256, page.article_id, page.last_changed = sha, article.id, now
    page.versions = [*known.versions, article.id]
    return "version", page, article
