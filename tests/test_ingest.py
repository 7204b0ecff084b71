"""The readers on real files: text, HTML, JSON Lines, WARC / WARC.gz, RSS / Atom, gzip, folders."""

from __future__ import annotations

import gzip
import io
import json
import os
import sys
import tracemalloc
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyweave.config import IngestSettings
from storyweave.ingest import read_inputs, sniff
from storyweave.model import IngestError, RawDocument

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
HTML_PAGE = (EXAMPLES / "riverbend-post-ferry.html").read_bytes()
TEXT_ARTICLE = (EXAMPLES / "daily-ledger-ferry-fire.txt").read_bytes()


def read(*inputs: object, **settings: object) -> list[RawDocument | IngestError]:
    return list(read_inputs([str(i) for i in inputs], IngestSettings(**settings)))


def docs(items: list[RawDocument | IngestError]) -> list[RawDocument]:
    return [i for i in items if isinstance(i, RawDocument)]


def errors(items: list[RawDocument | IngestError]) -> list[IngestError]:
    return [i for i in items if isinstance(i, IngestError)]


# -- plain files ---------------------------------------------------------------------------------


def test_seed_text_files_are_read_unchanged(seeds_dir: Path) -> None:
    items = read(seeds_dir)
    files = sorted(p for p in seeds_dir.iterdir() if p.is_file() and not p.name.startswith("."))
    assert [d.source for d in docs(items)] == [str(p) for p in files]
    for doc, path in zip(docs(items), files):
        assert doc.format == "text"
        assert doc.data == path.read_bytes()
        assert doc.sha256 == __import__("hashlib").sha256(path.read_bytes()).hexdigest()
    assert not errors(items)


def test_html_is_recognised_from_content_not_name(tmp_path: Path) -> None:
    # An HTML page saved without an extension, and a text article misnamed .html.
    (tmp_path / "page").write_bytes(HTML_PAGE)
    (tmp_path / "story.html").write_bytes(TEXT_ARTICLE)
    by_name = {Path(d.source).name: d for d in docs(read(tmp_path))}
    assert by_name["page"].format == "html" and by_name["page"].media_type == "text/html"
    assert by_name["story.html"].format == "text"


def test_html_fragment_without_html_tag_is_html(tmp_path: Path) -> None:
    fragment = b"<div class='story'><h1>Lake ferry fire</h1>" + b"<p>Passengers were evacuated.</p>" * 6 + b"</div>"
    (tmp_path / "fragment.txt").write_bytes(fragment)
    assert docs(read(tmp_path / "fragment.txt"))[0].format == "html"


def test_non_utf8_text_is_passed_on_unchanged(tmp_path: Path) -> None:
    latin1 = "Le ferry a été évacué à Kellby; « personne n'a été blessé », a déclaré Mme Vosk.\n".encode("cp1252")
    utf16 = "A ferry caught fire on Lake Tessmer on Saturday.\n".encode("utf-16")
    utf16le_no_bom = "Passengers left in lifeboats, the fire service said.\n".encode("utf-16-le")
    (tmp_path / "latin1.txt").write_bytes(latin1)
    (tmp_path / "utf16.txt").write_bytes(utf16)
    (tmp_path / "utf16le.txt").write_bytes(utf16le_no_bom)
    items = read(tmp_path)
    assert not errors(items)
    found = {Path(d.source).name: d for d in docs(items)}
    assert found["utf16le.txt"].data == utf16le_no_bom
    assert found["latin1.txt"].data == latin1 and found["latin1.txt"].format == "text"
    assert found["utf16.txt"].data == utf16 and found["utf16.txt"].format == "text"


def test_folder_walk_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "2.txt").write_bytes(TEXT_ARTICLE + b"2")
    (tmp_path / "a" / "1.txt").write_bytes(TEXT_ARTICLE + b"1")
    (tmp_path / "a" / ".hidden.txt").write_bytes(TEXT_ARTICLE + b"h")
    (tmp_path / ".git" / "x.txt").write_bytes(TEXT_ARTICLE + b"x")
    (tmp_path / "README.md").write_text("# notes about this folder\n")
    (tmp_path / "0.txt").write_bytes(TEXT_ARTICLE + b"0")
    names = [Path(d.source).relative_to(tmp_path).as_posix() for d in docs(read(tmp_path))]
    assert names == ["0.txt", "a/1.txt", "b/2.txt"]


