"""The dashboard: every page renders one data function's dict, and `<page>.json` returns that dict.

Routes ending in .json are declared before their HTML siblings: `/events/{id}` would
otherwise match `/events/abc.json` with id "abc.json".
"""
from __future__ import annotations

from typing import Annotated, Any, Callable
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError
from starlette.responses import RedirectResponse, Response

from . import data
from .apidocs import reference
from .db import Database
from .deps import Reads, Settings, database, reads, settings
from .params import CodeIn, DyadQuery, EventQuery, MapQuery
from .render import JSON, csv_response, html
from .svg import project, timeline_svg, world_svg

router = APIRouter(include_in_schema=False)
Read = Annotated[Reads, Depends(reads)]
Who = Annotated[str, Path(min_length=1, max_length=200)]
Id = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z]+$")]


def _found(value: dict[str, Any] | None, what: str) -> dict[str, Any]:
    if value is None:
        raise HTTPException(404, f"no {what}")
    return value


def _twin(request: Request, path: str) -> str:
    """The page's JSON (or CSV) twin: `path` with the page's own query string."""
    query = request.url.query
    return path + (f"?{query}" if query else "")


# ---- home -------------------------------------------------------------------------

@router.get("/index.json")
def index_json(read: Read) -> JSON:
    return JSON(read(data.overview))


@router.get("/")
def index(request: Request, read: Read) -> Response:
    return html(request, "index.html", {**read(data.overview), "json_url": "/index.json"})


# ---- events -----------------------------------------------------------------------

@router.get("/events.json")
def events_json(q: Annotated[EventQuery, Query()], read: Read) -> JSON:
    return JSON(read(data.events_listing, q))


@router.get("/events.csv")
def events_csv(q: Annotated[EventQuery, Query()], read: Read) -> Response:
    """The current view's filters and order, every matching row (up to data.CSV_MAX_ROWS)."""
    return csv_response(read.fresh(data.csv_rows, q), data.CSV_COLUMNS, "tacitus-events.csv")


@router.get("/events")
def events(request: Request, q: Annotated[EventQuery, Query()], read: Read) -> Response:
    view = read(data.events_listing, q)
    return html(request, "events.html", {**view, "q": q, "actors": read(data.actor_choices),
                                         "json_url": _twin(request, "/events.json"),
                                         "csv_url": _twin(request, "/events.csv")})


def _detail_twin(path: str, view: Callable, what: str) -> None:
    """Declare the JSON twin of one stored record's page (before the page: see the module docstring)."""
    def twin(key: Id, read: Read) -> JSON:
        return JSON(_found(read(view, key), f"{what} {key}"))

    router.add_api_route(path, twin, methods=["GET"], name=f"{what}_json")


_detail_twin("/events/{key}.json", data.event_view, "event")


@router.get("/events/{event_id}")
def event(request: Request, event_id: Id, read: Read) -> Response:
    view = _found(read(data.event_view, event_id), f"event {event_id}")
    point = project(view["lon"], view["lat"]) if view.get("lat") is not None and view.get("lon") is not None else None
    return html(request, "event.html", {"event": view, "point": point, "json_url": f"/events/{event_id}.json"})


# ---- dyads ------------------------------------------------------------------------

@router.get("/dyads.json")
def dyads_json(read: Read) -> JSON:
    return JSON({"dyads": read(data.top_dyads)})


@router.get("/dyads")
def dyads(request: Request, read: Read, a: str | None = None, b: str | None = None) -> Response:
    if a and b:      # the pick-a-dyad form
        return RedirectResponse(request.url_for("dyad", a=a.strip(), b=b.strip()), status_code=303)
    return html(request, "dyads.html", {"dyads": read(data.top_dyads), "actors": read(data.actor_choices),
                                        "json_url": "/dyads.json"})


@router.get("/dyads/{a}/{b}.json")
def dyad_json(a: Who, b: Who, q: Annotated[DyadQuery, Query()], read: Read) -> JSON:
    return JSON(read(data.dyad_view, a, b, q))


