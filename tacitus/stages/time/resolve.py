"""Time: date the document, then date each event from the expression that governs it.

The document comes first because relative expressions ("on Wednesday", "last week") mean
nothing without the date the text was written, and a stated publication date can be wrong.
An event takes the time expression of its own clause; failing that, one in its sentence
that no other clause owns; failing that, the reference date with precision "reported".
"""
from __future__ import annotations

import re
from bisect import bisect_right
from datetime import date, datetime, timedelta

from ... import lexicon as lexicon_module
from ...model import Article, Event
from ...vocabulary import FUTURE_AUX
from .docdate import DateMention, date_document
from .expressions import Resolved, explicit_period, is_anaphoric, resolve_anaphoric, resolve_expression, weekday_after
from ..actors.lookup import doc_ents

# "is expected to vote", "plan to march", "are due to sign", "is set to", "is going to"
FUTURE_HEADS = frozenset({"expect", "plan", "due", "schedule", "set", "intend", "aim", "prepare", "go"})
SCHEDULED = frozenset({"schedule", "slate", "due"})        # "is scheduled for Monday" needs no "to"
# "for" is left out: "for three years" resolves to nothing anyway, and "scheduled for Monday" is a date.
DURATION_PREPS = frozenset({"since", "until", "till", "through", "throughout", "within"})
MODIFIER_DEPS = frozenset({"compound", "amod", "nummod", "nmod", "poss"})      # "Sunday's runoff"
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
# What the small English model often leaves untagged as DATE.
EXTRA = re.compile(r"\b(?:new year'?s? (?:eve|day)|christmas(?: eve| day)?|last night|tonight|yesterday|today|"
                   r"the (?:next|following|previous|same) day|the day (?:after|before)|that (?:same )?day|"
                   r"tomorrow|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b", re.IGNORECASE)
CAPTION_DATES = re.compile(
    r"\b(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|"
    r"\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+\d{4}|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+\d{4}|\d{4}-\d{2}-\d{2}|in\s+\d{4})\b",
    re.IGNORECASE)
HISTORICAL = timedelta(days=365)
CLOCK_WORDS = frozenset({"gmt", "utc", "est", "edt", "bst", "cet", "cest", "ist", "local", "hours", "hrs", "h", "z"})
MODAL_AUX = frozenset({"could", "would", "might", "may", "must", "should", "will", "'d"})
BOUND_PREPS = frozenset({"after", "before", "since", "until", "till", "by"})
PERIOD_NOUNS = frozenset({"week", "month", "day", "half", "quarter", "part", "start", "end", "beginning", "middle",
                          "spring", "summer", "autumn", "fall", "winter", "rest", "remainder", "course"})
TIME_WORDS = frozenset({"morning", "afternoon", "evening", "night", "overnight", "noon", "midnight", "today", "yesterday",
                        "tomorrow", "week", "month", "year", "weekend"})
# Nouns that name an occasion with its own date ("a massacre in May 2017", "the election in April"),
# beside the event nouns of the trigger lexicon.
OCCASIONS = frozenset({"massacre", "killing", "war", "election", "vote", "referendum", "runoff", "poll", "coup",
                       "uprising", "revolution", "genocide", "invasion", "bombing", "crisis", "summit", "conference",
                       "ceremony", "anniversary", "visit", "trip", "meeting", "attack", "earthquake", "flood",
                       "tsunami", "famine", "independence", "accident", "crash", "fire", "storm", "ruling"})


def resolve_time(article: Article) -> Article:
    """Set the document dates (content date, conflict, evidence, reference) and every event's date."""
    doc = article.doc
    spans = find_expressions(doc) if doc is not None else []
    published = article.published
    if isinstance(published, datetime):       # a reader may hand over a timestamp
        published = published.date()
    dating = date_document(_mentions(article, spans), published if isinstance(published, date) else None)
    article.content_date = dating.content_date
    article.reference_date = dating.reference
    article.date_conflict = dating.conflict
    article.date_evidence = dating.evidence
    anchors = _anchors(spans)
    for event in article.events:
        date_event(event, doc, spans, dating.reference, anchors)
    return article


