"""The HTTP API and the dashboard's JSON twins, in-process (TestClient), on a database built here.

The articles are written below and coded by the real pipeline; assertions read the expected
values from the database itself, so they hold whatever the coder makes of the texts.
"""
from __future__ import annotations

import csv
import io
import re
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)   # starlette would like httpx2; httpx is pinned
    from fastapi.testclient import TestClient

from tacitus.ingest import ingest
from tacitus.server import create_app
from tacitus.store import queries as q
from tacitus.store.schema import connect

ARTICLES = {
    "kenya_somalia.txt": (
        "NAIROBI, March 14 (Reuters) - Kenya and Somalia agreed on Monday to reopen their shared border, "
        "closed for more than a decade because of attacks by al-Shabaab militants.\n\n"
        "Kenyan President William Ruto met Somali President Hassan Sheikh Mohamud in Nairobi on Monday.\n\n"
        "Kenyan police arrested 30 protesters in Nairobi on Tuesday, a police spokesman said."),
    "russia_britain.txt": (
        "MOSCOW, April 7 - Russia expelled two British diplomats on Friday, accusing them of spying.\n\n"
        "Britain condemned the expulsions and summoned the Russian ambassador in London on Saturday.\n\n"
        "Russia threatened to retaliate against any new British sanctions."),
    "iran_sanctions.txt": (
        "WASHINGTON, May 3 - The United States imposed new sanctions on Iran on Wednesday over its missile "
        "programme.\n\nIran rejected the sanctions and accused Washington of economic warfare on Thursday.\n\n"
        "France urged Iran to return to talks in Vienna."),
}
NEW_ARTICLE = ("Japan and South Korea signed a defence agreement in Tokyo on Monday. "
               "North Korea fired two ballistic missiles into the sea on Tuesday, Japan's defence ministry said.")
PUBLISHED = {"kenya_somalia.txt": "2023-03-14", "russia_britain.txt": "2023-04-07", "iran_sanctions.txt": "2023-05-03"}
pytestmark = pytest.mark.filterwarnings("ignore::starlette.exceptions.StarletteDeprecationWarning")


@pytest.fixture(scope="module")
def built_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("api")
    src = root / "articles"
    src.mkdir()
    for name, text in ARTICLES.items():
        (src / name).write_text(text, encoding="utf-8")
    db = root / "base.duckdb"
    for name, day in PUBLISHED.items():
        ingest([src / name], db, workers=1, progress=False, published=day)
    return db


def copy_db(built_db: Path, tmp_path: Path, name: str = "copy.duckdb") -> Path:
    """A private copy: DuckDB lets one process hold a file read-only or read-write, not both."""
    target = tmp_path / name
    shutil.copy(built_db, target)
    return target


