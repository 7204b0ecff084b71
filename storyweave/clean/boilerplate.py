"""Line-level recognisers for what surrounds an article in scraped text.

Each recogniser is a general cue of English news pages (share buttons, paywalls, photo credits,
serialised data), never a string from a particular site.
"""

from __future__ import annotations

import re

_SOCIAL = re.compile(
    r"\b(?:facebook|twitter|instagram|linkedin|whatsapp|telegram|youtube|pinterest|reddit|"
    r"flipboard|tiktok|mewe|gab|rss|e-?mail|messenger|snapchat|tumblr|threads|bluesky)\b", re.I)
_SHARE_CUES = re.compile(
    r"\b(?:share\s+(?:this|it|on|via|the\s+article|article|story)|print\s+friendly|pdf\s*&\s*email|"
    r"like\s+the\s+article|follow\s+us|find\s+us\s+on|connect\s+with\s+us|join\s+(?:or\s+start\s+)?the\s+"
    r"conversation|social\s+media\s+pages|sign\s+up\s+(?:for|to)|newsletters?|click\s+here|"
    r"read\s+(?:more|also|next)|see\s+also|related\s+(?:articles?|stories|posts|content|coverage|topics)|"
    r"recommended\s+(?:for\s+you|stories|articles)|advertisement|sponsored\s+content|download\s+(?:the|our)\s+app|"
    r"email\s+protected|send\s+(?:us\s+)?(?:news\s+)?tips|tip\s+us|leave\s+a\s+(?:comment|reply)|"
    r"(?:view|post|show|hide|load)\s+comments|skip\s+to\s+(?:main\s+)?content|back\s+to\s+top|"
    r"all\s+rights\s+reserved|terms\s+of\s+(?:use|service)|privacy\s+policy|cookie\s+policy|"
    r"follow\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,3}\s+on\s+(?:twitter|x|facebook|instagram)|"
    r"more\s+from\s+[A-Z]|join\s+[A-Z][\w]*\s+for|insider\s+access|"
    r"(?:^|\s)(?:share|tweet|print|email|comments?|menu|search|home|trending|subscribe|log\s?in|"
    r"sign\s?in|register|close|next|previous|advertisement)\s*$)", re.I)
_PAYWALL = re.compile(
    r"\b(?:free\s+(?:article|story)\s+limit|articles?\s+(?:remaining|left)\s+this|to\s+continue\s+reading|"
    r"subscribe\s+(?:and|to|now|today)|become\s+a\s+(?:subscriber|member)|subscribers?\s+only|"
    r"already\s+(?:a\s+)?(?:subscriber|member)|try\s+\d+\s+days?\s+free|start\s+(?:your\s+)?(?:free\s+)?trial|"
    r"unlock\s+(?:this|full|unlimited)|(?:log\s?in|sign\s?in)\s+to\s+(?:view|read|continue|post|comment)|"
    r"support\s+(?:our|independent)\s+(?:\w+\s+){0,3}(?:journalism|writing|staff|reporting)|"
    r"you\s+must\s+(?:be\s+)?(?:become\s+)?a?\s*(?:subscriber|logged\s+in))", re.I)
_READ_TIME = re.compile(
    r"^\s*(?:\d+|one|two|three|four|five)\s*(?:-|\s)?min(?:ute)?s?\.?(?:\s+read(?:ing)?(?:\s+time)?)?\s*$", re.I)
_CAPTION_START = re.compile(
    r"^(?:(?:the|a|this|an)\s+)?(?:(?:file|handout|undated|archive|archival|stock|screenshot|undated\s+file)\s+)?"
    r"(?:photo(?:graph)?|picture|image|pic|screenshot|screengrab|video\s+still)s?\s+"
    r"(?:shows?|showing|taken|dated|courtesy|by|credit|from|via|released|provided|of\s+(?:the|a)\b)|"
    r"^(?:photo(?:graph)?|image|picture|pic|caption|above|below|top|pictured|file\s+photo|main\s+image|"
    r"credit|image\s+credit|photo\s+credit|source|illustration|video)s?\s*(?::|\||\s-\s)", re.I)
_CAPTION_END = re.compile(
    r"(?:(?:\u00a9|\(c\)|\bcopyright\b)\s*[A-Z][\w ./&'-]{1,50}\)?|"
    r"\[(?:[^\]]{0,30}\b)?(?:twitter|facebook|instagram|getty|afp|reuters|ap|anadolu|epa|file|archive|photo|"
    r"image|youtube|screenshot|handout|social\s+media|telegram)\b[^\]]{0,30}\]|"
    r"\((?:[^)]{0,30}\b)?(?:photo|image|picture|file\s+photo|credit|getty|afp|reuters|ap\s+photo|epa|handout)\b[^)]{0,30}\)|"
    r"\b(?:getty\s+images|afp\s+via\s+getty|via\s+getty|shutterstock|istock(?:photo)?|ap\s+photo(?:/[\w. ]+)?|"
    r"photo(?:graph)?:\s*[A-Z][\w .&/'-]{1,40}|photo\s+by\s+[A-Z][\w .&/'-]{1,40}))\s*\.?\s*$", re.I)
