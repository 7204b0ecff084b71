"""Durations and points in time as users type them: `--every 15m`, `--since 2h`, `--since 2026-05-01`."""

from __future__ import annotations

import datetime as _dt
import re

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$", re.IGNORECASE)


def parse_duration(text: str) -> float:
    """Seconds in "90", "90s", "15m", "2h", "1d", "1w"; ValueError otherwise."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"not a duration: {text!r} (use e.g. 30s, 15m, 2h, 1d)")
    return float(match.group(1)) * _UNITS[(match.group(2) or "s").lower()]


def iso_utc(moment: _dt.datetime) -> str:
    """The one text form of a moment in the store: ISO 8601, UTC, whole seconds."""
    return moment.astimezone(_dt.UTC).isoformat(timespec="seconds")


def parse_since(text: str, now: _dt.datetime | None = None) -> str:
    """A `--since` value as the store's text form: a duration back from now ("2h", "3d") or an
    ISO 8601 date or datetime (naive means UTC); ValueError otherwise."""
    now = now or _dt.datetime.now(_dt.UTC)
    try:
        return iso_utc(now - _dt.timedelta(seconds=parse_duration(text)))
    except ValueError:
        pass
    try:
        moment = _dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"not a time: {text!r} (use e.g. 2h, 3d, 2026-05-01 or 2026-05-01T08:00)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_dt.UTC)
    return iso_utc(moment)
