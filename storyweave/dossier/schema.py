"""The dossier's JSON Schema, generated from the pydantic model and shipped in the package.

`python -m storyweave.dossier.schema` rewrites `dossier.schema.json` after a model change; a test
checks the shipped file matches the model.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..model import Dossier

SCHEMA_PATH = Path(__file__).with_name("dossier.schema.json")
SCHEMA_ID = "https://storyweave.invalid/schemas/dossier.schema.json"


def dossier_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of `storyweave dossier STORY_ID --format json`."""
    schema = Dossier.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def render_schema() -> str:
    return json.dumps(dossier_schema(), indent=2, sort_keys=True) + "\n"


def shipped_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def main() -> None:
    SCHEMA_PATH.write_text(render_schema(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")


if __name__ == "__main__":
    main()