@pytest.fixture(scope="module")
def client(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = copy_db(built_db, tmp_path_factory.mktemp("shared"))
    with TestClient(create_app(db, read_only=True)) as c:
        yield c


@pytest.fixture()
def writable(built_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.delenv("TACITUS_TOKEN", raising=False)
    with TestClient(create_app(copy_db(built_db, tmp_path))) as c:
        yield c


def events(client: TestClient, **params: object) -> dict:
    r = client.get("/v1/events", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def a_dyad(built_db: Path) -> tuple[str, str, int]:
    """An actor and recipient country of some event, and how many events they share."""
    con = connect(str(built_db), read_only=True)
    try:
        row = con.execute(
            "SELECT a.country, r.country, count(DISTINCT a.event_id) AS n FROM event_actors a JOIN event_actors r "
            "ON r.event_id = a.event_id AND r.role = 'recipient' WHERE a.role = 'actor' AND a.country IS NOT NULL "
            "AND r.country IS NOT NULL GROUP BY ALL ORDER BY n DESC, 1, 2 LIMIT 1").fetchone()
    finally:
        con.close()
    assert row, "the test articles should give at least one event with an actor and a recipient country"
    return row


# ---- reads ----------------------------------------------------------------------------

def test_api_stats_counts_the_corpus(client: TestClient) -> None:
    stats = client.get("/v1/stats").json()
    assert stats["articles"] == 3
    assert stats["by_status"] == {"coded": 3}
    assert stats["events"] > 3 and sum(stats["by_type"].values()) == stats["events"]


def test_api_events_lists_a_page_with_total(client: TestClient) -> None:
    body = events(client)
    assert body["total"] == client.get("/v1/stats").json()["events"]
    assert body["count"] == len(body["events"]) == min(50, body["total"])
    first = body["events"][0]
    assert {"id", "date", "type", "quad_class", "score", "actor", "recipient", "sentence"} <= set(first)


def test_api_events_filters_by_dyad_type_quad_dates_and_text(client: TestClient, built_db: Path) -> None:
    a, b, n = a_dyad(built_db)
    dyad = events(client, actor=a, recipient=b)
    assert dyad["total"] == n
    for e in dyad["events"]:
        assert a in {x["country"] for x in e["actor"]} and b in {x["country"] for x in e["recipient"]}
    some = events(client)["events"][0]
    by_type = events(client, type=some["type"].lower(), limit=1000)
    assert by_type["total"] >= 1 and {e["type"] for e in by_type["events"]} == {some["type"]}
    quad = events(client, quad_class=some["quad_class"], limit=1000)
    assert {e["quad_class"] for e in quad["events"]} == {some["quad_class"]}
    may = events(client, since="2023-05", until="2023-05-31", limit=1000)
    assert may["total"] >= 1 and all(e["date"] is None or e["date"][:7] in ("2023-05",) for e in may["events"])
    word = some["sentence"].split()[1]
    by_text = events(client, q=word.upper(), limit=1000)
    assert some["id"] in {e["id"] for e in by_text["events"]}


def test_api_events_sort_and_order(client: TestClient) -> None:
    scores = [e["score"] for e in events(client, sort="score", order="asc", limit=1000)["events"]]
    known = [s for s in scores if s is not None]
    assert known == sorted(known)
    ids = [e["id"] for e in events(client, sort="id", order="asc", limit=1000)["events"]]
    assert ids == sorted(ids)


def test_api_events_pagination_edges(client: TestClient) -> None:
    total = events(client)["total"]
    past = events(client, offset=total + 10)
    assert past["events"] == [] and past["total"] == total and past["next"] is None and past["prev"] is not None
    zero = events(client, limit=0)
    assert zero["events"] == [] and zero["count"] == 0 and zero["total"] == total and zero["next"] is None
    assert client.get("/v1/events", params={"limit": 1001}).status_code == 422
    assert client.get("/v1/events", params={"limit": -1}).status_code == 422
    assert client.get("/v1/events", params={"offset": -1}).status_code == 422
    seen, params = [], {"limit": 2, "sort": "id", "order": "asc"}
    while params is not None:
        page = events(client, **params)
        seen += [e["id"] for e in page["events"]]
        params = page["next"]
    assert len(seen) == len(set(seen)) == total
    last = events(client, limit=2, offset=2)
    assert last["prev"] == {"limit": 2} and events(client, **last["prev"])["offset"] == 0


@pytest.mark.parametrize("params, field", [
    ({"since": "2023-02-30"}, "since"), ({"until": "March"}, "until"), ({"type": "BOMBING"}, "type"),
    ({"quad_class": 5}, "quad_class"), ({"sort": "colour"}, "sort"), ({"order": "up"}, "order"),
    ({"limit": "ten"}, "limit"), ({"colour": "red"}, "colour")])
def test_api_events_bad_parameters_are_422_naming_the_field(client: TestClient, params: dict, field: str) -> None:
    r = client.get("/v1/events", params=params)
    assert r.status_code == 422
    body = r.json()
    assert body["error"] == "invalid request"
    assert [p["field"] for p in body["detail"]] == [field]
    assert body["message"].startswith(f"{field} (query): ")


def test_api_event_detail_has_every_mention_with_evidence(client: TestClient) -> None:
    some = events(client, sort="articles")["events"][0]
    event = client.get(f"/v1/events/{some['id']}").json()
    assert event["id"] == some["id"] and event["type"] == some["type"]
    assert len(event["mentions"]) >= event["n_articles"] >= 1
    for m in event["mentions"]:
        assert m["sentence"] and m["trigger"] and m["raw"]["evidence"]["sentence"] == m["sentence"]
        assert "".join(s["text"] for s in m["highlight"]) == m["sentence"]
        assert [s["text"] for s in m["highlight"] if s["kind"] == "trigger"] == [m["trigger"]]
        assert m["source_link"] == f"/articles/{m['article_id']}"
    assert client.get("/v1/events/0000000000000000").status_code == 404
    assert client.get("/v1/events/not-an-id").status_code == 422


def test_api_dyad_timeline_by_month(client: TestClient, built_db: Path) -> None:
    a, b, n = a_dyad(built_db)
    body = client.get(f"/v1/dyads/{a}/{b}/timeline", params={"by": "month"}).json()
    assert body["actor"] == a and body["by"] == "month"
    periods = body["periods"]
    assert periods and all(p["period"].endswith("-01") for p in periods)
    assert body["totals"]["events"] == sum(p["events"] for p in periods) <= n
    for p in periods:
        assert p["events"] == sum(p[k] for k in ("verbal_cooperation", "material_cooperation", "verbal_conflict",
                                                  "material_conflict"))
    assert client.get(f"/v1/dyads/{a}/{b}/timeline", params={"by": "day"}).status_code == 422
    empty = client.get("/v1/dyads/ZZZ/YYY/timeline").json()
    assert empty["periods"] == [] and empty["totals"]["events"] == 0


# ---- POST /v1/code --------------------------------------------------------------------

def test_api_code_returns_the_cli_json_and_stores_nothing(writable: TestClient) -> None:
    import tacitus

    before = writable.get("/v1/stats").json()
    r = writable.post("/v1/code", json={"text": NEW_ARTICLE, "published": "2023-03-20"})
    assert r.status_code == 200
    assert r.json() == tacitus.code(NEW_ARTICLE, published="2023-03-20").to_dict()
    assert r.json()["document"]["published"] == "2023-03-20" and r.json()["events"]
    assert writable.get("/v1/stats").json() == before
    assert events(writable, q="ballistic missiles")["total"] == 0     # a query never asked before: not cached


@pytest.mark.parametrize("body, field", [({}, "text"), ({"text": ""}, "text"), ({"text": "x", "published": "soon"},
                                          "published"), ({"text": "x", "colour": 1}, "colour")])
def test_api_code_rejects_bad_bodies(client: TestClient, body: dict, field: str) -> None:
    r = client.post("/v1/code", json=body)
    assert r.status_code == 422
    assert [p["field"] for p in r.json()["detail"]] == [field]


# ---- POST /v1/articles ----------------------------------------------------------------

def test_api_articles_codes_stores_and_is_idempotent(writable: TestClient) -> None:
    before = writable.get("/v1/stats").json()
    r = writable.post("/v1/articles", json={"id": "jp-kr", "text": NEW_ARTICLE, "published": "2023-03-20",
                                            "url": "https://example.org/jp-kr", "title": "Japan and Korea"})
    assert r.status_code == 200, r.text
    stored = r.json()["articles"][0]
    assert r.json()["stored"] == 1 and stored["status"] == "coded" and not stored["already_stored"]
    assert stored["event_ids"] and stored["n_events"] >= len(stored["event_ids"])
    event = writable.get(f"/v1/events/{stored['event_ids'][0]}").json()
    assert event["mentions"][0]["url"] == "https://example.org/jp-kr"
    assert event["mentions"][0]["source_link"] == "https://example.org/jp-kr"
    after = writable.get("/v1/stats").json()
    assert after["articles"] == before["articles"] + 1 and after["events"] > before["events"]
    again = writable.post("/v1/articles", json={"id": "jp-kr", "text": NEW_ARTICLE}).json()
    assert again["stored"] == 0 and again["articles"][0]["already_stored"]
    assert again["articles"][0]["row_id"] == stored["row_id"]
    assert writable.get("/v1/stats").json() == after


def test_api_articles_batch_marks_copies_as_duplicates(writable: TestClient) -> None:
    r = writable.post("/v1/articles", json=[{"id": "one", "text": NEW_ARTICLE}, {"id": "two", "text": NEW_ARTICLE}])
    assert r.status_code == 200
    one, two = r.json()["articles"]
    assert one["status"] == "coded" and two["status"] == "skipped" and two["duplicate_of"] == one["row_id"]
    page = writable.get(f"/articles/{two['row_id']}.json").json()
    assert page["duplicate_of"] == one["row_id"] and page["mentions"] == []


def test_api_articles_limits_and_content_type(writable: TestClient) -> None:
    too_many = [{"id": f"n{i}", "text": "Some text."} for i in range(101)]
    r = writable.post("/v1/articles", json=too_many)
    assert r.status_code == 422 and "at most 100" in r.json()["message"]
    assert writable.post("/v1/articles", json=[]).status_code == 422
    r = writable.post("/v1/articles", content=b'{"text": "x"}', headers={"content-type": "text/plain"})
    assert r.status_code == 415
    r = writable.post("/v1/articles", json={"text": "x", "url": "javascript:alert(1)"})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "url"


def test_api_articles_needs_the_token_when_one_is_set(built_db: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TACITUS_TOKEN", "s3cret-token")
    with TestClient(create_app(copy_db(built_db, tmp_path))) as c:
        body = {"id": "t1", "text": NEW_ARTICLE}
        missing = c.post("/v1/articles", json=body)
        assert missing.status_code == 401 and missing.headers["www-authenticate"].startswith("Bearer")
        assert c.post("/v1/articles", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.post("/v1/articles", json=body, headers={"Authorization": "Basic czNjcmV0"}).status_code == 401
        ok = c.post("/v1/articles", json=body, headers={"Authorization": "Bearer s3cret-token"})
        assert ok.status_code == 200 and ok.json()["stored"] == 1
        assert c.get("/v1/events").status_code == 200          # reads need no token
        assert c.post("/v1/code", json={"text": NEW_ARTICLE}).status_code == 200


def test_api_read_only_refuses_writes(client: TestClient) -> None:
    r = client.post("/v1/articles", json={"text": NEW_ARTICLE})
    assert r.status_code == 403 and "read-only" in r.json()["message"]
    page = client.post("/code", data={"text": NEW_ARTICLE})
    assert page.status_code == 200 and 'id="store-button"' not in page.text and "read-only" in page.text


def test_api_request_size_limit_is_413(built_db: Path, tmp_path: Path) -> None:
    with TestClient(create_app(copy_db(built_db, tmp_path), max_body=2000)) as c:
        big = {"text": "Kenya and Somalia agreed to reopen the border. " * 100}
        r = c.post("/v1/code", json=big)
        assert r.status_code == 413 and "2,000 bytes" in r.json()["message"]
        chunked = c.post("/v1/articles", content=(b"x" * 500 for _ in range(10)),
                         headers={"content-type": "application/json"})
        assert chunked.status_code == 413
        assert c.post("/v1/code", json={"text": NEW_ARTICLE}).status_code == 200


def test_api_no_cors_unless_configured(client: TestClient, built_db: Path, tmp_path: Path) -> None:
    preflight = {"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"}
    assert "access-control-allow-origin" not in client.options("/v1/events", headers=preflight).headers
    assert "access-control-allow-origin" not in client.get("/v1/stats", headers={"Origin": preflight["Origin"]}).headers
    with TestClient(create_app(copy_db(built_db, tmp_path), read_only=True,
                               cors_origins=["https://elsewhere.example"])) as c:
        r = c.get("/v1/stats", headers={"Origin": "https://elsewhere.example"})
        assert r.headers["access-control-allow-origin"] == "https://elsewhere.example"
        assert "access-control-allow-origin" not in c.get("/v1/stats", headers={"Origin": "https://x.example"}).headers


# ---- pages and their JSON twins -------------------------------------------------------

def test_pages_events_and_twin_share_one_data_function(client: TestClient, built_db: Path) -> None:
    a, b, _ = a_dyad(built_db)
    params = {"actor": a, "recipient": b}
    twin = client.get("/events.json", params=params).json()
    assert twin == client.get("/v1/events", params=params).json()
    page = client.get("/events", params=params)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert set(re.findall(r'data-href="/events/([0-9a-f]+)"', page.text)) == {e["id"] for e in twin["events"]}
    assert f'href="/events.json?actor={a}&amp;recipient={b}"' in page.text


def test_pages_every_page_has_a_json_twin(client: TestClient, built_db: Path) -> None:
    a, b, _ = a_dyad(built_db)
    some = events(client)["events"][0]
    event = client.get(f"/events/{some['id']}.json").json()
    article_id = event["mentions"][0]["article_id"]
    pairs = [("/", "/index.json"), (f"/events/{some['id']}", f"/events/{some['id']}.json"),
             (f"/dyads/{a}/{b}", f"/dyads/{a}/{b}.json"), ("/dyads", "/dyads.json"), ("/map", "/map.json"),
             (f"/articles/{article_id}", f"/articles/{article_id}.json")]
    for page, twin in pairs:
        html, data = client.get(page), client.get(twin)
        assert html.status_code == 200 and data.status_code == 200, (page, html.status_code, data.status_code)
        assert html.headers["content-type"].startswith("text/html") and data.headers["content-type"] == "application/json"
        assert f'href="{twin}"' in html.text, page
    assert event == client.get(f"/v1/events/{some['id']}").json()
    assert client.get(f"/dyads/{a}/{b}.json").json() == client.get(f"/v1/dyads/{a}/{b}/timeline").json()
    points = client.get("/map.json").json()
    assert points["located"] == len(points["points"]) <= points["total"]
    assert all(-90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180 for p in points["points"])
    assert client.get("/map").text.count("<circle") == len(points["points"])


def test_pages_event_detail_highlights_evidence(client: TestClient) -> None:
    some = events(client, sort="articles")["events"][0]
    page = client.get(f"/events/{some['id']}").text
    twin = client.get(f"/events/{some['id']}.json").json()
    for m in twin["mentions"]:
        assert f'<mark class="hl hl-trigger" title="trigger">{m["trigger"]}</mark>' in page.replace("&#39;", "'")
    assert 'class="source-link"' in page


def test_pages_csv_download_follows_the_filters(client: TestClient, built_db: Path) -> None:
    a, b, n = a_dyad(built_db)
    r = client.get("/events.csv", params={"actor": a, "recipient": b})
    assert r.headers["content-type"].startswith("text/csv") and "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == n and all(f"{a}" in row["actor"] and f"{b}" in row["recipient"] for row in rows)
    everything = list(csv.DictReader(io.StringIO(client.get("/events.csv", params={"limit": 1}).text)))
    assert len(everything) == events(client)["total"]      # the whole view, not one page


def test_pages_code_highlights_and_escapes(client: TestClient) -> None:
    text = "<script>alert(1)</script> " + NEW_ARTICLE
    page = client.post("/code", data={"text": text, "published": "2023-03-20"})
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert 'class="hl hl-trigger"' in page.text and 'class="hl hl-actor"' in page.text
    twin = client.post("/code.json", json={"text": NEW_ARTICLE, "published": "2023-03-20"}).json()
    assert twin["events"] and all("highlight" in e for e in twin["events"])
    kinds = {s["kind"] for e in twin["events"] for s in e["highlight"]}
    assert {"trigger", "actor", "date"} <= kinds
    bad = client.post("/code", data={"text": "x", "published": "someday"})
    assert bad.status_code == 422 and "published" in bad.text


def test_pages_errors_are_pages_and_the_api_errors_json(client: TestClient) -> None:
    page = client.get("/events", params={"quad_class": 9})
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert "quad_class" in page.text
    assert client.get("/events/0000000000000000").status_code == 404
    assert client.get("/nowhere").status_code == 404
    assert client.get("/v1/nowhere").json()["error"] == "Not Found"


def test_pages_load_nothing_from_other_hosts(client: TestClient) -> None:
    some = events(client)["events"][0]["id"]
    for path in ("/", "/events", f"/events/{some}", "/dyads", "/map", "/code", "/docs"):
        r = client.get(path)
        assert "default-src 'self'" in r.headers["content-security-policy"]
        for url in re.findall(r'(?:src|href)="([^"]+)"', r.text):
            assert url.startswith(("/", "?", "#")), (path, url)
    assert client.get("/static/app.js").status_code == 200 and client.get("/static/app.css").status_code == 200
    world = client.get("/map/world.svg")
    assert world.headers["content-type"].startswith("image/svg+xml") and world.text.count("<path") > 150


def test_openapi_and_local_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/v1/code", "/v1/articles", "/v1/events", "/v1/events/{event_id}", "/v1/dyads/{a}/{b}/timeline",
            "/v1/stats"} <= set(spec["paths"])
    assert not any(p.startswith(("/events", "/map")) for p in spec["paths"])   # pages are not the API
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/v1/dyads/{a}/{b}/timeline" in docs.text and "cdn" not in docs.text.lower()
    assert client.get("/redoc").status_code == 404


def test_serve_get_runs_one_request_in_process(built_db: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from tacitus.cli.main import app

    db = copy_db(built_db, tmp_path)
    ok = CliRunner().invoke(app, ["serve", "--db", str(db), "--get", "/v1/stats"])
    assert ok.exit_code == 0 and '"articles":3' in ok.stdout
    bad = CliRunner().invoke(app, ["serve", "--db", str(db), "--get", "/v1/events?limit=-1"])
    assert bad.exit_code == 1 and '"invalid request"' in bad.stdout
    missing = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "none.duckdb"), "--get", "/"])
    assert missing.exit_code == 2


@pytest.mark.parametrize("filters", [{}, {"type": "ACCUSE"}, {"q": "the"}, {"since": "2023-04"}, {"actor": "ZZZ"}])
def test_events_listing_agrees_with_the_store_queries(built_db: Path, filters: dict) -> None:
    """The listing's shortcuts (no count for a partial page) never change what the store would say."""
    from tacitus.server.data import events_listing
    from tacitus.server.params import EventQuery

    con = connect(str(built_db), read_only=True)
    try:
        total = q.count_events(con, EventQuery(**filters).to_filter())
        for limit in (0, 1, 2, 50, 1000):
            for offset in sorted({0, 1, max(0, total - 1), total, total + 5}):
                query = EventQuery(**filters, limit=limit, offset=offset)
                listing = events_listing(con, query)
                assert listing["total"] == total, (limit, offset)
                assert listing["events"] == (q.find_events(con, query.to_filter()) if limit else [])
    finally:
        con.close()


def test_cache_is_dropped_by_every_write(writable: TestClient) -> None:
    db = writable.app.state.db
    first = events(writable, limit=0)["total"]
    generation = db.cache.generation
    assert events(writable, limit=0)["total"] == first
    writable.post("/v1/articles", json={"id": "cache", "text": NEW_ARTICLE})
    assert db.cache.generation == generation + 1
    assert events(writable, limit=0)["total"] > first


def test_dyad_both_ways_map_filters_and_the_dyad_form(client: TestClient, built_db: Path) -> None:
    a, b, _ = a_dyad(built_db)
    one = client.get(f"/v1/dyads/{a}/{b}/timeline").json()["totals"]["events"]
    back = client.get(f"/v1/dyads/{b}/{a}/timeline").json()["totals"]["events"]
    both = client.get(f"/v1/dyads/{a}/{b}/timeline", params={"both": "true"}).json()["totals"]["events"]
    assert max(one, back) <= both <= one + back
    located = client.get("/map.json", params={"actor": a}).json()
    assert located["total"] == events(client, actor=a)["total"] >= located["located"]
    form = client.get("/dyads", params={"a": a, "b": b}, follow_redirects=False)
    assert form.status_code == 303 and form.headers["location"].endswith(f"/dyads/{a}/{b}")


# ---- highlighting ---------------------------------------------------------------------

def test_highlight_whole_words_priority_and_nearest_date() -> None:
    from tacitus.server.highlight import Span, find_word, segments, spans_for

    sentence = "On Monday Kenya told Kenyans that Kenya would reopen the border with Somalia on Tuesday."
    assert find_word(sentence, "Kenya") == (10, 15)                    # not inside "Kenyans"
    assert find_word(sentence, "kenya", near=40) == (34, 39)           # any case, nearest the trigger
    spans = spans_for(sentence, trigger="reopen", actors=[{"text": "Kenya"}], recipients=[{"text": "Somalia"}],
                      place="Somalia", dated=True)
    kinds = {s.kind: sentence[s.start:s.end] for s in spans}
    assert kinds["trigger"] == "reopen" and kinds["recipient"] == "Somalia" and kinds["date"] == "on Tuesday"
    pieces = segments(sentence, spans)
    assert "".join(p["text"] for p in pieces) == sentence
    assert [p["kind"] for p in pieces if p["kind"]] == ["actor", "trigger", "recipient", "date"]   # place lost to recipient
    assert segments("abc", [Span(0, 2, "trigger"), Span(1, 3, "actor")]) == [
        {"text": "ab", "kind": "trigger"}, {"text": "c", "kind": None}]
    undated = spans_for(sentence, trigger="reopen", dated=False)
    assert [s.kind for s in undated] == ["trigger"]


def test_highlight_prefers_exact_offsets_when_they_fit() -> None:
    from tacitus.server.highlight import spans_for

    sentence = "Police arrested protesters; police arrested journalists."
    at = sentence.index("arrested journalists")
    spans = spans_for(sentence, trigger="arrested", trigger_at=(at, at + 8),
                      actors=[{"text": "police", "start": at - 7, "end": at - 1}])
    assert [(s.kind, s.start) for s in spans] == [("trigger", at), ("actor", at - 7)]
    wrong = spans_for(sentence, trigger="arrested", trigger_at=(0, 8))     # offsets that do not fit: matched instead
    assert wrong[0].start == sentence.index("arrested")


def test_api_events_min_confidence(client: TestClient) -> None:
    total = events(client)["total"]
    strict = events(client, min_confidence=0.99, limit=1000)
    assert strict["total"] <= total and all(e["confidence"] >= 0.99 for e in strict["events"])
    assert client.get("/v1/events", params={"min_confidence": 2}).status_code == 422
