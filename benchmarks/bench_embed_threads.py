"""MiniLM's cost by PyTorch thread count: CPU and wall seconds to embed newsgen sentences in one
batch and in small calls (a dossier's conflict checks embed a few texts a call), one thread
(storyweave's setting, embeddings.TORCH_THREADS) against PyTorch's default, in the same run.

Run: python benchmarks/bench_embed_threads.py [--sentences 400] [--calls 20]
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
    ap.add_argument("--sentences", type=int, default=400)
    ap.add_argument("--calls", type=int, default=20)
    args = ap.parse_args()

    import newsgen
    import torch

    from storyweave.embeddings import embed, load_model

    default = torch.get_num_threads()  # before the model load sets storyweave's own
    records, _ = newsgen.generate(40, 3)
    sentences = [s for r in records for s in r["text"].split(". ")][: args.sentences]
    small = ["soldiers", "troops", "people", "houses", "The army deployed N soldiers to Keswin on Friday."]
    load_model()
    embed(["warm up"])
    print(f"{len(sentences)} newsgen sentences; {args.calls} calls of {len(small)} short texts")
    for threads in (default, 1):
        torch.set_num_threads(threads)
        cpu, wall = time.process_time(), time.perf_counter()
        embed([f"{s} {threads}" for s in sentences])
        batch = (time.process_time() - cpu, time.perf_counter() - wall)
        cpu, wall = time.process_time(), time.perf_counter()
        for i in range(args.calls):
            embed([f"{t} {threads} {i}" for t in small])
        calls = ((time.process_time() - cpu) / args.calls, (time.perf_counter() - wall) / args.calls)
        label = "baseline, PyTorch's default" if threads == default else "storyweave's setting"
        print(f"{threads} thread(s) ({label}): one batch CPU {batch[0]:.1f} s, wall {batch[1]:.1f} s; "
              f"a small call CPU {calls[0]:.3f} s, wall {calls[1]:.3f} s")


if __name__ == "__main__":
    main()
