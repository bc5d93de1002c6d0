"""Export merged events in the formats event-data users already read.

plover-jsonl   One PLOVER JSON record per line, field names from the PLOVER manual's data
               chapter: id, date (first day the coded date covers), enddate (last day, when it
               is not the same day), event [type], mode [mode], context, quad_code,
               event_scale (PLOVER score), actor / recipient (entity objects: code = country,
               sector, entity_text, identifier_id = Wikidata QID, identifier_text = name),
               event_loc (resolved_place, geonameid, lat, lon, province = admin1,
               country_code, resolution 5 point / 4 city / 2 admin1 / 1 country),
               event_text (every reporting sentence), text_info of the representative
               sentence, cite_info per article, coder, coded_date; plus date_precision,
               cameo, confidence, num_articles, num_sources.
polecat-csv    The 40 columns of the POLECAT weekly files, comma-separated with a header
               (POLECAT itself ships tab-separated). Event Intensity = PLOVER score; Quad
               Code = VERBAL COOPERATION / MATERIAL COOPERATION / VERBAL CONFLICT / MATERIAL
               CONFLICT; several actors in one cell are joined with "; "; Actor Name is the
               canonical name (Actor Name Raw the words in the text), Primary Actor Sector the
               first actor's sector, Actor Sectors all of them; Wikipedia Actor ID the
               Wikidata QID. Source, Publication Date and Language come from the
               representative article. Empty: Actor/Recipient COW, Title, District, Story
               People / Organizations / Locations (not coded).
gdelt-tsv      The 61 columns of the GDELT 2.0 event table, tab-separated, with a header line
               (GDELT's own files have none). GLOBALEVENTID = the first 15 hex digits of our
               id as an integer; ActorNCode = country + sector; EventCode / BaseCode /
               RootCode from the CAMEO code PLOVER maps back to; GoldsteinScale = the PLOVER
               score (same -10..10 sense, different scale); NumMentions = reports,
               NumSources / NumArticles as merged; AvgTone empty; ActorNGeo_* empty (only
               the event is located); ActionGeo_CountryCode is ISO alpha-3 (GDELT uses
               FIPS 10-4); IsRootEvent = 1 when the representative sentence is among the
               story's first three; DATEADDED = when the event was first stored.
parquet        A pyarrow dataset partitioned by event month (month=YYYY-MM, "unknown" when
               undated); actors and recipients as lists of structs.
"""
from __future__ import annotations

import csv
import json
import sys
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, Iterator

import pyarrow as pa

from . import __version__
from .store.queries import actors_of, rows_of
from .store.schema import DEFAULT_DB, connect
from .vocabulary import QUAD_NAMES

FORMATS = ("plover-jsonl", "polecat-csv", "gdelt-tsv", "parquet")
QUAD_LABEL = {n: name.upper() for n, name in QUAD_NAMES.items()}
RESOLUTION = {"point": 5, "city": 4, "admin1": 2, "country": 1}
GDELT_GEO_TYPE = {"country": 1, "admin1": 5, "city": 4, "point": 4}
CODER = f"tacitus {__version__}"
PAGE = 1000
POLECAT_COLUMNS = [
    "Event ID", "Event Date", "Event Type", "Event Mode", "Event Intensity", "Quad Code", "Contexts",
    "Actor Name", "Actor Country", "Actor COW", "Primary Actor Sector", "Actor Sectors", "Actor Title",
    "Actor Name Raw", "Wikipedia Actor ID", "Recipient Name", "Recipient Country", "Recipient COW",
    "Primary Recipient Sector", "Recipient Sectors", "Recipient Title", "Recipient Name Raw",
    "Wikipedia Recipient ID", "Placename", "City", "District", "Province", "Country", "Latitude", "Longitude",
    "GeoNames ID", "Raw Placename", "Feature Type", "Source", "Publication Date", "Story People",
    "Story Organizations", "Story Locations", "Language", "Version"]
