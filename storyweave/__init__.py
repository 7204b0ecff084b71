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

from .config import VERSION, IngestSettings, Settings
from .pipeline import RunReport, run, story_dossier
from .store import Store

__version__ = VERSION

__all__ = ["IngestSettings", "RunReport", "Settings", "Store", "run", "story_dossier", "__version__"]
