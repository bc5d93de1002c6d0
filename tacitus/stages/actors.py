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

from .. import knowledge
from ..model import Actor, Article, Event

PHRASE_DEPS = {"compound", "amod", "poss", "nmod", "appos", "det", "nummod", "case", "quantmod", "npadvmod", "flat"}
PHRASE_PREPS = {"of", "from"}
PERSON_PRONOUNS = {"he", "she", "him", "her", "his"}
GROUP_PRONOUNS = {"they", "them", "it", "its", "their", "we", "us"}
COUNTERPART = {"counterpart", "counterparts", "opposite", "host", "hosts"}


@dataclass
class ArticleMemory:
    """What the article has taught so far: named people and the last actors seen."""
    people: dict[str, Actor] = field(default_factory=dict)      # full name or surname -> actor
    history: list[tuple[int, Actor, bool]] = field(default_factory=list)   # (token, actor, is_person)

    def antecedent(self, before: int, person: bool) -> Actor | None:
        for index, actor, is_person in reversed(self.history):
            if index < before and is_person == person and actor.country:
                return actor
        return None


def resolve_actors(article: Article) -> Article:
    kb = knowledge.load()
    doc: Doc = article.doc
    memory = ArticleMemory()
    _learn_people(doc, kb, memory, _as_date(article.reference_date))
    for event in sorted(article.events, key=lambda e: e.trigger_token or 0):
        when = _as_date(event.date) or _as_date(article.reference_date)
        event.actor = [a for h in event.actor_heads if (a := resolve_head(doc[h], kb, memory, when)) is not None]
        event.recipient = [a for h in event.recipient_heads if (a := resolve_head(doc[h], kb, memory, when)) is not None]
        _fill_counterparts(event)
        for heads, side in ((event.actor_heads, event.actor), (event.recipient_heads, event.recipient)):
            for h, actor in zip(heads, side):
                is_person = doc[h].ent_type_ == "PERSON" or doc[h].lower_ in PERSON_PRONOUNS
                memory.history.append((h, actor, is_person))
    return article


