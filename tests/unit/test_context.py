"""The article as context for its parties: its country, the implied author of agentless acts, headline
passives, people introduced by an apposition, places that are states of a country. Own sentences."""
from __future__ import annotations

import tacitus
from tacitus.model import Article
from tacitus.stages import clean


def parties(text: str, published: str = "2019-05-14"):
    return [([(a.country, a.sector, a.resolution) for a in e.actor],
             [(a.country, a.sector) for a in e.recipient], e.type) for e in tacitus.code(text, published=published).events]


def test_context_undated_uk_story_takes_its_country_from_its_politics():
    text = ("Tories attack Labour over school funding\n\n"
            "The Conservatives have accused Labour of breaking its promise on school budgets.\n\n"
            "Shadow education secretary Tom Ridley said ministers had misled parents.")
    found = parties(text, published=None)
    assert found and all(c == "GBR" for actors, _, _ in found for c, _, _ in actors)


def test_context_agentless_arrest_gets_the_police_of_the_place_inferred():
    found = parties("Police said 112 people were arrested in Dhaka on Sunday after clashes near the university.")
    arrest = [p for p in found if p[2] == "COERCE"]
    assert arrest and ("BGD", "COP", "inferred") in arrest[0][0]


def test_context_headline_participle_is_passive():
    text = ("Opposition leader Nadia Karimova detained in Tashkent\n"
            "TASHKENT, May 3 (Reuters) - Uzbek police detained the leader of a small opposition party on Friday.")
    headline = [p for p in parties(text, "2019-05-03") if p[2] == "COERCE"][0]
    assert headline[0][0][:2] == ("UZB", "COP") and headline[1][0][0] == "UZB"


def test_context_person_introduced_by_apposition_keeps_the_country():
    text = ("The Turkish foreign minister met his Greek counterpart, Eleni Mavrou, in Athens on Wednesday. "
            "Mavrou urged Turkey to withdraw its survey ship from disputed waters.")
    request = [p for p in parties(text, "2025-04-10") if p[2] == "REQUEST"]
    assert request and request[0][0][0][:2] == ("GRC", "GOV")


def test_context_a_state_of_the_union_is_not_a_crown_dependency():
    found = parties("New Jersey Governor Mark Ellison sued the federal government on Monday over the cuts.")
    assert found and found[0][0][0][0] == "USA"


def test_context_an_act_nobody_did_is_not_an_event():
    assert parties("Talks were held in a spirit of cooperation, a statement said.") == []


def test_context_headline_and_standalone_dateline_are_lifted():
    a = Article(id="t", text="Rebels seize border town\nKINSHASA, May 3, 2004 (AFP)\n\nRebels seized a town on Monday.")
    clean.clean_article(a)
    assert a.dateline == "KINSHASA" and a.text == "Rebels seize border town\n\nRebels seized a town on Monday."
    b = Article(id="t", text="Army retakes town\nGOMA, Oct 4 (Reuters) - The army retook a town on Friday.")
    clean.clean_article(b)
    assert b.dateline.startswith("GOMA") and b.text.startswith("Army retakes town\n\nThe army retook")
    c = Article(id="t", text="Talks resume in Geneva\nMay 3, 2004\n\nBy Ann Lee\n\nGENEVA - Talks resumed on Monday.")
    clean.clean_article(c)
    assert c.dateline == "GENEVA" and str(c.published) == "2004-05-03"


def test_context_undated_article_never_gets_the_coding_day():
    text = "Police arrested the opposition leader on Monday, his party said."
    events = tacitus.code(text, published=None).events
    assert events and all(e.date is None and e.date_precision == "unknown" for e in events)
    events = tacitus.code("Police arrested the opposition leader on 3 May 2004, his party said.", published=None).events
    assert events and events[0].date == "2004-05-03"
