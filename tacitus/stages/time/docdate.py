"""Dates of time expressions, and of the document as a whole.

`resolve_expression` turns one expression ("last week", "on May 20", "in 2019") into a
period, given the date the text was written. `date_document` weighs an article's dated
expressions against its stated publication date: a stated date can be wrong (a re-post,
a scraper that read the crawl date), and relative expressions must then resolve against
the date the text itself points at. Both are spaCy-free; `time.py` feeds them.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())} | {"a": 1, "an": 1}
WEEKDAYS = {d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}
WD = "|".join(WEEKDAYS)
MON = (r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
       r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
MONTH_NUMBER = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
DAY_WORDS = {"today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
             "yesterday": -1, "last night": -1, "overnight": -1, "tomorrow": 1,
             "the day before yesterday": -2, "the day after tomorrow": 2}
HOLIDAYS = {"new year eve": (12, 31), "new years eve": (12, 31), "new year day": (1, 1),
            "new years day": (1, 1), "christmas eve": (12, 24), "christmas day": (12, 25), "christmas": (12, 25)}
# Words that place a day inside its period but do not move it: "late on Thursday", "in mid-June".
LEAD = re.compile(r"^(?:(?:on|in|at|during|over|by|of|from|the|late|early|mid|earlier|later|"
                  r"the (?:end|beginning|start|middle) of)[\s-]+)+")
MONTH_DAY = re.compile(rf"(?:(?:{WD}),? )?(?P<mon>{MON[1:-4]})\.? (?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,? (?P<year>\d{{4}}))?")
DAY_MONTH = re.compile(rf"(?:(?:{WD}),? )?(?P<day>\d{{1,2}})(?:st|nd|rd|th)? (?:of )?(?P<mon>{MON[1:-4]})\.?(?:,? (?P<year>\d{{4}}))?")
NUMERIC_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{4}")   # not "2014-15", "1/2"
PART_OF_DAY = re.compile(r"\s+(?:morning|afternoon|evening|night|overnight)$")
LONG_STALE = timedelta(days=540)
MAX_STALE = timedelta(days=183)      # a stated date this far after all dated evidence is suspect


@dataclass(slots=True, frozen=True)
class Resolved:
    lo: date
    hi: date
    precision: str          # day, week, month, year
    kind: str               # explicit (names its year), yearless ("May 20"), relative, weekday

    @property
    def label(self) -> str:
        if self.precision in ("day", "week"):
            return self.lo.isoformat()
        return self.lo.strftime("%Y-%m") if self.precision == "month" else str(self.lo.year)


def _period(lo: date, precision: str, kind: str) -> Resolved:
    if precision == "day":
        hi = lo
    elif precision == "week":
        hi = lo + timedelta(days=6)
    elif precision == "month":
        hi = lo.replace(day=calendar.monthrange(lo.year, lo.month)[1])
    else:
        hi = date(lo.year, 12, 31)
    return Resolved(lo, hi, precision, kind)


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _shift_month(day: date, months: int) -> date:
    n = day.year * 12 + day.month - 1 + months
    return date(n // 12, n % 12 + 1, 1)


def _clean(text: str) -> str:
    t = text.lower().replace("’", "'")
    t = re.sub(r"'s\b|'", "", t)                      # "Sunday's", "New Year's"
    t = re.sub(r"[^\w\s,./-]", " ", t)
    t = re.sub(r"\s+", " ", t).strip(" ,")
    return LEAD.sub("", t).strip(" ,")


def resolve_expression(text: str, ref: date, *, future: bool = False) -> Resolved | None:
    """The period `text` names when written on `ref`; None when it names no date (durations too)."""
    try:
        return _resolve(_clean(text), ref, future)
    except (ValueError, OverflowError):       # Feb 29 in a common year, years out of range
        return None


def _resolve(t: str, ref: date, future: bool) -> Resolved | None:
    t = t if t in DAY_WORDS else PART_OF_DAY.sub("", t)      # "last night" stays, "Monday night" -> "monday"
    if t in DAY_WORDS:
        return _period(ref + timedelta(days=DAY_WORDS[t]), "day", "relative")
    if m := re.fullmatch(r"(\w+) (day|week|month|year)s? ago", t):
        n = int(m[1]) if m[1].isdigit() else NUMBERS.get(m[1])
        return None if n is None else _ago(n, m[2], ref)
    if m := re.fullmatch(r"(last|this|next|coming) (week|month|year)", t):
        step = {"last": -1, "this": 0, "next": 1, "coming": 1}[m[1]]
        return _ago(-step, m[2], ref)
    if m := re.fullmatch(r"(?:(last|this|next|coming) )?weekend", t):
        ahead = future or m[1] in ("next", "coming")
        delta = (5 - ref.weekday()) % 7 if ahead else -((ref.weekday() - 5) % 7)
        return _period(ref + timedelta(days=delta), "day", "relative")
    if m := re.fullmatch(rf"(?:(last|this|next|coming|past) )?({WD})", t):
        return _period(_weekday(WEEKDAYS[m[2]], ref, m[1], future), "day", "weekday")
    if m := (MONTH_DAY.fullmatch(t) or DAY_MONTH.fullmatch(t)):
        return _month_day(MONTH_NUMBER[m["mon"][:3]], int(m["day"]), m["year"], ref, future)
    if t in HOLIDAYS:
        return _month_day(*HOLIDAYS[t], None, ref, future)
    if m := re.fullmatch(rf"{MON}(?:,? (?:of )?(\d{{4}}))?", t):
        month = MONTH_NUMBER[m[1][:3]]
        if m[2]:
            return _period(date(int(m[2]), month, 1), "month", "explicit")
        year = ref.year + (month < ref.month if future else -(month > ref.month))
        return _period(date(year, month, 1), "month", "yearless")
    if m := re.fullmatch(r"(?:(?:the )?(?:spring|summer|autumn|fall|winter|half|first|second|last|early|late|end|start|"
                         r"beginning|middle)(?: \w+)? (?:of )?)?(\d{4})", t):
        year = int(m[1])
        return _period(date(year, 1, 1), "year", "explicit") if 1800 <= year <= 2200 else None
    if NUMERIC_DATE.fullmatch(t):
        return _dateparser(t, ref, future)
    if m := re.fullmatch(r"(?:from )?(.+?) (?:to|through|until|till|-) (.+\d{4})", t):
        # "April 11 to April 28, 2023": the range, the first part taking the year of the second
        end = _resolve(m[2], ref, future)
        year = re.search(r"\d{4}", m[2])
        start = _resolve(f"{m[1]} {year[0]}" if year and not re.search(r"\d{4}", m[1]) else m[1], ref, future)
        if end is not None and start is not None and start.lo <= end.hi:
            return Resolved(start.lo, end.hi, end.precision, end.kind)
    return None


def _ago(n: int, unit: str, ref: date) -> Resolved:
    if unit == "day":
        return _period(ref - timedelta(days=n), "day", "relative")
    if unit == "week":
        return _period(monday(ref - timedelta(weeks=n)), "week", "relative")
    if unit == "month":
        return _period(_shift_month(ref, -n), "month", "relative")
    return _period(date(ref.year - n, 1, 1), "year", "relative")


def _weekday(wd: int, ref: date, qualifier: str | None, future: bool) -> date:
    # Past: the latest such day on or before the reference ("last Tuesday" strictly before);
    # future tense or "next": the first such day after it.
    if qualifier in ("next", "coming") or (future and qualifier not in ("last", "past")):
        return ref + timedelta(days=(wd - ref.weekday()) % 7 or 7)
    back = (ref.weekday() - wd) % 7
    if back == 0 and qualifier in ("last", "past"):
        back = 7
    return ref - timedelta(days=back)


def _month_day(month: int, day: int, year: str | None, ref: date, future: bool) -> Resolved:
    if year:
        return _period(date(int(year), month, day), "day", "explicit")
    y = ref.year
    if future and (month, day) < (ref.month, ref.day):
        y += 1
    elif not future and (month, day) > (ref.month, ref.day):
        y -= 1
    return _period(date(y, month, day), "day", "yearless")


def _dateparser(t: str, ref: date, future: bool) -> Resolved | None:
    # Full numeric forms only ("20/05/2021", "2021-05-20"): dateparser reads too much into free words.
    from dateparser.date import DateDataParser

    settings = {"RELATIVE_BASE": datetime.combine(ref, datetime.min.time()),
                "PREFER_DATES_FROM": "future" if future else "past"}
    try:
        data = DateDataParser(languages=["en"], settings=settings).get_date_data(t)
    except (ValueError, TypeError, OverflowError, KeyError):
        return None
    if data.date_obj is None or data.period not in ("day", "month", "year"):
        return None
    lo = data.date_obj.date()
    lo = lo if data.period == "day" else lo.replace(day=1) if data.period == "month" else date(lo.year, 1, 1)
    return _period(lo, data.period, "explicit" if re.search(r"\d{4}", t) else "yearless")


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


@dataclass(slots=True)
class DocDating:
    content_date: str | None
    reference: date
    conflict: bool = False
    evidence: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Anchor:
    rel: DateMention
    abs: DateMention
    month_day: tuple[int, int]
    offset: timedelta               # writing date = the absolute date minus this
    agrees: bool                    # do the two agree when read from the stated date?


def date_document(mentions: list[DateMention], published: date | None, *, today: date | None = None) -> DocDating:
    """Estimate when the text was written and whether the stated date contradicts it."""
    base = published or today or date.today()
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
                        f"when read from {'the stated date' if published else 'today'}")
    estimate = _estimate(explicit, anchors, base)
    if published is None:
        if estimate is None:
            return DocDating(None, base, False, evidence + ["no explicit dates: reference is today"])
        return DocDating(estimate[0], estimate[1], False, evidence + [f"no stated date: estimated {estimate[0]}"])
    weekdays = {WEEKDAYS[w.lower()] for m in mentions if not m.caption
                for w in re.findall(r"(?i)\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", m.text)
                if not re.search(r"\d", m.text)}
    if _conflicts(explicit, anchors, published, evidence, weekdays) and estimate is not None:
        evidence.append(f"conflict: stated {published.isoformat()}, text written about {estimate[0]}")
        return DocDating(estimate[0], estimate[1], True, evidence)
    evidence.append(f"keeping the stated date {published.isoformat()}")
    return DocDating(published.isoformat(), published, False, evidence)


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


def _conflicts(explicit: list[tuple[DateMention, Resolved]], anchors: list[_Anchor],
               published: date, evidence: list[str], weekdays: set[int] = frozenset()) -> bool:
    # Conservative: all dated evidence must be stale, none may name the stated year, and the
    # text must positively point elsewhere (a disagreeing anchor, or a future tense about a past date).
    if not explicit or any(a.agrees for a in anchors):
        return False
    latest = max(r.hi for _, r in explicit)
    if published - latest <= MAX_STALE or any(r.hi.year >= published.year for _, r in explicit):
        return False
    stale = (f"stated date is {(published - latest).days} days after the latest dated evidence "
             f"and nothing in the text names {published.year}")
    strong = any(not m.modifier and r.precision in ("day", "month") for m, r in explicit)
    # Reported speech keeps its old future ("said elections will be held in 2020"): not counted.
    stale_future = [m for m, r in explicit
                    if m.future and not m.reported and r.hi < published - timedelta(days=31)]
    if strong and anchors:
        evidence.append(stale)
        return True
    if stale_future:
        evidence += [stale, f"future tense about a date before the stated date: '{stale_future[0].text}'"]
        return True
    day_precise = [m for m, r in explicit if not m.modifier and r.precision == "day" and r.hi == latest]
    recent = [m for m, r in explicit if not m.modifier and not m.reported and latest - r.hi <= timedelta(days=366)]
    # "Sunday, June 9, 2019": news names the weekday of a full date only while the day is news
    weekday = any(re.match(r"(?i)(mon|tues|wednes|thurs|fri|satur|sun)day\b", m.text.strip()) for m in day_precise)
    # a present perfect reaches up to the time of writing: the period it names is the present
    current = [m for m, r in explicit if m.current and not m.modifier and r.hi == latest]
    if current and published - latest > timedelta(days=365):
        evidence += [stale, f"present perfect about '{current[0].text}': written then"]
        return True
    # "Sunday's election" and "the August 9, 2020 election" (a Sunday): the text counts days from that date
    same_weekday = [m for m in day_precise if latest.weekday() in weekdays]
    if same_weekday and published - latest > LONG_STALE:
        evidence += [stale, f"'{same_weekday[0].text}' fell on a {latest.strftime('%A')}, "
                            f"the weekday the text names: written days after it"]
        return True
    if day_precise and published - latest > LONG_STALE and (weekday or len(recent) >= 2):
        # news dates events to the day only while they are news; years later it names the year it is
        evidence += [stale, f"a day-precise date {(published - latest).days // 365} years before the stated date: "
                            f"'{day_precise[0].text}'"]
        return True
    evidence.append(f"{stale}, but nothing else points away from the stated date")
    return False
