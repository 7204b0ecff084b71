"""Body, title, date and author on WCXB article pages (shared/bench/wcxb-dev), ours against plain
trafilatura and htmldate in the same run.

Every page goes through storyweave's real HTML cleaning path (`clean_document` on an HTML
RawDocument with the page's URL, as `storyweave run URL` gives it) and through plain trafilatura
(`trafilatura.extract` for the body, `trafilatura.extract_metadata` for title, date and author);
htmldate's `find_date` guesses dates alone. Body: word 4-gram shingle precision, recall and F1
per page, averaged over pages (as bench_clean.py). Title, date, author: exact match after
whitespace and case folding; a page whose truth is null counts as right only when the output is
null too (unknown stays unknown), and the right-when-null share is printed beside each.

The pages are split once, before any tuning, into a development part and a held-out third: a
page is held out when the first byte of the SHA-256 of its id is divisible by 3. Rules are chosen
on the dev part only; the held-out figures are the honest ones.

    python benchmarks/bench_metadata.py [--wcxb PATH] [--split dev|held-out|all]
        [--systems storyweave,trafilatura,htmldate] [--limit N] [--dump FILE.jsonl] [--why]
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import hashlib
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.shingles import mean, score  # noqa: E402
from storyweave.clean import CleanError, clean_document  # noqa: E402
from storyweave.clean.language import detect_language  # noqa: E402
from storyweave.model import RawDocument  # noqa: E402

FIELDS = ("title", "date", "author")


def held_out(page_id: str) -> bool:
    """The fixed held-out third: chosen by a hash of the id, never by anything a rule could see."""
    return hashlib.sha256(page_id.encode("utf-8")).digest()[0] % 3 == 0


@dataclass
class Output:
    body: str | None
    title: str | None
    date: str | None  # YYYY-MM-DD
    author: str | None


def fold(value: str | None) -> str | None:
    text = " ".join((value or "").split()).casefold()
    return text or None


def storyweave_output(page: dict, html: bytes) -> Output:
    try:
        art = clean_document(RawDocument(source=page["id"], data=html, format="html", url=page["url"]))
    except CleanError:
        return Output("", None, None, None)
    return Output(art.body, art.title, (art.published or "")[:10] or None, art.author)


def trafilatura_output(page: dict, html: bytes) -> Output:
    import trafilatura

    text = html.decode("utf-8", "replace")
    meta = trafilatura.extract_metadata(text, default_url=page["url"])
    body = trafilatura.extract(text, url=page["url"]) or ""
    if meta is None:
        return Output(body, None, None, None)
    return Output(body, meta.title, (meta.date or "")[:10] or None, meta.author)


def htmldate_output(original_date: bool) -> Callable[[dict, bytes], Output]:
    def run(page: dict, html: bytes) -> Output:
        from htmldate import find_date

        try:
            found = find_date(html.decode("utf-8", "replace"), url=page["url"], original_date=original_date)
        except ValueError:
            found = None
        return Output(None, None, found, None)
    return run


SYSTEMS: dict[str, Callable[[dict, bytes], Output]] = {
    "storyweave": storyweave_output,
    "trafilatura": trafilatura_output,
    "htmldate": htmldate_output(False),
    "htmldate original_date": htmldate_output(True),
}


def truth_of(page: dict) -> Output:
    return Output(page["main_content"], page["title"], page["publish_date"], page["author"])


def report(name: str, pages: list[dict], outputs: list[Output], seconds: float) -> None:
    cells = []
    if outputs[0].body is not None:
        m = mean([score(o.body or "", p["main_content"]) for p, o in zip(pages, outputs)])
        cells.append(f"body P {m.precision:.3f} R {m.recall:.3f} F1 {m.f1:.3f}")
    else:
        cells.append(" " * 35)
    for field in FIELDS:
        got = [fold(getattr(o, field)) for o in outputs]
        if field != "date" and all(g is None for g in got) and outputs[0].body is None:
            continue
        want = [fold(getattr(truth_of(p), field)) for p in pages]
        right = sum(g == w for g, w in zip(got, want))
        nulls = [g is None for g, w in zip(got, want) if w is None]
        cells.append(f"{field} {right / len(pages):.3f} (null {sum(nulls)}/{len(nulls)})")
    print(f"  {name:<24} " + "  ".join(cells) + f"  {len(pages) / seconds:5.1f} pages/s")


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def _date_forms(iso: str) -> list[str]:
    day = datetime.date.fromisoformat(iso)
    return [day.strftime(f) for f in ("%Y-%m-%d", "%B %-d, %Y", "%b %-d, %Y", "%b. %-d, %Y", "%B %d, %Y", "%b %d, %Y",
                                      "%-d %B %Y", "%d %B %Y", "%-d %b %Y", "%d %b %Y", "%m/%d/%Y", "%-m/%-d/%Y",
                                      "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d")]


def why_missed(field: str, page: dict, got: str | None, html: str) -> str:
    """A storyweave miss put in a kind, from the page and the truth alone (for the README's limits)."""
    want = getattr(truth_of(page), field)
    if want is None:
        return "truth null, the page states one"
    if got is None:
        return "ours null"
    if fold(want.translate(_QUOTES)) == fold(got.translate(_QUOTES)):
        return "only typographic quotes or dashes differ"
    text = html.casefold()
    if field == "date":
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", want):
            return "truth not a full date"
        if not any(f.casefold() in text for f in _date_forms(want)):
            return "truth date written nowhere in the page"
        return "another date of the page"
    if field == "title":
        return "truth not the page's <h1>" if fold(want) not in {fold(e) for e in _h1s(html)} else "another heading"
    if " ".join(want.split()).casefold() not in " ".join(text.split()):
        return "truth written nowhere in the page as such"
    return "another name or form"


def _h1s(html: str) -> list[str]:
    import lxml.html

    try:
        return [" ".join(e.text_content().split()) for e in lxml.html.fromstring(html).iter("h1")]
    except (ValueError, lxml.etree.ParserError):
        return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wcxb", type=Path, default=ROOT.parent / "shared" / "bench" / "wcxb-dev")
    parser.add_argument("--split", choices=("dev", "held-out", "all"), default="all")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated, from: " + ", ".join(SYSTEMS))
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages of each part (0: all)")
    parser.add_argument("--dump", type=Path, help="write every page's outputs and truth here (JSONL)")
    parser.add_argument("--why", action="store_true", help="count storyweave's misses by kind")
    args = parser.parse_args()
    if not args.wcxb.exists():
        sys.exit(f"{args.wcxb} is absent: the benchmark data lives in shared/bench/wcxb-dev")
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = [s for s in systems if s not in SYSTEMS]
    if unknown:
        sys.exit(f"unknown systems: {unknown}")
    pages = [json.loads(line) for line in (args.wcxb / "ground-truth.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    parts = {"dev": [p for p in pages if not held_out(p["id"])], "held-out": [p for p in pages if held_out(p["id"])]}
    names = list(parts) if args.split == "all" else [args.split]
    detect_language("Load the language model once, outside the timings.")
    dump = args.dump.open("w", encoding="utf-8") if args.dump else None
    print(f"WCXB article pages: {len(pages)} ({len(parts['dev'])} dev, {len(parts['held-out'])} held-out); "
          "body: word 4-gram shingle F1, mean over pages; title, date, author: exact match after folding")
    for part in names:
        chosen = parts[part][: args.limit or None]
        print(f"{part}: {len(chosen)} pages")
        html = {p["id"]: gzip.decompress((args.wcxb / "html" / f"{p['id']}.html.gz").read_bytes()) for p in chosen}
        results: dict[str, list[Output]] = {}
        for name in systems:
            start = time.perf_counter()
            results[name] = [SYSTEMS[name](p, html[p["id"]]) for p in chosen]
            report(name, chosen, results[name], time.perf_counter() - start)
        if args.why and "storyweave" in results:
            for field in FIELDS:
                kinds = Counter(
                    why_missed(field, p, getattr(o, field), html[p["id"]].decode("utf-8", "replace"))
                    for p, o in zip(chosen, results["storyweave"]) if fold(getattr(o, field)) != fold(getattr(truth_of(p), field)))
                print(f"    storyweave {field} misses: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
        if dump:
            for k, p in enumerate(chosen):
                row = {"id": p["id"], "part": part, "url": p["url"],
                       "truth": {f: getattr(truth_of(p), f) for f in FIELDS}}
                for name in systems:
                    o = results[name][k]
                    row[name] = {f: getattr(o, f) for f in FIELDS}
                    if o.body is not None:
                        row[name]["body_f1"] = round(score(o.body, p["main_content"]).f1, 4)
                dump.write(json.dumps(row, ensure_ascii=False) + "\n")
    if dump:
        dump.close()


if __name__ == "__main__":
    main()
