"""Fetch a URL politely and safely: timeout, size cap while streaming, a User-Agent, retries with
exponential backoff, redirects followed one hop at a time. The address policy (`netpolicy`)
checks every hop's URL before its request, and again at connect time on the very address
connected to."""

from __future__ import annotations

import datetime as _dt
import email.utils
import time
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx

from ..config import IngestSettings
from .netpolicy import AddressPolicy, PolicyTransport, RefusedURL, deadline, is_url, time_left

__all__ = ["FetchError", "Fetched", "fetch", "is_url", "make_client", "policy_for"]

MAX_REDIRECTS = 10
MAX_RETRY_AFTER_S = 30.0
_RETRY_STATUS = {429, 500, 502, 503, 504}


class FetchError(Exception):
    """A URL could not be fetched; the message says why."""


@dataclass(frozen=True)
class Fetched:
    url: str  # the final URL after redirects
    data: bytes
    content_type: str | None
    http_date: str | None


def policy_for(settings: IngestSettings) -> AddressPolicy:
    return AddressPolicy(allow_loopback_for_tests=settings.allow_loopback_for_tests)


def retry_after_seconds(value: str | None, now: _dt.datetime | None = None) -> float | None:
    """A Retry-After header as seconds from now: delta-seconds or an HTTP date; None if absent
    or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.UTC)
    return max(0.0, (when - (now or _dt.datetime.now(_dt.UTC))).total_seconds())


def _retry_delay(settings: IngestSettings, attempt: int, response: httpx.Response | None) -> float:
    delay = settings.fetch_backoff_s * (2**attempt)
    if response is not None and response.status_code in (429, 503):
        asked = retry_after_seconds(response.headers.get("retry-after"))
        if asked is not None:
            delay = max(delay, min(asked, MAX_RETRY_AFTER_S))
    return delay


def _read_capped(response: httpx.Response, limit: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchError(f"too large: the server declares {int(declared)} bytes, over the limit of {limit} bytes")
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > limit:
            # Stop reading at once: the rest is never downloaded.
            raise FetchError(f"too large: more than the limit of {limit} bytes (stopped reading)")
    return bytes(body)


def make_client(settings: IngestSettings) -> httpx.Client:
    return httpx.Client(
        transport=PolicyTransport(policy_for(settings)),
        timeout=settings.fetch_timeout_s,
        headers={"User-Agent": settings.user_agent, "Accept": "text/html, application/xhtml+xml, */*;q=0.5"},
        follow_redirects=False,  # followed in _fetch, hop by hop, so every hop is checked
    )


def fetch(url: str, settings: IngestSettings, client: httpx.Client | None = None) -> Fetched:
    """GET `url`; raise FetchError with a clear reason when it cannot be had."""
    own = client is None
    client = client or make_client(settings)
    try:
        with deadline(settings.fetch_deadline_s):  # all hops, tries, waits and reads together
            return _fetch(url, settings, client)
    finally:
        if own:
            client.close()


def _out_of_time(settings: IngestSettings) -> FetchError:
    return FetchError(f"timed out: no complete answer within the overall deadline of {settings.fetch_deadline_s:g} s")


def _fetch(url: str, settings: IngestSettings, client: httpx.Client) -> Fetched:
    policy = policy_for(settings)
    current = url.strip()
    for _hop in range(MAX_REDIRECTS + 1):
        try:
            current = policy.check_url(current)  # the first URL and every redirect hop
        except RefusedURL as exc:
            raise FetchError(str(exc)) from None
        attempt = 0
        while True:
            if time_left() == 0:
                raise _out_of_time(settings)
            try:
                with client.stream("GET", current) as response:
                    status = response.status_code
                    if status in (301, 302, 303, 307, 308):
                        location = response.headers.get("location")
                        if not location:
                            raise FetchError(f"HTTP {status} redirect without a Location header")
                        current = urljoin(current, location)
                        break
                    if status in _RETRY_STATUS and attempt < settings.fetch_retries:
                        delay = _retry_delay(settings, attempt, response)
                    elif status >= 400:
                        tries = f" (after {attempt + 1} tries)" if attempt else ""
                        raise FetchError(f"HTTP {status} {response.reason_phrase}".rstrip() + tries)
                    else:
                        data = _read_capped(response, settings.max_bytes)
                        return Fetched(
                            url=str(response.url), data=data,
                            content_type=response.headers.get("content-type"),
                            http_date=response.headers.get("date"),
                        )
            except httpx.TimeoutException as exc:
                if time_left() == 0:
                    raise _out_of_time(settings) from None
                if not isinstance(exc, httpx.ConnectTimeout):
                    raise FetchError(f"timed out after {settings.fetch_timeout_s:g} s ({type(exc).__name__})") from None
                if attempt >= settings.fetch_retries:
                    raise FetchError(f"unreachable after {attempt + 1} tries: {exc or type(exc).__name__}") from None
                delay = _retry_delay(settings, attempt, None)
            except (httpx.ConnectError, httpx.RemoteProtocolError) as exc:
                if attempt >= settings.fetch_retries:
                    raise FetchError(f"unreachable after {attempt + 1} tries: {exc or type(exc).__name__}") from None
                delay = _retry_delay(settings, attempt, None)
            except httpx.HTTPError as exc:
                raise FetchError(f"fetch failed: {exc or type(exc).__name__}") from None
            except RefusedURL as exc:  # at connect time: the name now resolves elsewhere
                raise FetchError(str(exc)) from None
            left = time_left()
            if left is not None and delay >= left:
                raise _out_of_time(settings)  # the next try could not finish in time
            time.sleep(delay)
            attempt += 1
    raise FetchError(f"too many redirects (more than {MAX_REDIRECTS})")
