"""The command hook run when a story gets a new conflict (`storyweave watch --hook`).

The program is an argv list run without a shell; article text never reaches its command line or
environment: the environment names the story and counts, the details go as JSON on stdin.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass

from .model import Conflict, Story

MAX_HOOK_OUTPUT = 64 * 1024


@dataclass(frozen=True)
class HookResult:
    story_id: str
    returncode: int | None  # None: it could not be started or ran past its timeout
    error: str | None = None


def conflict_payload(story: Story, conflicts: list[Conflict]) -> bytes:
    return json.dumps({
        "event": "new_conflicts",
        "story": {"id": story.id, "title": story.title, "articles": story.article_ids},
        "conflicts": [c.model_dump(mode="json") for c in conflicts],
    }, ensure_ascii=False).encode("utf-8")


def run_conflict_hook(argv: list[str], story: Story, conflicts: list[Conflict], timeout_s: float) -> HookResult:
    env = {**os.environ, "STORYWEAVE_EVENT": "new_conflicts", "STORYWEAVE_STORY_ID": story.id,
           "STORYWEAVE_NEW_CONFLICTS": str(len(conflicts))}
    try:
        done = subprocess.run(
            argv, input=conflict_payload(story, conflicts), env=env, shell=False, timeout=timeout_s,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return HookResult(story.id, None, f"{type(exc).__name__}: {exc}")
    error = done.stderr[-MAX_HOOK_OUTPUT:].decode("utf-8", "replace").strip() or None if done.returncode else None
    return HookResult(story.id, done.returncode, error)
