"""Train the verifier (tacitus/stages/events/verifier.py) on the team's own (sentence, trigger) examples.

Offline tool, not shipped. Reads tools/training/verifier/*.jsonl (each line: text, trigger, type or
null, modality) and the older sentence-level set tools/training/sentences_*.jsonl (the sentence's
main verb as trigger), parses them with the pipeline's spaCy model, computes the verifier's
features and fits two softmax heads (type + NONE, modality) with numpy (L2, Adam). A tenth of the
training rows, chosen by a hash of the text, is held out to fit the confidence calibration table;
the test split (tests/data/verifier_test_*.jsonl) is never read here. Never train on
../shared/gold, ../shared/realnews or tests/data.

    .venv/bin/python tools/train_verifier.py [--epochs 800] [--l2 3e-5]
    .venv/bin/python tools/train_verifier.py --evaluate     # scores the shipped model on the test split
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from train_event_head import fit  # noqa: E402  (the same Adam softmax fit as the backup's head)

TRAINING = sorted((ROOT / "tools" / "training" / "verifier").glob("*.jsonl"))
SENTENCES = sorted((ROOT / "tools" / "training").glob("sentences_*.jsonl"))
TEST = sorted((ROOT / "tests" / "data").glob("verifier_test_*.jsonl"))
OUT = ROOT / "tacitus" / "data" / "models" / "verifier.npz"


def read(paths: list[Path], *, sentence_level: bool = False) -> list[dict]:
    rows = []
    for path in paths:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if sentence_level:
                tags = row.get("tags") or []
                row = {"text": row["text"], "trigger": None, "type": row["type"],
                       "modality": "future" if "future" in tags else "asserted"}
            row["where"] = f"{path.name}:{n}"
            rows.append(row)
    return rows


def trigger_token(doc, trigger: str | None, reporting):
    """The token the coder would anchor on: the first verb of the trigger phrase, else its noun."""
    from tacitus.classifier import default_anchor

    if not trigger:
        return default_anchor(doc[:], reporting)
    at = doc.text.find(trigger)
    if at < 0:
        at = doc.text.lower().find(trigger.lower())
    if at < 0:
        return None
    span = doc.char_span(at, at + len(trigger), alignment_mode="expand")
    if span is None:
        return None
    for pos in (("VERB",), ("NOUN", "PROPN", "ADJ"), ("AUX",)):
        for tok in span:
            if tok.pos_ in pos and tok.dep_ not in ("aux", "auxpass"):
                return tok
    return span.root


def featurize(rows: list[dict]) -> tuple[np.ndarray, list[dict]]:
    from tacitus import lexicon
    from tacitus.nlp import load_nlp
    from tacitus.stages.events import verifier

    reporting = lexicon.load().reporting_verbs
    tokens, kept = [], []
    for row, doc in zip(rows, load_nlp().pipe([r["text"] for r in rows], batch_size=128)):
        tok = trigger_token(doc, row.get("trigger"), reporting)
        if tok is None:
            print(f"  trigger not found: {row['where']}", file=sys.stderr)
            continue
        tokens.append(tok)
        kept.append(row)
    return verifier.features(tokens, reporting), kept


def labels(rows: list[dict], types: list[str], modalities: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    from tacitus.stages.events.verifier import NONE

    y = np.array([types.index(r["type"] or NONE) for r in rows])
    m = np.array([modalities.index(r.get("modality") or "asserted") for r in rows])
    return y, m


def held_out(row: dict) -> bool:
    return int(hashlib.sha256(row["text"].encode()).hexdigest(), 16) % 10 == 0


def calibration_table(p: np.ndarray, y: np.ndarray, none_index: int, bins: int = 10) -> np.ndarray:
    """Raw probability of the best event type -> observed share right, monotone (pooled adjacent violators)."""
    p = p.copy()
    p[:, none_index] = -1
    best = p.argmax(1)
    raw = p[np.arange(len(p)), best]
    right = (best == y).astype(float)
    order = np.argsort(raw)
    chunks = [c for c in np.array_split(order, bins) if len(c)]
    xs = [float(raw[c].mean()) for c in chunks]
    ys = [float(right[c].mean()) for c in chunks]
    # pool adjacent violators so the table only rises
    blocks = [[x, y_, 1] for x, y_ in zip(xs, ys)]
    i = 0
    while i < len(blocks) - 1:
        if blocks[i][1] > blocks[i + 1][1]:
            a, b = blocks[i], blocks[i + 1]
            n = a[2] + b[2]
            blocks[i] = [(a[0] * a[2] + b[0] * b[2]) / n, (a[1] * a[2] + b[1] * b[2]) / n, n]
            del blocks[i + 1]
            i = max(i - 1, 0)
        else:
            i += 1
    table = [[0.0, 0.0]] + [[x, y_] for x, y_, _ in blocks] + [[1.0, blocks[-1][1]]]
    return np.array(table, dtype=np.float32)


def report(name: str, p: np.ndarray, y: np.ndarray, types: list[str]) -> dict:
    from tacitus.stages.events.verifier import NONE

    none = types.index(NONE)
    pred = p.argmax(1)
    top1 = float((pred == y).mean())
    tp = int(((pred == none) & (y == none)).sum())
    prec = tp / max(int((pred == none).sum()), 1)
    rec = tp / max(int((y == none).sum()), 1)
    ev = y != none
    type_acc = float((pred[ev] == y[ev]).mean()) if ev.any() else 0.0
    out = {"n": int(len(y)), "top1": round(top1, 3), "none_precision": round(prec, 3), "none_recall": round(rec, 3),
           "type_accuracy_on_events": round(type_acc, 3)}
    print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in out.items()))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=800)
    parser.add_argument("--l2", type=float, default=3e-5)
    parser.add_argument("--evaluate", action="store_true", help="score the shipped model on the test split")
    args = parser.parse_args()
    from tacitus.ontology import load as load_ontology
    from tacitus.stages.events import verifier

    if args.evaluate:
        model = verifier.load()
        x, rows = featurize(read(TEST))
        types = list(model.types)
        y, _ = labels(rows, types, model.modalities)
        p = verifier._softmax(x @ model.type_weights + model.type_bias)
        report("test split", p, y, types)
        return
    rows = read(TRAINING) + read(SENTENCES, sentence_level=True)
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in TRAINING + SENTENCES)).hexdigest()
    types = sorted(load_ontology().categories) + [verifier.NONE]
    x, rows = featurize(rows)
    y, m = labels(rows, types, verifier.MODALITIES)
    dev = np.array([held_out(r) for r in rows])
    print(f"{len(rows)} examples ({int(dev.sum())} held out for calibration); types {Counter(r['type'] for r in rows).most_common(4)} ...")
    w, b = fit(x[~dev].astype(np.float64), y[~dev], len(types), epochs=args.epochs, l2=args.l2)
    mw, mb = fit(x[~dev].astype(np.float64), m[~dev], len(verifier.MODALITIES), epochs=args.epochs, l2=args.l2)
    p_dev = verifier._softmax(x[dev] @ w + b)
    report("held-out part of training", p_dev, y[dev], types)
    table = calibration_table(p_dev, y[dev], types.index(verifier.NONE))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT, type_weights=w.astype(np.float32), type_bias=b.astype(np.float32),
                        types=np.array(types), modality_weights=mw.astype(np.float32),
                        modality_bias=mb.astype(np.float32), modalities=np.array(verifier.MODALITIES),
                        calibration=table, training_sha256=np.array(digest), n_examples=np.array(len(rows)))
    print(f"calibration {table.round(2).tolist()}\n-> {OUT}")


if __name__ == "__main__":
    main()
