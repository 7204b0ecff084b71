"""Paths on disk: walk folders safely and read files within the size limit."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

# Folder walks skip these by name, as they skip hidden files: a project's own notes, not articles.
_DOC_FILE_STEMS = ("readme", "license", "licence", "changelog", "notice")


class PathError(Exception):
    """A path that cannot be read; the message says why."""


def os_reason(exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "no such file or folder"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ELOOP:
        return "too many levels of symbolic links (a link loop)"
    return f"cannot read: {exc.strerror or exc}"


def _skipped_by_walk(name: str) -> bool:
    return name.startswith(".") or name.lower().split(".", 1)[0] in _DOC_FILE_STEMS


def walk(root: Path) -> Iterator[Path | tuple[Path, str]]:
    """Yield the files under `root` in sorted order (recursively), or (path, reason) for a path
    that cannot be walked. Symbolic links to folders are followed once; a link back to a folder
    being walked is reported as a loop, not followed forever. Iterative: any depth is fine."""
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[Path, frozenset[tuple[int, int]], Iterator[str]]] = []
    problem = _enter(root, frozenset(), seen, stack)
    if problem:
        yield root, problem
    while stack:
        folder, ancestors, names = stack[-1]
        name = next(names, None)
        if name is None:
            stack.pop()
            continue
        if _skipped_by_walk(name):
            continue
        child = folder / name
        try:
            mode = child.stat().st_mode
        except OSError as exc:
            yield child, os_reason(exc)
            continue
        if stat.S_ISDIR(mode):
            problem = _enter(child, ancestors, seen, stack)
            if problem:
                yield child, problem
        elif stat.S_ISREG(mode):
            yield child
        # sockets, FIFOs and devices inside a folder are not inputs: skipped


def _enter(
    folder: Path, ancestors: frozenset[tuple[int, int]], seen: set[tuple[int, int]],
    stack: list[tuple[Path, frozenset[tuple[int, int]], Iterator[str]]],
) -> str | None:
    """Push `folder`'s sorted entries on the stack; the reason it cannot be walked, or None."""
    try:
        info = folder.stat()
    except OSError as exc:
        return os_reason(exc)
    key = (info.st_dev, info.st_ino)
    if key in ancestors:
        return f"directory loop: it links back to {os.path.realpath(folder)}"
    if key in seen:
        return None  # the same folder reached twice through links: read it once
    seen.add(key)
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        return os_reason(exc)
    stack.append((folder, ancestors | {key}, iter(names)))
    return None


def open_file(path: Path) -> tuple[BinaryIO, int]:
    """An open binary handle on a regular file and its size; PathError if it cannot be read."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise PathError("is a folder")
        if not stat.S_ISREG(info.st_mode):
            raise PathError("not a regular file (a device, FIFO or socket)")
        return path.open("rb"), info.st_size
    except OSError as exc:
        raise PathError(os_reason(exc)) from None
