"""Actors: turn the heads of actor and recipient phrases into country, sector, name and kb_id.

A phrase is read from its head outwards (compounds, adjectives, possessives,
appositions, "of"/"from" phrases); the first country, seat of power, body or
person found nearest the head decides the country, role nouns decide the sector.
People are resolved as of the event date. The article teaches itself: "Kenyan
Interior Minister Jane Doe" makes a later "Doe" KEN GOV; "he" takes the last person.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from spacy.tokens import Doc, Token

from ... import classifier, knowledge
from ..events import targets
from . import context
from ...model import Actor, Article, Event
from .lookup import (chain_text, country_name, country_of, dateline_country, doc_ents, entities_nearest, entity_at,
                     find_person, name_chain, place_country, sector_from_roles, sentence_country, word_bounded)

PHRASE_DEPS = {"compound", "amod", "poss", "nmod", "appos", "det", "nummod", "case", "quantmod", "npadvmod", "flat"}
PHRASE_PREPS = {"of", "from"}
PERSON_PRONOUNS = {"he", "she", "him", "her", "his"}
GROUP_PRONOUNS = {"they", "them", "it", "its", "their", "we", "us"}


@dataclass
class ArticleMemory:
    """What the article has taught so far: named people and the last actors seen."""
    people: dict[str, Actor] = field(default_factory=dict)      # full name or surname -> actor
    history: list[tuple[int, Actor, bool]] = field(default_factory=list)   # (token, actor, is_person)
    dateline_country: str | None = None
    article_country: str | None = None      # the country the whole story is about, when one dominates

    def last_parties(self, before: int) -> list[Actor]:
        """The two most recent distinct countries' actors before a token."""
        out: list[Actor] = []
        for index, actor, _ in reversed(self.history):
            if index < before and actor.country and all(a.country != actor.country for a in out):
                out.append(actor)
            if len(out) == 2:
                return out
        return []

    def named_parties(self, head: Token, kb, when) -> list[Actor]:
        """The last two countries named before "the two leaders": read from the text itself."""
        out: list[Actor] = []
        for ent in reversed([e for e in doc_ents(head.doc) if e.end <= head.i and head.i - e.end < 120]):
            if ent.label_ not in ("GPE", "NORP", "PERSON"):
                continue
            for actor in resolve_head(ent.root, kb, self, when):
                if actor.country and all(a.country != actor.country for a in out):
                    out.append(actor)
            if len(out) == 2:
                return out
        return []

    def antecedent(self, before: int, person: bool) -> Actor | None:
        for index, actor, is_person in reversed(self.history):
            if index < before and is_person == person and actor.country:
                return actor
        return None


def resolve_actors(article: Article) -> Article:
    kb = knowledge.load()
    doc: Doc = article.doc
    memory = ArticleMemory(dateline_country=dateline_country(article.dateline, kb))
    memory.article_country = memory.dateline_country or context.article_country(article, doc, kb)
    _learn_people(doc, kb, memory, knowledge.as_date(article.reference_date))
    for event in sorted(article.events, key=lambda e: e.trigger_token or 0):
        when = knowledge.as_date(event.date) or knowledge.as_date(article.reference_date)
        targets.split_joint_act(event, doc)
        for heads, side in ((event.actor_heads, event.actor), (event.recipient_heads, event.recipient)):
            for h in heads:
                for actor in resolve_head(doc[h], kb, memory, when):
                    side.append(actor)
                    is_person = doc[h].ent_type_ == "PERSON" or doc[h].lower_ in PERSON_PRONOUNS
                    memory.history.append((h, actor, is_person))
        _fill_counterparts(event)
        targets.protest_target(event, Actor, country_name)
        context.infer_agent(event, doc, kb, memory)
    # an act nobody did (no author named, none inferable from the story) is not event data, nor is a
    # fight between parties nobody can place ("Ajax beat PSV")
    article.events = [e for e in article.events if e.actor and _placed(e.actor + e.recipient, e, doc)
                      and not _learned_and_self_directed(e)]
    return article


