"""Plain progress lines (stderr not a terminal): a rate and the time left, not every call."""

from __future__ import annotations

import io
import re
import time

from rich.console import Console

from storyweave import cli


def test_plain_progress_paces_lines_and_estimates_the_time_left(monkeypatch) -> None:
    clock = [100.0]
    monkeypatch.setattr(cli.time, "monotonic", lambda: clock[0])
    out = io.StringIO()
    shown = cli._PlainProgress(Console(file=out, width=200))
    shown.update("read", 0, 300)
    for done, at in ((10, 102.0), (20, 104.0), (50, 110.0), (300, 160.0)):
        clock[0] = at
        shown.update("read", done, 300)
    lines = out.getvalue().splitlines()
    # the calls 2 s and 4 s in are not shown; 10 s in: 50 done at 5/s, 250 left
    assert lines == ["read 50/300 (5.0/s, about 50 s left)", "read 300/300 (5.0/s)"]


def test_a_stage_with_nothing_to_do_prints_nothing() -> None:
    out = io.StringIO()
    shown = cli._PlainProgress(Console(file=out, width=200))
    shown.update("read", 0, 0)
    shown.update("cluster", 0, 0)
    assert out.getvalue() == ""


def test_no_time_left_before_five_percent_is_done(monkeypatch) -> None:
    clock = [0.0]
    monkeypatch.setattr(cli.time, "monotonic", lambda: clock[0])
    out = io.StringIO()
    shown = cli._PlainProgress(Console(file=out, width=200))
    shown.update("cluster", 0, 100)
    clock[0] = 12.0
    shown.update("cluster", 1, 100)  # one placed after a long embedding step: no estimate yet
    clock[0] = 24.0
    shown.update("cluster", 60, 100)
    assert out.getvalue().splitlines() == ["cluster 1/100 (0.1/s)", "cluster 60/100 (2.5/s, about 16 s left)"]


def test_terminal_bars_show_the_stage_its_count_and_a_rate(monkeypatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr(cli, "err", Console(file=out, width=120, force_terminal=True))
    with cli._progress_display(quiet=False) as progress:
        for done in range(0, 201, 20):
            progress("read", done, 200)
            time.sleep(0.01)  # rich's speed needs samples spread over time
    shown = out.getvalue()
    assert "read" in shown and "200/200" in shown
    assert re.search(r"\d[\d,]*\.\d/s", shown), shown[-500:]
