"""Read articles from where users keep news: text, HTML, JSONL, WARC, stdin.

`read_path` picks the reader by the file's kind; every reader shares `base` (InputError,
date parsing, decoding). A bad record inside a collection becomes a FAILED article; a
single bad *file* raises `InputError` with a one-line message.
"""
from __future__ import annotations

from pathlib import Path
from typing import IO, Iterator

from ..model import Article
from .base import InputError, article_from_text, content_hash, decode, parse_date, read_bytes, stable_id
from .html import article_from_html, extract_html
from .jsonl import iter_jsonl
from .text import read_text
from .warc import iter_warc

__all__ = ["InputError", "article_from_html", "article_from_text", "content_hash", "decode", "extract_html",
           "iter_jsonl", "iter_warc", "kind_of", "parse_date", "read_path", "stable_id"]

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
WARC_SUFFIXES = {".warc", ".warc.gz", ".arc.gz"}


def kind_of(path: Path) -> str:
    name = path.name.lower()
    if any(name.endswith(s) for s in WARC_SUFFIXES):
        return "warc"
    if path.suffix.lower() in JSONL_SUFFIXES:
        return "jsonl"
    if path.suffix.lower() in HTML_SUFFIXES:
        return "html"
    return "text"


def read_path(path: str | Path, *, published=None, stdin: IO[bytes] | None = None,
              kind: str | None = None) -> Iterator[Article]:
    """Articles from one file (or `-`); raises InputError when the file itself is unusable."""
    published = parse_date(published)
    name = str(path)
    kind = kind or ("text" if name == "-" else kind_of(Path(path)))
    if kind == "warc":
        yield from iter_warc(Path(path), published=published)
        return
    data = read_bytes(path, stdin)
    if kind == "jsonl":
        lines = data.decode("utf-8-sig", errors="replace").splitlines()
        yield from iter_jsonl(lines, name=Path(name).name, published=published)
        return
    yield from read_text(data, name, published=published, kind=kind)
