"""Finding direct quotations in raw text: curly or straight, double or single, nested, partial,
and spanning paragraphs (an unclosed quote continued by a paragraph that opens with a quote mark).
Pure string work: no model."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import SPEECH_VERBS

DOUBLE_OPEN = "\u201c\u201e\u00ab"
DOUBLE_CLOSE = "\u201d\u00bb"
SINGLE_OPEN = "\u2018"
SINGLE_CLOSE = "\u2019"
_OPEN_CONTEXT = " \t\n([{\u2014\u2013-/:"
_CLOSE_CONTEXT = " \t\n.,;:!?)]}\u2014\u2013-"
_ATTRIBUTION_WORDS = 12  # the longest trailing "..., Troy police Lt. Gerry Scherlinck said" taken for one
_BARE_LINES = 2  # lines with no quote mark a quotation may run through before it closes


@dataclass
class QuoteSpan:
    start: int  # first character inside the marks
    end: int  # one past the last character inside the marks
    open_mark: int  # offset of the opening mark
    close_mark: int  # offset of the closing mark (== end when closed by a paragraph end)
    double: bool
    parts: list[tuple[int, int]]  # content pieces, one per paragraph it spans
    inner: list[QuoteSpan]


@dataclass
class _Open:
    pos: int
    double: bool
    straight: bool
    parts: list[tuple[int, int]]
    inner: list[QuoteSpan]


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _closer_follows(text: str, start: int, hi: int) -> bool:
    """Is there a later double mark in the paragraph that can close a quote opened here?"""
    for k in range(start, hi):
        ch = text[k]
        if ch in DOUBLE_CLOSE:
            return True
        if ch in DOUBLE_OPEN:
            return False
        if ch == '"':
            return _straight_role(text, k, start - 1, hi) != "open"
    return False


def _continues(text: str, paragraphs: list[tuple[int, int]], index: int) -> bool:
    """Does an open quote go on into paragraph `index`? Yes when it opens with a quote mark (the
    multi-paragraph convention), or when its first double mark closes a quote (a quotation
    broken by a line break), looking past up to `_BARE_LINES` lines without any double mark
    (a text written one sentence a line)."""
    for lo, hi in paragraphs[index:index + 1 + _BARE_LINES]:
        body = text[lo:hi]
        first = body.lstrip()[:1]
        if first and (first in DOUBLE_OPEN or first == '"'):
            return True
        for k, ch in enumerate(body):
            if ch in DOUBLE_OPEN:
                return False
            if ch in DOUBLE_CLOSE:
                return True
            if ch == '"':
                return _straight_role(text, lo + k, lo, hi) != "open"
    return False


def _unclosed_end(text: str, start: int, end: int) -> int:
    """Where a quotation never closed really ends: before a trailing attribution the writer
    forgot to shut out ('"Officers found a gun, Troy police Lt. Gerry Scherlinck said.'), else
    at the paragraph end."""
    comma = text.rfind(",", start, end)
    if comma < 0:
        return end
    tail = text[comma + 1:end].strip().rstrip(".").split()
    if not 2 <= len(tail) <= _ATTRIBUTION_WORDS or any(ch in text[comma + 1:end] for ch in '"\u201c\u201d'):
        return end
    # the speech verb ends the tail or comes before a short complement ("said in a statement")
    verb_at = next((k for k, w in enumerate(tail) if w.lower() in SPEECH_VERBS), None)
    if verb_at is None or verb_at == 0 or len(tail) - verb_at > 5 or not re.match(r"[A-Za-z]", tail[0]):
        return end
    return comma


def _straight_role(text: str, i: int, lo: int, hi: int) -> str:
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    opens = prev in _OPEN_CONTEXT or prev in DOUBLE_OPEN + SINGLE_OPEN + '"'
    closes = nxt in _CLOSE_CONTEXT or nxt in DOUBLE_CLOSE + SINGLE_CLOSE + '"'
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "either"


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Top-level quotations, in text order; each keeps its nested quotations in `inner`."""
    top: list[QuoteSpan] = []
    carried: list[_Open] = []
    paragraphs = _paragraphs(text)
    for p_index, (lo, hi) in enumerate(paragraphs):
        stack: list[_Open] = []
        seg_start = lo
        # a quote left open by the previous paragraph continues if this one opens with a mark
        first = text[lo:hi].lstrip()
        first_pos = hi - len(first)
        resumed = False
        if carried and first:
            # reopened by a mark (multi-paragraph convention) or simply continued (a line break)
            stack = carried
            for o in stack:
                o.parts.append((-1, -1))  # placeholder for this paragraph's piece
            resumed = True
            seg_start = first_pos + 1 if (first[0] in DOUBLE_OPEN or first[0] == '"') else first_pos
        carried = []
        i = seg_start if resumed else lo
        if resumed:
            for o in stack:
                o.parts[-1] = (seg_start, seg_start)
        while i < hi:
            ch = text[i]
            kind = None
            if ch in DOUBLE_OPEN:
                kind = ("open", True, False)
            elif ch in DOUBLE_CLOSE:
                kind = ("close", True, False)
            elif ch == '"':
                role = _straight_role(text, i, lo, hi)
                if role == "either":
                    has_open = any(o.double and o.straight for o in stack)
                    if has_open:
                        role = "close"
                    elif _closer_follows(text, i + 1, hi) or text[lo:i].rstrip().endswith(":"):
                        # 'He added: " [It came] a while ago.': after a colon a spaced mark opens
                        # a quotation, even one that runs on into the next paragraphs
                        role = "open"
                    else:
                        i += 1  # a stray mark (its partner is missing or mistyped): no quote
                        continue
                elif role == "open" and stack and stack[-1].double and stack[-1].straight and i + 1 < hi and (
                        text[i + 1] in _CLOSE_CONTEXT or (text[lo:i].rstrip()[-1:] in ",.!?" and text[i + 1].islower())):
                    # '..., "a friend said': a mark between the quote's last comma and a lowercase
                    # attribution shuts the open quote (spacing lost in copy); '... returning.
                    # "They' opens a new one
                    role = "close"
                kind = (role, True, True)
            elif ch == SINGLE_OPEN:
                kind = ("open", False, False)
            elif ch in (SINGLE_CLOSE, "'"):
                nxt = text[i + 1] if i + 1 < hi else " "
                prev = text[i - 1] if i > lo else " "
                if any(not o.double for o in stack) and not nxt.isalpha():
                    kind = ("close", False, ch == "'")
                elif ch == "'" and (prev in _OPEN_CONTEXT or prev in DOUBLE_OPEN + '"') and nxt.isalpha():
                    kind = ("open", False, True)
            if kind is None:
                i += 1
                continue
            role, double, straight = kind
            if role == "open":
                stack.append(_Open(i, double, straight, [(i + 1, i + 1)], []))
            else:
                # close the nearest open quote of the same weight; unclosed lighter ones are dropped
                idx = next((k for k in range(len(stack) - 1, -1, -1) if stack[k].double == double), None)
                if idx is not None:
                    o = stack[idx]
                    del stack[idx:]
                    s0, _ = o.parts[-1]
                    o.parts[-1] = (s0, i)
                    span = QuoteSpan(o.parts[0][0], i, o.pos, i, o.double, o.parts, o.inner)
                    if stack:
                        stack[-1].inner.append(span)
                    else:
                        top.append(span)
            i += 1
        # paragraph end: open double quotes may continue into the next paragraph
        doubles = [o for o in stack if o.double]
        if doubles:
            for o in doubles:
                s0, _ = o.parts[-1]
                end = hi
                while end > s0 and text[end - 1].isspace():
                    end -= 1
                o.parts[-1] = (s0, end)
            head = doubles[0].parts[-1]
            # '"..., the two men said in a statement.' ends the quote even when the next paragraph
            # opens another: the writer forgot the closing mark, not the attribution
            if (p_index + 1 < len(paragraphs) and _continues(text, paragraphs, p_index + 1)
                    and _unclosed_end(text, head[0], head[1]) == head[1]):
                carried = [doubles[0]]
                doubles[0].inner.extend(q for o in doubles[1:] for q in o.inner)
            else:
                # never closed: treat the paragraph end as its close
                o = doubles[0]
                end = _unclosed_end(text, o.parts[-1][0], o.parts[-1][1])
                o.parts[-1] = (o.parts[-1][0], end)
                span = QuoteSpan(o.parts[0][0], end, o.pos, end, True, o.parts, o.inner + [q for d in doubles[1:] for q in d.inner])
                top.append(span)
    for o in carried:  # text ended inside a quote
        end = o.parts[-1][1]
        top.append(QuoteSpan(o.parts[0][0], end, o.pos, end, True, o.parts, o.inner))
    top.sort(key=lambda q: q.start)
    return _unwrap(top)


def _unwrap(spans: list[QuoteSpan]) -> list[QuoteSpan]:
    """A double quote holding double quotes is a wrapper, not speech (English nests by
    alternating double and single marks): its inner quotations are the quotes."""
    out: list[QuoteSpan] = []
    for q in spans:
        inner_doubles = [s for s in q.inner if s.double]
        if q.double and inner_doubles:
            out.extend(_unwrap(inner_doubles))
        else:
            out.append(q)
    return out
