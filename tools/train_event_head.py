"""Train the event-type head that backs up the trigger lexicon.

Offline tool, not shipped: parses the team-written sentences in tools/training/*.jsonl with the
pipeline's spaCy model, computes the classifier's features (tacitus/classifier.py: static vectors
of the sentence and its anchor verb, spaCy's token vectors) and fits a softmax regression (numpy,
L2, Adam). Writes tacitus/data/models/event_head.npz with the weights, the labels and the hash of
the training data. Never train on ../shared/gold or tests/data: those measure.

    .venv/bin/python tools/train_event_head.py [--epochs 1500] [--l2 1e-5]
"""
from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
TRAINING = sorted((ROOT / "tools" / "training").glob("sentences_*.jsonl"))
OUT = ROOT / "tacitus" / "data" / "models" / "event_head.npz"


def load() -> tuple[list[str], list[str], str]:
    texts, labels, digest = [], [], hashlib.sha256()
    for path in TRAINING:
        digest.update(path.read_bytes())
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            texts.append(row["text"])
            labels.append(row["type"])
    return texts, labels, digest.hexdigest()


def features(texts: list[str]) -> np.ndarray:
    """The classifier's features, anchored as the events stage anchors them; a text of several
    sentences is represented by its longest (the coder asks one sentence at a time)."""
    from tacitus import lexicon
    from tacitus.classifier import default_anchor, features as classifier_features
    from tacitus.nlp import load_nlp

    reporting = lexicon.load().reporting_verbs
    items = []
    for doc in load_nlp().pipe(texts, batch_size=64):
        sentences = list(doc.sents)
        span = doc[:] if len(sentences) == 1 else max(sentences, key=len)
        items.append((span, default_anchor(span, reporting)))
    return classifier_features(items)


def fit(x: np.ndarray, y: np.ndarray, n_classes: int, *, epochs: int, l2: float, lr: float = 0.05):
    w = np.zeros((x.shape[1], n_classes))
    b = np.zeros(n_classes)
    m_w, v_w = np.zeros_like(w), np.zeros_like(w)
    for step in range(1, epochs + 1):
        z = x @ w + b
        z -= z.max(1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(1, keepdims=True)
        p[np.arange(len(y)), y] -= 1.0
        grad_w = x.T @ p / len(y) + l2 * w
        grad_b = p.mean(0)
        m_w = 0.9 * m_w + 0.1 * grad_w
        v_w = 0.999 * v_w + 0.001 * grad_w ** 2
        w -= lr * (m_w / (1 - 0.9 ** step)) / (np.sqrt(v_w / (1 - 0.999 ** step)) + 1e-8)
        b -= lr * grad_b
    return w, b


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=1500)
    parser.add_argument("--l2", type=float, default=1e-5)
    args = parser.parse_args()
    texts, labels, digest = load()
    classes = sorted(set(labels))
    x = features(texts).astype(np.float64)
    y = np.array([classes.index(label) for label in labels])
    w, b = fit(x, y, len(classes), epochs=args.epochs, l2=args.l2)
    accuracy = float(((x @ w + b).argmax(1) == y).mean())
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, weights=w.astype(np.float32), bias=b.astype(np.float32), labels=np.array(classes),
                        training_sha256=np.array(digest), n_examples=np.array(len(texts)))
    print(f"{len(texts)} sentences, {len(classes)} labels, training accuracy {accuracy:.3f} -> {OUT}")


if __name__ == "__main__":
    main()