def _anchors(spans: list) -> list[tuple[int, date]]:
    """(token, day) of every full date the text gives with its year, in text order: what "the next
    day" or "three days later" count from, and the only dates an undated story can count from."""
    out = []
    for span in spans:
        r = explicit_period(span.text)
        if r is not None and r.precision == "day" and not is_modifier(span):
            out.append((span.start, r.lo))
    return out


def _resolve_span(span, ref: date | None, anchors: list[tuple[int, date]], future: bool) -> Resolved | None:
    """An expression's period: anaphoric ones from the last full date before them; relative ones from
    the reference date; with no reference (an undated story), only from a full date the text gave."""
    anchor = next((day for at, day in reversed(anchors) if at < span.start), None)
    if is_anaphoric(span.text):
        return resolve_anaphoric(span.text, anchor or ref) if (anchor or ref) else None
    if ref is not None:
        return resolve_expression(span.text, ref, future=future)
    if (resolved := explicit_period(span.text, future=future)) is not None:
        return resolved
    if anchor is None:
        return None
    return weekday_after(span.text, anchor) or resolve_expression(span.text, anchor, future=future)


def find_expressions(doc) -> list:
    """DATE and TIME entities, plus day words and holidays the tagger missed, in text order."""
    ents = doc_ents(doc)
    spans = [_trim(e) for e in ents if e.label_ in ("DATE", "TIME") and not _clock_time(e)]
    # Other entities block the extras ("USA Today", "Christmas Island"); EVENT may be a holiday.
    taken = {i for e in ents if e.label_ != "EVENT" for i in range(e.start, e.end)}
    for m in EXTRA.finditer(doc.text):
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is not None and not taken.intersection(range(span.start, span.end)):
            spans.append(span)
            taken.update(range(span.start, span.end))
    return sorted(spans, key=lambda s: s.start)


def _clock_time(span) -> bool:
    """"1830 GMT", "at 0600 local time": a four-digit clock time the tagger may call a date (a year)."""
    if not (len(span) == 1 and span[0].shape_ == "dddd"):
        return False
    doc = span.doc
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    return after in CLOCK_WORDS or before == "at"


def _trim(span):
    """"Tuesday, Aug. 2, hours": the tagger ran a date into the next words; keep the date."""
    k = len(span)
    while k > 1 and span[k - 1].is_alpha and span[k - 1].lower_ not in TIME_WORDS and span[k - 2].text == ",":
        k -= 2
    return span if k == len(span) else span[:k]


def date_event(event: Event, doc, spans: list, ref: date | None, anchors: list[tuple[int, date]] = ()) -> None:
    """Date one event from the expression that governs its trigger, else the reference date (none
    for a story that states no date and gives none)."""
    event.historical = False
    event.date, event.date_precision = (ref.isoformat(), "reported") if ref else (None, "unknown")
    i = event.trigger_token
    if doc is None or i is None or not 0 <= i < len(doc):
        return
    trigger = doc[i]
    first, last = _sentence(doc, i)
    best: tuple[tuple[int, int, int], Resolved] | None = None
    for span in spans:
        if not first <= span.start < last or is_duration(span) or \
                (is_modifier(span) and span.root.head.i != trigger.i and not _subject_occasion(span, trigger)
                 and not _vehicle(span.root.head, trigger)):
            continue
        status, hops = governs(span, trigger)
        if status == "other":
            continue
        future = event.future or is_future(trigger) or is_future(clause_head(span))
        resolved = _resolve_span(span, ref, anchors, future)
        rank = (status != "trigger", hops, span.start)
        if resolved is not None and (best is None or rank < best[0]):
            best = (rank, resolved)
    if best is not None:
        resolved = best[1]
        event.date, event.date_precision = resolved.label, resolved.precision
        latest = ref or max((day for _, day in anchors), default=resolved.hi)
        event.historical = resolved.hi < latest - HISTORICAL
        if ref is not None and resolved.lo > ref + timedelta(days=1):
            event.future = True         # dated after the writing: announced, planned or scheduled


