"""Recipients that sit inside phrases rather than in the verb's object slot.

- an event noun's complements: "the release of two nationals", "talks with the
  government", "support for Kyiv", through one non-party noun ("a suspension of
  air links with Serbia");
- the author of what is reacted to: "rejected an offer by Kabul", "condemned the
  raid by militia fighters", "turned down a request from the union";
- where the actor's own forces go: "withdrew its troops from Iraq", "sent soldiers
  to Mali", "mobilised reservists for a war against Iraq" (the troops are the
  actor's, the act lands on the place);
- the party a threat is conditioned on: "threatened to quit the talks if Ankara
  refuses".
"""
from __future__ import annotations

from spacy.tokens import Token

from ... import knowledge, lexicon
from ...vocabulary import PARTY_LABELS, RECIPROCAL

# "the release of X": nouns whose "of" object is the one acted on (not the actor's own forces)
PATIENT_NOUNS = {"release", "arrest", "detention", "investigation", "probe", "inquiry", "expulsion", "deportation",
                 "extradition", "pardon", "prosecution", "trial", "killing", "assassination", "execution", "torture",
                 "abduction", "kidnapping", "bombardment", "bombing", "shelling", "siege", "blockade", "invasion",
                 "occupation", "recognition", "isolation", "criticism", "condemnation", "harassment", "persecution",
                 "capture", "freeing", "suspension", "boycott", "punishment", "indictment", "impeachment", "ouster",
                 "removal", "sacking", "dismissal", "surveillance", "interrogation"}
# "rejected calls by X", "accepted an offer from X": the author of the proposal is the recipient
PROPOSAL_NOUNS = {"request", "offer", "call", "demand", "appeal", "proposal", "plan", "bid", "invitation",
                  "initiative", "ultimatum", "plea", "suggestion", "decision", "order", "ruling", "overture",
                  "application", "motion", "petition", "claim", "charge", "accusation", "allegation", "statement",
                  "remark", "comment", "move", "attack", "raid", "protest", "strike", "threat", "action", "policy"}
FORCE_NOUNS = {"troop", "force", "soldier", "peacekeeper", "army", "reservist", "brigade", "battalion", "unit",
               "personnel", "contingent", "warship", "jet", "presence", "military", "police", "observer", "staff",
               "expert", "team", "mission", "aid", "assistance", "money", "fund", "equipment", "weapon", "supplies"}
# verbs that move or commit the actor's own people and means ("sent troops to", "withdrew staff from")
SENDING_VERBS = {"send", "deploy", "withdraw", "pull", "move", "dispatch", "mobilize", "mobilise", "contribute",
                 "give", "provide", "lend", "station", "offer", "pledge", "bring", "recall", "evacuate", "redeploy",
                 "transfer", "fly", "ship", "donate", "grant", "put", "place", "keep", "reinforce", "intensify",
                 "increase", "reduce", "boost", "mass", "deliver", "supply", "commit", "beef", "extend", "expand"}
OWN_PRONOUNS = {"its", "their", "his", "her", "our"}
DESTINATION_PREPS = ("from", "to", "into", "in", "toward", "towards")
CLAUSES = ("relcl", "advcl", "ccomp", "csubj", "parataxis")


def is_party(tok: Token) -> bool:
    """A word that can stand for a party: a named one, a role noun, or a noun a nationality modifies."""
    if tok.ent_type_ in PARTY_LABELS or tok.pos_ == "PROPN":
        return True
    if tok.pos_ not in ("NOUN", "PRON") or tok.ent_type_ in ("DATE", "TIME", "MONEY", "CARDINAL", "PERCENT"):
        return False
    kb = knowledge.load()
    if tok.lower_ in kb.roles or tok.lemma_.lower() in kb.roles:
        return True
    # "Sudanese stakeholders", "Greek refugee camps"; not "Egypt's solidarity" (a thing someone has)
    return any(c.dep_ in ("compound", "amod", "nmod") and c.ent_type_ in PARTY_LABELS for c in tok.children)