def _learned_and_self_directed(event: Event) -> bool:
    """A learned guess whose only recipient is its own actor ("Blinken reaffirmed Biden's resolve"):
    the sentence describes a stance, not an act between parties; the lexicon's events are kept."""
    if not (event.rule or "").startswith(classifier.RULE_PREFIX) or not event.recipient or not event.actor:
        return False
    own = {(a.country, a.sector) for a in event.actor}
    return all((r.country, r.sector) in own for r in event.recipient)


def _previous_entity(tok: Token, *, person: bool) -> Token | None:
    """The nearest earlier named party: the antecedent a reader would pick for "he" or "it"."""
    labels = {"PERSON"} if person else {"GPE", "ORG", "NORP"}
    for ent in reversed([e for e in doc_ents(tok.doc) if e.end <= tok.i and tok.i - e.end < 60]):
        if ent.label_ in labels:
            return ent.root
    return None


def phrase_tokens(head: Token) -> list[Token]:
    """The head and its modifiers, nearest first; relative clauses and other prepositions excluded."""
    out, frontier = [head], [head]
    while frontier:
        nxt = []
        for tok in frontier:
            for child in tok.children:
                if child.dep_ in PHRASE_DEPS or (child.dep_ == "prep" and child.lower_ in PHRASE_PREPS) or \
                        (child.dep_ == "pobj" and tok.dep_ == "prep"):
                    out.append(child)
                    nxt.append(child)
        frontier = nxt
    return out


def resolve_head(head: Token, kb, memory: ArticleMemory, when: date | None) -> list[Actor]:
    """The parties a phrase head stands for (usually one; "the two leaders" may be two)."""
    doc = head.doc
    if head.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS and head.pos_ == "PRON":
        found = memory.antecedent(head.i, person=head.lower_ in PERSON_PRONOUNS)
        if found is None:
            previous = _previous_entity(head, person=head.lower_ in PERSON_PRONOUNS)
            found = next(iter(resolve_head(previous, kb, memory, when)), None) if previous is not None else None
        return [] if found is None else [replace(found, text=head.text, start=head.idx, end=head.idx + len(head),
                                                 resolution="coreference")]
    if _is_pair_reference(head):
        pair = memory.last_parties(head.i) or memory.named_parties(head, kb, when)
        if pair:
            text = doc[head.left_edge.i:head.i + 1].text      # Doc.text rebuilds the whole text
            return [replace(p, text=text, start=head.left_edge.idx, end=head.idx + len(head), resolution="coreference")
                    for p in pair]
    tokens = phrase_tokens(head)
    ordered = sorted(tokens, key=lambda t: t.i)
    left, right = ordered[0], ordered[-1]
    if right.i - left.i > 14:       # keep the displayed text short: the head and its close modifiers
        ordered = [t for t in ordered if abs(t.i - head.i) <= 7]
        left, right = ordered[0], ordered[-1]
    text = doc[left.i:right.i + 1].text
    actor = Actor(text=text, start=left.idx, end=right.idx + len(right))
    _resolve_into(actor, tokens, head, kb, memory, when)
    if actor.country is None:
        # "a fresh offer from Afghanistan", "restrictions against German goods": the party sits deeper
        actor.country = _deep_country(head, kb, memory, when)
    if actor.country is None and actor.sector is None and actor.name is None and head.pos_ != "PROPN" and \
            not any(t.ent_type_ in ("GPE", "LOC", "FAC") or t.pos_ == "PROPN" and t.ent_type_ not in ("DATE", "TIME")
                    for t in tokens):
        return []     # "any wrongdoing", "the decision": not a party; "parts of Kashmir" is a place
    return [actor]


PAIR_NOUNS = {"leader", "side", "country", "nation", "government", "minister", "president", "party", "neighbour",
              "neighbor", "foe", "rival", "delegation", "army", "capital"}


def _is_pair_reference(head: Token) -> bool:
    """"the two leaders", "both sides", "the neighbours": the parties just named."""
    if head.lemma_.lower() not in PAIR_NOUNS or head.ent_type_:
        return False
    children = {c.lower_ for c in head.children}
    return bool(children & {"two", "both"}) or (head.tag_ == "NNS" and "the" in children and
                                               not any(c.dep_ in ("amod", "compound", "poss") for c in head.children))


