"""The article's own header in an HTML page: the headline readers see and the date printed beside it.

A page's <title> and og:title are written for search results and link previews (site names,
keywords, other wording); the headline readers see is an <h1> saying much the same. The date is
read where readers see it, in the few lines around that headline, never in related-article lists,
comments, sidebars or footers, and never from a copyright line; the page's structured metadata
(JSON-LD, meta tags, the URL, through htmldate without its whole-page guessing) is the fallback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml.etree import ParserError

from . import boilerplate as bp
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
BEFORE_CHARS = 300  # a date printed above the headline ("Last updated: ...") sits this close
AFTER_CHARS = 1000  # the header below it: standfirst, byline, date line


@dataclass
class Header:
    headline: str | None = None
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
        if node.tag in ("nav", "footer", "aside"):
            return True
        names = f"{node.get('class', '')} {node.get('id', '')}".casefold()
        if names.strip() and not _ELSEWHERE.isdisjoint(re.split(r"[\W_]+", names)):
            return True
    return False


def find_headline(tree: lxml.html.HtmlElement, page_title: str | None) -> lxml.html.HtmlElement | None:
    """The <h1> that says most of what the page's own title says (most of its words in that title;
    of several, the one sharing most words: a site-name <h1> matches only the title's suffix).

    Without a page title a lone <h1> is taken; a page's logo or a "Contact us" heading is not its
    headline, so an <h1> unlike the title is never taken.
    """
    candidates = [el for el in tree.iter("h1") if 0 < len(_text(el).split()) <= 40 and not _elsewhere(el)]
    if not page_title:
        return candidates[0] if len(candidates) == 1 else None
    title_words = set(_words(page_title))
    best, best_shared = None, 0
    for el in candidates:
        words = _words(_text(el))
        shared = sum(w in title_words for w in words)
        if words and shared / len(words) >= HEADLINE_MIN_OVERLAP and shared > best_shared:
            best, best_shared = el, shared
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


def metadata_date(html: str, url: str | None) -> FoundDate | None:
    """The publication date the page's metadata states (JSON-LD, meta tags, URL), through htmldate
    with its whole-page search off: that search takes any date-like text, footers included."""
    from htmldate import find_date

    try:
        found = find_date(html[:MAX_HTML_CHARS], url=url, extensive_search=False, original_date=True)
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
    date, is_update = header_date(tree, headline)
    return Header(headline=_text(headline), date=date, date_is_update=is_update)


def publication_date(header: Header, metadata: FoundDate | None) -> FoundDate | None:
    """The header's date, unless it is an update and the metadata states an earlier publication."""
    if header.date and header.date_is_update and metadata and metadata.iso[:10] < header.date.iso[:10]:
        return metadata
    return header.date or metadata
