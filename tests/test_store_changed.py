"""The store writes only the stories and storylines that changed (a run over a big store touches
few of its stories), and the view it holds afterwards is exactly the one given."""

from __future__ import annotations

from sqlalchemy import event

from storyweave.model import Story, Storyline
from storyweave.store import Store


def _written(store: Store) -> list[tuple[str, object]]:
    seen: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("INSERT INTO STORIES", "DELETE FROM STORIES",
                                                    "INSERT INTO STORYLINES", "DELETE FROM STORYLINES")):
            seen.append((statement.split("(")[0].strip(), parameters))

    event.listen(store.engine, "before_cursor_execute", record)
    return seen


def test_only_changed_stories_are_written(db):
    stories = [Story(id=f"s{i}", article_ids=[f"a{i}"]) for i in range(50)]
    line = Storyline(id="l1", story_ids=["s1", "s2"])
    with Store(db) as store:
        store.save_clustering(stories, [line], [], None)
        written = _written(store)
        grown = stories[3].model_copy(update={"article_ids": ["a3", "a99"]})
        store.save_clustering([*stories[:3], grown, *stories[4:49], Story(id="s_new", article_ids=["n"])],
                              [line], [], None)
        inserted = [p for s, p in written if s.upper().startswith("INSERT")]
        deleted = [p for s, p in written if s.upper().startswith("DELETE")]
        flat = [row for p in inserted for row in (p if isinstance(p, list) else [p])]
        assert {row[0] for row in flat} == {"s3", "s_new"}  # the grown story and the new one only
        assert sorted(x for p in deleted for x in p) == ["s3", "s49"]  # the changed and the gone
        after = {s.id: s for s in store.stories()}
        assert set(after) == {s.id for s in stories[:49]} | {"s_new"}
        assert after["s3"].article_ids == ["a3", "a99"]
        assert [sl.id for sl in store.storylines()] == ["l1"]
        store.save_clustering(list(after.values()), [], [], None)
        assert store.storylines() == [] and len(store.stories()) == 50
