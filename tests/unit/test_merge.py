"""Merge rules: which reports are one event, and how many independent sources they have.

The short articles below were written for these tests.
"""
from __future__ import annotations

import random

import pytest

from tacitus.merge import (MentionRecord, MergeRules, cluster, count_sources, date_interval, fingerprint, merge_all,
                           merge_group, merge_key, similarity)
from tacitus.model import Event
from tacitus.stages.clean import credited_agency

WIRE = ("VALLETTA (Reuters) - Maltese authorities on Tuesday detained the crew of a cargo ship suspected of "
        "carrying fuel to Libya in breach of a United Nations embargo, the interior ministry said. The vessel, "
        "flagged in Togo, was boarded by the armed forces some 40 nautical miles south of the island. Officials "
        "said the eleven crew members would appear before a magistrate later this week.")
# The same agency story as a second outlet ran it: new headline line, one sentence trimmed.
WIRE_COPY = ("Malta holds crew of suspected fuel smuggling ship\n\n"
             "VALLETTA (Reuters) - Maltese authorities on Tuesday detained the crew of a cargo ship suspected of "
             "carrying fuel to Libya in breach of a United Nations embargo, the interior ministry said. The vessel, "
             "flagged in Togo, was boarded by the armed forces some 40 nautical miles south of the island.")
# The same wire text, but the outlet dropped the agency credit.
WIRE_UNCREDITED = WIRE.replace("VALLETTA (Reuters) - ", "")
INDEPENDENT = ("Soldiers boarded a Togo-flagged tanker off Malta and its crew were held on suspicion of fuel "
               "smuggling, a government spokeswoman told our correspondent on Tuesday evening. She said the "
               "ship's papers listed a port in eastern Libya as its destination.")
OTHER_STORY = ("Farmers drove hundreds of tractors into the centre of Lisbon on Monday to protest against "
               "rising diesel prices and a cut in irrigation subsidies, blocking two bridges for several hours.")


def rec(id: str, date: str | None, precision: str | None = "day", *, type: str = "COERCE",
        actor: tuple = (("MLT", "GOV"),), recipient: tuple = (("TGO", "BUS"),), country: str | None = None,
        article: str | None = None, source: str | None = None, agency: str | None = None, text: str = "",
        mode: str | None = None, confidence: float = 0.5, level: str = "city") -> MentionRecord:
    event = {"type": type, "mode": mode, "context": [], "cameo": "17", "quad_class": 4, "score": -5.0,
             "actor": [{"text": c, "name": c, "country": c, "sector": s, "kb_id": None} for c, s in actor],
             "recipient": [{"text": c, "name": c, "country": c, "sector": s, "kb_id": None} for c, s in recipient],
             "date": date, "date_precision": precision, "confidence": confidence,
             "location": {"name": "Valletta", "country": country, "level": level} if country else None}
    return MentionRecord(id, article or f"art-{id}", Event.from_dict(event), source, agency,
                         fingerprint(text) if text else ())


def groups(records: list[MentionRecord], rules: MergeRules = MergeRules()) -> list[set[str]]:
    return sorted(({r.id for r in c} for c in cluster(records, rules)), key=min)


def test_merge_day_precision_within_one_day():
    assert groups([rec("a", "2023-05-02"), rec("b", "2023-05-03")]) == [{"a", "b"}]
    assert groups([rec("a", "2023-05-02"), rec("b", "2023-05-04")]) == [{"a"}, {"b"}]


def test_merge_week_precision_within_seven_days():
    # week dates are Mondays; the week covers Monday..Sunday, then ±7 days
    assert groups([rec("a", "2023-05-01", "week"), rec("b", "2023-05-14")]) == [{"a", "b"}]
    assert groups([rec("a", "2023-05-01", "week"), rec("b", "2023-05-16")]) == [{"a"}, {"b"}]


