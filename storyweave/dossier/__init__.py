"""Stage 5, dossier: one story's articles and readings -> a Dossier, and its renderings."""

from ._build import RULES, build_dossier
from ._framing import article_framing, build_framing, loaded_terms, opinion_cues
from ._render import (
    dossier_filename,
    render_html,
    render_index,
    render_json,
    render_markdown,
)
from .schema import dossier_schema, shipped_schema

__all__ = [
    "RULES", "article_framing", "build_dossier", "build_framing", "dossier_filename", "dossier_schema",
    "loaded_terms",
    "opinion_cues", "render_html", "render_index", "render_json", "render_markdown", "shipped_schema",
]
