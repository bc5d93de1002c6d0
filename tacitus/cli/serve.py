"""`tacitus serve`: the HTTP API and the dashboard.

    tacitus serve [--db tacitus.duckdb] [--host 127.0.0.1] [--port 8000] [--read-only]
    tacitus serve --get /v1/stats          # one request in-process, printed; no port opened

POST /v1/articles needs `Authorization: Bearer $TACITUS_TOKEN` when TACITUS_TOKEN is set.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console

from ..store.schema import DEFAULT_DB

err = Console(stderr=True)


def serve_command(
        db: str = typer.Option(DEFAULT_DB, "--db", help="The DuckDB database (created unless --read-only)."),
        host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
        port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
        read_only: bool = typer.Option(False, "--read-only", help="Open the database read-only; refuse writes."),
        get: Optional[str] = typer.Option(None, "--get", metavar="PATH",
                                          help="Run one GET request in-process, print the body and exit."),
        cors_origin: Optional[List[str]] = typer.Option(None, "--cors-origin",
                                                        help="Allow browser calls from this origin (repeatable)."),
        max_body: int = typer.Option(4 * 1024 * 1024, "--max-body", min=1, help="Largest request body in bytes."),
        cache_entries: int = typer.Option(2048, "--cache-entries", min=0,
                                          help="Read results kept in memory (0: no cache)."),
        access_log: bool = typer.Option(True, "--access-log/--no-access-log", help="Log every request.")) -> None:
    """Serve the event database: the /v1 API, the dashboard and their JSON twins."""
    import duckdb

    from ..server import create_app

    if (read_only or get) and not Path(db).exists():
        err.print(f"[red]error:[/] no database at {db}: run `tacitus ingest` first", highlight=False)
        raise typer.Exit(2)
    try:
        # --get never writes: a read-only open also works while another process holds the database.
        app = create_app(db, read_only=read_only or bool(get), cors_origins=cors_origin, max_body=max_body,
                         cache_entries=cache_entries)
    except (duckdb.Error, OSError) as error:    # the file is locked by a writer, unreadable, not DuckDB
        err.print(f"[red]error:[/] cannot open {db}: {error}", highlight=False)
        raise typer.Exit(2) from None
    if get:
        raise typer.Exit(_get_once(app, get))
    import uvicorn

    err.print(f"Tacitus dashboard on http://{host}:{port}/  (API docs: /docs)", highlight=False)
    uvicorn.run(app, host=host, port=port, access_log=access_log, log_level="info")


def _get_once(app, path: str) -> int:
    """datasette's `--get`: the response body on stdout; exit 0 for 2xx/3xx, 1 otherwise."""
    import warnings

    from starlette.exceptions import StarletteDeprecationWarning

    with warnings.catch_warnings():
        # starlette suggests another HTTP client package for its test client; httpx is the pinned one.
        warnings.simplefilter("ignore", StarletteDeprecationWarning)
        from fastapi.testclient import TestClient

    with TestClient(app) as client:
        response = client.get(path, follow_redirects=False)
    sys.stdout.write(response.text)
    if not response.text.endswith("\n"):
        sys.stdout.write("\n")
    if response.status_code >= 400:
        err.print(f"{response.status_code} {response.reason_phrase}", highlight=False)
        return 1
    return 0


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
