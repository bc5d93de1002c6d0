"""Document dating: the rules that catch republished stories, each on a hand-written text."""
from __future__ import annotations

from datetime import date

from test_time import make_article

from tacitus.stages.time.resolve import resolve_time


def test_docdate_weekday_named_for_an_old_full_date_alone_is_no_conflict():
    # July 3, 2016 was a Sunday and the text names a Sunday: one cue, which fresh copy also shows when
    # a background date happens to fall on the weekday of this week's news; the stated date stands
    text = ("Protesters gathered for a second night on Tuesday after Sunday's vote. "
            "Officials said turnout in the referendum on July 3, 2016 was low.")
    a = make_article(text, date(2022, 9, 1))
    resolve_time(a)
    assert not a.date_conflict and any("keeping the stated date" in e for e in a.date_evidence)


def test_docdate_weekday_and_a_dated_weekday_that_fits_only_the_old_year_is_a_conflict():
    # a second, independent cue: "Tuesday, July 5" is a Tuesday in 2016, not in 2023
    text = ("Protesters gathered for a second night on Tuesday, July 5, after Sunday's vote. "
            "Officials said turnout in the referendum on July 3, 2016 was low.")
    a = make_article(text, date(2023, 9, 1))
    resolve_time(a)
    assert a.date_conflict and a.content_date.startswith("2016-07")


def test_docdate_same_text_with_another_weekday_is_no_conflict():
    text = ("Protesters gathered for a second night on Tuesday. "
            "Officials said turnout in the referendum on July 3, 2016 was low.")
    a = make_article(text, date(2022, 9, 1))
    resolve_time(a)
    assert not a.date_conflict


def test_docdate_future_date_range_before_the_stated_date_is_a_conflict():
    text = "The joint drills, which run from March 2 to March 19, 2019, will include a beach landing."
    a = make_article(text, date(2021, 3, 1))
    resolve_time(a)
    assert a.date_conflict and a.content_date.startswith("2019")


def test_docdate_present_perfect_about_an_old_year_is_a_conflict():
    text = "The standoff has dominated the first months of 2017, diplomats said on Monday."
    a = make_article(text, date(2020, 6, 1))
    resolve_time(a)
    assert a.date_conflict and a.content_date.startswith("2017")


def test_docdate_past_tense_about_an_old_year_is_no_conflict():
    text = "The standoff dominated the first months of 2017, diplomats recalled on Monday."
    a = make_article(text, date(2020, 6, 1))
    resolve_time(a)
    assert not a.date_conflict
