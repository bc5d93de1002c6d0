"""The event database: schema, the single writer, queries, ingest bookkeeping and export.

No spaCy here: articles and events are built by hand, and ingest runs with a stand-in
coder that reads events from markers such as [[SANCTION EUR/IGO IRN/GOV 2023-03-13]].
"""
from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pytest
import typer
from typer.testing import CliRunner

import tacitus.batch as batch_mod
import tacitus.ingest as ingest_mod
from tacitus.cli.store_commands import register
from tacitus.export import GDELT_COLUMNS, POLECAT_COLUMNS, export
from tacitus.model import Actor, Article, Event, Evidence, Location, Status
from tacitus.merge import fingerprint
from tacitus.store import queries as q
from tacitus.store import schema
from tacitus.store.writer import Record, Writer

from conftest import dump_tables

MARK = re.compile(r"\[\[(\w+) (\w+)/(\w+) (\w+)/(\w+) ([\d-]+)(?: (\w+))?\]\]")
QUAD = {"CONSULT": 1, "AID": 2, "ACCUSE": 3, "SANCTION": 4, "PROTEST": 4}


def make_event(text: str, m: re.Match, start: int) -> Event:
    type_, ac, asec, rc, rsec, when, place = m.groups()
    return Event(type=type_, mode=None, evidence=Evidence(text, 0, type_.lower(), start, start + len(type_)),
                 actor=[Actor(text=ac, name=ac, country=ac, sector=asec)],
                 recipient=[Actor(text=rc, name=rc, country=rc, sector=rsec)], date=when,
                 date_precision="month" if len(when) == 7 else "day", quad_class=QUAD.get(type_, 3),
                 score=-4.0 if QUAD.get(type_, 3) > 2 else 3.0, cameo="04",
                 location=Location(name=place, country=ac, level="city") if place else None)


def fake_code(articles: list[Article]) -> list:
    out = []
    for art in articles:
        if art.status is Status.PENDING:
            if "Bonjour" in art.text:
                art.status, art.reason = Status.SKIPPED, "not English (detected: fr)"
            else:
                art.status = Status.CODED
                art.events = [make_event(art.text, m, m.start()) for m in MARK.finditer(art.text)]
                art.reason = None if art.events else "no political events found"
        art.fingerprint = fingerprint(art.text)
        out.append(art)
    return out


@pytest.fixture
def fake_coder(monkeypatch):
    monkeypatch.setattr(batch_mod, "code_articles", fake_code)


def article(id: str, text: str, source: str | None = None) -> Record:
    art = Article(id=id, text=text, source=source, published=date(2023, 3, 14))
    fake_code([art])
    return Record(id=f"r-{id}", input=f"test#{id}", article=art, content_hash=f"hash-{id}")


CORPUS = [
    article("a", "EU sanctions [[SANCTION EUR/IGO IRN/GOV 2023-03-13 Brussels]] and talks [[CONSULT USA/GOV RUS/GOV 2023-03-20]]", "Wire One"),
    article("b", "Second report [[SANCTION EUR/IGO IRN/GOV 2023-03-14]] of the same measures.", "Daily Two"),
    article("c", "Later [[SANCTION EUR/IGO IRN/GOV 2023-05-02]] and [[ACCUSE USA/GOV RUS/GOV 2023-04-03]]", "Wire One"),
    article("d", "Aid [[AID USA/GOV UKR/GOV 2022-12]] delivered.", "Daily Two"),
]


@pytest.fixture
def db(tmp_path) -> duckdb.DuckDBPyConnection:
    with Writer(str(tmp_path / "t.duckdb")) as w:
        w.write_batch(CORPUS)
    con = schema.connect(str(tmp_path / "t.duckdb"), read_only=True)
    yield con
    con.close()


