"""The date of the document as a whole.

`date_document` weighs an article's dated expressions against its stated publication date: a
stated date can be wrong (a re-post, a scraper that read the crawl date), and relative expressions
must then resolve against the date the text itself points at. A stated date is doubted only on two
independent cues; with no stated date only the text's own explicit dates count, never today.
spaCy-free; `resolve.py` feeds it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from .expressions import WD, WEEKDAYS, Resolved, _clean, _period, explicit_period, monday, resolve_expression

LONG_STALE = timedelta(days=540)
MAX_STALE = timedelta(days=183)      # a stated date this far after all dated evidence is suspect


@dataclass(slots=True)
class DateMention:
    """A time expression of the article, with what its clause says about it."""
    text: str
    sentence: int                   # index of its sentence; captions get -100
    future: bool = False
    modifier: bool = False          # "the 2014 annexation": dates a thing, not the writing
    reported: bool = False          # in a clause under a past verb: "said elections will be held ..."
    caption: bool = False
    current: bool = False           # present perfect: "the crisis has dominated the first weeks of 2020"
    year_word: bool = False         # read as a year by its words ("of 2020", "in 2019"), not a bare number


@dataclass(slots=True)
class DocDating:
    content_date: str | None
    reference: date | None          # None: the article gives no date relative expressions could count from
    conflict: bool = False
    evidence: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Anchor:
    rel: DateMention
    abs: DateMention
    month_day: tuple[int, int]
    offset: timedelta               # writing date = the absolute date minus this
    agrees: bool                    # do the two agree when read from the stated date?


def date_document(mentions: list[DateMention], published: date | None) -> DocDating:
    """Estimate when the text was written and whether the stated date contradicts it.

    With no stated date, only the text's own explicit dates (those naming their year) count:
    the content date is estimated from them and is never used to give an event a day; the
    coding day is never anyone's date."""
    if published is None:
        return _undated(mentions)
    base = published
    resolved = [(m, r) for m in mentions if (r := resolve_expression(m.text, base, future=m.future))]
    explicit = [(m, r) for m, r in resolved if r.kind == "explicit"]
    anchors = _anchors(resolved, base)
    if not resolved:
        why = "no time expressions in the text" + ("; using the stated date" if published else "")
        return DocDating(None, base, False, [why])
    evidence = []
    if explicit:
        m, r = max(explicit, key=lambda p: p[1].hi)
        evidence.append(f"latest explicit date: '{m.text}'{' (caption)' if m.caption else ''} -> {r.label}")
    for a in anchors[:2]:
        evidence.append(f"'{a.rel.text}' and '{a.abs.text}' {'agree' if a.agrees else 'disagree'} "
                        f"when read from the stated date")
    estimate = _estimate(explicit, anchors, base)
    weekdays = {WEEKDAYS[w.lower()] for m in mentions if not m.caption
                for w in re.findall(r"(?i)\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", m.text)
                if not re.search(r"\d", m.text)}
    mismatched = _weekday_mismatches(resolved, explicit, published)
    if mismatched:
        m, day = max(mismatched, key=lambda p: p[1])
        estimate = (day.isoformat(), day)
    if _conflicts(explicit, anchors, published, evidence, weekdays, mismatched) and estimate is not None \
            and _plausible(estimate[1], explicit, mismatched, evidence):
        evidence.append(f"conflict: stated {published.isoformat()}, text written about {estimate[0]}")
        return DocDating(estimate[0], estimate[1], True, evidence)
    evidence.append(f"keeping the stated date {published.isoformat()}")
    return DocDating(published.isoformat(), published, False, evidence)


def _undated(mentions: list[DateMention]) -> DocDating:
    """No stated date: the latest explicit date the text itself gives (never today)."""
    explicit = []
    for m in mentions:
        r = explicit_period(m.text, future=m.future)
        if r is not None and not m.modifier and not m.future:
            explicit.append((m, r))
    if not explicit:
        return DocDating(None, None, False, ["no stated date and no explicit date in the text: events are dated "
                                             "only by their own expressions"])
    m, r = max(explicit, key=lambda p: p[1].hi)
    return DocDating(r.label, None, False, [f"no stated date: latest explicit date '{m.text}' -> {r.label}"])


