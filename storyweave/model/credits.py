"""Who wrote, published and is credited by an article: publications cited, self-references,
bylines, syndication notices.

A publication is recognised by its shape and its context, never from a list of particular
articles: a capitalised name after a credit cue ("according to", "told", "reported by", "X said in
a report") that either ends in a word news titles use (Journal, Times, Post, News, ...), follows a
media noun ("channel", "newspaper", "news agency"), is written "The X" mid-sentence, or is one of
the wire services and broadcasters every reader knows (the word lists: model/media.py).

Clean gathers these credits as evidence (`Article.cites`); which publication an article takes its
information from is decided by compare (compare/_provenance.py), which finds the same credits again
with these rules to place them in the text. The rules live with the model so both stages share one
copy without importing each other.
"""

from __future__ import annotations

import re

from .media import INSTITUTION_WORDS, KNOWN_MEDIA, MEDIA_NOUNS, TITLE_FIRST_WORDS, TITLE_LAST_WORDS

# Nouns that introduce a publication's name ("the channel Al Mayadeen", 'newspaper "X"').
_MEDIA_NOUNS = "(?:" + "|".join(n.replace(" ", r"\s+") for n in sorted(MEDIA_NOUNS)) + ")"
_TOKEN = r"[A-Z](?:[\w'&-]|\.(?=\w))*"  # dots only inside a word ("U.S"): never across a sentence end
_CAP = r"(?:" + _TOKEN + r"|al|el|de|of|and|for|the|la|le|du|der|die|van|von)"
# A capitalised name, optionally quoted, with an optional leading "the".
_NAME = r"(?P<q>[\"'\u201c])?(?P<the>[Tt]he\s+)?(?P<name>" + _TOKEN + r"(?:[ \t]+" + _CAP + r"){0,7})(?(q)[\"'\u201d])"

_VERBS = r"(?:said|says|reported|reports|confirmed|revealed|wrote|writes|quoted|cited|learned|" \
         r"published|noted|added|claimed|disclosed|stated)"
_CREDIT_PATTERNS = [
    # (a quote may follow with no space: 'According to"The Hollywood Reporter"')
    re.compile(r"\b[Aa]ccording\s+to(?:\s+|(?=[\"\u201c]))(?:a\s+report\s+(?:by|in)\s+|reports?\s+(?:by|in)\s+)?" + _NAME),
    re.compile(r"\b(?:reported|published|quoted|cited|revealed|confirmed|broadcast)\s+by\s+" + _NAME),
    re.compile(r"\b(?:report|article|story|interview|investigation|piece)\s+(?:by|in|from|with)\s+" + _NAME),
    # "told X", and "confirmed her death to X": someone gave the publication the account
    re.compile(r"\b(?:told|tells|[Ss]peaking\s+to|[Ss]poke\s+to|[Ii]nterview\s+with|"
               r"(?:confirmed|confirms)(?:\s+(?:his|her|their|its|the)\s+[a-z]+)?\s+to)\s+" + _NAME),
    re.compile(r"\b[Aa]s\s+(?:the\s+)?(?:" + _MEDIA_NOUNS + r"\s+)?" + _NAME + r"\s+(?:has\s+|had\s+)?" + _VERBS),
    re.compile(_NAME + r"(?:\s+" + _MEDIA_NOUNS + r")?\s+(?:has\s+|have\s+|had\s+)?"
               r"(?:first\s+|also\s+|later\s+|originally\s+|exclusively\s+|earlier\s+)?"
               r"(?:" + _VERBS + r"|(?:is|are|was|were)\s+(?:reporting|saying|writing))"
               + r"\b(?!\s+by)"),
    re.compile(_NAME + r"'s?\s+(?:report|reporting|investigation|article|story)"),
    re.compile(r"\b(?:in|on|to)\s+(?:the\s+)?" + _NAME + r"\s+(?:" + _MEDIA_NOUNS + r")\b"),
]
# A broadcaster or columnist reporting in their own medium: "Dan Patrick reported on his show on
# AM 570", "Ann Lee wrote in her Sunday column". The show is named by its host: the host is credited.
_OWN_MEDIUM = re.compile(
    r"(?P<name>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){1,2})\s+(?:reported|reports|said|says|revealed|wrote|writes)\s+"
    r"(?:on|in)\s+(?:his|her|their)\s+(?:own\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:show|program|programme|podcast|broadcast|blog|column|newsletter)\b")