_ACTOR_COLS = ["Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
               "Type1Code", "Type2Code", "Type3Code"]
_GEO_COLS = ["Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID"]
GDELT_COLUMNS = (["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
                 + [f"Actor1{c}" for c in _ACTOR_COLS] + [f"Actor2{c}" for c in _ACTOR_COLS]
                 + ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
                    "NumMentions", "NumSources", "NumArticles", "AvgTone"]
                 + [f"{p}Geo_{c}" for p in ("Actor1", "Actor2", "Action") for c in _GEO_COLS]
                 + ["DATEADDED", "SOURCEURL"])


def iter_events(con, min_confidence: float = 0.0) -> Iterator[dict[str, Any]]:
    """Every merged event (at least `min_confidence`) with its actors and reports, a page at a time, in date order."""
    ids = [r[0] for r in con.execute("SELECT id FROM events WHERE coalesce(confidence, 0) >= ? "
                                     "ORDER BY date_start NULLS LAST, id", [min_confidence]).fetchall()]
    for i in range(0, len(ids), PAGE):
        page = ids[i:i + PAGE]
        cur = con.execute("SELECT * FROM events WHERE id IN (SELECT unnest(?))", [page])
        events = {r["id"]: r for r in rows_of(cur)}
        actors = actors_of(con, page)
        reports: dict[str, list[dict[str, Any]]] = {eid: [] for eid in page}
        for m in rows_of(con.execute(
                "SELECT m.event_id, m.id, m.sentence, m.sentence_index, m.start, m.\"end\", a.id AS article_id, "
                "a.title, a.url, a.source, a.published, a.language, a.ingested_at FROM mentions m "
                "JOIN articles a ON a.id = m.article_id WHERE m.event_id IN (SELECT unnest(?)) "
                "ORDER BY m.event_id, m.id", [page])):
            reports[m["event_id"]].append(m)
        for eid in page:
            ev = events[eid]
            ev["actor"], ev["recipient"], ev["reports"] = actors[eid]["actor"], actors[eid]["recipient"], reports[eid]
            ev["rep"] = next((m for m in reports[eid] if m["id"] == ev["representative"]), reports[eid][0])
            ev["added"] = min(m["ingested_at"] for m in reports[eid])
            yield ev


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def plover_record(ev: dict[str, Any]) -> dict[str, Any]:
    entity = lambda a: {"code": a["country"], "sector": a["sector"], "entity_text": a["text"],
                        "identifier_id": a["kb_id"], "identifier_text": a["name"]}
    rep = ev["rep"]
    loc = None if not ev["location_name"] and not ev["location_country"] else {
        "resolved_place": ev["location_name"], "geonameid": ev["geonames_id"], "lat": ev["lat"], "lon": ev["lon"],
        "province": ev["location_admin1"], "country_code": ev["location_country"],
        "resolution": RESOLUTION.get(ev["location_level"] or "")}
    seen, cites = set(), []
    for m in ev["reports"]:
        if m["article_id"] not in seen:
            seen.add(m["article_id"])
            cites.append({"url": m["url"], "title": m["title"], "publication": m["source"],
                          "language": m["language"], "coder": CODER, "codebook": "PLOVER"})
    record = {
        "id": ev["id"], "date": _iso(ev["date_start"]), "date_precision": ev["date_precision"],
        "event": [ev["type"]], "mode": [ev["mode"]] if ev["mode"] else [], "context": list(ev["context"] or []),
        "quad_code": ev["quad_class"], "event_scale": ev["score"], "cameo": ev["cameo"],
        "actor": [entity(a) for a in ev["actor"]], "recipient": [entity(a) for a in ev["recipient"]],
        "event_loc": loc, "event_text": [m["sentence"] for m in ev["reports"]],
        "text_info": {"sequence": rep["sentence_index"], "start": rep["start"], "end": rep["end"]},
        "cite_info": cites, "coder": CODER, "coded_date": _iso(ev["added"].date()),
        "confidence": ev["confidence"], "num_articles": ev["n_articles"], "num_sources": ev["n_sources"]}
    if ev["date_end"] and ev["date_end"] != ev["date_start"]:
        record["enddate"] = _iso(ev["date_end"])
    return record


