"""Publication dates written in the many styles news pages use, and ambiguous numeric dates.

A numeric date such as 06/07/2016 reads as June 7 or July 6. Evidence from the text settles it: a
weekday name written beside it that fits only one reading, or the dates the text itself mentions
("on June 5"), since a report is published shortly after the events it mentions. When nothing
settles it the month-first reading is kept and flagged ambiguous.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime

from ..model.lexicon import MONTH_PATTERN, MONTHS, WEEKDAYS
from ..model.lexicon import valid_date as _valid

_MON = r"(?P<mon>" + MONTH_PATTERN + r")\.?"
_WD = r"(?:(?P<wd>mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\.?,?\s+)?"
_TIME = r"(?:(?:\s*(?:[-|,@]|at)?\s*)(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?)?"
_YEAR = r"(?P<y>(?:19|20)\d{2})"

_PATTERNS = [
    # 2016-06-07, 2016-06-07T08:33:35
    re.compile(r"\b" + _YEAR + r"-(?P<m>\d{2})-(?P<d>\d{2})"
               r"(?:[T ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?)?", re.I),
    # Tue Jun 7, 2016 08:33:35 / June 7, 2016 / Jun. 7 2016, 11:03 PM
    re.compile(r"\b" + _WD + _MON + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+" + _YEAR + _TIME, re.I),
    # Tuesday 7 June 2016 / 08 July, 2016 / 7th of June 2016
    re.compile(r"\b" + _WD + r"(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+" + _MON + r",?\s+" + _YEAR + _TIME, re.I),
    # 06/07/2016 - 16:21 / 7.6.2016 / 06-07-2016
    re.compile(r"\b" + _WD + r"(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)" + _YEAR + _TIME, re.I),
]

# Month-name dates without a year, as event mentions in the body: "on June 5", "5 June".
_MENTION = re.compile(
    r"\b(?:" + _MON.replace("?P<mon>", "?P<mon1>") + r"\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?\b(?!:)"
    r"(?:,?\s+(?P<y1>(?:19|20)\d{2}))?"
    r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MON.replace("?P<mon>", "?P<mon2>")
    + r"(?:,?\s+(?P<y2>(?:19|20)\d{2}))?)",
    re.I,
)


@dataclass(frozen=True)
class FoundDate:
    iso: str  # "2016-06-07" or "2016-06-07T16:21:00"
    ambiguous: bool
    start: int  # span of the date in the searched text
    end: int


def _time_part(m: re.Match[str]) -> str:
    h = m.groupdict().get("h")
    if not h:
        return ""
    hour, minute = int(h), int(m.group("mi"))
    second = int(m.group("s") or 0)
    ampm = (m.groupdict().get("ampm") or "").replace(".", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return ""
    return f"T{hour:02d}:{minute:02d}:{second:02d}"


def mentioned_dates(text: str, year: int) -> list[date]:
    """Month-name dates the text mentions, placed in `year` when they give none."""
    found = []
    for m in _MENTION.finditer(text):
        mon = m.group("mon1") or m.group("mon2")
        d = int(m.group("d1") or m.group("d2"))
        y = int(m.group("y1") or m.group("y2") or year)
        if mon.lower() == "may" and not (m.group("d1") and m.group("mon1")) and not m.group("y2"):
            continue  # "5 may ..." is usually the verb
        day = _valid(y, MONTHS[mon.lower().rstrip(".")], d)
        if day:
            found.append(day)
    return found


def _settle(first: date, second: date, weekday: int | None, evidence_text: str) -> tuple[date, bool]:
    """Choose between two readings of a numeric date; True when still ambiguous."""
    if weekday is not None:
        fits = [r for r in (first, second) if r.weekday() == weekday]
        if len(fits) == 1:
            return fits[0], False
    mentions = mentioned_dates(evidence_text, first.year)

    def distance(reading: date) -> float:
        # Days from the closest mentioned event; events after the publication count double.
        gaps = [(reading - m).days for m in mentions]
        return min((g if g >= 0 else -2 * g) for g in gaps) if gaps else float("inf")

    d1, d2 = distance(first), distance(second)
    if d1 != d2 and min(d1, d2) <= 31 and abs(d1 - d2) >= 7:
        return (first, False) if d1 < d2 else (second, False)
    return first, True


def parse_date(text: str, evidence_text: str = "") -> FoundDate | None:
    """The first date written in `text` (a date line), as ISO 8601; None when there is none.

    `evidence_text` (the article body) settles numeric dates that read both ways.
    """
    best: tuple[int, re.Match[str], int] | None = None
    for k, pattern in enumerate(_PATTERNS):
        m = pattern.search(text)
        if m and (best is None or m.start() < best[1].start()):
            best = (m.start(), m, k)
    if best is None:
        return None
    _, m, kind = best
    g = m.groupdict()
    year = int(g["y"])
    weekday = WEEKDAYS.get(g["wd"].lower()) if g.get("wd") else None
    ambiguous = False
    if kind == 0:
        day = _valid(year, int(g["m"]), int(g["d"]))
    elif kind in (1, 2):
        day = _valid(year, MONTHS[g["mon"].lower().rstrip(".")], int(g["d"]))
    else:
        a, b = int(g["a"]), int(g["b"])
        month_first, day_first = _valid(year, a, b), _valid(year, b, a)
        if month_first and day_first and a != b:
            day, ambiguous = _settle(month_first, day_first, weekday, evidence_text)
        else:
            day = month_first or day_first
    if day is None:
        return None
    iso = day.isoformat() + _time_part(m)
    return FoundDate(iso=iso, ambiguous=ambiguous, start=m.start(), end=m.end())


def normalise_iso(value: str, evidence_text: str = "") -> FoundDate | None:
    """A container's date (feed, JSONL, HTML meta) as ISO 8601, or None when unreadable.

    ISO and RFC 2822 dates are taken as written; other styles are read like a date line, with
    `evidence_text` settling numeric dates that read both ways.
    """
    value = value.strip()
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        found = parse_date(value, evidence_text)
        if found is not None:
            return found
        try:
            dt = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    iso = dt.date().isoformat() if len(value) <= 10 else dt.isoformat()
    return FoundDate(iso=iso, ambiguous=False, start=0, end=len(value))
