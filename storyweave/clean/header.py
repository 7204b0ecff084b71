"""The article's own header in an HTML page: the headline readers see and the date printed beside it.

A page's <title> and og:title are written for search results and link previews (site names,
keywords, other wording); the headline readers see is an <h1> saying much the same. The date is
read where readers see it, in the few lines around that headline, never in related-article lists,
comments, sidebars or footers, and never from a copyright line; the page's structured metadata
(JSON-LD, meta tags, the URL, through htmldate without its whole-page guessing) is the fallback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import lxml.html
from lxml.etree import ParserError

from ..model.lexicon import MONTH_NAMES, MONTH_STEMS, valid_date
from . import boilerplate as bp
from ..model.credits import looks_like_person
from .dates import FoundDate, normalise_iso, parse_date

MAX_HTML_CHARS = 5_000_000  # untrusted input: bound the work done on one page
_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "svg", "select", "option", "button"}
# Containers whose dates and names belong to other articles, readers or the site, not this article.
# Matched against whole words of class and id names: "related-posts", "comment_list", "site-footer".
_ELSEWHERE = {
    "related", "recommended", "recommendations", "popular", "trending", "recent", "readnext", "sidebar",
    "comment", "comments", "reply", "replies", "respond", "footer", "copyright", "newsletter", "promo",
    "teaser", "teasers", "carousel", "slider", "breadcrumb", "breadcrumbs", "menu", "nav", "navbar",
    "navigation",
}
HEADLINE_MIN_OVERLAP = 0.6  # share of an <h1>'s words the page's own title must contain
LONE_HEADLINE_MIN_WORDS = 3
ELSEWHERE_MAX_SHARE = 0.3  # a block cut out as related/comments/footer holds at most this share of the text
BEFORE_CHARS = 300  # a date printed above the headline ("Last updated: ...") sits this close
AFTER_CHARS = 1000  # the header below it: standfirst, byline, date line


@dataclass
class Header:
    headline: str | None = None
    byline: str | None = None
    reviewers: set[str] = field(default_factory=set)
    date: FoundDate | None = None
    date_is_update: bool = False  # the header's date is labelled "Updated", not the first publication


def parse_html(html: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.fromstring(html[:MAX_HTML_CHARS])
    except (ParserError, ValueError):
        return None


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _text(el: lxml.html.HtmlElement) -> str:
    return " ".join(el.text_content().split())


def _elsewhere(el: lxml.html.HtmlElement) -> bool:
    """Inside navigation, a footer, an aside, or a block named for other content (related, comments)."""
    for node in el.iterancestors():
        if not isinstance(node.tag, str) or node.tag in ("html", "body"):
            continue  # their class lists describe the whole page ("has-sidebar")
        if node.tag in ("nav", "footer", "aside") or _names_elsewhere(node):
            return True
    return False


def find_headline(tree: lxml.html.HtmlElement, page_title: str | None) -> lxml.html.HtmlElement | None:
    """The <h1> that says most of what the page's own title says (most of its words in that title;
    of several, the one sharing most words: a site-name <h1> matches only the title's suffix).

    Without one, a page's only <h1> of three words or more is taken; a logo, a "Contact us" or
    "The Blog" heading is not a headline.
    """
    candidates = [el for el in tree.iter("h1") if 0 < len(_text(el).split()) <= 40 and not _elsewhere(el)]
    title_words = set(_words(page_title or ""))
    best, best_shared = None, 0
    for el in candidates:
        words = _words(_text(el))
        shared = sum(w in title_words for w in words)
        if words and shared / len(words) >= HEADLINE_MIN_OVERLAP and shared > best_shared:
            best, best_shared = el, shared
    if best is None:
        # A page's only <h1> is its headline even when the search title words it otherwise; <h1>s
        # as short as a site name or a section label ("The Blog", "The Southerner") do not count.
        long_enough = [el for el in candidates if len(_text(el).split()) >= LONE_HEADLINE_MIN_WORDS]
        if len({_text(el) for el in long_enough}) == 1:
            best = long_enough[0]
    return best


def _chunks(tree: lxml.html.HtmlElement) -> list[tuple[lxml.html.HtmlElement, str]]:
    """Visible text pieces in reading order, each with the element that holds it."""
    out: list[tuple[lxml.html.HtmlElement, str]] = []

    def walk(el: lxml.html.HtmlElement) -> None:
        if not isinstance(el.tag, str) or el.tag in _SKIP_TAGS:
            return
        if el.tag == "time" and el.get("datetime"):
            out.append((el, ""))  # its machine-readable date, read below
        if el.text and el.text.strip():
            out.append((el, " ".join(el.text.split())))
        for child in el:
            walk(child)
            if child.tail and child.tail.strip():
                out.append((el, " ".join(child.tail.split())))

    walk(tree)
    return out


def _date_in(el: lxml.html.HtmlElement, text: str) -> FoundDate | None:
    if not text:
        return normalise_iso(el.get("datetime", ""))
    if bp.word_count(text) > 16 or bp.is_copyright(text):
        return None
    found = parse_date(text)
    # A date line may carry a label ("Updated", "Posted on") but not a sentence.
    if found is None or bp.word_count(bp.date_line_rest(text, found.start, found.end)) > 4:
        return None
    return found


_UPDATED = re.compile(r"\b(?:updated|modified|revised|reviewed|refreshed|edited)\b", re.I)


def _is_update(chunks: list[tuple[lxml.html.HtmlElement, str]], k: int, found: FoundDate) -> bool:
    """The date at chunks[k] is labelled as a revision ("Updated on", "Last modified:")."""
    label = chunks[k][1][: found.start] if chunks[k][1] else ""
    before = " ".join(t for _, t in chunks[max(0, k - 2) : k])[-40:]
    return bool(_UPDATED.search(label) or _UPDATED.search(before))


def header_date(tree: lxml.html.HtmlElement, headline: lxml.html.HtmlElement) -> tuple[FoundDate | None, bool]:
    """The date printed nearest the headline, just above it or in the lines below it, and whether
    it is labelled an update. A date below labelled as an update gives way to a plain one there."""
    chunks = _chunks(tree)
    inside = {id(e) for e in headline.iter()}
    at = next((i for i, (el, _) in enumerate(chunks) if id(el) in inside), None)
    if at is None:
        return None, False
    end = at
    while end < len(chunks) and id(chunks[end][0]) in inside:
        end += 1
    candidates: list[tuple[int, FoundDate, bool]] = []
    distance = 0
    for k in range(at - 1, -1, -1):
        el, text = chunks[k]
        distance += len(text)
        if distance > BEFORE_CHARS:
            break
        found = None if _elsewhere(el) else _date_in(el, text)
        if found:
            candidates.append((distance, found, _is_update(chunks, k, found)))
            break
    distance = 0
    update: tuple[int, FoundDate, bool] | None = None
    for k in range(end, len(chunks)):
        el, text = chunks[k]
        found = None if _elsewhere(el) else _date_in(el, text)
        if found and not _is_update(chunks, k, found):
            candidates.append((distance, found, False))
            break
        if found and update is None:
            update = (distance, found, True)
        distance += len(text)
        if distance > AFTER_CHARS:
            break
    if update and not any(d for d in candidates if d[0] < AFTER_CHARS and not d[2]):
        candidates.append(update)
    if not candidates:
        return None, False
    best = min(candidates, key=lambda c: c[0])
    return best[1], best[2]


_AUTHOR_NAMES = {"author", "authors", "byline", "writer", "contributor", "creator"}
# Path words of links to an author's page: /author/jane-doe, /authors/..., /contributors/...
_AUTHOR_PATHS = {"author", "authors", "writer", "writers", "contributor", "contributors", "columnist", "columnists",
                 "reporter", "reporters", "journalist", "journalists"}
_BYLINE_LABEL = re.compile(
    r"^(?:.{0,20}\b)?(?:(?:written|words|article|story|posted|published|recipe|text|reporting|guide|review)\s+)?"
    r"(?:by|from)\s*:?\s*|^(?:authors?|writer)\b\s*:?\s*", re.I)
_LABEL_ONLY = re.compile(r"(?:^|\b)(?:by|from)\s*:?$|^(?:authors?|writer)\s*:?$", re.I)
_ALSO_NAMES = {"may", "june", "april", "august"}  # months that are also people's names
_MONTH = r"(?:" + "|".join(MONTH_STEMS) + r")[a-z]*\.?"
# Where a byline's names end: a label starting the next item, a separator, a month starting a date.
_BYLINE_END = re.compile(
    r"\s+(?:[|\u2022\u00b7\u2014\u2013/]|-)\s+|\s*\b(?:updated|published|posted|last\s+updated|modified|reviewed|"
    r"fact[- ]checked|on)\b.*$|\s+" + _MONTH + r"\s+\d.*$|"
    # A trailing month name is a date cut short; May, June, April and August are also names.
    r"\s+(?:" + "|".join(m for m in MONTH_NAMES if m not in _ALSO_NAMES) + r")$", re.I)
_CONNECTOR = re.compile(r"^(?:,|&|and|,\s*and|;)$", re.I)
_NAME_SPLIT = re.compile(r",\s*and\s+|,\s*|;\s*|\s+and\s+|\s*&\s*")
NAME_MAX_WORDS = 8  # one name with its credentials ("Jeffrey A. Slotnick CPP")
BYLINE_MAX_NAMES = 10
# What a byline holder prints with no name in it.
_NO_NAME = {"author", "authors", "name", "by", "admin", "staff", "the author", "guest", "unknown"}


def _marks_author(node: lxml.html.HtmlElement) -> bool:
    names = f"{node.get('class', '')} {node.get('id', '')} {node.get('itemprop', '')} {node.get('rel', '')}"
    if not _AUTHOR_NAMES.isdisjoint(re.split(r"[\W_]+", names.casefold())):
        return True
    href = node.get("href") if node.tag == "a" else None
    return bool(href and not _AUTHOR_PATHS.isdisjoint(re.split(r"[/?#]+", href.casefold())))


def _semantic_author(node: lxml.html.HtmlElement) -> bool:
    """Markup that says "this is the author" outright: itemprop/rel author, a link to an author page."""
    return ("author" in (node.get("itemprop") or "").casefold().split() or "author" in (node.get("rel") or "").casefold()
            or (node.tag == "a" and _marks_author(node) and not node.get("class")))


def _author_marked(el: lxml.html.HtmlElement, depth: int = 4) -> lxml.html.HtmlElement | None:
    """The element within `depth` levels up that names itself an author or byline holder."""
    node: lxml.html.HtmlElement | None = el
    for _ in range(depth):
        if node is None or not isinstance(node.tag, str) or node.tag in ("html", "body", "article", "main"):
            return None
        if _marks_author(node):
            return node
        node = node.getparent()
    return None


def clean_byline(text: str | None) -> str | None:
    """ "By Jane Doe | Updated March 4, 2021" -> "Jane Doe"; None when no name is left."""
    text = re.sub(r"\s+([,;])", r"\1", " ".join((text or "").split()))
    if re.match(r"^.{0,20}\b(?:reviewed|edited|(?:fact[- ])?checked)\s+by\b", text, re.I):
        return None  # a reviewer or editor, not the author
    text = _BYLINE_LABEL.sub("", text)
    found = parse_date(text)
    if found:
        text = text[: found.start]
    text = _BYLINE_END.split(text, maxsplit=1)[0].strip(" ,;:|-\u2013\u2014")
    names = [n for n in _NAME_SPLIT.split(text) if n.strip()]
    if not names or len(names) > BYLINE_MAX_NAMES or any(len(n.split()) > NAME_MAX_WORDS for n in names):
        return None
    if text.casefold() in _NO_NAME or "@" in text:
        return None
    if not re.search(r"(?:^|\s)[^\W\d_a-z]", text) or re.search(r"[!?]$", text):
        return None  # no capitalised word (a phrase, not a name), or a sentence
    return text


def _name_like(name: str) -> bool:
    # looks_like_person with "O'Brien" allowed: an apostrophe may precede a capital.
    return any(looks_like_person(re.sub(r"(?<=\w)['\u2019](?=[A-Z])", "", n)) for n in _NAME_SPLIT.split(name))


def _holder_names(holder: lxml.html.HtmlElement) -> str | None:
    """A byline holder's names: its first text piece that is more than a label, with further names
    joined by "," / "and"; a role printed in its own element after them ("Senior Writer") is left."""
    pieces = [" ".join(t.split()) for t in holder.itertext() if t.strip()]
    # Labels printed in their own elements ("Aug 15", "Written", "By"): names start after them.
    label_end = max((k + 1 for k, p in enumerate(pieces[:4]) if _LABEL_ONLY.search(p)), default=0)
    if label_end and re.search(r"(?:review|edit|check)(?:ed|er)\s+by\s*:?$", " ".join(pieces[:label_end]), re.I):
        return None  # a reviewer or editor, not the author (see reviewers())
    out: list[str] = []
    for piece in pieces[label_end:]:
        if not out:
            if clean_byline(piece):
                out.append(piece)
            continue
        if _CONNECTOR.match(piece) or (_CONNECTOR.match(out[-1]) and clean_byline(piece)):
            out.append(piece)
            continue
        if len(out) == 1 and len(out[0].split()) == 1 and looks_like_person(f"{out[0]} {piece}"):
            out[0] = f"{out[0]} {piece}"  # first and last name in separate elements
            continue
        break
    while out and _CONNECTOR.match(out[-1]):
        out.pop()
    name = clean_byline(re.sub(r"\s+([,;])", r"\1", " ".join(out)))
    labelled = label_end > 0 or bool(out and _BYLINE_LABEL.match(out[0])) or _semantic_author(holder) \
        or any(_semantic_author(d) for d in holder.iterdescendants() if isinstance(d.tag, str))
    # Author boxes also hold links, categories and headings: unlabelled text must look like a name.
    if name and not labelled and not _name_like(name):
        return None
    return name


def header_byline(tree: lxml.html.HtmlElement, headline: lxml.html.HtmlElement) -> str | None:
    """The byline printed nearest below the headline: the names in an element the page marks as
    its author's (class, id, rel, itemprop, a link to an author page), or the text after a "By"
    printed on its own; labels, roles and dates left out."""
    chunks = _chunks(tree)
    inside = {id(e) for e in headline.iter()}
    at = next((i for i, (el, _) in enumerate(chunks) if id(el) in inside), None)
    if at is None:
        return None
    around = {id(a) for a in headline.iterancestors()}  # a holder grown to these would take the headline in
    distance = 0
    for k in range(at, len(chunks)):
        el, text = chunks[k]
        if id(el) in inside:
            continue
        distance += len(text)
        if distance > AFTER_CHARS:
            break
        if _elsewhere(el):
            continue
        holder = _author_marked(el)
        # Several authors each in an element of their own: their common holder has them all.
        for _ in range(2):
            parent = holder.getparent() if holder is not None else None
            if (parent is None or id(parent) in around or len(_text(parent).split()) > NAME_MAX_WORDS * 3
                    or sum(_author_marked(d, 1) is not None for d in parent.iterdescendants()) < 2):
                break
            holder = parent
        name = _holder_names(holder) if holder is not None else None
        if name is None and re.fullmatch(r"(?:(?:written|posted|words|story)\s+)?by\s*:?", text, re.I) \
                and k + 1 < len(chunks):
            name = clean_byline(chunks[k + 1][1])  # "By" on its own, the name in the next element
        if name:
            return name
    return None


_REVIEWER = re.compile(r"^(?:medically\s+)?(?:reviewed|edited|(?:fact[- ])?checked)\s+by\s*:?\s*(?P<name>.*)$", re.I)


def reviewers(tree: lxml.html.HtmlElement) -> set[str]:
    """Names a page prints as its reviewer, editor or fact-checker ("Reviewed by X"): never the author."""
    chunks = _chunks(tree)
    found = set()
    for k, (_, text) in enumerate(chunks):
        m = _REVIEWER.match(text)
        if m:
            name = m.group("name") or (chunks[k + 1][1] if k + 1 < len(chunks) else "")
            found.add(" ".join(name.split()).casefold())
    return found


_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?=/|-|$)")


def url_date(url: str | None) -> FoundDate | None:
    """A full date in a URL's path (/2021/01/18/slug): fixed when the article was first published,
    where a date printed on the page may be a later revision."""
    try:  # a malformed URL in untrusted input has no date, and is no crash
        m = _URL_DATE.search(urlsplit(url).path if url else "")
    except ValueError:
        return None
    if not m:
        return None
    day = valid_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if day is None:
        return None
    return FoundDate(iso=day.isoformat(), ambiguous=False, start=0, end=0)


def _names_elsewhere(node: lxml.html.HtmlElement) -> bool:
    """A block named for other content: "related-posts", "comment_list", "site-footer"."""
    names = f"{node.get('class', '')} {node.get('id', '')}".casefold()
    return bool(names.strip()) and not _ELSEWHERE.isdisjoint(re.split(r"[\W_]+", names))


def _page_furniture(node: lxml.html.HtmlElement) -> bool:
    """Navigation, the page's own footer or aside, or a block named for other content. The <footer>
    or <aside> of an <article> is left: it often holds that article's dated markup."""
    if node.tag == "nav" or (node.tag in ("footer", "aside") and next(node.iterancestors("article"), None) is None):
        return True
    return _names_elsewhere(node)


