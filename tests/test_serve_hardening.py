"""Smaller hardening: deeply nested JSON is a 422 (parsed off the event loop), a JSON Lines line
nested too deeply is a named error, and a 500 carries the security headers too."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from storyweave.ingest import read_bytes
from storyweave.model import IngestError
from storyweave.serve import ServeSettings, create_app
from storyweave.store import Store

TOKEN = "t0ken"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_deeply_nested_json_body_is_a_422(db: str) -> None:
    client = TestClient(create_app(ServeSettings(db=db, token=TOKEN)))
    for body in (b"[" * 100_000 + b"]" * 100_000, b'{"text": "x", "a": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"):
        resp = client.post("/api/articles", content=body, headers={**AUTH, "Content-Type": "application/json"})
        assert resp.status_code == 422, resp.text
        assert "nested too deeply" in resp.json()["error"]


def test_deeply_nested_json_line_is_a_named_error() -> None:
    line = b'{"text": "A story.", "a": ' + b"[" * 50_000 + b"]" * 50_000 + b"}\n"
    items = list(read_bytes(b'{"text": "First story here."}\n' + line, "upload:deep.jsonl"))
    errors = [i for i in items if isinstance(i, IngestError)]
    assert [e.reason for e in errors] == ["line 2 is JSON nested too deeply to read"]
    (err,) = read_bytes(line, "upload:deep-first.jsonl")
    assert isinstance(err, IngestError) and "nested too deeply" in err.reason


def test_a_500_carries_the_security_headers(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    client = TestClient(create_app(ServeSettings(db=db, token=TOKEN)), raise_server_exceptions=False)

    def broken(self: Store) -> list:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Store, "storylines", broken)
    resp = client.get("/api/storylines")
    assert resp.status_code == 500 and resp.json() == {"error": "internal error: RuntimeError", "status": 500}
    assert "default-src 'none'" in resp.headers["content-security-policy"]
    assert resp.headers["x-content-type-options"] == "nosniff"
