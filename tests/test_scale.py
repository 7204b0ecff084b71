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