@router.get("/dyads/{a}/{b}", name="dyad")
def dyad(request: Request, a: Who, b: Who, q: Annotated[DyadQuery, Query()], read: Read) -> Response:
    view = read(data.dyad_view, a, b, q)
    return html(request, "dyad.html", {**view, "q": q, "chart": timeline_svg(view),
                                       "json_url": _twin(request, f"{request.url.path}.json")})


# ---- map --------------------------------------------------------------------------

@router.get("/map.json")
def map_json(q: Annotated[MapQuery, Query()], read: Read) -> JSON:
    return JSON(read(data.map_view, q))


@router.get("/map/world.svg")
def world() -> Response:
    return Response(world_svg(), media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"})


@router.get("/map")
def map_page(request: Request, q: Annotated[MapQuery, Query()], read: Read) -> Response:
    view = read(data.map_view, q)
    dots = [{**p, "xy": project(p["lon"], p["lat"])} for p in view["points"]]
    return html(request, "map.html", {**view, "q": q, "dots": dots, "actors": read(data.actor_choices),
                                      "json_url": _twin(request, "/map.json")})


# ---- articles ---------------------------------------------------------------------

_detail_twin("/articles/{key}.json", data.article_view, "article")


@router.get("/articles/{row_id}")
def article(request: Request, row_id: Id, read: Read) -> Response:
    view = _found(read(data.article_view, row_id), f"article {row_id}")
    return html(request, "article.html", {"article": view, "json_url": f"/articles/{row_id}.json"})


# ---- code an article --------------------------------------------------------------

def _code_context(conf: Settings, form: dict[str, str], result: dict[str, Any] | None = None,
                  errors: list[str] | None = None) -> dict[str, Any]:
    return {"form": form, "result": result, "errors": errors or [], "read_only": conf.read_only,
            "needs_token": conf.token is not None, "json_url": None}


@router.get("/code")
def code_form(request: Request, conf: Settings = Depends(settings)) -> Response:
    return html(request, "code.html", _code_context(conf, {}))


async def _coded(db: Database, fields: dict[str, Any], on_error: Callable[[list[str]], Response]) -> Response | dict:
    try:
        body = CodeIn(**fields)
    except ValidationError as err:
        return on_error([f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors()])
    return await run_in_threadpool(data.code_view, db.coder_lock, body.text, body.published)


@router.post("/code.json")
async def code_json(request: Request, db: Database = Depends(database)) -> Response:
    """Same data as the code page: `tacitus code`'s JSON plus highlight segments per event."""
    try:
        fields = await request.json()
    except ValueError:
        return JSON({"error": "send JSON: {\"text\": ..., \"published\"?: ...}"}, status_code=422)
    if not isinstance(fields, dict):
        return JSON({"error": "send a JSON object"}, status_code=422)
    result = await _coded(db, fields, lambda errs: JSON({"error": "invalid request", "message": "; ".join(errs)},
                                                        status_code=422))
    return result if isinstance(result, Response) else JSON(result)


@router.post("/code")
async def code_page(request: Request, db: Database = Depends(database),
                    conf: Settings = Depends(settings)) -> Response:
    # An urlencoded form, parsed here: starlette's form parser would need python-multipart.
    form = dict(parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True))
    form = {k: form[k] for k in ("text", "published") if form.get(k)}
    result = await _coded(db, form, lambda errs: html(request, "code.html", _code_context(conf, form, errors=errs),
                                                      status=422))
    if isinstance(result, Response):
        return result
    return html(request, "code.html", _code_context(conf, form, result))


# ---- API reference ----------------------------------------------------------------

@router.get("/docs")
def docs(request: Request) -> Response:
    """The OpenAPI description as a page: FastAPI's own docs page would load its scripts from a CDN."""
    spec = request.app.openapi()
    return html(request, "docs.html", {"spec": spec, "operations": reference(spec), "json_url": "/openapi.json"})
