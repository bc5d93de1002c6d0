"""What every reader shares: the one-line InputError, date parsing, decoding, ids and hashes.

Readers never raise for one bad record inside a collection: a broken JSONL line
or WARC record becomes an Article with status FAILED and the reason (`Article.unread`),
so nothing is lost. A single bad *file* raises `InputError` with a one-line message.
"""
from __future__ import annotations

import hashlib
import sys
from datetime import date
from pathlib import Path
from typing import IO

from ..model import Article

MAX_BYTES = 50 * 1024 * 1024      # refuse single inputs larger than this


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
