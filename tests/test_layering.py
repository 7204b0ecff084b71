"""The layering the README describes, checked on the imports: stages talk only through the model,
the pipeline is the one joiner, and the top-level modules import each other without a cycle."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "storyweave"
STAGES = {"ingest", "clean", "nlp", "cluster", "compare", "dossier"}
# What every stage may import besides the model: settings, the embedder, time-spec parsing.
SHARED = {"model", "config", "embeddings", "timespec"}
ALLOWED = {stage: SHARED for stage in STAGES} | {"dossier": SHARED | {"compare"}, "model": set()}


def _unit(parts: tuple[str, ...]) -> str:
    """The top-level module or package a path inside storyweave/ belongs to."""
    return parts[0].removesuffix(".py")


def _imports() -> dict[str, set[str]]:
    """Top-level unit -> the other top-level units it imports."""
    edges: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).parts
        here = _unit(parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[list[str]] = []
            if isinstance(node, ast.ImportFrom) and node.level:
                folder = list(parts[: len(parts) - node.level])  # the package `from .` / `from ..` names
                base = folder + (node.module.split(".") if node.module else [])
                targets = [base] if node.module else [base + [alias.name] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module == "storyweave":
                targets = [[alias.name] for alias in node.names]  # from storyweave import store
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("storyweave."):
                targets = [(node.module or "").split(".")[1:]]
            elif isinstance(node, ast.Import):
                targets = [a.name.split(".")[1:] for a in node.names if a.name.startswith("storyweave.")]
            for target in targets:
                if target and _unit(tuple(target)) != here:
                    edges[here].add(_unit(tuple(target)))
    return edges


def test_the_import_reader_sees_the_known_edges() -> None:
    edges = _imports()
    assert "model" in edges["clean"] and "compare" in edges["dossier"] and "store" in edges["pipeline"]


def test_stages_import_only_the_model_and_shared_settings() -> None:
    edges = _imports()
    for unit, allowed in ALLOWED.items():
        assert edges.get(unit, set()) <= allowed, f"{unit} imports {sorted(edges[unit] - allowed)}"


def test_no_import_cycle_between_top_level_modules() -> None:
    edges = _imports()
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(unit: str, path: list[str]) -> None:
        state[unit] = 1
        for nxt in sorted(edges.get(unit, ())):
            assert state.get(nxt) != 1, "import cycle: " + " -> ".join([*path, unit, nxt])
            if nxt not in state:
                visit(nxt, [*path, unit])
        state[unit] = 2

    for unit in sorted(edges):
        if unit not in state:
            visit(unit, [])
