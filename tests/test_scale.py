"""The batch stages on a real Dask cluster (two local worker processes) give exactly what the
in-process run gives."""

from __future__ import annotations

import json

import pytest

from storyweave import pipeline
from storyweave.config import Settings
from storyweave import scale
from storyweave.scale import DaskMapper, LocalMapper, ProcessMapper, batched
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


def test_process_mapper_yields_in_order_with_a_bounded_window():
    with ProcessMapper(processes=2, window=2) as mapper:
        assert list(mapper.map(sum, [[1, 2], [3], [], [4, 5, 6]])) == [3, 3, 0, 15]
        assert list(mapper.map(len, ["ab", ""])) == [2, 0]  # the pool is kept between maps
    assert mapper._pool is None


POOL_THEN_WAIT = """
import os, sys, time
from storyweave.scale import ProcessMapper
if __name__ == "__main__":
    batches = ProcessMapper(2).map(time.sleep, [300, 300])
    print(os.getpid(), flush=True)
    next(batches)
"""


@pytest.mark.slow
def test_pool_workers_end_when_a_killed_run_does(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    script = tmp_path / "pool_then_wait.py"
    script.write_text(POOL_THEN_WAIT, encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    pid = int(parent.stdout.readline())

    def children() -> set[int]:
        found = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.add(int(stat.parent.name))
        return found

    deadline = time.monotonic() + 60
    while len(children()) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    workers = children()
    assert len(workers) >= 2  # the two workers (and multiprocessing's resource tracker)
    os.kill(pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 30
    alive = workers
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = {w for w in workers if Path(f"/proc/{w}").exists()
                 and Path(f"/proc/{w}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"}
    assert not alive


def test_local_mapper_lends_one_pool_only_for_many_articles_on_several_cores(monkeypatch):
    monkeypatch.setattr(scale, "usable_cores", lambda: 2)
    local = LocalMapper()
    assert local.sized(scale.POOL_MIN_ITEMS - 1) is local
    pooled = local.sized(scale.POOL_MIN_ITEMS)
    assert isinstance(pooled, ProcessMapper) and pooled.processes == 2
    assert local.sized(5 * scale.POOL_MIN_ITEMS) is pooled  # one pool for the run's stages
    monkeypatch.setattr(scale, "usable_cores", lambda: 1)
    assert LocalMapper().sized(10 * scale.POOL_MIN_ITEMS).__class__ is LocalMapper
    local.close()
    monkeypatch.setattr(scale, "usable_cores", lambda: 4)
    alone = scale.make_mapper(0, None, local_pool=False)  # the user's STORYWEAVE_LOCAL_POOL=0
    assert alone.sized(10 * scale.POOL_MIN_ITEMS) is alone


@pytest.mark.slow
def test_a_run_through_the_process_pool_gives_the_same_readings_and_dossiers(tmp_path, monkeypatch, seeds_dir):
    """Reading and dossiers go to the pool (forced here for a small corpus), ingest stays in this
    process; every reading and every dossier file is what the in-process run makes."""

    def run_into(name: str) -> tuple[dict, dict]:
        settings = Settings(db=str(tmp_path / f"{name}.db"), out=str(tmp_path / name))
        report = pipeline.run([str(EXAMPLES), str(seeds_dir)], settings)
        assert report.ok and report.dossiers_written == len(report.stories) >= 2
        with Store(settings.db) as store:
            readings = {k: r.model_dump() for k, r in store.readings().items()}
        files = {f.name: f.read_text(encoding="utf-8") for f in (tmp_path / name).iterdir()}
        return readings, files

    local = run_into("local")
    mapped = []
    monkeypatch.setattr(scale, "POOL_MIN_ITEMS", 1)
    monkeypatch.setattr(scale, "usable_cores", lambda: 2)
    original = ProcessMapper.map

    def spy(self, fn, batches):
        mapped.append(getattr(fn, "func", fn).__name__)
        return original(self, fn, batches)

    monkeypatch.setattr(ProcessMapper, "map", spy)
    pooled = run_into("pooled")
    assert mapped == ["read_batch", "dossier_batch"]
    assert local[0] and local[0] == pooled[0]
    assert local[1].keys() == pooled[1].keys() and len(local[1]) > 6
    # The JSON holds all a dossier shows. Compared as data: tied counts of names of one length
    # (a reading's group_names) come in set order, which differs from process to process.
    for name, text in local[1].items():
        if name.endswith(".json"):
            assert json.loads(pooled[1][name]) == json.loads(text), name
    assert pooled[1]["index.html"] == local[1]["index.html"]


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
