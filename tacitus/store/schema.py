"""The embedded event database (DuckDB): tables and what every column means.

articles -- one row per input document, whatever became of it.
    id            stable row id: sha256(input locator, content hash)[:16]; the same file read
                  again gives the same id, so re-ingesting adds nothing
    doc_id        the reader's id (file stem, JSONL "id", WARC-Record-ID)
    input         input locator: absolute path '#' ordinal of the record within the file
    content_hash  sha256 of the whitespace-normalised text as read (before cleaning);
                  NULL when nothing could be read
    duplicate_of  id of the article first stored with the same content hash (NULL for originals)
    url, source, title   as given by the reader; source is the outlet / feed
    agency        wire agency credited in the dateline ("NAIROBI (Reuters) -"), for source counting
    fingerprint   bottom-k MinHash of the text's word 5-shingles (near-duplicate wire copies)
    published     publication date given or found in the page
    content_date  the date the text itself suggests (set by the time stage)
    date_conflict true when published and content_date disagree (a republished story)
    language      detected language (ISO 639-1)
    status        coded | skipped | failed
    reason        why skipped or failed ("duplicate of <id>", "not English ...", "empty ...",
                  "no article in page", the error); "no political events found" for coded
                  articles without events
    n_events      events coded in this article (rows in mentions)
    ingested_at   when the batch holding this row was committed (UTC)

mentions -- one row per event as one article reported it (the per-article coding).
    id            sha256(content hash, sentence index, trigger start, trigger end, type)[:16]
    event_id      the merged event this report belongs to (events.id)
    article_id    articles.id
    merge_key     type|actor (country:sector) set|recipient set: only equal keys can merge
    type, mode    PLOVER category and mode as coded in this article
    sentence, sentence_index, trigger, start, "end"   the evidence; offsets into the cleaned text
    date, date_precision   event date as coded: YYYY-MM-DD (day, reported; Monday for week),
                  YYYY-MM (month) or YYYY (year)
    confidence    coder confidence for this report
    raw           Event.to_dict() of this report as JSON (location carries "level" as well)

events -- merged events: one real-world event, however many articles reported it.
    id            sha256(merge key, smallest mention id)[:16]; stable while the set of
                  reports is stable (a new report with a smaller id renames the event)
    merge_key     as in mentions
    type, mode, context, cameo, quad_class, score   PLOVER coding (mode: the most common
                  among reports; cameo and score follow the mode); quad_class 1 verbal
                  cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict
    date, date_precision   the most precise date reported (most common at that precision)
    date_start, date_end   the days that date covers, for range filters and timelines
    location_name, location_country (ISO alpha-3), location_admin1, lat, lon, geonames_id,
    location_level (point | city | admin1 | country)   the most specific location reported
    confidence    highest confidence among the reports
    n_articles    distinct articles reporting the event
    n_sources     independent sources (wire copies and one outlet's articles count once)
    representative  mention id whose sentence best shows the event

event_actors -- the actors and recipients of merged events (union over reports).
    event_id, role (actor | recipient), position (order within the role),
    text (words in a sentence), name (canonical), country (ISO alpha-3, IGO, NGO),
    sector (CAMEO agent code), kb_id (Wikidata QID), resolution (how the party was found: explicit in
    its own words, coreference to an earlier mention, context of the article, or inferred: the
    implied police, courts or government of an act whose author nobody names)

meta -- key/value: schema_version.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

SCHEMA_VERSION = "1"
DEFAULT_DB = "tacitus.duckdb"

DDL = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS articles (
    id VARCHAR PRIMARY KEY,
    doc_id VARCHAR,
    input VARCHAR NOT NULL,
    content_hash VARCHAR,
    duplicate_of VARCHAR,
    url VARCHAR,
    source VARCHAR,
    title VARCHAR,
    agency VARCHAR,
    fingerprint BIGINT[],
    published DATE,
    content_date VARCHAR,
    date_conflict BOOLEAN NOT NULL DEFAULT FALSE,
    language VARCHAR,
    status VARCHAR NOT NULL,
    reason VARCHAR,
    n_events INTEGER NOT NULL DEFAULT 0,
    ingested_at TIMESTAMP NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_hash ON articles (content_hash);
CREATE TABLE IF NOT EXISTS mentions (
    id VARCHAR PRIMARY KEY,
    event_id VARCHAR,
    article_id VARCHAR NOT NULL,
    merge_key VARCHAR NOT NULL,
    type VARCHAR NOT NULL,
    mode VARCHAR,
    sentence VARCHAR,
    sentence_index INTEGER,
    trigger VARCHAR,
    start INTEGER,
    "end" INTEGER,
    date VARCHAR,
    date_precision VARCHAR,
    confidence DOUBLE,
    raw JSON
);
CREATE INDEX IF NOT EXISTS mentions_key ON mentions (merge_key);
CREATE INDEX IF NOT EXISTS mentions_event ON mentions (event_id);
CREATE TABLE IF NOT EXISTS events (
    id VARCHAR PRIMARY KEY,
    merge_key VARCHAR NOT NULL,
    type VARCHAR NOT NULL,
    mode VARCHAR,
    context VARCHAR[],
    cameo VARCHAR,
    quad_class TINYINT,
    score DOUBLE,
    date VARCHAR,
    date_precision VARCHAR,
    date_start DATE,
    date_end DATE,
    location_name VARCHAR,
    location_country VARCHAR,
    location_admin1 VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    geonames_id BIGINT,
    location_level VARCHAR,
    confidence DOUBLE,
    n_articles INTEGER NOT NULL,
    n_sources INTEGER NOT NULL,
    representative VARCHAR
);
CREATE INDEX IF NOT EXISTS events_key ON events (merge_key);
CREATE TABLE IF NOT EXISTS event_actors (
    event_id VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    text VARCHAR,
    name VARCHAR,
    country VARCHAR,
    sector VARCHAR,
    kb_id VARCHAR,
    resolution VARCHAR
);
-- databases written before the column existed gain it (their parties read as unknown resolution)
ALTER TABLE event_actors ADD COLUMN IF NOT EXISTS resolution VARCHAR;
CREATE INDEX IF NOT EXISTS event_actors_event ON event_actors (event_id);
"""

TABLES = ("articles", "mentions", "events", "event_actors")


def connect(path: str = DEFAULT_DB, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and for writers, create) the database; readers get a read-only connection."""
    if read_only:
        return duckdb.connect(str(path), read_only=True)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    con.execute(DDL)
    con.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
    return con
