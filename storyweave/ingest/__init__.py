"""Stage 1, ingest: turn what a user has (paths, folders, URLs) into RawDocuments.

Readers never interpret content beyond splitting containers into records; cleaning does that.
Every problem becomes an IngestError naming the input, and the batch goes on.

Formats are recognised from content (see `sniff`): gzip (decompressed, then sniffed again),
WARC / WARC.gz, JSON Lines, RSS / Atom / RDF feeds, HTML, and plain text for everything else that
is not binary. Non-UTF-8 text is passed on unchanged; cleaning decodes it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

from ..config import IngestSettings
from ..model import IngestError, RawDocument
from .fetch import FetchError, fetch
from .netpolicy import AddressPolicy, RefusedURL
from .reader import Reader
from .sniff import BadInput, sniff

__all__ = ["AddressPolicy", "BadInput", "FetchError", "RefusedURL", "fetch", "read_bytes", "read_inputs", "sniff"]


def read_inputs(
    inputs: Iterable[str], settings: IngestSettings | None = None
) -> Iterator[RawDocument | IngestError]:
    """Yield one RawDocument per record found in `inputs` (files, folders walked recursively, URLs)."""
    reader = Reader(settings or IngestSettings())
    try:
        for item in inputs:
            try:
                yield from reader.read(item)
            except Exception as exc:  # a reader bug on one input must not end the batch
                yield IngestError(source=item, reason=f"internal error while reading: {type(exc).__name__}: {exc}")
    finally:
        reader.close()


def read_bytes(
    data: bytes, source: str, settings: IngestSettings | None = None, *, url: str | None = None
) -> Iterator[RawDocument | IngestError]:
    """Records in `data` as if read from a file named `source` (for callers that already hold bytes)."""
    reader = Reader(settings or IngestSettings())
    try:
        yield from reader.read_stream(io.BytesIO(data), source, size=len(data), url=url)
    except Exception as exc:  # a reader bug must not cost the caller its other work (a 500)
        yield IngestError(source=source, reason=f"internal error while reading: {type(exc).__name__}: {exc}")
    finally:
        reader.close()
