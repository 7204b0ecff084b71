"""Server-side SVG pictures of a dossier: no scripts, no external files, inside the pages'
Content-Security-Policy. Each chart is an `<svg role="img">` with a <title> and <desc> (its
accessible name), scales to its container through its viewBox, and escapes every piece of
article text it shows.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from markupsafe import Markup

from ..model import Dossier
from ._view import date_key, dossier_view, labels, parse_date, show_date

MAX_ROWS = 15
MAX_OUTLETS = 12
FONT = "font-family:system-ui,sans-serif"


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _svg(chart_id: str, title: str, desc: str, width: int, height: int, body: list[str]) -> Markup:
    return Markup(
        f'<svg class="chart" id="{_e(chart_id)}" role="img" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{_e(chart_id)}-t {_e(chart_id)}-d" style="{FONT};max-width:{width}px" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="{_e(chart_id)}-t">{_e(title)}</title>'
        f'<desc id="{_e(chart_id)}-d">{_e(desc)}</desc>' + "".join(body) + "</svg>"
    )


def claim_matrix(d: Dossier) -> Markup | None:
    """Who reported what: key claims (rows) by outlets (columns); a filled dot states it, a cross
    contradicts it (a variant of one of its conflicts), an empty ring is silent."""
    view = dossier_view(d)
    rows = (view.key_facts + view.rest)[:MAX_ROWS]
    outlets = view.outlets[:MAX_OUTLETS]
    if not rows or not outlets:
        return None
    label = labels(d)
    contradicts: dict[int, set[str]] = {}
    for row in rows:
        if row.status != "disputed":
            continue
        sentences = {(c.article_id, c.sentence) for c in row.cites}
        for cf in d.conflicts:
            ours = [v for v in cf.variants if any((a, v.sentence) in sentences for a in v.article_ids)]
            if ours:
                others = {label.get(a, a) for v in cf.variants if v not in ours for a in v.article_ids}
                contradicts.setdefault(row.number, set()).update(others - set(row.outlets))
    cell, left, top = 26, 34, 120
    width, height = left + cell * len(outlets) + 90, top + cell * len(rows) + 10
    body = []
    for j, outlet in enumerate(outlets):
        x = left + cell * j + cell / 2
        body.append(f'<text x="{x}" y="{top - 8}" font-size="11" transform="rotate(-55 {x} {top - 8})">'
                    f'{_e(_cut(outlet, 22))}</text>')
    for i, row in enumerate(rows):
        y = top + cell * i + cell / 2
        body.append(f'<text x="4" y="{y + 4}" font-size="11"><title>{_e(row.text)}</title>#{row.number}</text>')
        for j, outlet in enumerate(outlets):
            x = left + cell * j + cell / 2
            if outlet in row.outlets:
                body.append(f'<circle cx="{x}" cy="{y}" r="7" fill="#2a7"><title>{_e(outlet)} states #{row.number}</title></circle>')
            elif outlet in contradicts.get(row.number, ()):
                body.append(f'<path d="M{x - 6} {y - 6}L{x + 6} {y + 6}M{x + 6} {y - 6}L{x - 6} {y + 6}" stroke="#c33" '
                            f'stroke-width="3"><title>{_e(outlet)} contradicts #{row.number}</title></path>')
            else:
                body.append(f'<circle cx="{x}" cy="{y}" r="6" fill="none" stroke="#767676" stroke-width="1.5">'
                            f'<title>{_e(outlet)} is silent on #{row.number}</title></circle>')
    states = sum(len(r.outlets) for r in rows)
    return _svg("chart-matrix", "Who reported what",
                f"{len(rows)} claims (rows, numbered as in the claim lists) by {len(outlets)} outlets (columns): "
                f"filled dot states it ({states}), cross contradicts it, empty ring is silent.",
                width, height, body)


def provenance_graph(d: Dossier) -> Markup | None:
    """Articles (left) and the primary sources they relay (right); a dashed line joins a copy
    to the article it copies."""
    if not d.provenance:
        return None
    label = labels(d)
    items = d.provenance[:MAX_ROWS]
    sources = list(dict.fromkeys(p.primary_source or "own reporting" for p in items))
    row, left_w, gap = 30, 200, 140
    width = left_w + gap + 200
    height = 20 + row * max(len(items), len(sources))
    ay = {p.article_id: 20 + row * i for i, p in enumerate(items)}
    sy = {s: 20 + row * i for i, s in enumerate(sources)}
    body = []
    for p in items:
        src = p.primary_source or "own reporting"
        dash = ' stroke-dasharray="2 3"' if p.relation == "own-reporting" else ""
        body.append(f'<line x1="{left_w}" y1="{ay[p.article_id]}" x2="{left_w + gap}" y2="{sy[src]}" stroke="#557"'
                    f' stroke-width="1.5"{dash}><title>{_e(label.get(p.article_id, p.article_id))} {_e(p.relation)} '
                    f'{_e(src)}</title></line>')
        for copied in p.copies_of:
            if copied in ay:
                mid = left_w - 30
                body.append(f'<path d="M{left_w} {ay[p.article_id]} C{mid} {ay[p.article_id]} {mid} {ay[copied]} '
                            f'{left_w} {ay[copied]}" fill="none" stroke="#c60" stroke-width="2" stroke-dasharray="6 3">'
                            f'<title>{_e(label.get(p.article_id, p.article_id))} copies '
                            f'{_e(label.get(copied, copied))}</title></path>')
    for p in items:
        y = ay[p.article_id]
        body.append(f'<circle cx="{left_w}" cy="{y}" r="5" fill="#336"/><text x="{left_w - 10}" y="{y + 4}" '
                    f'font-size="12" text-anchor="end">{_e(_cut(label.get(p.article_id, p.article_id), 26))}</text>')
    for s, y in sy.items():
        body.append(f'<rect x="{left_w + gap - 5}" y="{y - 5}" width="10" height="10" fill="#a52"/>'
                    f'<text x="{left_w + gap + 10}" y="{y + 4}" font-size="12">{_e(_cut(s, 26))}</text>')
    copies = sum(len(p.copies_of) for p in items)
    return _svg("chart-provenance", "Provenance: who relays whom",
                f"{len(items)} articles (left) joined to the {len(sources)} primary sources they cite or relay (right); "
                f"{copies} copy links (dashed, orange) between articles.", width, height, body)


def coverage_timeline(d: Dossier) -> Markup | None:
    """Coverage per outlet over time (a dot per article) above the story's dated events."""
    label = labels(d)
    dated = [(t, label[a.id], a) for a in d.articles if (t := parse_date(a.published)) is not None]
    events = [(t, e) for e in d.timeline if (t := parse_date(e.date)) is not None]
    points = [t for t, *_ in dated] + [t for t, _ in events]
    if not points:
        return None
    lo, hi = min(points), max(points)
    if hi - lo < dt.timedelta(days=1):
        lo, hi = lo - dt.timedelta(hours=12), hi + dt.timedelta(hours=12)
    outlets = sorted({o for _, o, _ in dated})[:MAX_OUTLETS]
    left, plot, row = 175, 420, 24
    width = left + plot + 20
    height = 40 + row * (len(outlets) + (1 if events else 0)) + 20

    def x(t: dt.datetime) -> float:
        return round(left + plot * (t - lo) / (hi - lo), 1)

    body = [f'<line x1="{left}" y1="{height - 22}" x2="{left + plot}" y2="{height - 22}" stroke="#999"/>',
            f'<text x="{left}" y="{height - 6}" font-size="11">{_e(show_date(lo.date().isoformat()))}</text>',
            (f'<text x="{left + plot}" y="{height - 6}" font-size="11" text-anchor="end">'
             f'{_e(show_date(hi.date().isoformat()))}</text>')]
    for i, outlet in enumerate(outlets):
        y = 30 + row * i
        body.append(f'<text x="{left - 8}" y="{y + 4}" font-size="12" text-anchor="end">{_e(_cut(outlet, 24))}</text>'
                    f'<line x1="{left}" y1="{y}" x2="{left + plot}" y2="{y}" stroke="#eee"/>')
        for t, o, a in sorted(dated, key=lambda item: item[0]):
            if o == outlet:
                body.append(f'<circle cx="{x(t)}" cy="{y}" r="6" fill="#36a" fill-opacity=".75"><title>'
                            f'{_e(o)}, {_e(show_date(a.published))}: {_e(a.title or a.id)}</title></circle>')
    if events:
        y = 30 + row * len(outlets)
        body.append(f'<text x="{left - 8}" y="{y + 4}" font-size="12" text-anchor="end">events</text>')
        for t, e in events:
            body.append(f'<rect x="{x(t) - 5}" y="{y - 5}" width="10" height="10" fill="#b50" transform="rotate(45 {x(t)} {y})">'
                        f'<title>{_e(e.date)}: {_e(_cut(e.text, 200))}</title></rect>')
    return _svg("chart-timeline", "Timeline: coverage per outlet and events",
                f"{len(dated)} dated articles from {len(outlets)} outlets between {show_date(lo.date().isoformat())} and "
                f"{show_date(hi.date().isoformat())}, and {len(events)} dated events of the story.", width, height, body)


