"""The learned backup: its shipped encoder and head, its features and its guesses."""
from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from tacitus import classifier, lexicon
from tacitus.nlp import load_nlp

ROOT = Path(__file__).resolve().parents[2]


def items(*texts):
    reporting = lexicon.load().reporting_verbs
    return [(doc[:], classifier.default_anchor(doc[:], reporting)) for doc in load_nlp().pipe(texts)]


def test_head_was_trained_on_the_current_training_sentences():
    digest = hashlib.sha256()
    for path in sorted((ROOT / "tools" / "training").glob("sentences_*.jsonl")):
        digest.update(path.read_bytes())
    with resources.as_file(resources.files("tacitus") / "data" / "models" / "event_head.npz") as f, np.load(f) as head:
        assert str(head["training_sha256"]) == digest.hexdigest(), "retrain: tools/train_event_head.py"
        assert head["weights"].shape == (classifier.FEATURES, len(head["labels"]))


def test_features_have_the_sentence_the_verb_and_the_parse():
    x = classifier.features(items("Kenyan police arrested twelve protesters in Nairobi on Monday."))
    assert x.shape == (1, classifier.FEATURES)
    static, verb, tensor = x[0, :256], x[0, 256:512], x[0, 512:]
    assert np.linalg.norm(static) == pytest.approx(1, abs=1e-3) and np.linalg.norm(verb) == pytest.approx(1, abs=1e-3)
    assert np.abs(tensor).sum() > 0


def test_features_of_a_pipeline_without_token_vectors_are_still_usable():
    import spacy

    doc = spacy.blank("en")("Rebels shelled the town.")
    x = classifier.features([(doc[:], doc[1])])
    assert x.shape == (1, classifier.FEATURES) and not np.abs(x[0, 512:]).any()


@pytest.mark.parametrize("text, expected", [
    ("Rebel fighters pounded army positions near the town.", "ASSAULT"),
    ("The navies of India and France held joint drills in the Arabian Sea.", "COOPERATE"),
    ("Thousands of garment workers marched through the capital demanding higher wages.", "PROTEST"),
])
def test_guesses_on_unseen_sentences(text, expected):
    (probs,) = classifier.predict(items(text))
    assert max(probs, key=probs.get) == expected
    assert sum(probs.values()) == pytest.approx(1)