def _resolve_into(actor: Actor, tokens: list[Token], head: Token, kb, memory: ArticleMemory, when,
                  *, learn: bool = True) -> None:
    """Fill country, sector, name and kb_id. Priorities: a seat of power; the person or body the
    head names; the nationality written in the phrase; role nouns for the sector; then context."""
    folded = actor.text.casefold()
    for seat_text in kb.seats_longest_first:                         # "the White House's moves"
        if seat_text in folded and word_bounded(folded, seat_text):
            body = kb.seats[seat_text]
            actor.country, actor.sector, actor.name = body.country, body.sector, body.name.removeprefix("the ")
            break
    person_name = name_chain(head, memory.people)
    person = find_person(person_name, kb, memory, when) if person_name else None
    if person is not None:
        actor.name, actor.kb_id = person.name, person.kb_id
    ents = entities_nearest(tokens, head)
    if person_name in memory.people:       # the tagger's "Kouri" (GPE) is the person the article named
        ents = [e for e in ents if not e.start <= head.i < e.end]
    body, body_ent = None, None
    for ent in ents:
        if ent.label_ in ("ORG", "NORP", "GPE", "FAC", "PERSON") and (body := kb.body(ent.text)) is not None:
            body_ent = ent
            break
    if body is None and head.pos_ == "PROPN":
        body = kb.body(chain_text(head))
    if body is not None and actor.country is None:
        actor.name, actor.kb_id = actor.name or body.name, actor.kb_id or body.kb_id
    stated, stated_is_state = _stated_country(ents, tokens, head, kb)
    actor.country = actor.country or stated or (person.country if person else None) or (body.country if body else None)
    # a role noun inside a known body's own name ("the European Union") is part of the name
    named = body_ent is not None and body_ent.start <= head.i < body_ent.end
    role_sector = None if named else sector_from_roles(tokens, head, kb)
    if role_sector == "COUNTERPART":
        actor.sector = actor.sector or "COUNTERPART"
    elif role_sector and not actor.sector:
        actor.sector = role_sector
    elif role_sector and head.lower_ in kb.roles and actor.sector == "GOV":
        actor.sector = role_sector                                   # "Russian troops" beats a default
    if not actor.sector:
        actor.sector = (person.sector if person else None) or (body.sector if body else None) or \
            ("GOV" if stated_is_state else None)
    if actor.country is None and (actor.sector or person_name or head.ent_type_ == "ORG"):
        # "police" in a Kenyan story; a body the knowledge base does not know ("the Countryside Alliance")
        actor.country = _context_country(head, kb, memory)
        actor.resolution = "context" if actor.country else actor.resolution
    if actor.name is None and person_name and actor.country:
        actor.name = person_name
    if actor.name is None and actor.country and actor.country not in ("IGO", "NGO"):
        actor.name = country_name(actor.country)
    if learn and person_name and person is None and (stated or role_sector):
        # an unknown titled person teaches the article ("Kenyan Interior Minister Jane Doe")
        learned = replace(actor, name=person_name)
        memory.people.setdefault(person_name, learned)
        memory.people.setdefault(person_name.split()[-1], learned)


def _stated_country(ents, tokens: list[Token], head: Token, kb) -> tuple[str | None, bool]:
    """The nationality written in the phrase ("Russian", "the U.S.", "Moscow"); True when the phrase
    *is* the state (a bare country or capital as head), which makes it GOV."""
    if head.ent_type_ == "NORP":    # "the Albanians of southern Serbia": a people is coded by the state it lives in
        for ent in ents:
            if ent.label_ == "GPE" and head not in ent and (country := country_of(ent.text, kb)[0]):
                return country, False
    for ent in ents:
        if ent.label_ in ("GPE", "NORP", "ORG", "FAC", "LOC"):
            country, is_capital = country_of(ent.text, kb)
            if country is None and ent.label_ in ("GPE", "LOC") and len(ent) > 1:
                country = place_country(ent.root)           # "New Jersey", "New Mexico": a state of the USA
            if country:
                return country, is_capital or (ent.label_ == "GPE" and ent.root == head)
    if head.i > 0 and head.doc[head.i - 1].text[:1].isupper() and head.text[:1].isupper():
        # "Bosnian Serbs", "Kosovo Albanians": the people of a state, as one name
        country = kb.country(head.doc[head.i - 1:head.i + 1].text)
        if country:
            return country, False
    for tok in sorted(tokens, key=lambda t: abs(t.i - head.i)):
        if (ent := entity_at(tok)) is not None and len(ent) > 1 and ent.label_ in ("GPE", "LOC"):
            continue                                        # a word of a longer place name
        if tok.pos_ in ("PROPN", "ADJ") or tok.text[:1].isupper():
            country, is_capital = country_of(tok.text, kb)
            if country:
                return country, is_capital or tok == head
    return None, False


