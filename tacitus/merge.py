"""Merge: one real event reported by several articles becomes one event.

The rules, all in `MergeRules`:

* Only mentions with the same *merge key* can merge: the same PLOVER category, the same
  set of actor (country, sector) pairs and the same set of recipient (country, sector) pairs.
* Dates. A coded date denotes an interval (day and reported: that day; week: Monday to
  Sunday; month; year) and carries a tolerance in days (day ±1, week ±7, month 0 = same
  month, year 0, reported ±2 around the reference date). Two mentions are compatible when
  the gap between their intervals is at most the larger of their two tolerances. Undated
  mentions never merge.
* Locations are compatible when the countries are equal or either is missing.
* A report that names no country at all (no actor, recipient or location country) does not
  merge: "opposition leaders protested" on one day in two articles may be two countries.
  `merge_countryless=True` lifts this.
* Clusters are complete-link: every pair inside a cluster is compatible, so a run of daily
  protests does not chain into one month-long event. Mentions are visited in an order
  given by their content (interval, precision, mention id); each joins the first open
  cluster that accepts it.
* Sources. Articles count as one source when they credit the same wire agency, come from
  the same outlet, or are near-identical texts (bottom-k MinHash estimate of how much of one
  text's word 5-shingles the other contains >= `near_duplicate`); these links close
  transitively (union-find).

Everything below is a pure function of the mentions it is given, independent of their
order: a distributed engine can group mentions by `merge_key` and call `merge_group` on
each group, and get what `merge_all` gives on one machine.
"""
from __future__ import annotations

import hashlib
import heapq
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Iterable

from .model import Actor, Event, Location
from .vocabulary import LEVEL_RANK

PRECISION_RANK = {"day": 0, "reported": 1, "week": 2, "month": 3, "year": 4}
SKETCH_SIZE = 32          # bottom-k MinHash size: 32 x 8 bytes per article
SHINGLE = 5               # words per shingle


@dataclass(frozen=True, slots=True)
class MergeRules:
    day: int = 1               # tolerance in days around a day-precision date
    week: int = 7
    month: int = 0             # 0: the intervals must overlap, i.e. the same month
    year: int = 0
    reported: int = 2          # around the reference (publication) date
    near_duplicate: float = 0.7     # containment of word 5-shingles that makes two texts one story
    merge_countryless: bool = False

    def tolerance(self, precision: str | None) -> int:
        return {"day": self.day, "week": self.week, "month": self.month, "year": self.year,
                "reported": self.reported}.get(precision or "", 0)


@dataclass(slots=True)
class MentionRecord:
    """One article's report of one event: what the merge reads."""
    id: str
    article_id: str
    event: Event                           # the article's event (from a stored report: Event.from_dict)
    source: str | None = None              # outlet / feed
    agency: str | None = None              # wire agency credited
    fingerprint: tuple[int, ...] = ()      # bottom-k MinHash of the article text


@dataclass(slots=True)
class MergedEvent:
    id: str
    merge_key: str
    type: str
    mode: str | None
    context: list[str]
    cameo: str | None
    quad_class: int | None
    score: float | None
    date: str | None
    date_precision: str | None
    date_start: date | None
    date_end: date | None
    location: Location | None
    confidence: float
    actors: list[tuple[str, Actor]]        # (role: actor | recipient, actor)
    mention_ids: list[str]
    article_ids: list[str]
    n_articles: int
    n_sources: int
    representative: str = ""               # mention whose sentence best shows the event


def short_hash(*parts: object) -> str:
    return hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()[:16]


def mention_id(content_hash: str, sentence_index: int, start: int, end: int, type_: str) -> str:
    # Derived from the content only: the same article text coded twice gives the same ids.
    return short_hash(content_hash, sentence_index, start, end, type_)


def _actor_set(actors: Iterable[Actor]) -> str:
    return ",".join(sorted({f"{a.country or '-'}:{a.sector or '-'}" for a in actors}))


def merge_key(event: Event) -> str:
    return f"{event.type}|{_actor_set(event.actor)}|{_actor_set(event.recipient)}"