# Verbs only a news organisation takes: "the Valley Echo first reported", "X has learned".
_STRONG_CUE = re.compile(r"[\"'\u201d]?\s+(?:first\s+reported|has\s+learned|have\s+learned|"
                         r"reported\s+exclusively|broke\s+the\s+news)\b")
_MEDIA_NOUN_BEFORE = re.compile(r"\b" + _MEDIA_NOUNS + r"\s*[\"'\u201c]?$", re.I)
_MEDIA_NOUN_AFTER = re.compile(r"^[\"'\u201d]?\s+" + _MEDIA_NOUNS + r"\b", re.I)
_SENTENCE_END_BEFORE = re.compile(r"(?:[.!?:;\"]\s+|\n\s*)$")


def _at_sentence_start(text: str, pos: int) -> bool:
    before = text[max(0, pos - 4) : pos]
    return (pos <= 4 and not before.strip()) or bool(_SENTENCE_END_BEFORE.search(before))
_UNNAMED_SOURCE = re.compile(
    r"\b(?:officials?|sources?|spokes(?:man|woman|person)|diplomats?|insiders?|aides?|"
    r"people\s+familiar|commanders?|officers?)\b", re.I)


def _trim_name(name: str) -> str:
    """Cut trailing lowercase connector words and punctuation off a matched name."""
    words = []
    for word in name.split():
        words.append(word)
        if word.endswith(".") and word.count(".") == 1 and len(word) > 2:
            break  # a full stop after a word ends the sentence: "in Brussels. As ..."
    if words and re.search(r"['\u2019]s?$", words[-1]):
        words[-1] = re.sub(r"['\u2019]s?$", "", words[-1])  # possessive: "the Courier's"
    while words and (words[-1].lower() in {"of", "and", "for", "the", "al", "el", "de", "la", "le",
                                           "du", "der", "die", "van", "von"} or not words[-1][0].isupper()):
        words.pop()
    return " ".join(words).rstrip(".,'&-")


def _is_publication(text: str, m: re.Match[str], name: str) -> bool:
    words = name.split()
    if not words:
        return False
    last = words[-1].lower()
    lower = name.lower()
    if lower in KNOWN_MEDIA or (len(words) > 1 and " ".join(words[1:]).lower() in KNOWN_MEDIA
                                 and words[0].lower() == "the"):
        return True
    if last in INSTITUTION_WORDS:
        return False
    # (a web name that merely "said" something is as often a company: "Amazon.com said")
    if len(words) == 1 and _is_brand_shaped(name) and not (_WEB_NAME.match(name) and _SAID.search(m.group(0))):
        return True
    # "SKY-TV", "Post-Gazette": the title word may end a hyphenated name
    if last in TITLE_LAST_WORDS or last.rsplit("-", 1)[-1] in TITLE_LAST_WORDS \
            or (words[0].lower() in TITLE_FIRST_WORDS and len(words) > 1):
        return True
    if _STRONG_CUE.match(text, m.start("name") + len(name)):
        return True
    # Context windows, not the whole text: these checks run once per candidate name.
    end = m.start("name") + len(name)
    after = text[end : end + 40]
    start = m.start("q") if m.group("q") else m.start("the") if m.group("the") else m.start("name")
    before = text[max(0, start - 40) : start]
    if _MEDIA_NOUN_BEFORE.search(before) or _MEDIA_NOUN_AFTER.match(after):
        return True
    the = m.group("the")
    if the and the.startswith("The") and not _at_sentence_start(text, m.start("the")):
        return True  # "told The New Arab": a capital "The" mid-sentence belongs to a title
    return False


