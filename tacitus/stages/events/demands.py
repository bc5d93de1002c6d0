"""Reported demands: "Britain said Russia must withdraw its troops" is Britain's REQUEST to Russia.

A modal of obligation (must, should, ought to) in the clause a reporting verb reports makes that
clause a demand by the speaker, addressed to the clause's subject. What is demanded ("withdraw")
did not happen, so no event is coded from inside the demanded clause.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span, Token

OBLIGATION = {"must", "should", "ought"}
# a cheap look at the text first; no closing \b, since "mustn't" is the tokens "must" and "n't"
OBLIGATION_WORD = re.compile(r"\b(?:" + "|".join(sorted(OBLIGATION)) + ")", re.IGNORECASE)


@dataclass(frozen=True)
class Demand:
    speaker_verb: Token      # "said"
    demanded: Token          # "withdraw": the head of the demanded clause
    addressee: list[Token]   # "Russia" (empty for "intervention must be avoided")


def find_demands(span: Span, speech_verbs: frozenset[str], party_labels: set[str]) -> list[Demand]:
    """speech_verbs: the lexicon's reporting and stating verbs ("said", "reiterated that X must")."""
    out = []
    if not OBLIGATION_WORD.search(span.text):
        return out
    for tok in span:
        if tok.dep_ != "ccomp" or tok.head.lemma_.lower() not in speech_verbs:
            continue
        if not any(c.dep_ == "aux" and c.lower_ in OBLIGATION for c in tok.children):
            continue
        speaker = [c for c in tok.head.children if c.dep_ == "nsubj"]
        if not speaker:
            continue
        subject = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
        addressee = [h for s in subject for h in [s, *s.conjuncts]
                     if s.dep_ == "nsubj" and (h.ent_type_ in party_labels or h.pos_ == "PROPN")]
        if any(c.dep_ == "nsubj" and c.lower_ in ("we", "i") for c in tok.children):
            continue          # "we must act", said by us: a resolve, not a demand
        out.append(Demand(tok.head, tok, addressee))
    return out


def inside(tok: Token, demands: list[Demand]) -> bool:
    """Whether a trigger sits in a demanded clause (its acts are demanded, not done)."""
    return any(tok.i != d.speaker_verb.i and d.demanded.left_edge.i <= tok.i <= d.demanded.right_edge.i
               for d in demands)
