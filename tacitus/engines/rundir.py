"""A Ray run's output directory: layout, idempotent part files, the windowed merge, import into DuckDB.

The Ray engine (ray_engine.py) drives; the table functions here are what its tasks run.

    DIR/_tacitus.json                                   written last: the run finished (inputs, counts, rules)
    DIR/articles/part-<h>.parquet                       the status table, one row per input document
    DIR/mentions/month=YYYY-MM/part-<h>.parquet         per-article events, by the month their date starts
    DIR/events/month=YYYY-MM/part-<h>.parquet           merged events ("unknown" when undated)
    DIR/event_actors/month=YYYY-MM/part-<h>.parquet     their actors and recipients, beside their events
    DIR/links/part-<h>.parquet                          mention id -> merged event id

Columns are those of the DuckDB tables (tacitus/store/schema.py); `month` comes from the
directory name (hive partitioning). A mention's event id is in `links` because the merge runs
after the mentions are written. `<h>` hashes the ids of the rows a task wrote, so a retried
task writes the same names and replaces its files instead of adding copies. DIR may be an
object-store URI (s3://, gs://, hdfs://: whatever pyarrow.fs resolves). Nothing here imports
Ray: `tacitus import` works without it.
"""
from __future__ import annotations

import json
import os
from bisect import bisect_right
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any, Iterable

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from ..batch import short_reason
from ..merge import MentionRecord, MergeRules, date_interval, merge_group, mergeable_span, short_hash
from ..model import Event
from ..store.writer import (ACTOR_SCHEMA, ARTICLE_SCHEMA, EVENT_SCHEMA, LINK_SCHEMA, MENTION_SCHEMA, Writer,
                            event_rows)

MANIFEST = "_tacitus.json"
TABLES = ("articles", "mentions", "events", "event_actors", "links")
SCHEMAS = {"articles": ARTICLE_SCHEMA, "mentions": MENTION_SCHEMA, "events": EVENT_SCHEMA,
           "event_actors": ACTOR_SCHEMA, "links": LINK_SCHEMA}
BY_MONTH = ("mentions", "events", "event_actors")
MONTH = ds.partitioning(pa.schema([("month", pa.string())]), flavor="hive")


class RunDirError(Exception):
    """The directory is not a finished run, or its articles are lost or duplicated."""


def resolve(uri: str | Path) -> tuple[pafs.FileSystem, str]:
    """The filesystem and root path of a local directory or an object-store URI."""
    text = str(uri)
    if "://" in text:
        fs, path = pafs.FileSystem.from_uri(text)
        return fs, path.rstrip("/")
    return pafs.LocalFileSystem(), str(Path(text).resolve())


def month_of(value: str | None, precision: str | None) -> str:
    span = date_interval(value, precision)
    return span[0].strftime("%Y-%m") if span else "unknown"


def part_name(ids: Iterable[str]) -> str:
    return f"part-{short_hash(*sorted(ids))}.parquet"


def write_part(fs: pafs.FileSystem, root: str, table: str, name: str, rows: list[dict[str, Any]],
               month: str | None = None) -> None:
    directory = f"{root}/{table}" + (f"/month={month}" if month else "")
    fs.create_dir(directory, recursive=True)
    data = pa.Table.from_pylist(rows, schema=SCHEMAS[table])
    if not isinstance(fs, pafs.LocalFileSystem):     # object stores publish a file whole on close
        pq.write_table(data, f"{directory}/{name}", filesystem=fs)
        return
    # Locally, write aside and rename: a task killed mid-write leaves no half file readers would see
    # (a leading dot hides it from pyarrow and DuckDB globs); the pid keeps a retry off a zombie's file.
    tmp = f"{directory}/.{name}.{os.getpid()}.tmp"
    pq.write_table(data, tmp, filesystem=fs)
    fs.move(tmp, f"{directory}/{name}")


def write_by_month(fs: pafs.FileSystem, root: str, table: str, name: str, rows: list[dict[str, Any]]) -> None:
    """Rows carry a "month" key; one file per month, all under the same name."""
    months: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        months.setdefault(row.pop("month"), []).append(row)
    for month, part in sorted(months.items()):
        write_part(fs, root, table, name, part, month)


def clear(fs: pafs.FileSystem, root: str) -> None:
    """Remove a previous run's output (only Tacitus's own entries): a run's part names depend on its batches."""
    fs.create_dir(root, recursive=True)
    for table in TABLES:
        if fs.get_file_info(f"{root}/{table}").type != pafs.FileType.NotFound:
            fs.delete_dir(f"{root}/{table}")
    if fs.get_file_info(f"{root}/{MANIFEST}").type == pafs.FileType.File:
        fs.delete_file(f"{root}/{MANIFEST}")


