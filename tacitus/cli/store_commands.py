"""Database commands: ingest a corpus, load a Ray run, list events, a dyad's timeline, export.

    tacitus ingest PATH... [--db tacitus.duckdb] [--workers N] [--published DATE]
    tacitus ingest PATH... --engine ray --out DIR [--address auto|ray://host:port|local] [--workers N]
    tacitus import DIR [--db tacitus.duckdb]
    tacitus merge [--db tacitus.duckdb] [--all]
    tacitus events [--actor USA] [--recipient RUS] [--type SANCTION] [--since 2021-01-01] [--format table|csv|json]
    tacitus dyad A B [--by month|week|year]
    tacitus export --format plover-jsonl|polecat-csv|gdelt-tsv|parquet --out PATH
"""
from __future__ import annotations

import csv
import json
import logging
import sys
from enum import Enum
from pathlib import Path
from typing import Any, List, Optional

import typer
from rich.console import Console
from rich.table import Table

from ..model import actor_list
from ..vocabulary import QUAD_KEYS
from ..store.schema import DEFAULT_DB
from .common import MIN_CONFIDENCE_HELP, err, fail, set_min_confidence


class Output(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


class Period(str, Enum):
    week = "week"
    month = "month"
    year = "year"


class Engine(str, Enum):
    local = "local"
    ray = "ray"


class ExportFormat(str, Enum):
    plover_jsonl = "plover-jsonl"
    polecat_csv = "polecat-csv"
    gdelt_tsv = "gdelt-tsv"
    parquet = "parquet"


def _open(db: str):
    from ..store.schema import connect

    if not Path(db).exists():
        fail(f"no database at {db}: run `tacitus ingest` first")
    return connect(db, read_only=True)


SHORT = {"verbal_cooperation": "verb coop", "material_cooperation": "mat coop", "verbal_conflict": "verb confl",
         "material_conflict": "mat confl", "mean_score": "score", "articles": "art/src"}


def _emit(rows: list[dict[str, Any]], fmt: Output, columns: list[str], title: str) -> None:
    if fmt is Output.json:
        print(json.dumps(rows, ensure_ascii=False, default=str, indent=1))
    elif fmt is Output.csv:
        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(columns)
        out.writerows([["" if r.get(c) is None else r[c] for c in columns] for r in rows])
    else:
        table = Table(title=title, show_lines=False)
        for c in columns:
            wide = c in ("sentence", "actor", "recipient")
            table.add_column(SHORT.get(c, c), no_wrap=c in ("date", "period", "type"),
                             overflow="fold" if wide else "ellipsis", ratio=2 if c == "sentence" else None)
        for r in rows:
            table.add_row(*("" if r.get(c) is None else str(r[c]) for c in columns))
        Console().print(table)


def ingest_command(
        paths: List[str] = typer.Argument(..., help="Files, directories or globs: .txt .html .jsonl .warc(.gz)."),
        db: Optional[str] = typer.Option(None, "--db", help=f"The DuckDB database file (local engine; "
                                                            f"default {DEFAULT_DB}, created if missing)."),
        workers: Optional[int] = typer.Option(None, "--workers", "-j",
                                              help="Coding processes, or Ray coding actors (default: all cores)."),
        published: Optional[str] = typer.Option(None, help="Publication date for inputs that state none."),
        batch_size: int = typer.Option(64, "--batch-size", help="Articles per committed transaction / Ray batch."),
        engine: Engine = typer.Option(Engine.local, "--engine", help="local (default) or ray: docs/ray.md."),
        address: Optional[str] = typer.Option(None, "--address", help="Ray cluster: auto, ray://host:port or local "
                                                                      "(default: $RAY_ADDRESS, else local)."),
        out: Optional[str] = typer.Option(None, "--out", help="Ray engine: output directory or object-store URI."),
        progress: bool = typer.Option(True, "--progress/--no-progress", help="Show the progress bar."),
        verbose: bool = typer.Option(False, "--verbose", "-v", help="Log every committed batch to stderr."),
        min_confidence: Optional[float] = typer.Option(None, "--min-confidence", min=0, max=1,
                                                       help=MIN_CONFIDENCE_HELP)) -> None:
    """Code a corpus into the event database (or, on Ray, into Parquet); safe to re-run."""
    set_min_confidence(min_confidence)
    from ..readers import InputError

    if verbose:
        logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(message)s")
    if engine is Engine.ray:
        _ingest_ray(paths, db, out, address, workers, published, batch_size, progress)
        return
    if out or address:
        fail("--out and --address are for --engine ray")
    from ..ingest import ingest
    import duckdb

    db = db or DEFAULT_DB
    try:
        summary = ingest(paths, db=db, workers=workers, progress=progress and err.is_terminal,
                         published=published, batch_size=max(1, batch_size))
    except InputError as error:
        fail(str(error))
    except duckdb.IOException as error:       # another process holds the database
        fail(f"cannot open {db} for writing: {error}")
    _report(f"ingest into {db}", summary.rows, summary.already_stored)
    rate = sum(summary.rows.values()) / max(summary.elapsed, 1e-6)
    err.print(f"{summary.files} files, {summary.documents} documents, {summary.elapsed:.1f} s, {rate:.1f} articles/s",
              highlight=False)
    _finish(summary.missing, summary.nothing_read)


def _ingest_ray(paths: List[str], db: Optional[str], out: Optional[str], address: Optional[str],
                workers: Optional[int], published: Optional[str], batch_size: int, progress: bool) -> None:
    from ..readers import InputError

    if not out:
        fail("--engine ray writes Parquet: give --out DIR (then `tacitus import DIR --db FILE`)")
    if db:
        fail("--db is for the local engine; load a Ray run with `tacitus import DIR --db FILE`")
    try:
        from ..engines.ray_engine import ingest_ray
        from ..engines.rundir import RunDirError
    except ImportError as error:
        fail(f"the Ray engine needs the ray extra (pip install 'tacitus[ray]'): {error}")
    try:
        summary = ingest_ray(paths, out, address=address, workers=workers, published=published,
                             batch_size=max(1, batch_size), progress=progress and err.is_terminal)
    except (InputError, RunDirError) as error:
        fail(str(error))
    _report(f"ingest into {out} (ray)", summary.rows, 0)
    rate = sum(summary.rows.values()) / max(summary.elapsed, 1e-6)
    err.print(f"{summary.files} files, {summary.documents} documents, {summary.events} merged events, "
              f"{summary.elapsed:.1f} s, {rate:.1f} articles/s", highlight=False)
    _finish(summary.missing, summary.nothing_read)


def _report(title: str, rows: dict, already_stored: int) -> None:
    table = Table(title=title)
    for c in ("status", "reason", "articles"):
        table.add_column(c, justify="right" if c == "articles" else "left")
    for (status, reason), n in sorted(rows.items()):
        table.add_row(status, reason, str(n))
    if already_stored:
        table.add_row("(already stored)", "", str(already_stored))
    err.print(table)


def _finish(missing: list[str], nothing_read: bool) -> None:
    for arg in missing:
        err.print(f"[yellow]warning:[/] {arg}: no such file or no matching input", highlight=False)
    if nothing_read:
        fail("nothing could be read", code=1)


def import_command(
        directory: str = typer.Argument(..., help="A Ray run's --out directory (or object-store URI)."),
        db: str = typer.Option(DEFAULT_DB, "--db", help="The DuckDB database file (created if missing).")) -> None:
    """Load the Parquet output of `tacitus ingest --engine ray` into the event database."""
    from ..engines.rundir import RunDirError, import_dir
    import duckdb

    try:
        added = import_dir(directory, db)
    except RunDirError as error:
        fail(str(error))
    except duckdb.IOException as error:
        fail(f"cannot open {db} for writing: {error}")
    err.print(f"imported {directory} into {db}: " + ", ".join(f"{n} {t}" for t, n in added.items()),
              highlight=False)


def merge_command(
        db: str = typer.Option(DEFAULT_DB, "--db"),
        everything: bool = typer.Option(False, "--all", help="Rebuild every event (e.g. after changing the merge "
                                        "rules), not only reports no event holds yet.")) -> None:
    """Merge stored reports into events: those a killed ingest left unmerged, or with --all every one."""
    import duckdb

    from ..store.writer import Writer

    if not Path(db).exists():
        fail(f"no database at {db}: run `tacitus ingest` first")
    try:
        writer = Writer(db)
    except duckdb.IOException as error:
        fail(f"cannot open {db} for writing: {error}")
    with writer:
        if everything:
            writer.remerge_all()
            err.print(f"{db}: every event rebuilt from its reports", highlight=False)
        else:
            err.print(f"{db}: {writer.merge_pending()} merge keys had unmerged reports", highlight=False)


def events_command(
        db: str = typer.Option(DEFAULT_DB, "--db"),
        actor: Optional[str] = typer.Option(None, help="Actor country code, name or Wikidata id."),
        recipient: Optional[str] = typer.Option(None, help="Recipient country code, name or Wikidata id."),
        type: Optional[str] = typer.Option(None, "--type", help="PLOVER category, or several: SANCTION,COERCE."),
        since: Optional[str] = typer.Option(None, help="YYYY[-MM[-DD]]: events ending on or after."),
        until: Optional[str] = typer.Option(None, help="YYYY[-MM[-DD]]: events starting on or before."),
        quad: Optional[int] = typer.Option(None, "--quad", min=1, max=4, help="Quad class 1-4."),
        text: Optional[str] = typer.Option(None, "--text", help="Words in a reporting sentence."),
        min_confidence: Optional[float] = typer.Option(None, "--min-confidence", min=0, max=1,
                                                       help="Only events with at least this confidence."),
        limit: int = typer.Option(20, "--limit", min=0),
        offset: int = typer.Option(0, "--offset", min=0),
        sort: str = typer.Option("date", help="date, score, articles, sources, confidence, type or id."),
        ascending: bool = typer.Option(False, "--asc", help="Oldest / lowest first."),
        format: Output = typer.Option(Output.table, "--format", "-f")) -> None:
    """List merged events matching the filters."""
    from ..store.queries import EventFilter, find_events

    con = _open(db)
    try:
        types = [t.strip() for t in type.split(",")] if type else None
        rows = find_events(con, EventFilter(actor=actor, recipient=recipient, type=types, since=since, until=until,
                                            quad_class=quad, text=text, min_confidence=min_confidence, limit=limit, offset=offset, sort=sort,
                                            descending=not ascending))
    except ValueError as error:
        fail(str(error))
    finally:
        con.close()
    if format is Output.json:
        _emit(rows, format, [], "")
        return
    for r in rows:
        r["actor"], r["recipient"] = actor_list(r["actor"]), actor_list(r["recipient"])
        r["where"] = ", ".join(x for x in (r["location_name"], r["location_country"]) if x)
        r["articles"] = f"{r['n_articles']}/{r['n_sources']}"
        if format is Output.table:
            r["sentence"] = (r["sentence"] or "")[:160]
    columns = ["date", "type", "mode", "actor", "recipient", "where", "articles", "sentence"]
    if format is Output.csv:
        columns += ["score", "id"]
    _emit(rows, format, columns, "events")


def dyad_command(
        a: str = typer.Argument(..., help="Actor: country code, name or Wikidata id."),
        b: str = typer.Argument(..., help="Recipient: country code, name or Wikidata id."),
        by: Period = typer.Option(Period.month, "--by"),
        both: bool = typer.Option(False, "--both", help="Count B towards A as well."),
        db: str = typer.Option(DEFAULT_DB, "--db"),
        format: Output = typer.Option(Output.table, "--format", "-f")) -> None:
    """Events of A towards B per period: counts per quad class and mean PLOVER score."""
    from ..store.queries import dyad

    con = _open(db)
    try:
        rows = dyad(con, a, b, by=by.value, both=both)
    finally:
        con.close()
    columns = ["period", "events", *QUAD_KEYS, "mean_score"]
    _emit(rows, format, columns, f"{a} -> {b}{' and back' if both else ''} by {by.value}")


def export_command(
        format: ExportFormat = typer.Option(..., "--format", "-f"),
        out: str = typer.Option(..., "--out", "-o", help="Output file (a directory for parquet; - for stdout)."),
        db: str = typer.Option(DEFAULT_DB, "--db"),
        min_confidence: float = typer.Option(0.0, "--min-confidence", min=0, max=1,
                                             help="Only events with at least this confidence.")) -> None:
    """Write every merged event as PLOVER JSONL, POLECAT CSV, GDELT TSV or partitioned Parquet."""
    from ..export import export

    if not Path(db).exists():
        fail(f"no database at {db}: run `tacitus ingest` first")
    if format is ExportFormat.parquet and out == "-":
        fail("parquet needs a directory: --out DIR")
    n = export(db, format.value, out, min_confidence=min_confidence)
    err.print(f"{n} events written to {out}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)
    app.command("import")(import_command)
    app.command("merge")(merge_command)
    app.command("events")(events_command)
    app.command("dyad")(dyad_command)
    app.command("export")(export_command)
