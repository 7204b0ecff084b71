"""storyweave: raw news articles from many outlets -> cross-checked story dossiers.

The Python API in a few names:

    from storyweave import Settings, Store, run
    report = run(["examples/"], Settings(db="news.db"))
    with Store("news.db") as store:
        for story in store.stories():
            dossier = story_dossier(store, story)

Each stage is also usable alone, as a pure function over the shared models in
`storyweave.model`: `ingest.read_inputs`, `clean.clean_document`, `nlp.read_articles`,
`cluster.cluster_articles`, `dossier.build_dossier`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .config import IngestSettings, Settings
    from .pipeline import RunReport, run, story_dossier
    from .store import Store


# Imported on first use (PEP 562): `import storyweave` and every CLI command pay only for what
# they touch, never for spaCy, torch or the models behind the pipeline.
_LAZY = {
    "IngestSettings": ".config", "Settings": ".config",
    "RunReport": ".pipeline", "run": ".pipeline", "story_dossier": ".pipeline",
    "Store": ".store",
}

__all__ = ["IngestSettings", "RunReport", "Settings", "Store", "run", "story_dossier", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "__version__":  # the installed package's version, read once (config.VERSION)
        from .config import VERSION

        return VERSION
    if name not in _LAZY:
        raise AttributeError(f"module 'storyweave' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value
