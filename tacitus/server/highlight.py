"""Highlights in an evidence sentence: trigger, actor, recipient, date and place.

A freshly coded article knows exact offsets (trigger and actor spans); a stored report keeps
the words but not the sentence's offset in the article, so those are found by matching
the words in the sentence. Spans never overlap: when two claim the same words the more
telling one wins (trigger, then actor, recipient, place, date).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

KINDS = ("trigger", "actor", "recipient", "place", "date")
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|" \
         r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
# Time expressions a reader would point at; which one dated the event is not stored, so the
# one nearest the trigger is taken.
DATE_WORDS = re.compile(
    rf"\b(?:(?:on|last|next|this|early|late)\s+)?{_WEEKDAY}(?:\s+(?:morning|afternoon|evening|night))?\b"
    rf"|\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?)?{_MONTH}(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+\d{{4}})?\b"
    r"|\b(?:last|next|this|earlier this|later this|early this|late last)\s+(?:week|month|year)\b"
    r"|\b(?:yesterday|today|tonight|tomorrow|last night)\b|\b\d{4}-\d{2}-\d{2}\b|\b(?:in\s+)?(?:19|20)\d{2}\b",
    re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    kind: str


def find_word(sentence: str, words: str | None, *, near: int | None = None) -> tuple[int, int] | None:
    """Where `words` stand in the sentence as whole words: exact case first, else any case."""
    if not words or not words.strip():
        return None
    for flags in (0, re.IGNORECASE):
        found = [m.span() for m in re.finditer(rf"(?<!\w){re.escape(words.strip())}(?!\w)", sentence, flags)]
        if found:
            if near is None:
                return found[0]
            return min(found, key=lambda s: abs(s[0] - near))
    return None


def date_span(sentence: str, *, near: int) -> tuple[int, int] | None:
    found = [m.span() for m in DATE_WORDS.finditer(sentence) if m.group().strip()]
    return min(found, key=lambda s: abs(s[0] - near)) if found else None


def spans_for(sentence: str, *, trigger: str | None, trigger_at: tuple[int, int] | None = None,
              actors: Iterable[dict[str, Any]] = (), recipients: Iterable[dict[str, Any]] = (),
              place: str | None = None, dated: bool = False) -> list[Span]:
    """The highlight spans of one event in its sentence, in priority order, before overlap removal.

    Actor dicts may carry `start`/`end` relative to the sentence (fresh coding) or only `text`.
    """
    spans: list[Span] = []
    trig = trigger_at if _valid(sentence, trigger_at, trigger) else find_word(sentence, trigger)
    if trig:
        spans.append(Span(*trig, "trigger"))
    anchor = trig[0] if trig else 0
    for kind, people in (("actor", actors), ("recipient", recipients)):
        for person in people:
            at = (person.get("start"), person.get("end"))
            pos = at if _valid(sentence, at, person.get("text")) else find_word(sentence, person.get("text"), near=anchor)
            if pos:
                spans.append(Span(pos[0], pos[1], kind))
    where = find_word(sentence, place, near=anchor)
    if where:
        spans.append(Span(*where, "place"))
    if dated:
        when = date_span(sentence, near=anchor)
        if when:
            spans.append(Span(*when, "date"))
    return spans


def _valid(sentence: str, at: tuple[Any, Any] | None, words: str | None) -> bool:
    if not at or at[0] is None or at[1] is None or not words:
        return False
    start, end = int(at[0]), int(at[1])
    return 0 <= start < end <= len(sentence) and sentence[start:end] == words


def segments(sentence: str, spans: Iterable[Span]) -> list[dict[str, Any]]:
    """The sentence cut into plain and highlighted pieces ({"text", "kind"}); earlier spans win overlaps."""
    taken: list[Span] = []
    for span in spans:
        if span.start < span.end and not any(span.start < t.end and t.start < span.end for t in taken):
            taken.append(span)
    out, pos = [], 0
    for span in sorted(taken, key=lambda s: s.start):
        if span.start > pos:
            out.append({"text": sentence[pos:span.start], "kind": None})
        out.append({"text": sentence[span.start:span.end], "kind": span.kind})
        pos = span.end
    if pos < len(sentence):
        out.append({"text": sentence[pos:], "kind": None})
    return out


def highlight_report(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Segments of a stored report (`mentions.raw`, i.e. Event.to_dict())."""
    ev = report.get("evidence") or {}
    sentence = ev.get("sentence") or ""
    location = report.get("location") or {}
    spans = spans_for(sentence, trigger=ev.get("trigger"), actors=report.get("actor") or [],
                      recipients=report.get("recipient") or [], place=location.get("name"),
                      dated=bool(report.get("date")) and report.get("date_precision") != "reported")
    return segments(sentence, spans)
