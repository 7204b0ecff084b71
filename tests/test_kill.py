"""A real kill: SIGKILL `storyweave run` midway, run again, every article is stored exactly once."""

from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

TOWNS = ["Kellby", "Asterholm", "Northgate", "Riverbend", "Marrow Cross", "Tessmer", "Oakhurst", "Veldby"]
THINGS = ["ferry", "bridge", "school", "market", "library", "water plant", "bus depot", "harbour wall"]
EVENTS = ["reopened", "closed for repairs", "was inspected", "won funding", "was flooded", "was sold"]
PEOPLE = ["Elin Vosk", "Ansel Brüning", "Priya Desmond", "Tomas Reyk", "Nora Halvik", "Jonah Meerveld"]
ROLES = ["the mayor", "a council spokesman", "the harbour master", "a local teacher", "the fire chief"]


def command() -> list[str]:
    found = shutil.which("storyweave")
    return [found] if found else [sys.executable, "-m", "storyweave.cli"]


def write_articles(folder: Path, start: int, stop: int) -> None:
    rng = random.Random(start)
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(start, stop):
        town, thing, event = rng.choice(TOWNS), rng.choice(THINGS), rng.choice(EVENTS)
        person, role = rng.choice(PEOPLE), rng.choice(ROLES)
        amount = rng.randint(2, 900)
        body = [
            (f"{town.upper()} — The {thing} in {town} {event} on Tuesday, officials said, "
             f"in the {n}th such case reported this year."),
            f'"We expected about {amount} people and many more came," said {person}, {role}.',
            f"The work will cost {amount * 1000} crowns and take {rng.randint(2, 40)} weeks, according to the council.",
            (f"Residents said the {thing} had been a problem since {rng.randint(1990, 2024)}, "
             f"and {rng.randint(3, 300)} of them signed a petition."),
        ]
        text = f"The {thing} in {town} {event} ({n})\nBy {rng.choice(PEOPLE)}\n\n" + "\n\n".join(body) + "\n"
        (folder / f"article-{n:05d}.txt").write_text(text, encoding="utf-8")


def stored_count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.5) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # not created yet, or busy for a moment


def run(folder: Path, db: Path, out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*command(), "run", str(folder), "--db", str(db), "--out", str(out), "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def kill_midway(folder: Path, db: Path, out: Path, total: int, deadline_s: float = 300) -> int | None:
    """Start a run and SIGKILL it once some but not all articles are stored; the count seen, or
    None when the run stored everything before it could be caught."""
    proc = run(folder, db, out)
    started = time.monotonic()
    try:
        while proc.poll() is None and time.monotonic() - started < deadline_s:
            seen = stored_count(db)
            if 0 < seen < total:
                proc.send_signal(signal.SIGKILL)
                proc.wait(timeout=30)
                assert proc.returncode == -signal.SIGKILL
                return seen
            if seen >= total:
                break
            time.sleep(0.005)
        return None
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=30)


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_killed_run_then_rerun_stores_every_article_exactly_once(tmp_path: Path) -> None:
    folder, db, out = tmp_path / "in", tmp_path / "store.db", tmp_path / "out"
    total = 0
    seen = None
    for size in (200, 600):  # later stages make a run slower; a fast machine gets a bigger batch
        write_articles(folder, total, size)
        total = size
        for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            stale.unlink(missing_ok=True)
        seen = kill_midway(folder, db, out, total)
        if seen is not None:
            break
    assert seen is not None, "the run finished before it could be killed midway"

    again = run(folder, db, out)
    _, stderr = again.communicate(timeout=1200)
    assert again.returncode == 0, stderr

    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        per_source = dict(conn.execute("SELECT source, count(*) FROM articles GROUP BY source").fetchall())
        raws = conn.execute("SELECT count(*) FROM raw_documents").fetchone()[0]
        orphans = conn.execute(
            "SELECT count(*) FROM articles WHERE raw_sha256 NOT IN (SELECT sha256 FROM raw_documents)"
        ).fetchone()[0]
    expected = {str(p) for p in folder.iterdir()}
    assert set(per_source) == expected
    assert set(per_source.values()) == {1}
    assert raws == total and orphans == 0
