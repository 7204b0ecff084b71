"""Templates (Jinja2, autoescaped: article text is never trusted) and the packaged stylesheet."""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined, select_autoescape

from ..dossier import coverage_bar, dossier_css, show_date

# The server's pages, and the dossier stage's templates (one dossier renderer for files and pages).
_templates = Environment(
    loader=ChoiceLoader([PackageLoader("storyweave.serve", "templates"), PackageLoader("storyweave.dossier", "templates")]),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
)
_templates.globals.update(show_date=show_date, coverage_bar=coverage_bar)


def render_page(name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(_templates.get_template(name).render(**context), status_code=status_code)


def static_text(name: str) -> str:
    if name == "dossier.css":
        return dossier_css()
    return resources.files("storyweave.serve").joinpath("static", name).read_text(encoding="utf-8")


def render_text(name: str, **context: Any) -> str:
    """A template rendered to text (the Atom feed), escaped like every page."""
    return _templates.get_template(name).render(**context)
