"""Stage 5, dossier: one story's articles and readings -> a Dossier, and its renderings."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..model import Article, Dossier, Reading, Story


def build_dossier(story: Story, articles: Sequence[Article], readings: dict[str, Reading]) -> Dossier:
    return Dossier(story=story)


def render_json(dossier: Dossier) -> str:
    return json.dumps(dossier.model_dump(mode="json"), indent=2, ensure_ascii=False)


def render_markdown(dossier: Dossier) -> str:
    return f"# {dossier.story.title or dossier.story.id}\n"


def render_html(dossier: Dossier) -> str:
    import html
    return f"<!doctype html><title>{html.escape(dossier.story.title or dossier.story.id)}</title>"


def render_index(stories: Sequence[Story]) -> str:
    import html
    items = "".join(f'<li><a href="{html.escape(s.id)}.html">{html.escape(s.title or s.id)}</a></li>' for s in stories)
    return f"<!doctype html><meta charset=utf-8><title>storyweave</title><ul>{items}</ul>"
