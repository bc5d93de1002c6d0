"""`make baseline`: measure the team test set and raise the accuracy gate's floors, never lower them.

    .venv/bin/python tests/accuracy/update_baseline.py

Each floor becomes the measured figure minus MARGIN (rounded down to 0.01) when that is
higher than the pinned floor, and stays where it is otherwise: a coder that got worse cannot
move the gate down by re-running this. The test set's hash is re-pinned only with --repin
(after an edit of the sentences that the commit explains).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
from pathlib import Path

HERE = Path(__file__).parent
BASELINE = HERE / "baseline.json"
TEST_SET = HERE.parent / "data" / "coder_sentences.jsonl"
METRICS = ("top1", "f1", "macro_f1", "actor", "recipient", "triple", "no_event_accuracy")
MARGIN = 0.02


def raised(floors: dict[str, float], measured: dict[str, float]) -> dict[str, float]:
    """The new floors: each the higher of the old one and measured - MARGIN, rounded down."""
    return {m: max(floors[m], math.floor((measured[m] - MARGIN) * 100 + 1e-9) / 100) for m in METRICS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repin", action="store_true", help="also pin the test set's current hash")
    args = parser.parse_args()
    from tacitus.evaluate import evaluate

    baseline = json.loads(BASELINE.read_text())
    digest = hashlib.sha256(TEST_SET.read_bytes()).hexdigest()
    if digest != baseline["sha256"] and not args.repin:
        raise SystemExit("the test set changed: pass --repin if that is intended (and say why in the commit)")
    figures = evaluate(TEST_SET)
    measured = {m: round(figures[m], 4) for m in METRICS}
    floors = raised(baseline["floors"], measured)
    for m in METRICS:
        print(f"{m:18} measured {measured[m]:.4f}  floor {baseline['floors'][m]:.2f} -> {floors[m]:.2f}")
    baseline.update(sha256=digest, measured=measured, floors=floors)
    BASELINE.write_text(json.dumps(baseline, indent=2) + "\n")


if __name__ == "__main__":
    main()
