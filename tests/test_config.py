"""The settings tree: defaults, the environment, and who reads it (CLI, server, stages)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import storyweave
from storyweave import cli
from storyweave.config import DEFAULT_DB, MAX_INPUT_BYTES, VERSION, ClusterSettings, LLMSettings, Settings
from storyweave.dossier.llm import check_sentences
from storyweave.model import Claim, Support


def test_defaults_are_defined_once() -> None:
    s = Settings()
    assert s.db == DEFAULT_DB == s.serve.db
    assert s.ingest.max_bytes == MAX_INPUT_BYTES == s.serve.max_body_bytes
    assert storyweave.__version__ == VERSION and VERSION in s.ingest.user_agent


def test_environment_reaches_every_section(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORYWEAVE_DB", "env.db")
    monkeypatch.setenv("STORYWEAVE_INGEST_MAX_BYTES", "1234")
    monkeypatch.setenv("STORYWEAVE_CLUSTER_THRESHOLD", "0.5")
    monkeypatch.setenv("STORYWEAVE_LLM_API_KEY", "secret")
    monkeypatch.setenv("STORYWEAVE_SERVE_MAX_RECORDS", "7")
    monkeypatch.setenv("STORYWEAVE_EMBEDDING_MODEL", "/models/minilm")
    s = Settings()
    assert (s.db, s.ingest.max_bytes, s.cluster.threshold) == ("env.db", 1234, 0.5)
    assert (s.llm.api_key, s.serve.max_records, s.embedding_model) == ("secret", 7, "/models/minilm")
    assert s.cluster.weights == ClusterSettings().weights  # the rest keeps its defaults
    assert Settings(db="given.db").db == "given.db"  # code wins over the environment
    with pytest.raises(ValueError):
        monkeypatch.setenv("STORYWEAVE_INGEST_MAX_BYTES", "lots")
        Settings()


def test_cli_default_store_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    missing = tmp_path / "from-env.db"
    monkeypatch.setenv("STORYWEAVE_DB", str(missing))
    result = CliRunner().invoke(cli.app, ["articles"])
    assert result.exit_code != 0
    assert "from-env.db" in str(result.exception) + result.output
    assert not missing.exists()  # read-only commands never create a store


def _claim(sentence: str) -> Claim:
    return Claim(text=sentence, status="single-source", support=[Support(article_id="a", sentence=sentence, start=0, end=len(sentence))])


def test_llm_min_word_support_is_honoured() -> None:
    claims = [_claim("The river flooded the old mill on Tuesday.")]
    generated = "The river flooded the old mill and the bakery. [C1]"
    strict = check_sentences(generated, claims, ["a"], LLMSettings(min_word_support=0.9).min_word_support)
    lenient = check_sentences(generated, claims, ["a"], LLMSettings(min_word_support=0.5).min_word_support)
    assert not strict.accepted and "bakery" in strict.rejected[0][1]
    assert [s.text for s in lenient.accepted] == ["The river flooded the old mill and the bakery."]
