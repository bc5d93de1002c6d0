"""Who acts and who is acted on: the heads of a trigger's actor and recipient phrases.

Reads the dependency parse: active subjects, passive agents ("hit with sanctions by
Washington"), relative clauses ("Blinken, who spoke to Lavrov"), controlled
subjects ("decided to impose"), conjoined verbs sharing a subject, objects,
indirect objects and the prepositions a lexicon entry names ("sanctions on",
"talks with"). Compound phrases ("the United States and Jordan") give every conjunct.
"""
from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from ...vocabulary import PARTY_LABELS, VERBAL_ACTS
from . import targets

RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")


def _speech_verbs() -> frozenset[str]:
    from ... import lexicon

    return lexicon.load().speech_verbs


NOT_ACTORS = {"DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"}
WITH_PARTNER = {"CONSULT", "AGREE", "COOPERATE", "ASSAULT", "SUPPORT"}


def argument_heads(verb: Token, trigger_noun: Token, entry, lex) -> tuple[list[int], list[int]]:
    actors, recipients = _argument_heads(verb, trigger_noun, entry, lex)
    doc = verb.doc
    keep = lambda i: doc[i].ent_type_ not in NOT_ACTORS and doc[i].pos_ not in ("NUM", "ADV")
    return [i for i in actors if keep(i)], [i for i in recipients if keep(i)]


def _argument_heads(verb: Token, trigger_noun: Token, entry, lex) -> tuple[list[int], list[int]]:
    if entry.type not in WITH_PARTNER and "with" in entry.recipient:
        entry = replace(entry, recipient=tuple(p for p in entry.recipient if p != "with"))
    if verb.pos_ in ("NOUN", "PROPN"):
        return _noun_arguments(verb, entry)
    if entry.type in ("RETREAT", "CONCEDE") and "from" not in entry.recipient:   # "pulled out of / from X"
        entry = replace(entry, recipient=entry.recipient + ("from",))
    actors = _with_conjuncts(subject_of(verb))
    recipients = _objects(verb, entry)
    own = [r for r in recipients if targets.own_forces(r, verb, actors)]
    if own:                                 # "withdrew its troops from X": the act lands on X
        recipients = [r for r in recipients if r not in own] + targets.destination_targets(verb, own, actors)
    if entry.type in REACTIONS:             # "rejected calls by X": X made what is reacted to
        recipients = [a for r in recipients for a in (targets.author_targets(r) or [r])]
    if trigger_noun is not verb:            # light verb: the event noun's own modifiers
        recipients += targets.noun_targets(trigger_noun, entry.recipient)
        if not actors:
            actors = _noun_arguments(trigger_noun, entry)[0]
    if not recipients and verb.dep_ == "conj":
        # "Russia called the moves a blow and pledged to retaliate": the pledge is aimed at the same party
        recipients = _objects(verb.head, entry)
    if not _useful(recipients) and entry.type in VERBAL_ACTS:
        # "threatened to cut off power to X", "demanded that the US cancel": the target sits in the complement
        recipients += _complement_targets(verb, entry, actors)
    if not _useful(recipients) and entry.type == "THREATEN":
        recipients += targets.condition_subjects(verb, actors)    # "... if Ankara refuses"
    if not _useful(recipients) and entry.type in WITH_PARTNER:
        recipients += _partner_of_event_noun(verb, lex)     # "arrived for talks with Ruto"
    if not _useful(recipients) and entry.type in targets.PLACE_BOUND:
        recipients += targets.place_targets(verb, actors)
    if not _useful(recipients):
        recipients += _place_targets(verb, actors)
    # an event noun as object ("imposed sanctions on X") is the act, not its target: take its own target
    recipients = [t for r in recipients for t in _event_noun_targets(r, entry, lex)]
    recipients = [r for r in _with_conjuncts(recipients) if r not in actors and r != trigger_noun.i]
    return sorted(set(actors)), sorted(set(recipients))


