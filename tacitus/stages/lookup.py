"""Knowledge-base look-ups the actors stage makes: people by name and date, entity spans,
countries from names, demonyms, capitals and towns, role nouns to sectors."""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from .. import knowledge

COUNTERPART = {"counterpart", "counterparts", "opposite", "host", "hosts"}


def name_chain(head: Token) -> str | None:
    """The person a head names: its PERSON entity, or the run of proper nouns ending at it."""
    if head.ent_type_ == "PERSON" or (head.pos_ == "PROPN" and head.ent_type_ in ("", "ORG", "GPE", "NORP")):
        text = chain_text(head, person_only=True)
        if not text or (head.ent_type_ != "PERSON" and country_of(text, knowledge.load())[0]):
            return None        # "Jordan" the country, not a person
        if head.ent_type_ not in ("PERSON", "") and text not in knowledge.load().people:
            return None        # the tagger's GPE or ORG stands unless the KB knows a person by that name
        return text
    return None


def chain_text(head: Token, *, person_only: bool = False) -> str:
    kb = knowledge.load()
    words = [head]
    tok = head
    while tok.i > 0:
        prev = tok.doc[tok.i - 1]
        if prev.pos_ != "PROPN" or prev.head != head and prev.head != tok or prev.text.endswith("."):
            break
        if person_only and (prev.lower_ in kb.roles or kb.country(prev.text) or prev.ent_type_ in ("GPE", "NORP")):
            break
        words.insert(0, prev)
        tok = prev
    return " ".join(w.text for w in words).removesuffix("'s")


def entities_nearest(tokens: list[Token], head: Token) -> list:
    found = {}
    for tok in tokens:
        if tok.ent_type_:
            ent = entity_at(tok)
            if ent is not None:
                found.setdefault(ent.start, ent)
    return sorted(found.values(), key=lambda e: min(abs(t.i - head.i) for t in e))


_LAST_ENTS: list = [(None, ())]      # one slot: (doc, its ents); replaced as a whole, so threads are safe


def doc_ents(doc) -> tuple:
    """doc.ents, computed once per Doc: spaCy rebuilds the tuple from the IOB tags on every access.
    Kept beside the Doc, not in doc.user_data, which users serialise (DocBin, to_bytes)."""
    cached = _LAST_ENTS[0]
    if cached[0] is not doc:
        cached = (doc, tuple(doc.ents))
        _LAST_ENTS[0] = cached
    return cached[1]


def entity_at(tok: Token):
    """The entity span a token is in, found from the token's IOB tags (no scan of doc.ents)."""
    doc, start = tok.doc, tok.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = tok.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=doc[start].ent_type_) if doc[start].ent_type_ else None


def place_country(tok: Token) -> str | None:
    """A town named as a party's place ("the curfew in Abidjan"): its country, from the gazetteer."""
    from ..gazetteer import resolve

    ent = entity_at(tok)
    if ent is not None and ent.label_ not in ("GPE", "LOC", "FAC"):
        return None       # "a Roman statue": a people or an organisation, even where a town has its name
    found = resolve(ent.text if ent is not None else tok.text, strict=True)
    return found.country if found is not None else None


@dataclass(frozen=True)
class Resolved:
    name: str
    kb_id: str | None
    country: str | None
    sector: str | None


def find_person(name: str, kb, memory: ArticleMemory, when) -> Resolved | None:
    name = name.strip().removesuffix("'s").removesuffix("’s").strip()
    if not name:
        return None
    known = memory.people.get(name) or memory.people.get(name.split()[-1])
    candidates = kb.people.get(name) or (kb.people.get(name.split()[-1]) if known is None else None)
    if candidates:
        people = [p for p in candidates if p.role_on(when) is not None] or list(candidates)
        person = people[0]
        role = person.role_on(when)
        return Resolved(person.name, person.kb_id, role.country if role else None, role.sector if role else None)
    if known is not None:
        return Resolved(known.name or name, known.kb_id, known.country, known.sector)
    return None


def country_of(text: str, kb) -> tuple[str | None, bool]:
    text = text.strip().removesuffix("'s").removesuffix("’s").strip()
    if text in kb.capitals:
        return kb.capitals[text], True
    return kb.country(text), False


def sector_from_roles(tokens: list[Token], head: Token, kb) -> str | None:
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


def word_bounded(text: str, needle: str) -> bool:
    i = text.find(needle)
    before = text[i - 1] if i > 0 else " "
    after = text[i + len(needle)] if i + len(needle) < len(text) else " "
    return not before.isalnum() and not after.isalnum()


def country_name(iso3: str) -> str:
    return knowledge.load().country_display.get(iso3, iso3)


def dateline_country(dateline: str | None, kb) -> str | None:
    if not dateline:
        return None
    parts = [p.strip() for p in dateline.split(",")]
    for part in reversed(parts):                       # "ZVECAN, Kosovo": the country is last
        title = part.title() if part.isupper() else part
        country, _ = country_of(title, kb)
        if country:
            return country
    from ..gazetteer import resolve
    found = resolve(parts[0].title())
    return found.country if found is not None else None

