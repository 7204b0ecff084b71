"""Small text helpers shared by the comparison steps: normalising, content words, numbers."""

from __future__ import annotations

import re
import unicodedata

from ..model.lexicon import CLAIM_STOP_WORDS, PLAIN_FORMS_AND_DASHES

# Compared texts also read en and em dashes as hyphens; stop words keep what changes a claim.
_PLAIN_AND_DASHES = str.maketrans(PLAIN_FORMS_AND_DASHES)

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]|[A-Za-z]")
# A number hyphenated to a word is part of a name ("AK-47", "COVID-19", "F-35"), not a count.
_NUMBER = re.compile(
    r"(?<![\w.])(?<![A-Za-z]-)\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.,])(?<![A-Za-z]-)\d+(?:\.\d+)?"
)


def normalise(text: str) -> str:
    """Plain ASCII quotes and spaces, NFC, collapsed whitespace: the form texts are compared in."""
    text = unicodedata.normalize("NFC", text).translate(_PLAIN_AND_DASHES)
    return re.sub(r"\s+", " ", text).strip()


def stem(word: str) -> str:
    """A crude plural/possessive strip: enough to meet 'passport' and 'passports'."""
    w = word.lower().strip("'-")
    w = w.removesuffix("'s")
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


def content_terms(text: str) -> list[str]:
    """Stemmed content words of a text, in order (stopwords and one-letter words dropped)."""
    out = []
    for m in _WORD.finditer(normalise(text)):
        w = m.group().lower()
        if w in CLAIM_STOP_WORDS or len(w) < 2:
            continue
        out.append(stem(w))
    return out


def numbers_in(text: str) -> set[str]:
    """Numeric values written in digits, normalised ('4,500' -> '4500', '2.0' -> '2')."""
    found = set()
    for m in _NUMBER.finditer(text):
        found.add(number_key(float(m.group().replace(",", ""))))
    return found


def number_key(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def fold_name(name: str) -> str:
    """Publication or person name folded for identity: case, quotes, a leading 'the' dropped."""
    n = normalise(name).lower().strip(" .,'\"")
    n = re.sub(r"^the\s+", "", n)
    n = re.sub(r"'s$", "", n)
    return n


def clip(text: str, limit: int = 600) -> str:
    """Bound an untrusted text's size for display and comparison."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w and w.lower() not in CLAIM_STOP_WORDS).lower()


def same_by_abbreviation(a: str, b: str) -> bool:
    """"US" and "the United States", "CEO" and "chief executive officer" name one thing."""
    wa, wb = re.findall(r"[A-Za-z]+", a), re.findall(r"[A-Za-z]+", b)
    for short, long in ((wa, wb), (wb, wa)):
        initials = {_initials(long[k : k + n]) for n in range(2, len(long) + 1) for k in range(len(long) - n + 1)}
        if any(len(w) >= 2 and w.isupper() and w.lower() in initials for w in short):
            return True
    return False


# A vowel followed by "y" or "i" is one diphthong written two ways in romanised names ("Sergei" /
# "Sergey", "Heidar" / "Heydar", "Aleksei" / "Aleksey"): the same name as two house styles spell
# it, as "realised" / "realized" is one word. A "y" for an "i" between consonants ("Robyn" /
# "Robin") spells another name.
_DIPHTHONG_Y = re.compile(r"(?<=[aeou])y")


def same_romanised(a: str, b: str) -> bool:
    """One name in two romanisations: the same letters but for "y"/"i" after a vowel."""
    return a.lower() != b.lower() and _DIPHTHONG_Y.sub("i", a.lower()) == _DIPHTHONG_Y.sub("i", b.lower())