REACTIONS = {"ACCUSE", "REJECT", "SUPPORT", "CONCEDE", "AGREE"}


def _useful(tokens) -> bool:
    tokens = [t for t in tokens if isinstance(t, int) or t.ent_type_ not in NOT_ACTORS]
    return any((t.ent_type_ in PARTY_LABELS) or t.pos_ == "PROPN" for t in tokens if not isinstance(t, int))


def _complement_targets(verb: Token, entry, actors: list[int]) -> list[Token]:
    out: list[Token] = []
    for comp in (c for c in verb.children if c.dep_ in ("xcomp", "ccomp")):
        subjects = [c for c in comp.children if c.dep_ in ("nsubj", "nsubjpass")]
        if comp.dep_ == "ccomp" and subjects and subjects[0].i not in actors and subjects[0].pos_ != "PRON":
            out += subjects
        objects = [c for c in comp.children if c.dep_ in ("dobj", "dative")]
        own = [c for c in objects if targets.own_forces(c, comp, actors)]     # "offered to send troops to X"
        out += [c for c in objects if c not in own] + (targets.destination_targets(comp, own, actors) if own else [])
        out += _prep_objects(comp, entry.recipient + ("from", "in", "with"))   # "refused to meet with X"
        for grand in (c for c in comp.children if c.dep_ in ("xcomp", "ccomp", "conj")):
            out += [c for c in grand.children if c.dep_ in ("dobj", "dative")]
            out += _prep_objects(grand, entry.recipient)
    return [t for t in out if t.ent_type_ in PARTY_LABELS or t.pos_ in ("PROPN", "NOUN")]


def _event_noun_targets(tok, entry, lex) -> list:
    """An act or thing as object is not the target: "imposed sanctions on X", "launched legal action
    against X", "shared evidence with X", "denied entry to X"; a party object stays."""
    if isinstance(tok, int):
        return [tok]
    lemma = tok.lemma_.lower()
    if lemma not in lex.nouns and lemma not in targets.PATIENT_NOUNS and (targets.is_party(tok) or tok.pos_ != "NOUN"):
        return [tok]
    found = targets.noun_targets(tok, entry.recipient)
    if lemma not in lex.nouns and lemma not in targets.PATIENT_NOUNS:
        found = [t for t in found if targets.is_party(t)]      # a thing's complement must name a party
    return found or [tok]


def _partner_of_event_noun(verb: Token, lex) -> list[Token]:
    out = []
    for tok in verb.subtree:
        if tok.lemma_.lower() in lex.nouns and tok.i != verb.i and _depth_below(tok, verb) <= 4:
            for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("with", "between")):
                out += [g for g in prep.children if g.dep_ == "pobj"]
    return out


def _depth_below(tok: Token, top: Token) -> int:
    depth = 0
    while tok.i != top.i and tok.head.i != tok.i and depth < 10:
        tok, depth = tok.head, depth + 1
    return depth


def _place_targets(verb: Token, actors: list[int]) -> list[Token]:
    """A country named as where the act lands ("lifted a curfew in Montenegro", "arrived in Amman")."""
    heads = [verb] + [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    out = []
    for head in heads:
        for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in ("in", "to", "into")):
            out += [g for g in prep.children if g.dep_ == "pobj" and g.ent_type_ == "GPE" and g.i not in actors]
    return out