_BLOB = re.compile(r"^\s*(?:string\(\d+\)|array\(\d+\)|[aOs]:\d+:[{\"]|[\[{]\s*[\[{\"]|<\s*[a-zA-Z!/?])")
_SCRIPT = re.compile(r"(?:\bfunction\s*\(|\bvar\s+\w+\s*=|\bdocument\.\w+|\bwindow\.\w+|=>\s*{|\bgoogletag\b|"
                     r"\bdataLayer\b|\{\s*\"@context\")")
_DATE_LINE_FILLER = re.compile(
    r"\b(?:by|published|updated|posted|last\s+updated|modified|created|on|at|date|time|gmt|utc|edt|est|"
    r"bst|cet|ist|am|pm|a\.m\.|p\.m\.|local)\b|[|,:;\-\u2013\u2014/()\[\]]", re.I)


def word_count(line: str) -> int:
    return len(line.split())


def ends_sentence(line: str) -> bool:
    return bool(re.search(r"[.!?\u3002\uff01\uff1f][\"')\]\u300d]?\s*$|[.!?]\s*[\"']\s*$|:\s*$", line))


def is_blob(line: str) -> bool:
    """Serialised data or markup: a PHP string(N) dump, JSON, HTML tags, script."""
    if _BLOB.match(line) or _SCRIPT.search(line):
        return True
    if re.fullmatch(r"\|.*\|\s*", line):
        return False  # a table row as extractors write tables
    if len(line) > 40:
        marks = sum(line.count(c) for c in '{}[]"<>=;\\|')
        return marks / len(line) > 0.12
    return False


def is_share_or_social(line: str) -> bool:
    words = word_count(line)
    cues = len(_SHARE_CUES.findall(line))
    networks = len(_SOCIAL.findall(line))
    if words <= 12:
        return cues >= 1 or (networks >= 1 and words <= 3)
    if words <= 45:
        return cues >= 2 or (cues >= 1 and networks >= 2) or networks >= 4
    return False


def is_paywall(line: str) -> bool:
    return word_count(line) <= 40 and bool(_PAYWALL.search(line))


_COOKIES = re.compile(
    r"\bcookies?\b.{0,80}\b(?:use|uses|using|accept|consent|policy|settings|preferences|necessary|"
    r"browser|experience|opt[- ]out)\b|\b(?:accept|reject|manage)\s+(?:all\s+)?cookies\b|"
    r"^(?:privacy\s+overview|necessary|non-necessary|always\s+enabled|functional|analytics|performance|"
    r"advertisement|others?)(?:\s+always\s+enabled)?$", re.I)


def is_cookie_notice(line: str) -> bool:
    return word_count(line) <= 150 and bool(_COOKIES.search(line))


def is_read_time(line: str) -> bool:
    return bool(_READ_TIME.match(line))


def is_caption(line: str) -> bool:
    if word_count(line) > 60:
        return False
    return bool(_CAPTION_START.search(line) or _CAPTION_END.search(line))


def is_copyright(line: str) -> bool:
    return word_count(line) <= 25 and bool(
        re.match(r"^\s*(?:copyright|\u00a9|\(c\))", line, re.I) or re.search(r"all\s+rights\s+reserved", line, re.I))


def date_line_rest(line: str, start: int, end: int) -> str:
    """What a line says besides its date and the usual filler ("Published on", "|", "Updated")."""
    rest = line[:start] + " " + line[end:]
    return " ".join(_DATE_LINE_FILLER.sub(" ", rest).split())


def is_headline_like(line: str, max_words: int = 25) -> bool:
    """A short line that is not a sentence: a title, a navigation item, a related headline."""
    words = word_count(line)
    return 0 < words <= max_words and not re.search(r"[.:;,\u3002\uff01\uff1f\uff0c\uff1a][\"')\]\u300d]?\s*$", line)


def is_junk_code(line: str) -> bool:
    """A tiny line with no real word: "S/SH 11", "|", "***", "1/3"."""
    words = line.split()
    letters = sum(c.isalpha() for c in line)
    return len(words) <= 3 and letters < 8 and not any(re.fullmatch(r"[A-Za-z][a-z]{2,}[.,!?]?", w) for w in words)
