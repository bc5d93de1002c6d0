"""Turning a data function's dict into a response: HTML (Jinja2), JSON or CSV.

HTML responses carry a strict Content-Security-Policy: every script, style sheet and image
comes from this server, so a page can never reach the network, and text from articles is
always escaped (autoescape) before it reaches a page.
"""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ..model import actor_list
from ..ontology import CATEGORIES
from ..vocabulary import QUAD_NAMES, QUAD_NUMBER
from .svg import period_label

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
HTML_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "same-origin"}


def _default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (set, tuple)):
        return list(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def to_json(data: Any) -> bytes:
    return json.dumps(data, default=_default, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class JSON(Response):
    """A JSON response written with the standard library (dates as ISO strings), no re-validation."""
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return to_json(content)


def query_string(params: dict[str, Any] | None, **changes: Any) -> str:
    values = {**(params or {}), **changes}
    clean = {k: v for k, v in values.items() if v is not None and v != "" and v is not False}
    return "?" + urlencode(clean) if clean else ""


def score(value: float | None) -> str:
    return "" if value is None else f"{value:+.1f}"


def ticks(text: str | None) -> Markup:
    """Escape, then show `quoted` words as code (the API docs' descriptions use backticks)."""
    parts = str(escape(text or "")).split("`")
    return Markup("".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts)))


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("tacitus.server", "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(people=actor_list, qs=query_string, score=score, ticks=ticks, period=period_label)
    env.globals.update(QUAD_NAMES=QUAD_NAMES, QUAD_NUMBER=QUAD_NUMBER, CATEGORIES=CATEGORIES)
    return env


def html(request: Request, template: str, context: dict[str, Any], *, status: int = 200) -> HTMLResponse:
    page = environment().get_template(template).render(request=request, path=request.url.path, **context)
    return HTMLResponse(page, status_code=status, headers=HTML_HEADERS)


def csv_response(rows: list[dict[str, Any]], columns: tuple[str, ...], filename: str) -> Response:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else _cell(row[c]) for c in columns])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _cell(value: Any) -> Any:
    text = value.isoformat() if isinstance(value, (date, datetime)) else value
    # A cell starting with = + - @ would run as a formula in a spreadsheet: quote it as text.
    if isinstance(text, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text
