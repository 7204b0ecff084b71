"""Differences shown as close calls, not conflicts: one person's name spelled two ways."""

from __future__ import annotations

from test_dossier_trust import _pair_dossier


def test_one_persons_name_spelled_two_ways_is_a_close_call_not_a_conflict():
    d = _pair_dossier(
        "spell", "Governor visits flood zone\n\nGovernor Aleksandr Berzhinsky visited the flooded town of Orvel on "
        "Monday. Berzhinsky promised new dams.",
        "Governor visits flood zone\n\nGovernor Alexandr Berzhinsky visited the flooded town of Orvel on Monday. "
        "Berzhinsky promised new dams.")
    assert not [c for c in d.conflicts if c.kind == "name"]
    calls = [c for c in d.close_calls if c.kind == "name"]
    assert len(calls) == 1 and {v.value for v in calls[0].variants} == {"Aleksandr Berzhinsky", "Alexandr Berzhinsky"}