def test_a_named_file_is_read_even_if_a_walk_would_skip_it(tmp_path: Path) -> None:
    hidden = tmp_path / ".draft.txt"
    hidden.write_bytes(TEXT_ARTICLE)
    assert [d.data for d in docs(read(hidden))] == [TEXT_ARTICLE]


def test_symlinked_folder_loop_is_reported_once_and_walk_goes_on(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "story.txt").write_bytes(TEXT_ARTICLE)
    os.symlink(tmp_path, tmp_path / "sub" / "loop")
    items = read(tmp_path)
    assert [d.data for d in docs(items)] == [TEXT_ARTICLE]
    (err,) = errors(items)
    assert err.source == str(tmp_path / "sub" / "loop") and "loop" in err.reason


# -- gzip ----------------------------------------------------------------------------------------


def test_gzip_is_decompressed_then_sniffed(tmp_path: Path) -> None:
    (tmp_path / "page.gz").write_bytes(gzip.compress(HTML_PAGE))
    (doc,) = docs(read(tmp_path / "page.gz"))
    assert doc.format == "html" and doc.data == HTML_PAGE


def test_gzip_bomb_is_refused_by_decompressed_size(tmp_path: Path) -> None:
    (tmp_path / "bomb.gz").write_bytes(gzip.compress(b"a" * 3_000_000))
    (err,) = read(tmp_path / "bomb.gz", max_bytes=1_000_000)
    assert isinstance(err, IngestError) and "more than the limit of 1000000 bytes" in err.reason


def test_gzip_limit_below_the_sniffed_head(tmp_path: Path) -> None:
    # A document limit under the 8 KiB head read for sniffing once crashed the reader (a negative read).
    (tmp_path / "big.gz").write_bytes(gzip.compress(b"word " * 2000))
    (err,) = read(tmp_path / "big.gz", max_bytes=3000)
    assert isinstance(err, IngestError) and err.reason == "too large: it decompresses to more than the limit of 3000 bytes"
    (tmp_path / "small.gz").write_bytes(gzip.compress(b"word " * 500))
    (doc,) = docs(read(tmp_path / "small.gz", max_bytes=3000))
    assert doc.format == "text" and doc.data == b"word " * 500


# -- JSON Lines ----------------------------------------------------------------------------------


def test_jsonl_one_document_per_line_with_fields_kept(tmp_path: Path) -> None:
    lines = [
        {"id": 17, "url": "https://a.example/1", "title": "One", "text": "First story text.", "outlet": "A", "tags": ["x"]},
        {"title": "Two", "html": "<p>Second story.</p>", "published": "2026-03-14"},
    ]
    raw = b"\n".join(json.dumps(line).encode() for line in lines) + b"\n"
    path = tmp_path / "batch.data"  # no telling extension: recognised from content
    path.write_bytes(raw)
    first, second = read(path)
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert first.format == "jsonl" and first.data == raw.split(b"\n")[0]
    assert first.fields == lines[0] and first.external_id == "17" and first.url == "https://a.example/1"
    assert first.source == f"{path}#1" and second.source == f"{path}#2"
    assert second.external_id is None and second.url is None and second.fields["html"] == "<p>Second story.</p>"


def test_jsonl_bad_lines_are_errors_naming_the_line_and_the_rest_go_on(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        b'{"id": "a", "text": "Good one."}\n'
        b'{"id": "b", "text": broken\n'
        b'["not", "an", "object"]\n'
        b'\n'
        b'{"id": "c", "title": "no body"}\n'
        b'{"id": "d", "html": "<p>Good two.</p>"}\n'
    )
    items = read(path)
    assert [d.external_id for d in docs(items)] == ["a", "d"]
    reasons = {e.source: e.reason for e in errors(items)}
    assert set(reasons) == {f"{path}#2", f"{path}#3", f"{path}#5"}
    assert "not valid JSON" in reasons[f"{path}#2"]
    assert "not an object" in reasons[f"{path}#3"]
    assert "neither a 'text' nor an 'html'" in reasons[f"{path}#5"]