def _anchors(resolved: list[tuple[DateMention, Resolved]], base: date) -> list[_Anchor]:
    # A relative expression ("next week") near a yearless date ("on May 20") in the same tense
    # fixes when the text was written: about a week before May 20.
    out = []
    for rm, rel in resolved:
        if rel.kind != "relative" or rel.precision not in ("day", "week"):
            continue
        ahead, behind = rel.lo > base, rel.hi < base
        for am, ab in resolved:
            if ab.kind != "yearless" or ab.precision != "day" or abs(am.sentence - rm.sentence) > 2:
                continue
            if (ahead and not am.future) or (behind and am.future):
                continue
            start = base if rel.precision == "day" else monday(base)
            agrees = rel.lo - timedelta(days=1) <= ab.lo <= rel.hi + timedelta(days=1)
            out.append(_Anchor(rm, am, (ab.lo.month, ab.lo.day), rel.lo - start, agrees))
    return out


def _estimate(explicit: list[tuple[DateMention, Resolved]], anchors: list[_Anchor],
              base: date) -> tuple[str, date] | None:
    """(content date label, reference date) from the text alone, or None."""
    strong = [r for m, r in explicit if not m.modifier and r.precision in ("day", "month")]
    if strong and anchors:
        latest = max(strong, key=lambda r: r.hi)
        a = next((a for a in anchors if not a.agrees), anchors[0])
        for year in (latest.lo.year, latest.lo.year + 1):
            try:
                day = date(year, *a.month_day) - a.offset
            except ValueError:          # Feb 29
                continue
            if day >= latest.lo - timedelta(days=31) or year > latest.lo.year:
                return day.isoformat(), day
    past = [r for m, r in explicit if not m.future]
    ahead = [r for m, r in explicit if m.future and (not past or r.lo > max(p.hi for p in past))]
    if past:
        latest = max(past, key=lambda r: r.hi)
        return latest.label, min([latest.hi] + [r.lo - timedelta(days=1) for r in ahead])
    if ahead:
        day = min(r.lo for r in ahead) - timedelta(days=7)
        return day.strftime("%Y-%m"), day
    return None


def _weekday_mismatches(resolved: list[tuple[DateMention, Resolved]], explicit: list[tuple[DateMention, Resolved]],
                        published: date) -> list[tuple[DateMention, date]]:
    """"Wednesday, May 19" where May 19 of the stated year is no Wednesday, but is one in a year the
    text itself names: news names the weekday of a date only while the date is news."""
    years = {y for _, r in explicit for y in (r.lo.year, r.hi.year)}
    years |= {y + d for y in years for d in (-2, -1, 1, 2)}
    out = []
    for m, r in resolved:
        named = re.match(rf"(?:on )?({WD})\b,? ", _clean(m.text))
        if named is None or r.kind != "yearless" or r.precision != "day" or m.caption:
            continue
        wd = WEEKDAYS[named[1]]
        if any(_weekday_of(y, r.lo.month, r.lo.day) == wd for y in {r.lo.year, published.year}):
            continue
        for year in sorted(years, reverse=True):
            try:
                day = date(year, r.lo.month, r.lo.day)
            except ValueError:
                continue
            if day.weekday() == wd:
                out.append((m, day))
                break
    return out


def _plausible(day: date, explicit: list[tuple[DateMention, Resolved]], mismatched, evidence: list[str]) -> bool:
    """A proposed content date must lie within the span of the dates the article itself gives."""
    spans = [r for _, r in explicit] + [_period(d, "day", "explicit") for _, d in mismatched]
    lo, hi = min(r.lo for r in spans), max(r.hi for r in spans)
    if lo - timedelta(days=31) <= day <= hi + timedelta(days=31):
        return True
    evidence.append(f"the text's own dates span {lo.isoformat()} to {hi.isoformat()}; "
                    f"an estimate of {day.isoformat()} is outside it")
    return False


def _weekday_of(year: int, month: int, day: int) -> int | None:
    try:
        return date(year, month, day).weekday()
    except ValueError:          # Feb 29
        return None