def _sentence(doc, i: int) -> tuple[int, int]:
    """Token bounds of the sentence of token i; the whole doc when no sentences are set."""
    try:
        sent = doc[i].sent
    except ValueError:          # a Doc built without a parse or sentence starts
        return 0, len(doc)
    return sent.start, sent.end


def governs(span, trigger) -> tuple[str, int]:
    """Walk from the expression up the heads: ("trigger", hops) if it reaches the trigger within its
    clause, ("other", hops) if a different finite clause owns it first, ("none", hops) if no verb does."""
    tok, hops = span.root, 0
    while True:
        if tok.i == trigger.i:
            return "trigger", hops
        if not span.start <= tok.i < span.end and _is_verb(tok) and _is_clause(tok):
            return "other", hops
        if tok.head.i == tok.i:
            return "none", hops
        if _describes_noun(tok, trigger):
            return "other", hops
        tok, hops = tok.head, hops + 1


def _describes_noun(tok, trigger) -> bool:
    """Is `tok` part of a description of a noun other than the trigger's own object: an apposition
    ("a body set up in 1993"), a participle or a prepositional phrase of a noun ("a massacre in May
    2017", "the killings of 1915")?"""
    head = tok.head
    if tok.dep_ == "appos":
        return True
    if tok.dep_ in ("prep", "acl") and head.pos_ in ("NOUN", "PROPN") and head.i != trigger.i:
        # only a noun that names an occasion of its own has a date of its own; a date hung on
        # "his intention" or "their leader" is the parser's attachment of the clause's date
        own_object = head.head.i == trigger.i and head.dep_ in ("dobj", "attr", "nsubjpass", "nsubj")
        return not own_object and not _vehicle(head, trigger) and _occasion(head)
    return False


def _vehicle(noun, trigger) -> bool:
    """"In a Saturday court filing, X offered ..."; "in a statement issued late Tuesday, X criticised ...":
    the act was done in that filing or statement, so its date is the act's."""
    prep = noun.head
    return noun.dep_ == "pobj" and prep.dep_ == "prep" and prep.lower_ in ("in", "at", "during") and \
        prep.head.i == trigger.i


def _subject_occasion(span, trigger) -> bool:
    """"Sunday's vote was marred by clashes": the occasion that is the clause's subject dates the clause."""
    noun = span.root.head
    return span.root.dep_ == "poss" and noun.dep_ in SUBJECT_DEPS and noun.head.i == trigger.i


def _year_word(span) -> bool:
    """"the first weeks of 2020", "the spring of 2019": words name a period of the year (not "1830 GMT",
    "1941 ballots", nor the bare "in 1941" of a background mention)."""
    if any(t.is_alpha for t in span):
        return True
    doc = span.doc
    return span.start > 1 and doc[span.start - 1].lower_ == "of" and doc[span.start - 2].lemma_.lower() in PERIOD_NOUNS


def _dates_occasion(span) -> bool:
    """"the invasion in March 2003", "a massacre in May 2017": the date of an occasion the text names."""
    root = span.root
    prep = root.head if root.dep_ == "pobj" else None
    if prep is None or prep.dep_ != "prep":
        return False
    noun = prep.head                # up the chain of nouns: "the attack on Pearl Harbor in 1941"
    for _ in range(4):
        if noun.pos_ not in ("NOUN", "PROPN"):
            return False
        if _occasion(noun):
            return True
        if noun.dep_ != "pobj" or noun.head.dep_ != "prep":
            return False
        noun = noun.head.head
    return False


def _occasion(noun) -> bool:
    lemma = noun.lemma_.lower()
    return lemma in OCCASIONS or lemma in lexicon_module.load().nouns


def _is_verb(tok) -> bool:
    return tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "auxpass")


def _is_clause(verb) -> bool:
    # A finite verb heads a clause of its own; a participle or infinitive ("killing three",
    # "students marching ... on Thursday", "to vote on Thursday") hangs off the clause above it.
    finite = verb.tag_ in FINITE_TAGS or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in FINITE_TAGS for c in verb.children)
    return finite and (verb.dep_ in ("ROOT", "conj", "ccomp", "relcl", "parataxis", "advcl")
                       or any(c.dep_ in SUBJECT_DEPS for c in verb.children))


