"""PLOVER as data: categories, modes, quad classes, scores and CAMEO codes, loaded as package data."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from importlib import resources
from pathlib import Path

import pytest
import yaml

from tacitus import ontology
from tacitus.ontology import CATEGORIES, load

PLOVER = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
          "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")


def raw_yaml() -> dict:
    return yaml.safe_load((resources.files("tacitus") / "data" / "plover.yaml").read_text(encoding="utf-8"))


def test_ontology_has_sixteen_categories():
    assert len(CATEGORIES) == 16
    assert set(CATEGORIES) == set(PLOVER)
    assert tuple(load().categories) == CATEGORIES


def test_ontology_modes_of_sanction():
    modes = load().modes("SANCTION")
    assert "expel" in modes and "discontinue" in modes
    assert set(modes) == {"convict", "expel", "withdraw", "discontinue"}


def test_ontology_categories_without_modes_have_empty_list():
    assert load().modes("AGREE") == []
    assert load().modes("AID") == []


@pytest.mark.parametrize("category, quad", [("CONSULT", 1), ("AID", 2), ("ACCUSE", 3), ("ASSAULT", 4),
                                           ("AGREE", 1), ("RETREAT", 2), ("THREATEN", 3), ("SANCTION", 4)])
def test_ontology_quad_class(category, quad):
    assert load().quad_class(category) == quad


def test_ontology_every_category_in_exactly_one_quad_class():
    spec = raw_yaml()["quad_classes"]
    seen = [cat for cats in spec.values() for cat in cats]
    assert sorted(seen) == sorted(PLOVER)
    assert all(load().quad_class(c) in (1, 2, 3, 4) for c in CATEGORIES)


@pytest.mark.parametrize("category, mode, score", [("ASSAULT", None, -9.0), ("AID", None, 10.0),
                                                   ("SANCTION", None, -6.0), ("CONSULT", None, 2.5),
                                                   ("CONSULT", "visit", 4.0), ("SANCTION", "expel", -5.5),
                                                   ("ASSAULT", "unconventional", -10.0),
                                                   ("ASSAULT", "no-such-mode", -9.0)])
def test_ontology_score(category, mode, score):
    assert load().score(category, mode) == score


def test_ontology_scores_match_yaml_for_every_category_and_mode():
    events = raw_yaml()["events"]
    onto = load()
    for category, spec in events.items():
        assert onto.score(category) == float(spec["score"])
        for mode, mode_spec in (spec.get("modes") or {}).items():
            assert onto.score(category, mode) == float(mode_spec["score"]), (category, mode)
            assert -10 <= onto.score(category, mode) <= 10


@pytest.mark.parametrize("category, mode, code", [("SANCTION", "expel", "166"), ("SANCTION", "discontinue", "162"),
                                                  ("CONSULT", "visit", "042"), ("PROTEST", "demo", "141"),
                                                  ("COERCE", "arrest", "173"), ("ASSAULT", "firearms", "193"),
                                                  ("RETREAT", "release", "0841"), ("AGREE", None, "03")])
def test_ontology_cameo_code_maps_back_to_category(category, mode, code):
    onto = load()
    got = onto.cameo_code(category, mode)
    assert got == code
    assert got in onto.cameo
    row = onto.cameo[got]
    assert row.category == category
    if mode:
        assert row.mode == mode


@pytest.mark.parametrize("category", PLOVER)
def test_ontology_cameo_code_without_mode_is_a_table_code(category):
    onto = load()
    code = onto.cameo_code(category)
    assert re.fullmatch(r"\d{2,4}", code), code
    assert code in onto.cameo


@pytest.mark.parametrize("category", PLOVER)
def test_ontology_cameo_code_for_every_mode_is_a_table_code(category):
    onto = load()
    for mode in onto.modes(category):
        code = onto.cameo_code(category, mode)
        assert re.fullmatch(r"\d{2,4}", code), (category, mode, code)
        assert code in onto.cameo, (category, mode, code)


def test_ontology_cameo_code_prefers_matching_context():
    onto = load()
    assert onto.cameo_code("SANCTION", "expel", "military") == "1661"
    assert onto.cameo_code("SANCTION", "expel", "no_such_context") == "166"


def test_ontology_cameo_table_parsed():
    onto = load()
    assert len(onto.cameo) > 200
    assert onto.cameo["166"].name == "Expel or withdraw"
    assert all(row.category in PLOVER for row in onto.cameo.values()), \
        {row.category for row in onto.cameo.values()} - set(PLOVER)


def test_ontology_contexts_and_sectors_loaded():
    onto = load()
    assert "military" in onto.contexts and "diplomatic" in onto.contexts
    assert {"GOV", "MIL", "COP"} <= set(onto.sectors)


def test_ontology_loads_through_importlib_resources(tmp_path, monkeypatch):
    # Package data inside a zip (as from a zipped or otherwise non-filesystem install): only
    # importlib.resources can reach it, so a loader that opened files next to __file__ would fail.
    archive = tmp_path / "tacitus_data.zip"
    data = resources.files("tacitus") / "data"
    with zipfile.ZipFile(archive, "w") as zf:
        for name in ("plover.yaml", "cameo2plover.txt"):
            zf.writestr(f"tacitus/data/{name}", (data / name).read_text(encoding="utf-8"))
    asked = []

    def files(package):
        asked.append(package)
        return zipfile.Path(archive, "tacitus/")

    monkeypatch.setattr(ontology.resources, "files", files)
    onto = load.__wrapped__()
    assert asked == ["tacitus"]
    assert tuple(onto.categories) == CATEGORIES
    assert onto.cameo.keys() == load().cameo.keys()


def test_ontology_loads_from_any_working_directory(tmp_path):
    out = subprocess.run([sys.executable, "-c", "from tacitus.ontology import CATEGORIES; print(len(CATEGORIES))"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "16"
