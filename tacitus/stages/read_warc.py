"""WARC input (Common Crawl news): HTML responses become articles, through warcio.

Non-HTML records are not articles and are passed over silently (a WARC holds
request, metadata and image records too); an HTML response that fails to parse
or a corrupt record becomes a FAILED article, and reading stops at a corrupt
stream with one FAILED record naming the offset, so nothing is silently lost.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..model import Article, Status
from .read import InputError, article_from_html, decode, parse_date


def iter_warc(path: Path, *, published=None) -> Iterator[Article]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    if not path.exists():
        raise InputError(f"{path}: no such file")
    with open(path, "rb") as stream:
        records = ArchiveIterator(stream)
        position = 0
        while True:
            try:
                record = next(records)
            except StopIteration:
                return
            except (ArchiveLoadFailed, EOFError, OSError, ValueError) as err:
                art = Article(id=f"{path.name}@{position}", text="")
                art.status, art.reason = Status.FAILED, f"corrupt WARC data after offset {position}: {err}"
                yield art
                return
            position = records.get_record_offset()
            if record.rec_type != "response":
                continue
            content_type = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
            if "html" not in content_type.lower():
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            rid = record.rec_headers.get_header("WARC-Record-ID") or f"{path.name}@{position}"
            rid = rid.strip("<>").removeprefix("urn:uuid:")
            try:
                html = decode(record.content_stream().read(), url or rid)
                art = article_from_html(html, id=rid, url=url, published=published)
                if art.published is None:
                    art.published = _warc_date(record.rec_headers.get_header("WARC-Date"))
                yield art
            except (InputError, OSError, ValueError) as err:
                art = Article(id=rid, text="", url=url)
                art.status, art.reason = Status.FAILED, str(err)
                yield art


def _warc_date(value: str | None):
    # WARC-Date is when the page was crawled: an upper bound, used only when the page states no date.
    try:
        return parse_date(value[:10]) if value else None
    except InputError:
        return None
