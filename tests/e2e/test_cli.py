"""`tacitus code` end to end: the real CLI in subprocesses, its JSON contract, table, stdin, JSONL, bad inputs.

Every run loads spaCy, so all the runs this file needs are started once, a few at a time, by the
module-scoped `runs` fixture; the tests then only read their results.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MIXED = ROOT / "examples" / "jsonl" / "mixed.jsonl"
INDEX_PAGE = ROOT / "examples" / "html" / "04_section_index.html"
SCRIPT = Path(sys.executable).parent / "tacitus"

# Paragraphs are single lines with no dateline, byline or credit, so cleaning leaves the text as it is
# (stripped) and evidence offsets can be checked against it directly.
ARTICLE = (
    "The foreign ministers of Ghana and Togo met in Accra on Tuesday to discuss security along their shared "
    "border, officials said.\n"
    "\n"
    "Togolese police arrested twelve suspected militants near the town of Dapaong on Monday, the interior "
    "ministry said in a statement.\n"
    "\n"
    "Ghana's president condemned an attack on a police post in the north of the country and promised to send "
    "more troops to the region.\n"
)
SECOND = ("Protesters marched through the centre of Lima on Thursday to demand the resignation of the president, "
          "and police fired tear gas to disperse them near the Congress building.")
FRENCH = ("Le gouvernement français a annoncé lundi une nouvelle réforme des retraites, provoquant la colère des "
          "syndicats qui appellent à la grève dans tout le pays dès la semaine prochaine.\n")

DOCUMENT_FIELDS = {"published", "content_date", "date_conflict", "status", "reason"}
EVENT_FIELDS = {"type", "mode", "context", "cameo", "quad_class", "score", "actor", "recipient", "date",
                "date_precision", "location", "evidence", "confidence"}
ACTOR_FIELDS = {"text", "name", "country", "sector", "kb_id", "resolution"}
LOCATION_FIELDS = {"name", "country", "admin1", "lat", "lon", "geonames_id"}
EVIDENCE_FIELDS = {"sentence", "sentence_index", "trigger", "start", "end"}
BAD_INPUTS = ("missing", "binary", "empty", "french", "index_page")


def module(*args: str) -> list[str]:
    return [sys.executable, "-m", "tacitus.cli.main", *args]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("cli")
    out = {"article": d / "ghana_togo.txt", "binary": d / "photo.txt", "empty": d / "empty.txt",
           "french": d / "retraites.txt", "hand": d / "hand.jsonl"}
    out["article"].write_text(ARTICLE, encoding="utf-8")
    out["binary"].write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    out["empty"].write_bytes(b"")
    out["french"].write_text(FRENCH, encoding="utf-8")
    malformed = [
        json.dumps({"id": "h1", "text": ARTICLE, "published": "2023-05-10"}),
        '{"id": "h2", "text": "Ghana and Togo',                      # malformed JSON
        "",
        json.dumps({"id": "h3", "text": SECOND, "published": "2023-01-19"}),
        json.dumps({"id": "h4", "title": "A headline without text"}),
    ]
    # The shipped example file followed by hand-made lines: one run covers both.
    mixed = [line for line in MIXED.read_text(encoding="utf-8").splitlines() if line.strip()]
    out["hand"].write_text("\n".join(mixed + malformed) + "\n", encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def runs(files, tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    cwd = tmp_path_factory.mktemp("cwd")          # the CLI must not depend on the working directory
    art = str(files["article"])
    plan: dict[str, tuple[list[str], bytes | None]] = {
        "json": (module("code", art, "--format", "json", "--published", "2023-05-10"), None),
        "table": ([str(SCRIPT), "code", "-", "--format", "table"], ARTICLE.encode("utf-8")),
        "hand": (module("code", str(files["hand"])), None),
        "missing": (module("code", str(files["article"].with_name("no_such_article.txt"))), None),
        "binary": (module("code", str(files["binary"])), None),
        "empty": (module("code", str(files["empty"])), None),
        "french": (module("code", str(files["french"])), None),
        "index_page": (module("code", str(INDEX_PAGE)), None),
        "all_confidence": (module("code", art, "--published", "2023-05-10", "--min-confidence", "0"), None),
        "sure_only": (module("code", art, "--published", "2023-05-10", "--min-confidence", "0.97"), None),
        "bad_confidence": (module("code", art, "--min-confidence", "1.5"), None),
    }
    env = {**os.environ, "COLUMNS": "200", "PYTHONIOENCODING": "utf-8"}

    def go(item):
        name, (cmd, stdin) = item
        return name, subprocess.run(cmd, input=stdin, capture_output=True, cwd=cwd, env=env, timeout=120)

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 1)) as pool:
        done = dict(pool.map(go, plan.items()))
    return {name: subprocess.CompletedProcess(p.args, p.returncode, p.stdout.decode("utf-8"),
                                              p.stderr.decode("utf-8")) for name, p in done.items()}


def check_contract(out: dict, text: str) -> None:
    assert set(out) == {"document", "events"}
    doc = out["document"]
    assert DOCUMENT_FIELDS <= set(doc)
    assert isinstance(doc["date_conflict"], bool)
    assert doc["status"] == "coded" and doc["reason"] is None
    assert out["events"], "the test article has events to find"
    for ev in out["events"]:
        assert EVENT_FIELDS <= set(ev), EVENT_FIELDS - set(ev)
        assert isinstance(ev["type"], str) and ev["type"].isupper()
        assert ev["mode"] is None or isinstance(ev["mode"], str)
        assert isinstance(ev["context"], list)
        assert isinstance(ev["cameo"], str) and re.fullmatch(r"\d{2,4}", ev["cameo"]), ev["cameo"]
        assert ev["quad_class"] in (1, 2, 3, 4)
        assert isinstance(ev["score"], (int, float)) and -10 <= ev["score"] <= 10
        for side in ("actor", "recipient"):
            assert isinstance(ev[side], list)
            for actor in ev[side]:
                assert set(actor) == ACTOR_FIELDS
                assert isinstance(actor["text"], str) and actor["text"]
        assert ev["date"] is None or re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", ev["date"]), ev["date"]
        assert ev["date_precision"] is None or isinstance(ev["date_precision"], str)
        if ev["location"] is not None:
            assert set(ev["location"]) == LOCATION_FIELDS
            assert isinstance(ev["location"]["name"], str)
        evidence = ev["evidence"]
        assert set(evidence) == EVIDENCE_FIELDS
        assert evidence["trigger"] and evidence["trigger"] in evidence["sentence"]
        assert evidence["end"] - evidence["start"] == len(evidence["trigger"])
        assert text[evidence["start"]:evidence["end"]] == evidence["trigger"]
        sentence_at = text.find(evidence["sentence"])
        assert sentence_at >= 0
        assert sentence_at <= evidence["start"] < evidence["end"] <= sentence_at + len(evidence["sentence"])
        assert isinstance(evidence["sentence_index"], int) and evidence["sentence_index"] >= 0
        assert 0.0 <= ev["confidence"] <= 1.0


def test_cli_code_json_has_contract_fields(runs):
    run = runs["json"]
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    check_contract(out, ARTICLE.strip())
    assert out["document"]["id"] == "ghana_togo"


def test_cli_code_published_option_sets_document_published(runs):
    assert json.loads(runs["json"].stdout)["document"]["published"] == "2023-05-10"


def test_cli_console_script_reads_stdin_and_prints_table(runs):
    assert SCRIPT.exists(), SCRIPT
    run = runs["table"]
    assert run.returncode == 0, run.stderr
    assert not run.stdout.lstrip().startswith("{")
    lines = run.stdout.splitlines()
    stdin_id = lines[0].split()[0]
    assert re.fullmatch(r"[0-9a-f]{16}", stdin_id)                 # stdin has no name: a content hash
    assert "published ?" in lines[0] and "status coded" in lines[0]   # no --published given
    header = next(line for line in lines if "type" in line and "evidence" in line)
    for column in ("mode", "actor", "recipient", "date", "place", "conf"):
        assert column in header
    for ev in json.loads(runs["json"].stdout)["events"]:
        assert ev["type"] in run.stdout


def jsonl_out(run) -> list[dict]:
    assert run.returncode == 0, run.stderr
    return [json.loads(line) for line in run.stdout.splitlines()]


def test_cli_code_jsonl_one_line_per_record_in_order(runs):
    mixed = [json.loads(line)["id"] for line in MIXED.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = jsonl_out(runs["hand"])
    n = len(mixed)
    assert [o["id"] for o in out] == mixed + ["h1", f"hand.jsonl:{n + 2}", "h3", "h4"]
    for o in out:
        assert set(o) == {"id", "document", "events"}
        assert o["document"]["id"] == o["id"]
        assert o["document"]["status"] in ("coded", "skipped", "failed")
    by_id = {o["id"]: o["document"] for o in out}
    assert by_id["jl07_empty"]["status"] == "skipped" and by_id["jl07_empty"]["reason"].startswith("empty")
    assert by_id["jl08_senegal_fr"]["status"] == "skipped"
    assert by_id["jl08_senegal_fr"]["reason"] == "not English (detected: fr)"
    assert [by_id[i]["status"] for i in mixed if i not in ("jl07_empty", "jl08_senegal_fr")] == ["coded"] * (n - 2)


def test_cli_code_jsonl_malformed_line_fails_alone(runs):
    out = jsonl_out(runs["hand"])
    n = len([line for line in MIXED.read_text(encoding="utf-8").splitlines() if line.strip()])
    bad = f"hand.jsonl:{n + 2}"
    status = {o["id"]: o["document"] for o in out}
    assert status["h1"]["status"] == "coded" and status["h3"]["status"] == "coded"
    assert status["h1"]["published"] == "2023-05-10" and status["h3"]["published"] == "2023-01-19"
    assert status[bad]["status"] == "failed"
    assert f"malformed JSON on line {n + 2}" in status[bad]["reason"]
    assert status["h4"]["status"] == "failed" and '"text"' in status["h4"]["reason"]
    assert "failed: 2" in runs["hand"].stderr


@pytest.mark.parametrize("record, text", [("h1", ARTICLE.strip()), ("h3", SECOND)])
def test_cli_code_jsonl_events_follow_contract(runs, record, text):
    [o] = [o for o in jsonl_out(runs["hand"]) if o["id"] == record]
    check_contract({"document": o["document"], "events": o["events"]}, text)


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_cli_code_bad_input_one_line_on_stderr(runs, name):
    run = runs[name]
    assert run.returncode != 0
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("error:")
    assert "Traceback" not in run.stderr


def test_cli_code_bad_input_messages(runs):
    expect = {"missing": "no such file", "binary": "binary", "empty": "empty", "french": "not English (detected: fr)",
              "index_page": "no article"}
    for name, words in expect.items():
        assert words in runs[name].stderr, (name, runs[name].stderr)
    for name in ("missing", "binary", "empty", "index_page"):
        assert runs[name].stdout == "", name
    french = json.loads(runs["french"].stdout)            # still reported, with its status, before the error
    assert french["document"]["status"] == "skipped" and french["events"] == []


def test_cli_code_min_confidence_drops_the_less_sure_events(runs):
    everything = json.loads(runs["all_confidence"].stdout)["events"]
    sure = json.loads(runs["sure_only"].stdout)["events"]
    assert everything and all(e["confidence"] >= 0.97 for e in sure)
    assert len(sure) == sum(e["confidence"] >= 0.97 for e in everything)
    assert runs["bad_confidence"].returncode != 0 and "min-confidence" in runs["bad_confidence"].stderr