def _as_date(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    text = str(value)
    try:
        return date.fromisoformat(text[:10]) if len(text) >= 10 else date(int(text[:4]), int(text[5:7] or 7), 15)
    except ValueError:
        return None


def _previous_entity(tok: Token, *, person: bool) -> Token | None:
    """The nearest earlier named party: the antecedent a reader would pick for "he" or "it"."""
    labels = {"PERSON"} if person else {"GPE", "ORG", "NORP"}
    for ent in reversed([e for e in tok.doc.ents if e.end <= tok.i and tok.i - e.end < 60]):
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


def resolve_head(head: Token, kb, memory: ArticleMemory, when: date | None) -> Actor | None:
    doc = head.doc
    if head.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS:
        found = memory.antecedent(head.i, person=head.lower_ in PERSON_PRONOUNS)
        if found is None:
            previous = _previous_entity(head, person=head.lower_ in PERSON_PRONOUNS)
            found = None if previous is None else resolve_head(previous, kb, memory, when)
        return None if found is None else replace(found, text=head.text, start=head.idx, end=head.idx + len(head))
    tokens = phrase_tokens(head)
    ordered = sorted(tokens, key=lambda t: t.i)
    left, right = ordered[0], ordered[-1]
    if right.i - left.i > 14:       # keep the displayed text short: the head and its close modifiers
        ordered = [t for t in ordered if abs(t.i - head.i) <= 7]
        left, right = ordered[0], ordered[-1]
    text = doc.text[left.idx:right.idx + len(right)]
    actor = Actor(text=text, start=left.idx, end=right.idx + len(right))
    _resolve_into(actor, tokens, head, kb, memory, when)
    if actor.country is None and actor.sector is None and actor.name is None and head.pos_ != "PROPN":
        return None     # "any wrongdoing", "the decision": not a party
    return actor


def _resolve_into(actor: Actor, tokens: list[Token], head: Token, kb, memory: ArticleMemory, when) -> None:
    doc = head.doc
    text = actor.text
    folded = text.casefold()
    # 1. seats of power ("the White House's moves", "the Kremlin")
    for seat_text in sorted(kb.seats, key=len, reverse=True):
        if seat_text in folded and _word_bounded(folded, seat_text):
            body = kb.seats[seat_text]
            actor.country, actor.sector, actor.name = body.country, body.sector, body.name.removeprefix("the ")
            break
    # 2. named entities, nearest the head first
    ents = {}
    for tok in tokens:
        if tok.ent_type_ and tok.ent_iob_ in ("B", "I"):
            ent = next((e for e in doc.ents if e.start <= tok.i < e.end), None)
            if ent is not None:
                ents.setdefault(ent.start, ent)
    order = sorted(ents.values(), key=lambda e: min(abs(t.i - head.i) for t in e))
    for ent in order:
        if ent.label_ == "PERSON" and actor.name is None:
            person = _person(ent.text, kb, memory, when)
            if person is not None:
                if ent.start <= head.i < ent.end:       # "the Biden government" is not Biden himself
                    actor.name, actor.kb_id = person.name, person.kb_id
                actor.country = actor.country or person.country
                actor.sector = actor.sector or person.sector
                continue
        if ent.label_ in ("ORG", "NORP", "GPE", "FAC", "PERSON") and actor.country is None:
            body = kb.body(ent.text)
            if body is not None:
                actor.name, actor.kb_id, actor.country = actor.name or body.name, body.kb_id, body.country
                actor.sector = actor.sector or body.sector
                continue
        if actor.country is None:
            country, is_capital = _country_of(ent.text, kb)
            if country:
                actor.country = country
                if is_capital or (ent.label_ == "GPE" and ent.root == head):
                    actor.sector = actor.sector or "GOV"     # "Moscow said", "Russia expelled": the state acting
    # 3. a surname the NER missed, then single tokens ("US diplomats", "Emirati officials")
    if actor.name is None and head.pos_ == "PROPN" and not any(e.label_ == "PERSON" for e in ents.values()):
        person = _person(head.text, kb, memory, when)
        if person is not None:
            actor.name, actor.kb_id = person.name, person.kb_id
            actor.country, actor.sector = actor.country or person.country, actor.sector or person.sector
    if actor.country is None:
        for tok in sorted(tokens, key=lambda t: abs(t.i - head.i)):
            country, is_capital = _country_of(tok.text, kb)
            if country and (tok.pos_ in ("PROPN", "ADJ") or tok.text[:1].isupper()):
                actor.country = country
                if is_capital or tok == head:
                    actor.sector = actor.sector or "GOV"
                break
    # 4. role nouns give the sector ("foreign minister", "troops", "rebels")
    role_sector = _role_sector(tokens, head, kb)
    if role_sector and role_sector != "COUNTERPART":
        if actor.sector in (None, "GOV") or head.lower_ in kb.roles:
            actor.sector = role_sector if not (actor.sector and actor.name and actor.kb_id) else actor.sector
    elif role_sector == "COUNTERPART":
        actor.sector = actor.sector or "COUNTERPART"
    if actor.country is None and (actor.sector or any(e.label_ == "PERSON" for e in order)):
        actor.country = _sentence_country(head, kb)      # "President X" in a story about one country
    if actor.name is None and actor.country and actor.country not in ("IGO", "NGO"):
        actor.name = _country_name(actor.country)
    # 5. an unknown titled person teaches the article ("Kenyan Interior Minister Jane Doe")
    person_ent = next((e for e in order if e.label_ == "PERSON"), None)
    if person_ent is not None and actor.country and person_ent.text not in memory.people:
        learned = replace(actor, name=actor.name if actor.kb_id else person_ent.text)
        memory.people[person_ent.text] = learned
        memory.people.setdefault(person_ent.text.split()[-1], learned)
        if not actor.kb_id:
            actor.name = person_ent.text


@dataclass(frozen=True)
class _Resolved:
    name: str
    kb_id: str | None
    country: str | None
    sector: str | None


def _person(name: str, kb, memory: ArticleMemory, when) -> _Resolved | None:
    name = name.strip().removesuffix("'s").removesuffix("’s")
    known = memory.people.get(name) or memory.people.get(name.split()[-1])
    candidates = kb.people.get(name) or (kb.people.get(name.split()[-1]) if known is None else None)
    if candidates:
        people = [p for p in candidates if p.role_on(when) is not None] or list(candidates)
        person = people[0]
        role = person.role_on(when)
        return _Resolved(person.name, person.kb_id, role.country if role else None, role.sector if role else None)
    if known is not None:
        return _Resolved(known.name or name, known.kb_id, known.country, known.sector)
    return None


def _sentence_country(head: Token, kb) -> str | None:
    sentence = head.sent
    found = {c for e in sentence.ents if e.label_ in ("GPE", "NORP") and (c := _country_of(e.text, kb)[0])}
    return found.pop() if len(found) == 1 else None


def _country_of(text: str, kb) -> tuple[str | None, bool]:
    text = text.strip().removesuffix("'s").removesuffix("’s").strip()
    if text in kb.capitals:
        return kb.capitals[text], True
    return kb.country(text), False


def _role_sector(tokens: list[Token], head: Token, kb) -> str | None:
    words = [t for t in sorted(tokens, key=lambda t: t.i)]
    best = None
    for size in range(kb.max_role_words, 0, -1):
        for i in range(len(words) - size + 1):
            window = words[i:i + size]
            if any(w.i + 1 != nxt.i for w, nxt in zip(window, window[1:])):
                continue
            phrase = " ".join(w.lower_ for w in window)
            lemma_phrase = " ".join(w.lemma_.lower() for w in window)
            if phrase in COUNTERPART or lemma_phrase in COUNTERPART:
                return "COUNTERPART"
            sector = kb.roles.get(phrase) or kb.roles.get(lemma_phrase)
            if sector and (best is None or any(w == head for w in window)):
                best = sector
                if any(w == head for w in window):
                    return best
        if best:
            return best
    return best


def _fill_counterparts(event: Event) -> None:
    """"his Russian counterpart": the same office as the other party."""
    for side, other in ((event.actor, event.recipient), (event.recipient, event.actor)):
        for actor in side:
            if actor.sector == "COUNTERPART":
                actor.sector = next((o.sector for o in other if o.sector and o.sector != "COUNTERPART"), "GOV")


def _word_bounded(text: str, needle: str) -> bool:
    i = text.find(needle)
    before = text[i - 1] if i > 0 else " "
    after = text[i + len(needle)] if i + len(needle) < len(text) else " "
    return not before.isalnum() and not after.isalnum()


def _country_name(iso3: str) -> str:
    return knowledge.load().country_display.get(iso3, iso3)


def _learn_people(doc: Doc, kb, memory: ArticleMemory, when) -> None:
    """Pre-pass: every titled person mention teaches the article who they are."""
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        actor = Actor(text=ent.text)
        _resolve_into(actor, phrase_tokens(ent.root), ent.root, kb, memory, when)
