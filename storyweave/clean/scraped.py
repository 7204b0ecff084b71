"""Recover the article from scraped text: title, masthead, date and byline lines, body, captions.

Every line is first tested against general recognisers (boilerplate.py). On whole pages the
article is then the densest run of prose lines (length and jusText's stop-word density), so
navigation, related-article lists and footers fall away while short body lines between real
paragraphs stay. Paragraphs the page repeated are kept once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import justext

from ..model.media import WIRE_SERVICES
from . import boilerplate as bp
from .dates import FoundDate, parse_date
from ..model.credits import copyright_holder, find_author
from .textmap import MappedText, normalise

SEPARATORS = re.compile(r"\s+(?:\||-|\u2013|\u2014|::|\u00bb|\u00ab|\u2022|\u00b7)\s+")
_JUSTEXT_LANGUAGES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "ru": "Russian", "pl": "Polish", "sv": "Swedish",
    "da": "Danish", "no": "Norwegian_Bokmal", "fi": "Finnish", "tr": "Turkish", "cs": "Czech",
    "ro": "Romanian", "hu": "Hungarian", "id": "Indonesian", "uk": "Ukrainian", "el": "Greek",
}
STOPWORDS_LOW = 0.30  # jusText's threshold: prose has at least this share of stop words


@lru_cache(maxsize=32)
def stoplist(language: str | None) -> frozenset[str]:
    name = _JUSTEXT_LANGUAGES.get(language or "en", "English")
    return frozenset(justext.get_stoplist(name))


@dataclass
class Line:
    text: MappedText  # normalised
    index: int
    label: str = "body"  # body | title | masthead | date | byline | caption | drop:<why>


@dataclass
class ScrapedParts:
    title: str | None = None
    site_suffix: str | None = None  # "Headline | Site" on the first line
    masthead: str | None = None
    published: FoundDate | None = None
    author: str | None = None
    copyright_holders: list[str] = field(default_factory=list)
    body: list[MappedText] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    all_text: str = ""  # every normalised line, boilerplate included (for self-references)
    wire_credits: list[str] = field(default_factory=list)  # a wire named on a date line ("Reuters June 7, 2016")


def split_lines(source: MappedText) -> list[MappedText]:
    """Normalised non-empty lines; a hard-wrapped text has its wrapped lines joined into paragraphs."""
    raw_lines: list[MappedText] = []  # with "" for blank lines, which end paragraphs
    start, text = 0, source.text
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        raw_lines.append(normalise(source.slice(start, end).strip_cr()))
        start = end + 1
    if not _hard_wrapped([ln.text for ln in raw_lines]):
        return [ln for ln in raw_lines if ln.text]
    paragraphs: list[MappedText] = []
    current: MappedText | None = None
    for line in raw_lines + [MappedText("", [])]:
        if not line.text:
            if current is not None:
                paragraphs.append(current)
            current = None
        elif current is None:
            current = line
        else:  # the line break inside a paragraph becomes a space
            current = MappedText(current.text + " " + line.text, current.pos + [-1] + line.pos)
    return paragraphs


def _hard_wrapped(lines: list[str]) -> bool:
    """Text wrapped at a fixed width: no long lines, most lines near the width and followed by
    another line of the same paragraph."""
    full = [ln for ln in lines if ln]
    if len(full) < 6:
        return False
    width = max(len(ln) for ln in full)
    if not 40 <= width <= 100:
        return False
    near_width = sum(len(ln) >= 0.6 * width for ln in full)
    continued = sum(1 for a, b in zip(lines, lines[1:]) if a and b)
    return near_width >= 0.6 * len(full) and continued >= 0.5 * len(full)


def line_key(text: str) -> str:
    """A line folded for telling repeats apart: case and everything but letters and digits gone."""
    return re.sub(r"\W+", "", text.casefold())


def split_site_suffix(line: str) -> tuple[str, str | None]:
    """"Headline | Site" -> ("Headline", "Site") when one side is a short name."""
    parts = SEPARATORS.split(line)
    if len(parts) >= 2:
        head, tail = " ".join(parts[:-1]), parts[-1]
        if bp.word_count(tail) <= 4 and bp.word_count(head) >= 3 and tail[:1].isupper():
            return head, tail
    return line, None


def _title_case(line: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", line) if len(w) > 3]
    return bool(words) and all(w[0].isupper() for w in words)


def _stopword_density(text: str, stops: frozenset[str]) -> float:
    words = re.findall(r"\w+", text.casefold())
    return sum(w in stops for w in words) / len(words) if words else 0.0


# A non-prose line costs 1.5 times its length, at least 45 characters' worth. Chosen on the
# article-extraction benchmark (benchmarks/bench_clean.py), where it beat jusText's per-line
# classes with context revision by about 0.03 F1.
BLOCK_PENALTY = 1.5
BLOCK_MIN = 45


_UNSPACED_SCRIPT = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff]")


def _unspaced_prose(text: str) -> bool:
    """A sentence in a script written without spaces (Chinese, Japanese, Thai), where stop words
    cannot be counted: long enough, few spaces, and sentence punctuation."""
    return (len(text) >= 15 and text.count(" ") < 0.05 * len(text) and bool(_UNSPACED_SCRIPT.search(text))
            and bool(re.search(r"[\u3002\uff01\uff1f.!?]", text)))


def _densest_block(lines: list[Line], stops: frozenset[str]) -> tuple[int, int]:
    """The run of lines with the most article text in it, as in Body Text Extraction (Finn et al.):
    prose lines count for their length, navigation and boilerplate against, and the best-scoring
    contiguous run wins (maximum subarray)."""
    best, best_span = 0.0, (0, 0)
    total, start = 0.0, 0
    for i, line in enumerate(lines):
        text = line.text.text
        prose = line.label == "body" and (
            (bp.word_count(text) >= 8 and _stopword_density(text, stops) >= STOPWORDS_LOW)
            or _unspaced_prose(text))
        if prose:
            weight = float(len(text))
        elif line.label == "body":
            weight = -BLOCK_PENALTY * max(BLOCK_MIN, len(text))
        else:  # already recognised (caption, blob, share line): costs a little, whatever its length
            weight = -BLOCK_PENALTY * BLOCK_MIN
        if total <= 0:
            total, start = 0.0, i
        total += weight
        if total > best:
            best, best_span = total, (start, i + 1)
    return best_span


def _first_substantive(lines: list[Line]) -> int:
    for line in lines:
        if line.label == "body" and bp.word_count(line.text.text) >= 15 and bp.ends_sentence(line.text.text):
            return line.index
    return len(lines)


def _find_masthead(lines: list[Line], header_end: int) -> str | None:
    """A publication's name printed next to the headline: a short title-cased line, or the first
    part of "Site | Section"."""
    titles = [ln.index for ln in lines[:header_end] if ln.label == "title"]
    if not titles:
        return None
    for line in lines[max(titles[0] - 2, 0) : min(titles[-1] + 4, header_end)]:
        if line.label != "body":
            continue
        name = SEPARATORS.split(line.text.text)[0]
        if 1 <= bp.word_count(name) <= 5 and _title_case(name) and bp.is_headline_like(name) \
                and not re.search(r"\d", name):
            line.label = "masthead"
            return name
    return None


# Line recognisers in priority order: the first that matches labels the line.
_LINE_RULES = (
    (bp.is_blob, "drop:blob"),
    (bp.is_caption, "caption"),
    (bp.is_copyright, "drop:copyright"),
    (bp.is_paywall, "drop:paywall"),
    (bp.is_cookie_notice, "drop:cookies"),
    (bp.is_share_or_social, "drop:share"),
    (bp.is_read_time, "drop:read-time"),
)


def _label_rules(lines: list[Line]) -> None:
    for line in lines:
        text = line.text.text
        for matches, label in _LINE_RULES:
            if matches(text):
                line.label = label
                break


# A wire service's name opening a date line's rest, the longest name first ("AP" inside "APTN").
_WIRE_AT_START = re.compile(r"(?:" + "|".join(re.escape(w) for w in sorted(WIRE_SERVICES, key=len, reverse=True)) + r")\b",
                            re.IGNORECASE)


def _find_date_lines(lines: list[Line]) -> list[tuple[Line, FoundDate]]:
    found = []
    for line in lines:
        text = line.text.text
        if line.label.startswith("drop:blob") or bp.word_count(text) > 16:
            continue
        if re.fullmatch(r"\|.*\|\s*", text):
            continue  # a table row (as extractors write tables) holding a date is data, not a date line
        date = parse_date(text)
        if date is None:
            continue
        rest = bp.date_line_rest(text, date.start, date.end)
        # A dateline may carry a name ("Reuters June 7, 2016"), not a sentence.
        if bp.word_count(rest) <= 4 and not bp.ends_sentence(rest + "x"):
            found.append((line, date))
    return found


def clean_scraped(
    source: MappedText,
    *,
    title_hint: str | None = None,
    language: str | None = None,
    select_content: bool = True,
    drop_lists: bool = True,
) -> ScrapedParts:
    """Split scraped text into article parts.

    `select_content` keeps only the densest run of prose (for whole pages); without it only the
    recognisers remove lines. `drop_lists` removes runs of short headline-like lines (related
    articles, menus); text an extractor already chose keeps them, as the article's own lists.
    """
    lines = [Line(text=t, index=i) for i, t in enumerate(split_lines(source))]
    parts = ScrapedParts(all_text="\n".join(line.text.text for line in lines))
    if not lines:
        return parts
    _label_rules(lines)
    header_end = _first_substantive(lines)
    date_lines = _label_dates_and_bylines(lines, header_end, parts)
    _label_title_and_masthead(lines, header_end, title_hint, parts)
    if drop_lists:
        _label_lists_and_junk(lines)
    kept = _select_body(lines, language, select_content, trim_footer=drop_lists)
    _assemble(lines, kept, parts)
    if date_lines:
        # The first date line near the top, else the first anywhere; the body settles ambiguity.
        near_top = [ln for ln in date_lines if ln.index <= header_end + 2]
        first = (near_top or date_lines)[0]
        parts.published = parse_date(first.text.text, "\n".join(p.text for p in parts.body))
    return parts


def _label_dates_and_bylines(lines: list[Line], header_end: int, parts: ScrapedParts) -> list[Line]:
    found = _find_date_lines(lines)
    date_lines = [line for line, _ in found]
    for line, date in found:
        line.label = "date"
        # the date line's name is the agency whose copy this is, when it is a wire service's
        rest = bp.date_line_rest(line.text.text, date.start, date.end)
        wire = _WIRE_AT_START.match(rest)
        if wire is not None:
            parts.wire_credits.append(wire.group())
    author, author_at = find_author([line.text.text for line in lines])
    parts.author = author
    if author_at is not None and lines[author_at].label == "body" and bp.word_count(lines[author_at].text.text) <= 12:
        lines[author_at].label = "byline"
    for line in lines[: header_end + 1]:
        if line.label == "body" and re.match(r"^\s*(?:by|written\s+by)\s", line.text.text, re.I) \
                and bp.word_count(line.text.text) <= 8:
            line.label = "byline"
    return date_lines


def _label_title_and_masthead(lines: list[Line], header_end: int, title_hint: str | None,
                              parts: ScrapedParts) -> None:
    if title_hint:
        parts.title = title_hint
    else:
        heads = [ln for ln in lines[:header_end] if ln.label == "body" and bp.is_headline_like(ln.text.text)
                 and not bp.is_junk_code(ln.text.text)]
        if heads:
            first = heads[0]
            head, suffix = split_site_suffix(first.text.text)
            if suffix:
                parts.title, parts.site_suffix = head, suffix
                first.label = "title"
            elif (len(heads) > 1 and bp.word_count(first.text.text) <= 4 and _title_case(first.text.text)
                  and bp.word_count(heads[1].text.text) > bp.word_count(first.text.text)
                  and heads[1].index - first.index <= 2):
                # A short name above a longer headline is the masthead.
                first.label = "masthead"
                parts.masthead = first.text.text
                parts.title = heads[1].text.text
                heads[1].label = "title"
            else:
                parts.title = head
                first.label = "title"
    title_key = line_key(parts.title) if parts.title else None
    for line in lines:  # the headline repeated further down
        if title_key and line.label == "body" and line_key(split_site_suffix(line.text.text)[0]) == title_key:
            line.label = "title"
    if parts.masthead is None:
        parts.masthead = _find_masthead(lines, header_end)


def _label_lists_and_junk(lines: list[Line]) -> None:
    """Related-article lists and menus: runs of three or more short headline-like lines."""
    run: list[Line] = []
    for line in [*lines, None]:
        if line is not None and line.label == "body" and bp.is_headline_like(line.text.text, 16):
            run.append(line)
            continue
        if line is not None and line.label.startswith("drop:") and run:
            continue  # a share button inside a list does not end it
        if len(run) >= 3:
            for item in run:
                item.label = "drop:list"
        run = []
    for line in lines:
        if line.label == "body" and bp.is_junk_code(line.text.text):
            line.label = "drop:junk"


def _select_body(lines: list[Line], language: str | None, select_content: bool, trim_footer: bool) -> list[Line]:
    body = [ln for ln in lines if ln.label == "body"]
    if select_content:
        lo, hi = _densest_block(lines, stoplist(language))
        body = [ln for ln in lines[lo:hi] if ln.label == "body"] or body  # short texts: recognisers alone
    if trim_footer:
        # Trailing short lines after the last real paragraph are footer, not body.
        while len(body) > 1 and bp.word_count(body[-1].text.text) < 8 and not bp.ends_sentence(body[-1].text.text):
            body.pop()
    if not body:
        # A headline-only item (a wire flash, a brief): its one line is all the text there is.
        body = [ln for ln in lines if ln.label == "title"][:1]
    return body


def _assemble(lines: list[Line], kept: list[Line], parts: ScrapedParts) -> None:
    """Body paragraphs once each, captions once each, copyright holders in order."""
    seen: set[str] = set()
    for line in kept:
        key = line_key(line.text.text)
        if key and key not in seen:
            seen.add(key)
            parts.body.append(line.text)
    caption_keys: set[str] = set()
    for line in lines:
        if line.label == "caption" and line_key(line.text.text) not in caption_keys:
            caption_keys.add(line_key(line.text.text))
            parts.captions.append(line.text.text)
        holder = copyright_holder(line.text.text) if line.label == "drop:copyright" else None
        if holder:
            parts.copyright_holders.append(holder)
