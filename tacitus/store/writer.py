"""The single writer: batches of coded articles into DuckDB, one transaction per batch.

Only one process writes (DuckDB allows one writing process); parallel coders hand their
articles to it. A batch stores its article rows and per-article event reports (mentions).
Merging rebuilds every merge key with a report not yet in an event (`mentions.event_id IS
NULL`) from *all* stored reports of that key, so the events table depends only on the set
of stored reports, never on the order or batching that brought them: a run killed and
resumed ends identical to an uninterrupted one. A bulk ingest merges every few batches and
at the end (a big story's group is rebuilt once, not once per batch that adds to it); a
single posted article is merged with its own write.
"""
from __future__ import annotations

import json
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator

import duckdb
import pyarrow as pa

from ..model import ACTOR_FIELDS, LOCATION_FIELDS, Article, Event, Status
from ..merge import MentionRecord, MergedEvent, MergeRules, merge_group, merge_key, mention_id, short_hash
from .schema import DEFAULT_DB, connect


@dataclass(slots=True)
class Record:
    """One input document on its way into the database."""
    id: str
    input: str
    article: Article
    content_hash: str | None = None
    duplicate_of: str | None = None
    mentions: list[dict[str, Any]] | None = None    # rows built where it was coded; None: built on first use

    def mention_rows(self) -> list[dict[str, Any]]:
        if self.mentions is None:
            self.mentions = mention_rows(self)
        return self.mentions


ARTICLE_SCHEMA = pa.schema([
    ("id", pa.string()), ("doc_id", pa.string()), ("input", pa.string()), ("content_hash", pa.string()),
    ("duplicate_of", pa.string()), ("url", pa.string()), ("source", pa.string()), ("title", pa.string()),
    ("agency", pa.string()), ("fingerprint", pa.list_(pa.int64())), ("published", pa.date32()),
    ("content_date", pa.string()), ("date_conflict", pa.bool_()), ("language", pa.string()),
    ("status", pa.string()), ("reason", pa.string()), ("n_events", pa.int32()), ("ingested_at", pa.timestamp("us"))])
MENTION_SCHEMA = pa.schema([
    ("id", pa.string()), ("article_id", pa.string()), ("merge_key", pa.string()), ("type", pa.string()),
    ("mode", pa.string()), ("sentence", pa.string()), ("sentence_index", pa.int32()), ("trigger", pa.string()),
    ("start", pa.int32()), ("end", pa.int32()), ("date", pa.string()), ("date_precision", pa.string()),
    ("confidence", pa.float64()), ("raw", pa.string())])
EVENT_SCHEMA = pa.schema([
    ("id", pa.string()), ("merge_key", pa.string()), ("type", pa.string()), ("mode", pa.string()),
    ("context", pa.list_(pa.string())), ("cameo", pa.string()), ("quad_class", pa.int8()), ("score", pa.float64()),
    ("date", pa.string()), ("date_precision", pa.string()), ("date_start", pa.date32()), ("date_end", pa.date32()),
    ("location_name", pa.string()), ("location_country", pa.string()), ("location_admin1", pa.string()),
    ("lat", pa.float64()), ("lon", pa.float64()), ("geonames_id", pa.int64()), ("location_level", pa.string()),
    ("confidence", pa.float64()), ("n_articles", pa.int32()), ("n_sources", pa.int32()),
    ("representative", pa.string())])
ACTOR_SCHEMA = pa.schema([
    ("event_id", pa.string()), ("role", pa.string()), ("position", pa.int32()), ("text", pa.string()),
    ("name", pa.string()), ("country", pa.string()), ("sector", pa.string()), ("kb_id", pa.string()),
    ("resolution", pa.string())])
LINK_SCHEMA = pa.schema([("mention_id", pa.string()), ("event_id", pa.string())])


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, schema: pa.Schema, rows: list[dict[str, Any]],
                *, ignore: bool = True) -> None:
    """Bulk insert through Arrow (DuckDB's executemany goes row by row)."""
    if not rows:
        return
    batch = pa.Table.from_pylist(rows, schema=schema)
    cols = ", ".join(f'"{n}"' for n in schema.names)
    con.register("_tacitus_batch", batch)
    try:
        con.execute(f"INSERT {'OR IGNORE ' if ignore else ''}INTO {table} ({cols}) SELECT {cols} FROM _tacitus_batch")
    finally:
        con.unregister("_tacitus_batch")


def event_report(event: Event) -> dict[str, Any]:
    """The per-article event as stored in mentions.raw: to_dict() plus the location level."""
    report = event.to_dict()
    if event.location is not None:
        report["location"]["level"] = event.location.level
    return report


def mention_rows(record: Record) -> list[dict[str, Any]]:
    art = record.article
    if art.status is not Status.CODED or not record.content_hash:
        return []
    rows, seen = [], set()
    for event in art.events:
        ev = event.evidence
        mid = mention_id(record.content_hash, ev.sentence_index, ev.start, ev.end, event.type)
        while mid in seen:     # two reports from one trigger and type: keep both, deterministically
            mid = short_hash(mid, "again")
        seen.add(mid)
        report = event_report(event)
        rows.append({"id": mid, "article_id": record.id, "merge_key": merge_key(event), "type": event.type,
                     "mode": event.mode, "sentence": ev.sentence, "sentence_index": ev.sentence_index,
                     "trigger": ev.trigger, "start": ev.start, "end": ev.end, "date": event.date,
                     "date_precision": event.date_precision, "confidence": float(event.confidence),
                     "raw": json.dumps(report, ensure_ascii=False, sort_keys=True)})
    return rows


