"""Clause facts the events stage reads off the parse: flags (negated, hypothetical, future), passive
voice, how deep a trigger sits below the main verb, and the confidence that follows from it."""
from __future__ import annotations

from spacy.tokens import Token

from ... import lexicon as lexicon_module
from ...vocabulary import FUTURE_AUX

HYPOTHETICAL_AUX = {"could", "might", "may", "should", "would", "must", "can"}
READY_WORDS = {"ready", "willing", "prepared", "eager", "determined", "poised", "set"}


def is_passive(tok: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)


def is_headline_participle(tok: Token) -> bool:
    """A headline's predicate parsed as a participle of its noun ("Three Britons held in Iran")."""
    return (tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.head.dep_ == "ROOT" and tok.sent.start == 0
            and not tok.sent.text.rstrip().endswith((".", "!", "?")))


def flags_of(tok: Token, lex) -> dict[str, bool]:
    """negated / hypothetical / future / historical for the trigger's clause."""
    children = list(tok.children)
    negated = any(c.dep_ == "neg" for c in children)
    negated |= any(c.dep_ in ("dobj", "nsubjpass") and any(g.lower_ in ("no",) and g.dep_ == "det" for g in c.children)
                   for c in children)
    aux = {c.lower_ for c in children if c.dep_ in ("aux", "auxpass")}
    future = bool(aux & FUTURE_AUX) or any(c.lower_ == "going" for c in children if c.dep_ == "aux")
    hypothetical = bool(aux & (HYPOTHETICAL_AUX - {"would"}))
    # "until Syria releases them", "unless the EU pays", "if it invaded": conditions, not acts or threats
    conditional = any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether", "until", "till") for c in children)
    hypothetical |= conditional
    head = tok
    hops = 0
    prepared = willing = False
    while head.dep_ in ("xcomp", "ccomp", "conj", "advcl") and head.head is not head and hops < 4:
        parent = head.head
        parent_lemma = parent.lemma_.lower()
        if head.dep_ == "xcomp" and (parent_lemma in lex.future_verbs or parent.lower_ in READY_WORDS):
            future = True
            willing |= parent.lower_ in READY_WORDS or parent_lemma in ("offer", "promise", "pledge", "vow")
        if head.dep_ == "xcomp" and parent_lemma == "prepare":
            prepared = True
        if head.dep_ == "xcomp" and parent_lemma in lex.hypothetical_verbs:
            hypothetical = True
        if head.dep_ == "xcomp" and any(c.dep_ == "neg" for c in parent.children):
            negated = True
        if head.dep_ == "xcomp" and parent_lemma in ("fail", "refuse", "decline"):
            negated = True
        if head.dep_ in ("xcomp", "conj"):
            paux = {c.lower_ for c in parent.children if c.dep_ in ("aux", "auxpass")}
            # "will train ... and share": the future carries over; not to a bare participle ("most of them captured")
            future |= bool(paux & FUTURE_AUX) and head.dep_ == "conj" and not aux and tok.tag_ != "VBN"
        if head.dep_ == "ccomp" and "would" in aux and parent_lemma in lex.reporting_verbs:
            future = True
        head = parent
        hops += 1
    return {"negated": negated, "hypothetical": hypothetical, "future": future, "historical": False,
            "prepared": prepared, "willing": willing, "conditional": conditional}


def confidence_of(tok: Token, entry, actors: list[int], recipients: list[int]) -> float:
    clause_weight = {"ROOT": 1.0, "conj": 0.95, "ccomp": 0.92, "xcomp": 0.9, "relcl": 0.85, "advcl": 0.85}
    score = entry.confidence * clause_weight.get(tok.dep_, 0.8) - 0.04 * clause_depth(tok)
    score += 0.06 if entry.conditional else 0.0
    score += 0.05 if actors else -0.05
    score += 0.03 if recipients else 0.0
    return max(0.05, min(0.99, score))


def in_relative_clause(tok: Token) -> bool:
    for _ in range(5):
        if tok.dep_ == "relcl":
            return True
        if tok.dep_ not in ("xcomp", "acomp", "conj", "ccomp") or tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def clause_depth(tok: Token) -> int:
    """How many clauses down from the sentence's main verb; reporting verbs do not count."""
    depth, hops = 0, 0
    lex = lexicon_module.load()
    while tok.dep_ != "ROOT" and hops < 12:
        tok, hops = tok.head, hops + 1
        if tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() not in lex.reporting_verbs:
            depth += 1
    return depth

