"""Errors as answers: JSON for the API and the JSON twins, a page for the dashboard.

A 422 names every bad field and why, in one readable `message` as well as a list.
"""
from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from .render import JSON, html

_TAGS = {"article", "articles"}      # union tags of POST /v1/articles: not part of the field's name


def wants_json(request: Request) -> bool:
    path = request.url.path
    return (path.startswith("/v1/") or path.endswith((".json", ".csv", ".svg")) or request.method != "GET"
            and path != "/code")


def problems(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for e in errors:
        loc = [str(p) for p in e.get("loc", ()) if str(p) not in _TAGS]
        if len(loc) > 1 and loc[0] in ("query", "path", "body", "header"):
            where, name = loc[0], ".".join(loc[1:])
        else:
            where, name = (loc[0] if loc else "request"), ".".join(loc[1:]) or "(whole body)"
        message = str(e.get("msg", "invalid")).removeprefix("Value error, ")
        if e.get("type") == "extra_forbidden":
            message = "unknown parameter" if where in ("query", "path") else "unknown field"
        out.append({"in": where, "field": name, "message": message, "type": e.get("type")})
    return out


async def validation_error(request: Request, exc: RequestValidationError) -> Response:
    found = problems(list(exc.errors()))
    message = "; ".join(f"{p['field']} ({p['in']}): {p['message']}" for p in found)
    if wants_json(request):
        return JSON({"error": "invalid request", "message": message, "detail": found}, status_code=422)
    return html(request, "error.html", {"status": 422, "title": "Those filters cannot be used",
                                        "problems": found, "json_url": None}, status=422)


async def http_error(request: Request, exc: HTTPException) -> Response:
    headers = dict(exc.headers or {})
    if wants_json(request):
        return JSON({"error": exc.detail, "message": exc.detail}, status_code=exc.status_code, headers=headers)
    return html(request, "error.html", {"status": exc.status_code, "title": str(exc.detail), "problems": [],
                                        "json_url": None}, status=exc.status_code)
