"""Budgets of streamed containers: small inputs that would make unbounded work (gzip of broken JSON
lines, gzip of blank lines, long lines, many WARC records) end with one clear error, and failures
beyond the first N are counted, not kept. The bombs are the issue's, made small but equivalent by
shrinking the budget with them; peak memory on the full-size ones is in benchmarks/bench_budgets.py."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyweave import pipeline
from storyweave.config import IngestSettings, Settings
from storyweave.ingest import read_inputs
from storyweave.model import IngestError, RawDocument
from storyweave.serve import ServeSettings, create_app
from storyweave.serve.writes import MAX_LISTED_ERRORS

TOKEN = "t0ken"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def good(n: int = 0) -> bytes:
    return json.dumps({"title": f"Ferry fire {n}", "text": f"The ferry Marit Olsen no. {n} caught fire on Sunday. " * 5}).encode()


GOOD = good()


def read(path: Path, **settings: object) -> list[RawDocument | IngestError]:
    return list(read_inputs([str(path)], IngestSettings(**settings)))  # type: ignore[arg-type]


def errors(items: list) -> list[IngestError]:
    return [i for i in items if isinstance(i, IngestError)]


def test_gzip_of_broken_json_lines_gives_up_with_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl.gz"
    path.write_bytes(gzip.compress(GOOD + b"\n" + b'{"text": "unterminated\n' * 200_000, 9))
    items = read(path, max_failures=10)
    assert isinstance(items[0], RawDocument)
    assert len(items) == 1 + 10 + 1  # the good line, the first 10 bad ones, then the one error that ends it
    assert items[-1].source == str(path)
    assert items[-1].reason == "gave up on this input: 11 bad records and 1 good so far (the first 10 are listed)"


def test_gzip_of_blank_lines_stops_at_the_line_budget(tmp_path: Path) -> None:
    path = tmp_path / "blank.jsonl.gz"
    path.write_bytes(gzip.compress(GOOD + b"\n" + b"\n" * 500_000, 9))
    doc, err = read(path, max_records=10_000)
    assert isinstance(doc, RawDocument)
    assert isinstance(err, IngestError) and "stopped: more than 10000 lines" in err.reason
    # all blank: refused from its head, nothing to stream
    (tmp_path / "allblank.gz").write_bytes(gzip.compress(b"\n" * 500_000, 9))
    (only,) = read(tmp_path / "allblank.gz")
    assert isinstance(only, IngestError) and "only whitespace" in only.reason


def test_bytes_budget_stops_a_long_line_bomb(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl.gz"
    path.write_bytes(gzip.compress(GOOD + b"\n" + b"{" + b"x" * 3_000_000 + b"\n", 9))
    doc, err = read(path, max_record_bytes=100_000, max_stream_bytes=1_000_000)
    assert isinstance(doc, RawDocument)
    assert "stopped: more than 1000000 bytes (decompressed)" in err.reason


def test_failures_beyond_the_first_n_are_counted_not_kept(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"".join(good(n) + b"\n" + b"not json\n" * 3 for n in range(50)))
    items = read(path, max_failures=5)
    assert sum(isinstance(i, RawDocument) for i in items) == 50
    errs = errors(items)
    assert len(errs) == 6
    assert errs[-1].reason == "145 more bad records not listed (150 in all, 50 good)"


def _warc(records: int) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for n in range(records):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            f"https://x.example/{n}", "response", payload=io.BytesIO(b"<html><p>page %d</p></html>" % n),
            http_headers=headers,
        ))
    return out.getvalue()


def test_warc_record_and_byte_budgets(tmp_path: Path) -> None:
    path = tmp_path / "many.warc.gz"
    path.write_bytes(_warc(30))
    items = read(path, max_records=10)
    assert sum(isinstance(i, RawDocument) for i in items) == 10
    assert "stopped: more than 10 WARC records" in items[-1].reason
    items = read(path, max_stream_bytes=1000)
    assert "stopped: more than 1000 bytes" in items[-1].reason


@pytest.mark.slow
def test_server_response_summarises_errors_and_stays_small(db: str) -> None:
    client = TestClient(create_app(ServeSettings(db=db, token=TOKEN)))
    body = gzip.compress(b"".join(good(n) + b"\n" + b'{"text": 1}\n' * 5 for n in range(50)), 9)  # 250 bad, 50 good
    resp = client.post("/api/articles?name=batch.jsonl.gz", content=body,
                       headers={**AUTH, "Content-Type": "application/gzip"})
    assert resp.status_code == 201, resp.text
    data = resp.json()
    assert len(data["added"]) == 50
    assert data["error_count"] == 101  # 100 listed by the reader, then its count of the rest
    assert len(data["errors"]) == MAX_LISTED_ERRORS + 1
    assert data["errors"][-1]["reason"] == f"{101 - MAX_LISTED_ERRORS} more errors not listed"
    assert len(resp.content) < 20_000


def test_server_gives_up_on_a_bad_upload(db: str) -> None:
    client = TestClient(create_app(ServeSettings(db=db, token=TOKEN)))
    body = gzip.compress(GOOD + b"\n" + b'{"text": "unterminated\n' * 1_000_000, 9)  # 23 MB of bad lines
    resp = client.post("/api/articles?name=b.jsonl.gz", content=body,
                       headers={**AUTH, "Content-Type": "application/gzip"})
    assert resp.status_code == 422  # given up on: all or nothing, so the good line is not stored either
    data = resp.json()
    assert data["error_count"] == 101 and len(resp.content) < 20_000
    assert data["error"].startswith("nothing stored: upload:b.jsonl.gz: gave up on this input")
    assert data["inputs"] == [{"source": "upload:b.jsonl.gz", "stored": False, "added": 0, "duplicates": 0,
                               "errors": 101, "reason": data["error"].split(": ", 2)[2]}]


def test_run_keeps_failures_bounded(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl.gz"
    path.write_bytes(gzip.compress(GOOD + b"\n" + b"{oops\n" * 300_000, 9))
    report = pipeline.run([str(path)], Settings(db=str(tmp_path / "s.db"), out=str(tmp_path / "out")))
    assert len(report.added) == 1
    assert len(report.failures) == IngestSettings().max_failures + 1
    assert report.failures[-1].reason.startswith("gave up on this input: 101 bad records and 1 good")