def test_merge_month_precision_same_month_only():
    assert groups([rec("a", "2023-05", "month"), rec("b", "2023-05-31", "day")]) == [{"a", "b"}]
    assert groups([rec("a", "2023-05", "month"), rec("b", "2023-06", "month")]) == [{"a"}, {"b"}]
    assert groups([rec("a", "2023-05", "month"), rec("b", "2023-06-15", "day")]) == [{"a"}, {"b"}]


def test_merge_reported_date_within_two_days():
    assert groups([rec("a", "2023-05-02", "reported"), rec("b", "2023-05-04", "reported")]) == [{"a", "b"}]
    assert groups([rec("a", "2023-05-02", "reported"), rec("b", "2023-05-05", "day")]) == [{"a"}, {"b"}]


def test_merge_windows_are_configurable():
    strict = MergeRules(day=0, reported=0)
    assert groups([rec("a", "2023-05-02"), rec("b", "2023-05-03")], strict) == [{"a"}, {"b"}]
    loose = MergeRules(day=3)
    assert groups([rec("a", "2023-05-02"), rec("b", "2023-05-05")], loose) == [{"a", "b"}]


def test_merge_is_complete_link_so_daily_events_do_not_chain():
    days = [rec(f"d{i}", f"2023-05-0{i}") for i in range(1, 6)]
    assert groups(days) == [{"d1", "d2"}, {"d3", "d4"}, {"d5"}]


def test_merge_locations_same_country_or_one_missing():
    assert groups([rec("a", "2023-05-02", country="MLT"), rec("b", "2023-05-02", country="LBY")]) == [{"a"}, {"b"}]
    assert groups([rec("a", "2023-05-02", country="MLT"), rec("b", "2023-05-02")]) == [{"a", "b"}]


def test_merge_undated_reports_never_merge():
    assert groups([rec("a", None, None), rec("b", None, None)]) == [{"a"}, {"b"}]
    assert date_interval("2023-13", "month") is None


def test_merge_reports_without_any_country_stay_apart_unless_allowed():
    nobody = dict(actor=((None, "OPP"),), recipient=())
    reports = [rec("a", "2023-05-02", **nobody), rec("b", "2023-05-02", **nobody)]
    assert groups(reports) == [{"a"}, {"b"}]
    assert groups(reports, MergeRules(merge_countryless=True)) == [{"a", "b"}]
    located = [rec("c", "2023-05-02", country="MLT", **nobody), rec("d", "2023-05-02", **nobody)]
    assert groups(located) == [{"c"}, {"d"}]       # d names no country: it stays apart


def test_merge_key_needs_same_category_and_actor_sets():
    base = rec("a", "2023-05-02")
    assert merge_key(base.event) == merge_key(rec("b", "2023-05-02", actor=(("MLT", "GOV"),)).event)
    assert merge_key(base.event) != merge_key(rec("c", "2023-05-02", type="ASSAULT").event)
    assert merge_key(base.event) != merge_key(rec("d", "2023-05-02", recipient=(("TGO", "GOV"),)).event)
    two = rec("e", "2023-05-02", actor=(("MLT", "GOV"), ("ITA", "MIL"))).event
    assert merge_key(two) == merge_key(rec("f", "2023-05-02", actor=(("ITA", "MIL"), ("MLT", "GOV"))).event)
    events = merge_all([base, rec("c", "2023-05-02", type="ASSAULT"), rec("g", "2023-05-03")])
    assert sorted(len(e.mention_ids) for e in events) == [1, 2]


def test_merge_independent_of_input_order():
    rng = random.Random(7)
    records = [rec(f"m{i}", f"2023-05-{rng.randint(1, 20):02d}", rng.choice(["day", "reported", "week"]),
                   country=rng.choice([None, "MLT", "LBY"]), mode=rng.choice([None, "arrest", "seize"]),
                   recipient=rng.choice([(("TGO", "BUS"),), (("LBY", "REB"),)]), article=f"a{i % 9}")
               for i in range(60)]
    expected = [(e.id, e.mention_ids, e.date, e.mode, e.n_sources) for e in merge_all(records)]
    for _ in range(5):
        rng.shuffle(records)
        assert [(e.id, e.mention_ids, e.date, e.mode, e.n_sources) for e in merge_all(records)] == expected


