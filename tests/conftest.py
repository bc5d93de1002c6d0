"""What the test files share: the `slow` marker and the helpers several of them need.

Everything under tests/e2e and tests/accuracy is marked `slow` (real processes, servers, a
browser, Ray, whole corpora); `pytest -m "not slow"` is the quick subset (the unit tests).
The helpers are imported by the test files (`from conftest import ...`).
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

import tacitus
from tacitus.store import schema

SLOW_DIRS = {"e2e", "accuracy"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "verifier: run this unit test with the learned verifier on")


@pytest.fixture(autouse=True)
def _rules_alone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unit tests of the rules run them alone: the learned verifier (stages/events/verifier.py) is off
    under tests/unit, so a rule's test fails only for the rule. Tests of the verifier itself (marked
    `verifier`) and every end-to-end and accuracy test run with it on. A module-scoped fixture is
    built before this switch, so one that codes text for a rule's test sets it itself."""
    if "unit" in Path(request.node.path).parts and request.node.get_closest_marker("verifier") is None:
        monkeypatch.setenv("TACITUS_VERIFIER", "0")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_DIRS & set(Path(item.path).parts):
            item.add_marker(pytest.mark.slow)


def events_of(text: str, published: str):
    """The coded events of one hand-written text."""
    return tacitus.code(text, published=published).events


def dump_tables(con: duckdb.DuckDBPyConnection) -> dict[str, list]:
    """Every table's full contents, sorted; ingested_at is a wall-clock time and left out."""
    out = {}
    for table in schema.TABLES:
        cols = [f'"{r[0]}"' for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] != "ingested_at"]
        out[table] = con.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY ALL").fetchall()
    return out


def dump_differences(got: dict[str, list], want: dict[str, list]) -> str:
    """A short account of how two dumps differ (the full dumps are too long to read)."""
    out = []
    for table in want:
        g, w = {repr(r) for r in got[table]}, {repr(r) for r in want[table]}
        out += [f"{table}: extra {r[:200]}" for r in sorted(g - w)[:3]]
        out += [f"{table}: missing {r[:200]}" for r in sorted(w - g)[:3]]
    return "\n".join(out)
