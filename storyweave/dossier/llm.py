"""Optional abstractive summary from an OpenAI-compatible chat endpoint. Off by default.

The model sees only the dossier's claims, numbered, and must end every sentence with the claims
it rests on ("[C2][C5]"). Each generated sentence is then checked against the sentences of the
claims it cites: it must cite at least one real claim, every number it states must appear in
them, and nearly all its content words must too. Sentences that fail are dropped and reported,
never shown as the dossier's word. Article text is sent to the endpoint the user names, and
nowhere else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import httpx

from ..compare import content_terms, normalise, numbers_in
from ..config import LLMSettings
from ..model import Claim, Dossier, SummarySentence

MAX_CLAIMS = 20
MAX_RESPONSE_CHARS = 8000
_TAG = re.compile(r"\[C(\d+)\]")
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+|$)(?:\s*(?:\[C\d+\])+)?")


class LLMError(RuntimeError):
    """The endpoint could not be used (unreachable, an error status, an unreadable answer)."""


@dataclass
class CheckedSummary:
    accepted: list[SummarySentence] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (sentence, why)


def _claims_for_prompt(dossier: Dossier) -> list[Claim]:
    ranked = sorted(dossier.claims, key=lambda c: (-len({s.article_id for s in c.support}), c.status == "disputed"))
    return ranked[:MAX_CLAIMS]


def build_messages(claims: list[Claim], max_sentences: int) -> list[dict[str, str]]:
    lines = [f"[C{i + 1}] ({c.status}, {len({s.article_id for s in c.support})} articles) {normalise(c.text)}" for i, c in enumerate(claims)]
    return [
        {"role": "system", "content": (
            "You summarise news claims. Use only facts stated in the numbered claims. Write at most "
            f"{max_sentences} short sentences. End every sentence with the tags of the claims it "
            "rests on, like [C1][C3]. Do not add facts, names, numbers or opinions."
        )},
        {"role": "user", "content": "Claims:\n" + "\n".join(lines)},
    ]


def check_sentences(
    text: str, claims: list[Claim], article_order: list[str],
    min_word_support: float = LLMSettings().min_word_support,
) -> CheckedSummary:
    """Keep only generated sentences that their cited claims support."""
    out = CheckedSummary()
    for m in _SENTENCE.finditer(text[:MAX_RESPONSE_CHARS]):
        raw = m.group().strip()
        if not raw:
            continue
        tags = [int(t) for t in _TAG.findall(raw)]
        sentence = normalise(_TAG.sub("", raw))
        if not sentence:
            continue
        cited = [claims[t - 1] for t in tags if 1 <= t <= len(claims)]
        if not cited:
            out.rejected.append((sentence, "cites no claim"))
            continue
        evidence = " ".join(s.sentence for c in cited for s in c.support)
        missing_numbers = numbers_in(sentence) - numbers_in(evidence)
        if missing_numbers:
            out.rejected.append((sentence, f"numbers no cited claim states: {', '.join(sorted(missing_numbers))}"))
            continue
        words = set(content_terms(sentence))
        known = set(content_terms(evidence))
        if words and len(words & known) / len(words) < min_word_support:
            out.rejected.append((sentence, f"words no cited claim uses: {', '.join(sorted(words - known)[:6])}"))
            continue
        ids = {s.article_id for c in cited for s in c.support}
        out.accepted.append(SummarySentence(
            text=sentence,
            article_ids=[a for a in article_order if a in ids] + sorted(ids - set(article_order)),
            support=[s for c in cited for s in c.support],
        ))
    return out


def generated_summary(dossier: Dossier, settings: LLMSettings, client: httpx.Client | None = None) -> CheckedSummary:
    """Ask the endpoint for a summary of the dossier's claims and keep what the claims support."""
    claims = _claims_for_prompt(dossier)
    if not claims:
        return CheckedSummary()
    headers = {"Authorization": f"Bearer {settings.api_key}"} if settings.api_key else {}
    body = {"model": settings.model, "messages": build_messages(claims, settings.max_sentences), "temperature": 0}
    url = settings.base_url.rstrip("/") + "/chat/completions"
    own = client is None
    http = client or httpx.Client(timeout=settings.timeout_s)
    try:
        response = http.post(url, json=body, headers=headers)
    except httpx.HTTPError as exc:
        raise LLMError(f"{url}: {type(exc).__name__}: {exc}") from exc
    finally:
        if own:
            http.close()
    if response.status_code != 200:
        raise LLMError(f"{url}: HTTP {response.status_code}: {response.text[:200]}")
    try:
        text = response.json()["choices"][0]["message"]["content"]
        if not isinstance(text, str):
            raise TypeError("content is not text")
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise LLMError(f"{url}: not an OpenAI-style chat completion ({exc})") from exc
    checked = check_sentences(text, claims, [a.id for a in dossier.articles], settings.min_word_support)
    checked.accepted = checked.accepted[: settings.max_sentences]
    return checked


def with_generated_summary(dossier: Dossier, settings: LLMSettings, client: httpx.Client | None = None) -> Dossier:
    """The dossier with `generated_summary` filled (the extractive summary stays as it is)."""
    checked = generated_summary(dossier, settings, client)
    return dossier.model_copy(update={
        "generated_summary": checked.accepted,
        "generated_rejected": [f"{s} ({why})" for s, why in checked.rejected],
    })