def _conflicts(explicit: list[tuple[DateMention, Resolved]], anchors: list[_Anchor],
               published: date, evidence: list[str], weekdays: set[int] = frozenset(),
               mismatched: list[tuple[DateMention, date]] = ()) -> bool:
    # Conservative: the text's dates must all be stale, none may name the stated year, at least one
    # must name its month or day (a bare four-digit number may be a count, a clock time or a law), and
    # a second, independent cue must point the same way (a weekday that fits another year, a future
    # tense about a past date, a relative expression that disagrees, a present perfect).
    if not explicit or (any(a.agrees for a in anchors) and not mismatched):
        return False
    precise = [(m, r) for m, r in explicit if not m.modifier and r.precision in ("day", "month")]
    # a present perfect reaches up to the time of writing ("the crisis has dominated the first weeks of
    # 2020"): the period it names is the present; a bare number is not read as such a period
    periods = precise + [(m, r) for m, r in explicit if not m.modifier and r.precision == "year" and m.year_word]
    current = [m for m, r in periods if m.current and r.hi == max(q.hi for _, q in periods)]
    if not precise and not mismatched and not current:
        evidence.append("only bare years in the text: no evidence against the stated date")
        return False
    latest = max(r.hi for _, r in explicit)
    if published - latest <= MAX_STALE or any(r.hi.year >= published.year for _, r in explicit):
        return False
    stale = (f"stated date is {(published - latest).days} days after the latest dated evidence "
             f"and nothing in the text names {published.year}")
    if mismatched:
        m, day = mismatched[0]
        evidence += [stale, f"'{m.text}' is not a {m.text.split()[0].strip(',')} in {published.year}, "
                            f"but is in {day.year}"]
        return True
    # Each cue alone has innocent readings in fresh copy (a background date that fell on a weekday
    # the text names for another day, a deadline "on Nov. 14" near "earlier this week"), so the
    # weaker ones count one point and the text must reach two.
    cues: list[tuple[int, str]] = []
    stale_future = [m for m, r in precise       # reported speech keeps its old future: not counted
                    if m.future and not m.reported and r.hi < published - timedelta(days=31)]
    if stale_future:
        cues.append((2, f"future tense about a date before the stated date: '{stale_future[0].text}'"))
    if anchors:
        cues.append((1, "a relative expression and a yearless date disagree when read from the stated date"))
    if current and published - latest > timedelta(days=365):
        cues.append((2, f"present perfect about '{current[0].text}': written then"))
    cues += _dated_day_cues(explicit, precise, published, latest, weekdays)
    if sum(points for points, _ in cues) >= 2:
        evidence += [stale] + [why for _, why in cues]
        return True
    evidence.append(f"{stale}, but nothing else points away from the stated date")
    return False


def _dated_day_cues(explicit: list[tuple[DateMention, Resolved]], precise: list[tuple[DateMention, Resolved]],
                    published: date, latest: date, weekdays: set[int]) -> list[tuple[int, str]]:
    """The cues a day-precise date gives: its weekday named in the text, or several dates close to it."""
    out: list[tuple[int, str]] = []
    latest_precise = max(r.hi for _, r in precise) if precise else latest
    dated = [(m, r) for m, r in explicit if r.precision == "day" and r.hi == latest_precise]
    recent = [m for m, r in precise if not m.reported and latest_precise - r.hi <= timedelta(days=366)]
    # "Sunday, June 9, 2019": news names the weekday of a full date only while the day is news
    named = [m for m, _ in dated if not m.modifier and re.match(rf"(?i)(?:on )?(?:{WD})\b", m.text.strip())]
    # "Sunday's election" and "the August 9, 2020 election" (a Sunday): the text counts days from that date
    same_weekday = [m for m, _ in dated if latest_precise.weekday() in weekdays]
    # ... and more surely so when the stated date is that date's day of the year, a few days on
    days_on = (published - latest_precise.replace(year=published.year)).days if \
        (latest_precise.month, latest_precise.day) != (2, 29) else -1
    if published - latest > LONG_STALE and (named or same_weekday):
        points = 2 if named or 0 <= days_on <= 10 else 1
        out.append((points, f"'{(named or same_weekday)[0].text}' fell on a {latest_precise.strftime('%A')}, "
                            f"the weekday the text names, {(published - latest).days // 365} years before the stated date"))
    elif dated and published - latest > LONG_STALE and len(recent) >= 2:
        # news dates events to the day only while they are news; years later it names the year it is
        out.append((1, f"day-precise dates {(published - latest).days // 365} years before the stated date"))
    return out
