"""Ingest end to end with the real pipeline: examples, hostile inputs, merging, SIGKILL resume."""
from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from io import BytesIO
from pathlib import Path

import duckdb
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tacitus.ingest import ingest
from tacitus.store import queries as q

from conftest import dump_differences, dump_tables

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
HTML = sorted((EXAMPLES / "html").glob("*.html"))
TEXTS = sorted((EXAMPLES / "articles").glob("*.txt"))
ARTICLE_PAGES = [p for p in HTML if "section_index" not in p.name]
INDEX_PAGE = next(p for p in HTML if "section_index" in p.name)


def rows_by_file(db: Path) -> dict[str, list[tuple[str, str]]]:
    con = duckdb.connect(str(db))
    out: dict[str, list[tuple[str, str]]] = {}
    for inp, status, reason in con.execute("SELECT input, status, reason FROM articles ORDER BY input").fetchall():
        out.setdefault(Path(inp.rsplit("#", 1)[0]).name, []).append((status, reason or ""))
    con.close()
    return out


def write_warc(path: Path, records: list[tuple[str, str, str, bytes]]) -> None:
    """records: (kind, uri, content type, body) with kind response | request | metadata."""
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=path.name.endswith(".gz"))
        for kind, uri, ctype, body in records:
            if kind == "response":
                http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
                rec = writer.create_warc_record(uri, "response", payload=BytesIO(body), http_headers=http)
            elif kind == "request":
                http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example")], is_http_request=True)
                rec = writer.create_warc_record(uri, "request", payload=BytesIO(b""), http_headers=http)
            else:
                rec = writer.create_warc_record(uri, "metadata", payload=BytesIO(body),
                                                warc_content_type="application/warc-fields")
            writer.write_record(rec)


def test_ingest_examples_end_to_end_and_again(tmp_path):
    db = tmp_path / "ex.duckdb"
    paths = [str(EXAMPLES / "articles"), str(EXAMPLES / "html" / "*.html"), str(EXAMPLES / "jsonl" / "mixed.jsonl")]
    first = ingest(paths, db=db, workers=1, progress=False)
    assert first.documents == len(TEXTS) + len(HTML) + 8 == sum(first.rows.values())
    rows = rows_by_file(db)
    assert rows[INDEX_PAGE.name] == [("skipped", "no article in page")]
    assert all(status == "coded" for p in ARTICLE_PAGES for status, _ in rows[p.name])
    jsonl = dict(zip(range(8), rows["mixed.jsonl"]))
    assert sum(s == "coded" for s, _ in jsonl.values()) == 6
    assert any(r.startswith("not English") for _, r in jsonl.values())
    con = duckdb.connect(str(db))
    stats = q.stats(con)
    assert stats["events"] > len(TEXTS) and stats["mentions"] >= stats["events"]
    before = dump_tables(con)
    con.close()
    again = ingest(paths, db=db, workers=1, progress=False)
    assert again.already_stored == first.documents and not again.rows
    con = duckdb.connect(str(db))
    assert dump_tables(con) == before
    con.close()


