"""The dashboard in a real browser: Debian's Chromium driven by Playwright, against `tacitus serve`.

The server is the real command in a subprocess on a free loopback port, over a database
ingested from examples/articles. The browser must never leave that server: every request
it makes is recorded and checked. Screenshots go to test-output/ (gitignored).

Needs /usr/bin/chromium (`apt-get install chromium`) and requirements/browser.txt; the test
fails, rather than skips, without them, so a missing install step cannot pass unnoticed.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tacitus.ingest import ingest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "articles"
OUTPUT = ROOT / "test-output"
CHROMIUM = Path(os.environ.get("TACITUS_CHROMIUM", "/usr/bin/chromium"))
STORY = ("Japan and South Korea signed a defence agreement in Tokyo on Monday. "
         "North Korea fired two ballistic missiles into the sea on Tuesday, Japan's defence ministry said.")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("dashboard") / "examples.duckdb"
    ingest([EXAMPLES], db, workers=1, progress=False)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "TACITUS_TOKEN"}
    proc = subprocess.Popen([sys.executable, "-m", "tacitus.cli.main", "serve", "--db", str(db), "--host", "127.0.0.1",
                             "--port", str(port), "--no-access-log"], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/v1/stats", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                output = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
                pytest.fail(f"tacitus serve did not start:\n{output}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (see the Makefile)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the playwright package is missing: pip install -r requirements/browser.txt")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                     args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, server: str) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.requests, page.problems = [], []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    yield page
    foreign = [u for u in page.requests if not u.startswith(server) and not u.startswith(("data:", "about:"))]
    context.close()
    assert not foreign, f"the page reached beyond the server: {foreign}"
    assert not page.problems, f"errors in the page: {page.problems}"


def shot(page, name: str) -> Path:
    OUTPUT.mkdir(exist_ok=True)
    path = OUTPUT / f"dashboard-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    return path


def busiest_dyad(server: str) -> tuple[str, str, int]:
    dyads = httpx.get(f"{server}/dyads.json").json()["dyads"]
    top = next(d for d in dyads if d["actor"] != d["recipient"])
    return top["actor"], top["recipient"], top["events"]


def test_dashboard_filter_a_dyad_open_an_event_see_the_evidence(page, server: str) -> None:
    actor, recipient, n = busiest_dyad(server)
    page.goto(f"{server}/")
    page.get_by_role("link", name="Events", exact=True).click()
    page.wait_for_url("**/events")
    everything = int(page.locator("#total").inner_text())
    page.fill("input[name=actor]", actor)
    page.fill("input[name=recipient]", recipient)
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(f"**/events?actor={actor}&recipient={recipient}")   # blank filters left out of the URL
    rows = page.locator("#events tbody tr[data-href]")
    assert rows.count() == n == int(page.locator("#total").inner_text()) < everything
    for i in range(rows.count()):
        assert actor in rows.nth(i).locator("td").nth(2).inner_text()
        assert recipient in rows.nth(i).locator("td").nth(3).inner_text()
    shot(page, "events")

    href = rows.first.get_attribute("data-href")
    rows.first.locator("td.sentence").click()                       # a click anywhere on the row opens it
    page.wait_for_url(f"**{href}")
    twin = httpx.get(f"{server}{href}.json").json()
    evidence = page.locator("#mentions .evidence")
    assert evidence.count() == len(twin["mentions"]) >= 1
    first = twin["mentions"][0]
    assert " ".join(evidence.first.inner_text().split()) == " ".join(first["sentence"].split())
    trigger = evidence.first.locator("mark.hl-trigger")
    assert trigger.count() == 1 and trigger.inner_text() == first["trigger"]
    assert trigger.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    marked = {k: evidence.first.locator(f"mark.hl-{k}").count() for k in ("actor", "recipient", "date", "place")}
    assert marked["actor"] + marked["recipient"] >= 1, marked
    assert page.locator("a.source-link").first.get_attribute("href") == first["source_link"]
    shot(page, "event")

    page.locator("a.source-link").first.click()
    page.wait_for_url("**/articles/**")
    assert page.locator("#mentions, ol.mentions").count() == 1 and page.locator("mark.hl-trigger").count() >= 1


def test_dashboard_dyad_timeline_map_and_csv(page, server: str) -> None:
    actor, recipient, _ = busiest_dyad(server)
    page.goto(f"{server}/dyads")
    page.fill("input[name=a]", actor)
    page.fill("input[name=b]", recipient)
    page.get_by_role("button", name="Show timeline").click()
    page.wait_for_url(f"**/dyads/{actor}/{recipient}")
    bars = page.locator("svg.timeline rect.q1, svg.timeline rect.q2, svg.timeline rect.q3, svg.timeline rect.q4")
    assert bars.count() >= 1
    shot(page, "dyad")

    page.goto(f"{server}/map")
    assert page.locator("svg#world circle.dot").count() == httpx.get(f"{server}/map.json").json()["shown"] > 0
    page.wait_for_load_state("networkidle")
    assert page.locator("svg#world image").evaluate("e => e.getBBox().width") > 0
    shot(page, "map")

    page.goto(f"{server}/events?actor={actor}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("id,date") and len(lines) - 1 == int(page.locator("#total").inner_text())


def test_dashboard_code_an_article_and_store_it(page, server: str) -> None:
    page.goto(f"{server}/code")
    page.fill("#text", STORY)
    page.fill("#published", "2023-03-20")
    page.get_by_role("button", name="Code it").click()
    page.wait_for_selector("#result")
    assert page.locator("#result mark.hl-trigger").count() >= 1
    assert page.locator("#result mark.hl-actor").count() >= 1
    before = httpx.get(f"{server}/v1/stats").json()["articles"]
    page.fill("#store-id", "browser-story")
    page.get_by_role("button", name="Store this article").click()
    page.wait_for_selector("#store-result a")
    assert "stored (coded)" in page.locator("#store-result").inner_text()
    shot(page, "code")
    assert httpx.get(f"{server}/v1/stats").json()["articles"] == before + 1
    page.locator("#store-result a").first.click()
    page.wait_for_url("**/events/**")
    assert page.locator("#mentions mark.hl-trigger").count() >= 1