# A web address as a name ("UsMagazine.com", "People.com"): a site credited for what it published.
_WEB_NAME = re.compile(r"^[A-Za-z][\w-]*\.(?:com|org|net|co\.uk|com\.au|ca|tv|fm)$")
_SAID = re.compile(r"\b(?:said|says|stated|noted|added|claimed|confirmed|announced)\b")
_CAMEL_PARTS = re.compile(r"[A-Z][a-z]+|[A-Z]+(?![a-z])")
# Title words that end only news brands when run together: not "world", "star", "network"
# ("SeaWorld", "BlackStar" are companies).
_BRAND_LAST_WORDS = frozenset({
    "today", "post", "news", "times", "daily", "journal", "press", "herald", "tribune", "magazine",
    "wire", "reporter", "insider", "gazette", "tv", "mail", "weekly", "dispatch", "chronicle",
    "telegraph", "observer", "examiner", "bulletin",
})


def _is_brand_shaped(word: str) -> bool:
    """One word naming a publication by its shape: a web address, or words run together whose
    last is a title word ("RussiaToday", "HuffPost", "WorldNetDaily")."""
    if _WEB_NAME.match(word):
        return True
    parts = _CAMEL_PARTS.findall(word)
    return len(parts) >= 2 and "".join(parts) == word and parts[-1].lower() in _BRAND_LAST_WORDS


def _display(m: re.Match[str], name: str) -> str:
    the = m.group("the")
    # A capital "The" is kept even at a sentence start: "The Washington Post said ...".
    return f"The {name}" if the and the.startswith("The") and m.group("q") is None else name


MAX_CITE_SCAN_CHARS = 300_000  # untrusted input: credits are looked for in this much text at most
# Any word a credit pattern needs; paragraphs without one are skipped (most of a long page).
_ANY_CUE = re.compile(r"\b(?:according|reported|reports|reporting|said|says|saying|told|tells|report|article|story|interview|"
                      r"investigation|piece|confirmed|revealed|wrote|writes|quoted|cited|learned|published|noted|"
                      r"added|claimed|disclosed|stated|spoke|speaking|broadcast|"
                      + "|".join(sorted(n for n in MEDIA_NOUNS if " " not in n)) + r")\b", re.I)


def publication_mentions(text: str) -> list[tuple[str, int, int, str]]:
    """Every credited publication: (name, start, end, cue kind) with kind "told" or "credit"."""
    found: dict[tuple[int, int], tuple[str, int, int, str]] = {}
    offset = 0
    for para in text[:MAX_CITE_SCAN_CHARS].split("\n"):
        if _ANY_CUE.search(para):
            for name, start, kind, display in _credits_in(para):
                at = offset + start
                found.setdefault((at, at + len(name)), (display, at, at + len(name), kind))
        offset += len(para) + 1
    return sorted(found.values(), key=lambda t: t[1])


def _credits_in(para: str) -> list[tuple[str, int, str, str]]:
    """(name, start, cue kind, display name) of each credit in one paragraph."""
    out = [(m.group("name"), m.start("name"), "credit", m.group("name")) for m in _OWN_MEDIUM.finditer(para)
           if looks_like_person(m.group("name"))]
    for k, pattern in enumerate(_CREDIT_PATTERNS):
        for m in pattern.finditer(para):
            name = _trim_name(m.group("name"))
            kind = "told" if k == 3 and re.match(r"tell|told|confirm", m.group(0)) else "credit"
            parts = []
            if " and " in name:
                # one credit for two publications ("The Hollywood Reporter and Collider are
                # reporting"): each part shaped like a publication counts
                for k_part, part in enumerate(name.split(" and ")):
                    # a capital "The" belongs to the title, as in _display
                    the = re.match(r"The\s+", part) is not None or (k_part == 0 and (m.group("the") or "").startswith("The"))
                    part = _trim_name(re.sub(r"^[Tt]he\s+", "", part))
                    if part and _is_publication_shape(part):
                        at = m.start("name") + m.group("name").find(part)
                        parts.append((part, at, kind, f"The {part}" if the else part))
            if parts:
                out += parts
            elif name and _is_publication(para, m, name):
                out.append((name, m.start("name"), kind, _display(m, name)))
    return out