def test_jsonl_record_over_the_record_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_bytes(json.dumps({"text": "word " * 5000}).encode() + b"\n" + b'{"text": "small"}\n')
    items = read(path, max_record_bytes=10_000)
    assert len(docs(items)) == 1
    (err,) = errors(items)
    assert err.source == f"{path}#1" and "record limit of 10000 bytes" in err.reason


def test_jsonl_is_streamed_past_the_file_limit_and_skips_an_overlong_line(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    with path.open("wb") as handle:
        for n in range(400):
            handle.write(json.dumps({"id": n, "text": f"Story number {n}. " + "word " * 100}).encode() + b"\n")
            if n == 200:
                handle.write(json.dumps({"id": "long", "text": "w" * 8_000_000}).encode() + b"\n")
    ids: list[str | None] = []
    errs: list[IngestError] = []
    tracemalloc.start()
    try:  # records are looked at and dropped, as the pipeline does
        for item in read_inputs([str(path)], IngestSettings(max_bytes=50_000, max_record_bytes=100_000)):
            ids.append(item.external_id) if isinstance(item, RawDocument) else errs.append(item)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert ids == [str(n) for n in range(400)]
    (err,) = errs
    assert err.source == f"{path}#202" and "record limit of 100000 bytes" in err.reason
    assert peak < 4_000_000  # the 8 MB line was never held whole


def test_gzipped_jsonl_is_streamed(tmp_path: Path) -> None:
    lines = [json.dumps({"id": n, "text": f"Story {n} " * 30}).encode() for n in range(50)]
    path = tmp_path / "corpus.jsonl.gz"
    path.write_bytes(gzip.compress(b"\n".join(lines) + b"\n"))
    items = read(path)
    assert [d.data for d in docs(items)] == lines and not errors(items)
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(path.read_bytes()[:-40])
    items = read(cut)
    assert 0 < len(docs(items)) < 50 and isinstance(items[-1], IngestError)
    assert items[-1].source == str(cut) and items[-1].reason.startswith("truncated gzip after line")


def test_example_jsonl_keeps_every_key() -> None:
    path = EXAMPLES / "harborline-wire.jsonl"
    (doc,) = read(path)
    expected = json.loads(path.read_bytes())
    assert isinstance(doc, RawDocument) and doc.fields == expected
    assert doc.external_id == str(expected["id"]) and doc.url == expected["url"]


# -- WARC ----------------------------------------------------------------------------------------


def _chunked(body: bytes, size: int = 500) -> bytes:
    out = b""
    for start in range(0, len(body), size):
        part = body[start : start + size]
        out += f"{len(part):x}\r\n".encode() + part + b"\r\n"
    return out + b"0\r\n\r\n"


def make_warc(gz: bool) -> tuple[bytes, list[bytes]]:
    """A WARC written by warcio: a request, two HTML responses (one chunked + gzip-encoded), an image."""
    pages = [HTML_PAGE, HTML_PAGE.replace(b"Riverbend Post", b"Second Page")]
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    writer.write_record(writer.create_warc_record(
        "https://riverbendpost.example/a", "request", payload=io.BytesIO(b"GET /a HTTP/1.1\r\n\r\n")))
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                          ("Date", "Sun, 15 Mar 2026 09:12:00 GMT")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(
        "https://riverbendpost.example/a", "response", payload=io.BytesIO(pages[0]), http_headers=headers))
    writer.write_record(writer.create_warc_record(
        "https://riverbendpost.example/logo.png", "response", payload=io.BytesIO(b"\x89PNG\r\n\x1a\nxxxx"),
        http_headers=StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")))
    encoded = _chunked(gzip.compress(pages[1]))
    headers2 = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), ("Content-Encoding", "gzip"),
                                           ("Transfer-Encoding", "chunked")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(
        "https://riverbendpost.example/b", "response", payload=io.BytesIO(encoded), http_headers=headers2))
    return buf.getvalue(), pages


@pytest.mark.parametrize("gz", [False, True])
def test_warc_html_responses_become_documents(tmp_path: Path, gz: bool) -> None:
    data, pages = make_warc(gz)
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    path.write_bytes(data)
    items = read(path)
    assert not errors(items)
    first, second = docs(items)
    assert first.format == "html" and first.data == pages[0]
    assert second.data == pages[1]  # chunked transfer and gzip content encoding undone
    assert first.url == "https://riverbendpost.example/a" and second.url == "https://riverbendpost.example/b"
    assert first.source == f"{path}#2" and second.source == f"{path}#4"
    assert first.fields["http_date"] == "Sun, 15 Mar 2026 09:12:00 GMT"
    assert first.fields["warc_record_id"].startswith("<urn:uuid:") and first.fields["warc_date"]
    assert "http_date" not in second.fields
    assert first.fields["content_type"] == "text/html; charset=utf-8"


