"""The address policy: the one place that decides whether storyweave may connect somewhere.

Every outgoing connection goes through it: the first URL (the server checks it before doing
anything else), each redirect hop, each link of a feed entry, and the connection itself, which
resolves the host again, checks every address and connects to an address it checked (so a DNS
answer that changes between check and connect cannot reach a private address).

Only public unicast addresses are allowed. Refused: loopback, private (RFC 1918, ULA), shared
address space (100.64.0.0/10), link-local, site-local (fec0::/10), multicast, unspecified,
reserved, documentation and benchmarking ranges, and any IPv6 address that embeds an IPv4 one
(IPv4-mapped, 6to4, NAT64) whose IPv4 address is not public itself. The CLI and the server
apply the same policy; the only exception is `allow_loopback_for_tests`, which lets tests fetch
from a server on 127.0.0.1 and is offered by no command-line option.
"""

from __future__ import annotations

import contextvars
import ipaddress
import socket
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

MAX_URL_CHARS = 2048

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_V4_NOT_PUBLIC = (  # not caught by `is_global` on every Python this runs on
    (ipaddress.IPv4Network("100.64.0.0/10"), "shared address space (carrier-grade NAT, cloud metadata)"),
    (ipaddress.IPv4Network("192.0.0.0/24"), "IETF protocol assignments"),
    (ipaddress.IPv4Network("192.88.99.0/24"), "6to4 relay anycast"),
    (ipaddress.IPv4Network("198.18.0.0/15"), "benchmarking"),
)
_V6_GLOBAL_UNICAST = ipaddress.IPv6Network("2000::/3")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # well-known prefix: embeds a public IPv4 address
_V6_NOT_PUBLIC = (
    (ipaddress.IPv6Network("64:ff9b:1::/48"), "local-use NAT64"),
    (ipaddress.IPv6Network("2001::/32"), "Teredo"),
    (ipaddress.IPv6Network("2001:db8::/32"), "documentation"),
)


class RefusedURL(ValueError):
    """The URL or address may not be connected to; the message says why."""


def is_url(text: str) -> bool:
    """Whether an input names a URL (blanks around it are ignored, as everywhere)."""
    return text.strip().lower().startswith(("http://", "https://"))


def _kind(ip: IPAddress) -> str | None:
    """Why `ip` is not a public unicast address (a short name of its range), or None if it is."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            inner = _kind(embedded)
            if inner is None:
                return None  # the IPv6 form of a public IPv4 address reaches that public address
            label = "IPv4-mapped" if ip.ipv4_mapped else "6to4" if ip.sixtofour else "NAT64"
            return f"{label} form of {embedded}: {inner}"
        for network, name in _V6_NOT_PUBLIC:
            if ip in network:
                return name
    else:
        for v4_network, name in _V4_NOT_PUBLIC:
            if ip in v4_network:
                return name
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.is_site_local:
            return "site-local"
        if ip not in _V6_GLOBAL_UNICAST:
            return "private" if ip.is_private else "reserved"
    if ip.is_reserved:
        return "reserved"
    if ip.is_private:
        return "private"
    if not ip.is_global:
        return "not globally routable"
    return None


@dataclass(frozen=True)
class AddressPolicy:
    """Public addresses only; `allow_loopback_for_tests` adds loopback (127.0.0.0/8, ::1)."""

    allow_loopback_for_tests: bool = False

    def refusal(self, address: str) -> str | None:
        """Why `address` (an IP literal) may not be connected to, or None when it may."""
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        kind = _kind(ip)
        if kind == "loopback" and self.allow_loopback_for_tests:
            return None
        return kind

    def resolve(self, host: str, port: int) -> list[str]:
        """Every address `host` resolves to, in resolver order; RefusedURL unless all are allowed."""
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            why = exc.strerror if isinstance(exc, socket.gaierror) and exc.strerror else exc
            raise RefusedURL(f"cannot resolve host {host!r}: {why}") from None
        addresses = list(dict.fromkeys(str(info[4][0]).split("%", 1)[0] for info in infos))
        if not addresses:
            raise RefusedURL(f"cannot resolve host {host!r}")
        for address in addresses:
            kind = self.refusal(address)
            if kind:
                raise RefusedURL(
                    f"refused: {host} resolves to a non-public address ({address}, {kind})"
                )
        return addresses

    def check_url(self, url: str) -> str:
        """`url` without surrounding blanks, if it is http(s), carries no credentials and its
        host resolves only to allowed addresses; RefusedURL naming the reason otherwise."""
        url = url.strip()
        if len(url) > MAX_URL_CHARS:
            raise RefusedURL(f"refused: URL longer than {MAX_URL_CHARS} characters")
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise RefusedURL(f"refused: malformed URL {url!r}: {exc}") from None
        if parts.scheme.lower() not in ("http", "https"):
            raise RefusedURL(f"refused: only http and https URLs are fetched, not {parts.scheme or 'no scheme'!r}")
        host = parts.hostname
        if not host:
            raise RefusedURL("refused: the URL has no host")
        if parts.username is not None or parts.password is not None:
            raise RefusedURL("refused: credentials in URLs are not accepted")
        self.resolve(host, port or (443 if parts.scheme.lower() == "https" else 80))
        return url


# -- an overall deadline over every connection made in a block -----------------------------------

_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("storyweave_deadline", default=None)


class DeadlinePassed(httpcore.TimeoutException):
    """The overall deadline of the enclosing `deadline()` block passed."""


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Every connect, read and write in this block ends `seconds` from now at the latest (or at
    an enclosing block's earlier deadline): a slow-drip server cannot hold a fetch longer."""
    ends = time.monotonic() + seconds
    outer = _DEADLINE.get()
    token = _DEADLINE.set(ends if outer is None else min(outer, ends))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def time_left() -> float | None:
    """Seconds left before the current deadline (None: no deadline; never below 0)."""
    ends = _DEADLINE.get()
    return None if ends is None else max(0.0, ends - time.monotonic())


