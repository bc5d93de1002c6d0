"""The HTTP API, /v1: code a text, store articles, query events, dyads and corpus statistics."""
from __future__ import annotations

from typing import Annotated, Any, Union

from fastapi import APIRouter, Body, Depends, HTTPException, Path, Query
from pydantic import Discriminator, Field, Tag

from ..store.queries import stats
from . import data
from .db import Database
from .deps import Reads, database, json_body, may_write, reads
from .intake import store_batch, to_documents
from .params import MAX_ARTICLES, ArticleIn, CodeIn, DyadQuery, EventQuery
from .render import JSON

router = APIRouter(prefix="/v1", tags=["api"], default_response_class=JSON)

ActorPath = Annotated[str, Path(min_length=1, max_length=200, description="Country code, canonical name or Wikidata id.")]
EventId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z]+$", description="events.id")]
Many = Annotated[list[ArticleIn], Field(min_length=1, max_length=MAX_ARTICLES)]
# One article as an object, or many as an array; the tag picks the model so errors name only it.
Articles = Annotated[Union[Annotated[ArticleIn, Tag("article")], Annotated[Many, Tag("articles")]],
                     Discriminator(lambda v: "articles" if isinstance(v, list) else "article")]


TOO_LARGE = {413: {"description": "Request body over the size limit"}}
WRITE_ERRORS = {401: {"description": "A token is set and the request lacks it"},
                403: {"description": "The server is read-only"},
                415: {"description": "The body is not JSON"}, **TOO_LARGE}


@router.post("/code", summary="Code a text; nothing is stored", responses=TOO_LARGE)
def code(body: CodeIn, db: Database = Depends(database)) -> JSON:
    """The same JSON as `tacitus code`: `{"document": {...}, "events": [...]}`."""
    import tacitus

    with db.coder_lock:
        article = tacitus.code(body.text, published=body.published)
    return JSON(article.to_dict())


@router.post("/articles", summary="Code and store one article or many",
             dependencies=[Depends(may_write), Depends(json_body)], responses=WRITE_ERRORS)
def post_articles(body: Annotated[Articles, Body()], db: Database = Depends(database)) -> JSON:
    """Post `{"id", "text", "published"?, "title"?, "url"?, "source"?}` or an array of them (at most 100).

    Every article ends as one stored row (coded, skipped or failed), as with `tacitus ingest`;
    posting the same id and text again stores nothing new (`already_stored`).
    """
    items = body if isinstance(body, list) else [body]
    docs = to_documents(items)
    return JSON(db.write(lambda writer: store_batch(writer, docs, db.coder_lock)))


@router.get("/events", summary="Merged events matching the filters, a page at a time")
def list_events(q: Annotated[EventQuery, Query()], read: Reads = Depends(reads)) -> JSON:
    """`total` counts every match; `next` and `prev` are the query strings of the pages either side."""
    return JSON(read(data.events_listing, q))


@router.get("/events/{event_id}", summary="One merged event with every report and its evidence",
            responses={404: {"description": "No such event"}})
def get_event(event_id: EventId, read: Reads = Depends(reads)) -> JSON:
    event = read(data.event_view, event_id)
    if event is None:
        raise HTTPException(404, f"no event {event_id}")
    return JSON(event)


@router.get("/dyads/{a}/{b}/timeline", summary="Events of A towards B per period")
def dyad_timeline(a: ActorPath, b: ActorPath, q: Annotated[DyadQuery, Query()],
                  read: Reads = Depends(reads)) -> JSON:
    """Counts per quad class and the mean conflict-cooperation score, one row per period (empty ones included)."""
    return JSON(read(data.dyad_view, a, b, q))


@router.get("/stats", summary="Corpus counts")
def get_stats(read: Reads = Depends(reads)) -> JSON:
    """Articles by status and skip reason, events by type and quad class, the date range."""
    result: dict[str, Any] = read(stats)
    return JSON(result)