def test_ingest_hostile_inputs_each_end_as_a_status_row(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    pages = [p.read_bytes() for p in ARTICLE_PAGES]
    write_warc(src / "whole.warc.gz", [("response", f"https://news.example/{i}", "text/html; charset=utf-8", b)
                                       for i, b in enumerate(pages)])
    data = (src / "whole.warc.gz").read_bytes()
    (src / "truncated.warc.gz").write_bytes(data[: int(len(data) * 0.6)])
    (src / "whole.warc.gz").unlink()
    write_warc(src / "mixed.warc", [
        ("request", "https://news.example/a", "", b""),
        ("response", "https://news.example/logo.jpg", "image/jpeg", b"\xff\xd8\xff\xe0" + bytes(200)),
        ("metadata", "https://news.example/a", "", b"via: crawler\n"),
        ("response", "https://news.example/a", "text/html", pages[0]),
        ("response", "https://news.example/robots.txt", "text/plain", b"User-agent: *\n")])
    write_warc(src / "images_only.warc.gz", [("response", "https://news.example/x.png", "image/png", bytes(64))])
    story = (EXAMPLES / "articles" / "03_eu_iran_sanctions.txt").read_bytes()
    (src / "bad_bytes.txt").write_bytes(story.replace(b" the ", b" the \xff\xfe ", 3))
    (src / "latin_garbage.txt").write_bytes(bytes(range(0x80, 0x100)) * 40)
    (src / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    sentence = b"Officials said the talks would continue on Monday in the capital. "
    (src / "huge.txt").write_bytes(sentence * (20 * 2**20 // len(sentence)))
    shutil.copy(INDEX_PAGE, src / "index.html")
    (src / "feed.jsonl").write_text("\n".join([
        json.dumps({"id": "ok", "text": story.decode("utf-8"), "published": "2023-02-20"}),
        '{"id": "cut", "text": "Ministers met in',
        json.dumps({"id": "notext", "title": "no body"}),
        json.dumps(["not", "an", "object"])]) + "\n", encoding="utf-8")
    (src / "blank.jsonl").write_text("\n\n", encoding="utf-8")

    started = time.perf_counter()
    summary = ingest([str(src)], db=tmp_path / "h.duckdb", workers=1, progress=False)
    assert time.perf_counter() - started < 60
    rows = rows_by_file(tmp_path / "h.duckdb")
    assert summary.documents == sum(len(v) for v in rows.values())
    # every WARC record that is an HTML page is one row; requests, images, metadata are not documents
    assert 1 <= len(rows["truncated.warc.gz"]) <= len(ARTICLE_PAGES) + 1
    assert len(rows["mixed.warc"]) == 1
    assert rows["images_only.warc.gz"] == [("skipped", "empty: no articles in file")]
    assert rows["bad_bytes.txt"][0][0] == "coded"
    assert rows["latin_garbage.txt"] == [("failed", f"{src / 'latin_garbage.txt'}: not UTF-8 text")]
    assert rows["binary.txt"][0][0] == "failed" and "binary" in rows["binary.txt"][0][1]
    assert rows["huge.txt"][0][0] == "failed" and "too long" in rows["huge.txt"][0][1]
    assert rows["index.html"] == [("skipped", "no article in page")]
    feed = rows["feed.jsonl"]
    assert [s for s, _ in feed] == ["coded", "failed", "failed", "failed"]
    assert "malformed JSON on line 2" in feed[1][1] and "no \"text\"" in feed[2][1]
    assert rows["blank.jsonl"] == [("skipped", "empty: no articles in file")]



def test_ingest_warc_pages_are_coded_and_truncation_is_a_failed_row(tmp_path):
    pages = [p.read_bytes() for p in ARTICLE_PAGES]
    write_warc(tmp_path / "whole.warc.gz", [("response", f"https://news.example/{i}", "text/html", b)
                                            for i, b in enumerate(pages)])
    data = (tmp_path / "whole.warc.gz").read_bytes()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "truncated.warc.gz").write_bytes(data[: int(len(data) * 0.6)])
    ingest([str(tmp_path / "in")], db=tmp_path / "w.duckdb", workers=1, progress=False)
    rows = rows_by_file(tmp_path / "w.duckdb")["truncated.warc.gz"]
    assert [s for s, _ in rows[:-1]] == ["coded"] * (len(rows) - 1) and len(rows) >= 2
    assert rows[-1][0] == "failed" and "WARC" in rows[-1][1]


# Three short reports of one event, written for this test: an agency story, the same story
# as a second outlet ran it, and an independent report.
WIRE = """PORT LOUIS (AFP) - Mauritius on Tuesday expelled two Indian diplomats, accusing them of spying on the island's coast guard, the foreign ministry said.

The ministry said the two men had been given 48 hours to leave the country. India's high commission did not respond to a request for comment.

Relations between the two countries have been strained by a dispute over a naval airstrip on the outer island of Agalega."""
COPY = WIRE.rsplit("\n\n", 1)[0]          # the second outlet cut the last paragraph
OWN = """PORT LOUIS - Mauritius expelled two Indian diplomats on Tuesday over allegations of espionage, officials told the Island Courier.

A senior official said the decision had been taken at a cabinet meeting on Monday night. Opposition leaders called for a parliamentary inquiry."""


def test_ingest_merges_reports_of_one_event_and_counts_sources(tmp_path):
    feed = tmp_path / "reports.jsonl"
    feed.write_text("".join(json.dumps({"id": i, "text": t, "published": "2023-09-13", "source": s}) + "\n"
                            for i, t, s in (("wire", WIRE, "Wire Service"), ("copy", COPY, "Morning Post"),
                                            ("own", OWN, "Island Courier"))), encoding="utf-8")
    ingest([str(feed)], db=tmp_path / "m.duckdb", workers=1, progress=False)
    con = duckdb.connect(str(tmp_path / "m.duckdb"))
    assert con.execute("SELECT count(*) FROM articles WHERE status = 'coded'").fetchone()[0] == 3
    assert con.execute("SELECT agency FROM articles WHERE doc_id = 'copy'").fetchone()[0] == "AFP"
    merged = con.execute("SELECT type, n_articles, n_sources FROM events ORDER BY n_articles DESC, type").fetchall()
    # the expulsion is one event in three articles from two sources: the wire copy counts once
    assert merged[0][1:] == (3, 2), con.execute("SELECT merge_key, date, sentence FROM mentions").fetchall()


def test_ingest_killed_mid_run_and_resumed_equals_uninterrupted(tmp_path):
    src = tmp_path / "corpus"
    src.mkdir()
    for p in sorted((EXAMPLES / "articles").glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        (src / p.name).write_text(text, encoding="utf-8")
        (src / f"updated_{p.name}").write_text(text + "\n\nThis story was updated with comment from officials.\n")
    for p in sorted((EXAMPLES / "articles").glob("*.txt"))[:4]:
        shutil.copy(p, src / f"copy_{p.name}")          # exact duplicates, some after the kill
    shutil.copy(EXAMPLES / "jsonl" / "mixed.jsonl", src / "mixed.jsonl")
    n_docs = len(TEXTS) * 2 + 4 + 8
    cmd = [sys.executable, "-m", "tacitus.cli.main", "ingest", str(src), "--workers", "2", "--batch-size", "4",
           "--no-progress", "--verbose", "--db"]
    killed = tmp_path / "killed.duckdb"
    proc = subprocess.Popen(cmd + [str(killed)], cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            start_new_session=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    seen, deadline = b"", time.monotonic() + 120
    try:
        while b"committed batch 1:" not in seen and time.monotonic() < deadline and proc.poll() is None:
            if select.select([proc.stderr], [], [], 1.0)[0]:
                seen += os.read(proc.stderr.fileno(), 65536)
        assert b"committed batch 1:" in seen, seen.decode(errors="replace")[-2000:]
    finally:
        os.killpg(proc.pid, signal.SIGKILL)             # the parent and its coding processes, no clean-up
        proc.wait()
    con = duckdb.connect(str(killed))
    partial = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    con.close()
    assert 4 <= partial < n_docs

    resumed = subprocess.run(cmd + [str(killed)], cwd=ROOT, capture_output=True, timeout=180)
    assert resumed.returncode == 0, resumed.stderr.decode(errors="replace")[-2000:]
    ingest([str(src)], db=tmp_path / "clean.duckdb", workers=1, progress=False, batch_size=64)
    a, b = duckdb.connect(str(killed)), duckdb.connect(str(tmp_path / "clean.duckdb"))
    got, want = dump_tables(a), dump_tables(b)
    assert len(want["articles"]) == n_docs
    assert got == want, dump_differences(got, want)
    duplicates = b.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()[0]
    assert duplicates == 4
