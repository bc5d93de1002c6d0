"""Dates of time expressions: "last week", "on May 20", "in 2019", "three days later".

`resolve_expression` turns one expression into a period, given the date the text was written;
`resolve_anaphoric` and `weekday_after` count from a date the text itself gave ("the next day",
"On Wednesday" after "Monday, March 13, 2006"). spaCy-free; `resolve.py` and `docdate.py` use them.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

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


@lru_cache(maxsize=8192)          # an article's expressions are resolved for the document and for each event
def resolve_expression(text: str, ref: date, *, future: bool = False) -> Resolved | None:
    """The period `text` names when written on `ref`; None when it names no date (durations too)."""
    try:
        return _resolve(_clean(text), ref, future)
    except (ValueError, OverflowError):       # Feb 29 in a common year, years out of range
        return None


def explicit_period(text: str, *, future: bool = False) -> Resolved | None:
    """The period an expression names by itself, with its year ("March 13, 2006", "in 2019"); None for
    one that needs a date to count from ("on Monday", "May 20")."""
    resolved = resolve_expression(text, date(2000, 1, 1), future=future)
    return resolved if resolved is not None and resolved.kind == "explicit" else None


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


ANAPHORIC = re.compile(
    r"(?:the )?(?:(next|following|previous|same) (day|morning|evening|night|week)|day (after|before)|"
    r"(?:that|the) (?:same )?(day|morning|evening|night)|(\w+) (days?|weeks?) (later|after|earlier|before))$")


def is_anaphoric(text: str) -> bool:
    """"the next day", "three days later", "that same day": a date counted from one the text gave."""
    return bool(ANAPHORIC.fullmatch(_clean(text)))


def resolve_anaphoric(text: str, anchor: date) -> Resolved | None:
    """The day an anaphoric expression names, counted from the last date the text gave."""
    m = ANAPHORIC.fullmatch(_clean(text))
    if m is None:
        return None
    if m[1]:
        step = {"next": 1, "following": 1, "previous": -1, "same": 0}[m[1]]
        if m[2] == "week":
            return _period(monday(anchor) + timedelta(weeks=step), "week", "relative") if step else None
        return _period(anchor + timedelta(days=step), "day", "relative")
    if m[3]:
        return _period(anchor + timedelta(days=1 if m[3] == "after" else -1), "day", "relative")
    if m[4]:
        return _period(anchor, "day", "relative")
    n = int(m[5]) if m[5].isdigit() else NUMBERS.get(m[5])
    if n is None:
        return None
    days = n * (7 if m[6].startswith("week") else 1) * (1 if m[7] in ("later", "after") else -1)
    return _period(anchor + timedelta(days=days), "day", "relative")


def weekday_after(text: str, anchor: date) -> Resolved | None:
    """"On Wednesday" in a story told from a date it gave ("on Monday, March 13, 2006"): the next such day."""
    m = re.fullmatch(rf"(?:(?:this|that|the following|next) )?({WD})", PART_OF_DAY.sub("", _clean(text)))
    if m is None:
        return None
    return _period(anchor + timedelta(days=(WEEKDAYS[m[1]] - anchor.weekday()) % 7), "day", "weekday")


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