def _is_publication_shape(name: str) -> bool:
    """A publication by its name alone: a known one, a title word last, or a brand's shape."""
    words = name.split()
    lower = name.lower()
    if lower in KNOWN_MEDIA:
        return True
    if words[-1].lower() in INSTITUTION_WORDS:
        return False
    return words[-1].lower() in TITLE_LAST_WORDS or (len(words) == 1 and _is_brand_shaped(name))


def _name_key(name: str) -> str:
    return re.sub(r"^the\s+", "", name.strip().lower())


def find_self_references(text: str) -> list[str]:
    """Names a page uses for itself: "More from X", "Join X for ...", "Subscribe to X",
    "Follow X on Twitter" (when X is not a person), "X Interviews ...", exclusive reporting
    "officials told X" in the opening paragraphs."""
    names: list[str] = []
    patterns = [
        r"^\s*More\s+(?:from|on|at)\s+" + _NAME + r"\s*:?\s*$",
        # A wire-style dateline credits the outlet: "KELLBY, March 14 (Harborline Wire) -".
        r"^[A-Z][A-Z .'-]{2,40}(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*\(" + _NAME + r"\)\s*(?:-|\u2013|\u2014|:)",
        r"\b(?:the\s+)?(?:team|staff|editors?)\s+(?:at|of)\s+" + _NAME + r"\s+(?:has|have)\s+learned",
        r"\b(?:[Ss]ubscribe|[Ss]ign\s+up)\s+(?:to|for)\s+" + _NAME,
        r"\bJoin\s+" + _NAME + r"\s+(?:for|to|today|now|and)\b",
        r"\bFollow\s+" + _NAME + r"\s+on\s+(?:Twitter|Facebook|Instagram|LinkedIn|X|Flipboard|RSS)",
        r"\b(?:[Cc]ontact|[Ee]mail)\s+" + _NAME + r"\s+at\b",
        r"\(c\)\s*\d{4}\s+" + _NAME,
    ]
    for pattern in patterns:
        for m in re.finditer(pattern, text, re.M):
            name = _trim_name(m.group("name"))
            if name and not looks_like_person(name):
                names.append(_display(m, name))
    paragraphs = [p[:5000] for p in re.split(r"\n\s*\n|\n", text) if len(p.split()) > 12][:3]
    for para in paragraphs:
        for m in re.finditer(r"\b(?:told|tells)\s+" + _NAME, para):
            name = _trim_name(m.group("name"))
            sentence_start = max(para.rfind(". ", max(0, m.start() - 400), m.start()), 0)
            if name and _is_publication(para, m, name) and _UNNAMED_SOURCE.search(para[sentence_start : m.start()]):
                names.append(_display(m, name))
    return names


def find_cited_publications(text: str, exclude: list[str] | None = None) -> list[str]:
    """Publications an article credits for its content, in order of first mention.

    People and unnamed officials are not publications; names in `exclude` (the outlet's own names)
    are left out, since an outlet's reference to itself is not a citation.
    """
    excluded = {_name_key(x) for x in exclude or [] if x}
    seen: dict[str, str] = {}
    for name, _, _, _ in publication_mentions(text):
        key = _name_key(name)
        # "the Courier" is the short form of an excluded "Tessmer Valley Courier".
        if any(key == x or x.endswith(" " + key) or key.endswith(" " + x) for x in excluded):
            continue
        # Prefer the fuller written form: "The Wall Street Journal" over "Wall Street Journal".
        if key not in seen or (name.startswith("The ") and not seen[key].startswith("The ")):
            seen[key] = name
    return list(seen.values())


