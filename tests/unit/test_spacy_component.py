"""The coder as a spaCy component, found through the spacy_factories entry point."""
from __future__ import annotations

import tacitus
from tacitus.nlp import MODEL


def test_spacy_component_adds_events_with_the_cli_fields():
    import spacy

    nlp = spacy.load(MODEL)
    nlp.add_pipe("tacitus_events", config={"published": "2023-05-10"})    # registered by entry point
    doc = nlp("Chile expelled two Bolivian diplomats on Monday.")
    assert [e["type"] for e in doc._.events] == ["SANCTION"]
    cli_fields = set(tacitus.code("Chile expelled two Bolivian diplomats on Monday.",
                                  published="2023-05-10").events[0].to_dict())
    assert set(doc._.events[0]) == cli_fields
    assert doc._.events[0]["date"] == "2023-05-08"


def test_component_leaves_the_doc_serialisable():
    import spacy

    from tacitus.nlp import MODEL

    nlp = spacy.load(MODEL)
    nlp.add_pipe("tacitus_events")
    doc = nlp("Chile expelled two Bolivian diplomats on Monday.")
    assert [e["type"] for e in doc._.events] == ["SANCTION"]
    assert spacy.tokens.Doc(nlp.vocab).from_bytes(doc.to_bytes()).text == doc.text
