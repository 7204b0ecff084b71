"""A dossier arranged the way an editor reads it, for the HTML templates (the written files and
the server's pages use the same ones): key facts ranked, disagreements with both sides, then
the rest. Pure: a Dossier in, plain data out; no HTML here except through the templates.

Dates: shown in one format (`show_date`) and compared as datetimes (`date_key`), never as
strings: `2016-06-07`, `2016-06-07T08:33:35` and `...+00:00` are the same kind of value.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field

from ..model import Claim, Dossier, Support

STATUS_LABEL = {"corroborated": "corroborated", "single-source": "single source", "disputed": "disputed"}
_STATUS_RANK = {"corroborated": 0, "disputed": 1, "single-source": 2}
KEY_FACTS = 12


@functools.lru_cache(maxsize=65536)  # pure, and asked again and again for the same stored values
def parse_date(value: str | None) -> dt.datetime | None:
    """An ISO 8601 date, month, date-time (with or without zone) as an aware datetime (UTC when
    no zone is stated); None when it is not one."""
    if not value:
        return None
    text = value.strip()
    try:
        if len(text) == 7:  # YYYY-MM
            found = dt.datetime(int(text[:4]), int(text[5:7]), 1)
        elif len(text) == 4 and text.isdigit():
            found = dt.datetime(int(text), 1, 1)
        else:
            found = dt.datetime.fromisoformat(text)  # takes a "Z" zone too (Python 3.11)
    except ValueError:
        return None
    return found if found.tzinfo else found.replace(tzinfo=dt.UTC)


def date_key(value: str | None) -> dt.datetime:
    """Sort key: dates compared as datetimes; undated sorts first (oldest)."""
    return parse_date(value) or dt.datetime.min.replace(tzinfo=dt.UTC)


def show_date(value: str | None) -> str:
    """One display format: `2016-06-07`, or `2016-06-07 16:21` with ` UTC±hh:mm` where the zone is
    known; the value as given when it is not a date."""
    if not value:
        return ""
    found = parse_date(value)
    text = value.strip()
    if found is None:
        return text
    if len(text) <= 10:
        return text
    shown = found.strftime("%Y-%m-%d %H:%M")
    zone = text[19:].lstrip("0123456789.")  # what the value states after the seconds
    if zone in ("Z", "+00:00", "-00:00"):
        return shown + " UTC"
    if zone:
        return shown + f" UTC{zone}"
    return shown


class Cite(BaseModel):
    article_id: str
    label: str  # the outlet's name (an article id only when no outlet is known)
    sentence: str
    start: int | None = None
    end: int | None = None


class ClaimView(BaseModel):
    number: int
    text: str
    status: str
    status_label: str
    independent: int
    weak: bool  # one independent source at most: repeated, not corroborated
    outlets: list[str]
    outlet_slots: list[int]  # indexes into DossierView.outlets, for the outlet filter
    note: str | None
    cites: list[Cite]


class VariantView(BaseModel):
    value: str
    labels: list[str]
    cites: list[Cite]


class ConflictView(BaseModel):
    kind: str
    subject: str
    note: str | None
    variants: list[VariantView]


class DossierView(BaseModel):
    title: str
    outlets: list[str] = Field(default_factory=list)
    key_facts: list[ClaimView] = Field(default_factory=list)
    rest: list[ClaimView] = Field(default_factory=list)
    conflicts: list[ConflictView] = Field(default_factory=list)
    first_reported: dict[str, Any] | None = None  # {"label", "published", "article_id"}
    counts: dict[str, int] = Field(default_factory=dict)


def labels(d: Dossier) -> dict[str, str]:
    """article id -> what a reader calls it: the outlet's name, else the start of its title; never
    a bare hash where anything better is known."""
    def name(a: Any) -> str:
        if a.outlet:
            return a.outlet
        title = (a.title or "").strip()
        return f"unknown outlet (“{title[:24]}{'…' if len(title) > 24 else ''}”)" if title else f"article {a.id[:8]}"
    return {a.id: name(a) for a in d.articles}


def _offsets(d: Dossier) -> dict[tuple[str, str], tuple[int, int]]:
    """(article id, sentence) -> body offsets, from every sentence the dossier cites."""
    found: dict[tuple[str, str], tuple[int, int]] = {}
    supports: list[Support] = [s for c in d.claims for s in c.support]
    supports += [s for p in d.provenance for s in (*p.evidence, *p.shared_passages)]
    supports += [s for e in d.timeline for s in e.support] + [s for m in d.summary for s in m.support]
    supports += [s for q in d.quotes for v in q.variants for s in v.appearances]
    for s in supports:
        found.setdefault((s.article_id, s.sentence), (s.start, s.end))
    return found


def rank_claims(claims: list[Claim]) -> list[Claim]:
    """Most established first: corroborated, then disputed, then single-source; within each,
    more independent sources, then more outlets."""
    return sorted(claims, key=lambda c: (_STATUS_RANK.get(c.status, 3), -c.independent_sources, -len(c.outlets)))


def is_key_fact(claim: Claim) -> bool:
    return claim.status == "disputed" or len({s.article_id for s in claim.support}) > 1


def dossier_view(d: Dossier) -> DossierView:
    label = labels(d)
    outlets = sorted({label[a.id] for a in d.articles})
    slot = {o: i for i, o in enumerate(outlets)}

    def cite(s: Support) -> Cite:
        return Cite(article_id=s.article_id, label=label.get(s.article_id, s.article_id), sentence=s.sentence,
                    start=s.start, end=s.end)

    ranked = rank_claims(d.claims)
    keys = [c for c in ranked if is_key_fact(c)][:KEY_FACTS]
    key_ids = {id(c) for c in keys}
    views: list[ClaimView] = []
    for number, c in enumerate(keys + [c for c in ranked if id(c) not in key_ids], start=1):
        shown = list(dict.fromkeys(label.get(s.article_id, s.article_id) for s in c.support))
        views.append(ClaimView(
            number=number, text=c.text, status=c.status, status_label=STATUS_LABEL.get(c.status, c.status),
            independent=c.independent_sources, weak=c.independent_sources <= 1, outlets=shown,
            outlet_slots=[slot[o] for o in shown if o in slot], note=c.note, cites=[cite(s) for s in c.support],
        ))
    where = _offsets(d)
    conflicts = []
    for cf in d.conflicts:
        variants = []
        for v in cf.variants:
            cites = []
            for aid in v.article_ids:
                start, end = where.get((aid, v.sentence), (None, None))
                cites.append(Cite(article_id=aid, label=label.get(aid, aid), sentence=v.sentence, start=start, end=end))
            variants.append(VariantView(value=v.value, labels=list(dict.fromkeys(c.label for c in cites)), cites=cites))
        conflicts.append(ConflictView(kind=cf.kind, subject=cf.subject, note=cf.note, variants=variants))
    dated = [a for a in d.articles if parse_date(a.published)]
    first = min(dated, key=lambda a: date_key(a.published)) if dated else None
    counts = {status: sum(1 for c in d.claims if c.status == status) for status in STATUS_LABEL}
    counts["conflicts"] = len(d.conflicts)
    return DossierView(
        title=d.story.title or f"Story {d.story.id}", outlets=outlets, key_facts=views[: len(keys)],
        rest=views[len(keys):], conflicts=conflicts, counts=counts,
        first_reported={"label": label[first.id], "published": first.published, "article_id": first.id} if first else None,
    )


ArticleHref = Callable[[str, "int | None", "int | None", str], "str | None"]


def no_links(article_id: str, start: int | None, end: int | None, sentence: str) -> str | None:
    return None
