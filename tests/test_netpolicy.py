"""The address policy (ingest/netpolicy.py) through every path that opens a connection: the first
URL (CLI and server), a redirect hop, a link-only entry of an uploaded feed, and the connect-time
check. Every outgoing connect() is recorded: none may reach a refused address."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import unquote

import httpcore
import pytest
from fastapi.testclient import TestClient
from localhttp import serving

from storyweave.config import IngestSettings
from storyweave.ingest import read_bytes, read_inputs
from storyweave.ingest.netpolicy import AddressPolicy
from storyweave.model import IngestError, RawDocument
from storyweave.serve import ServeSettings, create_app

TOKEN = "t0ken"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PAGE = (Path(__file__).resolve().parents[1] / "examples" / "riverbend-post-ferry.html").read_bytes()

# host as written in a URL -> what the refusal names
REFUSED = {
    "100.100.100.200": "shared address space",
    "100.64.0.1": "shared address space",
    "[2002:a9fe:a9fe::]": "6to4 form of 169.254.169.254: link-local",
    "[2002:a00:1::]": "6to4 form of 10.0.0.1: private",
    "[fec0::1]": "site-local",
    "[64:ff9b::a9fe:a9fe]": "NAT64 form of 169.254.169.254: link-local",
    "[64:ff9b::7f00:1]": "NAT64 form of 127.0.0.1: loopback",
    "[64:ff9b:1::a00:1]": "local-use NAT64",
    "[::ffff:10.0.0.1]": "IPv4-mapped form of 10.0.0.1: private",
    "[::ffff:127.0.0.1]": "IPv4-mapped form of 127.0.0.1: loopback",
    "127.0.0.1": "loopback",
    "[::1]": "loopback",
    "169.254.169.254": "link-local",
    "[fe80::1]": "link-local",
    "224.0.0.1": "multicast",
    "[ff0e::1]": "multicast",
    "0.0.0.0": "unspecified",
    "[::]": "unspecified",
    "10.1.2.3": "private",
    "172.16.0.1": "private",
    "192.168.1.1": "private",
    "[fc00::1]": "private",
    "192.0.0.8": "IETF protocol assignments",
    "198.18.0.1": "benchmarking",
    "240.0.0.1": "reserved",
    "255.255.255.255": "reserved",
    "[2001:db8::1]": "documentation",
    "[2001:0:4136:e378:8000:63bf:3fff:fdd2]": "Teredo",
    "[::7f00:1]": "reserved",
    "[100::1]": "private",
}
# Loopback is the one range a test server lives in; where it is allowed (redirect tests), skip it.
NOT_LOOPBACK = {host: why for host, why in REFUSED.items() if why != "loopback"}
PUBLIC = ["8.8.8.8", "93.184.216.34", "2606:4700::1111", "2002:808:808::", "64:ff9b::808:808", "::ffff:8.8.8.8"]


def _literal(host: str) -> str:
    return host.strip("[]")


@pytest.fixture()
def connects(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every address a socket in this process connects to."""
    seen: list[str] = []
    real = socket.socket.connect

    def recording(self: socket.socket, address: object) -> object:
        seen.append(str(address[0]) if isinstance(address, tuple) else str(address))  # type: ignore[index]
        return real(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", recording)
    return seen


def _only_loopback(seen: list[str]) -> bool:
    return all(a in ("127.0.0.1", "::1") for a in seen)


class _Redirector(BaseHTTPRequestHandler):
    """/to/URL answers 302 to URL; /article serves a page."""

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path.startswith("/to/"):
            self.send_response(302)
            self.send_header("Location", unquote(self.path[4:]))
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)


@pytest.fixture(scope="module")
def redirector() -> Iterator[str]:
    with serving(_Redirector) as url:
        yield url


def _settings(**extra: object) -> IngestSettings:
    return IngestSettings(fetch_retries=0, fetch_timeout_s=3.0, **extra)  # type: ignore[arg-type]


