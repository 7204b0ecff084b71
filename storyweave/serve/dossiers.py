"""Built dossiers, kept while their inputs are unchanged.

Building a dossier compares every sentence of a story's articles (seconds on a CPU), while a
page view should take milliseconds. Stored articles never change (content hash), so a dossier
stays valid while its story (the article list, title, copies...) and the versions of its
articles' readings stay the same: that is the cache key, and any write that changes either makes
a new key.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from .. import pipeline
from ..model import Dossier, Story
from ..store import Store

log = logging.getLogger("storyweave.serve")


class DossierCache:
    def __init__(self, store: Store, size: int = 64) -> None:
        self.store = store
        self.size = size
        self._built: OrderedDict[str, Dossier] = OrderedDict()
        self._building: dict[str, threading.Lock] = {}  # one build per key at a time
        self._pages: OrderedDict[int, tuple[Dossier, Any]] = OrderedDict()  # id(dossier) -> (it, its page)
        self._lock = threading.Lock()

    def _key(self, story: Story) -> str:
        versions = self.store.reading_versions(story.article_ids)  # this story's, not the store's
        return story.model_dump_json() + "|" + "|".join(versions.get(i, "") for i in story.article_ids)

    def _cached(self, key: str) -> Dossier | None:
        with self._lock:
            if key in self._built:
                self._built.move_to_end(key)
                return self._built[key]
        return None

    def rendered(self, story: Story, render: Callable[[Dossier], Any]) -> Any:
        """`render(dossier)` of the story's current dossier, kept as long as that dossier is (a
        page view renders the charts and templates once, not on every request)."""
        built = self.get(story)
        with self._lock:
            hit = self._pages.get(id(built))
            if hit is not None and hit[0] is built:
                return hit[1]
        page = render(built)
        with self._lock:
            self._pages[id(built)] = (built, page)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)
        return page

    def get(self, story: Story) -> Dossier:
        key = self._key(story)
        found = self._cached(key)
        if found is not None:
            return found
        with self._lock:
            building = self._building.setdefault(key, threading.Lock())
        with building:  # concurrent misses on one story: the first builds, the others wait for it
            found = self._cached(key)
            if found is not None:
                return found
            try:
                built = pipeline.story_dossier(self.store, story)
                try:
                    self.store.put_dossier(built)  # rows for the story list's badges, search, exports
                except Exception:  # a read-only store still serves the page
                    log.warning("could not store the rows of story %s's dossier", story.id, exc_info=True)
                with self._lock:
                    self._built[key] = built
                    while len(self._built) > self.size:
                        self._built.popitem(last=False)
            finally:
                with self._lock:
                    self._building.pop(key, None)
        return built
