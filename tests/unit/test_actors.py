"""Actors stage: countries, demonyms, seats of power, roles, office holders by date, identity."""
from __future__ import annotations

import pytest

import tacitus
from conftest import events_of


def parties(text: str, published: str = "2021-05-12"):
    return [([(a.country, a.sector) for a in e.actor], [(a.country, a.sector) for a in e.recipient], e.type)
            for e in events_of(text, published)]


def test_actors_capital_stands_for_the_government():
    (actor, recipient, _), = parties("Moscow expelled three Estonian diplomats on Friday.")
    assert actor == [("RUS", "GOV")] and recipient[0][0] == "EST"


def test_actors_seat_of_power_and_possessive():
    (actor, recipient, kind), = parties("The Kremlin criticised Britain's foreign ministry on Monday.")
    assert actor == [("RUS", "GOV")] and recipient == [("GBR", "GOV")] and kind == "ACCUSE"


def test_actors_role_nouns_give_sectors():
    (actor, recipient, _), = parties("Nigerian troops attacked rebel camps near the border.")
    assert actor == [("NGA", "MIL")]


def test_actors_office_holder_resolved_as_of_the_event_date():
    result = tacitus.code("Blinken met Lavrov in Reykjavik on Wednesday.", published="2021-05-20")
    people = {a.name: (a.country, a.sector) for e in result.events for a in e.actor + e.recipient}
    assert people["Antony Blinken"] == ("USA", "GOV")


def test_actors_surname_resolves_through_the_article():
    text = ("Kenyan Interior Minister Jane Wekesa visited the border post on Monday. "
            "Wekesa later accused Somali militants of attacking a police camp.")
    result = tacitus.code(text, published="2023-03-14")
    accuse = next(e for e in result.events if e.type == "ACCUSE")
    assert (accuse.actor[0].country, accuse.actor[0].sector) == ("KEN", "GOV")


def test_actors_passive_voice_agent_is_the_actor():
    (actor, recipient, kind), = parties("Russia was hit with sanctions by Washington on Thursday.")
    assert kind == "SANCTION" and actor[0][0] == "USA" and recipient[0][0] == "RUS"


def test_actors_compound_actor_gives_both_countries():
    result = tacitus.code("The United States and Jordan condemned the attack on Sunday.", published="2023-01-10")
    assert {a.country for a in result.events[0].actor} == {"USA", "JOR"}


def test_actors_igo_is_coded_igo():
    (actor, _, _), = parties("NATO deployed extra jets to Lithuania.")
    assert actor[0][0] == "IGO"


def test_actors_relative_clause_subject_is_its_head():
    result = tacitus.code("Blinken, who spoke to Lavrov on Wednesday, urged Moscow to free two Americans.",
                          published="2021-05-13")
    consult = next(e for e in result.events if e.type == "CONSULT")
    assert consult.actor[0].country == "USA"


def test_actors_role_noun_inside_a_known_name_is_part_of_the_name():
    (event,) = tacitus.code("The European Union imposed sanctions on Belarus.").events
    assert [(a.country, a.sector) for a in event.actor] == [("IGO", "IGO")]


def test_actors_a_people_is_not_a_town_of_the_same_name():
    (event,) = tacitus.code("Italy returned a Roman statue to Libya.").events
    assert {r.country for r in event.recipient} == {"LBY"}


def test_actors_bare_congo_is_the_drc():
    (event,) = tacitus.code("Congo and Rwanda agreed to a ceasefire.").events
    assert {a.country for a in event.actor} == {"COD", "RWA"}


@pytest.mark.parametrize("demonym, country", [("Kyrgyz", "KGZ"), ("Uzbek", "UZB"), ("Kazakh", "KAZ"), ("Tajik", "TJK"),
                                              ("Ecuadorian", "ECU"), ("Slovenian", "SVN")])
def test_actors_central_asian_and_other_demonyms(demonym, country):
    (event,) = tacitus.code(f"The {demonym} foreign minister condemned the attack on the embassy.").events
    assert [(a.country, a.sector) for a in event.actor] == [(country, "GOV")]


def test_actors_people_of_a_state_named_with_two_words():
    (event,) = tacitus.code("Bosnian Croats demanded a new electoral law.").events
    assert {a.country for a in event.actor} == {"BIH"}


def test_actors_statement_demanding_is_its_authors_demand():
    (event,) = tacitus.code("The Malian junta issued a statement demanding that France withdraw its troops.").events
    assert event.type == "REQUEST"
    assert {a.country for a in event.actor} == {"MLI"}
