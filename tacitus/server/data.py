"""The data functions: each builds one page's data, and the page's JSON twin is that data.

They take a read connection and validated parameters and return plain dicts. The queries
of tacitus.store.queries are used as they are; the few this module adds (map points, top
dyads, one article, articles by row id) pass every value as a parameter.
"""
from __future__ import annotations

import json
import threading
from datetime import date, timedelta
from pathlib import PurePath
from typing import Any

import duckdb

from ..model import Actor, actor_list
from ..store.queries import count_events, dyad, event_detail, find_events, rows_of, stats, where
from ..vocabulary import QUAD_KEYS, QUAD_NAMES
from .highlight import Span, highlight_report, segments, spans_for
from .params import DyadQuery, EventQuery, MapQuery

CSV_MAX_ROWS = 10_000
CSV_COLUMNS = ("id", "date", "date_precision", "type", "mode", "quad_class", "score", "actor", "recipient",
               "location_name", "location_country", "n_articles", "n_sources", "confidence", "sentence")
MAX_PERIODS = 2000      # a dyad timeline with more empty periods than this is not filled in


def events_listing(con: duckdb.DuckDBPyConnection, q: EventQuery) -> dict[str, Any]:
    """One page of events, the total, and the query parameters of the pages either side."""
    f = q.to_filter()
    rows = find_events(con, f) if q.limit else []
    # A page that is neither full nor empty tells the total itself: one DuckDB query saved.
    total = q.offset + len(rows) if 0 < len(rows) < q.limit else count_events(con, f)
    after = q.offset + q.limit
    return {
        "filters": q.params(limit=None, offset=None),
        "total": total, "limit": q.limit, "offset": q.offset, "count": len(rows),
        "next": q.params(offset=after) if q.limit and after < total else None,
        "prev": q.params(offset=max(0, q.offset - q.limit) or None) if q.limit and q.offset > 0 else None,
        "events": rows,
    }


def csv_rows(con: duckdb.DuckDBPyConnection, q: EventQuery) -> list[dict[str, Any]]:
    """Every event of the current filters and order (up to CSV_MAX_ROWS), actors flattened."""
    rows = find_events(con, q.to_filter(limit=CSV_MAX_ROWS, offset=0))
    for r in rows:
        r["actor"], r["recipient"] = actor_list(r["actor"]), actor_list(r["recipient"])
    return [{c: r.get(c) for c in CSV_COLUMNS} for r in rows]


def web_url(url: str | None) -> str | None:
    """A stored URL fit for a link: http(s) only (a reader may have stored anything a page said)."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def _source_link(mention: dict[str, Any]) -> str:
    return web_url(mention.get("url")) or f"/articles/{mention['article_id']}"


def event_view(con: duckdb.DuckDBPyConnection, event_id: str) -> dict[str, Any] | None:
    """A merged event, every report of it with its highlighted sentence, and links to the articles."""
    event = event_detail(con, event_id)
    if event is None:
        return None
    event["quad_name"] = QUAD_NAMES.get(event.get("quad_class") or 0)
    for m in event["mentions"]:
        m["highlight"] = highlight_report(m["raw"] or {"evidence": {"sentence": m["sentence"], "trigger": m["trigger"]}})
        m["source_link"] = _source_link(m)
    return event


def _next_period(day: date, by: str) -> date:
    if by == "week":
        return day + timedelta(days=7)
    if by == "year":
        return date(day.year + 1, 1, 1)
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def _fill(rows: list[dict[str, Any]], by: str) -> list[dict[str, Any]]:
    """Periods without events as zero rows, so a timeline's axis has no hidden gaps."""
    if not rows:
        return rows
    have = {r["period"]: r for r in rows}
    out, day = [], rows[0]["period"]
    while day <= rows[-1]["period"] and len(out) < MAX_PERIODS:
        out.append(have.get(day) or {"period": day, "events": 0, **dict.fromkeys(QUAD_KEYS, 0), "mean_score": None})
        day = _next_period(day, by)
    return out if day > rows[-1]["period"] else rows


def dyad_view(con: duckdb.DuckDBPyConnection, a: str, b: str, q: DyadQuery) -> dict[str, Any]:
    """Events of A towards B (and back, with `both`) per period: counts by quad class, mean score."""
    periods = _fill(dyad(con, a, b, by=q.by, both=q.both, since=q.since, until=q.until), q.by)
    totals = {k: sum(p[k] for p in periods) for k in ("events", *QUAD_KEYS)}
    return {"actor": a, "recipient": b, "by": q.by, "both": q.both, "since": q.since, "until": q.until,
            "totals": totals, "periods": periods,
            "events_filters": {"actor": a, "recipient": b, **({"since": q.since} if q.since else {}),
                               **({"until": q.until} if q.until else {})}}