def _join(actors: list[dict[str, Any]], key: str) -> str:
    return "; ".join(str(a[key]) for a in actors if a[key])


def polecat_row(ev: dict[str, Any]) -> list[Any]:
    rep, level = ev["rep"], ev["location_level"]
    cells = {"Event ID": ev["id"], "Event Date": _iso(ev["date_start"]), "Event Type": ev["type"],
             "Event Mode": ev["mode"], "Event Intensity": ev["score"], "Quad Code": QUAD_LABEL.get(ev["quad_class"]),
             "Contexts": "; ".join(ev["context"] or []),
             "Placename": ev["location_name"], "City": ev["location_name"] if level in ("city", "point") else None,
             "Province": ev["location_admin1"], "Country": ev["location_country"], "Latitude": ev["lat"],
             "Longitude": ev["lon"], "GeoNames ID": ev["geonames_id"], "Raw Placename": ev["location_name"],
             "Feature Type": level, "Source": rep["source"], "Publication Date": _iso(rep["published"]),
             "Language": rep["language"], "Version": CODER}
    for role, label in (("actor", "Actor"), ("recipient", "Recipient")):
        people = ev[role]
        cells.update({f"{label} Name": "; ".join(str(a["name"] or a["text"]) for a in people),
                      f"{label} Country": _join(people, "country"),
                      f"Primary {label} Sector": people[0]["sector"] if people else None,
                      f"{label} Sectors": _join(people, "sector"), f"{label} Name Raw": _join(people, "text"),
                      f"Wikipedia {label} ID": _join(people, "kb_id")})
    return ["" if cells.get(c) is None else cells[c] for c in POLECAT_COLUMNS]


def gdelt_row(ev: dict[str, Any]) -> list[Any]:
    d, rep, cameo = ev["date_start"], ev["rep"], ev["cameo"] or ""
    cells: dict[str, Any] = {"GLOBALEVENTID": int(ev["id"][:15], 16)}
    if d:
        cells.update({"SQLDATE": d.strftime("%Y%m%d"), "MonthYear": d.strftime("%Y%m"), "Year": d.year,
                      "FractionDate": f"{d.year + d.timetuple().tm_yday / 365:.4f}"})
    for n, role in ((1, "actor"), (2, "recipient")):
        people = ev[role]
        if people:
            first = people[0]
            cells.update({f"Actor{n}Code": (first["country"] or "") + (first["sector"] or ""),
                          f"Actor{n}Name": (first["name"] or first["text"] or "").upper(),
                          f"Actor{n}CountryCode": first["country"], f"Actor{n}Type1Code": first["sector"]})
    cells.update({"IsRootEvent": int((rep["sentence_index"] or 0) < 3), "EventCode": cameo,
                  "EventBaseCode": cameo[:3], "EventRootCode": cameo[:2], "QuadClass": ev["quad_class"],
                  "GoldsteinScale": ev["score"], "NumMentions": len(ev["reports"]), "NumSources": ev["n_sources"],
                  "NumArticles": ev["n_articles"], "DATEADDED": ev["added"].strftime("%Y%m%d%H%M%S"),
                  "SOURCEURL": rep["url"]})
    if ev["location_name"] or ev["location_country"]:
        full = ", ".join(x for x in (ev["location_name"], ev["location_admin1"], ev["location_country"]) if x)
        cells.update({"ActionGeo_Type": GDELT_GEO_TYPE.get(ev["location_level"] or "", 4), "ActionGeo_FullName": full,
                      "ActionGeo_CountryCode": ev["location_country"], "ActionGeo_ADM1Code": ev["location_admin1"],
                      "ActionGeo_Lat": ev["lat"], "ActionGeo_Long": ev["lon"],
                      "ActionGeo_FeatureID": ev["geonames_id"]})
    return ["" if cells.get(c) is None else cells[c] for c in GDELT_COLUMNS]


