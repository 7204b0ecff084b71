"""Peak memory and time of `storyweave run` on the issue's bombs, full size, against a one-line
input as the baseline (each run in its own process; peak RSS from getrusage).

Bombs (each about 1 MB gzipped, built here):
  broken-json: one good JSON line, then ~900 MB of broken JSON lines
  blank-lines: one good JSON line, then ~1 GB of blank lines
  long-line:   one good JSON line, then one ~1 GB line
  warc-many:   a WARC.gz of 20,000 tiny non-HTML records, then one HTML response
Before the budgets, broken-json reached 3 GB in 115 s and blank-lines took ~22 min of CPU.
Exits 1 if any bomb's peak is more than --max-extra-mb over the baseline's.

    python benchmarks/bench_budgets.py [--max-extra-mb 150]
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

PAGE = (b"<html><head><title>Ferry fire</title></head><body><article><p>"
        + b"The ferry Marit Olsen caught fire off Riverbend on Sunday, the harbour master said. " * 5
        + b"</p></article></body></html>")
GOOD = json.dumps({"title": "Ferry fire", "text": "The ferry Marit Olsen caught fire on Sunday. " * 5}).encode() + b"\n"

CHILD = """
import resource, sys, time
from storyweave import pipeline
from storyweave.config import Settings
started = time.perf_counter()
report = pipeline.run([sys.argv[1]], Settings(db=sys.argv[2], out=sys.argv[3]))
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
last = report.failures[-1].reason if report.failures else "-"
print(f"{elapsed:.2f}\\t{peak:.0f}\\t{len(report.added)}\\t{len(report.failures)}\\t{last}")
"""


def gzip_stream(parts: list[tuple[bytes, int]]) -> bytes:
    """gzip of each (chunk, times) in order, compressed as a stream (never held decompressed)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    out = io.BytesIO()
    for chunk, times in parts:
        block = chunk * max(1, (1 << 20) // len(chunk))
        per = len(block) // len(chunk)
        left = times
        while left > 0:
            take = min(per, left)
            out.write(packer.compress(block if take == per else chunk * take))
            left -= take
    out.write(packer.flush())
    return out.getvalue()


def warc_bomb() -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for n in range(20_000):
        writer.write_record(writer.create_warc_record(f"urn:x:{n}", "resource", payload=io.BytesIO(b"x"),
                                                      warc_content_type="text/plain"))
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://x.example/", "response",
                                                  payload=io.BytesIO(PAGE),
                                                  http_headers=headers))
    return out.getvalue()


def run(path: Path, work: Path) -> tuple[float, float, int, int, str]:
    db, out = work / f"{path.name}.db", work / f"{path.name}-out"
    done = subprocess.run([sys.executable, "-c", CHILD, str(path), str(db), str(out)],
                          capture_output=True, text=True, check=True, timeout=1800)
    elapsed, peak, added, failures, last = done.stdout.strip().split("\t", 4)
    return float(elapsed), float(peak), int(added), int(failures), last


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-extra-mb", type=float, default=150.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        inputs = {
            "baseline": gzip.compress(GOOD),
            "broken-json": gzip_stream([(GOOD, 1), (b'{"text": "unterminated\n', 40_000_000)]),
            "blank-lines": gzip_stream([(GOOD, 1), (b"\n", 1 << 30)]),
            "long-line": gzip_stream([(GOOD, 1), (b"x", 1 << 30), (b"\n", 1)]),
            "warc-many": warc_bomb(),
        }
        print(f"{'input':<12} {'gzip KB':>8} {'time s':>7} {'peak MB':>8} {'added':>6} {'errors':>7}  last error")
        base_peak = None
        worst = 0.0
        for name, data in inputs.items():
            path = work / (f"{name}.warc.gz" if name.startswith("warc") else f"{name}.jsonl.gz")
            path.write_bytes(data)
            elapsed, peak, added, failures, last = run(path, work)
            if base_peak is None:
                base_peak = peak
            else:
                worst = max(worst, peak - base_peak)
            print(f"{name:<12} {len(data) / 1024:>8.0f} {elapsed:>7.2f} {peak:>8.0f} {added:>6} {failures:>7}  {last[:90]}")
        print(f"worst peak over baseline: {worst:.0f} MB (limit {args.max_extra_mb:.0f} MB)")
        return 0 if worst <= args.max_extra_mb else 1


if __name__ == "__main__":
    sys.exit(main())
