"""Quantities: numbers in digits or words, ranges, qualifiers ("some", "more than"), what is
counted ("militants", "Western countries") or the unit ("US dollars"), and "each".

Own rules over the parse: quantity libraries parse units well but not qualifiers, counted nouns
or "each", which is what a cross-source number comparison needs."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ..model.lexicon import MONTH_STEMS, WEEKDAY_NAMES

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1, "half": 0.5,
}
_SCALES = {"dozen": 12, "hundred": 100, "thousand": 1_000, "million": 1_000_000,
           "billion": 1_000_000_000, "trillion": 1_000_000_000_000, "bn": 1_000_000_000,
           "m": 1_000_000, "k": 1_000}
# "hundreds of", "dozens of": an indefinite plural, at least two of the unit
_PLURAL_SCALES = {"dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1_000,
                  "millions": 1_000_000, "billions": 1_000_000_000}
# "several dozen": a few of the unit (taken as three)
_VAGUE_MULTIPLIERS = {"several": 3, "a few": 3, "few": 3, "many": 3}
_QUALIFIERS = (
    "no more than", "no fewer than", "no less than", "as many as", "as few as", "as much as",
    "more than", "less than", "fewer than", "at least", "at most", "up to", "close to",
    "upwards of", "in excess of", "just over", "just under", "well over", "an estimated",
    "nearly", "almost", "about", "around", "approximately", "roughly", "some", "over", "under",
    "estimated", "only", "just", "barely", "exactly", "precisely", "maximum", "minimum",
)
_CURRENCY_SYMBOLS = {"$": "US dollars", "US$": "US dollars", "€": "euros", "£": "British pounds",
                     "¥": "yen", "₹": "Indian rupees", "₽": "roubles"}
_CURRENCY_WORDS = {"dollar", "dollars", "euro", "euros", "pound", "pounds", "yen", "yuan",
                   "rupee", "rupees", "rouble", "roubles", "ruble", "rubles", "dinar", "dinars",
                   "lira", "liras", "riyal", "riyals", "dirham", "dirhams", "francs", "franc"}
_EACH = ("each", "apiece", "per person", "per head", "a head", "a piece", "per capita")
_SKIP_ENTS = {"DATE", "TIME", "ORDINAL", "PERSON", "ORG", "GPE", "LOC", "WORK_OF_ART", "PRODUCT",
              "FAC", "LAW", "EVENT", "LANGUAGE"}
_TIME_WORDS = re.compile(
    r"\b(?:" + "|".join(MONTH_STEMS) + r")[a-z]*\b|\b(?:" + "|".join(WEEKDAY_NAMES) + r")\b"
    r"|\b(?:year|month|week|day|decade|century|hour|minute|second|night|morning|evening|ago|last|next|"
    r"yesterday|today|tomorrow|season|spring|summer|fall|autumn|winter|weekend)s?\b|\b(?:19|20)\d\d\b|/",
    re.IGNORECASE)
_VERB_HOPS = 6  # dependency steps from a number up to the verb it belongs to
_DIGITS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$|^\d+(\.\d+)?$")

# Measures: numbers that say how big one thing is rather than how many were counted, read as
# "<measure> of <number>" so two accounts of one quake's magnitude or one town's population can be
# compared. Ordered rules, first match wins at a position; (?P<n>) is the number, (?P<q>) its
# qualifier and (?P<thing>) what is measured, where the sentence names it.
_QUALIFIER_RE = "|".join(sorted((re.escape(q) for q in _QUALIFIERS), key=len, reverse=True))
# a split group as tokenised text writes it ("230, 000", "6. 1") reads as one number (_split_group)
_NUMBER_RE = r"\d{1,3}(?:, ?\d{3})+(?:\. ?\d+)?|\d+(?:\. ?\d{1,2}\b|\.\d+)?"
_TERM_NUMBER_RE = (r"\d+(?:\.\d+)?|(?:" + "|".join(w for w in _UNITS if w not in ("a", "an", "half", "zero"))
                   + r")(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?")
_MEASURES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("magnitude", re.compile(
        rf"\b(?:(?P<q>{_QUALIFIER_RE})\s+)?(?:preliminary\s+)?magnitude[-\s](?:of\s+)?(?P<n>\d{{1,2}}(?:\. ?\d)?)\b(?:[-\s](?P<thing>earthquake|quake|tremor|aftershock)s?\b)?",
        re.I)),
    ("magnitude", re.compile(
        rf"\b(?:(?P<q>{_QUALIFIER_RE})\s+)?(?P<n>\d{{1,2}}\. ?\d)[-\s]?(?:-?magnitude\b|(?=[-\s](?:earthquake|quake|tremor|aftershock)s?\b)|(?=\s+on\s+the\s+Richter\s+scale))(?:[-\s](?P<thing>earthquake|quake|tremor|aftershock)s?\b)?",
        re.I)),
    ("population", re.compile(
        rf"\bpopulation\s+of\s+(?:(?P<q>{_QUALIFIER_RE})\s+)?(?P<n>(?:{_NUMBER_RE})(?:\s+(?:million|thousand|billion)\b)?)",
        re.I)),
    ("population", re.compile(
        rf"\bhome\s+to\s+(?:(?P<q>{_QUALIFIER_RE})\s+)?(?P<n>{_NUMBER_RE}(?:\s+(?:million|thousand|billion))?)\s+(?:people|residents|inhabitants)\b",
        re.I)),
    ("age", re.compile(r"\b(?P<n>\d{1,3})[-\s]years?[-\s]old\b|\baged\s+(?P<n2>\d{1,3})\b", re.I)),
    # a prison term, in days: "served four and a half months in prison", "a 10-year sentence",
    # "sentenced to six years"
    ("prison term", re.compile(
        rf"\b(?:(?P<q>{_QUALIFIER_RE})\s+)?(?<!/)(?<!/\s)(?P<n>{_TERM_NUMBER_RE})(?P<half>\s+and\s+a\s+half)?[-\s](?P<unit>year|month|week|day)s?"
        r"(?:\s+(?:in|behind)\s+(?:(?:a\s+|the\s+)?(?:federal|state|county|military|high-security|maximum-security)\s+)?(?:prison|jail|bars|custody)\b|[-\s](?:prison\s+|jail\s+)?(?:sentence|term)\b)",
        re.I)),
    ("prison term", re.compile(
        rf"\bsentenced\s+to\s+(?:(?P<q>{_QUALIFIER_RE})\s+)?(?P<n>{_TERM_NUMBER_RE})(?P<half>\s+and\s+a\s+half)?\s+(?P<unit>year|month|week|day)s?\b",
        re.I)),
)
_SPLIT_GROUP = re.compile(r"(?<=\d)([.,]) (?=\d)")
_DAYS_IN = {"year": 365, "month": 30, "week": 7, "day": 1}


@dataclass
class FoundQuantity:
    value: float
    value_max: float | None
    qualifier: str | None
    of: str | None
    each: bool
    start: int
    end: int
    verb: str | None = None


def _number_word(tok: Token) -> bool:
    low = tok.lower_
    return bool(_DIGITS.match(low)) or low in _UNITS and low not in ("a", "an", "half") or low in _SCALES and low not in ("m", "k") or low in _PLURAL_SCALES


def _parse_number(words: list[str]) -> float | None:
    """['4,500'] -> 4500; ['twenty', 'five'] -> 25; ['1.5', 'million'] -> 1.5e6; ['a', 'dozen'] -> 12."""
    total = 0.0
    current = 0.0
    seen = False
    for w in words:
        w = w.lower().replace(",", "")
        if w in ("and", "-"):
            continue
        if _DIGITS.match(w) or re.match(r"^\d+(\.\d+)?$", w):
            current += float(w)
            seen = True
        elif w in _UNITS:
            current += _UNITS[w]
            seen = True
        elif w in _SCALES:
            scale = _SCALES[w]
            current = (current or 1) * scale
            if scale >= 1000:
                total += current
                current = 0
            seen = True
        else:
            return None
    return total + current if seen else None


def _qualifier_before(doc: Doc, i: int) -> tuple[str | None, int]:
    """The qualifier phrase ending right before token i, and its first token index."""
    for phrase in _QUALIFIERS:
        words = phrase.split()
        n = len(words)
        if i - n < 0:
            continue
        if [t.lower_ for t in doc[i - n:i]] == words:
            return phrase, i - n
    return None, i


def _counted(doc: Doc, first: int, last: int) -> tuple[str | None, int]:
    """What the number at tokens first..last counts, and the last token of that phrase."""
    nxt = last + 1
    if nxt >= len(doc):
        return None, last
    tok = doc[nxt]
    if tok.lower_ == "of" and nxt + 1 < len(doc):
        pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
        if pobj is not None:
            start = nxt + 1
            while start < pobj.i and doc[start].pos_ in ("DET", "PRON") or (start < pobj.i and doc[start].tag_ == "PRP$"):
                start += 1
            return doc[start:pobj.i + 1].text, pobj.i
    # the head noun the number modifies: "six [Western countries]"
    heads = [doc[k].head for k in range(first, last + 1) if doc[k].dep_ in ("nummod", "quantmod", "compound", "amod", "nmod")]
    head = next((h for h in heads if h.i > last and h.pos_ in ("NOUN", "PROPN") and h.i - last <= 5), None)
    if head is None:
        # the parse missed it: adjectives and nouns straight after the number
        k = nxt
        end = None
        while k < len(doc) and k - last <= 5 and doc[k].pos_ in ("ADJ", "NOUN", "PROPN") and not doc[k].is_punct:
            if doc[k].pos_ in ("NOUN", "PROPN"):
                end = k
            k += 1
        if end is None:
            return None, last
        head = doc[end]
    # a phrase never crosses punctuation or a line, and a month is a date ("08 July")
    span = doc[nxt:head.i + 1]
    if _TIME_WORDS.fullmatch(head.text):
        return None, last
    if any(t.is_punct and t.text not in ("-",) or t.is_space for t in span):
        return None, last
    return span.text, head.i


def governing_verb(tok: Token) -> str | None:
    """The verb a count hangs from ("dropped" in "five bombs were dropped", "served" in "served
    five months"): what the count is a count of doing."""
    for _ in range(_VERB_HOPS):
        if tok.pos_ in ("VERB", "AUX"):
            return tok.lower_
        if tok.head is tok:
            return None
        tok = tok.head
    return None


def _each_after(doc: Doc, i: int) -> int | None:
    for phrase in _EACH:
        words = phrase.split()
        if [t.lower_ for t in doc[i:i + len(words)]] == words:
            return i + len(words) - 1
    return None


def _miscounted_date(doc: Doc, tok: Token) -> bool:
    """The small model files some counts as DATE ("between 10 and 15 people"): a DATE entity
    without any time word in it is a count."""
    if tok.ent_type_ != "DATE":
        return False
    start = tok.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = tok.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return not _TIME_WORDS.search(doc[start:end].text)


def _glued_to_letters(doc: Doc, i: int) -> bool:
    prev = doc[i - 1] if i > 0 else None
    return (prev is not None and prev.whitespace_ == "" and (prev.is_alpha or prev.text in ("-", "/", "("))
            and prev.text not in _CURRENCY_SYMBOLS)


def _compound_modifier(doc: Doc, i: int) -> bool:
    tok = doc[i]
    return (i + 2 < len(doc) and doc[i + 1].text == "-" and tok.whitespace_ == "" and doc[i + 1].whitespace_ == ""
            and doc[i + 2].is_alpha and not _number_word(doc[i + 2]))


# Tokens that start no count, in order; the first that applies skips the token.
_NOT_A_COUNT: tuple[Callable[[Doc, int], bool], ...] = (
    # no number, or one inside a name or a date
    lambda doc, i: not _number_word(doc[i]) or (doc[i].ent_type_ in _SKIP_ENTS and not _miscounted_date(doc, doc[i])),
    # a number glued to letters is a name or a code ("MI6", "B-21", "S/SH 11")
    _glued_to_letters,
    # 'four-step', '32-year-old': a compound modifier
    _compound_modifier,
    # '07', '000': a clock time, a code or a split thousands group
    lambda doc, i: bool(re.fullmatch(r"0\d+", doc[i].text)),
)


def _split_group(doc: Doc, i: int) -> bool:
    """Token i is the "," or "." inside one number that tokenised text writes with a space after
    it ("230, 000", "$ 5. 7 billion": ECB+ and other tokenised corpora): exactly three digits
    after a comma, one or two decimals after a point, never after a date's day ("May 5, 100
    people") nor across a sentence start ("in 2006. 12 people")."""
    if not 0 < i < len(doc) - 1 or doc[i].text not in (",", "."):
        return False
    left, right = doc[i - 1], doc[i + 1]
    if left.whitespace_ or not doc[i].whitespace_ or right.is_sent_start or left.ent_type_ in ("DATE", "TIME"):
        return False
    if doc[i].text == ",":
        return bool(re.fullmatch(r"\d{1,3}", left.text) and re.fullmatch(r"\d{3}", right.text))
    return bool(re.fullmatch(r"\d{1,3}", left.text) and re.fullmatch(r"\d{1,2}", right.text))


def _number_end(doc: Doc, first: int) -> int:
    """The last token of the number starting at `first` ("twenty - five", "1.5 million",
    "230, 000")."""
    n, last = len(doc), first
    while last + 1 < n:
        if _split_group(doc, last + 1):
            last += 2
        elif (_number_word(doc[last + 1]) or doc[last + 1].lower_ in ("and", "-") and last + 2 < n and _number_word(doc[last + 2]) and not _DIGITS.match(doc[last + 2].text)) and doc[last + 1].lower_ not in _PLURAL_SCALES:
            last += 1
        else:
            break
    return last


def _number_words(doc: Doc, first: int, last: int) -> list[str]:
    """The words of the number doc[first:last + 1], a split group joined ("230, 000" -> "230,000")."""
    words: list[str] = []
    i = first
    while i <= last:
        if words and _split_group(doc, i) and i < last:
            words[-1] += doc[i].text + doc[i + 1].text
            i += 2
        else:
            words.append(doc[i].text)
            i += 1
    return words


def _value(doc: Doc, first: int, words: list[str]) -> tuple[float | None, str | None, int]:
    """The number's value, its qualifier ("more than", "hundreds") and the qualifier's first token."""
    lead = first - 1 if first > 0 and doc[first - 1].lower_ in ("a", "an") and words[0].lower() in _SCALES else first
    qualifier, q_first = _qualifier_before(doc, lead)
    q_first = min(q_first, lead)
    if words[0].lower() in _PLURAL_SCALES and len(words) == 1:
        return 2 * _PLURAL_SCALES[words[0].lower()], words[0].lower(), q_first
    value = _parse_number(words)
    vague = next((v for v in _VAGUE_MULTIPLIERS if [t.lower_ for t in doc[max(0, first - len(v.split())):first]] == v.split()), None)
    if value is not None and vague and words[-1].lower() in _SCALES:
        return value * _VAGUE_MULTIPLIERS[vague], vague, first - len(vague.split())
    return value, qualifier, q_first


def _year_alone(doc: Doc, words: list[str], last: int) -> bool:
    """A year alone ("in 2016") is a date, not a count."""
    return (len(words) == 1 and bool(re.fullmatch(r"(19|20)\d\d", words[0]))
            and not (last + 1 < len(doc) and doc[last + 1].pos_ == "NOUN"))


def _currency_before(doc: Doc, first: int, qualifier: str | None, start_i: int) -> tuple[str | None, str | None, int]:
    """A currency symbol before the number ("US$ 5"): the currency, the qualifier before the
    symbol if any, and where the quantity starts."""
    if not (first > 0 and doc[first - 1].text in _CURRENCY_SYMBOLS):
        return None, qualifier, start_i
    currency = _CURRENCY_SYMBOLS[doc[first - 1].text]
    sym_i = first - 1
    if sym_i > 0 and doc[sym_i - 1].text in ("US", "U.S.") and doc[sym_i - 1].whitespace_ == "":
        sym_i -= 1
    q2, q2_first = _qualifier_before(doc, sym_i)
    if q2:
        return currency, q2, q2_first
    return currency, qualifier, min(start_i, sym_i) if qualifier is None else start_i


def _range_after(doc: Doc, first: int, last: int, value: float, start_i: int) -> tuple[float | None, int, int]:
    """Ranges: "10 to 15", "10-15", "between 10 and 15": the upper value, the range's last
    token and where the quantity starts."""
    n, k = len(doc), last + 1
    between = first > 0 and doc[first - 1].lower_ == "between"
    if (k + 1 < n and doc[k].lower_ in ("to", "-", "\u2013", "and") and _number_word(doc[k + 1])
            and (doc[k].lower_ != "and" or between)):
        m_last = _number_end(doc, k + 1)
        vmax = _parse_number(_number_words(doc, k + 1, m_last))
        if vmax is not None and vmax > value:
            return vmax, m_last, min(start_i, first - 1) if between else start_i
    return None, last, start_i


def _unit(doc: Doc, first: int, last: int, currency: str | None) -> tuple[str | None, int]:
    """What is counted, in order: a currency word after the number, a currency symbol before it,
    percent, else the noun phrase it counts; and the last token of the quantity."""
    after = doc[last + 1] if last + 1 < len(doc) else None
    if after is not None and after.lower_ in _CURRENCY_WORDS:
        return (after.text if currency is None else currency), last + 1
    if currency is not None:
        return currency, last
    if after is not None and (after.text == "%" or after.lower_ in ("percent", "pct")):
        return "percent", last + 1
    return _counted(doc, first, last)


def _quantity_at(doc: Doc, first: int) -> tuple[FoundQuantity | None, int]:
    """The quantity whose number starts at token `first`, if it is one, and the token after it."""
    last = _number_end(doc, first)
    words = _number_words(doc, first, last)
    value, qualifier, q_first = _value(doc, first, words)
    if value is None or _year_alone(doc, words, last):
        return None, last + 1
    currency, qualifier, start_i = _currency_before(doc, first, qualifier, q_first)
    value_max, last, start_i = _range_after(doc, first, last, value, start_i)
    of, end_i = _unit(doc, first, last, currency)
    each_i = _each_after(doc, end_i + 1)
    if each_i is not None:
        end_i = each_i
    if of is None and doc[first].ent_type_ not in ("MONEY", "PERCENT", "QUANTITY"):
        return None, last + 1
    return FoundQuantity(value, value_max, qualifier, of, each_i is not None, doc[start_i].idx,
                         doc[end_i].idx + len(doc[end_i].text), governing_verb(doc[last])), last + 1


def _measures(doc: Doc) -> list[FoundQuantity]:
    """The measure rules above over the sentence text; an earthquake's magnitude names the quake
    ("quake magnitude", "aftershock magnitude") so one is never compared with the other."""
    found: list[FoundQuantity] = []
    taken: list[tuple[int, int]] = []
    for measure, pattern in _MEASURES:
        for m in pattern.finditer(doc.text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            group = "n" if m.group("n") is not None else "n2"
            value = _parse_number(_SPLIT_GROUP.sub(r"\1", m.group(group)).replace("-", " ").split())
            if value is None:
                continue
            if unit := m.groupdict().get("unit"):
                value = (value + 0.5 * bool(m.group("half"))) * _DAYS_IN[unit.lower()]
            thing = (m.groupdict().get("thing") or "").lower()
            of = f"{'aftershock' if thing == 'aftershock' else 'quake'} magnitude" if measure == "magnitude" else measure
            number = doc.char_span(m.start(group), m.end(group), alignment_mode="expand")
            # a quake strikes; an age or a population is a state, not a doing: no verb to match
            verb = governing_verb(number.root) if number is not None and measure == "magnitude" else None
            q = m.groupdict().get("q")
            found.append(FoundQuantity(value, None, q.lower() if q else None, of, False, m.start(), m.end(), verb))
            taken.append((m.start(), m.end()))
    return found


def find_quantities(doc: Doc) -> list[FoundQuantity]:
    measures = _measures(doc)
    counts = [q for q in _find_counts(doc) if not any(q.start < m.end and m.start < q.end for m in measures)]
    return sorted(measures + counts, key=lambda q: q.start)


def _find_counts(doc: Doc) -> list[FoundQuantity]:
    out: list[FoundQuantity] = []
    i = 0
    while i < len(doc):
        if any(skip(doc, i) for skip in _NOT_A_COUNT):
            i += 1
            continue
        found, i = _quantity_at(doc, i)
        if found is not None:
            out.append(found)
    return out