def date_interval(value: str | None, precision: str | None) -> tuple[date, date] | None:
    if not value:
        return None
    try:
        if len(value) == 4:
            y = int(value)
            return date(y, 1, 1), date(y, 12, 31)
        if len(value) == 7:
            y, m = int(value[:4]), int(value[5:7])
            nxt = date(y + (m == 12), m % 12 + 1, 1)
            return date(y, m, 1), nxt - timedelta(days=1)
        day = date.fromisoformat(value[:10])
    except ValueError:
        return None
    return (day, day + timedelta(days=6)) if precision == "week" else (day, day)


@dataclass(slots=True)
class _Item:
    rec: MentionRecord
    lo: date
    hi: date
    tol: int
    country: str | None


def _compatible(a: _Item, b: _Item) -> bool:
    if a.country and b.country and a.country != b.country:
        return False
    gap = max(0, (b.lo - a.hi).days, (a.lo - b.hi).days)
    return gap <= max(a.tol, b.tol)


def _country(event: Event) -> str | None:
    return event.location.country if event.location else None


def mergeable_span(event: Event, rules: MergeRules) -> tuple[date, date] | None:
    """The interval `cluster` places a report on; None for reports it leaves alone (undated, no country)."""
    span = date_interval(event.date, event.date_precision)
    countries = [a.country for a in (*event.actor, *event.recipient)]
    if span is None or not (rules.merge_countryless or _country(event) or any(countries)):
        return None
    return span


def cluster(records: Iterable[MentionRecord], rules: MergeRules = MergeRules()) -> list[list[MentionRecord]]:
    """Complete-link clusters of one merge-key group, in a content-defined order."""
    items, alone = [], []
    for rec in records:
        span = mergeable_span(rec.event, rules)
        if span is None:
            alone.append([rec])
            continue
        items.append(_Item(rec, span[0], span[1], rules.tolerance(rec.event.date_precision), _country(rec.event)))
    items.sort(key=lambda i: (i.lo, i.hi, _rank(i.rec.event), i.rec.id))
    reach = max(rules.day, rules.week, rules.month, rules.year, rules.reported)
    open_: list[list[_Item]] = []
    done: list[list[_Item]] = []
    for item in items:
        # A cluster none of whose members can reach this date cannot accept any later one either.
        still = []
        for c in open_:
            (still if all((item.lo - m.hi).days <= reach for m in c) else done).append(c)
        open_ = still
        for c in open_:
            if all(_compatible(item, m) for m in c):
                c.append(item)
                break
        else:
            open_.append([item])
    clusters = [[i.rec for i in c] for c in done + open_] + alone
    return sorted(clusters, key=lambda c: min(r.id for r in c))