_PERSON_WORD = re.compile(r"^(?:[A-Z][a-z'\u2019-]+|[A-Z]\.|[A-Z][a-z]*[A-Z][a-z]+|de|da|van|von|le|la|al|el|bin|ibn)$")


def looks_like_person(name: str) -> bool:
    """Two to four name-shaped words, none of them a title word or an institution word."""
    words = name.split()
    if not 2 <= len(words) <= 4 or words[0].lower() == "the":
        return False
    if name.lower() in KNOWN_MEDIA:
        return False
    return all(_PERSON_WORD.match(w) and w.lower() not in TITLE_LAST_WORDS | INSTITUTION_WORDS for w in words)


_BYLINE = re.compile(
    r"^\s*(?:[Bb]y|BY|[Ww]ritten\s+by|[Aa]uthor:?|[Rr]eporting\s+by)\s+(?P<who>[A-Z][^\n|,;]*?)"
    r"(?=\s*(?:$|[|,;]|\s[-\u2013\u2014]\s|\s+(?:and\s+)?(?:[Pp]ublished|[Uu]pdated|[Pp]osted|[Oo]n\s|[Ii]n\s|for\s|\d)))"
)
_FOLLOW = re.compile(
    r"\bFollow\s+(?P<who>[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){1,3})\s+on\s+(?:Twitter|X|Facebook|Instagram)")


def find_author(lines: list[str]) -> tuple[str | None, int | None]:
    """A byline ("By X", "Written by X") or "Follow X on Twitter": (author, line index)."""
    for i, line in enumerate(lines):
        m = _BYLINE.match(line)
        if m:
            who = re.sub(r"\s+", " ", m.group("who")).strip(" .")
            parts = [p.strip() for p in re.split(r"\s+and\s+|\s*&\s*", who)]
            if parts and all(looks_like_person(p) or (len(p.split()) == 1 and p[:1].isupper() and p.isalpha()
                                                      and p.lower() not in {"published", "updated", "staff"})
                             for p in parts):
                return who, i
    for i, line in enumerate(lines):
        m = _FOLLOW.search(line)
        if m and looks_like_person(m.group("who")):
            return m.group("who"), i
    return None, None


_COPYRIGHT = re.compile(
    r"^\s*(?:[Cc]opyright|COPYRIGHT|\u00a9|\(c\)|\(C\))\s*(?:\u00a9|\(c\))?\s*(?:(?:19|20)\d{2}[-\u2013]?)*\s*,?\s*"
    r"(?P<holder>[A-Z][^.\n|]*?)\s*(?:\.|$|\||[Aa]ll\s+[Rr]ights)"
)


def copyright_holder(line: str) -> str | None:
    m = _COPYRIGHT.match(line)
    if not m:
        return None
    holder = m.group("holder").strip(" ,")
    return holder if 1 <= len(holder.split()) <= 8 else None


_SYNDICATION = re.compile(
    r"\b(?:(?:first|originally)\s+(?:published|appeared|ran)\s+(?:by|in|on|at)|"
    r"(?:republished|reprinted|reproduced|syndicated)\s+(?:here\s+)?(?:with\s+(?:the\s+)?permission\s+)?"
    r"(?:from|of)|distributed\s+by\s+(?:the\s+)?(?=[A-Z][\w]*\s+News\s+Service))\s+" + _NAME)


def syndication_sources(text: str) -> list[str]:
    """Where a republished article first ran: "This story was first published by X"."""
    names = []
    for m in _SYNDICATION.finditer(text):
        name = _trim_name(m.group("name"))
        if name and (m.group("the") or not looks_like_person(name)):  # people take no "the"
            names.append(_display(m, name))
    return names


def same_name(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    return _name_key(a) == _name_key(b)
