"""Check that each event's gold.json is well formed against its articles.json.

Every sentence id must exist, every fact must be stated by two or more articles, every conflict
needs two variants from different articles, every article needs a source, key facts must name
facts. Prints one line per problem; exit 1 if any.

Run: python benchmarks/gold/check_gold.py [EVENT_FOLDER...]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def problems(folder: Path) -> list[str]:
    arts = json.loads((folder / "articles.json").read_text(encoding="utf-8"))
    gold_file = folder / "gold.json"
    if not gold_file.exists():
        return ["no gold.json"]
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    out: list[str] = []

    def check(sid: str, where: str) -> str | None:
        src, _, n = sid.rpartition(":")
        if src not in arts or not n.isdigit() or int(n) >= len(arts[src]["sentences"]):
            out.append(f"{where}: no sentence {sid}")
            return None
        return src

    for k in ("event", "articles", "facts", "conflicts", "sources", "key_facts"):
        if k not in gold:
            out.append(f"missing key {k}")
    for i, f in enumerate(gold.get("facts", [])):
        srcs = {check(s, f"fact {i}") for s in f.get("sentences", [])}
        if len(srcs - {None}) < 2:
            out.append(f"fact {i} ({f.get('fact', '')[:50]}) has fewer than two articles")
    for i, c in enumerate(gold.get("conflicts", [])):
        vs = c.get("variants", [])
        srcs = [{check(s, f"conflict {i}") for s in v.get("sentences", [])} - {None} for v in vs]
        if len(vs) < 2 or len(set().union(*srcs)) < 2:
            out.append(f"conflict {i} needs two variants from different articles")
    for src in arts:
        if src not in gold.get("sources", {}):
            out.append(f"no source for article {src}")
    for src, s in gold.get("sources", {}).items():
        for e in s.get("evidence", []):
            check(e, f"source {src}")
    for q in gold.get("quotes", []):
        check(q.get("sentence", ""), "quote")
        if not q.get("speaker"):
            out.append(f"quote {q.get('sentence')} has no speaker")
    facts = {f["fact"] for f in gold.get("facts", [])}
    for k in gold.get("key_facts", []):
        if k not in facts:
            out.append(f"key fact not among facts: {k[:60]}")
    return out


def main(argv: list[str]) -> int:
    folders = [Path(a) for a in argv] or sorted((HERE / "events").iterdir())
    bad = 0
    for folder in folders:
        for p in problems(folder):
            print(f"{folder.name}: {p}")
            bad += 1
    print(f"{len(folders)} events, {bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