def fingerprint(text: str, k: int = SKETCH_SIZE) -> tuple[int, ...]:
    """Bottom-k MinHash of the word shingles: the k smallest 64-bit shingle hashes."""
    words = re.findall(r"\w+", text.lower())
    n = max(1, len(words) - SHINGLE + 1)
    shingles = {" ".join(words[i:i + SHINGLE]) for i in range(n)} if words else set()
    hashes = (int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big") >> 1 for s in shingles)
    return tuple(sorted(heapq.nsmallest(k, hashes)))


def similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimated containment of one text's shingles in the other's, the larger way round.

    Containment rather than Jaccard: an outlet that trims a wire story or adds a headline
    still runs a copy. A hash below the other sketch's largest value would be in that
    sketch if the other text had the shingle, so that part of each sketch is a fair sample.
    """
    if not a or not b:
        return 0.0

    def contained(x: tuple[int, ...], y: tuple[int, ...]) -> float:
        top = y[-1] if len(y) >= SKETCH_SIZE else float("inf")     # a short sketch holds every shingle
        sample = [h for h in x if h <= top]
        if len(sample) < min(8, len(x)):
            return 0.0
        ys = set(y)
        return sum(h in ys for h in sample) / len(sample)

    return max(contained(a, b), contained(b, a))


def count_sources(records: Iterable[MentionRecord], rules: MergeRules = MergeRules()) -> int:
    by_article: dict[str, MentionRecord] = {}
    for r in records:
        by_article.setdefault(r.article_id, r)
    ids = sorted(by_article)
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, a_id in enumerate(ids):
        a = by_article[a_id]
        for b_id in ids[i + 1:]:
            b = by_article[b_id]
            same = ((a.agency and a.agency == b.agency) or (a.source and a.source == b.source)
                    or similarity(a.fingerprint, b.fingerprint) >= rules.near_duplicate)
            if same:
                parent[find(a_id)] = find(b_id)
    return len({find(i) for i in ids})


def _most_common(values: Iterable[Any]) -> Any:
    counts = Counter(v for v in values if v not in (None, ""))
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], str(v)))


def _merge_actors(members: list[MentionRecord]) -> list[tuple[str, Actor]]:
    seen: dict[tuple, tuple[str, Actor]] = {}
    for rec in members:
        for role, actors in (("actor", rec.event.actor), ("recipient", rec.event.recipient)):
            for a in actors:
                key = (role, a.name or a.text, a.country, a.sector, a.kb_id)
                seen.setdefault(key, (role, Actor(text=a.text, name=a.name, country=a.country, sector=a.sector,
                                                  kb_id=a.kb_id, resolution=a.resolution)))
    return [seen[k] for k in sorted(seen, key=lambda k: tuple("" if v is None else str(v) for v in k))]


def _best_location(members: list[MentionRecord]) -> Location | None:
    locs = [m.event.location for m in members if m.event.location]
    if not locs:
        return None
    counts = Counter((loc.name, loc.country) for loc in locs)
    return min(locs, key=lambda loc: (LEVEL_RANK.get(loc.level or "city", 1), -counts[(loc.name, loc.country)],
                                      str(loc.name)))


def _rank(event: Event) -> int:
    return PRECISION_RANK.get(event.date_precision or "", 9)


def build_event(key: str, members: list[MentionRecord], rules: MergeRules = MergeRules()) -> MergedEvent:
    members = sorted(members, key=lambda r: r.id)
    ev = [m.event for m in members]
    mode = _most_common(e.mode for e in ev)
    # The exemplar carries the codes that depend on the mode (CAMEO code, score).
    exemplar = min((m for m in members if (m.event.mode or None) == mode),
                   key=lambda m: (-float(m.event.confidence or 0), m.id)).event
    best_rank = min(_rank(e) for e in ev)
    precise = [e for e in ev if _rank(e) == best_rank]
    counts = Counter(e.date for e in precise)
    chosen = min(precise, key=lambda e: (-counts[e.date], str(e.date)))
    span = date_interval(chosen.date, chosen.date_precision)
    representative = min(members, key=lambda m: (_rank(m.event), -float(m.event.confidence or 0), m.id))
    article_ids = sorted({m.article_id for m in members})
    return MergedEvent(
        id=short_hash(key, members[0].id), merge_key=key, type=ev[0].type, mode=mode,
        context=sorted({c for e in ev for c in e.context or []}),
        cameo=exemplar.cameo, quad_class=exemplar.quad_class, score=exemplar.score,
        date=chosen.date, date_precision=chosen.date_precision,
        date_start=span[0] if span else None, date_end=span[1] if span else None,
        location=_best_location(members), confidence=max(float(e.confidence or 0) for e in ev),
        actors=_merge_actors(members), mention_ids=[m.id for m in members], article_ids=article_ids,
        n_articles=len(article_ids), n_sources=count_sources(members, rules), representative=representative.id)


def merge_group(key: str, records: Iterable[MentionRecord], rules: MergeRules = MergeRules()) -> list[MergedEvent]:
    """All merged events of one merge-key group; the unit of work of a distributed merge."""
    return [build_event(key, members, rules) for members in cluster(records, rules)]


def merge_all(records: Iterable[MentionRecord], rules: MergeRules = MergeRules()) -> list[MergedEvent]:
    groups: dict[str, list[MentionRecord]] = {}
    for rec in records:
        groups.setdefault(merge_key(rec.event), []).append(rec)
    return [e for key in sorted(groups) for e in merge_group(key, groups[key], rules)]
