"""Renderings of a dossier: JSON (the contract), Markdown and one self-contained HTML page.

Article text is untrusted: HTML comes from autoescaping Jinja templates (templates/; the SVG
charts escape their own text), links use only ids quoted for URLs, and nothing is scripted.
In Markdown, angle brackets and Markdown control characters in article text are escaped too, since
Markdown viewers render inline HTML.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from importlib import resources
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ..model import Dossier, Story
from ._charts import dossier_charts
from ._view import (
    STATUS_LABEL,
    ArticleHref,
    Cite,
    date_key,
    dossier_view,
    labels,
    show_date,
)


def render_json(dossier: Dossier) -> str:
    return json.dumps(dossier.model_dump(mode="json"), indent=2, ensure_ascii=False)


# -- Markdown ---------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#|!])")


def _md(text: str | None) -> str:
    """Article text made inert in Markdown: HTML as entities, control characters escaped, one
    line (so it can never start a heading or a list)."""
    flat = html.escape(" ".join((text or "").split()), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", flat)


def _title(d: Dossier) -> str:
    return d.story.title or f"Story {d.story.id}"


def render_markdown(d: Dossier) -> str:
    label = _labels(d)
    out = [f"# {_md(_title(d))}", ""]
    out.append(f"Story `{_md(d.story.id)}`: {len(d.articles)} articles from {', '.join(_md(label[a.id]) for a in d.articles)}.")
    out += ["", "## Summary", ""]
    for sm in d.summary:
        out.append(f"- {_md(sm.text)} [{', '.join(_md(label.get(a, a)) for a in sm.article_ids)}]")
    if d.generated_summary:
        out += ["", "## Generated summary (a language model, checked against the claims)", ""]
        for gs in d.generated_summary:
            out.append(f"- {_md(gs.text)} [{', '.join(_md(label.get(a, a)) for a in gs.article_ids)}]")
    out += ["", "## Claims", ""]
    for c in d.claims:
        if len({s.article_id for s in c.support}) < 2 and c.status != "disputed":
            continue
        out.append(f"- **{STATUS_LABEL.get(c.status, c.status)}**, {c.independent_sources} independent: {_md(c.text)}")
        if c.note:
            out.append(f"  - {_md(c.note)}")
        for sup in c.support:
            out.append(f"  - {_md(label.get(sup.article_id, sup.article_id))}: \"{_md(sup.sentence)}\"")
    singles = [c for c in d.claims if len({s.article_id for s in c.support}) < 2 and c.status != "disputed"]
    if singles:
        out.append(f"- {len(singles)} single-source statements (in the JSON and HTML renderings)")
    out += ["", "## Conflicts", ""]
    if not d.conflicts:
        out.append("No disagreement found between the articles.")
    for cf in d.conflicts:
        out.append(f"- **{_md(cf.kind)}**, {_md(cf.subject)}" + (f" ({_md(cf.note)})" if cf.note else ""))
        for v in cf.variants:
            out.append(f"  - \"{_md(v.value)}\" in {', '.join(_md(label.get(a, a)) for a in v.article_ids)}: {_md(v.sentence)}")
    if d.close_calls:
        out += ["", "### Checked, not conflicts", ""]
        for cc in d.close_calls:
            out.append(f"- {_md(cc.subject)}: {_md(cc.note)}")
    out += ["", "## Quotes", ""]
    for sq in d.quotes:
        out.append(f"- **{_md(sq.speaker)}**")
        for qv in sq.variants:
            relay = f" (relaying {_md(qv.relays)})" if qv.relays else f" (as relayed by {_md(qv.relayed_by)})" if qv.relayed_by else ""
            out.append(f"  - \"{_md(qv.text)}\"{relay} ({', '.join(_md(label.get(a, a)) for a in qv.article_ids)})")
    out += ["", "## Provenance", ""]
    for pv in d.provenance:
        extra = f", copies {', '.join(_md(label.get(a, a)) for a in pv.copies_of)}" if pv.copies_of else ""
        out.append(f"- {_md(label.get(pv.article_id, pv.article_id))}: {_md(pv.relation)} {_md(pv.primary_source or 'unknown')}{extra}")
        for e in pv.evidence[:2]:
            out.append(f"  - \"{_md(e.sentence)}\"")
    out += ["", "## Framing", ""]
    for t in d.framing.side_by_side:
        out.append(f"- {_md(t.concept)}: " + "; ".join(
            f"{_md(o)}: {', '.join(f'{_md(k)} ({n})' for k, n in terms.items())}" for o, terms in t.by_outlet.items()
        ))
    for fr in d.framing.articles:
        for item in fr.loaded + fr.opinion:
            out.append(f"- {_md(label.get(fr.article_id, fr.article_id))}, {item.kind}: \"{_md(item.term)}\" in \"{_md(item.sentence)}\"")
    out += ["", "## Timeline", ""]
    for ev in d.timeline:
        out.append(f"- {_md(ev.date)}: {_md(ev.text)} [{', '.join(dict.fromkeys(_md(label.get(s.article_id, s.article_id)) for s in ev.support))}]")
    out += ["", "## How this was decided", ""]
    out += [f"- {_md(r)}" for r in d.rules]
    return "\n".join(out) + "\n"


# -- HTML -------------------------------------------------------------------------------------
# One renderer: the Jinja templates in templates/ make the written files and the server's story
# pages (which include dossier_body.html with links to their own article pages).

_templates = Environment(
    loader=PackageLoader("storyweave.dossier", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
)


def dossier_css() -> str:
    return resources.files("storyweave.dossier").joinpath("templates", "dossier.css").read_text(encoding="utf-8")


def _labels(d: Dossier) -> dict[str, str]:
    return labels(d)


def original_link(d: Dossier) -> ArticleHref:
    """Links for the written files: the article's own http(s) URL, at the sentence where the
    browser supports text fragments; none where the article has no web address."""
    urls = {a.id: a.url for a in d.articles if a.url and a.url.startswith(("http://", "https://"))}

    def href(article_id: str, start: int | None, end: int | None, sentence: str) -> str | None:
        url = urls.get(article_id)
        if url is None:
            return None
        words = sentence.split()
        if not words:
            return url
        return url.split("#", 1)[0] + "#:~:text=" + quote(" ".join(words[:8]), safe="")
    return href


def dossier_context(d: Dossier, href: ArticleHref) -> dict[str, Any]:
    """What dossier_body.html needs; `href(article_id, start, end, sentence)` links a citation."""
    label = labels(d)

    def label_of(article_id: str) -> str:
        return label.get(article_id, article_id)

    def as_cite(item: Any, article_id: str | None = None) -> Cite:
        aid = article_id or item.article_id
        return Cite(article_id=aid, label=label_of(aid), sentence=item.sentence, start=item.start, end=item.end)

    def labels_of(article_ids: Any) -> list[str]:
        return [label_of(a) for a in article_ids]

    return {"d": d, "v": dossier_view(d), "charts": dossier_charts(d), "href": href, "show_date": show_date,
            "label_of": label_of, "labels_of": labels_of, "as_cite": as_cite,
            "articles": sorted(d.articles, key=lambda a: (date_key(a.published), a.id))}


def render_dossier_body(d: Dossier, href: ArticleHref) -> Markup:
    return Markup(_render("dossier_body.html", dossier_context(d, href)))


def _render(name: str, context: dict[str, Any]) -> str:
    return _templates.get_template(name).render(**context)


def render_html(d: Dossier) -> str:
    return _render("dossier_page.html", {**dossier_context(d, original_link(d)), "css": dossier_css()})


def dossier_filename(story_id: str) -> str:
    """The file stem a story's dossier is written under: the id with unsafe characters replaced
    (an id is data, never a path)."""
    stem = re.sub(r"[^A-Za-z0-9_.\-]", "_", story_id).lstrip(".")
    return stem[:120] or "story"


def render_index(stories: Sequence[Story]) -> str:
    return _templates.get_template("index_page.html").render(
        stories=stories, css=dossier_css(), show_date=show_date, file_of=lambda sid: f"{dossier_filename(sid)}.html")
