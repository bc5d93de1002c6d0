"""The application: the /v1 API and the dashboard over one event database.

    app = create_app("tacitus.duckdb", read_only=True)

Nothing is fetched at run time: the pages' scripts, styles and the world map are served
from the package, and FastAPI's CDN-based docs pages are replaced by a local rendering of
the OpenAPI description (/docs; the description itself stays at /openapi.json).
"""
from __future__ import annotations

import os
from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator, Sequence

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware

from .. import __version__
from . import api, pages
from .db import CACHE_ENTRIES, Database
from .deps import Settings
from .errors import http_error, validation_error
from .limits import DEFAULT_MAX_BODY, BodyLimit

STATIC = Path(__file__).with_name("static")
DESCRIPTION = """Political events coded in PLOVER from news articles: who did what to whom, when and where.

`POST /v1/articles` needs `Authorization: Bearer <token>` when the server has a token
(TACITUS_TOKEN) and is refused (403) on a read-only server. Bodies over the size limit
get 413; invalid parameters get 422 with a message naming each one. Every dashboard page
has a JSON twin: add `.json` to its path."""


def create_app(db_path: str | Path, *, read_only: bool = False, token: str | None = None,
               max_body: int = DEFAULT_MAX_BODY, cors_origins: Sequence[str] | None = None,
               cache_entries: int = CACHE_ENTRIES) -> FastAPI:
    """The FastAPI app. `token` defaults to $TACITUS_TOKEN; CORS stays off unless origins are given;
    `cache_entries` bounds the read-result cache (0 turns it off)."""
    if token is None:
        token = os.environ.get("TACITUS_TOKEN") or None
    db = Database(db_path, read_only=read_only, cache_entries=cache_entries)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        db.close()

    app = FastAPI(title="Tacitus", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None)
    app.state.db = db
    app.state.settings = Settings(read_only=read_only, token=token, max_body=max_body)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(HTTPException, http_error)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    if cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(BodyLimit, max_body=max_body)
    return app