def framing_chart(d: Dossier) -> Markup | None:
    """Side by side: the terms each outlet uses for the same thing, as bars of their counts."""
    label = labels(d)

    def named(key: str) -> str:  # the framing stage keys an outlet-less article as "article ID"
        return label.get(key.removeprefix("article "), key)

    rows = [(t.concept, named(outlet), terms) for t in d.framing.side_by_side for outlet, terms in t.by_outlet.items()
            if terms]
    if not rows:
        return None
    rows = rows[: MAX_ROWS * 2]
    left, plot, row = 230, 360, 24
    width, height = left + plot + 20, 20 + row * len(rows)
    peak = max(sum(terms.values()) for _, _, terms in rows)
    palette = ["#36a", "#a52", "#2a7", "#85a", "#c60", "#577"]
    colour: dict[str, str] = {}
    body = []
    for i, (concept, outlet, terms) in enumerate(rows):
        y = 10 + row * i
        body.append(f'<text x="{left - 8}" y="{y + 13}" font-size="12" text-anchor="end">{_e(_cut(concept, 14))}: '
                    f'{_e(_cut(outlet, 18))}</text>')
        x = float(left)
        for term, n in sorted(terms.items(), key=lambda kv: -kv[1]):
            w = max(plot * n / peak, 2)
            fill = colour.setdefault(term, palette[len(colour) % len(palette)])
            body.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="18" fill="{fill}"><title>{_e(outlet)}: '
                        f'"{_e(term)}" × {n}</title></rect>')
            if w > 40:
                body.append(f'<text x="{x + 4:.1f}" y="{y + 13}" font-size="11" fill="#fff">{_e(_cut(term, int(w / 7)))}</text>')
            x += w
    return _svg("chart-framing", "Framing side by side",
                f"For each thing named differently, the terms each outlet uses and how often ({len(rows)} rows).",
                width, height, body)


