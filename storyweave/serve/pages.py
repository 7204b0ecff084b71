"""Templates (Jinja2, autoescaped: article text is never trusted) and the packaged stylesheet."""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

_templates = Environment(
    loader=PackageLoader("storyweave.serve", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
)


def render_page(name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(_templates.get_template(name).render(**context), status_code=status_code)


def static_text(name: str) -> str:
    return resources.files("storyweave.serve").joinpath("static", name).read_text(encoding="utf-8")


def render_text(name: str, **context: Any) -> str:
    """A template rendered to text (the Atom feed), escaped like every page."""
    return _templates.get_template(name).render(**context)