@pytest.mark.parametrize("gz", [False, True])
def test_warc_is_streamed_past_the_file_limit_with_a_record_limit(tmp_path: Path, gz: bool) -> None:
    data, pages = make_warc(gz)
    path = tmp_path / "crawl.warc"
    path.write_bytes(data)
    assert [d.data for d in docs(read(path, max_bytes=1000))] == pages  # the file is larger than 1000 bytes
    items = read(path, max_record_bytes=len(pages[0]) - 1)
    assert [d.data for d in docs(items)] == [pages[1]]
    (err,) = errors(items)
    assert err.source == f"{path}#2" and "over the record limit" in err.reason


@pytest.mark.parametrize("gz", [False, True])
def test_truncated_warc_yields_good_records_then_one_error(tmp_path: Path, gz: bool) -> None:
    data, pages = make_warc(gz)
    path = tmp_path / "cut.warc"
    path.write_bytes(data[: len(data) - 300])
    items = read(path)
    assert [d.data for d in docs(items)] == [pages[0]]
    assert isinstance(items[-1], IngestError) and len(errors(items)) == 1
    assert items[-1].source == str(path) and "truncated" in items[-1].reason


def test_warc_without_html_is_an_error(tmp_path: Path) -> None:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    writer.write_record(writer.create_warc_record("https://x.example/", "warcinfo", payload=io.BytesIO(b"software: x\r\n")))
    (tmp_path / "info.warc").write_bytes(buf.getvalue())
    (err,) = read(tmp_path / "info.warc")
    assert isinstance(err, IngestError) and "no HTML response records" in err.reason


# -- RSS / Atom ----------------------------------------------------------------------------------

LONG_BODY = " ".join(
    ["<p>The ferry Marit Olsen caught fire on Lake Tessmer on Saturday, and its passengers left in lifeboats.</p>"] * 8
)


def rss(entries: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Tessmer Valley Courier</title><link>https://courier.example/</link><description>News</description>
{entries}
</channel></rss>""".encode()


def test_rss_full_text_entries(tmp_path: Path) -> None:
    path = tmp_path / "feed"  # no extension
    path.write_bytes(rss(f"""
<item><title>Ferry fire</title><link>https://courier.example/ferry</link><guid>courier-2026-0315-ferry</guid>
<dc:creator>Priya Desmond</dc:creator><pubDate>Sun, 15 Mar 2026 08:00:00 +0100</pubDate>
<description>Short teaser.</description><content:encoded><![CDATA[{LONG_BODY}]]></content:encoded></item>
<item><title>Only a link</title><link>https://courier.example/other</link><description>Teaser only.</description></item>
"""))
    items = read(path, fetch_feed_links=False)
    (doc,) = docs(items)
    assert doc.format == "html" and doc.source == f"{path}#1" and doc.url == "https://courier.example/ferry"
    assert b"Marit Olsen" in doc.data and doc.data.count(b"<p>") == 8
    assert doc.external_id == "courier-2026-0315-ferry"
    assert doc.fields == {"title": "Ferry fire", "published": "2026-03-15T07:00:00+00:00",
                          "author": "Priya Desmond", "feed_title": "Tessmer Valley Courier"}
    (err,) = errors(items)
    assert err.source == f"{path}#2" and "fetching feed links is off" in err.reason


def test_atom_feed_long_summary_counts_as_full_text(tmp_path: Path) -> None:
    path = tmp_path / "atom.xml"
    summary = LONG_BODY.replace("<", "&lt;").replace(">", "&gt;")
    path.write_bytes(f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Harborline Wire</title><id>urn:x</id><updated>2026-03-14T18:00:00Z</updated>
<entry><title>Lake ferry fire</title><id>urn:1</id><link href="https://harborline.example/1"/>
<updated>2026-03-14T17:55:00Z</updated><author><name>Liesl Oakhurst</name></author>
<summary type="html">{summary}</summary></entry></feed>""".encode())
    (doc,) = read(path)
    assert isinstance(doc, RawDocument) and doc.format == "html"
    assert doc.fields["published"] == "2026-03-14T17:55:00+00:00" and doc.fields["author"] == "Liesl Oakhurst"
    assert doc.fields["feed_title"] == "Harborline Wire" and doc.url == "https://harborline.example/1"
    assert doc.external_id == "urn:1"