def write_manifest(fs: pafs.FileSystem, root: str, data: dict[str, Any]) -> None:
    with fs.open_output_stream(f"{root}/{MANIFEST}") as out:
        out.write(json.dumps(data, indent=1, default=str).encode())


def read_manifest(fs: pafs.FileSystem, root: str) -> dict[str, Any]:
    if fs.get_file_info(f"{root}/{MANIFEST}").type != pafs.FileType.File:
        raise RunDirError(f"{root}: no {MANIFEST}: not the output of a finished `tacitus ingest --engine ray` run")
    with fs.open_input_stream(f"{root}/{MANIFEST}") as src:
        return json.loads(src.read())


def dataset(fs: pafs.FileSystem, root: str, table: str) -> ds.Dataset:
    """One table of the run (with `month` for the partitioned ones); empty when nothing was written."""
    schema = SCHEMAS[table]
    if table in BY_MONTH:
        schema = schema.append(pa.field("month", pa.string()))
    path = f"{root}/{table}"
    if fs.get_file_info(path).type == pafs.FileType.NotFound:
        return ds.dataset(schema.empty_table())
    return ds.dataset(path, filesystem=fs, format="parquet", schema=schema,
                      partitioning=MONTH if table in BY_MONTH else None)


def status_counts(fs: pafs.FileSystem, root: str, documents: int) -> Counter:
    """(status, short reason) -> articles, after checking every document is there exactly once."""
    cols = ["id", "status", "reason", "duplicate_of", "n_events"]
    rows = dataset(fs, root, "articles").to_table(columns=cols).to_pylist()
    ids = {r["id"] for r in rows}
    if len(rows) != len(ids) or len(ids) != documents:
        raise RunDirError(f"{root}: {len(rows)} article rows, {len(ids)} distinct, for {documents} documents read")
    # the local engine's summary labels
    return Counter((r["status"], short_reason(r["status"], r["reason"], r["duplicate_of"], r["n_events"]))
                   for r in rows)


# ---- the merge, split by date windows -------------------------------------------------------

def window_starts(spans: Iterable[tuple[date, date]], rules: MergeRules) -> list[date]:
    """Where one merge key's reports split into independent date windows.

    `cluster` visits reports by start date and closes a cluster once a member lies more than
    the widest tolerance behind the next report. Where a report starts that far after every
    earlier report ends, every cluster is closed: the reports after it cluster exactly as they
    would alone. Windows are those gaps, so merging each window apart equals merging the key whole.
    """
    reach = max(rules.day, rules.week, rules.month, rules.year, rules.reported)
    starts: list[date] = []
    last: date | None = None
    for lo, hi in sorted(spans):
        if last is None or (lo - last).days > reach:
            starts.append(lo)
        last = hi if last is None else max(last, hi)
    return starts


def window_of(starts: list[date], lo: date) -> int:
    return bisect_right(starts, lo) - 1


def merged_rows(key: str, rows: list[dict[str, Any]], rules: MergeRules) -> list[dict[str, Any]]:
    """Merged events of one (merge key, window) group: event rows with "month", "actors" and "mention_ids"."""
    records = [MentionRecord(r["id"], r["article_id"], Event.from_dict(json.loads(r["raw"])), r["source"], r["agency"],
                             tuple(r["fingerprint"] or ())) for r in rows]
    out = []
    for merged in merge_group(key, records, rules):
        row, actors = event_rows(merged)
        month = merged.date_start.strftime("%Y-%m") if merged.date_start else "unknown"
        out.append({**row, "month": month, "actors": json.dumps(actors), "mention_ids": merged.mention_ids})
    return out


SPAN_SCHEMA = pa.schema([("merge_key", pa.string()), ("lo", pa.date32()), ("hi", pa.date32())])
MERGED_SCHEMA = (EVENT_SCHEMA.append(pa.field("month", pa.string())).append(pa.field("actors", pa.string()))
                 .append(pa.field("mention_ids", pa.list_(pa.string()))))


