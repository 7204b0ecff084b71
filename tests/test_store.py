from storyweave.model import Article, RawDocument, Reading, Story
from storyweave.store import Store


def _pair(text: str) -> tuple[RawDocument, Article]:
    raw = RawDocument(source="mem.txt", data=text.encode(), format="text")
    art = Article(id=raw.sha256[:16], source=raw.source, body=text, raw_sha256=raw.sha256)
    return raw, art


def test_add_article_is_idempotent_and_keeps_raw(db):
    raw, art = _pair("Some body text.")
    with Store(db) as store:
        assert store.add_article(raw, art) is True
        assert store.add_article(raw, art) is False
        assert store.article_count() == 1
        assert store.raw(raw.sha256).data == raw.data
    # reopening the file sees the same content
    with Store(db) as store:
        assert store.article(art.id).body == "Some body text."


def test_readings_and_clustering_round_trip(db):
    raw, art = _pair("Another body.")
    with Store(db) as store:
        store.add_article(raw, art)
        store.put_readings([Reading(article_id=art.id, reader_version="x")])
        store.put_readings([Reading(article_id=art.id, reader_version="y")])
        assert store.reading_versions() == {art.id: "y"}
        store.save_clustering([Story(id="s1", article_ids=[art.id])], [], [], b"state")
        assert [s.id for s in store.stories()] == ["s1"]
        assert store.state("cluster") == b"state"
        store.save_clustering([Story(id="s2", article_ids=[art.id])], [], [], None)
        assert [s.id for s in store.stories()] == ["s2"]
        assert store.state("cluster") == b"state"


def test_id_lists_of_any_length(db):
    """More ids than SQLite (32,766) or PostgreSQL (65,535) bind in one statement: asked in chunks."""
    pairs = [_pair(f"Body number {i}.") for i in range(7)]
    with Store(db) as store:
        for raw, art in pairs:
            store.add_article(raw, art)
        store.put_readings([Reading(article_id=art.id, reader_version="x") for _, art in pairs])
        ids = [art.id for _, art in pairs]
        wanted = ids[::-1] + [f"missing{i:06d}" for i in range(70_000)] + ids[:2]
        assert [a.id for a in store.articles(wanted)] == ids  # arrival order, each once
        assert set(store.readings(wanted)) == set(ids)


def test_concurrent_writers_take_distinct_arrival_numbers(db):
    """Two writers adding different articles at once: every article stored, each with its own seq."""
    import threading

    from sqlalchemy import select

    from storyweave.store import articles

    Store(db).close()
    batches = [[_pair(f"Writer {w} article {i}.") for i in range(25)] for w in range(2)]
    gate = threading.Barrier(2)
    errors: list[BaseException] = []

    def writer(batch):
        try:
            with Store(db) as store:
                gate.wait()
                for raw, art in batch:
                    assert store.add_article(raw, art)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(b,)) for b in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    with Store(db) as store:
        with store.engine.connect() as conn:
            seqs = [s for (s,) in conn.execute(select(articles.c.seq))]
        assert len(seqs) == len(set(seqs)) == 50