# -- sniffing ------------------------------------------------------------------------------------


SNIFF_SAMPLES = [
    (b"WARC/1.1\r\nWARC-Type: warcinfo\r\n", "warc"),
    (b'\xef\xbb\xbf{"text": "x"}\n', "jsonl"),
    (b"<?xml version='1.0'?>\n<rdf:RDF xmlns:rdf='x'><channel/></rdf:RDF>", "feed"),
    (b"<!-- saved -->\n<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
    (b"Headline\n\nBy A Reporter\nA ferry caught fire.", "text"),
    (b"\x1f\x8b\x08\x00", "gzip"),
]


def test_every_sniffed_kind_has_its_reader_in_the_one_table() -> None:
    from storyweave.ingest.reader import _READERS

    assert {kind for _, kind in SNIFF_SAMPLES} == set(_READERS)


@pytest.mark.parametrize("data, kind", SNIFF_SAMPLES)
def test_sniff_kinds(data: bytes, kind: str) -> None:
    assert sniff(data) == kind


def test_real_pages_round_trip_through_warc_gz_and_folder(bench_dir: Path, tmp_path: Path) -> None:
    pages = sorted((bench_dir / "aeb" / "html").iterdir())[:12]
    originals = [gzip.decompress(p.read_bytes()) for p in pages]
    path = tmp_path / "real.warc.gz"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for number, (page, body) in enumerate(zip(pages, originals)):
            encoding = [("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")] if number % 2 else []
            payload = _chunked(gzip.compress(body)) if number % 2 else body
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), *encoding], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"https://news.example/{page.name}", "response", payload=io.BytesIO(payload), http_headers=headers))
    from_warc = read(path)
    assert not errors(from_warc) and [d.data for d in docs(from_warc)] == originals
    from_folder = docs(read(bench_dir / "aeb" / "html"))[:12]
    assert [d.data for d in from_folder] == originals and {d.format for d in from_folder} == {"html"}


def test_read_bytes_reads_held_bytes_like_a_file() -> None:
    from storyweave.ingest import read_bytes

    jsonl = (EXAMPLES / "harborline-wire.jsonl").read_bytes()
    (record,) = read_bytes(jsonl, "upload.bin")
    assert isinstance(record, RawDocument) and record.source == "upload.bin#1" and record.format == "jsonl"
    (page,) = read_bytes(HTML_PAGE, "upload", url="https://riverbendpost.example/x")
    assert isinstance(page, RawDocument) and page.format == "html" and page.url == "https://riverbendpost.example/x"
    (err,) = read_bytes(b"", "empty-upload")
    assert isinstance(err, IngestError) and err.source == "empty-upload" and err.reason == "empty file"


def test_the_folder_walk_does_not_recurse(tmp_path: Path) -> None:
    from storyweave.ingest.files import walk

    deep = tmp_path
    for _ in range(300):
        deep = deep / "d"
        deep.mkdir()
    (deep / "story.txt").write_bytes(TEXT_ARTICLE)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(120)  # a recursive walk of 300 levels would fail here
    try:
        found = list(walk(tmp_path))
    finally:
        sys.setrecursionlimit(limit)
    assert found == [deep / "story.txt"]


def test_leading_blank_lines_do_not_hide_the_format(tmp_path: Path) -> None:
    blank = b"\r\n" * 10_000  # more than the sniffed head
    (tmp_path / "a").write_bytes(blank + HTML_PAGE)
    (tmp_path / "b").write_bytes(blank + (EXAMPLES / "harborline-wire.jsonl").read_bytes())
    (tmp_path / "c").write_bytes(blank)
    items = read(tmp_path)
    assert [getattr(i, "format", None) for i in items] == ["html", "jsonl", None]
    assert isinstance(items[2], IngestError) and items[2].reason == "empty file (only whitespace)"
