"""A synthetic-but-realistic news corpus at any size, deterministic by seed, for scale work.

Every sentence is real news prose: the 982 ECB+ texts (grouped by their gold event) and the AEB
article bodies of 500 words or more (each its own group) are split into sentences. A *story* is
one source group under one *variant*: variant 0 keeps the text's names and numbers; a later
variant swaps the group's frequent proper names for names from other groups and shifts its
numbers and years, so look-alike stories (the same kind of event, other people and figures)
occur in known proportions. An article of a story takes sentences of its group (random order,
paragraphs of 2-4 sentences) until it reaches 500-800 words, under a headline from the group,
with an outlet, a URL and a date within two days of its story's. A share of articles are
syndicated copies (the same text under another outlet).

Output: JSON Lines in the form `storyweave run` ingests ({id, url, title, text, published,
outlet}), and a gold file {article id: story key} beside it.
Run alone: python benchmarks/newsgen.py --n 1000 --out /tmp/news-1k.jsonl [--seed 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench"
_SENT = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"']))\s+(?=[\"'A-Z])|\n+")
_CAPITAL = re.compile(r"\b[A-Z][a-z]{2,}\b")
_NUMBER = re.compile(r"\b\d{1,3}(?:,\d{3})*(?:\.\d+)?\b")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-3]\d)\b")
# Capitalised words that are not names (sentence starts, days, months, titles).
_NOT_NAMES = set("""The This That These Those There They Their Then When While After Before
But And For With From Into Over Under About Also Mr Mrs Ms Dr Sen Rep Gov Monday Tuesday Wednesday
Thursday Friday Saturday Sunday January February March April May June July August September
October November December He She It We You His Her Its Our Your One Two Three What Who How Why
Where Police President Officials Some Many Most Other According""".split())
OUTLETS = [
    "Harbor Times", "Valley Courier", "Northern Ledger", "Coastal Post", "Metro Daily", "River Gazette",
    "Capital Wire", "Plains Herald", "Summit Journal", "Lakeside News", "Bay Chronicle", "Union Tribune Desk",
    "Eastern Observer", "Western Star", "Midland Record", "Pacific Dispatch", "Atlantic Examiner",
    "Highland Sentinel", "Prairie Voice", "Delta Reporter", "Granite Monitor", "Forest Press",
    "Harborline Wire", "City Bulletin", "County Mirror", "State Register", "Global Desk", "Daily Compass",
]
MIN_WORDS, MAX_WORDS = 500, 800
MAX_STORY = 40  # articles in one story at most


@dataclass
class Group:
    key: str
    headlines: list[str]
    sentences: list[str]
    names: list[str]  # frequent capitalised words, the swap candidates


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT.split(text) if len(s.split()) >= 4]


def load_groups(bench: Path = BENCH) -> list[Group]:
    texts: dict[str, list[str]] = {}
    for line in (bench / "ecbplus" / "ecbplus.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        texts.setdefault("ecb:" + row["event"], []).append(row["text"])
    truth = json.loads((bench / "aeb" / "ground-truth.json").read_text(encoding="utf-8"))
    for key in sorted(truth):
        body = truth[key]["articleBody"]
        if len(body.split()) >= MIN_WORDS:
            texts["aeb:" + key] = [body]
    groups = []
    for key in sorted(texts):
        docs = texts[key]
        # ECB+ texts open with their headline; an AEB body's first sentence stands in for one.
        headlines = [" ".join(_sentences(d)[0].split()[:16]) if d.strip() else key for d in docs]
        sentences = [s for d in docs for s in _sentences(d)]
        counts = Counter(w for s in sentences for w in _CAPITAL.findall(s) if w not in _NOT_NAMES)
        names = [w for w, c in counts.most_common(12) if c >= 2]
        if sum(len(s.split()) for s in sentences) >= MIN_WORDS // 2:
            groups.append(Group(key, headlines, sentences, names))
    return groups


def _swapper(group: Group, variant: int, pool: list[str], rng: random.Random):
    """The text rewrite of one variant: names swapped, numbers and years shifted."""
    if variant == 0:
        return lambda text: text
    mapping = {name: rng.choice(pool) for name in group.names}
    names = re.compile(r"\b(" + "|".join(map(re.escape, mapping)) + r")\b") if mapping else None
    factor = rng.choice([0.5, 0.7, 1.3, 1.5, 2.0, 3.0])
    years = rng.randint(-8, 8) or 3

    def number(m: re.Match[str]) -> str:
        token = m.group()
        if _YEAR.fullmatch(token):
            return str(int(token) + years)
        value = float(token.replace(",", ""))
        scaled = value * factor
        return f"{scaled:,.0f}" if "." not in token else f"{scaled:.1f}"

    def rewrite(text: str) -> str:
        if names is not None:
            text = names.sub(lambda m: mapping[m.group()], text)
        return _NUMBER.sub(number, text)

    return rewrite


def generate(n: int, seed: int = 7, groups: list[Group] | None = None,
             copy_share: float = 0.05) -> tuple[list[dict], dict[str, str]]:
    """`n` article records and the gold {article id: story key}.

    Story sizes follow a long tail (most stories have 1-4 articles, a few up to MAX_STORY); a
    group drawn again gives a look-alike story (the gold key's variant > 0), and `copy_share` of
    articles are syndicated copies."""
    rng = random.Random(seed)
    groups = groups or load_groups()
    pool = sorted({w for g in groups for w in g.names})
    base = dt.date(2026, 1, 1)
    records: list[dict] = []
    gold: dict[str, str] = {}
    variants: Counter[str] = Counter()
    story_no = 0
    while len(records) < n:
        group = rng.choice(groups)
        variant = variants[group.key]  # a group drawn again makes a look-alike story
        variants[group.key] += 1
        rewrite = _swapper(group, variant, pool, rng)
        story = f"{group.key}#{variant}"
        day = base + dt.timedelta(days=rng.randrange(365))
        size = min(n - len(records), MAX_STORY, max(1, int(rng.paretovariate(1.3))))
        story_no += 1
        made: list[dict] = []
        for k in range(size):
            outlet = rng.choice(OUTLETS)
            slug = re.sub(r"[^a-z]+", "-", outlet.lower()).strip("-")
            art_id = f"gen-{seed}-{len(records):07d}"
            if made and rng.random() < copy_share:
                text, title = made[-1]["text"], made[-1]["title"]
            else:
                target = rng.randint(MIN_WORDS, MAX_WORDS)
                order = rng.sample(group.sentences, len(group.sentences))
                paragraphs, words, i = [], 0, 0
                while words < target:
                    take = []
                    for _ in range(rng.randint(2, 4)):
                        sentence = order[i % len(order)]
                        if words >= MIN_WORDS and words + len(sentence.split()) > MAX_WORDS:
                            break
                        take.append(sentence)
                        words += len(sentence.split())
                        i += 1
                    if not take:
                        break
                    paragraphs.append(" ".join(rewrite(s) for s in take))
                text = "\n\n".join(paragraphs)
                title = rewrite(rng.choice(group.headlines))
            published = day + dt.timedelta(days=rng.randint(0, 2), minutes=rng.randrange(1440))
            record = {
                "id": art_id, "url": f"https://{slug}.example/news/{story_no}/{k}", "title": title,
                "text": text, "published": published.isoformat() + "Z" if isinstance(published, dt.datetime)
                else dt.datetime.combine(published, dt.time(rng.randrange(24), rng.randrange(60))).isoformat() + "Z",
                "outlet": outlet,
            }
            made.append(record)
            records.append(record)
            gold[art_id] = story
    return records, gold


def write(records: list[dict], gold: dict[str, str], out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    gold_path = out.with_suffix(".gold.json")
    gold_path.write_text(json.dumps(gold), encoding="utf-8")
    return gold_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    records, gold = generate(args.n, args.seed)
    write(records, gold, args.out)
    words = [len(r["text"].split()) for r in records]
    print(f"{len(records)} articles, {len(set(gold.values()))} stories, "
          f"{sum(words) / len(words):.0f} words on average -> {args.out}")


if __name__ == "__main__":
    main()
