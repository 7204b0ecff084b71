"""Fetch a URL politely and safely: timeout, size cap while streaming, a User-Agent, retries with
exponential backoff, redirects followed one hop at a time. When the settings forbid private
addresses, every hop's host is resolved and checked before the request, and again at connect time
on the very address connected to."""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from ..config import IngestSettings

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


def is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def _non_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
        or ip.is_reserved or ip.is_unspecified
    )


def _public_addresses(host: str, port: int) -> list[str]:
    """Every address `host` resolves to; FetchError unless all of them are public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve host {host!r}: {exc.strerror or exc}") from None
    addresses = [str(info[4][0]) for info in infos]
    for address in addresses:
        if _non_public(address):
            raise FetchError(f"refused: host {host!r} resolves to a non-public address ({address})")
    return addresses


def _check_host(url: str, allow_private: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"refused: only http and https URLs are fetched, not {parts.scheme or 'no scheme'!r}")
    host = parts.hostname
    if not host:
        raise FetchError("refused: the URL has no host")
    if not allow_private:
        _public_addresses(host, parts.port or (443 if parts.scheme == "https" else 80))


class _PublicOnlyBackend(httpcore.SyncBackend):
    """Resolves and checks the host again at connect time and connects to the very address it
    checked, so a DNS answer that changes between check and connect (rebinding) cannot reach a
    private address. TLS still verifies the certificate against the host name."""

    def connect_tcp(
        self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        address = _public_addresses(host, port)[0]
        return super().connect_tcp(address, port, timeout, local_address, socket_options)


def _public_only_transport() -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport(trust_env=False)  # no proxy: the check must see the real peer
    # httpx takes no network backend; its connection pool does. Same pool, checked connects.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False), network_backend=_PublicOnlyBackend(),
    )
    return transport


def _retry_delay(settings: IngestSettings, attempt: int, response: httpx.Response | None) -> float:
    delay = settings.fetch_backoff_s * (2**attempt)
    if response is not None and response.status_code == 429:
        header = response.headers.get("retry-after", "")
        if header.isdigit():
            delay = max(delay, min(float(header), MAX_RETRY_AFTER_S))
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
        transport=None if settings.allow_private_addresses else _public_only_transport(),
        timeout=settings.fetch_timeout_s,
        headers={"User-Agent": settings.user_agent, "Accept": "text/html, application/xhtml+xml, */*;q=0.5"},
        follow_redirects=False,  # followed in _fetch, hop by hop, so every hop is checked
    )


def fetch(url: str, settings: IngestSettings, client: httpx.Client | None = None) -> Fetched:
    """GET `url`; raise FetchError with a clear reason when it cannot be had."""
    own = client is None
    client = client or make_client(settings)
    try:
        return _fetch(url, settings, client)
    finally:
        if own:
            client.close()


def _fetch(url: str, settings: IngestSettings, client: httpx.Client) -> Fetched:
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        _check_host(current, settings.allow_private_addresses)
        attempt = 0
        while True:
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
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError) as exc:
                if attempt >= settings.fetch_retries:
                    raise FetchError(f"unreachable after {attempt + 1} tries: {exc or type(exc).__name__}") from None
                delay = _retry_delay(settings, attempt, None)
            except httpx.TimeoutException as exc:
                raise FetchError(f"timed out after {settings.fetch_timeout_s:g} s ({type(exc).__name__})") from None
            except httpx.HTTPError as exc:
                raise FetchError(f"fetch failed: {exc or type(exc).__name__}") from None
            time.sleep(delay)
            attempt += 1
    raise FetchError(f"too many redirects (more than {MAX_REDIRECTS})")