def spans_table(batch: pa.Table, rules: MergeRules) -> pa.Table:
    """(merge key, lo, hi) of the reports that can merge: the light input of the window pass."""
    rows = []
    for key, raw in zip(batch["merge_key"].to_pylist(), batch["raw"].to_pylist()):
        span = mergeable_span(Event.from_dict(json.loads(raw)), rules)
        if span:
            rows.append({"merge_key": key, "lo": span[0], "hi": span[1]})
    return pa.Table.from_pylist(rows, schema=SPAN_SCHEMA)


def starts_table(group: pa.Table, rules: MergeRules) -> pa.Table:
    """One merge key's spans -> one row: the key and where its windows start."""
    starts = window_starts(zip(group["lo"].to_pylist(), group["hi"].to_pylist()), rules)
    return pa.table({"merge_key": group["merge_key"][:1], "starts": pa.array([starts], pa.list_(pa.date32()))})


def assign_windows(batch: pa.Table, starts: dict[str, list[date]], rules: MergeRules) -> pa.Table:
    """Adds "group": merge key and window; -1 for reports that stay alone (any group would do)."""
    groups = []
    for key, raw in zip(batch["merge_key"].to_pylist(), batch["raw"].to_pylist()):
        span = mergeable_span(Event.from_dict(json.loads(raw)), rules)
        groups.append(f"{key}\x1f{window_of(starts[key], span[0]) if span else -1}")
    return batch.append_column("group", pa.array(groups, pa.string()))


def merge_table(group: pa.Table, rules: MergeRules) -> pa.Table:
    rows = group.to_pylist()
    return pa.Table.from_pylist(merged_rows(rows[0]["merge_key"], rows, rules), schema=MERGED_SCHEMA)


def write_events_table(batch: pa.Table, out: str) -> dict[str, list[int]]:
    fs, root = resolve(out)
    return {"events": [write_events(fs, root, batch.to_pylist())]}


def write_events(fs: pafs.FileSystem, root: str, rows: list[dict[str, Any]]) -> int:
    """Write a batch of merged_rows as events, their actors and the mention links."""
    if not rows:
        return 0
    name = part_name(r["id"] for r in rows)
    actors = [{**a, "month": r["month"]} for r in rows for a in json.loads(r["actors"])]
    links = [{"mention_id": m, "event_id": r["id"]} for r in rows for m in r["mention_ids"]]
    events = [{k: r[k] for k in EVENT_SCHEMA.names + ["month"]} for r in rows]
    write_by_month(fs, root, "events", name, events)
    write_by_month(fs, root, "event_actors", name, actors)
    write_part(fs, root, "links", name, links)
    return len(rows)


# ---- loading a run into DuckDB --------------------------------------------------------------

def _cols(table: str, prefix: str = "") -> str:
    return ", ".join(f'{prefix}"{n}"' for n in SCHEMAS[table].names)


def import_dir(out: str | Path, db: str | Path, rules: MergeRules = MergeRules()) -> dict[str, int]:
    """Load a finished run into the embedded database; returns rows added per table.

    Into an empty database the run's own merged events are loaded as they are. Into one that
    already holds articles, the merged events of every merge key the run touched are rebuilt
    from all stored reports, as the local engine's merges do.
    """
    fs, root = resolve(out)
    read_manifest(fs, root)
    writer = Writer(str(db), rules=rules)
    con = writer.con
    names = [f"_tacitus_{t}" for t in TABLES]
    try:
        before = {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in SCHEMAS if t != "links"}
        for table, name in zip(TABLES, names):
            con.register(name, dataset(fs, root, table))
        with writer.transaction():
            con.execute(f"INSERT OR IGNORE INTO articles ({_cols('articles')}) "
                        f"SELECT {_cols('articles')} FROM _tacitus_articles")
            con.execute(f"INSERT OR IGNORE INTO mentions ({_cols('mentions')}, event_id) "
                        f"SELECT {_cols('mentions', 'm.')}, l.event_id FROM _tacitus_mentions m "
                        "LEFT JOIN _tacitus_links l ON l.mention_id = m.id")
            if before["articles"] == 0:
                con.execute(f"INSERT OR IGNORE INTO events ({_cols('events')}) "
                            f"SELECT {_cols('events')} FROM _tacitus_events")
                con.execute(f"INSERT INTO event_actors ({_cols('event_actors')}) "
                            f"SELECT DISTINCT {_cols('event_actors')} FROM _tacitus_event_actors")
            else:
                keys = {r[0] for r in con.execute("SELECT DISTINCT merge_key FROM _tacitus_mentions").fetchall()}
                writer.remerge(keys)
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] - n for t, n in before.items()}
    finally:
        for name in names:
            con.unregister(name)
        writer.close()
