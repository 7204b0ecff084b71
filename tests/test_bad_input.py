"""Every kind of bad input gets one clear error naming it; the batch goes on; nothing stored is touched."""

from __future__ import annotations

import gzip
import io
import os
import sqlite3
import struct
import subprocess
import sys
import tracemalloc
import zlib
from pathlib import Path

import pytest

from storyweave.config import IngestSettings
from storyweave.ingest import read_inputs
from storyweave.model import IngestError, RawDocument

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ARTICLE = (EXAMPLES / "daily-ledger-ferry-fire.txt").read_bytes()


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def zip_bytes() -> bytes:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("story.txt", ARTICLE)
    return buf.getvalue()


def one_error(path: Path, **settings: object) -> IngestError:
    items = list(read_inputs([str(path)], IngestSettings(**settings)))
    assert len(items) == 1 and isinstance(items[0], IngestError), items
    assert items[0].source == str(path)
    return items[0]


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b" \n\t\r\n ", "empty file (only whitespace)"),
        ("photo.txt", png_bytes(), "not text: a PNG image"),
        ("scan.html", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)), "not text: a JPEG image"),
        ("paper.txt", pdf_bytes(), "not text: a PDF document"),
        ("bundle.jsonl", zip_bytes(), "not text: a ZIP archive"),
        ("blob", bytes(range(256)) * 4, "binary data (it contains NUL bytes)"),
        ("dump.json", b'{\n  "articles": [1, 2]\n}\n', "a JSON document, not JSON Lines"),
    ],
)
def test_bad_file_gets_one_clear_error(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert reason in one_error(path).reason


def test_truncated_gzip(tmp_path: Path) -> None:
    data = gzip.compress(ARTICLE * 20)
    path = tmp_path / "story.txt.gz"
    path.write_bytes(data[: len(data) // 2])
    assert one_error(path).reason.startswith("truncated gzip")


def test_corrupt_gzip(tmp_path: Path) -> None:
    data = bytearray(gzip.compress(ARTICLE))
    data[20:40] = b"\xff" * 20
    path = tmp_path / "story.gz"
    path.write_bytes(bytes(data))
    assert "gzip" in one_error(path).reason


def test_over_the_size_limit_says_size_and_limit_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.write(ARTICLE * 10)  # a text head, then 3 GB on paper (sparse: no disk used)
        handle.truncate(3 * 1024**3)
    tracemalloc.start()
    try:
        err = one_error(path, max_bytes=1_000_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert err.reason == f"too large: {3 * 1024**3} bytes, over the limit of 1000000 bytes"
    assert peak < 1_000_000  # refused from its size, after a look at its head only


def test_missing_path(tmp_path: Path) -> None:
    assert one_error(tmp_path / "nowhere.txt").reason == "no such file or folder"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_bytes(ARTICLE)
    path.chmod(0)
    assert one_error(path).reason == "permission denied"


def test_unreadable_file_inside_a_folder_does_not_stop_the_walk(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(ARTICLE)
    os.symlink(tmp_path / "gone.txt", tmp_path / "b-dangling.txt")
    (tmp_path / "c.txt").write_bytes(ARTICLE + b"!")
    items = list(read_inputs([str(tmp_path)]))
    assert [type(i).__name__ for i in items] == ["RawDocument", "IngestError", "RawDocument"]
    assert items[1].source == str(tmp_path / "b-dangling.txt")


def test_fifo_is_refused_without_blocking_and_skipped_in_a_walk(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # opening it for reading would block until a writer came
    assert one_error(fifo).reason.startswith("not a regular file")
    (tmp_path / "story.txt").write_bytes(ARTICLE)
    assert [type(i).__name__ for i in read_inputs([str(tmp_path)])] == ["RawDocument"]


def test_a_folder_named_with_a_file_path_inside_a_file(tmp_path: Path) -> None:
    (tmp_path / "plain.txt").write_bytes(ARTICLE)
    assert "cannot read" in one_error(tmp_path / "plain.txt" / "child.txt").reason


def test_symlink_loop_file(tmp_path: Path) -> None:
    os.symlink(tmp_path / "x", tmp_path / "y")
    os.symlink(tmp_path / "y", tmp_path / "x")
    assert "link loop" in one_error(tmp_path / "x").reason


def test_non_utf8_text_is_not_an_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    data = "Kellby — le ferry a été évacué; 120 passagers à bord.".encode("latin-1", "replace")
    path.write_bytes(data)
    (doc,) = read_inputs([str(path)])
    assert isinstance(doc, RawDocument) and doc.data == data


# -- end to end, through the real command ---------------------------------------------------------


def storyweave(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "storyweave.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=600, check=False,
    )


def snapshot(db: Path) -> tuple[list[tuple], list[tuple]]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        raws = conn.execute("SELECT sha256, source, data FROM raw_documents ORDER BY sha256").fetchall()
        arts = conn.execute("SELECT id, raw_sha256, doc FROM articles ORDER BY id").fetchall()
    return raws, arts


def write_bad_inputs(folder: Path) -> list[Path]:
    folder.mkdir()
    bad = {
        "01-empty.txt": b"",
        "02-photo.jpg.txt": png_bytes(),
        "03-cut.txt.gz": gzip.compress(ARTICLE * 10)[:200],
        "04-huge.txt": b"x" * 300_000,
        "05-latin1-ok.txt": "Le ferry Marit Olsen a été évacué samedi sur le lac Tessmer.".encode("latin-1"),
    }
    for name, data in bad.items():
        (folder / name).write_bytes(data)
    return [folder / name for name in bad]


@pytest.mark.slow
def test_bad_batch_reports_each_failure_once_goes_on_and_leaves_the_store_untouched(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    first = storyweave("run", str(EXAMPLES), "--db", str(db), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    before = snapshot(db)
    assert len(before[1]) == 5

    bad = write_bad_inputs(tmp_path / "bad")
    missing = tmp_path / "missing.txt"
    second = storyweave(
        "run", str(tmp_path / "bad"), str(missing), str(EXAMPLES), "--db", str(db),
        "--out", str(tmp_path / "out"), "--max-bytes", "200000", cwd=tmp_path,
    )
    assert second.returncode == 1
    error_lines = [line for line in second.stderr.splitlines() if line.startswith("error ")]
    expected = {
        str(bad[0]): "empty file",
        str(bad[1]): "PNG image",
        str(bad[2]): "truncated gzip",
        str(bad[3]): "over the limit of 200000 bytes",
        str(missing): "no such file",
    }
    assert len(error_lines) == len(expected), second.stderr
    for source, reason in expected.items():
        (line,) = [line for line in error_lines if line.startswith(f"error {source}: ")]
        assert reason in line
    assert "5 failed" in second.stdout and "1 new articles" in second.stdout  # the latin-1 file went on

    after_raws, after_arts = snapshot(db)
    assert set(before[0]) <= set(after_raws) and set(before[1]) <= set(after_arts)
    assert len(after_arts) == 6


@pytest.mark.slow
def test_html_page_of_only_scripts_is_refused_by_clean_end_to_end(tmp_path: Path) -> None:
    page = tmp_path / "app.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>App</title><script>var config = {a: 1};</script></head>"
        "<body><div id='root'></div><script src='/bundle.js'></script>"
        "<script>window.__STATE__ = {\"articles\": []}; render(document.getElementById('root'));</script>"
        "<noscript>Please enable JavaScript.</noscript></body></html>"
    )
    result = storyweave("run", str(page), "--db", str(tmp_path / "s.db"), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("error ")]
    assert len(lines) == 1, result.stderr
    line = lines[0]
    reason = line.removeprefix(f"error {page}: ")
    assert reason != line and reason.startswith("no ") and ("text" in reason or "content" in reason)


def test_a_file_under_an_unsearchable_folder_is_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """stat() of a path below a folder without search (x) permission fails with EACCES; as root
    that cannot be arranged, so the failure is injected where the reader first meets it."""
    import errno

    target = tmp_path / "locked" / "story.txt"
    real = Path.is_dir

    def no_search(self: Path) -> bool:
        if self == target:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "is_dir", no_search)
    (err,) = read_inputs([str(target)])
    assert isinstance(err, IngestError) and err.reason == "permission denied"
