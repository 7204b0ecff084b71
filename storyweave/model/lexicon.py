"""Word lists any stage may read: stop words, the calendar's names, typographic variants.

Data only, no behaviour beyond lookups, so every stage can import it without a cycle.
"""

from __future__ import annotations

import re

import calendar
from datetime import date

# Typographic variants and their plain forms, one character for one (offsets stay offsets):
# curly and low quotes, primes, guillemets, backtick and acute as quotes; odd spaces; hyphen
# variants. Why: quotes and names are matched across outlets, and the parser tags plain forms
# far better. Clean folds body text with it (and drops zero-width characters); nlp and compare
# fold what they read with it again (titles, names); compare folds dashes too (below).
PLAIN_FORMS: dict[str, str] = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u0060\u00b4", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
                    "\u202f\u205f\u3000\t\x0b\x0c", " "),
    **dict.fromkeys("\u2010\u2011", "-"),
}
# The same folding with en and em dashes read as hyphens ("2015\u20132020", "state\u2014run"):
# for comparing texts (compare). Not for the parser (nlp): there a dash separates clauses, a
# hyphen joins words.
PLAIN_FORMS_AND_DASHES: dict[str, str] = {**PLAIN_FORMS, "\u2013": "-", "\u2014": "-"}

# General English function words (the Glasgow Information Retrieval Group's list, as shipped
# by scikit-learn): the words that say nothing about what a text is about.
ENGLISH_STOP_WORDS = frozenset(
    """
    a about above across after afterwards again against all almost alone along already also
    although always am among amongst amoungst amount an and another any anyhow anyone anything
    anyway anywhere are around as at back be became because become becomes becoming been before
    beforehand behind being below beside besides between beyond bill both bottom but by call can
    cannot cant co con could couldnt cry de describe detail do done down due during each eg
    eight either eleven else elsewhere empty enough etc even ever every everyone everything
    everywhere except few fifteen fifty fill find fire first five for former formerly forty
    found four from front full further get give go had has hasnt have he hence her here
    hereafter hereby herein hereupon hers herself him himself his how however hundred i ie if in
    inc indeed interest into is it its itself keep last latter latterly least less ltd made many
    may me meanwhile might mill mine more moreover most mostly move much must my myself name
    namely neither never nevertheless next nine no nobody none noone nor not nothing now nowhere
    of off often on once one only onto or other others otherwise our ours ourselves out over own
    part per perhaps please put rather re same see seem seemed seeming seems serious several she
    should show side since sincere six sixty so some somehow someone something sometime
    sometimes somewhere still such system take ten than that the their them themselves then
    thence there thereafter thereby therefore therein thereupon these they thick thin third this
    those though three through throughout thru thus to together too top toward towards twelve
    twenty two un under until up upon us very via was we well were what whatever when whence
    whenever where whereafter whereas whereby wherein whereupon wherever whether which while
    whither who whoever whole whom whose why will with within without would yet you your yours
    yourself yourselves
    """.split()
)

# (clean's boilerplate test reads jusText's own per-language lists instead: its threshold was set
# on them.)

# Words that attribute a statement or title a person: they say who, not what. Read with the stop
# words wherever texts are matched by what they are about (cluster, compare).
ATTRIBUTION_WORDS = frozenset({"said", "says", "told", "according", "mr", "mrs", "ms"})

# Stop words for comparing claims (compare): only the words that never change what a sentence
# claims. Narrower than ENGLISH_STOP_WORDS on purpose: negations ("not", "never", "no"), numbers
# ("two", "first"), quantifiers ("only", "many", "every") and nouns ("fire", "bill", "system") decide
# whether two accounts agree, so they stay content words. Wider in the other direction: clitic
# fragments ("s", "t", "don") and the other forms of reporting ("say", "reported").
CLAIM_STOP_WORDS = frozenset(
    """
    a about above after again all also am an and any are as at be because been before being
    below both but by can could did do does doing done down during each even few for from
    further had has have having he her here hers him his how i if in into is it it's its just
    may me might mine more most must my new nor now of off on once one ones onto or other our
    ours out over own same s shall she should since so some still such t than that the their
    theirs them then there these they this those to too under until up us very was we were what
    when where which while who whom whose why will with without would yet you your yours
    don say tell reported report reports
    """.split()
) | ATTRIBUTION_WORDS

# Qualifiers of a vague amount ("dozens of", "several hundred"): the reader gives such a count a
# nominal value (24, 300), but no number was stated, so it is no value to match or dispute.
VAGUE_AMOUNT_QUALIFIERS = frozenset({"several", "dozens", "hundreds", "thousands", "millions", "billions",
                                     "scores", "many", "a few", "few"})

# Month names, full and abbreviated ("sept" too), to their number; weekdays to Monday=0.
MONTHS: dict[str, int] = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
WEEKDAYS: dict[str, int] = {d.lower(): i for i, d in enumerate(calendar.day_name)}
WEEKDAYS.update({d.lower(): i for i, d in enumerate(calendar.day_abbr)})
WEEKDAYS.update({"tues": 1, "thur": 3, "thurs": 3})
# Full names in calendar order, lower case, for rules that need the sequence or only full names.
MONTH_NAMES: tuple[str, ...] = tuple(m.lower() for m in calendar.month_name if m)
WEEKDAY_NAMES: tuple[str, ...] = tuple(d.lower() for d in calendar.day_name)
# For rules that find dates in text: every month name and abbreviation as a regex alternation,
# longest first ("june" tried before "jun"); the abbreviations ("sept" too) as the stems of looser
# patterns ("jan[a-z]*").
MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))
MONTH_STEMS: tuple[str, ...] = (*(m.lower() for m in calendar.month_abbr if m), "sept")


def valid_date(year: int, month: int, day: int) -> date | None:
    """The date, or None where the calendar has no such day (February 30, month 13)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def published_date(published: str | None) -> date | None:
    """The day of an article's ISO 8601 publication time ("2024-03-05T10:00:00Z"), or None."""
    m = _ISO_DAY.match(published or "")
    return valid_date(int(m[1]), int(m[2]), int(m[3])) if m else None