def test_schema_documents_every_column():
    for table, body in re.findall(r"^CREATE TABLE IF NOT EXISTS (\w+) \(\n(.*?)\n\);", schema.DDL, re.S | re.M):
        assert re.search(rf"^{table} --", schema.__doc__, re.M), table
        for line in body.strip().splitlines():
            column = line.split()[0].strip('"')
            assert re.search(rf"\b{column}\b", schema.__doc__), f"{table}.{column} undocumented"


def test_writer_batching_and_order_do_not_change_the_database(tmp_path):
    with Writer(str(tmp_path / "one.duckdb")) as w:
        w.write_batch(CORPUS)
        one = dump_tables(w.con)
    with Writer(str(tmp_path / "many.duckdb")) as w:
        for rec in reversed(CORPUS):
            w.write_batch([rec])
        many = dump_tables(w.con)
    assert one == many
    assert len(one["events"]) == 5 and len(one["mentions"]) == 6


def test_writer_merges_a_late_report_into_the_stored_event(db):
    rows = db.execute("SELECT date, n_articles, n_sources FROM events WHERE type = 'SANCTION' ORDER BY date").fetchall()
    assert rows == [("2023-03-13", 2, 2), ("2023-05-02", 1, 1)]
    linked = db.execute("SELECT count(*) FROM mentions WHERE event_id IN (SELECT id FROM events)").fetchone()[0]
    assert linked == 6


def test_queries_filter_by_actor_recipient_type_and_dates(db):
    ids = lambda **kw: {r["type"] + ":" + r["date"] for r in q.find_events(db, q.EventFilter(**kw))}
    assert ids(actor="usa") == {"CONSULT:2023-03-20", "ACCUSE:2023-04-03", "AID:2022-12"}
    assert ids(actor="USA", recipient="RUS") == {"CONSULT:2023-03-20", "ACCUSE:2023-04-03"}
    assert ids(type="sanction", since="2023-04") == {"SANCTION:2023-05-02"}
    assert ids(until="2022") == {"AID:2022-12"}
    assert ids(since="2022-12-31", until="2022-12-31") == {"AID:2022-12"}      # month overlaps the day
    assert ids(quad_class=3) == {"ACCUSE:2023-04-03"}
    assert ids(text="SECOND REPORT") == {"SANCTION:2023-03-13"}
    assert ids(actor="x' OR 1=1 --") == set()


def test_queries_paginate_and_sort(db):
    dates = [r["date"] for r in q.find_events(db, q.EventFilter(sort="date", descending=False, limit=2, offset=1))]
    assert dates == ["2023-03-13", "2023-03-20"]
    top = q.find_events(db, q.EventFilter(sort="articles", limit=1))[0]
    assert top["n_articles"] == 2 and top["actor"][0]["country"] == "EUR" and "SANCTION EUR" in top["sentence"]
    assert q.count_events(db, q.EventFilter(type=["AID", "ACCUSE"])) == 2
    with pytest.raises(ValueError):
        q.find_events(db, q.EventFilter(sort="date; DROP TABLE events"))


def test_queries_dyad_timeline(db):
    months = q.dyad(db, "USA", "RUS", by="month")
    assert [(r["period"].isoformat(), r["events"], r["verbal_cooperation"], r["verbal_conflict"]) for r in months] == \
        [("2023-03-01", 1, 1, 0), ("2023-04-01", 1, 0, 1)]
    assert [r["events"] for r in q.dyad(db, "USA", "RUS", by="year")] == [2]
    assert [r["period"].isoformat() for r in q.dyad(db, "USA", "RUS", by="week")] == ["2023-03-20", "2023-04-03"]
    assert q.dyad(db, "RUS", "USA") == [] and len(q.dyad(db, "RUS", "USA", both=True)) == 2
    assert q.dyad(db, "EUR", "IRN")[0]["mean_score"] == -4.0


