"""Uploads are all or nothing per input and reported per input; a WARC cut at any byte gives a
named error (never "internal error", never a record dropped without a word)."""

from __future__ import annotations

import gzip
import io

import pytest
from fastapi.testclient import TestClient
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyweave.ingest import read_bytes
from storyweave.model import IngestError, RawDocument
from storyweave.serve import ServeSettings, create_app
from storyweave.store import Store

TOKEN = "t0ken"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TEXT = ("The ferry Marit Olsen caught fire off Riverbend on Sunday, the harbour master said. "
        "Investigators will board the vessel on Monday. ") * 4


def warc(records: int, *, gz: bool) -> tuple[bytes, list[int]]:
    """A WARC of HTML responses, and where each record ends."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    ends = []
    for n in range(records):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        page = f"<html><head><title>Ferry {n}</title></head><body><p>{TEXT} Report {n}.</p></body></html>"
        writer.write_record(writer.create_warc_record(
            f"https://x.example/{n}", "response", payload=io.BytesIO(page.encode()), http_headers=headers,
        ))
        ends.append(out.tell())
    return out.getvalue(), ends


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
def test_every_cut_point_of_a_warc_gives_a_named_error(gz: bool) -> None:
    data, ends = warc(3, gz=gz)
    # An uncompressed record closes with CRLF CRLF after its content; a cut in those four bytes
    # loses nothing. A cut exactly at a record's end is a shorter, valid WARC.
    complete_at = {cut: n for n, end in enumerate(ends, 1) for cut in (range(end - 4, end + 1) if not gz else [end])}
    for cut in range(len(b"WARC/1.") if not gz else 2, len(data)):  # shorter: not recognisable as WARC
        items = list(read_bytes(data[:cut], "upload:cut.warc"))
        docs = [i for i in items if isinstance(i, RawDocument)]
        errors = [i for i in items if isinstance(i, IngestError)]
        assert not any("internal error" in e.reason for e in errors), (cut, errors)
        whole = [e for e in errors if e.source == "upload:cut.warc"]
        if cut in complete_at:
            assert len(docs) == complete_at[cut] and not whole, (cut, items)
        else:
            assert whole and any(w in whole[-1].reason for w in ("truncated", "corrupt")), (cut, items)


def _post(client: TestClient, body: bytes, name: str, ctype: str) -> dict:
    resp = client.post(f"/api/articles?name={name}", content=body, headers={**AUTH, "Content-Type": ctype})
    return {"status": resp.status_code, **resp.json()}


@pytest.mark.slow
def test_a_cut_warc_upload_stores_nothing_and_says_why(db: str) -> None:
    client = TestClient(create_app(ServeSettings(db=db, token=TOKEN)))
    data, ends = warc(20, gz=False)
    cut = ends[15] + 40  # inside record 17's header: 16 complete records before it
    got = _post(client, data[:cut], "crawl.warc", "application/warc")
    assert got["status"] == 422
    assert got["error"].startswith("nothing stored: upload:crawl.warc: corrupt WARC after record 16")
    (report,) = got["inputs"]
    assert report["source"] == "upload:crawl.warc" and report["stored"] is False and report["added"] == 0
    with Store(db) as store:
        assert store.article_count() == 0
    # the whole file, sent again, is stored, read and clustered whole
    got = _post(client, data, "crawl.warc", "application/warc")
    assert got["status"] == 201 and len(got["added"]) == 20
    assert got["inputs"][0]["stored"] is True and got["inputs"][0]["added"] == 20
    with Store(db) as store:
        placed = {a for s in store.stories() for a in s.article_ids}
        assert placed == set(store.iter_article_ids()) and len(placed) == 20
        assert set(store.reading_versions()) == placed


def test_a_cut_gzip_upload_stores_nothing(db: str) -> None:
    client = TestClient(create_app(ServeSettings(db=db, token=TOKEN)))
    lines = b"".join(b'{"title": "T%d", "text": "%s %d"}\n' % (n, TEXT.encode(), n) for n in range(10))
    packed = gzip.compress(lines)
    got = _post(client, packed[: len(packed) - 30], "batch.jsonl.gz", "application/gzip")
    assert got["status"] == 422 and "truncated gzip" in got["error"] and got["inputs"][0]["stored"] is False
    with Store(db) as store:
        assert store.article_count() == 0


def test_bad_records_are_reported_one_by_one_and_the_good_ones_stored(db: str) -> None:
    client = TestClient(create_app(ServeSettings(db=db, token=TOKEN)))
    lines = b'{"title": "A", "text": "%s"}\n{"title": "no text"}\nnot json\n' % TEXT.encode()
    got = _post(client, lines, "batch.jsonl", "application/x-ndjson")
    assert got["status"] == 201 and len(got["added"]) == 1 and got["error_count"] == 2
    assert [e["source"] for e in got["errors"]] == ["upload:batch.jsonl#2", "upload:batch.jsonl#3"]
    assert got["inputs"][0]["stored"] is True and got["inputs"][0]["errors"] == 2