def _bounded(timeout: float | None) -> float | None:
    left = time_left()
    if left is None:
        return timeout
    if left <= 0:
        raise DeadlinePassed("the overall deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write is bounded by the deadline in force at that time."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self.inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, _bounded(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, _bounded(timeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self.inner.start_tls(ssl_context, server_hostname, _bounded(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


# -- the connection: httpx over httpcore, with a network backend that asks the policy ----------


class _PolicyBackend(httpcore.NetworkBackend):
    """httpcore's own synchronous backend, connecting only to addresses the policy allowed
    (resolved here, at connect time). TLS still verifies the certificate against the host name."""

    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy
        self.tcp = httpcore.SyncBackend()

    def connect_tcp(
        self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        failure: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in self.policy.resolve(host, port):
            try:
                stream = self.tcp.connect_tcp(address, port, _bounded(timeout), local_address, socket_options)
                return _DeadlineStream(stream)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are never connected to")

    def sleep(self, seconds: float) -> None:
        self.tcp.sleep(seconds)


# httpcore's exceptions as httpx's (most specific first), so callers see one family.
_MAPPED: tuple[tuple[type[Exception], type[httpx.RequestError]], ...] = (
    (DeadlinePassed, httpx.TimeoutException),
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.ProtocolError, httpx.ProtocolError),
    (httpcore.NetworkError, httpx.NetworkError),
)


@contextmanager
def _as_httpx_errors(request: httpx.Request) -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        for theirs, ours in _MAPPED:
            if isinstance(exc, theirs):
                raise ours(str(exc), request=request) from exc
        raise


class _ResponseStream(httpx.SyncByteStream):
    def __init__(self, stream: Iterable[bytes], request: httpx.Request) -> None:
        self.stream = stream
        self.request = request

    def __iter__(self) -> Iterator[bytes]:
        with _as_httpx_errors(self.request):
            yield from self.stream

    def close(self) -> None:
        close = getattr(self.stream, "close", None)
        if close is not None:
            close()


class PolicyTransport(httpx.BaseTransport):
    """An httpx transport over an httpcore connection pool whose every connection is made by
    `_PolicyBackend`. Built only from httpx's and httpcore's public interfaces. No proxy: the
    policy must see the real peer."""

    def __init__(self, policy: AddressPolicy) -> None:
        self.pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False), network_backend=_PolicyBackend(policy),
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme, host=request.url.raw_host, port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _as_httpx_errors(request):
            response = self.pool.handle_request(core)
        return httpx.Response(
            status_code=response.status, headers=response.headers,
            stream=_ResponseStream(response.stream, request),  # type: ignore[arg-type]
            extensions=response.extensions,
        )

    def close(self) -> None:
        self.pool.close()
