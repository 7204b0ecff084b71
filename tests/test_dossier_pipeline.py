"""The dossier stage inside the main job: `storyweave run` writes every story's dossier in three
formats plus an index, `storyweave dossier` prints one, and a failing story is reported without
costing the others their dossiers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from storyweave import dossier as dossier_stage
from storyweave import pipeline
from storyweave.cli import app
from storyweave.config import Settings
from storyweave.dossier import dossier_filename, shipped_schema
from storyweave.store import Store

FLOOD_1 = """Flood waters cut off Linden valley

Heavy rain sent the Aster River over its banks on Friday, cutting the only road into the Linden valley, the county emergency office said. About 300 households were without power on Friday night. "We have never seen the river rise this fast," county fire chief Maria Okafor said."""

FLOOD_2 = """Linden valley isolated as Aster River floods

The Aster River burst its banks on Friday after two days of heavy rain and cut the only road into the Linden valley, according to the county emergency office. Around 300 households lost power. "We have never seen the river rise so fast," fire chief Maria Okafor told reporters."""

CHESS = """Teenager wins national chess title

A 15-year-old from Harrowgate won the national chess championship on Sunday after a tense final round against the defending champion. She is the youngest winner in the tournament's history."""


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    root = tmp_path_factory.mktemp("dossier_run")
    inputs = root / "inputs"
    inputs.mkdir()
    for name, text in {"flood1.txt": FLOOD_1, "flood2.txt": FLOOD_2, "chess.txt": CHESS}.items():
        (inputs / name).write_text(text, encoding="utf-8")
    settings = Settings(db=str(root / "sw.db"), out=str(root / "out"))
    report = pipeline.run([str(inputs)], settings)
    return settings, report


def test_run_writes_every_story_in_three_formats_and_an_index(ran):
    settings, report = ran
    out = Path(settings.out)
    assert report.ok, report.failures
    assert report.stories
    schema = shipped_schema()
    index = (out / "index.html").read_text(encoding="utf-8")
    for story in report.stories:
        name = dossier_filename(story.id)
        data = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        jsonschema.validate(data, schema)
        assert data["story"]["id"] == story.id
        assert set(data["story"]["article_ids"]) == {p["article_id"] for p in data["provenance"]}
        assert (out / f"{name}.md").read_text(encoding="utf-8").startswith("# ")
        assert "<style>" in (out / f"{name}.html").read_text(encoding="utf-8")
        assert f'href="{name}.html"' in index
    assert len(re.findall(r"<tr><td><a ", index)) == len(report.stories)


def test_flood_story_has_the_shared_facts_and_the_quote_variant(ran):
    settings, report = ran
    with Store(settings.db) as store:
        by_title = {s.id: s for s in report.stories}
        flood = [s for s in by_title.values() if len(s.article_ids) == 2]
        assert flood, "the clusterer did not group the two flood articles"  # a regression, not a skip
        d = pipeline.story_dossier(store, flood[0])
    corroborated = [c for c in d.claims if c.status == "corroborated"]
    assert any("300" in c.text for c in corroborated)
    quote = [c for c in d.conflicts if c.kind == "quote"]
    assert quote and "Okafor" in quote[0].subject and "'this' vs 'so'" in (quote[0].note or "")


@pytest.mark.slow
def test_cli_prints_one_dossier_in_each_format(ran):
    settings, report = ran
    story = report.stories[0]
    runner = CliRunner()
    as_json = runner.invoke(app, ["dossier", story.id, "--db", settings.db, "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    jsonschema.validate(json.loads(as_json.output), shipped_schema())
    md = runner.invoke(app, ["dossier", story.id, "--db", settings.db, "--format", "md"])
    assert md.exit_code == 0 and md.output.startswith("# ")
    page = runner.invoke(app, ["dossier", story.id, "--db", settings.db, "--format", "html"])
    assert page.exit_code == 0 and page.output.startswith("<!doctype html>")
    missing = runner.invoke(app, ["dossier", "no-such-story", "--db", settings.db])
    assert missing.exit_code == 2


def test_a_failing_story_is_reported_and_the_others_written(ran, tmp_path, monkeypatch):
    settings, report = ran
    bad = report.stories[0]
    real = dossier_stage.build_dossier

    def failing_for_one_story(story, articles, readings, **kw):  # an injected fault, not a stub
        if story.id == bad.id:
            raise ValueError("broken reading")
        return real(story, articles, readings, **kw)

    monkeypatch.setattr(dossier_stage, "build_dossier", failing_for_one_story)
    faults = pipeline.RunReport()
    with Store(settings.db) as store:
        pipeline.write_dossiers(store, report.stories, tmp_path, faults)
    assert [f.source for f in faults.failures] == [f"story {bad.id}"]
    assert "broken reading" in faults.failures[0].reason
    assert not (tmp_path / f"{dossier_filename(bad.id)}.json").exists()
    for story in report.stories[1:]:
        assert (tmp_path / f"{dossier_filename(story.id)}.json").exists()
    assert dossier_filename(bad.id) not in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_dossier_file_names_are_safe():
    assert dossier_filename("../../etc/passwd") == "_.._etc_passwd"
    assert dossier_filename("s_abc123") == "s_abc123"
    assert "/" not in dossier_filename("a/b\\c")


@pytest.mark.slow
def test_a_rerun_repairs_missing_and_truncated_dossier_files(ran, tmp_path):
    settings, report = ran
    import shutil

    out = tmp_path / "out"
    shutil.copytree(settings.out, out)
    names = [dossier_filename(s.id) for s in report.stories]
    originals = {p.name: p.read_bytes() for p in out.iterdir()}
    html = out / f"{names[0]}.html"
    html.write_bytes(html.read_bytes()[: len(html.read_bytes()) // 2])  # a kill mid-write, before this fix
    (out / f"{names[-1]}.md").unlink()
    md = out / f"{names[-1] if len(names) == 1 else names[1]}.md"
    if md.exists():
        md.write_bytes(md.read_bytes()[:-7])
    with Store(settings.db) as store:
        rerun = pipeline.RunReport()
        pipeline.write_dossiers(store, report.stories, out, rerun, changed=set())
    assert {p.name: p.read_bytes() for p in out.iterdir()} == originals
    assert rerun.dossiers_written >= 2


@pytest.mark.slow
def test_dossier_files_are_replaced_whole(ran, tmp_path, monkeypatch):
    settings, report = ran
    import os
    import shutil

    out = tmp_path / "out"
    shutil.copytree(settings.out, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = os.replace

    def killed_at_the_html(src, dst):
        if str(dst).endswith(".html"):
            raise KeyboardInterrupt("killed")  # as a kill between writing and renaming
        return real(src, dst)

    monkeypatch.setattr(os, "replace", killed_at_the_html)
    with Store(settings.db) as store, pytest.raises(KeyboardInterrupt):
        pipeline.write_dossiers(store, report.stories, out, pipeline.RunReport())
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # old files whole, no temp files left
