"""Where the reading stage's spaCy time goes: CPU seconds an article for the reader's pipeline
(storyweave.nlp.model.load_pipeline: lemmatizer off, fast tag rules) with all its components and
with some switched off, on newsgen articles; the baseline, in the same run, is all components.
What the rule layers add on top is `read_articles` minus the full pass.

A component's share is what switching it off saves; nothing here changes what the reader reads.
Then the matrix products: the shipped model's pass (all its components) with thinc's default
BLIS against numpy's OpenBLAS on one thread (what the reader loads with: nlp/model.py), on the same
texts, and whether the two give the same tags, arcs, sentences and entities.
Run: python benchmarks/bench_read_parts.py [--n 60] [--seed 7]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    import newsgen

    from storyweave.model import Article
    from storyweave.nlp.model import load_pipeline, one_blas_thread
    from storyweave.nlp.reader import read_articles

    records, _ = newsgen.generate(args.n, args.seed)
    texts = [r["text"] for r in records]
    nlp = load_pipeline()
    list(nlp.pipe(texts[:4]))  # warm up

    def per_article(disable: list[str]) -> float:
        start = time.process_time()
        with nlp.select_pipes(disable=disable), one_blas_thread():
            for _doc in nlp.pipe(texts, batch_size=16):
                pass
        return (time.process_time() - start) / len(texts)

    full = per_article([])
    print(f"{len(texts)} newsgen articles (seed {args.seed}); pipeline {nlp.pipe_names}")
    print(f"baseline, all components: {full:.4f} CPU s an article")
    for label, off in (("without the parser", ["parser", "storyweave_line_breaks"]), ("without NER", ["ner"]),
                       ("tok2vec and tagger only", ["parser", "storyweave_line_breaks", "ner"])):
        got = per_article(off)
        print(f"{label}: {got:.4f} CPU s an article (saves {full - got:.4f}, {100 * (full - got) / full:.0f}%)")
    start = time.process_time()
    for text in texts:
        nlp.make_doc(text)
    print(f"tokenizer alone: {(time.process_time() - start) / len(texts):.4f} CPU s an article")
    compare_blas(texts)
    articles = [Article(id=f"a{i}", source=r["url"], title=r["title"], body=r["text"], raw_sha256=f"{i:064x}")
                for i, r in enumerate(records)]
    start = time.process_time()
    read_articles(articles)
    read = (time.process_time() - start) / len(articles)
    print(f"read_articles (spaCy, title pass and rule layers): {read:.4f} CPU s an article "
          f"(rule layers and title pass about {read - full:.4f})")


def compare_blas(texts: list[str]) -> None:
    import importlib

    from thinc.api import use_ops

    from storyweave.nlp.model import MODEL_PACKAGES, DISABLED_COMPONENTS, one_blas_thread

    def load(**ops: bool):
        for name in MODEL_PACKAGES:
            try:
                module = importlib.import_module(name)
            except ImportError:
                continue
            with use_ops("numpy", **ops):
                return module.load(exclude=list(DISABLED_COMPONENTS))
        raise SystemExit("no spaCy model")

    def run(nlp) -> tuple[float, list]:
        list(nlp.pipe(texts[:4]))
        start = time.process_time()
        with one_blas_thread():
            docs = list(nlp.pipe(texts, batch_size=16))
        spent = (time.process_time() - start) / len(texts)
        return spent, [([(t.tag_, t.dep_, t.head.i, t.is_sent_start) for t in d], [(e.start, e.end, e.label_) for e in d.ents])
                       for d in docs]

    blis_s, blis_out = run(load())
    openblas_s, openblas_out = run(load(use_blis=False))
    differ = sum(a != b for a, b in zip(blis_out, openblas_out))
    print(f"shipped components, BLIS products (thinc's default, the baseline): {blis_s:.4f} CPU s an article; "
          f"numpy's OpenBLAS, one thread: {openblas_s:.4f} ({100 * (blis_s - openblas_s) / blis_s:.0f}% less); "
          f"{differ} of {len(texts)} articles read differently")


if __name__ == "__main__":
    main()
