"""Load test of GET /v1/events: bounded, loopback only.

    .venv/bin/python bench/load.py                      # example database, 3000 requests, 16 at a time
    .venv/bin/python bench/load.py --db tacitus.duckdb --requests 5000 --concurrency 32

Starts `tacitus serve` in a subprocess on a free 127.0.0.1 port (over a database built from
examples/articles unless --db is given), sends a fixed mix of event queries (pages, filters,
sorts, text search) from client threads with keep-alive connections, and prints requests/s, latency percentiles
and errors. Exits 1 when under --min-rps, over --max-p99-ms or with any error. The run is
bounded twice: by the request count and by --time-limit seconds.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"          # loopback only, by construction: no option changes it


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def example_db(workdir: Path) -> Path:
    from tacitus.ingest import ingest

    db = workdir / "examples.duckdb"
    ingest([ROOT / "examples" / "articles"], db, workers=1, progress=False)
    return db


def start_server(db: Path, port: int, read_only: bool, cache: bool) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "tacitus.cli.main", "serve", "--db", str(db), "--host", HOST, "--port", str(port),
           "--no-access-log"] + (["--read-only"] if read_only else []) + ([] if cache else ["--cache-entries", "0"])
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read().decode(errors='replace') if proc.stderr else ''}")
        try:
            if httpx.get(f"http://{HOST}:{port}/v1/stats", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not answer within 60 s")


def query_mix(base: str) -> list[str]:
    """The queries a dashboard user and an API client send: pages, dyads, types, dates, text, sorts."""
    dyads = httpx.get(f"{base}/dyads.json").json()["dyads"][:8]
    types = list(httpx.get(f"{base}/v1/stats").json()["by_type"])[:6]
    urls = ["/v1/events", "/v1/events?limit=100", "/v1/events?offset=50", "/v1/events?sort=score&order=asc",
            "/v1/events?q=border", "/v1/events?since=2023-03&until=2023-12", "/v1/events?quad_class=4&limit=20"]
    urls += [f"/v1/events?actor={d['actor']}&recipient={d['recipient']}" for d in dyads]
    urls += [f"/v1/events?actor={d['actor']}" for d in dyads[:4]]
    urls += [f"/v1/events?type={t}&sort=articles" for t in types]
    return urls


def fire(urls: list[str], port: int, total: int, concurrency: int, deadline: float
         ) -> tuple[list[float], list[str], float]:
    """`concurrency` threads, each with one keep-alive connection, share `total` requests.

    The standard library's http.client costs the client a fraction of what an async client
    does, so on a small machine the figures measure the server rather than the load generator.
    """
    latencies: list[float] = []
    failures: list[str] = []
    counter = iter(range(total))
    lock = threading.Lock()

    def worker() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=10)
        try:
            while time.monotonic() < deadline:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                url = urls[i % len(urls)]
                started = time.perf_counter()
                try:
                    conn.request("GET", url)
                    response = conn.getresponse()
                    body = response.read()
                    if response.status != 200:
                        failures.append(f"{response.status} {url}")
                    else:
                        json.loads(body)
                except (OSError, http.client.HTTPException, ValueError) as err:
                    failures.append(f"{type(err).__name__} {url}")
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=10)
                latencies.append(time.perf_counter() - started)
        finally:
            conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, failures, time.perf_counter() - started


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc), to split the machine between server and client."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, help="database to serve (default: built from examples/articles)")
    ap.add_argument("--requests", type=int, default=3000, help="measured requests (at least 2000 for the figures)")
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--time-limit", type=float, default=120.0, help="stop sending after this many seconds")
    ap.add_argument("--read-only", action="store_true", help="serve read-only (default: as `tacitus serve`)")
    ap.add_argument("--no-cache", action="store_true", help="turn the server's read-result cache off")
    ap.add_argument("--min-rps", type=float, default=200.0)
    ap.add_argument("--max-p99-ms", type=float, default=200.0)
    args = ap.parse_args()
    if not 1 <= args.concurrency <= 256 or not 1 <= args.requests <= 100_000:
        ap.error("keep it bounded: 1-256 concurrent, 1-100000 requests")

    workdir = Path(tempfile.mkdtemp(prefix="tacitus-load-"))
    proc = None
    try:
        if args.db:
            db = workdir / args.db.name        # a copy: the server may hold its file open for writing
            shutil.copy(args.db, db)
        else:
            print("building the example database ...", file=sys.stderr)
            db = example_db(workdir)
        port = free_port()
        proc = start_server(db, port, args.read_only, not args.no_cache)
        base = f"http://{HOST}:{port}"
        urls = query_mix(base)
        deadline = time.monotonic() + args.time_limit
        fire(urls, port, args.warmup, args.concurrency, deadline)
        server_cpu, client_cpu = cpu_seconds(proc.pid), time.process_time()
        latencies, failures, elapsed = fire(urls, port, args.requests, args.concurrency,
                                            time.monotonic() + args.time_limit)
        done = len(latencies)
        server_cpu, client_cpu = cpu_seconds(proc.pid) - server_cpu, time.process_time() - client_cpu
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(workdir, ignore_errors=True)

    rps = done / elapsed if elapsed else 0.0
    p50, p90, p99 = (percentile(latencies, p) * 1000 for p in (50, 90, 99))
    print(f"GET /v1/events on {'--db ' + str(args.db) if args.db else 'the example database'} "
          f"({len(urls)} query shapes), {os.cpu_count()} cores, result cache {'off' if args.no_cache else 'on'}")
    print(f"requests {done}  concurrency {args.concurrency}  elapsed {elapsed:.2f} s")
    print(f"throughput {rps:.0f} req/s  latency p50 {p50:.1f} ms  p90 {p90:.1f} ms  p99 {p99:.1f} ms  "
          f"max {max(latencies) * 1000:.1f} ms  mean {statistics.fmean(latencies) * 1000:.1f} ms")
    print(f"CPU per request: server {server_cpu / max(done, 1) * 1000:.2f} ms, "
          f"load client {client_cpu / max(done, 1) * 1000:.2f} ms")
    print(f"errors {len(failures)}" + (f" (first: {failures[0]})" if failures else ""))
    ok = done >= args.requests and not failures and rps >= args.min_rps and p99 < args.max_p99_ms
    print("PASS" if ok else f"FAIL: targets are >= {args.min_rps:.0f} req/s, p99 < {args.max_p99_ms:.0f} ms, no errors, "
          f"all {args.requests} requests sent")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