def _feed(link: str) -> bytes:
    return f"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>Linked</title><link>{link}</link><description>A teaser.</description></item>
</channel></rss>""".encode()


# -- the policy itself --------------------------------------------------------------------------


@pytest.mark.parametrize("host", REFUSED)
def test_policy_names_each_refused_range(host: str) -> None:
    assert REFUSED[host] in (AddressPolicy().refusal(_literal(host)) or "")


@pytest.mark.parametrize("address", PUBLIC)
def test_policy_allows_public_addresses(address: str) -> None:
    assert AddressPolicy().refusal(address) is None


def test_loopback_only_through_the_test_setting() -> None:
    policy = AddressPolicy(allow_loopback_for_tests=True)
    assert policy.refusal("127.0.0.1") is None and policy.refusal("::1") is None
    assert policy.refusal("10.0.0.1") == "private"  # nothing else opens up
    assert policy.refusal("::ffff:127.0.0.1")  # nor an embedded loopback
    assert IngestSettings().allow_loopback_for_tests is False
    assert ServeSettings().allow_loopback_for_tests is False


def test_no_private_httpx_or_httpcore_attribute_is_touched() -> None:
    """The transport is built from public interfaces only (the old code assigned `transport._pool`)."""
    import importlib
    import re

    for name in ("storyweave.ingest.fetch", "storyweave.ingest.netpolicy"):
        module = importlib.import_module(name)
        source = Path(module.__file__).read_text(encoding="utf-8")
        assert not re.search(r"(httpx|httpcore|transport|client|_pool)\._[a-z]", source), module.__name__
        assert "httpx._" not in source and "httpcore._" not in source


# -- path 1: the first URL --------------------------------------------------------------------


@pytest.mark.parametrize("host", REFUSED)
def test_first_url_is_refused_before_any_connection(host: str, connects: list[str]) -> None:
    (err,) = read_inputs([f"http://{host}:8080/latest/meta-data/"], _settings())
    assert isinstance(err, IngestError) and "non-public address" in err.reason and REFUSED[host] in err.reason
    assert connects == []


def test_url_with_blanks_around_it_is_a_url_not_a_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    trap = tmp_path / " http:" / "127.0.0.1:9" / "y"  # what " http://127.0.0.1:9/y" names as a path
    trap.parent.mkdir(parents=True)
    trap.write_text("a local file that must not be read " * 20)
    monkeypatch.chdir(tmp_path)
    for given in (" http://127.0.0.1:9/y", "\thttp://127.0.0.1:9/y \n"):
        (err,) = read_inputs([given], _settings())
        assert isinstance(err, IngestError) and err.source == "http://127.0.0.1:9/y"
        assert "non-public address (127.0.0.1, loopback)" in err.reason


@pytest.mark.parametrize("host", REFUSED)
def test_server_refuses_first_url_with_400(host: str, db: str, connects: list[str]) -> None:
    client = TestClient(create_app(ServeSettings(db=db, token=TOKEN)))
    resp = client.post("/api/ingest-url", json={"url": f" http://{host}/x"}, headers=AUTH)
    assert resp.status_code == 400, resp.text
    assert REFUSED[host] in resp.json()["error"]
    assert connects == []


# -- path 2: a redirect hop (from a test server on 127.0.0.1) ---------------------------------


@pytest.mark.parametrize("host", NOT_LOOPBACK)
def test_redirect_hop_is_refused(host: str, redirector: str, connects: list[str]) -> None:
    (err,) = read_inputs([f"{redirector}/to/http://{host}/latest"], _settings(allow_loopback_for_tests=True))
    assert isinstance(err, IngestError) and REFUSED[host] in err.reason, err
    assert connects and _only_loopback(connects)  # the redirector was asked; the target never


def test_redirect_to_loopback_is_refused_by_default(redirector: str, connects: list[str]) -> None:
    # The first hop needs the test setting; a public first hop redirecting to loopback is the same check.
    policy = AddressPolicy()
    for host in ("127.0.0.1", "[::1]", "localhost"):
        with pytest.raises(ValueError, match="non-public"):
            policy.check_url(f"http://{host}/admin")


@pytest.mark.parametrize("host", NOT_LOOPBACK)
def test_server_refuses_redirect_hop(host: str, redirector: str, db: str, connects: list[str]) -> None:
    client = TestClient(create_app(ServeSettings(db=db, token=TOKEN, allow_loopback_for_tests=True)))
    resp = client.post("/api/ingest-url", json={"url": f"{redirector}/to/http://{host}/x"}, headers=AUTH)
    assert resp.status_code == 422, resp.text
    assert REFUSED[host] in resp.json()["error"]
    assert _only_loopback(connects)


# -- path 3: a link-only entry of an uploaded feed --------------------------------------------


@pytest.mark.parametrize("host", REFUSED)
def test_feed_link_is_refused(host: str, connects: list[str]) -> None:
    (err,) = read_bytes(_feed(f"http://{host}/article"), "upload:feed.xml", _settings())
    assert isinstance(err, IngestError) and REFUSED[host] in err.reason
    assert connects == []


@pytest.mark.parametrize("host", REFUSED)
def test_server_refuses_uploaded_feed_link(host: str, db: str, connects: list[str]) -> None:
    client = TestClient(create_app(ServeSettings(db=db, token=TOKEN)))
    resp = client.post("/api/articles?name=feed.xml", content=_feed(f"http://{host}/a"),
                       headers={**AUTH, "Content-Type": "application/rss+xml"})
    assert resp.status_code == 422, resp.text
    assert REFUSED[host] in resp.json()["error"]
    assert connects == []


# -- path 4: the connect-time check (a name that resolves elsewhere when connecting) ---------------


@pytest.mark.parametrize("host", REFUSED)
def test_connect_time_check_refuses_a_rebound_name(host: str, monkeypatch: pytest.MonkeyPatch, connects: list[str]) -> None:
    real = socket.getaddrinfo
    answers = iter(["93.184.216.34"])  # public when checked, then the refused address

    def rebinding(name: str, port: object, *args: object, **kwargs: object) -> list:
        if name != "rebind.test":
            return real(name, port, *args, **kwargs)  # type: ignore[arg-type]
        address = next(answers, _literal(host))
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    (err,) = read_inputs(["http://rebind.test/x"], _settings())
    assert isinstance(err, IngestError) and REFUSED[host] in err.reason, err
    assert connects == []


def test_a_public_address_passes_every_check(monkeypatch: pytest.MonkeyPatch, redirector: str) -> None:
    """A public name (played by a stand-in resolver pointing at the test server) is fetched."""
    port = int(redirector.rsplit(":", 1)[1])
    real = socket.getaddrinfo
    calls: list[str] = []

    def public(name: str, *args: object, **kwargs: object) -> list:
        if name != "public.test":
            return real(name, *args, **kwargs)  # type: ignore[arg-type]
        calls.append(name)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port))]

    monkeypatch.setattr(socket, "getaddrinfo", public)
    dialled: list[str] = []
    real_connect = httpcore.SyncBackend.connect_tcp

    def network(self: httpcore.SyncBackend, host: str, p: int, *args: object, **kwargs: object) -> object:
        dialled.append(host)  # the address the policy checked; the "internet" routes it to the test server
        return real_connect(self, "127.0.0.1", port, *args, **kwargs) if host == "93.184.216.34" else None

    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", network)
    (doc,) = read_inputs(["http://public.test/article"], _settings())
    assert isinstance(doc, RawDocument) and doc.data == PAGE
    assert len(calls) == 2  # checked before the request, and again when connecting
    assert dialled == ["93.184.216.34"]  # connected to the checked address, not the name