def subject_of(verb: Token, depth: int = 0) -> list[Token]:
    if depth > 4:
        return []
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)
    if passive:
        agents = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if not agents:     # the parser often hangs "by X" on the object: "hit with sanctions by Washington"
            agents = [g for c in verb.subtree if c.dep_ in ("agent", "prep") and c.lower_ == "by"
                      and c.head.i != verb.i for g in c.children if g.dep_ == "pobj" and g.ent_type_ in
                      PARTY_LABELS]
        if agents:
            return agents
    for child in verb.children:
        if child.dep_ in ("nsubj", "csubj") or (child.dep_ == "nsubjpass" and not passive):
            if child.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                return [verb.head]
            if child.pos_ == "PRON" and verb.dep_ == "ccomp" and verb.head.lemma_.lower() in _speech_verbs():
                # "The ministry said it had discussed ...": the pronoun is the speaker
                speaker = subject_of(verb.head, depth + 1)
                if speaker:
                    return speaker
            return [child]
    if passive:
        return []
    if verb.dep_ == "relcl":
        return [verb.head]
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.dep_ == "dobj" and verb.head.head is not verb.head:
        # "X issued a statement demanding ...", "Y sent a letter urging ...": the author of the statement
        return subject_of(verb.head.head, depth + 1)
    if verb.dep_ in ("xcomp", "conj", "advcl", "acomp") and verb.head is not verb:
        head = verb.head
        if verb.dep_ == "xcomp":
            # "urged Moscow to release": the controller of an object-control verb is its object
            objects = [c for c in head.children if c.dep_ in ("dobj",) and c.pos_ in ("PROPN", "NOUN", "PRON")]
            if objects and head.lemma_.lower() in ("urge", "ask", "call", "press", "order", "force", "invite",
                                                   "persuade", "allow", "tell", "encourage", "help"):
                return objects
        return subject_of(head, depth + 1)
    return []


def _objects(verb: Token, entry) -> list[Token]:
    out: list[Token] = []
    passive = any(c.dep_ in ("auxpass",) for c in verb.children)
    datives = [c for c in verb.children if c.dep_ == "dative" and c.pos_ in ("PROPN", "NOUN", "PRON")]
    for child in verb.children:
        if child.dep_ == "nsubjpass" and passive:
            out.append(child)
        elif child.dep_ == "dobj" and not datives:
            out.append(child)
    out += datives
    out += _prep_objects(verb, entry.recipient)
    return out


def _prep_objects(tok: Token, preps) -> list[Token]:
    out = []
    for child in tok.children:
        if child.dep_ in ("prep", "dative") and child.lower_ in preps:
            out += [g for g in child.children if g.dep_ == "pobj"]
    return out


def _noun_arguments(noun: Token, entry) -> tuple[list[int], list[int]]:
    actors: list[Token] = [c for c in noun.children if c.dep_ == "poss"]
    actors += [c for c in noun.children if c.dep_ in ("compound", "amod") and c.ent_type_ in ("NORP", "GPE", "ORG")]
    recipients: list[Token] = []
    for child in noun.children:
        if child.dep_ != "prep":
            continue
        objs = [g for g in child.children if g.dep_ == "pobj"]
        if child.lower_ == "between":
            actors += _with_conjuncts(objs)
        elif child.lower_ == "by":
            actors += objs
        elif child.lower_ in entry.recipient:
            recipients += objs
    return sorted(set(_with_conjuncts(actors))), sorted(set(_with_conjuncts(recipients)))


QUANTITY_NOUNS = {"thousand", "thousands", "hundred", "hundreds", "dozen", "dozens", "million", "millions",
                  "score", "scores", "group", "crowd", "crowds", "number", "handful", "some", "many", "most", "all"}


def _through_quantity(tok: Token) -> Token:
    """"thousands of Iraqi Kurds": the party is the Kurds, not the number."""
    for _ in range(3):
        if tok.lemma_.lower() not in QUANTITY_NOUNS and tok.lower_ not in QUANTITY_NOUNS:
            return tok
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
        if pobj is None:
            return tok
        tok = pobj
    return tok


def _with_conjuncts(tokens) -> list[int]:
    out: list[int] = []
    for tok in tokens:
        if isinstance(tok, int):
            out.append(tok)
            continue
        tok = _through_quantity(tok)
        out.append(tok.i)
        out += [c.i for c in tok.conjuncts if c.pos_ in ("PROPN", "NOUN", "PRON")]
    return out
