"""Fuzz every reader with seeded, generated inputs: valid samples of each format (text, HTML,
JSON Lines, WARC, WARC.gz, gzip, RSS/Atom, random bytes), most of them mutated (cut, bytes
flipped, inserted or NUL-ed, chunks repeated, two samples spliced, blanks or a byte-order mark put
in front, a JSON line nested past the recursion limit put in). Each input goes through the ingest stage (`read_bytes`, as an upload is read), then
cleaning and the store (`pipeline.ingest_records`), exactly as `storyweave run` would.

Passes when no input or record ends in an "internal error" and the store is consistent (every
article has its raw input, ids are unique, the count matches what was added). Prints the figures.
Feed links are not fetched (no network here); the address policy has its own tests.

    python benchmarks/fuzz_readers.py [--inputs 10000] [--seed 12]
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyweave import pipeline
from storyweave.config import IngestSettings
from storyweave.ingest import read_bytes
from storyweave.model import RawDocument
from storyweave.store import Store

WORDS = ("ferry fire river harbour council mayor police report minister storm flood bridge school "
         "strike said Monday Tuesday officials residents 12 300 4.5 percent Riverbend Linden Okafor "
         "«quoted» Zoë 東京 — \"we will rebuild\" investigators board vessel evacuated").split()


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 16))).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(1, 6)))


def text_sample(rng: random.Random) -> bytes:
    body = "\n\n".join(paragraph(rng) for _ in range(rng.randint(1, 5)))
    encoding = rng.choice(["utf-8", "utf-8", "latin-1", "utf-16", "cp1252"])
    return f"{sentence(rng)}\n\n{body}\n".encode(encoding, "replace")


def html_sample(rng: random.Random) -> bytes:
    paras = "".join(f"<p>{paragraph(rng)}</p>" for _ in range(rng.randint(1, 6)))
    meta = f'<meta property="article:published_time" content="2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}">' if rng.random() < 0.5 else ""
    return (f"<!doctype html><html><head><title>{sentence(rng)}</title>{meta}</head>"
            f"<body><nav><a href='/'>Home</a></nav><article><h1>{sentence(rng)}</h1>{paras}</article></body></html>").encode()


def jsonl_sample(rng: random.Random) -> bytes:
    lines = []
    for n in range(rng.randint(1, 6)):
        obj: dict = {"id": rng.choice([n, str(n), None, [n]]), "title": sentence(rng)}
        obj[rng.choice(["text", "html", "text", "body"])] = paragraph(rng)
        if rng.random() < 0.4:
            obj["published"] = rng.choice(["2026-03-14", "yesterday", 1_700_000_000, None, "2026-13-45"])
        if rng.random() < 0.3:
            obj["url"] = rng.choice(["https://x.example/a", "", 5, "javascript:alert(1)"])
        lines.append(json.dumps(obj, ensure_ascii=rng.random() < 0.5))
    return ("\n".join(lines) + rng.choice(["\n", "", "\n\n"])).encode()


def warc_sample(rng: random.Random, gz: bool) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    for n in range(rng.randint(1, 3)):
        ctype = rng.choice(["text/html", "text/html; charset=utf-8", "text/plain", "image/png"])
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            f"https://x.example/{n}", rng.choice(["response", "response", "request", "metadata"]),
            payload=io.BytesIO(html_sample(rng)), http_headers=headers))
    return out.getvalue()


def feed_sample(rng: random.Random) -> bytes:
    items = "".join(
        f"<item><title>{sentence(rng)}</title><link>https://news.example/{n}</link>"
        f"<pubDate>Sun, 15 Mar 2026 09:1{n}:00 GMT</pubDate><description><![CDATA[{' '.join(paragraph(rng) for _ in range(rng.randint(1, 8)))}]]></description></item>"
        for n in range(rng.randint(1, 4)))
    if rng.random() < 0.5:
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode()
    entries = items.replace("<item>", "<entry>").replace("</item>", "</entry>").replace("description", "summary")
    return f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>{entries}</feed>'.encode()


def random_bytes(rng: random.Random) -> bytes:
    return bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 64)))


KINDS = {
    "text": text_sample, "html": html_sample, "jsonl": jsonl_sample,
    "warc": lambda rng: warc_sample(rng, False), "warc.gz": lambda rng: warc_sample(rng, True),
    "gzip": lambda rng: gzip.compress(rng.choice([text_sample, html_sample, jsonl_sample, feed_sample])(rng)),
    "feed": feed_sample, "random": random_bytes,
}


def mutate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    how = rng.choice(["none", "cut", "flip", "insert", "nul", "repeat", "splice", "prefix", "deep"])
    if not data and how != "prefix":
        return data, "none"
    at = rng.randrange(len(data)) if data else 0
    if how == "cut":
        return data[:at], how
    if how == "flip":
        out = bytearray(data)
        for _ in range(rng.randint(1, 5)):
            out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
        return bytes(out), how
    if how == "insert":
        return data[:at] + random_bytes(rng) + data[at:], how
    if how == "nul":
        return data[:at] + b"\x00" + data[at + 1:], how
    if how == "repeat":
        end = min(len(data), at + rng.randint(1, 200))
        return data[:end] + data[at:end] * rng.randint(1, 5) + data[end:], how
    if how == "splice":
        other = KINDS[rng.choice(list(KINDS))](rng)
        return data[:at] + other[rng.randrange(len(other) + 1):], how
    if how == "deep":  # a line of JSON nested past the recursion limit, inside or after the rest
        deep = b'{"text": "x", "a": ' + b"[" * 5000 + b"]" * 5000 + b"}\n"
        return (data[:at] + b"\n" + deep + data[at:]) if rng.random() < 0.5 else deep + data, how
    if how == "prefix":
        return rng.choice([b"\xef\xbb\xbf", b"\n\n  \n", b"\xff\xfe", b" "]) + data, how
    return data, "none"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    settings = IngestSettings(fetch_feed_links=False, max_failures=20)
    by_kind: Counter[str] = Counter()
    by_mutation: Counter[str] = Counter()
    outcome: Counter[str] = Counter()
    internal: list[tuple[int, str, str]] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, Store(str(Path(tmp) / "fuzz.db")) as store:
        report = pipeline.RunReport()
        for i in range(args.inputs):
            kind = rng.choice(list(KINDS))
            data, how = mutate(KINDS[kind](rng), rng)
            by_kind[kind] += 1
            by_mutation[how] += 1
            items = list(read_bytes(data, f"fuzz:{i}.{kind}", settings))
            for item in items:
                outcome["records" if isinstance(item, RawDocument) else "ingest errors"] += 1
            before = len(report.failures)
            pipeline.ingest_records(store, items, report)  # ingest errors and cleaning failures land here
            internal += [(i, kind, f.reason) for f in report.failures[before:] if "internal error" in f.reason]
        elapsed = time.perf_counter() - started
        outcome["articles stored"] = len(report.added)
        outcome["duplicates"] = report.duplicates
        outcome["clean failures"] = len(report.failures) - outcome["ingest errors"]
        # the store is consistent: every article has its raw input, ids unique, count as added
        arts = store.articles()
        ids = [a.id for a in arts]
        consistent = (len(ids) == len(set(ids)) == store.article_count() == len(report.added)
                      and all(store.raw(a.raw_sha256) is not None for a in arts))
    print(f"{args.inputs} inputs (seed {args.seed}) in {elapsed:.0f} s ({args.inputs / elapsed:.0f} inputs/s)")
    print("by format:   " + ", ".join(f"{k} {v}" for k, v in sorted(by_kind.items())))
    print("by mutation: " + ", ".join(f"{k} {v}" for k, v in sorted(by_mutation.items())))
    print("outcome:     " + ", ".join(f"{k} {v}" for k, v in outcome.items()))
    print(f"internal errors: {len(internal)}; store consistent: {consistent}")
    for i, kind, reason in internal[:20]:
        print(f"  input {i} ({kind}): {reason}")
    return 0 if not internal and consistent else 1


if __name__ == "__main__":
    sys.exit(main())