def test_merge_group_is_the_unit_of_work():
    records = [rec("a", "2023-05-02"), rec("b", "2023-05-03"), rec("c", "2023-05-09")]
    key = merge_key(records[0].event)
    assert [e.mention_ids for e in merge_group(key, records)] == [["a", "b"], ["c"]]


def test_merge_event_takes_most_precise_date_common_mode_and_union_of_actors():
    records = [rec("a", "2023-05", "month", mode="arrest"), rec("b", "2023-05-02", mode="seize", confidence=0.9),
               rec("c", "2023-05-02", "reported", mode="arrest")]
    records[1].event.actor[0].name = "Armed Forces of Malta"
    (event,) = merge_all(records)
    assert (event.date, event.date_precision) == ("2023-05-02", "day")
    assert event.mode == "arrest" and event.confidence == 0.9
    assert event.n_articles == 3 and event.representative == "b"
    assert {a.name for role, a in event.actors if role == "actor"} == {"MLT", "Armed Forces of Malta"}


def test_merge_event_id_is_stable_and_content_derived():
    one = merge_all([rec("a", "2023-05-02"), rec("b", "2023-05-02")])
    two = merge_all([rec("b", "2023-05-02"), rec("a", "2023-05-02")])
    assert one[0].id == two[0].id and len(one[0].id) == 16


def test_sources_wire_copies_count_once():
    assert similarity(fingerprint(WIRE), fingerprint(WIRE_COPY)) >= 0.7
    assert similarity(fingerprint(WIRE), fingerprint(INDEPENDENT)) < 0.2
    assert credited_agency(WIRE) == "Reuters" and credited_agency(INDEPENDENT) is None
    assert credited_agency("", "Associated Press") == "AP"
    reports = [rec("w1", "2023-05-02", text=WIRE, agency=credited_agency(WIRE), source="Times of Malta"),
               rec("w2", "2023-05-02", text=WIRE_COPY, agency=credited_agency(WIRE_COPY), source="Malta Today"),
               rec("w3", "2023-05-02", text=WIRE_UNCREDITED, source="Island Post"),
               rec("i1", "2023-05-02", text=INDEPENDENT, source="Mediterranean Daily")]
    (event,) = merge_all(reports)
    assert (event.n_articles, event.n_sources) == (4, 2)


def test_sources_same_agency_or_outlet_counts_once():
    a = rec("a", "2023-05-02", text=WIRE, agency="AFP")
    b = rec("b", "2023-05-02", text=OTHER_STORY, agency="AFP")
    c = rec("c", "2023-05-02", text=INDEPENDENT, source="Mediterranean Daily")
    d = rec("d", "2023-05-02", text=OTHER_STORY + " More.", source="Mediterranean Daily")
    assert count_sources([a, b]) == 1
    assert count_sources([a, c]) == 2
    assert count_sources([c, d]) == 1
    # two reports in one article count one article and one source
    assert count_sources([a, rec("a2", "2023-05-02", article="art-a", agency="AFP")]) == 1


@pytest.mark.parametrize("value,precision,span", [
    ("2023-05-02", "day", ("2023-05-02", "2023-05-02")),
    ("2023-05-01", "week", ("2023-05-01", "2023-05-07")),
    ("2023-02", "month", ("2023-02-01", "2023-02-28")),
    ("2023-12", "month", ("2023-12-01", "2023-12-31")),
    ("2024", "year", ("2024-01-01", "2024-12-31")),
])
def test_date_interval(value, precision, span):
    lo, hi = date_interval(value, precision)
    assert (lo.isoformat(), hi.isoformat()) == span
