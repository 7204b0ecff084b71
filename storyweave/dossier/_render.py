"""Renderings of a dossier: JSON (the contract), Markdown and one self-contained HTML page.

Article text is untrusted: in HTML every piece of it goes through `html.escape` (quotes too, so
it can never leave an attribute), links use only ids quoted for URLs, and nothing is scripted.
In Markdown, angle brackets and Markdown control characters in article text are escaped too, since
Markdown viewers render inline HTML.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from urllib.parse import quote

from ..model import Dossier, Story, Support

STATUS_LABEL = {"corroborated": "corroborated", "single-source": "single source", "disputed": "disputed"}


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
            out.append(f"  - \"{_md(qv.text)}\" ({', '.join(_md(label.get(a, a)) for a in qv.article_ids)})")
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

CSS = """
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.6rem}h2{border-bottom:1px solid #ccc;margin-top:2rem}
.tag{display:inline-block;padding:0 .4rem;border-radius:.3rem;font-size:.8rem;color:#fff}
.corroborated{background:#2a7}.single-source{background:#888}.disputed{background:#c33}
blockquote{margin:.2rem 0 .2rem 1rem;padding-left:.6rem;border-left:3px solid #ddd;color:#444}
.src{color:#666;font-size:.85rem}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .5rem;vertical-align:top}
details{margin:.3rem 0}.note{color:#555;font-style:italic}
"""


def _e(text: object) -> str:
    return html.escape(str(text if text is not None else ""), quote=True)


def _labels(d: Dossier) -> dict[str, str]:
    return {a.id: (a.outlet or f"article {a.id}") for a in d.articles}


def _cite(sup: Support, label: dict[str, str]) -> str:
    return f'<blockquote>{_e(sup.sentence)} <span class="src">[{_e(label.get(sup.article_id, sup.article_id))}]</span></blockquote>'


def render_html(d: Dossier) -> str:
    label = _labels(d)
    p: list[str] = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        "<meta name=viewport content='width=device-width,initial-scale=1'>",
        f"<title>{_e(_title(d))}</title><style>{CSS}</style></head><body>",
        f"<p><a href='index.html'>all stories</a></p><h1>{_e(_title(d))}</h1>",
        "<table><tr><th>article</th><th>outlet</th><th>published</th><th>title</th></tr>",
    ]
    for a in d.articles:
        p.append(f"<tr><td>{_e(a.id)}</td><td>{_e(a.outlet or 'unknown')}</td><td>{_e(a.published or 'unknown')}</td><td>{_e(a.title or '')}</td></tr>")
    p.append("</table><h2>Summary</h2><ul>")
    for sm in d.summary:
        p.append(f"<li>{_e(sm.text)} <span class=src>[{_e(', '.join(label.get(a, a) for a in sm.article_ids))}]</span></li>")
    p.append("</ul>")
    if d.generated_summary:
        p.append("<h2>Generated summary</h2><p class=note>Written by a language model from the claims; "
                 "each sentence was checked against the claims it cites.</p><ul>")
        for gs in d.generated_summary:
            p.append(f"<li>{_e(gs.text)} <span class=src>[{_e(', '.join(label.get(a, a) for a in gs.article_ids))}]</span></li>")
        p.append("</ul>")
    p.append("<h2>Claims</h2>")
    multi = [c for c in d.claims if len({s.article_id for s in c.support}) > 1 or c.status == "disputed"]
    single = [c for c in d.claims if c not in multi]
    for c in multi:
        p.append(_claim_html(c, label))
    if single:
        p.append(f"<details><summary>{len(single)} single-source statements</summary>")
        p.extend(_claim_html(c, label) for c in single)
        p.append("</details>")
    p.append("<h2>Conflicts</h2>")
    if not d.conflicts:
        p.append("<p>No disagreement found between the articles.</p>")
    for cf in d.conflicts:
        p.append(f"<h3>{_e(cf.kind)}: {_e(cf.subject)}</h3>")
        if cf.note:
            p.append(f"<p class=note>{_e(cf.note)}</p>")
        p.append("<ul>")
        for v in cf.variants:
            p.append(f"<li><b>{_e(v.value)}</b> <span class=src>[{_e(', '.join(label.get(a, a) for a in v.article_ids))}]</span><blockquote>{_e(v.sentence)}</blockquote></li>")
        p.append("</ul>")
    if d.close_calls:
        p.append("<h3>Checked, not conflicts</h3><ul>")
        for cc in d.close_calls:
            p.append(f"<li>{_e(cc.subject)}: <span class=note>{_e(cc.note)}</span><ul>")
            p.extend(f"<li>{_e(v.value)} <span class=src>[{_e(', '.join(label.get(a, a) for a in v.article_ids))}]</span></li>" for v in cc.variants)
            p.append("</ul></li>")
        p.append("</ul>")
    p.append("<h2>Quotes</h2>")
    for sq in d.quotes:
        p.append(f"<h3>{_e(sq.speaker)}</h3><ul>")
        for qv in sq.variants:
            p.append(f"<li>&ldquo;{_e(qv.text)}&rdquo; <span class=src>[{_e(', '.join(label.get(a, a) for a in qv.article_ids))}]</span></li>")
        p.append("</ul>")
    p.append("<h2>Provenance</h2><table><tr><th>article</th><th>relation</th><th>primary source</th><th>evidence</th></tr>")
    for pv in d.provenance:
        evidence = "".join(_cite(s, label) for s in (pv.evidence + pv.shared_passages)[:4])
        copies = f" of {_e(', '.join(label.get(a, a) for a in pv.copies_of))}" if pv.copies_of else ""
        p.append(f"<tr><td>{_e(label.get(pv.article_id, pv.article_id))}</td><td>{_e(pv.relation)}{copies}</td><td>{_e(pv.primary_source or 'unknown')}</td><td>{evidence}</td></tr>")
    p.append("</table><h2>Framing</h2>")
    for t in d.framing.side_by_side:
        p.append(f"<h3>{_e(t.concept)}</h3><table><tr><th>outlet</th><th>terms</th></tr>")
        for outlet, terms in t.by_outlet.items():
            p.append(f"<tr><td>{_e(outlet)}</td><td>{_e(', '.join(f'{k} ({n})' for k, n in terms.items()))}</td></tr>")
        p.append("</table>")
    for fr in d.framing.articles:
        items = fr.loaded + fr.opinion
        if items:
            p.append(f"<h3>{_e(label.get(fr.article_id, fr.article_id))}</h3><ul>")
            p.extend(f"<li>{_e(i.kind)}: <b>{_e(i.term)}</b><blockquote>{_e(i.sentence)}</blockquote></li>" for i in items)
            p.append("</ul>")
    p.append("<h2>Timeline</h2><ul>")
    for ev in d.timeline:
        p.append(f"<li><b>{_e(ev.date)}</b> {_e(ev.text)} <span class=src>[{_e(', '.join(dict.fromkeys(label.get(s.article_id, s.article_id) for s in ev.support)))}]</span></li>")
    p.append("</ul><h2>How this was decided</h2><ul>")
    p.extend(f"<li>{_e(r)}</li>" for r in d.rules)
    p.append("</ul></body></html>")
    return "\n".join(p)


def _claim_html(c, label: dict[str, str]) -> str:
    sup = "".join(_cite(s, label) for s in c.support)
    note = f"<div class=note>{_e(c.note)}</div>" if c.note else ""
    return (
        f"<details><summary><span class='tag {_e(c.status)}'>{_e(STATUS_LABEL.get(c.status, c.status))}</span> "
        f"{_e(c.independent_sources)} independent: {_e(c.text)}</summary>{note}{sup}</details>"
    )


def dossier_filename(story_id: str) -> str:
    """The file stem a story's dossier is written under: the id with unsafe characters replaced
    (an id is data, never a path)."""
    stem = re.sub(r"[^A-Za-z0-9_.\-]", "_", story_id).lstrip(".")
    return stem[:120] or "story"


def render_index(stories: Sequence[Story]) -> str:
    rows = []
    for s in stories:
        href = quote(f"{dossier_filename(s.id)}.html", safe="")
        rows.append(
            f"<tr><td><a href=\"{_e(href)}\">{_e(s.title or s.id)}</a></td><td>{len(s.article_ids)}</td>"
            f"<td>{_e(', '.join(s.outlets))}</td><td>{_e(s.first_published or '')}</td></tr>"
        )
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>storyweave: stories</title>"
        f"<style>{CSS}</style></head><body><h1>Stories</h1>"
        "<table><tr><th>story</th><th>articles</th><th>outlets</th><th>first published</th></tr>"
        + "".join(rows) + "</table></body></html>"
    )
