"""Main content and metadata of an HTML page through trafilatura, then our line-level cleaning.

trafilatura runs without comments and favouring precision (measured better on the article-
extraction benchmark than its defaults: see benchmarks/bench_clean.py), with the balanced setting
as a check on short results (benchmarks/bench_metadata.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import lxml.html
import trafilatura
from lxml.etree import ParserError

MAX_HTML_CHARS = 5_000_000  # untrusted input: bound the work done on one page


@dataclass
class HtmlExtract:
    text: str
    title: str | None
    author: str | None
    date: str | None
    sitename: str | None
    url: str | None
    captions: list[str]


# Favouring precision sometimes keeps only a page's first block (a lead paragraph above a product
# box, an intro above a recipe card), and the balanced setting sometimes too: a short result is
# checked against the next, less strict setting, which replaces it when it keeps at least twice as
# much text; a longer result keeps the balanced setting's lines inside the article's span
# (_interior). Measured on WCXB dev and AEB (benchmarks/bench_metadata.py, bench_clean.py).
RECHECK_BELOW_CHARS = 5000
RECHECK_RATIO = 2.0
_NOSCRIPT = re.compile(r"<noscript\b.*?</noscript\s*>", re.I | re.S)


def _bare(html: str, url: str | None, *, favor_precision: bool = False, favor_recall: bool = False) -> dict[str, Any]:
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        favor_precision=favor_precision,
        favor_recall=favor_recall,
        include_tables=True,
    )
    return doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else dict(doc or {})


def _interior(strict: str, looser: str) -> str:
    """The looser extraction from the first to the last line the strict one also kept: the
    subheadings and list items inside the article that precision dropped, without the looser
    setting's extra text around the article. The strict text when they share no line."""
    def key(line: str) -> str:
        return re.sub(r"\W+", "", line.casefold())

    kept = {key(line) for line in strict.split("\n")} - {""}
    lines = looser.split("\n")
    shared = [i for i, line in enumerate(lines) if key(line) in kept]
    return "\n".join(lines[shared[0] : shared[-1] + 1]) if shared else strict


def extract_html(html: str, url: str | None = None) -> HtmlExtract:
    html = html[:MAX_HTML_CHARS]
    meta = _bare(html, url, favor_precision=True)
    text = meta.get("text") or ""
    # The less strict settings read <noscript> notices ("Please enable JavaScript") as text.
    scriptless = _NOSCRIPT.sub("", html)
    balanced_doc = _bare(scriptless, url)
    balanced = balanced_doc.get("text") or ""
    if len(text) < RECHECK_BELOW_CHARS and len(balanced) >= RECHECK_RATIO * len(text):
        text = balanced
    else:
        text = _interior(text, balanced)
    if len(text) < RECHECK_BELOW_CHARS:
        recall = _bare(scriptless, url, favor_recall=True).get("text") or ""
        if len(recall) >= RECHECK_RATIO * len(text):
            text = recall
    # trafilatura returns nothing at all, metadata included, where a setting finds no text.
    meta = meta or balanced_doc
    return HtmlExtract(
        text=text,
        title=meta.get("title") or None,
        author=meta.get("author") or None,
        date=meta.get("date") or None,
        sitename=meta.get("sitename") or None,
        url=meta.get("url") or url,
        captions=figure_captions(html),
    )


MAX_CAPTIONS = 50


def figure_captions(html: str) -> list[str]:
    """Texts of <figcaption> elements and elements whose class names a caption."""
    try:
        tree = lxml.html.fromstring(html)
    except (ParserError, ValueError):
        return []
    found: list[str] = []
    for el in tree.xpath("//figcaption | //*[contains(concat(' ', normalize-space(@class), ' '), ' caption ')"
                         " or contains(@class, 'wp-caption-text') or contains(@class, 'image-caption')]"):
        text = " ".join(el.text_content().split())
        if text and text not in found and not any(text in f for f in found):
            found.append(text)
        if len(found) >= MAX_CAPTIONS:
            break
    return found


_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "blockquote", "section",
           "article", "header", "footer", "pre", "dd", "dt", "figcaption", "td"}


def html_text(html: str) -> str:
    """All visible text of a page or fragment, one block element a line: the fallback for short
    fragments (feed entries) that trafilatura judges too small to hold an article."""
    try:
        tree = lxml.html.fromstring(html[:MAX_HTML_CHARS])
    except (ParserError, ValueError):
        return ""
    # The head holds metadata (the title is read separately), never body text.
    for el in tree.xpath("//head | //script | //style | //noscript | //template"):
        el.drop_tree()
    for el in tree.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCKS:
            el.tail = "\n" + (el.tail or "")
    return tree.text_content()
