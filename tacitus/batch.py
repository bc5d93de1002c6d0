"""One batch of input documents decided and coded: the rules every engine shares.

The local engine (tacitus/ingest.py), the API's intake (tacitus/server/intake.py) and the Ray
engine (tacitus/engines/ray_engine.py) all hand their records to `code_batch`, so a document
ends with the same status, reason and mention rows whichever way it came in. What only a caller
knows (the row id, and which stored or earlier document a text duplicates) arrives on the record:
`Batcher` finds both against the store; the Ray engine finds them in its shuffle.
"""
from __future__ import annotations

from typing import Iterable

from .merge import short_hash
from .model import Article, Status
from .readers import content_hash
from .store.writer import Record, Writer, mention_rows
from .vocabulary import MAX_ARTICLE_CHARS



def settle(record: Record) -> bool:
    """Decide what a record needs before coding: True to code it, else its final status is set."""
    art = record.article
    if art.status is not Status.PENDING:
        record.duplicate_of = None     # the reader already decided: failed, or no article in page
    elif record.duplicate_of:
        art.status, art.reason = Status.SKIPPED, f"duplicate of {record.duplicate_of}"
    elif len(art.text) > MAX_ARTICLE_CHARS:
        art.status = Status.FAILED
        art.reason = f"too long for one article: {len(art.text):,} characters (limit {MAX_ARTICLE_CHARS:,})"
    if art.status is not Status.PENDING:
        art.text = ""          # nothing downstream needs the text of an uncoded row
        return False
    return True


def code_articles(articles: list[Article]) -> list[Article]:
    """Run the pipeline; each article comes back slimmed for the trip between processes."""
    from .pipeline import run

    out = []
    for art in run(articles):
        art.raw, art.doc, art.removed, art.captions, art.sentences, art.mentions = None, None, [], [], [], []
        out.append(art)
    return out


def code_batch(records: list[Record]) -> list[Record]:
    """Decide (skip, duplicate, too long), code the rest and build every record's mention rows.

    The records come back with their articles slimmed and their events folded into mention rows,
    ready for a writer: the events themselves stay behind."""
    to_code = [rec for rec in records if settle(rec)]
    for rec, art in zip(to_code, code_articles([rec.article for rec in to_code])):
        rec.article = art
    for rec in records:
        rec.mentions = mention_rows(rec)
        rec.article.events = []
    return records


def short_reason(status: str, reason: str | None, duplicate_of: str | None, n_events: int) -> str:
    """The summary's label for an article row: duplicate, with events, the skip reason's head, error."""
    if duplicate_of:
        return "duplicate"
    if status == Status.CODED.value:
        return "with events" if n_events else "no political events found"
    return (reason or "").split(" (")[0].split(": ")[0] if status == Status.SKIPPED.value else "error"


def record_label(record: Record) -> tuple[str, str]:
    art = record.article
    return art.status.value, short_reason(art.status.value, art.reason, record.duplicate_of,
                                          len(record.mention_rows()))


class Batcher:
    """Turns documents into records: ones already stored dropped, duplicates of stored or earlier ones marked."""

    def __init__(self, writer: Writer) -> None:
        self.writer = writer
        self.inflight: dict[str, str] = {}    # content hash -> id, decided but not yet committed

    def decide(self, docs: Iterable[tuple[str, Article]]) -> tuple[list[Record], int]:
        """The new documents' records, in order, and how many documents were already stored."""
        keyed = []
        for locator, art in docs:
            ch = content_hash(art.text) if art.text else None
            keyed.append((short_hash(locator, ch), locator, art, ch))
        known = self.writer.known_ids(k[0] for k in keyed)
        stored = self.writer.originals({k[3] for k in keyed if k[3]} - set(self.inflight))
        records = []
        for rid, locator, art, ch in keyed:
            if rid in known:
                continue
            original = (self.inflight.get(ch) or stored.get(ch)) if ch else None
            records.append(Record(rid, locator, art, ch,
                                  duplicate_of=original if art.status is Status.PENDING else None))
            if ch and not original:
                self.inflight[ch] = rid
        return records, len(keyed) - len(records)

    def committed(self, records: list[Record]) -> None:
        for rec in records:
            if rec.content_hash and self.inflight.get(rec.content_hash) == rec.id:
                del self.inflight[rec.content_hash]
