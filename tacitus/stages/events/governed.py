"""Acts governed by other acts: "urged X to release" is a REQUEST only; "denied X and denied Y" is one denial."""
from __future__ import annotations

from spacy.tokens import Doc

from ... import lexicon as lexicon_module
from ...model import Event
from ...vocabulary import VERBAL_ACTS

COMPLEMENT_DEPS = {"xcomp", "ccomp", "pcomp", "pobj", "dobj", "acomp", "oprd", "nsubj", "nsubjpass", "csubj"}
CONTENT_NOUNS = {"pact", "deal", "agreement", "accord", "treaty", "plan", "proposal", "law", "bill", "resolution", "decree",
                 "memorandum", "statement", "report", "mission", "programme", "program", "framework", "roadmap"}


def suppress_governed(events: list[Event], doc: Doc) -> list[Event]:
    """Drop an act whose trigger is the complement of a verbal act ("urged X to release" is REQUEST only)."""
    by_token = {ev.trigger_token: ev for ev in events}
    lex = lexicon_module.load()
    kept = []
    for ev in events:
        tok, governed = doc[ev.trigger_token], False
        clause = tok
        while clause.dep_ == "conj" and clause.head.i != clause.i:     # "will train ... and share ...": same clause
            clause = clause.head
        issued_statement = (ev.type in VERBAL_ACTS and clause.dep_ == "acl" and clause.tag_ == "VBG"
                            and clause.head.dep_ == "dobj")     # "issued a statement demanding ...": an act
        if clause.dep_ in ("relcl", "acl") and not issued_statement and (
                clause.head.lemma_.lower() in lex.nouns or clause.head.lemma_.lower() in CONTENT_NOUNS):
            continue       # "a pact under which instructors will train ...", "an airstrike that killed ...": contents
        while tok.dep_ in COMPLEMENT_DEPS | {"prep", "advcl", "acl"} and tok.head is not tok:
            parent = tok.head
            owner = by_token.get(parent.i)
            if owner is not None and owner is not ev and owner.type in VERBAL_ACTS and tok.dep_ != "advcl":
                governed = True
                break
            if tok.dep_ in ("advcl", "acl"):
                break
            tok = parent
        if not governed:
            kept.append(ev)
    return _merge_same(kept)


def _merge_same(events: list[Event]) -> list[Event]:
    """One event per (type, actors) in a sentence: "denied X and denied Y" is one denial."""
    out: list[Event] = []
    for ev in events:
        twin = next((o for o in out if o.type == ev.type and o.evidence.sentence_index == ev.evidence.sentence_index
                     and o.actor_heads == ev.actor_heads), None)
        if twin is None:
            out.append(ev)
            continue
        twin.recipient_heads = sorted(set(twin.recipient_heads) | set(ev.recipient_heads))
        twin.confidence = max(twin.confidence, ev.confidence)
    return out
