"""JSONL: one article per line ({"id", "text" or "html", "published"?, "title"?, "url"?, "source"?})."""
from __future__ import annotations

import json
from typing import Iterator

from ..model import Article
from .base import InputError, article_from_text
from .html import article_from_html


def iter_jsonl(lines: Iterator[bytes | str], *, name: str = "jsonl", published=None) -> Iterator[Article]:
    """One Article per non-blank line, in order; bad lines become FAILED articles."""
    for number, line in enumerate(lines, 1):
        if isinstance(line, bytes):
            line = line.decode("utf-8", errors="replace")
        if not line.strip():
            continue
        fallback_id = f"{name}:{number}"
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("line is not a JSON object")
        except (ValueError, RecursionError) as err:
            yield Article.unread(fallback_id, f"malformed JSON on line {number}: {str(err).splitlines()[0][:200]}")
            continue
        rid = str(record["id"]) if record.get("id") not in (None, "") else fallback_id
        text = record.get("text")
        html = record.get("html")
        try:
            if html and not text:
                yield article_from_html(str(html), id=rid, published=record.get("published") or published,
                                        url=_text(record.get("url")), source=_text(record.get("source")))
                continue
            if not isinstance(text, str):
                yield Article.unread(rid, f"line {number} has no \"text\" string")
                continue
            yield article_from_text(text, id=rid, published=record.get("published") or published,
                                    title=_text(record.get("title")), url=_text(record.get("url")),
                                    source=_text(record.get("source")))
        except InputError as err:
            yield Article.unread(rid, str(err))


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None