def clause_head(span):
    """The first verb above the expression (None when there is none)."""
    tok = span.root
    while tok.head.i != tok.i:
        tok = tok.head
        if _is_verb(tok):
            return tok
    return tok if _is_verb(tok) else None


def is_future(tok) -> bool:
    """Future tense: "will"/"shall", or a chain under "expected to", "plan to", "due to"."""
    for _ in range(6):
        if tok is None:
            return False
        kids = list(tok.children)
        if any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in kids):
            return True
        for t in [tok] + [c for c in kids if c.dep_ in ("acomp", "xcomp")]:
            if t.lemma_ in SCHEDULED or (t.lemma_ in FUTURE_HEADS and any(c.dep_ == "xcomp" for c in t.children)):
                return True
        has_aux = any(c.dep_ in ("aux", "auxpass") for c in kids)
        if tok.tag_ in ("VBZ", "VBP") and tok.dep_ == "relcl" and not has_aux:
            return True           # "the World Cup, which opens on June 14": a timetable is the future
        if tok.dep_ in ("xcomp", "acomp") or (tok.dep_ == "conj" and not has_aux):
            tok = tok.head
        else:
            return False
    return False


def _present_perfect(tok) -> bool:
    """"has dominated", not "could have picked up" (a modal perfect looks back from any time)."""
    if tok is None or tok.tag_ != "VBN":
        return False
    aux = [c.lower_ for c in tok.children if c.dep_ == "aux"]
    return any(a in ("has", "have", "'ve") for a in aux) and not any(a in MODAL_AUX for a in aux)


def _period_of(span, verb) -> bool:
    """Does the expression name the verb's own period ("has dominated the first weeks of 2020"), not a
    bound ("after September 1990") or a date deeper in a phrase ("since the toppling ... in late 2001")?"""
    tok = span.root
    for _ in range(4):
        head = tok.head
        if head.i == verb.i:
            return tok.dep_ != "prep" or tok.lower_ not in BOUND_PREPS
        if head.i == tok.i or not (head.dep_ == "prep" and head.lower_ not in BOUND_PREPS
                                   or head.lemma_.lower() in PERIOD_NOUNS or tok.dep_ == "pobj"):
            return False
        tok = head
    return False


def _under_past_verb(tok) -> bool:
    """Is this clause reported by a past-tense verb ("officials said the vote will ...")?"""
    for _ in range(6):
        if tok is None or tok.head.i == tok.i or tok.dep_ not in ("ccomp", "xcomp", "advcl", "conj"):
            return False
        tok = tok.head
        if tok.tag_ == "VBD":
            return True
    return False


def is_duration(span) -> bool:
    """"since 2014", "until May", "within weeks": a stretch of time, not an event date."""
    root = span.root
    prep = root.head.lower_ if root.dep_ == "pobj" else None
    first = span[0].lower_
    return prep in DURATION_PREPS or first in DURATION_PREPS


def is_modifier(span) -> bool:
    """"the 2014 annexation": the year dates the noun, not the clause around it."""
    head = span.root.head
    return (span.root.dep_ in MODIFIER_DEPS and head.pos_ in ("NOUN", "PROPN")
            and head.ent_type_ not in ("DATE", "TIME"))


def _mentions(article: Article, spans: list) -> list[DateMention]:
    out: list[DateMention] = []
    if spans:
        doc = spans[0].doc
        try:
            starts = [sent.start for sent in doc.sents]
        except ValueError:      # no sentence starts: one sentence
            starts = [0]
        for span in spans:
            if is_duration(span):
                continue
            head = clause_head(span)
            out.append(DateMention(span.text, bisect_right(starts, span.start) - 1, future=is_future(head),
                                   modifier=is_modifier(span) or _dates_occasion(span), year_word=_year_word(span), reported=_under_past_verb(head),
                                   current=_present_perfect(head) and _period_of(span, head)))
    # Captions were written with the story: their dates count as evidence, never as events.
    for caption in article.captions or []:
        for m in CAPTION_DATES.finditer(caption or ""):
            out.append(DateMention(m.group(0), -100, caption=True))
    return out
