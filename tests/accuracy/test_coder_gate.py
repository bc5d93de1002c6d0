"""Accuracy gate (the way trafilatura gates extraction F1): the coder's scores on the
team-written test set must not drop below the floors pinned in baseline.json.

The floors move only through `make baseline` (tests/accuracy/update_baseline.py), which raises
a floor when the coder improves and never lowers one. The baseline stores the test set's
hash so that editing the sentences cannot silently move the goalposts.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tacitus.evaluate import evaluate

HERE = Path(__file__).parent
TEST_SET = HERE.parent / "data" / "coder_sentences.jsonl"
BASELINE = json.loads((HERE / "baseline.json").read_text())


@pytest.fixture(scope="module")
def figures():
    return evaluate(TEST_SET)


def test_gate_test_set_is_the_pinned_one():
    digest = hashlib.sha256(TEST_SET.read_bytes()).hexdigest()
    assert digest == BASELINE["sha256"], "the test set changed: re-pin its hash and floors in baseline.json"


def test_gate_test_set_covers_every_category():
    from tacitus.ontology import CATEGORIES

    types = {e["type"] for line in TEST_SET.read_text().splitlines() for e in json.loads(line)["events"]}
    assert set(CATEGORIES) <= types
    assert sum(1 for _ in TEST_SET.read_text().splitlines()) >= 300


@pytest.mark.parametrize("metric", ["top1", "f1", "macro_f1", "actor", "recipient", "triple", "no_event_accuracy"])
def test_gate_floor(figures, metric):
    assert figures[metric] >= BASELINE["floors"][metric], (
        f"{metric} fell to {figures[metric]:.3f}, below the pinned floor {BASELINE['floors'][metric]}")


def test_gate_update_only_raises_floors():
    from update_baseline import METRICS, raised

    floors = {m: 0.80 for m in METRICS}
    assert raised(floors, {m: 0.70 for m in METRICS}) == floors                     # worse: floors stay
    assert raised(floors, {m: 0.9049 for m in METRICS}) == {m: 0.88 for m in METRICS}   # better: raised
