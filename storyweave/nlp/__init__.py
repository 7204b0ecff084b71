"""Stage 3, nlp: Article -> Reading (sentences, entities, people, quotes, quantities, sources)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Article, Reading, Sentence

READER_VERSION = "0"


def read_articles(articles: Sequence[Article]) -> list[Reading]:
    out = []
    for art in articles:
        sents = [Sentence(text=m.group(), start=m.start(), end=m.end()) for m in re.finditer(r"[^\n.!?]+[.!?]?", art.body) if m.group().strip()]
        out.append(Reading(article_id=art.id, sentences=sents, reader_version=READER_VERSION))
    return out
