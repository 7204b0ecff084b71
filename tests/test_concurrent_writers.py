"""Two writers at once lose nothing: clustering (read stories and state, cluster, replace the
view) is serialised by the store's lock, across processes, on SQLite and PostgreSQL.

The interleaving is forced: writer A stops inside clustering (stories and state already read)
until told to go; writer B (another `storyweave run`, or the server taking an upload) is started
and given time to finish; then A goes on. Without the lock B finishes in that window and A's view
then replaces B's (B's articles end in no story); with it B waits for A and places its articles
after A's."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pgdb import PG_ENV, fresh_database

from storyweave.store import Store

pytestmark = pytest.mark.slow  # writer processes, each loading the models

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TOPICS = ["river flood", "bridge collapse", "school strike", "port fire", "rail delay",
          "mayor election", "museum theft", "farm drought", "hospital opening", "storm damage"]


def _texts(folder: Path, prefix: str, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        topic = TOPICS[i % len(TOPICS)]
        (folder / f"{prefix}{i}.txt").write_text(
            f"{topic.title()} report {prefix}{i}\n\n"
            f"Officials in town {prefix}{i} said on Monday that the {topic} affected {i + 3} streets. "
            f"Residents of district {prefix}{i} were told to stay informed, a spokesperson said. "
            f"Repairs are expected to take {i + 2} weeks, according to the council of {prefix}{i}.\n",
            encoding="utf-8",
        )


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "shared.db")
    else:
        if not os.environ.get(PG_ENV):
            pytest.skip(f"{PG_ENV} is not set (bash scripts/ci-services.sh starts PostgreSQL)")
        with fresh_database(os.environ[PG_ENV]) as url:
            yield url


def _writer(name: str, db: str, inputs: Path, out: Path, pause: Path, *, hold: bool, no_lock: bool = False) -> subprocess.Popen:
    env = {**os.environ, "SW_TEST_NAME": name, "SW_TEST_PAUSE_DIR": str(pause), "SW_TEST_HOLD": "1" if hold else "0",
           "SW_TEST_NO_LOCK": "1" if no_lock else "0",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen([sys.executable, str(HERE / "writer_child.py"), "run", str(inputs), "--db", db,
                             "--out", str(out), "--quiet"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _wait_for(path: Path, proc: subprocess.Popen, limit: float = 300) -> None:
    ends = time.monotonic() + limit
    while not path.exists():
        if proc.poll() is not None:
            raise AssertionError(f"writer ended before {path.name}: {proc.communicate()}")
        assert time.monotonic() < ends, f"no {path.name} in {limit} s"
        time.sleep(0.05)


def _placement(db: str) -> tuple[int, list[str]]:
    with Store(db) as store:
        placed = [a for s in store.stories() for a in s.article_ids]
        return store.article_count(), placed


def _two_runs(db: str, tmp_path: Path, *, no_lock: bool = False) -> tuple[int, list[str], list[int]]:
    pause = tmp_path / "pause"
    pause.mkdir()
    _texts(tmp_path / "a", "a", 12)
    _texts(tmp_path / "b", "b", 12)
    first = _writer("A", db, tmp_path / "a", tmp_path / "out-a", pause, hold=True, no_lock=no_lock)
    _wait_for(pause / "A-inside", first)  # A has read the stories and the state, and waits
    second = _writer("B", db, tmp_path / "b", tmp_path / "out-b", pause, hold=False, no_lock=no_lock)
    _wait_for(pause / "B-ready", second)  # B has stored and read its articles and goes to cluster
    try:
        second.wait(5)  # without the lock B finishes now; with it B waits for A
    except subprocess.TimeoutExpired:
        pass
    (pause / "go").touch()
    codes = [first.wait(300), second.wait(300)]
    count, placed = _placement(db)
    return count, placed, codes


def test_two_runs_forced_to_interleave_lose_nothing(db_url: str, tmp_path: Path) -> None:
    count, placed, codes = _two_runs(db_url, tmp_path)
    assert codes == [0, 0]
    assert count == 24
    assert len(placed) == len(set(placed)) == 24  # every article in exactly one story


def test_the_forced_interleaving_does_lose_work_without_the_lock(tmp_path: Path) -> None:
    """The harness really forces the race: with the store lock removed, B's articles are lost."""
    count, placed, codes = _two_runs(str(tmp_path / "shared.db"), tmp_path, no_lock=True)
    assert codes == [0, 0] and count == 24
    assert len(set(placed)) < 24


def test_a_run_and_the_server_take_turns(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    import writer_child
    from storyweave.serve import ServeSettings, create_app

    monkeypatch.setattr("storyweave.cluster._default_embedder", writer_child.fake_embed)
    pause = tmp_path / "pause"
    pause.mkdir()
    _texts(tmp_path / "a", "a", 12)
    _texts(tmp_path / "up", "u", 3)
    app = create_app(ServeSettings(db=db_url, token="t"))
    first = _writer("A", db_url, tmp_path / "a", tmp_path / "out-a", pause, hold=True)
    _wait_for(pause / "A-inside", first)
    done: list[int] = []

    def upload() -> None:
        client = TestClient(app)
        for path in sorted((tmp_path / "up").iterdir()):
            resp = client.post(f"/api/articles?name={path.name}", content=path.read_bytes(),
                               headers={"Authorization": "Bearer t", "Content-Type": "text/plain"})
            done.append(resp.status_code)

    thread = threading.Thread(target=upload)
    thread.start()
    thread.join(8)
    assert thread.is_alive() and not done  # the server's clustering waits for the run's
    (pause / "go").touch()
    assert first.wait(300) == 0
    thread.join(120)
    assert done == [201, 201, 201]
    count, placed = _placement(db_url)
    assert count == 15 and len(placed) == len(set(placed)) == 15


def test_processes_opening_an_empty_postgresql_database_at_once() -> None:
    """Every process creates the schema if it is missing; they take turns, none fails."""
    if not os.environ.get(PG_ENV):
        pytest.skip(f"{PG_ENV} is not set (bash scripts/ci-services.sh starts PostgreSQL)")
    script = "import sys; from storyweave.store import Store; Store(sys.argv[1]).close()"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    for _ in range(3):
        with fresh_database(os.environ[PG_ENV]) as url:
            procs = [subprocess.Popen([sys.executable, "-c", script, url], env=env, stderr=subprocess.PIPE, text=True)
                     for _ in range(4)]
            results = [(p.wait(120), p.stderr.read()) for p in procs]
            assert all(code == 0 for code, _ in results), results