def parquet_row(ev: dict[str, Any]) -> dict[str, Any]:
    keep = ("id", "type", "mode", "context", "cameo", "quad_class", "score", "date", "date_precision", "date_start",
            "date_end", "location_name", "location_country", "location_admin1", "lat", "lon", "geonames_id",
            "location_level", "confidence", "n_articles", "n_sources")
    row = {k: ev[k] for k in keep}
    row.update(actor=ev["actor"], recipient=ev["recipient"], sentence=ev["rep"]["sentence"], url=ev["rep"]["url"],
               month=ev["date_start"].strftime("%Y-%m") if ev["date_start"] else "unknown")
    return row


@contextmanager
def _open(out: str | Path) -> Iterator[IO[str]]:
    if str(out) == "-":
        yield sys.stdout
        return
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as fh:
        yield fh


def export(db: str | Path = DEFAULT_DB, format: str = "plover-jsonl", out: str | Path = "-", *,
           min_confidence: float = 0.0) -> int:
    """Write every merged event of `db` (at least `min_confidence`) to `out` ("-": standard output); returns the count."""
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; choose from {', '.join(FORMATS)}")
    con = connect(str(db), read_only=True)
    try:
        if format == "parquet":
            return _parquet(con, out, min_confidence)
        n = 0
        with _open(out) as fh:
            if format == "plover-jsonl":
                for ev in iter_events(con, min_confidence):
                    fh.write(json.dumps(plover_record(ev), ensure_ascii=False) + "\n")
                    n += 1
                return n
            writer = csv.writer(fh, delimiter="\t" if format == "gdelt-tsv" else ",", lineterminator="\n")
            writer.writerow(GDELT_COLUMNS if format == "gdelt-tsv" else POLECAT_COLUMNS)
            row = gdelt_row if format == "gdelt-tsv" else polecat_row
            for ev in iter_events(con, min_confidence):
                writer.writerow(row(ev))
                n += 1
            return n
    finally:
        con.close()


def _parquet(con, out: str | Path, min_confidence: float = 0.0) -> int:
    import pyarrow.dataset as ds

    person = pa.struct([(k, pa.string()) for k in ("text", "name", "country", "sector", "kb_id", "resolution")])
    schema = pa.schema([
        ("id", pa.string()), ("type", pa.string()), ("mode", pa.string()), ("context", pa.list_(pa.string())),
        ("cameo", pa.string()), ("quad_class", pa.int8()), ("score", pa.float64()), ("date", pa.string()),
        ("date_precision", pa.string()), ("date_start", pa.date32()), ("date_end", pa.date32()),
        ("location_name", pa.string()), ("location_country", pa.string()), ("location_admin1", pa.string()),
        ("lat", pa.float64()), ("lon", pa.float64()), ("geonames_id", pa.int64()), ("location_level", pa.string()),
        ("confidence", pa.float64()), ("n_articles", pa.int32()), ("n_sources", pa.int32()),
        ("actor", pa.list_(person)), ("recipient", pa.list_(person)), ("sentence", pa.string()),
        ("url", pa.string()), ("month", pa.string())])
    count = 0

    def batches() -> Iterator[pa.RecordBatch]:
        nonlocal count
        rows: list[dict[str, Any]] = []
        for ev in iter_events(con, min_confidence):
            rows.append(parquet_row(ev))
            if len(rows) == PAGE:
                count += len(rows)
                yield pa.RecordBatch.from_pylist(rows, schema=schema)
                rows = []
        count += len(rows)
        yield pa.RecordBatch.from_pylist(rows, schema=schema)

    ds.write_dataset(pa.RecordBatchReader.from_batches(schema, batches()), str(out), format="parquet",
                     partitioning=ds.partitioning(pa.schema([("month", pa.string())]), flavor="hive"),
                     existing_data_behavior="delete_matching")
    return count