def top_dyads(con: duckdb.DuckDBPyConnection, limit: int = 30) -> list[dict[str, Any]]:
    """Actor country -> recipient country pairs with the most events."""
    return rows_of(con.execute(
        "SELECT a.country AS actor, r.country AS recipient, count(DISTINCT e.id) AS events, "
        "round(avg(e.score), 2) AS mean_score FROM event_actors a "
        "JOIN event_actors r ON r.event_id = a.event_id AND r.role = 'recipient' "
        "JOIN events e ON e.id = a.event_id "
        "WHERE a.role = 'actor' AND a.country IS NOT NULL AND r.country IS NOT NULL "
        "GROUP BY a.country, r.country ORDER BY events DESC, actor, recipient LIMIT ?", [limit]))


def actor_choices(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Country codes that appear as actor or recipient: suggestions for the filter fields."""
    return [r[0] for r in con.execute("SELECT DISTINCT country FROM event_actors WHERE country IS NOT NULL "
                                      "ORDER BY country").fetchall()]


def map_view(con: duckdb.DuckDBPyConnection, q: MapQuery) -> dict[str, Any]:
    """Located events of the current filters, newest first, as points (lon/lat, WGS84)."""
    f = q.to_filter()
    sql_where, params = where(f)
    points = rows_of(con.execute(
        "SELECT e.id, e.lat, e.lon, e.type, e.quad_class, e.date, e.location_name, e.location_country, "
        f"e.n_articles FROM events e WHERE e.lat IS NOT NULL AND e.lon IS NOT NULL AND {sql_where} "
        "ORDER BY e.date_start DESC NULLS LAST, e.id LIMIT ?", params + [q.limit]))
    located = con.execute(f"SELECT count(*) FROM events e WHERE e.lat IS NOT NULL AND e.lon IS NOT NULL "
                          f"AND {sql_where}", params).fetchone()[0]
    return {"filters": q.params(limit=None, offset=None), "total": count_events(con, f), "located": located,
            "shown": len(points), "points": points}


def overview(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    recent = find_events(con, EventQuery(limit=8).to_filter())
    return {"stats": stats(con), "top_dyads": top_dyads(con, 10), "recent": recent}


def stored_articles(con: duckdb.DuckDBPyConnection, row_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Articles rows by row id, each with the merged events its reports belong to."""
    rows = rows_of(con.execute(
        "SELECT a.id, a.status, a.reason, a.duplicate_of, a.n_events, "
        "list(DISTINCT m.event_id ORDER BY m.event_id) FILTER (WHERE m.event_id IS NOT NULL) AS event_ids "
        "FROM articles a LEFT JOIN mentions m ON m.article_id = a.id WHERE a.id IN (SELECT unnest(?)) "
        "GROUP BY ALL", [row_ids]))
    return {r["id"]: {**r, "event_ids": r["event_ids"] or []} for r in rows}


def article_view(con: duckdb.DuckDBPyConnection, row_id: str) -> dict[str, Any] | None:
    """One stored article (its text is not stored) with every event report coded from it."""
    rows = rows_of(con.execute(
        "SELECT id, doc_id, input, url, source, title, agency, published, content_date, date_conflict, language, "
        "status, reason, duplicate_of, n_events, ingested_at FROM articles WHERE id = ?", [row_id]))
    if not rows:
        return None
    article = rows[0]
    article["link"] = web_url(article["url"])
    # Where the server read it from, without the server's directories.
    article["input"] = PurePath(article["input"].rsplit("#", 1)[0]).name if article["input"] else None
    mentions = rows_of(con.execute(
        "SELECT id, event_id, type, mode, date, date_precision, confidence, raw FROM mentions "
        "WHERE article_id = ? ORDER BY sentence_index, start, id", [row_id]))
    for m in mentions:
        raw = json.loads(m.pop("raw")) if m.get("raw") else {}
        m["sentence"] = (raw.get("evidence") or {}).get("sentence")
        m["highlight"] = highlight_report(raw) if raw else []
    article["mentions"] = mentions
    return article


def _in_sentence(actor: Actor, base: int) -> dict[str, Any]:
    """An actor's words with offsets relative to its sentence (the coder's are into the article)."""
    def shift(offset: int | None) -> int | None:
        return None if offset is None else offset - base
    return {"text": actor.text, "start": shift(actor.start), "end": shift(actor.end)}


def code_view(coder_lock: threading.Lock, text: str, published: date | None) -> dict[str, Any]:
    """Code a text without storing it: `tacitus code`'s JSON, each event with its highlighted sentence."""
    import tacitus

    with coder_lock:
        article = tacitus.code(text, published=published)
    out = article.to_dict()
    starts = {s.index: s.start for s in article.sentences}
    for event, data in zip(article.events, out["events"]):
        ev = event.evidence
        base = starts.get(ev.sentence_index, 0)
        spans: list[Span] = spans_for(
            ev.sentence, trigger=ev.trigger, trigger_at=(ev.start - base, ev.end - base),
            actors=[_in_sentence(a, base) for a in event.actor],
            recipients=[_in_sentence(a, base) for a in event.recipient],
            place=event.location.name if event.location else None,
            dated=bool(event.date) and event.date_precision != "reported")
        data["highlight"] = segments(ev.sentence, spans)
        data["quad_name"] = QUAD_NAMES.get(event.quad_class or 0)
    return out