CHART_TITLES = {"chart-matrix": "Who reported what", "chart-provenance": "Provenance: who relays whom",
                "chart-timeline": "Timeline: coverage per outlet and events", "chart-framing": "Framing side by side"}


def dossier_charts(d: Dossier) -> list[tuple[str, Markup]]:
    """(caption, svg) of each chart the dossier has data for."""
    made = zip(CHART_TITLES.values(), (claim_matrix(d), provenance_graph(d), coverage_timeline(d), framing_chart(d)))
    return [(title, svg) for title, svg in made if svg is not None]


def coverage_bar(dates: list[str | None], width: int = 120, height: int = 18) -> Markup | None:
    """A small bar per day of coverage, for the story list."""
    days: dict[dt.date, int] = {}
    for value in dates:
        found = parse_date(value)
        if found:
            days[found.date()] = days.get(found.date(), 0) + 1
    if not days:
        return None
    first, last = min(days), max(days)
    span = (last - first).days + 1
    slot = width / max(span, 1)
    peak = max(days.values())
    bars = "".join(
        f'<rect x="{(day - first).days * slot:.1f}" y="{height - height * n / peak:.1f}" width="{max(slot - 1, 2):.1f}" '
        f'height="{height * n / peak:.1f}" fill="#36a"/>' for day, n in sorted(days.items()))
    desc = f"{sum(days.values())} dated articles over {span} day{'' if span == 1 else 's'}"
    return Markup(f'<svg class="spark" role="img" aria-label="{_e("Coverage over time: " + desc)}" viewBox="0 0 {width} {height}" '
                  f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">{bars}</svg>')


__all__ = ["claim_matrix", "coverage_bar", "coverage_timeline", "date_key", "dossier_charts", "framing_chart",
           "provenance_graph"]
