"""The Ray engine end to end on a local 2-CPU cluster (loopback): the same rows as the local engine.

One cluster serves the whole module. The corpus is the example directory, a glob over part of it
again (files already listed are read once) and a WARC holding copies of the example pages (so the
duplicate decisions are made across files). `--engine ray` runs through the CLI, `tacitus import`
loads the result, and a canonical dump of the database must equal the local engine's byte for byte.
The fault test SIGKILLs a coding actor's process mid-run and expects the same bytes again.
"""
from __future__ import annotations

import json
import os
import pickle
import random
import signal
import threading
import time
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pytest

ray = pytest.importorskip("ray")

from typer.testing import CliRunner  # noqa: E402
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from tacitus.cli.main import app  # noqa: E402
from tacitus.engines import rundir  # noqa: E402
from tacitus.engines.ray_engine import ingest_ray, list_inputs, read_files  # noqa: E402
from tacitus.ingest import expand, ingest, read_documents  # noqa: E402
from tacitus.merge import MentionRecord, MergeRules, merge_group  # noqa: E402
from tacitus.model import Event  # noqa: E402
from tacitus.readers import content_hash  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")     # Ray Data's own, about its own settings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
TABLES = ("articles", "mentions", "events", "event_actors")


def canonical_dump(db: Path) -> bytes:
    """Every row of the four tables as sorted JSON lines; ingested_at (a wall-clock time) left out."""
    con = duckdb.connect(str(db), read_only=True)
    lines = []
    try:
        for table in TABLES:
            cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] != "ingested_at"]
            quoted = ", ".join(f'"{c}"' for c in cols)
            cur = con.execute(f"SELECT {quoted} FROM {table}")
            lines += [table + "\t" + json.dumps(dict(zip(cols, row)), default=str, sort_keys=True)
                      for row in cur.fetchall()]
    finally:
        con.close()
    return "\n".join(sorted(lines)).encode()


def differences(got: bytes, want: bytes) -> str:
    g, w = set(got.decode().splitlines()), set(want.decode().splitlines())
    lines = [f"extra   {x[:300]}" for x in sorted(g - w)[:4]] + [f"missing {x[:300]}" for x in sorted(w - g)[:4]]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def cluster():
    # Imported here so Ray Data's log handler binds to this stderr, not to a CliRunner's short-lived one.
    import ray.data  # noqa: F401

    ray.init(address="local", num_cpus=2, include_dashboard=False, _node_ip_address="127.0.0.1")
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[str]:
    warc = tmp_path_factory.mktemp("warc") / "pages.warc.gz"
    with open(warc, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for page in sorted((EXAMPLES / "html").glob("0[123]_*.html")):
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://news.example/{page.stem}", "response",
                                                          payload=BytesIO(page.read_bytes()), http_headers=http))
    return [str(EXAMPLES), str(EXAMPLES / "html" / "*.html"), str(warc)]


@pytest.fixture(scope="module")
def local_dump(inputs, tmp_path_factory) -> bytes:
    db = tmp_path_factory.mktemp("local") / "local.duckdb"
    ingest(inputs, db=db, workers=1, progress=False)
    return canonical_dump(db)


@pytest.fixture(scope="module")
def ray_run(cluster, inputs, tmp_path_factory) -> tuple[Path, Path]:
    """The CLI: `ingest --engine ray --out DIR` then `import DIR --db FILE`."""
    tmp = tmp_path_factory.mktemp("ray")
    out, db = tmp / "out", tmp / "ray.duckdb"
    runner = CliRunner()
    done = runner.invoke(app, ["ingest", *inputs, "--engine", "ray", "--out", str(out), "--workers", "2",
                               "--batch-size", "4", "--no-progress"])
    assert done.exit_code == 0, done.output
    loaded = runner.invoke(app, ["import", str(out), "--db", str(db)])
    assert loaded.exit_code == 0, loaded.output
    return out, db


def test_ray_engine_equals_local_engine(ray_run, local_dump):
    out, db = ray_run
    got = canonical_dump(db)
    assert got == local_dump, differences(got, local_dump)
    con = duckdb.connect(str(db), read_only=True)
    statuses = dict(con.execute("SELECT status, count(*) FROM articles GROUP BY ALL").fetchall())
    duplicates = con.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchall()[0][0]
    con.close()
    assert statuses["coded"] >= 25 and duplicates == 3       # the WARC's three pages copy the HTML files
    manifest = json.loads((out / rundir.MANIFEST).read_text())
    assert manifest["documents"] == sum(statuses.values())
    assert {p.name for p in (out / "events").iterdir()} >= {"month=2023-03"}


