"""Shared fixtures. Data from ../shared (seeds, gold, benchmarks) is used where present; tests that
need it skip with a reason in a user's clone, where it is absent. CI always has it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared fixtures live beside the checkout in CI)")
    return path


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return _need(SHARED / "seeds")


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads(_need(SHARED / "gold" / "seeds.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def bench_dir() -> Path:
    return _need(SHARED / "bench")


@pytest.fixture()
def db(tmp_path: Path) -> str:
    return str(tmp_path / "test.db")
