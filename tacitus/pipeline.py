"""The ordered stages and the checks between them.

read -> clean -> (screen) -> parse -> segment -> mentions -> events -> time -> actors -> place -> coreference

Each stage takes an Article and returns it; a stage that cannot go on sets the
status (skipped with a reason, or failed with the error) and later stages pass the
article through untouched. Time runs before actors because a person's office is
resolved as of the event date (Blinken is US GOV in 2021, not in 2026).
"""
from __future__ import annotations

import logging
from itertools import islice
from typing import Callable, Iterable, Iterator

from .model import Article, Status
from .stages import actors, clean, coreference, events, mentions, parse, place, segment, time

log = logging.getLogger(__name__)

# (name, function, what it needs on the article) in order; checked by `check_order`.
STAGES: list[tuple[str, Callable[[Article], Article], tuple[str, ...]]] = [
    ("segment", segment.segment, ("doc",)),
    ("mentions", mentions.find_mentions, ("doc", "sentences")),
    ("events", events.find_events, ("doc", "sentences")),
    ("time", time.resolve_time, ("doc", "sentences")),
    ("actors", actors.resolve_actors, ("doc",)),
    ("place", place.resolve_places, ("doc",)),
    ("coreference", coreference.fold_repeats, ()),
]


def prepare(article: Article) -> Article:
    """Clean and screen before parsing: empty and non-English texts are skipped with a reason."""
    if article.status is not Status.PENDING:
        return article
    try:
        clean.clean_article(article)
        clean.screen(article)
    except Exception as err:       # one bad article must not stop a corpus
        log.exception("clean failed for %s", article.id)
        article.status, article.reason = Status.FAILED, f"clean: {type(err).__name__}: {err}"
    return article


def finish(article: Article) -> Article:
    """Run the stages after parsing, in order; record the first failure."""
    if article.status is not Status.PENDING:
        return article
    for name, stage, needs in STAGES:
        missing = [attr for attr in needs if getattr(article, attr) is None]
        if missing:
            article.status, article.reason = Status.FAILED, f"{name}: missing {', '.join(missing)}"
            return article
        try:
            stage(article)
        except Exception as err:
            log.exception("stage %s failed for %s", name, article.id)
            article.status, article.reason = Status.FAILED, f"{name}: {type(err).__name__}: {err}"
            article.events = []
            return article
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
