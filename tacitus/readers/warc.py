"""WARC input (Common Crawl news): HTML responses become articles, through warcio.

Non-HTML records are not articles and are passed over silently (a WARC holds
request, metadata and image records too); an HTML response that fails to parse
or a corrupt record becomes a FAILED article, and reading stops at a corrupt
stream with one FAILED record naming the offset, so nothing is silently lost.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..model import Article
from .base import InputError, decode, parse_date
from .html import article_from_html


def iter_warc(path: Path, *, published=None) -> Iterator[Article]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    if not path.exists():
        raise InputError(f"{path}: no such file")
    if not path.is_file():
        raise InputError(f"{path}: not a file")
    with open(path, "rb") as stream:
        records = ArchiveIterator(stream)
        position, seen = 0, 0
        while True:
            try:
                record = next(records)
            except StopIteration:
                if seen == 0 and path.stat().st_size > 0:
                    yield Article.unread(f"{path.name}@0", "no readable WARC record in the file")
                return
            # warcio raises assorted errors on truncated or hostile input (AttributeError inside its
            # header parser among them); any of them ends this file with one FAILED record.
            except (ArchiveLoadFailed, EOFError, OSError, ValueError, AttributeError, TypeError) as err:
                yield Article.unread(f"{path.name}@{position}", f"corrupt WARC data after offset {position}: {err}")
                return
            seen += 1
            if record.rec_type is None or record.rec_headers is None:     # warcio's reading of a cut-off member
                yield Article.unread(f"{path.name}@{records.offset}", f"corrupt WARC record at offset {records.offset}")
                return
            if record.rec_type != "response":
                continue
            content_type = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
            if "html" not in content_type.lower():
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            rid = record.rec_headers.get_header("WARC-Record-ID") or f"{path.name}@{position}"
            rid = rid.strip("<>").removeprefix("urn:uuid:")
            try:
                payload = record.content_stream().read()
                position = records.get_record_offset()     # only valid once the record has been read
                missing = getattr(record.raw_stream, "limit", 0)      # bytes the WARC header promised but
                if missing:                                            # the file ended before
                    raise InputError(f"truncated WARC record: {missing} bytes missing")
                html = decode(payload, url or rid)
                art = article_from_html(html, id=rid, url=url, published=published)
                if art.published is None:
                    art.published = _warc_date(record.rec_headers.get_header("WARC-Date"))
                yield art
            except (InputError, OSError, ValueError, EOFError) as err:
                art = Article.unread(rid, str(err))
                art.url = url
                yield art


def _warc_date(value: str | None):
    # WARC-Date is when the page was crawled: an upper bound, used only when the page states no date.
    try:
        return parse_date(value[:10]) if value else None
    except InputError:
        return None
