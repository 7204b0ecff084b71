"""The optional language-model summary, against FakeChatServer: a local stand-in for an
OpenAI-compatible endpoint (a fake, named as one) that returns a fixed answer and records what
it was asked. What is tested is ours: the request, and the check of every generated sentence
against the claims it cites."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Self

import pytest
from typer.testing import CliRunner

from storyweave import nlp
from storyweave.cli import app
from storyweave.dossier import render_html, render_markdown
from storyweave.dossier.llm import (
    LLMError,
    LLMSettings,
    check_sentences,
    with_generated_summary,
)
from storyweave.model import (
    Article,
    ArticleRef,
    Claim,
    Dossier,
    RawDocument,
    Story,
    Support,
)
from storyweave.store import Store


def _claim(text: str, *aids: str) -> Claim:
    return Claim(text=text, status="corroborated" if len(aids) > 1 else "single-source",
                 support=[Support(article_id=a, sentence=text, start=0, end=len(text)) for a in aids])


@pytest.fixture()
def dossier() -> Dossier:
    return Dossier(
        story=Story(id="s1", article_ids=["a", "b"]),
        articles=[ArticleRef(id="a"), ArticleRef(id="b")],
        claims=[
            _claim("Officials said 150 residents were evacuated from Millbrook after the dam failed.", "a", "b"),
            _claim("The bridge on Route 9 will reopen in May, the minister said.", "a"),
        ],
    )


class FakeChatServer:
    """A fake OpenAI-compatible /chat/completions endpoint on 127.0.0.1 with a fixed answer."""

    def __init__(self, answer: str | None, status: int = 200):
        """answer None: echo the first claim of the prompt back, cited (a well-behaved model)."""
        outer = self
        self.requests: list[dict] = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length))
                outer.requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
                content = answer
                if content is None:
                    first = body["messages"][-1]["content"].splitlines()[1]  # "[C1] (status, n articles) text"
                    content = first.split(") ", 1)[1] + " [C1]"
                payload = json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]})
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(payload.encode())

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


ANSWER = (
    "About 150 residents were evacuated from Millbrook after the dam failed. [C1] "
    "About 400 residents were evacuated from Millbrook. [C1] "
    "The bridge on Route 9 will reopen in May. [C2] "
    "The mayor blamed the engineers for the disaster. [C1][C2] "
    "The evacuation went smoothly."
)


def test_generated_sentences_are_checked_against_cited_claims(dossier):
    with FakeChatServer(ANSWER) as fake:
        out = with_generated_summary(dossier, LLMSettings(base_url=fake.url, model="m1", api_key="k"))
    (request,) = fake.requests
    assert request["path"] == "/v1/chat/completions" and request["auth"] == "Bearer k"
    assert request["body"]["model"] == "m1"
    prompt = request["body"]["messages"][-1]["content"]
    assert "[C1]" in prompt and "150 residents" in prompt

    accepted = {s.text: s.article_ids for s in out.generated_summary}
    assert accepted == {
        "About 150 residents were evacuated from Millbrook after the dam failed.": ["a", "b"],
        "The bridge on Route 9 will reopen in May.": ["a"],
    }
    rejected = " | ".join(out.generated_rejected)
    assert "400" in rejected  # a number no cited claim states
    assert "blamed" in rejected or "engineers" in rejected  # words no cited claim uses
    assert "cites no claim" in rejected
    assert out.summary == dossier.summary  # the extractive summary is untouched
    assert "Generated summary" in render_markdown(out) and "Generated summary" in render_html(out)


def test_endpoint_errors_are_clear(dossier):
    with FakeChatServer("", status=500) as fake, pytest.raises(LLMError, match="HTTP 500"):
        with_generated_summary(dossier, LLMSettings(base_url=fake.url))
    with pytest.raises(LLMError, match="127.0.0.1:9"):
        with_generated_summary(dossier, LLMSettings(base_url="http://127.0.0.1:9/v1", timeout_s=2))


def test_default_dossier_has_no_generated_summary(dossier):
    assert dossier.generated_summary == [] and dossier.generated_rejected == []


def test_check_ignores_tags_to_claims_that_do_not_exist(dossier):
    checked = check_sentences("Officials said 150 residents were evacuated. [C7]", dossier.claims, ["a", "b"])
    assert not checked.accepted and checked.rejected[0][1] == "cites no claim"


@pytest.mark.slow
def test_cli_dossier_with_llm_url(tmp_path):
    texts = {
        "n1": "Officials said 150 residents were evacuated from Millbrook on Tuesday after the Carver Dam failed.",
        "n2": "Officials said 150 residents had to leave Millbrook on Tuesday when the Carver Dam failed.",
    }
    db = str(tmp_path / "sw.db")
    articles = [Article(id=k, source=k, body=v, raw_sha256=(k * 32)[:64], outlet=f"Outlet {k}") for k, v in texts.items()]
    with Store(db) as store:
        for a in articles:
            store.add_article(RawDocument(source=a.source, data=a.body.encode(), format="text"), a)
        store.put_readings(nlp.read_articles(articles))
        store.save_clustering([Story(id="s_n", article_ids=["n1", "n2"])], [], [], None)
    runner = CliRunner()
    with FakeChatServer(None) as fake:
        result = runner.invoke(app, ["dossier", "s_n", "--db", db, "--llm-url", fake.url])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["generated_summary"] and set(data["generated_summary"][0]["article_ids"]) == {"n1", "n2"}
    plain = runner.invoke(app, ["dossier", "s_n", "--db", db])
    assert json.loads(plain.stdout)["generated_summary"] == []  # off by default
