"""The ordered stages and the check between them.

clean (and screen) -> parse -> segment -> mentions -> events -> time -> actors -> place -> coreference

Each stage takes an Article and returns it, and declares, as spaCy components do with
`requires`/`assigns`, what it reads of the record and what it writes; `check_order` refuses,
once at start-up, a list in which a stage reads what no earlier stage (or the reader) wrote.
A stage that cannot go on sets the status (skipped with a reason, or failed with the error)
and later stages pass the article through untouched. Time runs before actors because a
person's office is resolved as of the event date (Blinken is US GOV in 2021, not in 2026).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from itertools import islice
from typing import Callable, Iterable, Iterator

from .model import Article, Status
from .stages import actors, clean, coreference, events, mentions, parse, place, segment, time

log = logging.getLogger(__name__)

# What a reader fills in (tacitus.readers): the record every pipeline starts from.
READ = ("text", "raw", "title", "url", "source", "published")


@dataclass(frozen=True, slots=True)
class Stage:
    name: str
    run: Callable[[Article], Article]
    requires: tuple[str, ...] = ()      # attributes of the record (events.date: a field of every event)
    assigns: tuple[str, ...] = ()


STAGES: list[Stage] = [
    Stage("clean", clean.clean, ("text", "source"),
          ("text", "dateline", "agency", "fingerprint", "removed", "captions", "language")),
    Stage("parse", parse.parse, ("text",), ("doc",)),
    Stage("segment", segment.segment, ("doc", "text"), ("sentences",)),
    Stage("mentions", mentions.find_mentions, ("doc", "sentences"), ("mentions",)),
    Stage("events", events.find_events, ("doc", "sentences"), ("events",)),
    Stage("time", time.resolve_time, ("doc", "events", "published", "captions"),
          ("events.date", "content_date", "reference_date", "date_conflict", "date_evidence")),
    Stage("actors", actors.resolve_actors, ("doc", "events.date", "reference_date", "dateline"), ("events.actor",)),
    Stage("place", place.resolve_places, ("doc", "sentences", "events.actor", "dateline"), ("events.location",)),
    Stage("coreference", coreference.fold_repeats, ("events.date", "events.actor", "events.location"), ("events",)),
]


class PipelineError(Exception):
    """The stages are in an order in which one would read what is not there yet."""


def check_order(stages: list[Stage], given: Iterable[str] = READ) -> None:
    """Refuse a list in which a stage requires what neither the reader nor an earlier stage assigns."""
    have = set(given)
    for stage in stages:
        missing = [need for need in stage.requires if need not in have]
        if missing:
            raise PipelineError(f"stage {stage.name} needs {', '.join(missing)}, which no stage before it assigns")
        have.update(stage.assigns)


check_order(STAGES)
PARSE = next(i for i, stage in enumerate(STAGES) if stage.name == "parse")


def _run(article: Article, stages: list[Stage]) -> Article:
    for stage in stages:
        if article.status is not Status.PENDING:
            break
        try:
            stage.run(article)
        except Exception as err:       # one bad article must not stop a corpus
            log.exception("stage %s failed for %s", stage.name, article.id)
            article.status, article.reason = Status.FAILED, f"{stage.name}: {type(err).__name__}: {err}"
            article.events = []
    return article


def prepare(article: Article) -> Article:
    """The stages before the parse: empty and non-English texts are skipped with a reason."""
    return _run(article, STAGES[:PARSE])


def finish(article: Article) -> Article:
    """The stages after the parse, in order; record the first failure. The spaCy component's entry too."""
    if _run(article, STAGES[PARSE + 1:]).status is Status.PENDING:
        article.status = Status.CODED
        article.reason = None if article.events else "no political events found"
    return article


def run(articles: Iterable[Article], *, batch_size: int = 64, keep_doc: bool = False) -> Iterator[Article]:
    """Code a stream of articles in input order; every article comes out with a final status."""
    it = iter(articles)
    while batch := list(islice(it, batch_size)):
        ready = [prepare(a) for a in batch]
        to_parse = [a for a in ready if a.status is Status.PENDING]
        for article in parse.parse_many(to_parse):
            finish(article)
        for article in ready:
            if not keep_doc:
                article.doc = None
            yield article
