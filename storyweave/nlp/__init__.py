"""Stage 3, nlp: Article -> Reading (sentences, entities, people, quotes, quantities, sources,
times, group names and member labels), every item anchored by offsets into `Article.body`."""

from __future__ import annotations

from .model import ModelMissingError, load_pipeline
from .names import entity_key, person_key
from .reader import READER_VERSION, read_articles

__all__ = ["READER_VERSION", "ModelMissingError", "entity_key", "load_pipeline", "person_key", "read_articles"]
