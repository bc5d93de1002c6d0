"""Time stage: expression resolution, clause governance, event dates, document dating.

Docs come from the real pipeline (load_nlp); Article, Sentence and Event are built by hand.
Every case of the YAML test set is a test; known misses are strict xfails.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from tacitus.model import Article, Event, Evidence, Sentence
from tacitus.nlp import load_nlp
from tacitus.stages.time.docdate import DateMention, date_document
from tacitus.stages.time.expressions import resolve_expression
from tacitus.stages.time.resolve import date_event, find_expressions, governs, resolve_time

CASES = yaml.safe_load((Path(__file__).parents[1] / "data" / "time_expressions.yaml").read_text())
# Known misses, with why: each is an xfail(strict=True), so a fix shows as a passing test to unmark.
KNOWN_MISSES = {
    # "which began in December" dates the strike, in a relative clause with its own subject;
    # the main verb "has shut" has no expression of its own, so it is dated 'reported'.
    "The dockworkers' strike, which began in December, has shut down most of the country's ports.",
}
REPORTING = {"say", "report", "tell", "announce"}


def make_article(text: str, published: date | None, *, triggers: tuple[str, ...] = (),
                 captions: tuple[str, ...] = ()) -> Article:
    doc = load_nlp()(text)
    article = Article(id="t", text=text, published=published, doc=doc, captions=list(captions))
    article.sentences = [Sentence(s.text, s.start_char, s.end_char, n) for n, s in enumerate(doc.sents)]
    article.events = [make_event(doc, next(t.i for t in doc if t.text == word)) for word in triggers]
    return article


def make_event(doc, i: int, *, future: bool = False) -> Event:
    tok = doc[i]
    evidence = Evidence(tok.sent.text, 0, tok.text, tok.idx, tok.idx + len(tok))
    return Event(type="TEST", mode=None, evidence=evidence, trigger_token=i, future=future)


def dates(article: Article) -> list[tuple[str | None, str | None]]:
    return [(e.date, e.date_precision) for e in article.events]


def main_verb(doc):
    # The event of a test sentence: the root, unless the root only attributes it ("..., officials
    # said", "the army said it killed"); "announced" is itself the event unless it closes the sentence.
    root = next(t for t in doc if t.dep_ == "ROOT")
    comp = [c for c in root.children if c.dep_ == "ccomp"]
    if comp and root.lemma_ in REPORTING and (root.lemma_ != "announce" or comp[0].i < root.i):
        return comp[0]
    return root


# --- expressions -----------------------------------------------------------------------------

@pytest.mark.parametrize("text,ref,future,expected", [
    ("on Wednesday", date(2021, 5, 13), False, ("2021-05-12", "day")),
    ("on Thursday", date(2021, 5, 13), False, ("2021-05-13", "day")),
    ("on Thursday", date(2021, 5, 13), True, ("2021-05-20", "day")),
    ("last Thursday", date(2021, 5, 13), False, ("2021-05-06", "day")),
    ("last week", date(2021, 5, 13), False, ("2021-05-03", "week")),
    ("next week", date(2021, 5, 13), True, ("2021-05-17", "week")),
    ("In March", date(2021, 5, 13), False, ("2021-03", "month")),
    ("in March", date(2021, 5, 13), True, ("2022-03", "month")),
    ("on May 20", date(2021, 5, 13), True, ("2021-05-20", "day")),
    ("on May 20", date(2021, 5, 13), False, ("2020-05-20", "day")),
    ("two days ago", date(2021, 3, 1), False, ("2021-02-27", "day")),
    ("Monday night", date(2021, 5, 13), False, ("2021-05-10", "day")),
    ("earlier this year", date(2021, 5, 13), False, ("2021", "year")),
    ("in 2019", date(2021, 5, 13), False, ("2019", "year")),
    ("yesterday", date(2021, 1, 1), False, ("2020-12-31", "day")),
    ("last month", date(2021, 1, 12), False, ("2020-12", "month")),
    ("the spring of 2019", date(2021, 5, 13), False, ("2019", "year")),
    ("20.05.2021", date(2021, 6, 1), False, ("2021-05-20", "day")),
])
def test_time_resolves_expressions(text, ref, future, expected):
    resolved = resolve_expression(text, ref, future=future)
    assert resolved is not None
    assert (resolved.label, resolved.precision) == expected


@pytest.mark.parametrize("text", ["since 2014", "for three years", "three years", "months", "the 1990s",
                                  "2014-15", "1/2", "Feb 29", "May 32", "", "on", "'s"])
def test_time_durations_and_nonsense_resolve_to_nothing(text):
    assert resolve_expression(text, date(2021, 5, 13)) is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), st.booleans())
def test_time_resolve_expression_never_raises(text, ref, future):
    resolve_expression(text, ref, future=future)


def test_time_finds_holidays_the_tagger_misses():
    doc = load_nlp()("On New Year's Eve, police fired rubber bullets at crowds.")
    assert "New Year's Eve" in [s.text for s in find_expressions(doc)]


# --- events ----------------------------------------------------------------------------------

def test_time_expression_of_another_clause_does_not_date_the_event():
    a = make_article("Officials said on Monday that troops will withdraw from the town next month.",
                     date(2022, 6, 15), triggers=("said", "withdraw"))
    resolve_time(a)
    assert dates(a) == [("2022-06-13", "day"), ("2022-07", "month")]


def test_time_conjoined_verbs_keep_their_own_dates():
    a = make_article("Police arrested 20 people on Monday and released them on Tuesday.",
                     date(2022, 6, 15), triggers=("arrested", "released"))
    resolve_time(a)
    assert dates(a) == [("2022-06-13", "day"), ("2022-06-14", "day")]


def test_time_duration_is_not_an_event_date():
    a = make_article("The ban on opposition rallies has been in force since 2014.", date(2022, 6, 15),
                     triggers=("been",))
    resolve_time(a)
    assert dates(a) == [("2022-06-15", "reported")]


def test_time_year_modifier_does_not_date_the_event():
    a = make_article("Leaders condemned the 2014 annexation on Monday.", date(2022, 6, 15),
                     triggers=("condemned",))
    resolve_time(a)
    assert dates(a) == [("2022-06-13", "day")] and not a.events[0].historical


def test_time_future_tense_resolves_forward():
    a = make_article("The president will travel to Cairo on Friday.", date(2018, 12, 29), triggers=("travel",))
    resolve_time(a)
    assert dates(a) == [("2019-01-04", "day")]


def test_time_event_future_flag_resolves_forward():
    a = make_article("Ministers meet in Cairo on Friday.", date(2018, 12, 29))
    a.events = [make_event(a.doc, next(t.i for t in a.doc if t.text == "meet"), future=True)]
    resolve_time(a)
    assert dates(a) == [("2019-01-04", "day")]


def test_time_historical_flag_marks_old_events():
    a = make_article("The party was founded in 2019. Its leader resigned last month.", date(2023, 3, 14),
                     triggers=("founded", "resigned"))
    resolve_time(a)
    assert dates(a) == [("2019", "year"), ("2023-02", "month")]
    assert [e.historical for e in a.events] == [True, False]


def test_time_ungoverned_expression_in_the_sentence_dates_the_event():
    # Hand-built tree: "Curfew on Friday , riots in Lagos" -- Friday hangs off the verbless root.
    from spacy.tokens import Doc

    words = ["Curfew", "on", "Friday", ",", "riots", "in", "Lagos"]
    doc = Doc(load_nlp().vocab, words=words, heads=[0, 0, 1, 0, 0, 4, 5],
              deps=["ROOT", "prep", "pobj", "punct", "appos", "prep", "pobj"],
              pos=["NOUN", "ADP", "PROPN", "PUNCT", "NOUN", "ADP", "PROPN"],
              ents=["O", "O", "B-DATE", "O", "O", "O", "B-GPE"])
    span = find_expressions(doc)[0]
    assert governs(span, doc[4]) == ("none", 2)
    event = make_event(doc, 4)
    date_event(event, doc, [span], date(2022, 6, 15))
    assert (event.date, event.date_precision) == ("2022-06-10", "day")


def test_time_odd_input_never_raises():
    a = make_article("Troops withdrew in the 2010s.", date(2022, 6, 15), triggers=("withdrew",))
    a.events += [make_event(a.doc, 0), make_event(a.doc, 0)]
    a.events[1].trigger_token, a.events[2].trigger_token = None, 999
    resolve_time(a)
    assert all(p == ("2022-06-15", "reported") for p in dates(a))
    bare = Article(id="x", text="", published=None)
    bare.events = [make_event(a.doc, 0)]
    resolve_time(bare)
    # no stated date and no date in the text: nothing to count from, and never the coding day
    assert bare.reference_date is None and bare.content_date is None
    assert (bare.events[0].date, bare.events[0].date_precision) == (None, "unknown")


# --- the YAML test set -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def yaml_results() -> dict[str, tuple[str | None, str | None]]:
    out = {}
    for case in CASES:
        doc = load_nlp()(case["sentence"])
        article = Article(id="y", text=case["sentence"], published=case["reference"], doc=doc)
        article.events = [make_event(doc, main_verb(doc).i)]
        resolve_time(article)
        assert article.reference_date == case["reference"] and not article.date_conflict
        out[case["sentence"]] = (article.events[0].date, article.events[0].date_precision)
    return out


@pytest.mark.parametrize("case", [
    pytest.param(c, id=str(c["expression"]), marks=[pytest.mark.xfail(strict=True, reason="known miss")]
                 if c["sentence"] in KNOWN_MISSES else []) for c in CASES])
def test_time_yaml_case(case, yaml_results):
    assert yaml_results[case["sentence"]] == (str(case["date"]), case["precision"])


# --- document dating -------------------------------------------------------------------------

REPOST = ("Trade ministers from Kenya and Norway will sign a fisheries accord in Geneva next week, officials said.\n\n"
          "The signing, confirmed on Tuesday by both governments, will take place on July 11 at the WTO headquarters.\n\n"
          "In May, the two countries settled a long dispute over fishing quotas.\n\n"
          "On Monday, the Kenyan minister met union leaders in Mombasa.")
REPOST_CAPTION = "The Kenyan trade minister speaks to reporters in Nairobi on June 3, 2019."


def test_time_stated_date_contradicting_the_text_is_a_conflict():
    a = make_article(REPOST, date(2023, 11, 2), triggers=("confirmed", "settled", "met", "sign"),
                     captions=(REPOST_CAPTION,))
    resolve_time(a)
    assert a.date_conflict
    assert a.content_date == "2019-07-04" and a.reference_date == date(2019, 7, 4)
    assert dates(a) == [("2019-07-02", "day"), ("2019-05", "month"), ("2019-07-01", "day"), ("2019-07-08", "week")]
    assert any("June 3, 2019" in e for e in a.date_evidence) and any("next week" in e for e in a.date_evidence)


def test_time_text_agreeing_with_stated_date_is_no_conflict():
    a = make_article(REPOST, date(2019, 7, 4), captions=(REPOST_CAPTION,))
    resolve_time(a)
    assert not a.date_conflict and a.reference_date == date(2019, 7, 4) and a.content_date == "2019-07-04"


def test_time_consistent_article_keeps_the_stated_date():
    a = make_article("Police in Dakar detained three opposition organisers on Monday, their lawyers said.\n\n"
                     "Last week, the opposition called for nationwide protests against the new electoral law.\n\n"
                     "The party was founded in 2019 by a former mayor.",
                     date(2023, 3, 14), triggers=("detained", "called", "founded"))
    resolve_time(a)
    assert not a.date_conflict and a.reference_date == date(2023, 3, 14)
    assert dates(a) == [("2023-03-13", "day"), ("2023-03-06", "week"), ("2019", "year")]


def test_time_historical_years_alone_are_no_conflict():
    a = make_article("The foreign minister on Tuesday condemned the 2014 annexation of Crimea as unlawful.\n\n"
                     "Sanctions imposed over the seizure have been in force since 2014.\n\n"
                     "On Friday, diplomats from twelve countries met in Vienna to discuss the crisis.",
                     date(2022, 9, 20), triggers=("condemned", "met"))
    resolve_time(a)
    assert not a.date_conflict and a.reference_date == date(2022, 9, 20)
    assert dates(a) == [("2022-09-20", "day"), ("2022-09-16", "day")]


def test_time_old_full_date_without_anchor_is_no_conflict():
    a = make_article("The accord, signed on April 14, 2021, was suspended on Monday.", date(2024, 1, 10))
    resolve_time(a)
    assert not a.date_conflict and a.reference_date == date(2024, 1, 10)


def test_time_future_tense_about_a_stale_date_is_a_conflict():
    a = make_article("Voters will elect a new parliament on October 8, 2021.", date(2024, 3, 1))
    resolve_time(a)
    assert a.date_conflict and a.content_date == "2021-10" and a.reference_date < date(2021, 10, 8)


def test_time_no_evidence_keeps_stated_date_and_no_content_date():
    a = make_article("Troops and militants exchanged gunfire in the hills.", date(2017, 2, 14))
    resolve_time(a)
    assert a.content_date is None and a.reference_date == date(2017, 2, 14) and not a.date_conflict
    assert a.date_evidence


def test_time_without_stated_date_estimates_from_the_text():
    # the content date is the text's own explicit date; relative expressions have nothing to count from
    a = make_article(REPOST, None, triggers=("confirmed", "met"), captions=(REPOST_CAPTION,))
    resolve_time(a)
    assert a.content_date == "2019-06-03" and a.reference_date is None and not a.date_conflict
    assert all(p == (None, "unknown") for p in dates(a))


def test_time_document_dating_without_doc_uses_captions():
    dating = date_document([DateMention("April 14, 2021", -100, caption=True)], None)
    assert dating.content_date == "2021-04-14" and dating.reference is None


def test_time_doc_without_parse_and_timestamp_published_do_not_raise():
    from datetime import datetime

    from spacy.tokens import Doc

    doc = Doc(load_nlp().vocab, words=["Riots", "erupted", "on", "Friday"],
              ents=["O", "O", "O", "B-DATE"])
    a = Article(id="x", text=doc.text, published=datetime(2022, 6, 15, 9, 30), doc=doc)
    a.events = [Event(type="TEST", mode=None, evidence=Evidence(doc.text, 0, "erupted", 6, 13), trigger_token=1)]
    resolve_time(a)
    assert a.reference_date == date(2022, 6, 15) and a.events[0].date_precision in ("day", "reported")


def test_time_scheduled_for_a_day_is_a_date_not_a_duration():
    a = make_article("The vote will take place on Friday, and a recount is scheduled for Monday.",
                     date(2022, 6, 15), triggers=("scheduled",))
    resolve_time(a)
    assert dates(a) == [("2022-06-20", "day")]


def test_time_reported_old_future_is_no_conflict():
    a = make_article("In 2019, the president said elections will be held on March 3, 2020.", date(2024, 2, 1))
    resolve_time(a)
    assert not a.date_conflict and a.reference_date == date(2024, 2, 1)


def test_time_the_filing_or_statement_an_act_was_made_in_dates_it():
    # the date sits on the vehicle of the act ("a Saturday filing", "a statement issued late Tuesday")
    a = make_article("In a Saturday court filing, the former aide offered to surrender his passport.",
                     date(2017, 11, 8), triggers=("offered",))
    b = make_article("In a statement issued late Tuesday, the group criticised the president's remarks.",
                     date(2017, 11, 8), triggers=("criticised",))
    c = make_article("The commission fined the party over its 2017 election returns.",
                     date(2019, 7, 16), triggers=("fined",))
    for article in (a, b, c):
        resolve_time(article)
    assert dates(a) == [("2017-11-04", "day")] and dates(b) == [("2017-11-07", "day")]
    assert dates(c) == [("2019-07-16", "reported")]          # a topic's year ("over its 2017 returns") is not


def test_time_a_clock_time_is_never_a_year():
    a = make_article("Riot police dispersed the crowd at 1830 GMT on Friday.", date(2013, 6, 17),
                     triggers=("dispersed",))
    resolve_time(a)
    assert dates(a) == [("2013-06-14", "day")] and not a.date_conflict