def metadata_date(html: str, url: str | None) -> FoundDate | None:
    """The publication date the page's metadata states (JSON-LD, meta tags, URL, dated elements),
    through htmldate with its whole-page search off (it takes any date-like text, footers included)
    and with related lists, comments, footers and sidebars cut out first: htmldate reads a
    class="date" element wherever it is."""
    from htmldate import find_date

    tree = parse_html(html)
    if tree is None:
        return None
    body = tree.find("body")
    if body is not None:
        # A wrapper of most of the page named "has-sidebar" or "newsletter-post" holds the article too.
        limit = ELSEWHERE_MAX_SHARE * len(body.text_content())
        for el in [e for e in body.iter() if isinstance(e.tag, str) and e is not body and _page_furniture(e)]:
            if el.getparent() is not None and len(el.text_content()) <= limit:
                el.drop_tree()
    try:
        found = find_date(tree, url=url, extensive_search=False, original_date=True)
    except (ValueError, TypeError):
        return None
    return normalise_iso(found) if found else None


def read_header(html: str, page_title: str | None) -> Header:
    tree = parse_html(html)
    if tree is None:
        return Header()
    headline = find_headline(tree, page_title)
    if headline is None:
        return Header()
    printed, is_update = header_date(tree, headline)
    return Header(headline=_text(headline), byline=header_byline(tree, headline), date=printed,
                  date_is_update=is_update, reviewers=reviewers(tree))


def publication_date(header: Header, metadata: FoundDate | None) -> FoundDate | None:
    """The header's date, unless it is an update and the metadata states an earlier publication."""
    if header.date and header.date_is_update and metadata and metadata.iso[:10] < header.date.iso[:10]:
        return metadata
    return header.date or metadata
