"""The batch stages on a real Dask cluster (two local worker processes) give exactly what the
in-process run gives."""

from __future__ import annotations

import pytest

from storyweave import pipeline
from storyweave.config import Settings
from storyweave.scale import DaskMapper, LocalMapper, batched
from storyweave.store import Store

from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _ingest_and_read(db: str, mapper) -> tuple[dict, dict, pipeline.RunReport]:
    report = pipeline.RunReport()
    with Store(db) as store:
        pipeline.ingest(store, [str(EXAMPLES)], Settings(db=db), report, mapper=mapper)
        pipeline.read_missing(store, report, mapper=mapper)
        articles = {a.id: a.model_dump() for a in store.articles()}
        readings = {k: r.model_dump() for k, r in store.readings().items()}
    return articles, readings, report


def test_batched_keeps_order_and_remainder():
    assert list(batched(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(batched([], 3)) == []


def test_local_mapper_yields_in_order():
    assert list(LocalMapper().map(sum, [[1, 2], [3], []])) == [3, 3, 0]


@pytest.mark.slow
def test_dask_cluster_gives_the_same_articles_and_readings(tmp_path):
    local = _ingest_and_read(str(tmp_path / "local.db"), LocalMapper())
    with DaskMapper(workers=2, window=2) as mapper:
        assert len(mapper.client.scheduler_info()["workers"]) == 2
        distributed = _ingest_and_read(str(tmp_path / "dask.db"), mapper)
    assert local[0] and local[0] == distributed[0]
    assert local[1] == distributed[1]
    assert len(local[1]) == len(local[0])
    assert distributed[2].failures == local[2].failures


@pytest.mark.slow
def test_incremental_run_rebuilds_only_touched_dossiers(tmp_path):
    """A second run with one new, unrelated article rebuilds that story's dossier only."""
    from storyweave import run

    demo = tmp_path / "in"
    demo.mkdir()
    for f in sorted(EXAMPLES.glob("*.txt"))[:2]:
        (demo / f.name).write_bytes(f.read_bytes())
    settings = Settings(db=str(tmp_path / "s.db"), out=str(tmp_path / "out"))
    first = run([str(demo)], settings)
    assert first.ok and first.dossiers_written == len(first.stories) >= 1
    stamps = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "out").glob("*.json")}
    (demo / "other.txt").write_text(
        "Orchard growers report record plum harvest\n\nGrowers in the Vell valley picked 4,000 tonnes "
        "of plums this season, the regional growers' association said on Tuesday, the largest crop "
        "in a decade. Prices fell by a third as a result, the association added.\n",
        encoding="utf-8",
    )
    second = run([str(demo)], settings)
    assert second.ok and len(second.added) == 1
    assert second.dossiers_written == 1
    for name, stamp in stamps.items():
        assert (tmp_path / "out" / name).stat().st_mtime_ns == stamp
    assert len(list((tmp_path / "out").glob("*.json"))) == len(second.stories)
