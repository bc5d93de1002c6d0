"""The pipeline's order check: each stage declares what it reads and writes of the record."""
from __future__ import annotations

import pytest

from tacitus.pipeline import STAGES, PipelineError, Stage, check_order


def test_the_shipped_order_passes():
    check_order(STAGES)
    assert [s.name for s in STAGES] == ["clean", "parse", "segment", "mentions", "events", "time", "actors",
                                        "place", "coreference"]


def test_a_misordered_pipeline_is_refused():
    by_name = {s.name: s for s in STAGES}
    misordered = [by_name[n] for n in ("clean", "parse", "segment", "mentions", "events", "actors", "time",
                                       "place", "coreference")]
    with pytest.raises(PipelineError, match="actors needs events.date"):
        check_order(misordered)


def test_a_stage_reading_what_nobody_wrote_is_refused():
    with pytest.raises(PipelineError, match="needs doc"):
        check_order([Stage("segment", lambda a: a, ("doc",), ("sentences",))])


def test_stages_package_holds_exactly_the_stages():
    from importlib import resources

    names = {p.name.removesuffix(".py") for p in resources.files("tacitus.stages").iterdir()
             if p.name != "__init__.py" and not p.name.startswith("__")}
    assert names == {s.name for s in STAGES}