def test_queries_event_detail_and_stats(db):
    top = q.find_events(db, q.EventFilter(sort="articles", limit=1))[0]
    detail = q.event_detail(db, top["id"])
    assert len(detail["mentions"]) == 2 and {m["source"] for m in detail["mentions"]} == {"Wire One", "Daily Two"}
    assert detail["mentions"][0]["raw"]["type"] == "SANCTION" and detail["location_name"] == "Brussels"
    assert q.event_detail(db, "nope") is None
    stats = q.stats(db)
    assert stats["articles"] == 4 and stats["events"] == 5 and stats["mentions"] == 6
    assert stats["by_quad_class"] == {"1": 1, "2": 1, "3": 1, "4": 2}


def write_corpus(root: Path) -> list[str]:
    (root / "a.txt").write_text("Ministers met. [[CONSULT USA/GOV RUS/GOV 2023-03-20]]\n", encoding="utf-8")
    (root / "copy_of_a.txt").write_text("Ministers met. [[CONSULT USA/GOV RUS/GOV 2023-03-20]]\n", encoding="utf-8")
    (root / "fr.txt").write_text("Bonjour tout le monde, le ministre est parti.\n", encoding="utf-8")
    (root / "empty.txt").write_text("   \n", encoding="utf-8")
    lines = [json.dumps({"id": f"j{i}", "text": f"Story {i} [[PROTEST FRA/CVL FRA/GOV 2023-03-{i + 1:02d}]]"})
             for i in range(12)]
    lines.insert(3, "{broken json")
    lines.append(json.dumps({"id": "dup", "text": "Ministers met. [[CONSULT USA/GOV RUS/GOV 2023-03-20]]\n"}))
    (root / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [str(root)]


def test_ingest_every_document_is_one_row_and_reingest_adds_nothing(tmp_path, fake_coder):
    (tmp_path / "in").mkdir()
    paths = write_corpus(tmp_path / "in")
    first = ingest_mod.ingest(paths, db=tmp_path / "x.duckdb", workers=1, progress=False, batch_size=4)
    assert first.documents == 18 and sum(first.rows.values()) == 18
    assert first.rows[("skipped", "duplicate")] == 2 and first.rows[("failed", "error")] == 1
    assert first.rows[("skipped", "not English")] == 1 and first.rows[("skipped", "empty input")] == 1
    con = duckdb.connect(str(tmp_path / "x.duckdb"))
    before = dump_tables(con)
    dup = con.execute("SELECT reason, duplicate_of FROM articles WHERE doc_id = 'copy_of_a'").fetchone()
    original = con.execute("SELECT id FROM articles WHERE doc_id = 'a'").fetchone()[0]
    assert dup == (f"duplicate of {original}", original)
    con.close()
    again = ingest_mod.ingest(paths, db=tmp_path / "x.duckdb", workers=1, progress=False, batch_size=4)
    assert again.already_stored == 18 and not again.rows and not again.nothing_read
    con = duckdb.connect(str(tmp_path / "x.duckdb"))
    assert dump_tables(con) == before
    con.close()


@pytest.mark.parametrize("merge_every", [1, 32])    # killed after a merge / before any merge
def test_ingest_resumed_after_a_crash_equals_an_uninterrupted_run(tmp_path, fake_coder, monkeypatch, merge_every):
    (tmp_path / "in").mkdir()
    paths = write_corpus(tmp_path / "in")
    ingest_mod.ingest(paths, db=tmp_path / "clean.duckdb", workers=1, progress=False, batch_size=3)
    real = Writer.write_batch
    calls = {"n": 0}

    def crash_after_two(self, records, **kwargs):
        calls["n"] += 1
        if calls["n"] > 2:
            raise KeyboardInterrupt     # stands in for a kill between commits
        real(self, records, **kwargs)

    monkeypatch.setattr(Writer, "write_batch", crash_after_two)
    with pytest.raises(KeyboardInterrupt):
        ingest_mod.ingest(paths, db=tmp_path / "resumed.duckdb", workers=1, progress=False, batch_size=3,
                          merge_every=merge_every)
    monkeypatch.setattr(Writer, "write_batch", real)
    killed = duckdb.connect(str(tmp_path / "resumed.duckdb"))
    unmerged = killed.execute("SELECT count(*) FROM mentions WHERE event_id IS NULL").fetchone()[0]
    killed.close()
    assert (unmerged == 0) == (merge_every == 1)       # the kill left reports for the next run to merge
    resumed = ingest_mod.ingest(paths, db=tmp_path / "resumed.duckdb", workers=1, progress=False, batch_size=3)
    assert resumed.already_stored == 6
    clean, again = (duckdb.connect(str(tmp_path / n)) for n in ("clean.duckdb", "resumed.duckdb"))
    assert dump_tables(clean) == dump_tables(again)


def _killed_before_any_merge(tmp_path, monkeypatch) -> Path:
    """A database left by an ingest killed after two batches and before its first merge."""
    (tmp_path / "in").mkdir(exist_ok=True)
    paths = write_corpus(tmp_path / "in")
    real, calls = Writer.write_batch, {"n": 0}

    def crash_after_two(self, records, **kwargs):
        calls["n"] += 1
        if calls["n"] > 2:
            raise KeyboardInterrupt
        real(self, records, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(Writer, "write_batch", crash_after_two)
        with pytest.raises(KeyboardInterrupt):
            ingest_mod.ingest(paths, db=tmp_path / "killed.duckdb", workers=1, progress=False, batch_size=3)
    return tmp_path / "killed.duckdb"


def _unmerged(path: Path) -> int:
    con = duckdb.connect(str(path))
    try:
        return con.execute("SELECT count(*) FROM mentions WHERE event_id IS NULL").fetchone()[0]
    finally:
        con.close()


def test_merge_command_merges_what_a_killed_run_left(tmp_path, fake_coder, monkeypatch):
    from tacitus.cli.store_commands import merge_command

    path = _killed_before_any_merge(tmp_path, monkeypatch)
    assert _unmerged(path) > 0
    merge_command(db=str(path), everything=False)
    assert _unmerged(path) == 0
    con = duckdb.connect(str(path))
    merged = dump_tables(con)
    con.close()
    merge_command(db=str(path), everything=True)     # rebuilding everything changes nothing
    con = duckdb.connect(str(path))
    assert merged["events"] and dump_tables(con) == merged
    con.close()


def test_server_merges_unmerged_reports_when_it_opens_the_database(tmp_path, fake_coder, monkeypatch):
    from tacitus.server.db import Database

    path = _killed_before_any_merge(tmp_path, monkeypatch)
    assert _unmerged(path) > 0
    Database(path).close()
    assert _unmerged(path) == 0


def test_ingest_expands_globs_and_reports_missing(tmp_path, fake_coder):
    write_corpus(tmp_path)
    files, missing = ingest_mod.expand([str(tmp_path / "*.txt"), str(tmp_path / "feed.jsonl"), "nope/*.txt", "x.txt"])
    assert [f.name for f in files] == ["a.txt", "copy_of_a.txt", "empty.txt", "fr.txt", "feed.jsonl"]
    assert missing == ["nope/*.txt", "x.txt"]
    summary = ingest_mod.ingest(["nope.txt"], db=tmp_path / "n.duckdb", workers=1, progress=False)
    assert summary.nothing_read


def test_export_formats(db, tmp_path):
    path = db.execute("PRAGMA database_list").fetchone()[2]
    db.close()
    assert export(path, "plover-jsonl", tmp_path / "e.jsonl") == 5
    records = [json.loads(line) for line in (tmp_path / "e.jsonl").read_text().splitlines()]
    aid = next(r for r in records if r["event"] == ["AID"])
    assert (aid["date"], aid["enddate"], aid["actor"][0]["code"]) == ("2022-12-01", "2022-12-31", "USA")
    assert export(path, "polecat-csv", tmp_path / "e.csv") == 5
    rows = list(csv.DictReader(open(tmp_path / "e.csv", encoding="utf-8")))
    assert list(rows[0]) == POLECAT_COLUMNS and len(POLECAT_COLUMNS) == 40
    assert {r["Quad Code"] for r in rows} >= {"MATERIAL CONFLICT", "VERBAL COOPERATION"}
    assert export(path, "gdelt-tsv", tmp_path / "e.tsv") == 5
    lines = (tmp_path / "e.tsv").read_text().splitlines()
    assert lines[0].split("\t") == GDELT_COLUMNS and len(GDELT_COLUMNS) == 61
    assert all(len(line.split("\t")) == 61 for line in lines)
    sanction = next(dict(zip(GDELT_COLUMNS, l.split("\t"))) for l in lines[1:] if "\t2\t2\t" in l)
    assert (sanction["SQLDATE"], sanction["ActionGeo_FullName"], sanction["Actor1Code"]) == \
        ("20230313", "Brussels, EUR", "EURIGO")
    assert export(path, "parquet", tmp_path / "pq") == 5
    months = sorted(p.name for p in (tmp_path / "pq").iterdir())
    assert months == ["month=2022-12", "month=2023-03", "month=2023-04", "month=2023-05"]
    table = ds.dataset(tmp_path / "pq", partitioning="hive").to_table()
    assert table.num_rows == 5 and "actor" in table.column_names
    with pytest.raises(ValueError):
        export(path, "xml", tmp_path / "e.xml")


def test_cli_events_dyad_export(db, tmp_path):
    path = db.execute("PRAGMA database_list").fetchone()[2]
    db.close()
    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)        # keeps typer in multi-command mode
    run = CliRunner().invoke
    res = run(app, ["events", "--db", path, "--actor", "USA", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert {r["type"] for r in json.loads(res.stdout)} == {"CONSULT", "ACCUSE", "AID"}
    res = run(app, ["events", "--db", path, "--type", "SANCTION", "--format", "csv"])
    assert res.exit_code == 0 and res.stdout.splitlines()[0].startswith("date,type")
    res = run(app, ["dyad", "USA", "RUS", "--db", path, "--by", "year", "--format", "csv"])
    assert res.exit_code == 0 and res.stdout.splitlines()[1].startswith("2023-01-01,2")
    res = run(app, ["export", "--db", path, "--format", "gdelt-tsv", "--out", str(tmp_path / "g.tsv")])
    assert res.exit_code == 0 and (tmp_path / "g.tsv").exists()
    res = run(app, ["events", "--db", str(tmp_path / "missing.duckdb")])
    assert res.exit_code == 2


def test_cli_ingest_summary_and_exit_codes(tmp_path, fake_coder):
    app = typer.Typer()
    register(app)
    run = CliRunner().invoke
    (tmp_path / "in").mkdir()
    write_corpus(tmp_path / "in")
    db = str(tmp_path / "c.duckdb")
    res = run(app, ["ingest", str(tmp_path / "in"), "--db", db, "--workers", "1", "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "duplicate" in res.output and "18 documents" in res.output
    res = run(app, ["ingest", str(tmp_path / "nothing-here"), "--db", db, "--workers", "1"])
    assert res.exit_code == 1 and "nothing could be read" in res.output
    (tmp_path / "garbage.txt").write_bytes(bytes(range(0x80, 0x100)) * 10)
    res = run(app, ["ingest", str(tmp_path / "garbage.txt"), "--db", db, "--workers", "1"])
    assert res.exit_code == 1
    res = run(app, ["ingest", str(tmp_path / "in"), "--db", db, "--published", "not a date", "--workers", "1"])
    assert res.exit_code == 2


def test_queries_filter_by_min_confidence(db):
    everything = q.find_events(db, q.EventFilter(limit=100))
    confs = sorted(r["confidence"] for r in everything)
    cut = confs[len(confs) // 2]
    kept = q.find_events(db, q.EventFilter(min_confidence=cut, limit=100))
    assert kept and all(r["confidence"] >= cut for r in kept)
    assert len(kept) == sum(c >= cut for c in confs)