def test_duckdb_queries_the_run_directory_directly(ray_run):
    """The SQL of docs/ray.md, run on DIR, agrees with the imported database."""
    out, db = ray_run
    con = duckdb.connect()
    events = con.execute(f"""
        SELECT month, count(*) FROM read_parquet('{out}/events/*/*.parquet', hive_partitioning = true)
        GROUP BY month ORDER BY month""").fetchall()
    dyads = con.execute(f"""
        SELECT e.type, a.country, r.country, count(*) AS n
        FROM read_parquet('{out}/events/*/*.parquet', hive_partitioning = true) e
        JOIN read_parquet('{out}/event_actors/*/*.parquet', hive_partitioning = true) a
          ON a.event_id = e.id AND a.role = 'actor'
        JOIN read_parquet('{out}/event_actors/*/*.parquet', hive_partitioning = true) r
          ON r.event_id = e.id AND r.role = 'recipient'
        GROUP BY ALL ORDER BY ALL""").fetchall()
    reports = con.execute(f"""
        SELECT l.event_id, count(*) FROM read_parquet('{out}/mentions/*/*.parquet', hive_partitioning = true) m
        JOIN read_parquet('{out}/links/*.parquet') l ON l.mention_id = m.id GROUP BY ALL ORDER BY ALL""").fetchall()
    statuses = con.execute(f"SELECT status, count(*) FROM read_parquet('{out}/articles/*.parquet') "
                           "GROUP BY ALL ORDER BY ALL").fetchall()
    con.close()
    con = duckdb.connect(str(db), read_only=True)
    assert events == con.execute("SELECT coalesce(strftime(date_start, '%Y-%m'), 'unknown') AS month, count(*) "
                                 "FROM events GROUP BY month ORDER BY month").fetchall()
    assert dyads == con.execute("SELECT e.type, a.country, r.country, count(*) FROM events e "
                                "JOIN event_actors a ON a.event_id = e.id AND a.role = 'actor' "
                                "JOIN event_actors r ON r.event_id = e.id AND r.role = 'recipient' "
                                "GROUP BY ALL ORDER BY ALL").fetchall()
    assert reports == con.execute("SELECT event_id, count(*) FROM mentions GROUP BY ALL ORDER BY ALL").fetchall()
    assert statuses == con.execute("SELECT status, count(*) FROM articles GROUP BY ALL ORDER BY ALL").fetchall()
    con.close()


