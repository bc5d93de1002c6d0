"""Place: where each event happened.

The place is a locative phrase in the event's own clause ("expelled diplomats from the
embassy in Moscow" -> Moscow; "at Baghdad airport" -> Baghdad), never its subject
("Russia expelled" is an actor) and never a place in another clause. Weaker signs come
after: a town as direct object ("troops entered Kidal"), a town as destination
("deployed soldiers to Goma"), the place a "where" clause hangs on. Failing those, the
dateline's place when the event is local to it; failing that, nothing: an unlocated
event keeps location None rather than getting its actor's country centroid.
Names are resolved by tacitus.gazetteer against the countries the article is about.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

from ..gazetteer import demonym_country, is_country, normalize, resolve
from ..model import Article, Event, Location
from ..vocabulary import LEVEL_RANK
from .actors.lookup import doc_ents, entity_at

PLACE_LABELS = {"GPE", "LOC", "FAC"}
# Prepositions that put an event somewhere. "to"/"toward" give a destination, "over"/"against" a topic or target.
LOCATIVE = {"in", "at", "near", "outside", "from", "across", "around", "into", "through", "throughout",
            "inside", "within", "along", "on", "off", "beyond", "onto"}
# Where a movement ends ("deployed 900 soldiers to Goma"): a town there, never a country
# ("sold arms to Ukraine"), and only when no locative phrase places the event.
DESTINATION = {"to", "toward", "towards"}
# "sanctions on Russia", "the envoy from France": a country after these is a target or an origin.
COUNTRY_SHY = {"on", "onto", "from", *DESTINATION}
CLAUSE_DEPS = {"ccomp", "advcl", "relcl", "parataxis", "csubj", "csubjpass"}
ADVERBIAL = {"advcl", "parataxis"}
MODIFIER_DEPS = {"nmod", "amod", "compound", "poss"}
REGION_NOUNS = {"region", "province", "state", "oblast", "governorate", "prefecture", "district",
                "county", "valley", "territory", "department"}
FACILITY_NOUNS = {"airport", "embassy", "consulate", "base", "camp", "prison", "jail", "university", "hospital",
                  "port", "harbour", "harbor", "square", "bridge", "border", "crossing", "checkpoint", "station",
                  "headquarters", "parliament", "palace", "mosque", "church", "market", "stadium", "courthouse"}
LOCAL_PARAGRAPHS = 2


def resolve_places(article: Article) -> Article:
    doc = article.doc
    if doc is None or not article.events:
        return article
    cache: dict[tuple[str, bool], Location | None] = {}
    dateline = resolve(article.dateline, town=True) if article.dateline else None
    context, admin1s = article_context(article, dateline)
    if article.dateline:            # again, now that the article's countries are known
        dateline = resolve(article.dateline, context, admin1s, town=True)

    def lookup(name: str, strict: bool) -> Location | None:
        if (name, strict) not in cache:
            cache[(name, strict)] = resolve(name, context, admin1s, strict=strict)
        return cache[(name, strict)]

    for event in article.events:
        if event.location is not None:
            continue
        trigger = _trigger(doc, event)
        found = None if trigger is None else clause_place(trigger, event, lookup)
        if found is None and dateline is not None and _is_local(article, event, trigger, dateline, lookup):
            found = dateline
        event.location = None if found is None else replace(found)   # each event owns its Location
    return article


def article_context(article: Article, dateline: Location | None = None) -> tuple[dict[str, float], set]:
    """Countries the article is about, weighted by how often they come up (0..1). Sure signs
    first (the events' actors, nationalities, the dateline), then the places it names read in
    their light, so 'Georgia' in a story about US election officials counts for the USA. A
    Texas story that once names France still reads 'Paris' as Texan: USA dominates."""
    counts: Counter[str] = Counter()
    admin1s: set[tuple[str, str]] = set()
    for event in article.events:
        for actor in (*event.actor, *event.recipient):
            if is_country(actor.country):
                counts[actor.country] += 1
    places = []
    for ent in doc_ents(article.doc):
        if ent.label_ in PLACE_LABELS and any(t.text[:1].isupper() for t in ent):
            places.append(ent.text)
        elif ent.label_ == "NORP" and (country := demonym_country(ent.text)):
            counts[country] += 1
    if dateline is not None and dateline.country:
        counts[dateline.country] += 1
        if dateline.admin1:
            admin1s.add((dateline.country, dateline.admin1))
    sure = _shares(counts)
    for name in places:
        loc = resolve(name, sure)
        if loc is not None and loc.level in ("country", "admin1"):
            counts[loc.country] += 1
            if loc.level == "admin1":
                admin1s.add((loc.country, loc.admin1 or loc.name))
    return _shares(counts), admin1s


def _shares(counts: Counter) -> dict[str, float]:
    top = max(counts.values(), default=1)
    return {c: n / top for c, n in counts.items()}


def clause_place(trigger, event: Event, lookup) -> Location | None:
    """The most specific place in a locative phrase of the trigger's own clause."""
    best, seen = None, set()
    for tok, depth in _clause_tokens(trigger):
        span, strong = _span_at(tok)
        if span is None or span.start in seen or tok != span.root or not any(t.text[:1].isupper() for t in span):
            continue                # "the west bank of the river" is no West Bank
        seen.add(span.start)
        anchor = span.root          # "at Baghdad airport": the airport's phrase places Baghdad
        while anchor.dep_ == "compound" and anchor.head.lower_ in FACILITY_NOUNS:
            anchor = anchor.head
        role = _role(anchor, trigger)
        if role is None:
            continue
        loc = lookup(_with_qualifier(span), not strong) or _facility_town(span, lookup)
        if loc is None or (anchor != span.root and loc.level == "country"):   # "the US embassy"
            continue
        if role in COUNTRY_SHY and loc.level == "country" and (role != "from" or span.root.head.head.pos_ != "VERB"):
            continue
        if role == "object" and (loc.level not in ("city", "point") or _is_actor(span, event)):
            continue
        rank = (role == "object", role in DESTINATION, LEVEL_RANK.get(loc.level, 3), depth)
        if best is None or rank < best[0]:
            best = (rank, loc)
    if best is None and trigger.dep_ == "relcl" and any(c.lower_ == "where" for c in trigger.children):
        span, strong = _span_at(trigger.head)     # "... north of Goma, where M23 fighters attacked"
        if span is not None:
            return lookup(span.text, not strong)
    return None if best is None else best[1]


def _clause_tokens(trigger, skip=None):
    """(token, depth) over the trigger's subtree, not entering embedded clauses (or only
    those in `skip`). A noun trigger that is a subject ("clashes erupted in Tripoli") also
    gets its verb's phrases."""
    skip = CLAUSE_DEPS if skip is None else skip
    stack, out = [(trigger, 0)], []
    head = trigger.head
    if trigger.pos_ in ("NOUN", "PROPN") and trigger.dep_ in ("nsubj", "nsubjpass") and head.pos_ in ("VERB", "AUX"):
        stack += [(child, 1) for child in head.children if child.dep_ in ("prep", "advmod")]
    while stack:
        tok, depth = stack.pop()
        out.append((tok, depth))
        for child in tok.children:
            if child.dep_ in skip or (child.dep_ == "conj" and child.pos_ in ("VERB", "AUX")) \
                    or (child.dep_ == "acl" and child.tag_ not in ("VBG", "VBN")):
                continue
            stack.append((child, depth + 1))
    return out


def _role(root, trigger) -> str | None:
    """The locative preposition governing a span ('of' chains climb: 'outskirts of Dhaka'),
    'object' for the trigger's direct object ('entered Kidal', 'took control of Bunia'),
    None for anything else: subjects, 'the parliament of Catalonia voted', other prepositions."""
    tok = root
    while tok.dep_ == "pobj" and tok.head.dep_ == "prep":
        prep = tok.head.lower_
        if prep != "of":
            return prep if prep in LOCATIVE or prep in DESTINATION else None
        tok = tok.head.head
    # A town named as the direct object ("troops entered Kidal") is where the event happened,
    # unless the actors stage made it an actor; countries as objects are always actors.
    if tok.dep_ == "dobj" and tok.head == trigger:     # "occupied parts of Marawi" too
        return "object"
    return None


def _entity(tok):
    """The entity covering `tok` as (span, label)."""
    ent = entity_at(tok)
    return (ent, ent.label_) if ent is not None else (None, "")


def _span_at(tok):
    """The place-like span whose root is `tok`: a GPE/LOC/FAC entity (strong), another
    entity or a proper-noun chunk (weak: the small model calls Bukavu a PERSON, Tunis NORP)."""
    doc = tok.doc
    ent, label = _entity(tok)
    if ent is not None:
        if label in PLACE_LABELS:
            return ent, True
        if label in ("PERSON", "ORG", "NORP", "PRODUCT", "WORK_OF_ART"):   # never DATE: "in March" is no town
            return ent, False
        return None, False
    if tok.pos_ != "PROPN" and tok.lower_ not in REGION_NOUNS:
        return None, False
    left = tok
    while left.i > 0 and doc[left.i - 1].pos_ == "PROPN" and doc[left.i - 1].head.i in range(left.i, tok.i + 1):
        left = doc[left.i - 1]
    if left == tok and tok.pos_ != "PROPN":
        return None, False          # a bare "region" is no place
    return doc[left.i: tok.i + 1], False


def _facility_town(span, lookup) -> Location | None:
    """'Baghdad airport', 'Kano central prison': the town named at the front of a facility."""
    names = [t for t in span if t.pos_ == "PROPN" and t.dep_ == "compound" and t.head in span]
    if not names or names[-1].i + 1 >= span.end:
        return None
    loc = lookup(span.doc[span.start if span[0].lower_ != "the" else span.start + 1: names[-1].i + 1].text, True)
    return loc if loc is not None and loc.level == "city" else None


def _with_qualifier(span) -> str:
    """'Paris, Texas' and 'Zvecan, Kosovo' resolve as one name: the part after the comma is context."""
    doc, end = span.doc, span.end
    if end + 1 < len(doc) and doc[end].text == ",":
        nxt, label = _entity(doc[end + 1])
        if nxt is not None and label in PLACE_LABELS and nxt.start == end + 1:
            return f"{span.text}, {nxt.text}"
    return span.text


def _is_actor(span, event: Event) -> bool:
    start, end = span.start_char, span.end_char
    for actor in (*event.actor, *event.recipient):
        if actor.start is not None and actor.end is not None and actor.start < end and start < actor.end:
            return True
        if actor.start is None and normalize(actor.text) == normalize(span.text):
            return True
    return False


def _trigger(doc, event: Event):
    if event.trigger_token is not None and 0 <= event.trigger_token < len(doc):
        return doc[event.trigger_token]
    span = doc.char_span(event.evidence.start, event.evidence.end, alignment_mode="expand")
    return None if span is None else span.root


def _is_local(article: Article, event: Event, trigger, dateline: Location, lookup) -> bool:
    """The dateline places an event whose actors are from the dateline's country, or an event
    early in the story with no located alternative: no place in another country among its own
    arguments ("talks that were held in Doha had collapsed"). Places in adverbial clauses ("as
    China wrapped up drills around Taiwan") and nationality modifiers ("US forces") do not count."""
    # the actor's country, not the recipient's: "Moscow denied US allegations" under a WASHINGTON
    # dateline happened in Moscow
    if dateline.country in {a.country for a in event.actor}:
        return True
    if _paragraph(article, event) >= LOCAL_PARAGRAPHS:
        return False
    if trigger is None:
        return True
    for tok, _ in _clause_tokens(trigger, skip=ADVERBIAL):
        span, strong = _span_at(tok)
        if span is None or not strong or tok != span.root or tok.dep_ in MODIFIER_DEPS:
            continue
        if (loc := lookup(span.text, False)) is not None and loc.country != dateline.country:
            return False
    return True


def _paragraph(article: Article, event: Event) -> int:
    idx = event.evidence.sentence_index
    if 0 <= idx < len(article.sentences):
        return article.sentences[idx].paragraph
    return article.text.count("\n\n", 0, event.evidence.start)
