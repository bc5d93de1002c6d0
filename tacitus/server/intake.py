"""POST /v1/articles: code and store a batch through the server's one writer.

The decisions and the coding are every engine's (`tacitus.batch`: `Batcher` finds what is
already stored and what duplicates a stored text, `code_batch` decides and codes), the commit is the store's
`Writer.write_batch`, so an article posted here ends exactly as `tacitus ingest` would
leave it. The whole job runs on the writer thread, one batch at a time, which is what
keeps "already stored" and "duplicate of" decisions consistent between requests.
"""
from __future__ import annotations

import threading
from typing import Any

from ..batch import Batcher, code_batch
from ..merge import short_hash
from ..model import Article
from ..readers import article_from_text, content_hash
from ..store.writer import Writer
from .data import stored_articles
from .params import ArticleIn

LOCATOR_PREFIX = "api:"     # stands where ingest puts "path#ordinal": a posted article's input locator


def to_documents(items: list[ArticleIn]) -> list[tuple[str, Article]]:
    docs = []
    for item in items:
        art = article_from_text(item.text, id=item.id, published=item.published, title=item.title,
                                url=item.url, source=item.source)
        docs.append((f"{LOCATOR_PREFIX}{art.id}", art))
    return docs


def store_batch(writer: Writer, docs: list[tuple[str, Article]], coder_lock: threading.Lock) -> dict[str, Any]:
    """Runs on the writer thread: decide, code, commit, then report every posted article's row."""
    row_ids = [short_hash(loc, content_hash(art.text) if art.text else None) for loc, art in docs]
    doc_ids = [art.id for _, art in docs]
    # The same id and text twice in one request is one document, as the same file listed twice is.
    unique = {rid: doc for rid, doc in reversed(list(zip(row_ids, docs)))}
    records, _ = Batcher(writer).decide([unique[rid] for rid in dict.fromkeys(row_ids)])
    if records:
        with coder_lock:
            records = code_batch(records)
        writer.write_batch(records)
    written = {r.id for r in records}
    rows = stored_articles(writer.con, row_ids)
    out = []
    for doc_id, rid in zip(doc_ids, row_ids):
        row = rows.get(rid, {})
        out.append({"id": doc_id, "row_id": rid, "already_stored": rid not in written,
                    "status": row.get("status"), "reason": row.get("reason"),
                    "duplicate_of": row.get("duplicate_of"), "n_events": row.get("n_events", 0),
                    "event_ids": row.get("event_ids", [])})
    return {"stored": len(written), "already_stored": sum(a["already_stored"] for a in out), "articles": out}