def _coding_actors() -> list[int]:
    """PIDs of the Ray worker processes running the coding actor (their title names the class)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:             # the process ended while we looked
                continue
            if cmdline.startswith(b"ray::") and b"CodeBatch" in cmdline:
                pids.append(int(entry.name))
    return sorted(pids)


def test_worker_killed_mid_run_loses_and_duplicates_nothing(cluster, inputs, ray_run, tmp_path):
    out, db = tmp_path / "out", tmp_path / "killed.duckdb"
    result: dict = {}

    def run() -> None:
        try:
            result["summary"] = ingest_ray(inputs, out, workers=2, batch_size=2, progress=False)
        except BaseException as error:      # handed to the test thread, which re-raises it
            result["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    parts = out / "articles"
    deadline = time.monotonic() + 150
    while not (parts.is_dir() and any(parts.glob("*.parquet"))) and time.monotonic() < deadline:
        time.sleep(0.05)
    written_before = len(list(parts.glob("*.parquet")))
    victims = _coding_actors()
    assert written_before >= 1 and victims, "the coding step never started"
    os.kill(victims[0], signal.SIGKILL)
    thread.join(timeout=240)
    assert not thread.is_alive() and "error" not in result, result.get("error")
    summary = result["summary"]
    written_after = len(list(parts.glob("*.parquet")))
    assert written_before < written_after, "the kill came after the coding step had finished"
    assert not Path(f"/proc/{victims[0]}").exists()

    rows = ds.dataset(parts, format="parquet").to_table(columns=["id", "input"]).to_pylist()
    assert len(rows) == len({r["id"] for r in rows}) == len({r["input"] for r in rows}) == summary.documents
    rundir.import_dir(out, db)
    want = canonical_dump(ray_run[1])
    got = canonical_dump(db)
    assert got == want, differences(got, want)


def test_object_store_uris_are_listed_and_read_through_pyarrow(tmp_path):
    """file:// goes the object-store way (pyarrow filesystem, temporary copy), and names the URI."""
    files, missing = list_inputs([f"file://{EXAMPLES}/html/*.html", f"file://{EXAMPLES}/jsonl",
                                  f"file://{tmp_path}/nothing/*.txt"])
    assert missing == [f"file://{tmp_path}/nothing/*.txt"]
    local, _ = expand([str(EXAMPLES / "html" / "*.html"), str(EXAMPLES / "jsonl")])
    assert files == [f"file://{p}" for p in local]
    docs = read_files(pa.Table.from_pylist([{"file": f, "file_index": i} for i, f in enumerate(files)])).to_pylist()
    want = [(f"file://{loc}", content_hash(art.text) if art.text else None, art.reason)
            for p in local for loc, art in read_documents([p])]
    got = [(d["input"], d["content_hash"], pickle.loads(d["article"]).reason) for d in docs]
    assert got == [(u, h, r and r.replace(str(EXAMPLES), f"file://{EXAMPLES}")) for u, h, r in want]
    assert any(r for _, _, r in got)         # the section index page: its reason names the URI


def test_merging_by_date_window_equals_merging_each_key_whole():
    """The distributed merge's split: windows of one merge key merged apart give merge_group's events."""
    rng = random.Random(7)
    rules = MergeRules()
    key = "PROTEST|FRA:CVL|"
    records = []
    for i in range(400):
        precision = rng.choice(["day", "day", "day", "week", "month", "reported", "year"])
        day = date(2022, 1, 1) + timedelta(days=int(rng.expovariate(1 / 40)) + (i // 40) * 30)
        value = {"month": day.strftime("%Y-%m"), "year": str(day.year)}.get(precision, day.isoformat())
        country = rng.choice(["FRA", "FRA", None])
        event = {"type": "PROTEST", "mode": rng.choice(["demo", "riot"]), "date": rng.choice([value, value, None]),
                 "date_precision": precision, "confidence": rng.random(),
                 "actor": [{"country": country, "sector": "CVL", "text": "protesters", "name": None, "kb_id": None}],
                 "recipient": [], "location": {"name": "Paris", "country": "FRA"} if rng.random() < 0.3 else None}
        records.append(MentionRecord(f"m{i:04d}", f"a{i % 97}", Event.from_dict(event), rng.choice(["A", "B", "C"])))
    whole = merge_group(key, records, rules)
    spans = {r.id: rundir.mergeable_span(r.event, rules) for r in records}
    starts = rundir.window_starts([s for s in spans.values() if s], rules)
    windows: dict[int, list[MentionRecord]] = {}
    for r in records:
        windows.setdefault(rundir.window_of(starts, spans[r.id][0]) if spans[r.id] else -1, []).append(r)
    assert len(windows) > 3
    apart = [e for members in windows.values() for e in merge_group(key, members, rules)]
    assert sorted(map(repr, apart)) == sorted(map(repr, whole))
    assert any(e.n_articles > 1 for e in whole)


def test_cli_refuses_mixed_flags_and_unfinished_runs(tmp_path):
    runner = CliRunner()
    for args, message in ((["--engine", "ray"], "give --out DIR"), (["--out", str(tmp_path)], "for --engine ray"),
                          (["--engine", "ray", "--out", str(tmp_path), "--db", "x.duckdb"], "tacitus import")):
        done = runner.invoke(app, ["ingest", str(EXAMPLES), *args])
        assert done.exit_code == 2 and message in done.output, done.output
    (tmp_path / "articles").mkdir()            # what a killed driver leaves: parts, no manifest
    done = runner.invoke(app, ["import", str(tmp_path), "--db", str(tmp_path / "x.duckdb")])
    assert done.exit_code == 2 and "not the output of a finished" in done.output, done.output
    assert not (tmp_path / "x.duckdb").exists()
