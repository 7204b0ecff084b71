"""clean_document: one RawDocument in, one Article out (pure; no I/O)."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

from courlan import extract_domain

from ..model import Article, RawDocument
from .dates import FoundDate, normalise_iso
from .decode import decode_bytes
from .errors import CleanError
from .header import clean_byline, metadata_date, publication_date, read_header, url_date
from .html import extract_html, html_text
from .jsonstr import locate_string_value
from .language import detect_language
from ..model.credits import (
    find_cited_publications,
    find_self_references,
    looks_like_person,
    same_name,
    syndication_sources,
)
from .scraped import SEPARATORS, ScrapedParts, clean_scraped, line_key
from .textmap import BodyBuilder, MappedText, normalise

MAX_TEXT_CHARS = 2_000_000  # untrusted input: longer text is cut before cleaning
DERIVED_TITLE_WORDS = 14
_JSONL_KNOWN = {"id", "url", "title", "text", "html", "published", "outlet", "author"}
# Markup near the start: a page may open with a script or a long head before any <div>.
_HTML_SNIFF = re.compile(r"^\s*(?:<!doctype\s+html|<html|<head|<body|<\?xml)|"
                         r"<(?:p|div|article|br|html|head|body|script|meta|title)\b[^>]*>", re.I)


def clean_document(raw: RawDocument) -> Article:
    """Turn one raw record into a clean Article; CleanError when it holds no article."""
    text = decode_bytes(raw.data, _str(raw.fields.get("content_type")) or raw.media_type)
    if not text.strip():
        raise CleanError("empty input")
    fields = dict(raw.fields or {})
    metadata: dict[str, Any] = {}
    external_id = raw.external_id
    kind = raw.format
    source = MappedText.identity(text[:MAX_TEXT_CHARS])

    if kind == "jsonl":
        if not fields:
            try:
                fields = json.loads(text)
            except json.JSONDecodeError as exc:
                raise CleanError(f"invalid JSON line: {exc.msg}") from None
        if not isinstance(fields, dict):
            raise CleanError("JSONL record is not an object")
        metadata = {k: v for k, v in fields.items() if k not in _JSONL_KNOWN}
        if fields.get("id") is not None and external_id is None:
            external_id = str(fields["id"])
        # Text the user extracted already is taken over markup when a record has both.
        if isinstance(fields.get("text"), str) and fields["text"].strip():
            kind, source = "text", locate_string_value(text, "text", fields["text"])
        elif isinstance(fields.get("html"), str) and fields["html"].strip():
            kind, source = "html", locate_string_value(text, "html", fields["html"])
        else:
            raise CleanError("JSONL record has neither a non-empty 'text' nor 'html'")
    elif kind != "text" and not _HTML_SNIFF.search(text[:5000]):
        kind = "text"  # a feed entry or fetched body that is plain text
    elif kind != "text":
        kind = "html"

    url = _str(fields.get("url")) or _str(fields.get("link")) or raw.url
    if kind == "html":
        article = _from_html(raw, source, fields, url)
    else:
        article = _from_text(raw, source, fields, url, select_content=raw.format != "jsonl")
    article.external_id = external_id
    article.metadata = metadata
    return article


def _str(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _field_date(fields: dict[str, Any], evidence_text: str) -> FoundDate | None:
    for key in ("published", "date", "updated", "pubDate"):
        value = _str(fields.get(key))
        found = normalise_iso(value, evidence_text) if value else None
        if found:
            return found
    return None


def _joined(parts: ScrapedParts) -> str:
    return "\n".join(p.text for p in parts.body)


def _field_outlet(fields: dict[str, Any]) -> str | None:
    for key in ("outlet", "site_name", "sitename", "feed_title"):
        value = _str(fields.get(key))
        if value:
            return value
    return None


def _without_site_suffix(title: str | None, sitename: str | None, url: str | None) -> str | None:
    """"Headline | Site" -> "Headline" when the suffix is the site's name or names its host
    ("| Bridgestone Tires" on bridgestonetire.com, "| web.dev" on web.dev)."""
    if not title:
        return None
    parts = SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    head, suffix = " ".join(parts[:-1]), parts[-1]
    host = line_key(_host(url) or "")
    names_host = bool(host) and (line_key(suffix) in host
                                 or any(len(w) >= 4 and w in host for w in re.findall(r"\w+", suffix.casefold())))
    if len(suffix.split()) <= 5 and len(head.split()) >= 2 and (line_key(suffix) == line_key(sitename or "") or names_host):
        return head
    return title


def _host(url: str | None) -> str | None:
    """The site's registered domain ("usatoday30.usatoday.com" -> "usatoday.com"), else its host."""
    if not url:
        return None
    try:  # a malformed URL in untrusted input is no outlet, not a crash
        host = extract_domain(url) or extract_domain(url, fast=True) or urlsplit(url).hostname or ""
    except ValueError:
        return None
    host = re.sub(r"^(?:www\d?|m|amp|mobile)\.", "", host)
    return host or None


def _looks_like_host(name: str | None) -> bool:
    return bool(name) and bool(re.fullmatch(r"[\w.-]+\.[a-z]{2,}|\[[^\]]*\]?", name or "", re.I))


def _first_sentence_title(body: str) -> str | None:
    first = re.split(r"(?<=[.!?])\s+", body.strip(), maxsplit=1)[0] if body.strip() else ""
    words = first.split()
    if not words:
        return None
    if len(words) > DERIVED_TITLE_WORDS:
        return " ".join(words[:DERIVED_TITLE_WORDS]).rstrip(",;:") + "..."
    return first.rstrip(".")


