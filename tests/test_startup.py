"""Start-up: the command line and the package import nothing heavy until a command needs it, so
`storyweave --help` and the listing commands answer at once. Behaviour, not timing: which
modules a fresh interpreter holds after the import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "spacy", "thinc", "sklearn", "sentence_transformers", "transformers", "dask",
         "distributed", "fastapi", "uvicorn", "hnswlib", "model2vec")


def _loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                          check=True, env=env, cwd=ROOT)
    return {name.split(".")[0] for name in json.loads(done.stdout.splitlines()[-1])}


def test_cli_import_loads_no_model_library() -> None:
    loaded = _loaded_after("import storyweave.cli")
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))
    assert "sqlalchemy" not in loaded  # the store is imported by the commands that open it


def test_package_import_is_lazy_and_names_still_resolve() -> None:
    loaded = _loaded_after("import storyweave\nassert storyweave.Settings().workers == 0")
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))
    # The public names still resolve, each from its own module.
    import storyweave
    from storyweave.pipeline import run
    from storyweave.store import Store

    assert storyweave.run is run and storyweave.Store is Store


def test_help_lists_the_commands() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "storyweave.cli", "--help"], capture_output=True, text=True,
                          timeout=120, check=True, env=env, cwd=ROOT)
    for command in ("run", "articles", "stories", "storylines", "dossier", "serve"):
        assert command in done.stdout
