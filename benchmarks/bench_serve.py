"""Serving benchmark: what a page or API call costs over HTTP, against the same read done
in process on the store (the baseline: the store work with no HTTP, no rendering).

A synthetic store of N articles in stories of 5 (titles, outlets, dates, bodies, readings with
entities and quotes; no NLP run) is served by `storyweave serve` on 127.0.0.1; each endpoint is
requested R times in sequence over one keep-alive connection. With --corpus, a real store is
built from that folder by `storyweave run` and a story page is timed cold (the dossier built)
and warm (kept while the story is unchanged), against building the dossier in process; the
server loads its models at start, so "cold" is the first page after start. `--ecb-event 1-ecb`
makes that corpus from one ECB+ event's texts (the first 10: one story of 9-10 articles).

    python benchmarks/bench_serve.py [--articles 2000] [--requests 50] [--corpus examples | --ecb-event 1-ecb]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storyweave.model import Article, Entity, Quote, RawDocument, Reading, Story  # noqa: E402
from storyweave.serve.views import story_rows  # noqa: E402
from storyweave.store import Store  # noqa: E402

OUTLETS = ["Harbour Times", "Coast Courier", "Valley News", "Daily Ledger", "Metro Wire"]
WORDS = "fire council vote bridge storm election court strike flood budget market school".split()


def build_store(db: str, n: int) -> tuple[list[str], list[str]]:
    """N synthetic articles in stories of five; returns (article ids, story ids)."""
    ids: list[str] = []
    with Store(db) as store:
        readings = []
        for i in range(n):
            word = WORDS[(i // 5) % len(WORDS)]
            body = (f'The {word} in Town {i // 5} was reported on Monday. "It is serious," said '
                    f"Officer Lee {i}. " * 8)
            raw = RawDocument(source=f"bench/{i}.txt", data=f"{i}\n{body}".encode(), format="text")
            art = Article(id=raw.sha256[:16], source=raw.source, title=f"{word.title()} in Town {i // 5}, report {i}",
                          body=body, outlet=OUTLETS[i % 5], published=f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
                          raw_sha256=raw.sha256)
            store.add_article(raw, art)
            ids.append(art.id)
            q = body.index('"')
            readings.append(Reading(article_id=art.id, reader_version="bench",
                                    entities=[Entity(text="Officer Lee", label="PERSON", start=body.index("Officer"),
                                                     end=body.index("Officer") + 11, key="lee")],
                                    quotes=[Quote(speaker="Officer Lee", speaker_key="lee", text="It is serious",
                                                  kind="direct", cue="said", start=q, end=q + 16)]))
        store.put_readings(readings)
        stories = [Story(id=f"s{j:05d}", title=f"Story {j}", article_ids=ids[j * 5:(j + 1) * 5])
                   for j in range((n + 4) // 5)]
        store.save_clustering(stories, [], [], None)
    return ids, [s.id for s in stories]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server(db: str) -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "storyweave.cli", "serve", "--db", db, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={k: v for k, v in os.environ.items() if k != "STORYWEAVE_TOKEN"})
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                httpx.get(base + "/api/storylines", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def line(name: str, http: list[float], base: list[float] | None) -> None:
    med = statistics.median(http) * 1000
    p95 = sorted(http)[int(0.95 * (len(http) - 1))] * 1000
    text = f"{name:<34} median {med:8.1f} ms  p95 {p95:8.1f} ms  {1 / statistics.median(http):8.1f} req/s"
    if base is not None:
        text += f"   | in-process store read {statistics.median(base) * 1000:8.1f} ms"
    print(text)


def bench_synthetic(n: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        t = time.perf_counter()
        ids, story_ids = build_store(db, n)
        print(f"synthetic store: {n} articles, {len(story_ids)} stories (built in {time.perf_counter() - t:.1f} s)")
        mid, sid = ids[len(ids) // 2], story_ids[len(story_ids) // 2]
        with Store(db) as store, server(db) as base, httpx.Client(base_url=base, timeout=120) as client:
            def get(path: str) -> Callable[[], object]:
                def call() -> object:
                    resp = client.get(path)
                    resp.raise_for_status()
                    return resp
                return call

            cases: list[tuple[str, str, Callable[[], object] | None]] = [
                ("GET /api/articles?limit=50", "/api/articles?limit=50",
                 lambda: store.articles(list(store.iter_article_ids())[:50])),
                ("GET /api/articles/{id}", f"/api/articles/{mid}",
                 lambda: (store.article(mid), store.readings([mid]))),
                ("GET /api/stories", "/api/stories", lambda: story_rows(store.stories(), store.articles())),
                ("GET / (index)", "/", lambda: story_rows(store.stories(), store.articles())),
                ("GET /?q=bridge (search)", "/?q=bridge", lambda: story_rows(store.stories(), store.articles())),
                ("GET /articles/{id} (page)", f"/articles/{mid}",
                 lambda: (store.article(mid), store.readings([mid]), store.stories())),
                ("GET /stories/{id} (page, warm)", f"/stories/{sid}", None),
            ]
            get(f"/stories/{sid}")()  # build its dossier once
            for name, path, baseline in cases:
                get(path)()  # warm
                line(name, timed(get(path), repeat), timed(baseline, repeat) if baseline else None)


def bench_corpus(corpus: str) -> None:
    from storyweave import dossier, pipeline

    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "corpus.db")
        subprocess.run([sys.executable, "-m", "storyweave.cli", "run", corpus, "--db", db, "--out",
                        str(Path(tmp) / "out"), "--quiet"], check=False, timeout=1800)
        with Store(db) as store:
            story = max(store.stories(), key=lambda s: len(s.article_ids))
            dossier.render_html(pipeline.story_dossier(store, story))  # loads the models
            t = time.perf_counter()
            dossier.render_html(pipeline.story_dossier(store, story))
            inproc = time.perf_counter() - t
        print(f"corpus {corpus}: story {story.id} with {len(story.article_ids)} articles")
        with server(db) as base, httpx.Client(base_url=base, timeout=600) as client:
            t = time.perf_counter()
            client.get(f"/stories/{story.id}").raise_for_status()
            cold = time.perf_counter() - t
            warm = timed(lambda: client.get(f"/stories/{story.id}").raise_for_status(), 10)
        print(f"story page cold (models loaded, dossier built) {cold * 1000:8.1f} ms")
        print(f"story page warm (dossier kept)                {statistics.median(warm) * 1000:8.1f} ms median of 10")
        print(f"baseline: dossier build + render in process   {inproc * 1000:8.1f} ms (second build in this process)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--corpus", help="also time a real story page built from this folder")
    parser.add_argument("--ecb-event", help="also time a story page built from this ECB+ event's first 10 texts")
    args = parser.parse_args()
    bench_synthetic(args.articles, args.requests)
    if args.corpus:
        bench_corpus(args.corpus)
    if args.ecb_event:
        with tempfile.TemporaryDirectory() as tmp:
            bench_corpus(ecb_event_corpus(args.ecb_event, Path(tmp)))


def ecb_event_corpus(event: str, folder: Path, count: int = 10) -> str:
    """A folder holding one JSON Lines file of the event's first `count` ECB+ texts."""
    import json

    ecb = ROOT.parent / "shared" / "bench" / "ecbplus" / "ecbplus.jsonl"
    rows = [d for d in map(json.loads, ecb.open(encoding="utf-8")) if d["event"] == event][:count]
    if not rows:
        raise SystemExit(f"no ECB+ texts for event {event!r} in {ecb}")
    with (folder / f"{event}.jsonl").open("w", encoding="utf-8") as f:
        for d in rows:
            title, _, text = d["text"].strip().partition("\n")
            f.write(json.dumps({"id": d["id"], "url": d["url"], "title": title, "text": text}) + "\n")
    return str(folder)


if __name__ == "__main__":
    main()
