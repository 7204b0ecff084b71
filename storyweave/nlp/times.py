"""Temporal expressions resolved against the article's date: "last week", "on June 5", "since
last fall", "a year ago", "Monday". Own rules: news-style relative dates need the publication
date and a past bias that dateparser does not apply consistently (see benchmarks/bench_nlp.py,
which measures both on the same labelled expressions). Durations ("at least a month") and
anything vague stay unresolved (None): unknown stays unknown."""

from __future__ import annotations

import re
from datetime import date, timedelta

from ..model.lexicon import MONTHS, WEEKDAYS
from ..model.lexicon import valid_date as _safe

SEASON_START = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
                 "several": None, "few": None, "a few": None}
_LEAD = re.compile(r"^(?:on|in|since|by|until|till|from|during|at|of|as of|before|after|through|"
                   r"earlier|later|early|late|mid|the|around|about)\b[\s-]*", re.IGNORECASE)
_DURATION = re.compile(r"\b(?:past|last|next|recent|coming)\s+(?:\w+\s+)?(?:few\s+|several\s+|\d+\s+|"
                       r"(?:two|three|four|five|six|seven|eight|nine|ten)\s+)(?:days|weeks|months|years)\b"
                       r"|\bat least\b|\bfor\b|\bmore than\b|\bup to\b|\bwithin\b|\bpast (?:almost |nearly )?\w+ (?:days|weeks|months|years)\b", re.IGNORECASE)

MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_ABS_MDY = re.compile(rf"\b({MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE)
_ABS_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTH_RE})\.?,?\s+(\d{{4}})\b", re.IGNORECASE)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MD = re.compile(rf"\b({MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b", re.IGNORECASE)
_DM = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTH_RE})\b", re.IGNORECASE)
_MONTH_YEAR = re.compile(rf"\b({MONTH_RE})\.?,?\s+(\d{{4}})\b", re.IGNORECASE)
_MONTH_REL_YEAR = re.compile(rf"\b({MONTH_RE})\s+(last|this|next)\s+year\b|\b(last|this|next)\s+({MONTH_RE})\b", re.IGNORECASE)
_MONTH_ALONE = re.compile(rf"^(?:early|late|mid|the end of|the beginning of|the start of|the middle of)?[\s-]*({MONTH_RE})$", re.IGNORECASE)
_YEAR = re.compile(r"^(?:the year\s+)?((?:19|20)\d\d)$")
_AGO = re.compile(r"\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+)\s+(day|week|month|year)s?\s+ago\b", re.IGNORECASE)
_REL_UNIT = re.compile(r"\b(last|this|next|previous)\s+(week|month|year|weekend)\b", re.IGNORECASE)
_WEEKDAY = re.compile(r"\b(?:(last|this|next|past)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.IGNORECASE)
_SEASON = re.compile(r"\b(?:(last|this|next|past)\s+)?(spring|summer|fall|autumn|winter)(?:\s+(?:of\s+)?((?:19|20)\d\d))?\b", re.IGNORECASE)
_DAY_WORD = re.compile(r"\b(today|tonight|yesterday|tomorrow|this morning|this afternoon|this evening|last night)\b", re.IGNORECASE)


def parse_published(published: str | None) -> date | None:
    if not published:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", published)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _nearest_year(month: int, day: int | None, pub: date) -> int:
    """The year that puts month/day nearest the publication date (within half a year)."""
    best = pub.year
    best_gap = None
    for y in (pub.year - 1, pub.year, pub.year + 1):
        d = _safe(y, month, day or 15)
        if d is None:
            continue
        gap = abs((d - pub).days)
        if best_gap is None or gap < best_gap:
            best, best_gap = y, gap
    return best


def _minus_months(d: date, months: int) -> tuple[int, int]:
    total = d.year * 12 + (d.month - 1) - months
    return total // 12, total % 12 + 1


def resolve(text: str, published: date | None) -> str | None:
    """ISO date (YYYY-MM-DD), month (YYYY-MM) or year (YYYY) the expression points to, or None."""
    t = " ".join(text.split())
    low = t.lower()
    for rx, order in ((_ABS_MDY, "mdy"), (_ABS_DMY, "dmy")):
        m = rx.search(t)
        if m:
            if order == "mdy":
                mon, day, year = MONTHS[m[1].lower()], int(m[2]), int(m[3])
            else:
                day, mon, year = int(m[1]), MONTHS[m[2].lower()], int(m[3])
            d = _safe(year, mon, day)
            return d.isoformat() if d else None
    m = _ISO.search(t)
    if m:
        d = _safe(int(m[1]), int(m[2]), int(m[3]))
        return d.isoformat() if d else None
    m = _MONTH_YEAR.search(t)
    if m:
        return f"{int(m[2]):04d}-{MONTHS[m[1].lower()]:02d}"
    stripped = low
    while True:
        nxt = _LEAD.sub("", stripped)
        if nxt == stripped:
            break
        stripped = nxt
    m = _YEAR.match(stripped)
    if m:
        return m[1]
    m = _SEASON.search(low)
    if m and m[3]:
        return f"{m[3]}-{SEASON_START[m[2].lower()]:02d}"
    if published is None:
        return None
    pub = published
    if _DURATION.search(low) and not _AGO.search(low):
        return None
    m = _DAY_WORD.search(low)
    if m:
        word = m[1].lower()
        offset = {"yesterday": -1, "tomorrow": 1, "last night": -1}.get(word, 0)
        return (pub + timedelta(days=offset)).isoformat()
    m = _AGO.search(low)
    if m:
        n = _NUMBER_WORDS.get(m[1].lower()) if not m[1].isdigit() else int(m[1])
        if not n:
            return None
        unit = m[2].lower()
        if unit == "day":
            return (pub - timedelta(days=n)).isoformat()
        if unit == "week":
            return (pub - timedelta(weeks=n)).isoformat()
        if unit == "month":
            y, mo = _minus_months(pub, n)
            return f"{y:04d}-{mo:02d}"
        d = _safe(pub.year - n, pub.month, pub.day) or _safe(pub.year - n, pub.month, 28)
        return d.isoformat() if d else None
    m = _MONTH_REL_YEAR.search(low)
    if m:
        if m[1]:
            mon, rel = MONTHS[m[1].lower()], m[2].lower()
            year = pub.year + {"last": -1, "this": 0, "next": 1}[rel]
        else:
            rel, mon = m[3].lower(), MONTHS[m[4].lower()]
            if rel == "last":
                year = pub.year if mon < pub.month else pub.year - 1
            elif rel == "next":
                year = pub.year if mon > pub.month else pub.year + 1
            else:
                year = pub.year
        return f"{year:04d}-{mon:02d}"
    m = _MD.search(t) or None
    if m:
        mon, day = MONTHS[m[1].lower()], int(m[2])
        d = _safe(_nearest_year(mon, day, pub), mon, day)
        return d.isoformat() if d else None
    m = _DM.search(t)
    if m:
        day, mon = int(m[1]), MONTHS[m[2].lower()]
        d = _safe(_nearest_year(mon, day, pub), mon, day)
        return d.isoformat() if d else None
    m = _MONTH_ALONE.match(stripped)
    if m:
        mon = MONTHS[m[1].lower()]
        return f"{_nearest_year(mon, None, pub):04d}-{mon:02d}"
    m = _REL_UNIT.search(low)
    if m:
        rel, unit = m[1].lower(), m[2].lower()
        step = {"last": -1, "previous": -1, "this": 0, "next": 1}[rel]
        if unit in ("week", "weekend"):
            return (pub + timedelta(weeks=step)).isoformat()
        if unit == "month":
            y, mo = _minus_months(pub, -step)
            return f"{y:04d}-{mo:02d}"
        return f"{pub.year + step:04d}"
    m = _WEEKDAY.search(low)
    if m:
        rel = (m[1] or "").lower()
        wd = WEEKDAYS[m[2].lower()]
        back = (pub.weekday() - wd) % 7
        if rel in ("last", "past"):
            back = back or 7
            return (pub - timedelta(days=back)).isoformat()
        if rel == "next":
            fwd = (wd - pub.weekday()) % 7 or 7
            return (pub + timedelta(days=fwd)).isoformat()
        return (pub - timedelta(days=back)).isoformat()  # news reports the past: the latest such day
    m = _SEASON.search(low)
    if m:
        rel = (m[1] or "this").lower()
        season = m[2].lower()
        start_month = SEASON_START[season]
        # the season's occurrence that started most recently before the publication date
        year = pub.year if (pub.month, pub.day) >= (start_month, 1) else pub.year - 1
        if rel in ("last", "past"):
            # a season still running at publication is "this" one; "last" is the one before
            end_y, end_m = (year + (start_month + 2) // 12, (start_month + 2) % 12 + 1)
            if (pub.year, pub.month) < (end_y, end_m):
                year -= 1
        elif rel == "next":
            year += 1
        elif rel == "this" and (pub.month, pub.day) < (start_month, 1) and start_month != 12:
            year = pub.year
        return f"{year:04d}-{start_month:02d}"
    return None