def article_row(record: Record, n_events: int, now: datetime) -> dict[str, Any]:
    art = record.article
    return {"id": record.id, "doc_id": art.id, "input": record.input, "content_hash": record.content_hash,
            "duplicate_of": record.duplicate_of, "url": art.url, "source": art.source, "title": art.title,
            "agency": art.agency, "fingerprint": list(art.fingerprint) if n_events else None, "published": art.published,
            "content_date": art.content_date, "date_conflict": bool(art.date_conflict), "language": art.language,
            "status": art.status.value, "reason": art.reason, "n_events": n_events, "ingested_at": now}


def event_rows(merged: MergedEvent) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    loc = merged.location
    fields = (*LOCATION_FIELDS, "level")
    where = dict.fromkeys(fields) if loc is None else {k: getattr(loc, k) for k in fields}
    row = {"id": merged.id, "merge_key": merged.merge_key, "type": merged.type, "mode": merged.mode,
           "context": merged.context, "cameo": merged.cameo, "quad_class": merged.quad_class, "score": merged.score,
           "date": merged.date, "date_precision": merged.date_precision, "date_start": merged.date_start,
           "date_end": merged.date_end, "location_name": where["name"], "location_country": where["country"],
           "location_admin1": where["admin1"], "lat": where["lat"], "lon": where["lon"],
           "geonames_id": where["geonames_id"], "location_level": where["level"],
           "confidence": merged.confidence, "n_articles": merged.n_articles, "n_sources": merged.n_sources,
           "representative": merged.representative}
    position: dict[str, int] = defaultdict(int)
    actors = []
    for role, a in merged.actors:
        actors.append({"event_id": merged.id, "position": position[role], "role": role,
                       **{k: getattr(a, k) for k in ACTOR_FIELDS}})
        position[role] += 1
    return row, actors


class Writer:
    """Owns the one read-write connection; every batch is one transaction."""

    def __init__(self, db: str = DEFAULT_DB, *, rules: MergeRules = MergeRules()) -> None:
        self.con = connect(db)
        self.rules = rules

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        rows = self.con.execute("SELECT id FROM articles WHERE id IN (SELECT unnest(?))", [list(ids)]).fetchall()
        return {r[0] for r in rows}

    def originals(self, hashes: Iterable[str]) -> dict[str, str]:
        """content hash -> id of the article first stored with it."""
        rows = self.con.execute("SELECT content_hash, id FROM articles WHERE duplicate_of IS NULL "
                                "AND content_hash IN (SELECT unnest(?))", [list(hashes)]).fetchall()
        return dict(rows)

    def write_batch(self, records: list[Record], *, merge: bool = True) -> None:
        """Store the batch in one transaction; with `merge`, also merge every unmerged report."""
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        articles, mentions = [], []
        for record in records:
            rows = record.mention_rows()
            mentions.extend(rows)
            articles.append(article_row(record, len(rows), now))
        with self.transaction():
            insert_rows(self.con, "articles", ARTICLE_SCHEMA, articles)
            insert_rows(self.con, "mentions", MENTION_SCHEMA, mentions)
            if merge:
                self.remerge(self.unmerged_keys())

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.con.begin()
        try:
            yield
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise

    def unmerged_keys(self) -> set[str]:
        """Merge keys with a stored report that no event holds yet (new, or left by a killed run)."""
        rows = self.con.execute("SELECT DISTINCT merge_key FROM mentions WHERE event_id IS NULL").fetchall()
        return {r[0] for r in rows}

    def merge_pending(self) -> int:
        """Merge every key with unmerged reports, in one transaction; returns how many keys."""
        with self.transaction():
            keys = self.unmerged_keys()
            self.remerge(keys)
        return len(keys)

    def remerge(self, keys: set[str]) -> None:
        """Rebuild the merged events of these merge keys from all their stored reports."""
        if not keys:
            return
        key_list = sorted(keys)
        rows = self.con.execute(
            "SELECT m.id, m.article_id, m.merge_key, m.raw, a.source, a.agency, a.fingerprint "
            "FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.merge_key IN (SELECT unnest(?))",
            [key_list]).fetchall()
        groups: dict[str, list[MentionRecord]] = defaultdict(list)
        for mid, aid, key, raw, source, agency, fp in rows:
            groups[key].append(MentionRecord(mid, aid, Event.from_dict(json.loads(raw)), source, agency,
                                             tuple(fp or ())))
        events, actors, links = [], [], []
        for key in key_list:
            for merged in merge_group(key, groups.get(key, []), self.rules):
                row, acts = event_rows(merged)
                events.append(row)
                actors.extend(acts)
                links.extend({"mention_id": m, "event_id": merged.id} for m in merged.mention_ids)
        self.con.execute("DELETE FROM event_actors WHERE event_id IN "
                         "(SELECT id FROM events WHERE merge_key IN (SELECT unnest(?)))", [key_list])
        self.con.execute("DELETE FROM events WHERE merge_key IN (SELECT unnest(?))", [key_list])
        insert_rows(self.con, "events", EVENT_SCHEMA, events, ignore=False)
        insert_rows(self.con, "event_actors", ACTOR_SCHEMA, actors, ignore=False)
        batch = pa.Table.from_pylist(links, schema=LINK_SCHEMA)
        self.con.register("_tacitus_links", batch)
        try:
            self.con.execute("UPDATE mentions SET event_id = l.event_id FROM _tacitus_links l "
                             "WHERE mentions.id = l.mention_id")
        finally:
            self.con.unregister("_tacitus_links")

    def remerge_all(self) -> None:
        """Rebuild every merged event, e.g. after changing the merge rules."""
        with self.transaction():
            self.remerge({r[0] for r in self.con.execute("SELECT DISTINCT merge_key FROM mentions").fetchall()})

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Writer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