def _choose_outlet(candidates: list[str | None], self_refs: list[str]) -> str | None:
    for name in candidates:
        if name:
            return name
    if self_refs:
        return Counter(self_refs).most_common(1)[0][0]
    return None


def _finish(
    raw: RawDocument,
    kind: str,
    url: str | None,
    parts: ScrapedParts,
    *,
    title: str | None,
    published: str | None,
    ambiguous: bool,
    outlet_first: list[str | None],
    outlet_last: str | None,
    author: str | None,
) -> Article:
    builder = BodyBuilder()
    for piece in parts.body:
        builder.add(piece)
    body, offset_map = builder.build()
    if not body.strip():
        raise CleanError("no article text left after cleaning")
    self_refs = find_self_references(parts.all_text)
    outlet = _choose_outlet(outlet_first, self_refs) or outlet_last
    own_names = [n for n in [outlet, *self_refs, parts.masthead, parts.site_suffix] if n]
    # Where a republished article first ran: a notice in the text, else a foreign copyright holder.
    # (a person's copyright is the author's, not a syndicator's).
    notices = [*syndication_sources(parts.all_text), *parts.wire_credits,
               *(h for h in parts.copyright_holders if not looks_like_person(h))]
    syndicated = next((h for h in notices if not any(same_name(h, n) for n in own_names)), None)
    # A copy's original is its syndication source, not a citation of content.
    cites = find_cited_publications(body, exclude=own_names + ([syndicated] if syndicated else []))
    derived = False
    if not title:
        title, derived = _first_sentence_title(body), True
    return Article(
        id=raw.sha256[:16],
        source=raw.source,
        format=raw.format,
        url=url,
        title=title,
        title_derived=derived and title is not None,
        published=published,
        published_ambiguous=ambiguous,
        outlet=outlet,
        author=author,
        cites=cites,
        syndicated_from=syndicated,
        language=detect_language(body),
        body=body,
        captions=parts.captions,
        raw_sha256=raw.sha256,
        offset_map=offset_map,
    )


def _from_text(
    raw: RawDocument, source: MappedText, fields: dict[str, Any], url: str | None, *, select_content: bool
) -> Article:
    language = detect_language(source.text)
    parts = clean_scraped(source, title_hint=_str(fields.get("title")), language=language,
                          select_content=select_content)
    found = _field_date(fields, _joined(parts)) or parts.published
    return _finish(
        raw, "text", url, parts,
        title=parts.title, published=found.iso if found else None, ambiguous=bool(found and found.ambiguous),
        outlet_first=[_field_outlet(fields), parts.site_suffix, parts.masthead],
        outlet_last=_host(url),
        author=_str(fields.get("author")) or parts.author,
    )


def _from_html(raw: RawDocument, source: MappedText, fields: dict[str, Any], url: str | None) -> Article:
    extract = extract_html(source.text, url)
    if not extract.text.strip():
        # Too small for trafilatura (a short feed entry): read its text and clean that.
        extract.text = html_text(source.text)
        if not extract.text.strip():
            raise CleanError("no main content found in the HTML page")
    # The headline readers see beats the page title written for search results and link previews.
    header = read_header(source.text, extract.title)
    title = _str(fields.get("title")) or header.headline or _without_site_suffix(extract.title, extract.sitename, url)
    extracted = _map_into(source, extract.text)
    parts = clean_scraped(extracted, title_hint=title, language=None, select_content=False, drop_lists=False)
    page_captions = [normalise(MappedText.unmapped(c)).text for c in extract.captions]
    caption_keys = {line_key(c) for c in page_captions}
    parts.body = [p for p in parts.body if line_key(p.text) not in caption_keys]
    parts.captions = list(dict.fromkeys(parts.captions + page_captions))
    found = (_field_date(fields, _joined(parts)) or url_date(url)
             or publication_date(header, metadata_date(source.text, url)))
    return _finish(
        raw, "html", url or extract.url, parts,
        title=title, published=found.iso if found else None, ambiguous=bool(found and found.ambiguous),
        # trafilatura falls back to the host name for a site name: that is only the last resort.
        outlet_first=[_field_outlet(fields), None if _looks_like_host(extract.sitename) else extract.sitename],
        outlet_last=_host(url or extract.url),
        # The byline printed under the headline, else the metadata's author: trafilatura joins several
        # with "; " (and splits "Jane Doe, MD" so), and may run into the date line ("Jane Doe Updated").
        author=(_str(fields.get("author")) or header.byline or _metadata_author(extract.author, header.reviewers)
                or parts.author),
    )


def _metadata_author(author: str | None, reviewers: set[str]) -> str | None:
    name = clean_byline((author or "").replace("; ", ", "))
    return None if name is None or name.casefold() in reviewers else name


MAX_MAP_MISSES = 200  # a page whose text is mostly not found verbatim (entities) is left unmapped


def _map_into(source: MappedText, extracted: str) -> MappedText:
    """Give extracted lines the raw offsets of their next exact occurrence in the page, where
    there is one (text with HTML entities is not found, and stays unmapped)."""
    pos: list[int] = []
    cursor, misses = 0, 0
    for k, line in enumerate(extracted.split("\n")):
        if k:
            pos.append(-1)
        at = source.text.find(line, cursor) if len(line) >= 20 and misses < MAX_MAP_MISSES else -1
        if at >= 0:
            pos.extend(source.pos[at : at + len(line)])
            cursor = at + len(line)
        else:
            misses += len(line) >= 20
            pos.extend([-1] * len(line))
    return MappedText(extracted, pos)