def _deep_country(head: Token, kb, memory: ArticleMemory, when) -> str | None:
    """The party a phrase names deeper inside ("a fresh offer from Afghanistan"), nearest first;
    not through clauses or "as ..." descriptions ("denounced the decision as interference in Iran")."""
    skip = {t.i for child in head.children if child.dep_ == "prep" and child.lower_ == "as" for t in child.subtree}
    for tok in sorted(head.subtree, key=lambda t: abs(t.i - head.i)):
        if tok.i in skip or (tok.dep_ in ("relcl", "acl", "advcl") and tok.i != head.i):
            continue
        if tok.ent_type_ in ("GPE", "NORP") and (country := country_of(tok.text, kb)[0] or place_country(tok)):
            return country
        if tok.ent_type_ == "PERSON" and (person := find_person(tok.text, kb, memory, when)) and person.country:
            return person.country
    return None


def _context_country(head: Token, kb, memory: ArticleMemory) -> str | None:
    return memory.dateline_country or sentence_country(head, kb) or memory.article_country


def _placed(actors: list[Actor], event: Event, doc: Doc) -> bool:
    # unknown proper names only ("Ajax beat PSV"): a sports or business story; common nouns ("a court")
    # and named organisations ("the ACLU filed a lawsuit") still count
    heads = [doc[i] for i in event.actor_heads + event.recipient_heads]
    return any(a.country or a.sector or not a.text[:1].isupper() for a in actors) or \
        any(h.ent_type_ in ("ORG", "NORP", "GPE") for h in heads)


def _fill_counterparts(event: Event) -> None:
    """"his Russian counterpart": the same office as the other party."""
    for side, other in ((event.actor, event.recipient), (event.recipient, event.actor)):
        for actor in side:
            if actor.sector == "COUNTERPART":
                actor.sector = next((o.sector for o in other if o.sector and o.sector != "COUNTERPART"), "GOV")


def _learn_people(doc: Doc, kb, memory: ArticleMemory, when) -> None:
    """Pre-pass: every titled person mention teaches the article who they are."""
    for ent in doc_ents(doc):
        if ent.label_ != "PERSON":
            continue
        if _learn_from_apposition(ent, kb, memory, when):
            continue
        actor = Actor(text=ent.text)
        _resolve_into(actor, phrase_tokens(ent.root), ent.root, kb, memory, when)


def _learn_from_apposition(ent, kb, memory: ArticleMemory, when) -> bool:
    """"his Greek counterpart, Eleni Kouri" and "Eleni Kouri, Greece's foreign minister": the
    description beside a name says who the person is for the rest of the article."""
    root = ent.root
    partner = root.head if root.dep_ == "appos" else next((c for c in root.children if c.dep_ == "appos"), None)
    if partner is None or partner.ent_type_ == "PERSON" or partner.pos_ not in ("NOUN", "PROPN") or \
            ent.text in memory.people or ent.text in kb.people:
        return False
    described = Actor(text=partner.text)
    _resolve_into(described, phrase_tokens(partner), partner, kb, memory, when, learn=False)
    if described.country is None or described.resolution == "context":
        return False
    sector = "GOV" if described.sector in (None, "COUNTERPART") else described.sector
    learned = replace(described, text=ent.text, name=ent.text, sector=sector, resolution="coreference")
    memory.people.setdefault(ent.text, learned)
    memory.people.setdefault(ent.text.split()[-1], learned)
    return True
