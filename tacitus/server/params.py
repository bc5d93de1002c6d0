"""What the API and the pages accept: typed, bounded, validated before any SQL runs.

Every model forbids unknown fields, so a misspelt filter is a 422 rather than a silently
ignored one. In query parameters an empty string (what an HTML form sends for a blank
field) means "not given"; in a JSON body it is a value, and an empty text is refused.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..ontology import CATEGORIES
from ..store.queries import SORTS, EventFilter
from ..vocabulary import MAX_ARTICLE_CHARS

MAX_LIMIT = 1000            # rows per page; the CSV export has its own, larger cap
MAX_OFFSET = 1_000_000_000
MAX_ARTICLES = 100          # articles per POST /v1/articles
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
Sort = Literal["date", "score", "articles", "sources", "confidence", "type", "id"]
assert set(Sort.__args__) == set(SORTS), "the sort choices must follow tacitus.store.queries.SORTS"


def _check_partial_date(value: str | None) -> str | None:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a real day or month."""
    if value is None:
        return None
    parts = [int(p) for p in value.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as err:
        raise ValueError(f"{value!r} is not a real date ({err})") from None
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _Form(_Strict):
    """Query parameters, as an HTML form sends them."""

    @model_validator(mode="before")
    @classmethod
    def _blank_is_absent(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if v != "" and v != [] and v is not None}
        return data


class EventQuery(_Form):
    """Filters, paging and order of the event list (as `tacitus events`)."""
    actor: str | None = Field(None, max_length=200, description="Actor: country code (USA), canonical name or Wikidata id.")
    recipient: str | None = Field(None, max_length=200, description="Recipient: country code, name or Wikidata id.")
    type: str | None = Field(None, max_length=300, description="PLOVER category, or several separated by commas.")
    quad_class: int | None = Field(None, ge=1, le=4, description="1 verbal cooperation, 2 material cooperation, "
                                                                   "3 verbal conflict, 4 material conflict.")
    since: str | None = Field(None, pattern=DATE_PATTERN, description="YYYY[-MM[-DD]]: events ending on or after.")
    until: str | None = Field(None, pattern=DATE_PATTERN, description="YYYY[-MM[-DD]]: events starting on or before.")
    q: str | None = Field(None, max_length=200, description="Words in a reporting sentence (any case).")
    min_confidence: float | None = Field(None, ge=0, le=1, description="Only events whose confidence (the calibrated "
                                                                     "probability that the event is real and rightly "
                                                                     "typed) is at least this.")
    limit: int = Field(50, ge=0, le=MAX_LIMIT, description=f"Rows per page, 0 to {MAX_LIMIT} (0: the total only).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Rows to skip.")
    sort: Sort = Field("date", description="Order by date, score, articles, sources, confidence, type or id.")
    order: Literal["asc", "desc"] = Field("desc", description="asc or desc.")

    @field_validator("since", "until")
    @classmethod
    def _real_dates(cls, value: str | None) -> str | None:
        return _check_partial_date(value)

    @field_validator("type")
    @classmethod
    def _known_types(cls, value: str | None) -> str | None:
        if value is None:
            return None
        types = [t.strip().upper() for t in value.split(",") if t.strip()]
        unknown = [t for t in types if t not in CATEGORIES]
        if unknown:
            raise ValueError(f"unknown PLOVER category {', '.join(unknown)}; choose from {', '.join(CATEGORIES)}")
        return ",".join(types) or None

    def to_filter(self, *, limit: int | None = None, offset: int | None = None) -> EventFilter:
        return EventFilter(actor=self.actor, recipient=self.recipient,
                           type=self.type.split(",") if self.type else None, since=self.since, until=self.until,
                           quad_class=self.quad_class, text=self.q, min_confidence=self.min_confidence,
                           limit=self.limit if limit is None else limit,
                           offset=self.offset if offset is None else offset,
                           sort=self.sort, descending=self.order == "desc")

    def params(self, **changes: Any) -> dict[str, Any]:
        """The query string of this view (non-default values only), with some values changed."""
        values = {**self.model_dump(exclude_defaults=True), **changes}
        return {k: v for k, v in values.items() if v is not None and v != ""}


class MapQuery(EventQuery):
    limit: int = Field(2000, ge=0, le=5000, description="Located events to plot, at most 5000.")


class DyadQuery(_Form):
    by: Literal["week", "month", "year"] = Field("month", description="Period: week, month or year.")
    both: bool = Field(False, description="Count events of B towards A as well.")
    since: str | None = Field(None, pattern=DATE_PATTERN, description="YYYY[-MM[-DD]].")
    until: str | None = Field(None, pattern=DATE_PATTERN, description="YYYY[-MM[-DD]].")

    @field_validator("since", "until")
    @classmethod
    def _real_dates(cls, value: str | None) -> str | None:
        return _check_partial_date(value)


_ID = re.compile(r"^[\w.:@/+-]{1,200}$")


class ArticleIn(_Strict):
    """One article to code (and, for POST /v1/articles, store)."""
    id: str | None = Field(None, max_length=200, description="Your id for the article (default: a hash of the text).")
    text: str = Field(..., min_length=1, max_length=MAX_ARTICLE_CHARS, description="The article text.")
    published: date | None = Field(None, description="Publication date, YYYY-MM-DD.")
    title: str | None = Field(None, max_length=1000)
    url: str | None = Field(None, max_length=2000, pattern=r"^https?://\S+$", description="Where it was published.")
    source: str | None = Field(None, max_length=200, description="Outlet or feed.")

    @field_validator("id")
    @classmethod
    def _plain_id(cls, value: str | None) -> str | None:
        if value is not None and not _ID.match(value):
            raise ValueError("use letters, digits and . : @ / + - _ only (at most 200)")
        return value


class CodeIn(_Strict):
    text: str = Field(..., min_length=1, max_length=MAX_ARTICLE_CHARS, description="The article text.")
    published: date | None = Field(None, description="Publication date, YYYY-MM-DD.")


