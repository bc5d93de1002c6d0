"""Plain text (or a page saved as .txt): one file, one article."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..model import Article, Status
from .base import InputError, article_from_text, decode
from .html import article_from_html


def read_text(data: bytes, name: str, *, published=None, kind: str = "text") -> Iterator[Article]:
    """The article of one text or HTML file; raises InputError when there is none."""
    text = decode(data, name)
    if not text.strip():
        raise InputError(f"{name}: empty input")
    hint = None if name == "-" else Path(name).stem
    if kind == "text" and text.lstrip()[:1] == "<" and "<html" in text[:2000].lower():
        kind = "html"
    if kind == "html":
        art = article_from_html(text, id=hint, published=published)
        if art.status is Status.SKIPPED:
            raise InputError(f"{name}: {art.reason}")
        yield art
        return
    yield article_from_text(text, id=hint, published=published)
