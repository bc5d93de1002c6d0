"""Events: find the political acts in each sentence and code them in PLOVER.

A trigger (a verb from the lexicon, or an event noun carried by a light verb)
gives a category; the dependency parse gives its clause, flags and the heads of
its actor and recipient phrases (resolved to countries and sectors by the actors
stage). PLOVER conventions applied here: negated and hypothetical acts are not
events (threats excepted); future cooperation is AGREE and an announced future
retreat is CONCEDE; reporting verbs are not events; an act governed by a verbal
act ("urged Moscow to release", "threatened to impose") is that verbal act only.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace

from spacy.tokens import Doc, Token

from ... import classifier
from ... import lexicon as lexicon_module
from ...lexicon import Entry
from ...model import Article, Event
from ...vocabulary import PARTY_LABELS
from . import arguments, demands, verifier
from .build import build_event
from .governed import suppress_governed
from .triggers import candidates, event_at

PARTY_NOUNS = {"government", "army", "police", "troops", "rebels", "protesters", "ministry", "minister", "court",
               "parliament", "president", "forces", "militants", "officials", "authorities", "opposition", "party",
               "leader", "leaders", "military", "regime", "junta", "union", "council", "lawmakers", "demonstrators"}
BARE_LIGHT_VERBS = {"give", "take", "make", "have", "hold", "do", "get", "put", "conduct", "carry", "stage", "offer"}
NOT_ACTS = {"be", "have", "become", "remain", "seem", "appear", "include", "come", "go", "get"}
CLASSIFIER_THRESHOLD = 0.5     # below this the learned backup stays silent (and never codes verifier.NEEDS_WORDS)


def find_events(article: Article) -> Article:
    lex = lexicon_module.load()
    doc: Doc = article.doc
    events: list[Event] = []
    silent = []                  # sentences the lexicon found nothing in: the classifier's turn
    triggers = candidates(doc, lex)
    for sentence in article.sentences:
        span = doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
        if span is None:
            continue
        inside = triggers[bisect_left(triggers, span.start):bisect_left(triggers, span.end)]
        found = [ev for i in inside if (ev := event_at(doc[i], lex, sentence.index, sentence.text))]
        found = suppress_governed(found, doc)
        if asked := demands.find_demands(span, lex.speech_verbs, PARTY_LABELS):
            found = [ev for ev in found if not demands.inside(doc[ev.trigger_token], asked)]
            found += [ev for d in asked if (ev := _demand_event(d, lex, sentence))]
        if not found and (anchor := _learned_anchor(span, lex)) is not None:
            silent.append((sentence, span, anchor))
        events.extend(found)
    events.extend(_learned_events(silent, lex))
    events = verifier.verify_events(events, doc, lex.reporting_verbs)
    article.events = sorted((e for e in events if e.actor_heads or e.recipient_heads
                             or doc[e.trigger_token].dep_ == "ROOT"), key=lambda e: e.evidence.start)
    return article


def _demand_event(demand, lex, sentence) -> Event | None:
    """ "X said Y must do Z": X's REQUEST, addressed to Y, anchored on the reporting verb."""
    entry = Entry(lemma=demand.speaker_verb.lemma_.lower(), type="REQUEST", mode="change", confidence=0.75)
    event = build_event(demand.speaker_verb, entry, [demand.speaker_verb], lex, sentence.index, sentence.text,
                   rule="demand:must")
    if event is not None:
        event.recipient_heads = sorted(t.i for t in demand.addressee)
        doc, first, last = demand.demanded.doc, demand.speaker_verb, demand.demanded   # "said Russia must withdraw"
        if first.i < last.i:
            event.evidence = replace(event.evidence, trigger=doc[first.i:last.i + 1].text,
                                     start=first.idx, end=last.idx + len(last.text))
    return event


def _learned_events(silent, lex) -> list[Event]:
    """The classifier's events for sentences the lexicon missed, anchored on the main verb."""
    if not silent or not classifier.enabled():
        return []
    out = []
    for (sentence, span, root), probs in zip(silent, classifier.predict([(span, root) for _, span, root in silent])):
        label, p = max(((k, v) for k, v in probs.items() if k != classifier.NONE), key=lambda kv: kv[1])
        if p < CLASSIFIER_THRESHOLD or p <= probs.get(classifier.NONE, 0.0) or label in verifier.NEEDS_WORDS:
            continue
        entry = Entry(lemma=root.lemma_.lower(), type=label, confidence=0.45 + 0.3 * p)
        event = build_event(root, entry, [root], lex, sentence.index, sentence.text,
                       rule=f"{classifier.RULE_PREFIX}{label}:{p:.2f}")
        if event is not None and event.actor_heads:      # a learned guess needs someone doing it
            out.append(event)
    return out


def _learned_anchor(span, lex) -> Token | None:
    """The verb a learned event would hang on, or None when the sentence cannot carry one (checked
    before classifying): a main verb that is not a copula or "said", with a subject naming a party."""
    root = classifier.default_anchor(span, lex.reporting_verbs)     # "X said it would ...": what was said
    if root.pos_ != "VERB" or root.lemma_.lower() in lex.reporting_verbs | NOT_ACTS | BARE_LIGHT_VERBS:
        return None       # "gave Russia an overview": a bare light verb means what its object means
    subjects = arguments.subject_of(root)
    if not subjects or not any(t.ent_type_ in PARTY_LABELS or t.pos_ in ("PROPN", "PRON")
                               or t.lemma_.lower() in PARTY_NOUNS for s in subjects for t in s.subtree):
        return None
    return root
