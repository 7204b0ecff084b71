"""Temporal expressions resolved against the article's date: "last week", "on June 5", "since
last fall", "a year ago", "Monday". Own rules: news-style relative dates need the publication
date and a past bias that dateparser does not apply consistently (see benchmarks/bench_nlp.py,
which measures both on the same labelled expressions). Durations ("at least a month") and
anything vague stay unresolved (None): unknown stays unknown."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from ..model.lexicon import MONTH_PATTERN, MONTHS, WEEKDAY_NAMES, WEEKDAYS
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

_ABS_MDY = re.compile(rf"\b({MONTH_PATTERN})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE)
_ABS_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTH_PATTERN})\.?,?\s+(\d{{4}})\b", re.IGNORECASE)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MD = re.compile(rf"\b({MONTH_PATTERN})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b", re.IGNORECASE)
_DM = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTH_PATTERN})\b", re.IGNORECASE)
_MONTH_YEAR = re.compile(rf"\b({MONTH_PATTERN})\.?,?\s+(\d{{4}})\b", re.IGNORECASE)
_MONTH_REL_YEAR = re.compile(rf"\b({MONTH_PATTERN})\s+(last|this|next)\s+year\b|\b(last|this|next)\s+({MONTH_PATTERN})\b", re.IGNORECASE)
_MONTH_ALONE = re.compile(rf"^(?:early|late|mid|the end of|the beginning of|the start of|the middle of)?[\s-]*({MONTH_PATTERN})$", re.IGNORECASE)
_YEAR = re.compile(r"^(?:the year\s+)?((?:19|20)\d\d)$")
_AGO = re.compile(r"\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+)\s+(day|week|month|year)s?\s+ago\b", re.IGNORECASE)
_REL_UNIT = re.compile(r"\b(last|this|next|previous)\s+(week|month|year|weekend)\b", re.IGNORECASE)
_WEEKDAY = re.compile(r"\b(?:(last|this|next|past)\s+)?(" + "|".join(WEEKDAY_NAMES) + r")\b", re.IGNORECASE)
_SEASON = re.compile(r"\b(?:(last|this|next|past)\s+)?(spring|summer|fall|autumn|winter)(?:\s+(?:of\s+)?((?:19|20)\d\d))?\b", re.IGNORECASE)
_DAY_WORD = re.compile(r"\b(today|tonight|yesterday|tomorrow|this morning|this afternoon|this evening|last night)\b", re.IGNORECASE)


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


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


@dataclass(frozen=True)
class _Said:
    """One expression in the forms the rules read."""

    text: str  # whitespace collapsed
    low: str  # and lower case
    bare: str  # and leading prepositions and articles stripped ("since the" ...)

    @classmethod
    def of(cls, text: str) -> _Said:
        t = " ".join(text.split())
        low = bare = t.lower()
        while (shorter := _LEAD.sub("", bare)) != bare:
            bare = shorter
        return cls(t, low, bare)


Match = re.Match[str]

# -- rules that need no publication date -------------------------------------------------------


def _day_month_year(m: Match) -> str | None:
    if m.re is _ABS_MDY:
        return _iso(_safe(int(m[3]), MONTHS[m[1].lower()], int(m[2])))
    return _iso(_safe(int(m[3]), MONTHS[m[2].lower()], int(m[1])))


def _iso_date(m: Match) -> str | None:
    return _iso(_safe(int(m[1]), int(m[2]), int(m[3])))


def _month_of_year(m: Match) -> str | None:
    return _month(int(m[2]), MONTHS[m[1].lower()])


def _season_with_year(low: str) -> Match | None:
    m = _SEASON.search(low)
    return m if m and m[3] else None


def _season_of_year(m: Match) -> str | None:
    return _month(int(m[3]), SEASON_START[m[2].lower()])


# In order; the first that matches decides (None: a date expression, but no date in it).
_ABSOLUTE_RULES: tuple[tuple[Callable[[_Said], Match | None], Callable[[Match], str | None]], ...] = (
    (lambda s: _ABS_MDY.search(s.text) or _ABS_DMY.search(s.text), _day_month_year),  # June 5, 2024 / 5 June 2024
    (lambda s: _ISO.search(s.text), _iso_date),  # 2024-06-05
    (lambda s: _MONTH_YEAR.search(s.text), _month_of_year),  # June 2024
    (lambda s: _YEAR.match(s.bare), lambda m: m[1]),  # in 2024
    (lambda s: _season_with_year(s.low), _season_of_year),  # summer of 2024
)

# -- rules that count from the publication date ------------------------------------------------


def _day_word(m: Match, pub: date) -> str | None:
    offset = {"yesterday": -1, "tomorrow": 1, "last night": -1}.get(m[1].lower(), 0)
    return (pub + timedelta(days=offset)).isoformat()


def _ago(m: Match, pub: date) -> str | None:
    n = _NUMBER_WORDS.get(m[1].lower()) if not m[1].isdigit() else int(m[1])
    if not n:
        return None
    unit = m[2].lower()
    if unit == "day":
        return (pub - timedelta(days=n)).isoformat()
    if unit == "week":
        return (pub - timedelta(weeks=n)).isoformat()
    if unit == "month":
        return _month(*_minus_months(pub, n))
    return _iso(_safe(pub.year - n, pub.month, pub.day) or _safe(pub.year - n, pub.month, 28))


def _month_of_relative_year(m: Match, pub: date) -> str | None:
    if m[1]:  # "June last year"
        mon = MONTHS[m[1].lower()]
        return _month(pub.year + {"last": -1, "this": 0, "next": 1}[m[2].lower()], mon)
    rel, mon = m[3].lower(), MONTHS[m[4].lower()]  # "last June": the latest June before
    if rel == "last":
        year = pub.year if mon < pub.month else pub.year - 1
    elif rel == "next":
        year = pub.year if mon > pub.month else pub.year + 1
    else:
        year = pub.year
    return _month(year, mon)


def _month_day(m: Match, pub: date) -> str | None:
    mon, day = (MONTHS[m[1].lower()], int(m[2])) if m.re is _MD else (MONTHS[m[2].lower()], int(m[1]))
    return _iso(_safe(_nearest_year(mon, day, pub), mon, day))


def _month_alone(m: Match, pub: date) -> str | None:
    mon = MONTHS[m[1].lower()]
    return _month(_nearest_year(mon, None, pub), mon)


def _relative_unit(m: Match, pub: date) -> str | None:
    step = {"last": -1, "previous": -1, "this": 0, "next": 1}[m[1].lower()]
    unit = m[2].lower()
    if unit in ("week", "weekend"):
        return (pub + timedelta(weeks=step)).isoformat()
    if unit == "month":
        return _month(*_minus_months(pub, -step))
    return f"{pub.year + step:04d}"


def _weekday(m: Match, pub: date) -> str | None:
    rel = (m[1] or "").lower()
    wd = WEEKDAYS[m[2].lower()]
    back = (pub.weekday() - wd) % 7
    if rel in ("last", "past"):
        return (pub - timedelta(days=back or 7)).isoformat()
    if rel == "next":
        return (pub + timedelta(days=(wd - pub.weekday()) % 7 or 7)).isoformat()
    return (pub - timedelta(days=back)).isoformat()  # news reports the past: the latest such day


def _season(m: Match, pub: date) -> str | None:
    rel = (m[1] or "this").lower()
    start_month = SEASON_START[m[2].lower()]
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
    return _month(year, start_month)


# In order; the first that matches decides (None: a date expression, but no date in it).
_RELATIVE_RULES: tuple[tuple[Callable[[_Said], Match | None], Callable[[Match, date], str | None]], ...] = (
    # a duration ("for the past two weeks", "at least a month") is no point in time
    (lambda s: _DURATION.search(s.low) if not _AGO.search(s.low) else None, lambda m, pub: None),
    (lambda s: _DAY_WORD.search(s.low), _day_word),  # yesterday
    (lambda s: _AGO.search(s.low), _ago),  # two weeks ago
    (lambda s: _MONTH_REL_YEAR.search(s.low), _month_of_relative_year),  # June last year, last June
    (lambda s: _MD.search(s.text) or _DM.search(s.text), _month_day),  # June 5, 5 June
    (lambda s: _MONTH_ALONE.match(s.bare), _month_alone),  # in early June
    (lambda s: _REL_UNIT.search(s.low), _relative_unit),  # last week
    (lambda s: _WEEKDAY.search(s.low), _weekday),  # on Monday
    (lambda s: _SEASON.search(s.low), _season),  # last summer
)


def resolve(text: str, published: date | None) -> str | None:
    """ISO date (YYYY-MM-DD), month (YYYY-MM) or year (YYYY) the expression points to, or None."""
    said = _Said.of(text)
    for find, absolute in _ABSOLUTE_RULES:
        if m := find(said):
            return absolute(m)
    if published is None:
        return None
    for find, relative in _RELATIVE_RULES:
        if m := find(said):
            return relative(m, published)
    return None
