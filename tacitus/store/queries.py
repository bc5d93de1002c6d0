"""Read queries over the event database: filters, dyad timelines, event detail, stats.

Values always travel as parameters; the only SQL assembled from text is the ORDER BY,
and that comes from a fixed table (`SORTS`), never from the caller.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb

from ..merge import date_interval

SORTS = {"date": "e.date_start", "score": "e.score", "articles": "e.n_articles", "sources": "e.n_sources",
         "confidence": "e.confidence", "type": "e.type", "id": "e.id"}
PERIODS = ("week", "month", "year")
# An actor matches a value by country code, canonical name (any case) or Wikidata id.
_MATCH = ("EXISTS (SELECT 1 FROM event_actors x WHERE x.event_id = e.id AND x.role = ? "
          "AND (x.country = upper(?) OR lower(x.name) = lower(?) OR x.kb_id = ?))")


@dataclass(slots=True)
class EventFilter:
    actor: str | None = None
    recipient: str | None = None
    type: str | list[str] | None = None
    since: str | date | None = None            # YYYY, YYYY-MM or YYYY-MM-DD: events ending on/after
    until: str | date | None = None            # events starting on/before
    quad_class: int | None = None
    text: str | None = None                    # substring of a reporting sentence, any case
    min_confidence: float | None = None        # events the verifier gives at least this (0-1)
    limit: int = 50
    offset: int = 0
    sort: str = "date"
    descending: bool = True


def _bound(value: str | date | None, upper: bool) -> date | None:
    if value is None or isinstance(value, date):
        return value
    span = date_interval(str(value).strip(), "day")
    if span is None:
        raise ValueError(f"cannot read the date {value!r}; use YYYY, YYYY-MM or YYYY-MM-DD")
    return span[1] if upper else span[0]


def _match(role: str, value: str) -> tuple[str, list[Any]]:
    return _MATCH, [role, value, value, value]


def where(f: EventFilter) -> tuple[str, list[Any]]:
    clauses, params = ["TRUE"], []
    for role, value in (("actor", f.actor), ("recipient", f.recipient)):
        if value:
            sql, p = _match(role, value)
            clauses.append(sql)
            params += p
    if f.type:
        types = [f.type] if isinstance(f.type, str) else list(f.type)
        clauses.append("e.type IN (SELECT upper(unnest(?)))")
        params.append(types)
    if f.since is not None:
        clauses.append("e.date_end >= ?")
        params.append(_bound(f.since, upper=False))
    if f.until is not None:
        clauses.append("e.date_start <= ?")
        params.append(_bound(f.until, upper=True))
    if f.quad_class is not None:
        clauses.append("e.quad_class = ?")
        params.append(int(f.quad_class))
    if f.min_confidence:
        clauses.append("e.confidence >= ?")
        params.append(float(f.min_confidence))
    if f.text:
        clauses.append("EXISTS (SELECT 1 FROM mentions t WHERE t.event_id = e.id "
                       "AND contains(lower(t.sentence), lower(?)))")
        params.append(f.text)
    return " AND ".join(clauses), params


def rows_of(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def actors_of(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    out: dict[str, dict[str, list[dict[str, Any]]]] = {i: {"actor": [], "recipient": []} for i in ids}
    cur = con.execute("SELECT event_id, role, text, name, country, sector, kb_id, resolution FROM event_actors "
                      "WHERE event_id IN (SELECT unnest(?)) ORDER BY event_id, role, position", [ids])
    for row in rows_of(cur):
        out[row.pop("event_id")][row.pop("role")].append(row)
    return out


def find_events(con: duckdb.DuckDBPyConnection, f: EventFilter = EventFilter()) -> list[dict[str, Any]]:
    """One page of merged events matching the filter, with actors, recipients and a sentence."""
    if f.sort not in SORTS:
        raise ValueError(f"unknown sort {f.sort!r}; choose from {', '.join(SORTS)}")
    sql_where, params = where(f)
    order = f"{SORTS[f.sort]} {'DESC' if f.descending else 'ASC'} NULLS LAST, e.id"
    cur = con.execute(
        "SELECT e.id, e.date, e.date_precision, e.type, e.mode, e.context, e.quad_class, e.score, "
        "e.location_name, e.location_country, e.n_articles, e.n_sources, e.confidence, r.sentence "
        f"FROM events e LEFT JOIN mentions r ON r.id = e.representative WHERE {sql_where} "
        f"ORDER BY {order} LIMIT ? OFFSET ?", params + [max(0, int(f.limit)), max(0, int(f.offset))])
    rows = rows_of(cur)
    actors = actors_of(con, [r["id"] for r in rows])
    for r in rows:
        r["actor"], r["recipient"] = actors[r["id"]]["actor"], actors[r["id"]]["recipient"]
    return rows


def count_events(con: duckdb.DuckDBPyConnection, f: EventFilter = EventFilter()) -> int:
    sql_where, params = where(f)
    return con.execute(f"SELECT count(*) FROM events e WHERE {sql_where}", params).fetchone()[0]


def dyad(con: duckdb.DuckDBPyConnection, a: str, b: str, *, by: str = "month", both: bool = False,
         since: str | date | None = None, until: str | date | None = None) -> list[dict[str, Any]]:
    """Events of A towards B per period: counts per quad class and mean PLOVER score.

    With `both`, events of B towards A count too. Undated events are left out.
    """
    if by not in PERIODS:
        raise ValueError(f"unknown period {by!r}; choose from {', '.join(PERIODS)}")
    m1, p1 = _match("actor", a)
    m2, p2 = _match("recipient", b)
    dyad_sql, params = f"({m1} AND {m2})", p1 + p2
    if both:
        m3, p3 = _match("actor", b)
        m4, p4 = _match("recipient", a)
        dyad_sql, params = f"({dyad_sql} OR ({m3} AND {m4}))", params + p3 + p4
    f = EventFilter(since=since, until=until)
    extra, extra_params = where(f)
    cur = con.execute(
        "SELECT CAST(date_trunc(?, e.date_start) AS DATE) AS period, count(*) AS events, "
        "count(*) FILTER (WHERE e.quad_class = 1) AS verbal_cooperation, "
        "count(*) FILTER (WHERE e.quad_class = 2) AS material_cooperation, "
        "count(*) FILTER (WHERE e.quad_class = 3) AS verbal_conflict, "
        "count(*) FILTER (WHERE e.quad_class = 4) AS material_conflict, "
        "round(avg(e.score), 3) AS mean_score "
        f"FROM events e WHERE e.date_start IS NOT NULL AND {dyad_sql} AND {extra} "
        "GROUP BY period ORDER BY period", [by] + params + extra_params)
    return rows_of(cur)


def event_detail(con: duckdb.DuckDBPyConnection, event_id: str) -> dict[str, Any] | None:
    """A merged event with its actors and every report (mention) of it, with the articles."""
    rows = rows_of(con.execute("SELECT * FROM events WHERE id = ?", [event_id]))
    if not rows:
        return None
    event = rows[0]
    actors = actors_of(con, [event_id])[event_id]
    event["actor"], event["recipient"] = actors["actor"], actors["recipient"]
    mentions = rows_of(con.execute(
        "SELECT m.id, m.article_id, m.sentence, m.sentence_index, m.trigger, m.start, m.\"end\", m.type, m.mode, "
        "m.date, m.date_precision, m.confidence, m.raw, a.doc_id, a.title, a.url, a.source, a.agency, a.published "
        "FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.event_id = ? "
        "ORDER BY a.published NULLS LAST, m.id", [event_id]))
    for m in mentions:
        m["raw"] = json.loads(m["raw"]) if m["raw"] else None
    event["mentions"] = mentions
    return event


def stats(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Corpus counts: articles by status and reason, events by type and quad class, date range."""
    def pairs(sql: str) -> dict[str, int]:
        return {str(k): int(v) for k, v in con.execute(sql).fetchall()}

    events, mentions = con.execute("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM mentions)").fetchone()
    first, last = con.execute("SELECT min(date_start), max(date_end) FROM events").fetchone()
    return {
        "articles": con.execute("SELECT count(*) FROM articles").fetchone()[0],
        "by_status": pairs("SELECT status, count(*) FROM articles GROUP BY status ORDER BY status"),
        "skip_reasons": pairs("SELECT CASE WHEN duplicate_of IS NOT NULL THEN 'duplicate' ELSE reason END AS r, "
                              "count(*) FROM articles WHERE status <> 'coded' GROUP BY r ORDER BY count(*) DESC, r"),
        "events": events, "mentions": mentions,
        "by_type": pairs("SELECT type, count(*) FROM events GROUP BY type ORDER BY count(*) DESC, type"),
        "by_quad_class": pairs("SELECT quad_class, count(*) FROM events GROUP BY quad_class ORDER BY quad_class"),
        "first_date": first.isoformat() if first else None, "last_date": last.isoformat() if last else None,
    }
