"""Read articles from where users keep news: text, HTML, JSONL, WARC, stdin.

Readers never raise for one bad record inside a collection: a broken JSONL line
or WARC record becomes an Article with status FAILED and the reason, so nothing
is lost. A single bad *file* raises `InputError` with a one-line message.
"""
from __future__ import annotations

import hashlib
import json
import sys
from datetime import date
from pathlib import Path
from typing import IO, Iterator

from ..model import Article, Status

MAX_BYTES = 50 * 1024 * 1024      # refuse single inputs larger than this
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
WARC_SUFFIXES = {".warc", ".warc.gz", ".arc.gz"}


class InputError(Exception):
    """A whole input cannot be read; the message is one line for the user."""


def parse_date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        import dateparser   # slow import, only when a free-form date arrives
        parsed = dateparser.parse(text, settings={"STRICT_PARSING": True,
                                                  "PARSERS": ["custom-formats", "absolute-time"]})
        if parsed is None:
            raise InputError(f"cannot read the date {text!r}; use YYYY-MM-DD") from None
        return parsed.date()


def stable_id(text: str, hint: str | None = None) -> str:
    digest = hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()[:16]
    return hint or digest


def content_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8", "replace")).hexdigest()


def decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Real-world pages arrive in legacy encodings; keep the text, mark the bytes.
        text = data.decode("utf-8", errors="replace")
        if text.count("\ufffd") > max(20, len(text) // 50):
            raise InputError(f"{name}: not UTF-8 text") from None
        return text


def kind_of(path: Path) -> str:
    name = path.name.lower()
    if any(name.endswith(s) for s in WARC_SUFFIXES):
        return "warc"
    if path.suffix.lower() in JSONL_SUFFIXES:
        return "jsonl"
    if path.suffix.lower() in HTML_SUFFIXES:
        return "html"
    return "text"


def read_bytes(path: str | Path, stdin: IO[bytes] | None = None) -> bytes:
    if str(path) == "-":
        data = (stdin or sys.stdin.buffer).read(MAX_BYTES + 1)
    else:
        p = Path(path)
        if not p.exists():
            raise InputError(f"{path}: no such file")
        if p.is_dir():
            raise InputError(f"{path}: is a directory (use `tacitus ingest` for directories)")
        if p.stat().st_size > MAX_BYTES:
            raise InputError(f"{path}: larger than {MAX_BYTES // 2**20} MB")
        data = p.read_bytes()
    if len(data) > MAX_BYTES:
        raise InputError(f"{path}: larger than {MAX_BYTES // 2**20} MB")
    return data


def article_from_text(text: str, *, id: str | None = None, published=None, source: str | None = None,
                      title: str | None = None, url: str | None = None) -> Article:
    return Article(id=stable_id(text, id), text=text, raw=text, title=title, url=url, source=source,
                   published=parse_date(published))


def article_from_html(html: str, *, id: str | None = None, published=None, url: str | None = None,
                      source: str | None = None) -> Article:
    from .clean import extract_html
    extracted = extract_html(html, url=url)
    if extracted is None:
        art = Article(id=stable_id(html, id), text="", raw=html, url=url, source=source,
                      published=parse_date(published))
        art.status, art.reason = Status.SKIPPED, "no article in page"
        return art
    art = article_from_text(extracted.text, id=id, published=published or extracted.date,
                            title=extracted.title, url=url or extracted.url, source=source)
    art.raw = html
    return art


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
            yield _failed(fallback_id, f"malformed JSON on line {number}: {str(err).splitlines()[0][:200]}")
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
                yield _failed(rid, f"line {number} has no \"text\" string")
                continue
            yield article_from_text(text, id=rid, published=record.get("published") or published,
                                    title=_text(record.get("title")), url=_text(record.get("url")),
                                    source=_text(record.get("source")))
        except InputError as err:
            yield _failed(rid, str(err))


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


def _failed(id: str, reason: str) -> Article:
    art = Article(id=id, text="")
    art.status, art.reason = Status.FAILED, reason
    return art


def read_path(path: str | Path, *, published=None, stdin: IO[bytes] | None = None,
              kind: str | None = None) -> Iterator[Article]:
    """Articles from one file (or `-`); raises InputError when the file itself is unusable."""
    published = parse_date(published)
    name = str(path)
    kind = kind or ("text" if name == "-" else kind_of(Path(path)))
    if kind == "warc":
        from .read_warc import iter_warc
        yield from iter_warc(Path(path), published=published)
        return
    data = read_bytes(path, stdin)
    if kind == "jsonl":
        lines = data.decode("utf-8-sig", errors="replace").splitlines()
        yield from iter_jsonl(lines, name=Path(name).name, published=published)
        return
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
