"""End to end on the team's example articles: every one coded, date conflicts flagged exactly where
the stated date is wrong, no photographer or agency as an actor, and most expected events found."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import tacitus
from tacitus.readers import read_path

ROOT = Path(__file__).resolve().parents[2]
SPEC = yaml.safe_load((ROOT / "examples" / "expected.yaml").read_text())["articles"]


@pytest.fixture(scope="module")
def coded():
    articles = [next(read_path(ROOT / a["path"], published=a["published"])) for a in SPEC]
    return {a.id: a for a in tacitus.code_many(articles)}


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def test_examples_all_coded_with_events(coded):
    assert len(SPEC) >= 8
    for article in coded.values():
        assert article.status.value == "coded" and article.events


@pytest.mark.parametrize("spec", SPEC, ids=[a["id"] for a in SPEC])
def test_examples_date_conflict_flag(coded, spec):
    article = coded[Path(spec["path"]).stem]
    assert article.date_conflict == spec["expect_date_conflict_flag"], article.date_evidence


def test_examples_credit_lines_never_become_actors(coded):
    for spec in SPEC:
        article = coded[Path(spec["path"]).stem]
        names = [_norm(a.text + " " + (a.name or "")) for e in article.events for a in e.actor + e.recipient]
        for bad in spec.get("not_actors", []):
            assert not any(_norm(bad) in n for n in names), (spec["id"], bad)


def test_examples_required_event_types_found(coded):
    found = total = 0
    for spec in SPEC:
        article = coded[Path(spec["path"]).stem]
        for want in (e for e in spec["events"] if e.get("required", True)):
            total += 1
            found += any(_norm(want["anchor"]) in _norm(e.evidence.sentence) and e.type in want["type"]
                         for e in article.events)
    assert found / total >= 0.65, f"{found}/{total}"
