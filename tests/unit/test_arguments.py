"""Arguments: where recipients hide (event-noun complements, authors, destinations, conditions)."""
from __future__ import annotations

import pytest

import tacitus
from conftest import events_of


def coded(text: str, published: str = "2022-06-01"):
    return [(e.type, [a.country for a in e.actor], [a.country for a in e.recipient])
            for e in events_of(text, published)]


def first(text: str, kind: str):
    return next((actor, recipient) for t, actor, recipient in coded(text) if t == kind)


def test_arguments_own_troops_are_not_the_recipient_the_place_is():
    assert first("Sweden withdrew its troops from Mali on Tuesday.", "RETREAT") == (["SWE"], ["MLI"])


def test_arguments_author_of_a_rejected_proposal_is_the_recipient():
    actor, recipient = first("Kenya rejected a proposal by Uganda to share the fishing grounds.", "REJECT")
    assert actor == ["KEN"] and recipient == ["UGA"]


def test_arguments_aid_to_a_war_is_not_aid_to_its_enemy():
    assert "IRQ" not in first("Spain refused to commit to any assistance to the British-led war against Iraq.",
                              "REJECT")[1]


def test_arguments_plural_demonym_and_people_placed_in_a_state():
    _, recipient = first("Nigeria deported 40 Liberians for working without permits.", "COERCE")
    assert recipient == ["LBR"]
    actor, _ = first("The Hungarians of northern Serbia demanded autonomy from Belgrade.", "REQUEST")
    assert actor == ["SRB"]


def test_arguments_curfew_lands_on_the_place():
    result = tacitus.code("Pakistani authorities imposed a curfew in parts of Baluchistan on Monday.",
                          published="2022-06-01")
    coerce = next(e for e in result.events if e.type == "COERCE")
    assert "Baluchistan" in coerce.recipient[0].text


def test_arguments_alert_in_a_region_is_where_troops_mobilise():
    result = tacitus.code("Thai troops remained on alert in Narathiwat province.", published="2022-06-01")
    mobilize = next(e for e in result.events if e.type == "MOBILIZE")
    assert "Narathiwat" in mobilize.recipient[0].text


def test_arguments_joint_deal_is_the_first_partys_act_towards_the_other():
    actor, recipient = first("Chile and Argentina signed a border agreement on Tuesday.", "SUPPORT")
    assert actor == ["CHL"] and recipient == ["ARG"]


def test_arguments_joint_condemnation_keeps_both_actors():
    kinds = coded("France and Germany condemned the coup in Niger.")
    assert any(set(actor) == {"FRA", "DEU"} for t, actor, _ in kinds if t == "ACCUSE")


def test_arguments_protest_without_a_target_is_aimed_at_the_home_government():
    assert first("Thousands of Chilean students marched through the streets on Thursday.", "PROTEST") == \
        (["CHL"], ["CHL"])


def test_arguments_a_things_complement_names_the_target():
    _, recipient = first("Turkey denied entry to a Greek journalist on Friday.", "REJECT")
    assert recipient == ["GRC"]
    result = tacitus.code("Tanzanian police shared evidence with their Kenyan counterparts.", published="2022-06-01")
    cooperate = next(e for e in result.events if e.type == "COOPERATE")
    assert cooperate.recipient[0].text == "their Kenyan counterparts"
    result = tacitus.code("Iran threatened to close all border crossings with Iraq next week.", published="2022-06-01")
    assert next(e for e in result.events if e.type == "THREATEN").recipient[0].text == "Iraq"


def test_arguments_a_thing_is_not_a_party():
    assert first("Ecuador rejected the proposal as unfair.", "REJECT") == (["ECU"], [])


def test_arguments_troops_sent_to_help_an_army_go_to_that_army():
    actor, recipient = first("Rwanda has offered to send troops to help the Mozambican army.", "AGREE")
    assert actor == ["RWA"] and recipient == ["MOZ"]


@pytest.mark.parametrize("text, kind, recipient", [
    # reservists mobilised for a war against a country
    ("Poland mobilised army reservists for a possible war against Belarus.", "MOBILIZE", ["BLR"]),
    # release of names the freed
    ("Egypt announced the release of three Sudanese fishermen on Sunday.", "RETREAT", ["SDN"]),
    # investigation of names the investigated
    ("Colombian prosecutors opened an investigation of two Venezuelan officials.", "ACCUSE", ["VEN"]),
    # complaint lodged with a country
    ("Chile lodged a formal protest with Peru on Monday.", "ACCUSE", ["PER"]),
    # refused to meet with
    ("The Iraqi prime minister refused to meet with the Iranian envoy.", "REJECT", ["IRN"]),
    # threat aimed at the party of the condition
    ("Moscow threatened to quit the treaty if Washington deploys new missiles in Europe.", "THREATEN", ["USA"]),
    # suspension of links with a country
    ("Morocco announced a suspension of flights with Algeria on Friday.", "SANCTION", ["DZA"]),
])
def test_arguments_recipient(text, kind, recipient):
    assert first(text, kind)[1] == recipient
