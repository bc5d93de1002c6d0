"""Knowledge-base look-ups the actors stage makes: people by name and date, entity spans,
countries from names, demonyms, capitals and towns, role nouns to sectors."""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from ... import knowledge

COUNTERPART = {"counterpart", "counterparts", "opposite", "host", "hosts"}


def name_chain(head: Token, learned=()) -> str | None:
    """The person a head names: its PERSON entity, or the run of proper nouns ending at it. `learned`
    holds the names the article itself has introduced as people ("Eleni Kouri" makes "Kouri" one)."""
    if head.ent_type_ == "PERSON" or (head.pos_ == "PROPN" and head.ent_type_ in ("", "ORG", "GPE", "NORP")):
        text = chain_text(head, person_only=True)
        if text and text in learned:
            return text
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


_LAST_ENTS: list = [(None, (), {})]   # one slot: (doc, its ents, token -> ent); replaced whole, so threads are safe


def _ents_of(doc) -> tuple:
    """doc.ents, computed once per Doc: spaCy rebuilds the tuple from the IOB tags on every access.
    Kept beside the Doc, not in doc.user_data, which users serialise (DocBin, to_bytes)."""
    cached = _LAST_ENTS[0]
    if cached[0] is not doc:
        ents = tuple(doc.ents)
        cached = (doc, ents, {i: ent for ent in ents for i in range(ent.start, ent.end)})
        _LAST_ENTS[0] = cached
    return cached


def doc_ents(doc) -> tuple:
    return _ents_of(doc)[1]


def entity_at(tok: Token):
    """The entity span a token is in, or None."""
    return _ents_of(tok.doc)[2].get(tok.i)


def place_country(tok: Token) -> str | None:
    """A town named as a party's place ("the curfew in Abidjan"): its country, from the gazetteer."""
    from ...gazetteer import resolve

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


def find_person(name: str, kb, memory, when) -> Resolved | None:
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
    """The sector a role word names ("the foreign minister"), longest phrase first; a phrase that
    holds the head wins. Words and lemmas are read once, not once per window."""
    words = sorted(tokens, key=lambda t: t.i)
    lowers = [t.lower_ for t in words]
    lemmas = [t.lemma_.lower() for t in words]
    run = []                      # run[k]: how many contiguous tokens end at words[k]
    for k, w in enumerate(words):
        run.append(run[-1] + 1 if k and words[k - 1].i + 1 == w.i else 1)
    heads = [k for k, w in enumerate(words) if w.i == head.i]
    best = None
    for size in range(kb.max_role_words, 0, -1):
        for i in range(len(words) - size + 1):
            if run[i + size - 1] < size:
                continue
            phrase = " ".join(lowers[i:i + size])
            lemma_phrase = " ".join(lemmas[i:i + size])
            if phrase in COUNTERPART or lemma_phrase in COUNTERPART:
                return "COUNTERPART"
            sector = kb.roles.get(phrase) or kb.roles.get(lemma_phrase)
            has_head = any(i <= k < i + size for k in heads)
            if sector and (best is None or has_head):
                best = sector
                if has_head:
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
    from ...gazetteer import resolve
    found = resolve(parts[0].title())
    return found.country if found is not None else None


def sentence_country(tok: Token, kb, labels: tuple[str, ...] = ("GPE", "NORP")) -> str | None:
    """The one country the places (and peoples) named in a token's sentence point to, else None."""
    sentence = tok.sent         # the article's entities, cut to the sentence (Span.ents rescans the Doc)
    found = {c for e in doc_ents(tok.doc) if sentence.start <= e.start and e.end <= sentence.end
             and e.label_ in labels and (c := country_of(e.text, kb)[0] or place_country(e.root))}
    return found.pop() if len(found) == 1 else None