def _pobjs(tok: Token, preps) -> list[Token]:
    return [g for c in tok.children if c.dep_ in ("prep", "agent", "dative") and c.lower_ in preps
            for g in c.children if g.dep_ == "pobj"]


def noun_targets(noun: Token, preps, *, depth: int = 0) -> list[Token]:
    """The parties an event noun is aimed at: its recipient prepositions, "with" and "for" parties,
    "of" after nouns of acts done to someone; one level through a non-party noun."""
    lemma = noun.lemma_.lower()
    out = _pobjs(noun, tuple(preps) + ("against",))
    out += [t for t in _pobjs(noun, ("with", "for", "between")) if is_party(t) and t not in out]
    if lemma in PATIENT_NOUNS:
        out += [t for t in _pobjs(noun, ("of",)) if t not in out]
    if depth == 0:     # "a suspension of air links with Serbia"; not "aid to the US-led war against Iraq"
        events = lexicon.load().nouns
        deeper = [d for t in out if not is_party(t) and t.head.lower_ == "of" and t.lemma_.lower() not in events
                  for d in noun_targets(t, preps, depth=1)]
        out = [t for t in out if is_party(t)] + deeper if deeper else out
    return out


def author_targets(obj: Token) -> list[Token]:
    """"rejected repeated offers for talks by the Kabul government": who made what is reacted to."""
    if obj.lemma_.lower() not in PROPOSAL_NOUNS and obj.lower_ not in PROPOSAL_NOUNS:
        return []
    if any(c.dep_ in ("poss", "compound") and c.ent_type_ in PARTY_LABELS for c in obj.children):
        return []             # "the Supreme Court decision", "Kabul's offer": the phrase names its author
    out = [t for t in _pobjs(obj, ("by", "from")) if is_party(t)]
    frontier = [obj]
    for _ in range(2):        # the parser hangs "by X" on a later noun of the phrase or on a participle
        if out:
            return out
        frontier = [g for tok in frontier for c in tok.children for g in
                    ([c] if c.dep_ == "acl" and c.tag_ == "VBN" else
                     [x for x in c.children if x.dep_ == "pobj"] if c.dep_ == "prep" else [])]
        out = [t for tok in frontier for t in _pobjs(tok, ("by",)) if is_party(t)]
    return out


def own_forces(tok: Token, verb: Token, actors: list[int]) -> bool:
    """"withdrew its troops", "sent peacekeepers": what the actor moves, not whom it acts on."""
    mods = [c for c in tok.children if c.dep_ in ("poss", "compound", "amod", "nmod")]
    if any(c.lower_ in OWN_PRONOUNS and c.pos_ == "PRON" or c.i in actors for c in mods if c.dep_ == "poss"):
        return tok.lemma_.lower() in FORCE_NOUNS or verb.lemma_.lower() in SENDING_VERBS
    if tok.lemma_.lower() not in FORCE_NOUNS or verb.lemma_.lower() not in SENDING_VERBS:
        return False
    return not any(c.ent_type_ in PARTY_LABELS for c in mods)     # "Russian troops" may be the target


def destination_targets(verb: Token, objects: list[Token], actors: list[int]) -> list[Token]:
    """Where the act lands: "from Iraq", "to Mali", "into Lebanon" on the verb or its object;
    else "against X" anywhere in the verb's phrases ("for a possible war against Iraq")."""
    out = []
    for head in [verb] + objects:
        out += [t for t in _pobjs(head, DESTINATION_PREPS) if t.i not in actors and _placeish(t)]
    if out:
        return out
    for purpose in (c for c in verb.children if c.dep_ in ("advcl", "xcomp")   # "sent troops to help the Malian army"
                    and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)):
        out += [o for o in purpose.children if o.dep_ == "dobj" and o.i not in actors and is_party(o)]
    if out:
        return out
    for tok in verb.subtree:
        if tok.dep_ == "prep" and tok.lower_ == "against" and not _through_clause(tok, verb):
            out += [g for g in tok.children if g.dep_ == "pobj" and g.i not in actors and (is_party(g) or any(
                c.dep_ == "poss" and c.ent_type_ in PARTY_LABELS for c in g.children))]   # "against Syria's arsenal"
    return out


