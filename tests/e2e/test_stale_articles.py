"""Republished stories are caught and fresh ones are not (tests/data/dates/: 28 stale articles whose
stated date is years after their events, 60 fresh ones full of old years, clock times, anniversaries
and laws; all team-written in the styles of wire, UK and US political copy)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import tacitus

DATA = Path(__file__).parent.parent / "data" / "dates"


def coded(name: str):
    rows = [json.loads(line) for line in (DATA / f"{name}.jsonl").read_text().splitlines() if line.strip()]
    return rows, list(tacitus.code_many([{"id": r["id"], "text": r["text"], "published": r["published"]}
                                         for r in rows]))


@pytest.mark.parametrize("name, flagged, at_least", [("stale", True, 25), ("fresh", False, 50)])
def test_stale_articles_flagged_and_fresh_ones_kept(name, flagged, at_least):
    rows, articles = coded(name)
    wrong = [a.id for a in articles if a.date_conflict is not flagged]
    assert len(rows) >= at_least and wrong == []
    if flagged:     # the content date it proposes is the events' own year
        years = {r["id"]: r["true_date"][:4] for r in rows}
        assert [a.id for a in articles if (a.content_date or "")[:4] != years[a.id]] == []
