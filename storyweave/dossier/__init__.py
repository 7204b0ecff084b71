"""Stage 5, dossier: one story's articles and readings -> a Dossier, and its renderings."""

from ._build import RULES, build_dossier
from ._framing import article_framing, build_framing, loaded_terms, opinion_cues
from ._render import (
    dossier_css,
    dossier_filename,
    render_html,
    render_index,
    render_json,
    render_dossier_body,
    render_markdown,
)
from ._charts import coverage_bar
from ._view import date_key, parse_date, show_date
from .schema import dossier_schema, shipped_schema

__all__ = [
    "RULES", "article_framing", "coverage_bar", "date_key", "dossier_css", "parse_date", "render_dossier_body",
    "show_date", "build_dossier", "build_framing", "dossier_filename", "dossier_schema",
    "loaded_terms",
    "opinion_cues", "render_html", "render_index", "render_json", "render_markdown", "shipped_schema",
]
