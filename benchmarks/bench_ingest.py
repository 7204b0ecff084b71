"""Ingest reader throughput on real data, against the plainest possible reader as the baseline.

Inputs (from ../shared/bench): the 181 gzipped news pages of aeb/html as a folder, the same pages
packed into one WARC.gz (written here with warcio), and ecbplus.jsonl (982 records).
Baseline, measured in the same run: read each file with Path.read_bytes + gzip.decompress, split the
JSONL with json.loads per line, iterate the WARC with warcio and read each payload: no sniffing,
no limits, no error handling. The difference is what content sniffing, limits and checks cost.

    python benchmarks/bench_ingest.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyweave.config import IngestSettings
from storyweave.ingest import read_inputs
from storyweave.model import RawDocument

BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench"


def write_warc(pages: list[Path], target: Path) -> None:
    with target.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for page in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"https://bench.example/{page.name}", "response",
                payload=io.BytesIO(gzip.decompress(page.read_bytes())), http_headers=headers,
            ))


def baseline_folder(folder: Path) -> int:
    return sum(1 for p in sorted(folder.iterdir()) if gzip.decompress(p.read_bytes()))


def baseline_jsonl(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip() and json.loads(line))


def baseline_warc(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for r in ArchiveIterator(handle) if r.rec_type == "response" and r.content_stream().read())


def ours(path: Path) -> int:
    count = 0
    for item in read_inputs([str(path)], IngestSettings()):
        assert isinstance(item, RawDocument), item
        count += 1
    return count


def best_rate(fn: Callable[[Path], int], arg: Path, repeat: int) -> tuple[int, float]:
    best = float("inf")
    count = 0
    for _ in range(repeat):
        started = time.perf_counter()
        count = fn(arg)
        best = min(best, time.perf_counter() - started)
    return count, count / best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    html_dir, jsonl = BENCH / "aeb" / "html", BENCH / "ecbplus" / "ecbplus.jsonl"
    if not html_dir.is_dir() or not jsonl.is_file():
        print(f"benchmark data absent under {BENCH}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        warc = Path(tmp) / "aeb.warc.gz"
        write_warc(sorted(html_dir.iterdir()), warc)
        cases = [
            ("folder of .html.gz", html_dir, baseline_folder),
            ("JSON Lines", jsonl, baseline_jsonl),
            ("WARC.gz", warc, baseline_warc),
        ]
        print(f"{'input':<20}{'records':>9}{'baseline rec/s':>16}{'ingest rec/s':>14}{'ratio':>8}")
        for name, path, baseline in cases:
            base_n, base_rate = best_rate(baseline, path, args.repeat)
            our_n, our_rate = best_rate(ours, path, args.repeat)
            assert base_n == our_n, (name, base_n, our_n)
            print(f"{name:<20}{our_n:>9}{base_rate:>16.0f}{our_rate:>14.0f}{our_rate / base_rate:>8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
