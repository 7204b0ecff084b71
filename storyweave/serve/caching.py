"""HEAD for every GET route, and ETags on successful reads.

A GET answered 200 gets an ETag (a hash of its body) and `Cache-Control: no-cache` (a client
may keep it but asks again, cheaply: a matching If-None-Match is answered 304 without a body).
HEAD runs the GET and sends its headers only. Bodies over MAX_TAGGED_BYTES (a large export)
pass through untagged, never held whole.
"""

from __future__ import annotations

import hashlib

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_TAGGED_BYTES = 8 * 1024 * 1024


class ConditionalGetMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope.get("method")
        if scope["type"] != "http" or method not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        head = method == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        wanted = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"if-none-match"), None)
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0
        passing = False  # not tagged: forwarded as it comes

        async def forward_start(message: Message, extra: list[tuple[bytes, bytes]]) -> None:
            headers = [*message.get("headers", []), *extra]
            await send({**message, "headers": headers})

        async def buffered_send(message: Message) -> None:
            nonlocal start, size, passing
            if message["type"] == "http.response.start":
                start = message
                if message["status"] != 200:
                    passing = True
                    await send(message)
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            if passing:
                await send({**message, "body": b""} if head else message)
                return
            assert start is not None
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            more = message.get("more_body", False)
            if more and size <= MAX_TAGGED_BYTES:
                return
            if more:  # too big to tag: send what is held and stream the rest
                passing = True
                await send(start)
                await send({"type": "http.response.body", "body": b"" if head else b"".join(chunks), "more_body": True})
                return
            body = b"".join(chunks)
            etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
            present = {k.lower() for k, _ in start.get("headers", [])}
            extra: list[tuple[bytes, bytes]] = [(b"etag", etag.encode())]
            if b"cache-control" not in present:
                extra.append((b"cache-control", b"no-cache"))
            if wanted and etag in [t.strip().removeprefix("W/") for t in wanted.split(",")]:
                kept = [(k, v) for k, v in start.get("headers", []) if k.lower() not in (b"content-length", b"content-type")]
                await send({"type": "http.response.start", "status": 304, "headers": [*kept, *extra]})
                await send({"type": "http.response.body", "body": b""})
                return
            await forward_start(start, extra)
            await send({"type": "http.response.body", "body": b"" if head else body})

        await self.app(scope, receive, buffered_send)


__all__ = ["ConditionalGetMiddleware"]
