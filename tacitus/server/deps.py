"""What a route can ask for: the settings, reads (cached), write permission."""
from __future__ import annotations

import hmac
from contextlib import closing
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from .db import Database

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Settings:
    read_only: bool
    token: str | None
    max_body: int


def database(request: Request) -> Database:
    return request.app.state.db


def settings(request: Request) -> Settings:
    return request.app.state.settings


class Reads:
    """Runs data functions for one request: from the result cache, else on a connection of its own."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def __call__(self, fn: Callable[..., T], *args: Any) -> T:
        key = (fn.__name__, *(a.model_dump_json() if isinstance(a, BaseModel) else a for a in args))
        return self.db.cache.get(key, lambda: self.fresh(fn, *args))

    def fresh(self, fn: Callable[..., T], *args: Any) -> T:
        """Uncached (for large one-off results such as a CSV export)."""
        with closing(self.db.reader()) as con:
            return fn(con, *args)


def reads(request: Request) -> Reads:
    return Reads(request.app.state.db)


_bearer = HTTPBearer(auto_error=False, description="Required when the server has a token (TACITUS_TOKEN).")


def may_write(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> None:
    """403 on a read-only server; 401 without the right bearer token when a token is set."""
    conf: Settings = request.app.state.settings
    if conf.read_only:
        raise HTTPException(403, "this server is read-only: it stores nothing")
    if conf.token is None:
        return
    given = credentials.credentials if credentials and credentials.scheme.lower() == "bearer" else ""
    if not hmac.compare_digest(given.encode(), conf.token.encode()):
        raise HTTPException(401, "a valid bearer token is required to store articles",
                            headers={"WWW-Authenticate": 'Bearer realm="tacitus"'})


def json_body(request: Request) -> None:
    """Writes take JSON only: a cross-site form (text/plain, urlencoded) cannot then post without a preflight."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise HTTPException(415, "send the articles as JSON (Content-Type: application/json)")
