"""Coreference of events within one article: one act reported twice is one event.

News repeats itself: "Blinken spoke to Lavrov on Wednesday ... Blinken and Lavrov
were discussing ..." or "The sanctions were the first ..." after the sanctions
sentence. A later event with the same category, the same parties and a compatible
date is a second report of an earlier one; it is folded into it (confidence rises)
instead of becoming a new event. Cross-article merging is the merge stage's job.
"""
from __future__ import annotations

from ..model import Article, Event
from ..vocabulary import RECIPROCAL



def _parties(event: Event) -> tuple:
    key = lambda side: frozenset((a.country, a.sector) for a in side if a.country)
    if event.type in RECIPROCAL:
        return (key(event.actor + event.recipient),)
    return key(event.actor), key(event.recipient)


def _dates_compatible(a: Event, b: Event) -> bool:
    if "reported" in (a.date_precision, b.date_precision) or not a.date or not b.date:
        return True
    shorter = min(len(a.date), len(b.date))
    return a.date[:shorter] == b.date[:shorter]


def same_event(a: Event, b: Event) -> bool:
    if a.type != b.type or (a.mode and b.mode and a.mode != b.mode):
        return False
    parties_a, parties_b = _parties(a), _parties(b)
    if not all(parties_a) or parties_a != parties_b:
        return False
    return _dates_compatible(a, b) and a.future == b.future


def fold_repeats(article: Article) -> Article:
    kept: list[Event] = []
    for event in article.events:
        first = next((k for k in kept if k.evidence.sentence_index != event.evidence.sentence_index
                      and same_event(k, event)), None)
        if first is None:
            kept.append(event)
            continue
        first.confidence = min(0.99, first.confidence + 0.05)     # reported twice: more certain
        if first.date_precision == "reported" and event.date_precision != "reported":
            first.date, first.date_precision = event.date, event.date_precision
    article.events = kept
    return article
