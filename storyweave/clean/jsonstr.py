"""Where each character of a JSON object's string value sits in the raw JSON line.

The offset map points into the decoded raw input; for a JSONL record that is the JSON text, where
a quote is written \\" and a newline \\n. Decoding the value ourselves keeps each character's place.
"""

from __future__ import annotations

import json
import re

from .textmap import MappedText

_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def locate_string_value(raw: str, key: str, expected: str) -> MappedText:
    """The value of top-level `key` with raw offsets; unmapped when it cannot be found exactly."""
    for m in re.finditer(r'"' + re.escape(json.dumps(key)[1:-1]) + r'"\s*:\s*"', raw):
        decoded = _decode_at(raw, m.end())
        if decoded is not None and decoded.text == expected:
            return decoded
    return MappedText.unmapped(expected)


def _decode_at(raw: str, i: int) -> MappedText | None:
    chars: list[str] = []
    pos: list[int] = []
    n = len(raw)
    while i < n:
        c = raw[i]
        if c == '"':
            return MappedText("".join(chars), pos)
        if c != "\\":
            chars.append(c)
            pos.append(i)
            i += 1
            continue
        if i + 1 >= n:
            return None
        e = raw[i + 1]
        if e in _ESCAPES:
            chars.append(_ESCAPES[e])
            pos.append(-1)
            i += 2
        elif e == "u" and i + 6 <= n:
            code = int(raw[i + 2 : i + 6], 16)
            i += 6
            if 0xD800 <= code < 0xDC00 and raw[i : i + 2] == "\\u":
                low = int(raw[i + 2 : i + 6], 16)
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                i += 6
            chars.append(chr(code))
            pos.append(-1)
        else:
            return None
    return None
