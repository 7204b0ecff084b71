#!/usr/bin/env python3
"""Score a story dossier's claims, conflicts and provenance against a gold event annotation.

The gold follows GUIDELINE-claims.md. The event's articles come as a JSON object
{SRC: {"title": ..., "outlet": ..., "sentences": [...]}} with the sentences numbered as in the gold.

    python score_claims.py GOLD.json ARTICLES.json DOSSIER.json [--json]

Dossier sentences are matched to gold sentence ids by text (a dossier sentence may cover several
gold sentences, or part of one); dossier articles are matched to gold articles by title, then by
outlet. Figures:
- claim pairs: every pair of support sentences from two different articles in a claim stating a
  shared fact (status corroborated or disputed); right when some gold fact lists both.
- claims: a claim is right when all its pairs are right.
- fact recall: gold facts for which some claim pairs two of its sentences from different articles.
- conflicts: a reported conflict (or a disputed claim) is right when its sentences from two
  articles fall on two different variants of one gold conflict; recall counts the gold conflicts
  so found.
- sources: articles whose primary source (own reporting, or the publication relayed) matches.
- key facts: gold key facts whose sentences some summary sentence cites.
- speakers (when the gold has `quotes`): gold quote sentences that some dossier quote appears in
  (found), and of those, the share whose dossier speaker contains the gold speaker's last name.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from itertools import combinations

# storyweave's copy of ../shared/gold/score_claims.py with one correction, marked CORRECTED below:
# an article is matched by title only when no other article of the event has the same title
# (after case folding); otherwise by outlet. The shared scorer maps two articles titled
# "Ellen DeGeneres To Host Oscars" and "Ellen DeGeneres to Host Oscars" to the same gold
# article, so every sentence of the second is unmatched and its right pairs count as wrong.


def norm(s: str | None) -> str:
    s = (s or "").lower()
    s = re.sub(r"[\u2018\u2019\u201a\u201b`´]", "'", s)
    s = re.sub(r"[\u201c\u201d\u201e\u201f]", '"', s)
    s = re.sub(r"[\u2010-\u2015]", "-", s)
    return re.sub(r"\s+", " ", s).strip()


def words(s: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", norm(s)))


def name(s: str | None) -> str:
    return re.sub(r"^the ", "", norm(s)).replace(".", "")


class Event:
    def __init__(self, gold: dict, articles: dict):
        self.gold = gold
        self.articles = articles
        self.sents = {(src, i): norm(t) for src, a in articles.items() for i, t in enumerate(a["sentences"])}
        self.fact_sets = [self._ids(f["sentences"]) for f in gold.get("facts", [])]
        self.conflicts = [[self._ids(v["sentences"]) for v in c["variants"]] for c in gold.get("conflicts", [])]

    @staticmethod
    def _ids(ids: list[str]) -> set[tuple[str, int]]:
        out = set()
        for x in ids:
            src, n = x.rsplit(":", 1)
            out.add((src, int(n)))
        return out

    def map_article(self, art: dict) -> str | None:
        t = norm(art.get("title"))
        same_title = [src for src, a in self.articles.items() if t and t == norm(a.get("title"))]
        if len(same_title) == 1:  # CORRECTED: was the first of several same-titled articles
            return same_title[0]
        o = name(art.get("outlet"))
        hits = [src for src, a in self.articles.items() if o and o == name(a.get("outlet"))]
        return hits[0] if len(hits) == 1 else None

    def match(self, src: str | None, sentence: str) -> set[tuple[str, int]]:
        """Gold sentence ids of article `src` that this dossier sentence covers (or is part of)."""
        s = norm(sentence)
        if not s or src is None:
            return set()
        out = set()
        sw = words(s)
        for (a, i), g in self.sents.items():
            if a != src or not g:
                continue
            if (len(g) >= 15 and g in s) or (len(s) >= 15 and s in g):
                out.add((a, i))
            else:
                gw = words(g)
                if gw and sw and len(gw & sw) / len(gw | sw) >= 0.6:
                    out.add((a, i))
        return out


def score(gold: dict, articles: dict, dossier: dict) -> dict:
    ev = Event(gold, articles)
    src_of = {str(a["id"]): ev.map_article(a) for a in dossier.get("articles", [])}

    def ids_of(sup: dict) -> tuple[str | None, set]:
        src = src_of.get(str(sup.get("article_id")))
        return src, ev.match(src, sup.get("sentence") or "")

    pairs = right_pairs = unmatched = 0
    claims = right_claims = 0
    found_facts: set[int] = set()
    wrong_examples = []
    disputed = right_disputed = 0
    found_conf: set[int] = set()

    def conflict_hit(groups: list[tuple[str | None, set]]) -> int | None:
        for k, variants in enumerate(ev.conflicts):
            for (sa, ia), (sb, ib) in combinations(groups, 2):
                if sa == sb:
                    continue
                for x, y in combinations(range(len(variants)), 2):
                    if (ia & variants[x] and ib & variants[y]) or (ia & variants[y] and ib & variants[x]):
                        return k
        return None

    for c in dossier.get("claims", []):
        if c.get("status") not in ("corroborated", "disputed"):
            continue
        sup = [ids_of(s) for s in c.get("support", [])]
        if any(not ids for _, ids in sup):
            unmatched += 1
            sup = [x for x in sup if x[1]]
        claim_pairs = [(a, b) for a, b in combinations(sup, 2) if a[0] != b[0]]
        if not claim_pairs:
            continue
        claims += 1
        ok_all = True
        for (_sa, ia), (_sb, ib) in claim_pairs:
            pairs += 1
            hit = [k for k, f in enumerate(ev.fact_sets) if ia & f and ib & f]
            if hit:
                right_pairs += 1
                found_facts.update(hit)
            else:
                ok_all = False
        right_claims += ok_all
        if not ok_all and len(wrong_examples) < 5:
            wrong_examples.append(c.get("text", "")[:120])
        if c.get("status") == "disputed":
            disputed += 1
            k = conflict_hit(sup)
            if k is not None:
                right_disputed += 1
                found_conf.add(k)

    reported = right_reported = 0
    for c in dossier.get("conflicts", []):
        groups = []
        for v in c.get("variants", []):
            for aid in v.get("article_ids", []):
                src = src_of.get(str(aid))
                groups.append((src, ev.match(src, v.get("sentence") or "")))
        reported += 1
        k = conflict_hit(groups)
        if k is not None:
            right_reported += 1
            found_conf.add(k)

    facts_multi = [k for k, f in enumerate(ev.fact_sets) if len({a for a, _ in f}) >= 2]

    src_total = src_right = 0
    outlet_of = {src: a.get("outlet") for src, a in articles.items()}
    for p in dossier.get("provenance", []):
        src = src_of.get(str(p.get("article_id")))
        g = gold.get("sources", {}).get(src) if src else None
        if not g:
            continue
        src_total += 1
        own = p.get("relation") == "own-reporting" or name(p.get("primary_source")) == name(outlet_of.get(src))
        prim = g.get("primary")
        wants = {name(x) for x in (prim if isinstance(prim, list) else [prim])}  # a list: any of them is right
        src_right += ("own reporting" in wants) if own else (name(p.get("primary_source")) in wants)

    key = [f for f in gold.get("facts", []) if f["fact"] in set(gold.get("key_facts", []))]
    key_hit = 0
    summary_ids: set = set()
    for s in dossier.get("summary", []):
        for sup in s.get("support", []):
            summary_ids |= ids_of(sup)[1]
    for f in key:
        key_hit += bool(Event._ids(f["sentences"]) & summary_ids)

    q_total = q_found = q_right = 0
    appear: dict = {}
    for q in dossier.get("quotes", []):
        for v in q.get("variants", []):
            for ap in v.get("appearances", []):
                src = src_of.get(str(ap.get("article_id")))
                for gid in ev.match(src, ap.get("sentence") or ""):
                    appear.setdefault(gid, []).append(norm(q.get("speaker")))
    for gq in gold.get("quotes", []):
        q_total += 1
        got = appear.get(next(iter(Event._ids([gq["sentence"]]))), [])
        if got:
            q_found += 1
            last = (norm(gq.get("speaker")).split() or [""])[-1]
            q_right += any(last and last in sp for sp in got)

    def ratio(a, b):
        return round(a / b, 3) if b else None

    return {
        "claim_pairs": pairs, "claim_pair_precision": ratio(right_pairs, pairs),
        "claims": claims, "claim_precision": ratio(right_claims, claims),
        "facts": len(facts_multi), "fact_recall": ratio(len(found_facts & set(facts_multi)), len(facts_multi)),
        "conflicts_reported": reported, "conflict_precision": ratio(right_reported, reported),
        "disputed": disputed, "disputed_precision": ratio(right_disputed, disputed),
        "gold_conflicts": len(ev.conflicts), "conflict_recall": ratio(len(found_conf), len(ev.conflicts)),
        "sources": src_total, "source_accuracy": ratio(src_right, src_total),
        "key_facts": len(key), "key_fact_recall": ratio(key_hit, len(key)),
        "quotes": q_total, "quote_recall": ratio(q_found, q_total), "speaker_accuracy": ratio(q_right, q_found),
        "claims_with_unmatched_sentences": unmatched,
        "articles_unmatched": sorted(k for k, v in src_of.items() if v is None),
        "wrong_claims_examples": wrong_examples,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name in ("gold", "articles", "dossier"):
        ap.add_argument(name)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    load = lambda p: json.load(open(p, encoding="utf-8"))
    r = score(load(a.gold), load(a.articles), load(a.dossier))
    if a.json:
        print(json.dumps(r, indent=2))
    else:
        for k, v in r.items():
            print(f"{k:32s} {v}")


if __name__ == "__main__":
    sys.exit(main())
