"""The verifier: a candidate is an event only when its sentence reports one, of the type it says.

All sentences here were written for these tests. The verifier is learned, so these are the
phenomena it must get right with a wide margin (metaphor, sport, reporting verbs, plans), not
borderline cases; its measured accuracy is in tests/accuracy (team test split).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import tacitus
from tacitus import lexicon
from tacitus.nlp import load_nlp
from tacitus.stages.events import verifier

pytestmark = pytest.mark.verifier
TEST_SPLIT = sorted((Path(__file__).parent.parent / "data").glob("verifier_test_*.jsonl"))


def verdict(text: str, trigger: str) -> verifier.Verdict:
    doc = load_nlp()(text)
    at = doc.text.index(trigger)
    span = doc.char_span(at, at + len(trigger), alignment_mode="expand")
    tok = next((t for t in span if t.pos_ == "VERB"), span.root)
    return verifier.judge([tok], lexicon.load().reporting_verbs)[0]


@pytest.mark.parametrize("text, trigger, best", [
    ("Rebels attacked an army post near the border overnight, killing four soldiers.", "attacked", "ASSAULT"),
    ("The opposition leader attacked the government's record on housing in a speech on Monday.", "attacked",
     "ACCUSE"),
    ("Lyon beat Marseille 3-1 at home on Sunday to climb to second in the league.", "beat", "NONE"),
    ("The ministry declined to comment on the report when asked by reporters on Friday.", "declined", "NONE"),
    ("Police arrested 40 protesters outside parliament in Nairobi on Tuesday.", "arrested", "COERCE"),
    ("Shares in the carmaker fell sharply after it released weaker quarterly results.", "released", "NONE"),
    ("Thousands of teachers marched through the capital on Wednesday to demand higher pay.", "marched", "PROTEST"),
])
def test_verifier_knows_an_act_from_metaphor_sport_and_talk(text, trigger, best):
    assert verdict(text, trigger).best == best


def test_verifier_features_have_the_shipped_width():
    doc = load_nlp()("Ghana and Togo agreed on Monday to reopen their border.")
    x = verifier.features([doc[3]], lexicon.load().reporting_verbs)
    assert x.shape == (1, verifier.FEATURES) and np.isfinite(x).all()


def test_verifier_calibration_only_rises():
    model = verifier.load()
    table = model.calibration
    assert (np.diff(table[:, 0]) >= 0).all() and (np.diff(table[:, 1]) >= -1e-6).all()
    assert verifier.calibrate(model, 0.0) <= verifier.calibrate(model, 0.5) <= verifier.calibrate(model, 1.0)


def test_verifier_switched_off_codes_with_the_lexicon_alone(monkeypatch):
    text = "Lyon beat Marseille 3-1 at home on Sunday to climb to second in the league."
    monkeypatch.setenv("TACITUS_VERIFIER", "0")
    assert not verifier.enabled()
    monkeypatch.setenv("TACITUS_VERIFIER", "1")
    assert verifier.enabled()
    assert tacitus.code(text, published="2024-03-10").events == []


def test_verifier_min_confidence_reads_the_setting(monkeypatch):
    monkeypatch.delenv("TACITUS_MIN_CONFIDENCE", raising=False)
    assert verifier.min_confidence() == verifier.DEFAULT_MIN_CONFIDENCE
    for raw, want in (("0.8", 0.8), ("7", 1.0), ("-1", 0.0), ("junk", verifier.DEFAULT_MIN_CONFIDENCE)):
        monkeypatch.setenv("TACITUS_MIN_CONFIDENCE", raw)
        assert verifier.min_confidence() == want


def test_verifier_floor_drops_events_below_it(monkeypatch):
    text = "Kenya and Somalia agreed on Monday to reopen their border, officials said."
    monkeypatch.setenv("TACITUS_MIN_CONFIDENCE", "0")
    everything = tacitus.code(text, published="2023-03-14").events
    assert everything and all(0 <= e.confidence <= 1 for e in everything)
    monkeypatch.setenv("TACITUS_MIN_CONFIDENCE", "1")
    assert [e for e in tacitus.code(text, published="2023-03-14").events if e.confidence < 1] == []


def test_verifier_test_split_is_apart_from_training():
    train_dir = Path(__file__).parent.parent.parent / "tools" / "training" / "verifier"
    train = {json.loads(line)["text"] for p in train_dir.glob("*.jsonl") for line in p.read_text().splitlines()
             if line.strip()}
    test = [json.loads(line)["text"] for p in TEST_SPLIT for line in p.read_text().splitlines() if line.strip()]
    assert len(test) >= 1500 and not train.intersection(test)