def _placeish(tok: Token) -> bool:
    """A place or party: "Mali", "the north", "parts of Kashmir"."""
    if tok.ent_type_ in ("GPE", "LOC", "FAC", "ORG", "NORP") or tok.pos_ == "PROPN" or is_party(tok):
        return True
    return any(c.ent_type_ in ("GPE", "LOC") or c.pos_ == "PROPN" for c in tok.subtree if c.i - tok.i < 6)


def _through_clause(tok: Token, top: Token) -> bool:
    while tok.i != top.i and tok.head.i != tok.i:
        if tok.dep_ in CLAUSES:
            return True
        tok = tok.head
    return False


def condition_subjects(verb: Token, actors: list[int]) -> list[Token]:
    """"threatened to walk out if Ankara refuses": the party whose conduct is the condition."""
    out = []
    for tok in verb.subtree:
        if tok.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in tok.children):
            out += [s for s in tok.children if s.dep_ in ("nsubj", "nsubjpass") and s.i not in actors
                    and s.pos_ != "PRON" and is_party(s)]
    return out


# acts that land on a place: "imposed a curfew in parts of Kashmir", "remained on alert in the north"
PLACE_BOUND = {"MOBILIZE", "COERCE", "PROTEST"}
PLACE_PREPS = ("in", "throughout", "across", "inside", "outside")


def place_targets(verb: Token, actors: list[int]) -> list[Token]:
    heads = [verb] + [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass", "attr")]
    heads += [g for c in verb.children if c.dep_ == "prep" and c.lower_ not in PLACE_PREPS
              for g in c.children if g.dep_ == "pobj"]          # "on alert in X"
    return [t for h in heads for t in _pobjs(h, PLACE_PREPS)
            if t.i not in actors and t.ent_type_ not in ("DATE", "TIME") and _placeish(t)]


MUTUAL_NOUNS = {"agreement", "deal", "pact", "accord", "treaty", "ties", "relations", "memorandum", "truce",
                "partnership", "alliance", "compromise", "settlement", "understanding", "consensus"}


def split_mutual(verb: Token, actors: list[int]) -> tuple[list[int], list[int]]:
    """"The US and China signed a trade deal": a joint act of a non-reciprocal kind is coded
    as the first party's act towards the others."""
    doc = verb.doc
    first = doc[actors[0]]
    if len(actors) < 2 or any(doc[i] not in first.conjuncts for i in actors[1:]):
        return actors, []
    clause = [t for t in verb.subtree if not _through_clause(t, verb) and t.dep_ not in ("nsubj", "nsubjpass")]
    if not any(t.lemma_.lower() in MUTUAL_NOUNS for t in clause) and \
            not any(c.dep_ == "xcomp" and c.lemma_.lower() == "agree" for c in verb.children):
        return actors, []
    return actors[:1], actors[1:]


def split_joint_act(event, doc) -> None:
    """Before resolution: "The US and China signed a trade deal" gives the US's act towards China."""
    if event.type in RECIPROCAL or len(event.actor_heads) < 2 or event.trigger_token is None:
        return
    if not any(is_party(doc[h]) for h in event.recipient_heads):
        actors, recipients = split_mutual(doc[event.trigger_token], event.actor_heads)
        if recipients:
            event.actor_heads, event.recipient_heads = actors, recipients


def protest_target(event, actor_cls, name_of) -> None:
    """After resolution: a protest that names no target is aimed at the authorities of the protesters'
    country (as the PLOVER gold-standard records code domestic protests: X -> X GOV)."""
    if event.type != "PROTEST" or event.recipient:
        return
    country = next((a.country for a in event.actor if a.country and a.country not in ("IGO", "NGO")), None)
    if country:
        event.recipient.append(actor_cls(text=name_of(country), name=name_of(country), country=country, sector="GOV"))
