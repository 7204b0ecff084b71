"""Titles, outlets and dates of every stored article, for the story list and title search.

Stored articles are only ever added (content-addressed, never rewritten), so the heads are
loaded once and topped up with the new ids when the article count grows; article bodies are
never held for the list.
"""

from __future__ import annotations

import threading

from ..store import Store
from .views import ArticleHead

LOAD_BATCH = 500


class ArticleHeads:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._heads: dict[str, ArticleHead] = {}
        self._order: list[str] = []
        self._lock = threading.Lock()

    def get(self) -> list[ArticleHead]:
        with self._lock:
            if self.store.article_count() != len(self._order):
                self._refresh()
            return [self._heads[i] for i in self._order]

    def _refresh(self) -> None:
        ids = list(self.store.iter_article_ids())
        new = [i for i in ids if i not in self._heads]
        for start in range(0, len(new), LOAD_BATCH):
            for article in self.store.articles(new[start : start + LOAD_BATCH]):
                self._heads[article.id] = ArticleHead.of(article)
        self._order = [i for i in ids if i in self._heads]
