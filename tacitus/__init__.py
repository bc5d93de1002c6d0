"""Tacitus: open political event data. News in; who did what to whom, when and where out.

    import tacitus
    result = tacitus.code("Kenya and Somalia agreed on Monday to reopen their border.", published="2023-03-14")
    [e.type for e in result.events]      # ['AGREE']

`code` codes one text; `code_many` streams any iterable of texts, dicts
({"id", "text", "published"?, "title"?, "url"?}) or Articles, batching internally.
"""
from __future__ import annotations

from importlib.metadata import version
from typing import Iterable, Iterator

from .model import Actor, Article, Event, Evidence, Location, Mention, Sentence, Status

__all__ = ["code", "code_many", "Article", "Event", "Actor", "Location", "Evidence", "Mention", "Sentence",
           "Status", "__version__"]
__version__ = version("tacitus")


def code(text: str, *, published=None, id: str | None = None, title: str | None = None,
         url: str | None = None, source: str | None = None) -> Article:
    """Code one article text; the result carries its events and document status."""
    from .readers import article_from_text

    article = article_from_text(text, id=id, published=published, title=title, url=url, source=source)
    return next(code_many([article]))


def code_many(records: Iterable[str | dict | Article], *, published=None, batch_size: int = 64) -> Iterator[Article]:
    """Code a stream of articles in order; each comes out with status coded, skipped or failed."""
    from .pipeline import run

    return run((_as_article(r, published) for r in records), batch_size=batch_size)


def _as_article(record, published) -> Article:
    from .readers import InputError, article_from_text

    if isinstance(record, Article):
        return record
    if isinstance(record, str):
        return article_from_text(record, published=published)
    if isinstance(record, dict):
        try:
            return article_from_text(str(record.get("text") or ""), id=record.get("id"),
                                     published=record.get("published") or published, title=record.get("title"),
                                     url=record.get("url"), source=record.get("source"))
        except InputError as err:
            return Article.unread(str(record.get("id") or "?"), str(err))
    raise TypeError(f"cannot code a {type(record).__name__}: pass text, a dict or an Article")
