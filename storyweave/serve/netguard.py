"""Which URLs a server may fetch on a user's behalf: only public http(s) addresses.

Checked before the ingest stage is called (which, with `allow_private_addresses=False`, checks
again at connection time): a request naming a loopback, private, link-local or otherwise
non-global address is refused here with a clear reason and no connection is ever opened.
Name resolution (getaddrinfo) is the only network-facing call made, and it opens no connection
to the target.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

MAX_URL_CHARS = 2048
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class RefusedURL(ValueError):
    """The URL may not be fetched by the server; the message says why."""


def _is_public(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(addr, ipaddress.IPv6Address):
        # ::ffff:127.0.0.1, 2002:7f00:1:: and 64:ff9b::10.0.0.1 reach the IPv4 address they embed.
        embedded = addr.ipv4_mapped or addr.sixtofour
        if embedded is None and addr in _NAT64:
            embedded = ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
        if embedded is not None:
            return _is_public(embedded)
    return addr.is_global and not addr.is_multicast


def resolve_addresses(host: str, port: int) -> list[str]:
    """All addresses `host` resolves to (an IP literal resolves to itself)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise RefusedURL(f"cannot resolve host {host!r}: {exc}") from exc
    return sorted({str(info[4][0]).split("%", 1)[0] for info in infos})


def check_public_url(url: str) -> str:
    """Return `url` if it is http(s) and every address its host resolves to is public.

    Raises RefusedURL naming the URL and the reason otherwise.
    """
    if len(url) > MAX_URL_CHARS:
        raise RefusedURL(f"URL longer than {MAX_URL_CHARS} characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise RefusedURL(f"malformed URL {url!r}: {exc}") from exc
    if parts.scheme not in ("http", "https"):
        raise RefusedURL(f"refused {url!r}: only http and https URLs can be fetched")
    host = parts.hostname
    if not host:
        raise RefusedURL(f"refused {url!r}: no host")
    if parts.username or parts.password:
        raise RefusedURL(f"refused {url!r}: credentials in URLs are not accepted")
    addresses = resolve_addresses(host, port or (443 if parts.scheme == "https" else 80))
    if not addresses:
        raise RefusedURL(f"cannot resolve host {host!r}")
    for text in addresses:
        if not _is_public(ipaddress.ip_address(text)):
            raise RefusedURL(
                f"refused {url!r}: {host} resolves to {text}, a private, loopback, link-local "
                "or reserved address the server does not fetch from"
            )
    return url
