"""The date of an event is the time expression that governs its own verb (tests/data/dates/attachment.yaml:
161 team-written cases of relative clauses, appositions, a noun's own dates, clock times, counts,
law years, anniversaries, undated articles and dates counted from one the text gives)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from tacitus import pipeline
from tacitus.model import Article, Event, Evidence
from tacitus.stages import mentions, parse, segment
from tacitus.stages.time.resolve import resolve_time

CASES = yaml.safe_load((Path(__file__).parent.parent / "data" / "dates" / "attachment.yaml").read_text())
# Parser attachments no rule here can undo ("boycotted the debate on the budget for 2019" hangs
# "for 2019" on the verb); a fix shows as an unexpected pass.
KNOWN_MISSES = {"np-budget-for-2019", "np-election-in-april", "rc-synagogue-arrest"}


def dated(case: dict) -> tuple[str | None, str]:
    pub = case["published"]
    a = Article(id=case["id"], text=case["text"],
                published=pub if isinstance(pub, dt.date) or pub is None else dt.date.fromisoformat(pub))
    pipeline.prepare(a)
    [a] = list(parse.parse_many([a]))
    segment.segment(a)
    mentions.find_mentions(a)
    doc = a.doc
    at = doc.text.rfind(case["trigger"])
    span = doc.char_span(at, at + len(case["trigger"]), alignment_mode="expand")
    tok = next((t for t in span if t.pos_ in ("VERB", "NOUN")), span.root)
    if tok.pos_ == "NOUN" and tok.dep_ == "dobj" and tok.head.pos_ in ("VERB", "AUX"):
        tok = tok.head          # the coder anchors an event noun on the verb that carries it
    event = Event(type="CONSULT", mode=None, evidence=Evidence(case["text"], 0, case["trigger"], at, at + 1),
                  trigger_token=tok.i)
    a.events = [event]
    resolve_time(a)
    return event.date, event.date_precision


@pytest.fixture(scope="module")
def results():
    return {c["id"]: dated(c) for c in CASES}


@pytest.mark.parametrize("case", [
    pytest.param(c, id=c["id"], marks=[pytest.mark.xfail(strict=True, reason="parse")] if c["id"] in KNOWN_MISSES
                 else []) for c in CASES])
def test_dates_attachment_case(case, results):
    want = (str(case["date"]) if case["date"] is not None else None, case["precision"])
    assert results[case["id"]] == want


def test_dates_attachment_accuracy(results):
    right = sum(results[c["id"]] == (str(c["date"]) if c["date"] is not None else None, c["precision"]) for c in CASES)
    assert len(CASES) >= 120 and right / len(CASES) >= 0.95
