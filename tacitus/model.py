"""The typed records that flow through every stage.

One `Article` goes in; each stage adds to it (sentences, mentions, events,
document dates) and hands the same object on, the way a spaCy `Doc` passes
through its components. `to_dict` gives the JSON contract of `tacitus code`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from enum import Enum
from typing import Any


class Status(str, Enum):
    PENDING = "pending"
    CODED = "coded"
    SKIPPED = "skipped"
    FAILED = "failed"


ACTOR_FIELDS = ("text", "name", "country", "sector", "kb_id", "resolution")
LOCATION_FIELDS = ("name", "country", "admin1", "lat", "lon", "geonames_id")


@dataclass(slots=True)
class Location:
    name: str
    country: str | None = None      # ISO alpha-3
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    level: str = "city"             # point, city, admin1, country


@dataclass(slots=True)
class Mention:
    """A span of the article that names a possible actor or place."""
    text: str
    start: int                      # character offsets into Article.text
    end: int
    sentence_index: int
    label: str                      # spaCy entity label or "ROLE", "SEAT", ...


@dataclass(slots=True)
class Actor:
    text: str                       # the words in the sentence
    name: str | None = None         # canonical name ("Antony Blinken", "Russia")
    country: str | None = None      # ISO alpha-3, or IGO / NGO
    sector: str | None = None       # CAMEO agent code: GOV, MIL, REB, ...
    kb_id: str | None = None        # Wikidata QID where known
    resolution: str = "explicit"    # how it was found: explicit, coreference, context or inferred
    start: int | None = None
    end: int | None = None


@dataclass(slots=True)
class Evidence:
    sentence: str
    sentence_index: int
    trigger: str
    start: int                      # trigger offsets into Article.text
    end: int


@dataclass(slots=True)
class Event:
    type: str
    mode: str | None
    evidence: Evidence
    context: list[str] = field(default_factory=list)
    cameo: str | None = None
    quad_class: int | None = None
    score: float | None = None
    actor: list[Actor] = field(default_factory=list)
    recipient: list[Actor] = field(default_factory=list)
    date: str | None = None
    date_precision: str | None = None
    location: Location | None = None
    confidence: float = 0.5
    negated: bool = False
    hypothetical: bool = False
    future: bool = False
    historical: bool = False
    # parse handles the later stages need; never serialised
    trigger_token: int | None = None
    rule: str | None = None                   # which lexicon entry or rule fired
    actor_heads: list[int] = field(default_factory=list)      # argument head tokens
    recipient_heads: list[int] = field(default_factory=list)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Event":
        """The record back from `to_dict` (or a stored report, whose location carries its level)."""
        loc, flags = d.get("location"), d.get("flags") or {}
        return cls(type=d["type"], mode=d.get("mode"),
                   evidence=Evidence(**d["evidence"]) if d.get("evidence") else None,
                   context=list(d.get("context") or []), cameo=d.get("cameo"), quad_class=d.get("quad_class"),
                   score=d.get("score"), actor=[_actor(a) for a in d.get("actor") or []],
                   recipient=[_actor(a) for a in d.get("recipient") or []],
                   date=d.get("date"), date_precision=d.get("date_precision"),
                   location=Location(**{k: loc.get(k) for k in LOCATION_FIELDS}, level=loc.get("level")) if loc else None,
                   confidence=float(d.get("confidence") or 0), **{k: bool(v) for k, v in flags.items()})

    def to_dict(self) -> dict[str, Any]:
        actor_dict = lambda a: {k: getattr(a, k) for k in ACTOR_FIELDS}
        return {
            "type": self.type, "mode": self.mode, "context": list(self.context),
            "cameo": self.cameo, "quad_class": self.quad_class, "score": self.score,
            "actor": [actor_dict(a) for a in self.actor],
            "recipient": [actor_dict(a) for a in self.recipient],
            "date": self.date, "date_precision": self.date_precision,
            "location": None if self.location is None else {k: getattr(self.location, k) for k in LOCATION_FIELDS},
            "evidence": asdict(self.evidence),
            "confidence": round(self.confidence, 3),
            "flags": {"negated": self.negated, "hypothetical": self.hypothetical,
                      "future": self.future, "historical": self.historical},
        }


@dataclass(slots=True)
class Sentence:
    text: str
    start: int
    end: int
    index: int
    paragraph: int = 0


@dataclass(slots=True)
class Article:
    id: str
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: date | None = None
    language: str | None = None
    # filled by the stages
    raw: str | None = None                      # text before cleaning
    dateline: str | None = None                 # "WASHINGTON" from "WASHINGTON -"
    agency: str | None = None                   # the wire agency credited ("(Reuters) -") or the feed's
    fingerprint: tuple[int, ...] = ()           # bottom-k MinHash of the clean text, when it has events
    removed: list[str] = field(default_factory=list)   # lines clean dropped, for audit
    captions: list[str] = field(default_factory=list)  # photo captions: not coded, but they date the text
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    content_date: str | None = None
    reference_date: date | None = None          # what relative dates resolve against
    date_conflict: bool = False
    date_evidence: list[str] = field(default_factory=list)
    status: Status = Status.PENDING
    reason: str | None = None
    doc: Any = None                             # the spaCy Doc; never serialised

    @classmethod
    def unread(cls, id: str, reason: str, status: Status = Status.FAILED) -> "Article":
        """An input that never became an article to code: failed (or skipped) with the reason."""
        article = cls(id=id, text="")
        article.status, article.reason = status, reason
        return article

    def document_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "url": self.url, "source": self.source,
            "published": self.published.isoformat() if self.published else None,
            "content_date": self.content_date, "date_conflict": self.date_conflict,
            "date_evidence": list(self.date_evidence), "dateline": self.dateline,
            "language": self.language, "status": self.status.value, "reason": self.reason,
        }

    def to_dict(self) -> dict[str, Any]:
        return {"document": self.document_dict(), "events": [e.to_dict() for e in self.events]}


def _actor(d: dict[str, Any]) -> Actor:
    """An actor back from its dict; reports stored before `resolution` existed read as explicit."""
    return Actor(**{k: d.get(k) for k in ACTOR_FIELDS if k != "resolution"}, resolution=d.get("resolution") or "explicit")


def actor_list(actors, *, brackets: str = "()", empty: str = "") -> str:
    """"Kenya (KEN/GOV); Somalia (SOM/GOV)": actors (records, or their dicts) on one line."""
    parts = []
    for actor in actors:
        get = actor.get if isinstance(actor, dict) else actor.__getattribute__
        code = "/".join(x for x in (get("country"), get("sector")) if x) or "?"
        how = get("resolution")
        code += f", {how}" if how and how != "explicit" else ""     # "police (TUR/COP, inferred)"
        parts.append(f"{get('name') or get('text')} {brackets[0]}{code}{brackets[1]}")
    return "; ".join(parts) or empty
