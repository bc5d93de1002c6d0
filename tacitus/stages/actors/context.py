"""The article as context for its parties: the country a story is about, and who acts unnamed.

Real news leaves much unsaid that every reader fills in: "police" in a story datelined Nairobi are
Kenya's; "Tory leader Jane Doe" is British; "112 people were arrested" were arrested by the police
of the country in the story. The cues and implied agents are data (data/actors/context.yaml).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Token

from ...knowledge import _data
from ...model import Actor, Article, Event
from ..events.clauses import is_passive
from .lookup import country_name, country_of, doc_ents, place_country, sentence_country

AGENT_WORDS = {"COP": "police", "JUD": "the courts", "GOV": "the authorities"}
HEADLINE_WEIGHT, LEAD_WEIGHT = 3, 2
MIN_SCORE, DOMINANCE = 3, 2.0


@dataclass(frozen=True)
class Context:
    cues: dict[str, re.Pattern]            # ISO3 -> one pattern of its cue words
    agents: dict[str, str]                 # lemma -> sector of the implied agent


@lru_cache(maxsize=1)
def load() -> Context:
    spec = _data("context.yaml")
    cues = {iso: re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b")
            for iso, words in spec["cues"].items()}
    agents = {lemma: sector for sector, lemmas in spec["implied_agents"].items() for lemma in lemmas}
    return Context(cues, agents)


def article_country(article: Article, doc: Doc, kb) -> str | None:
    """The one country a story is plainly about: named in its headline and lead, or in its
    politics' own words ("Tory", "the Senate"), clearly more than any other; else None."""
    starts = [s.start for s in article.sentences]
    def weight(char: int) -> int:
        k = bisect_right(starts, char) - 1
        if k < 0:
            return 1
        sentence = article.sentences[k]
        return HEADLINE_WEIGHT if sentence.index == 0 else LEAD_WEIGHT if sentence.paragraph <= 1 else 1
    scores: Counter[str] = Counter()
    for ent in doc_ents(doc):
        country = None
        if ent.label_ in ("GPE", "NORP"):
            country = country_of(ent.text, kb)[0] or (place_country(ent.root) if ent.label_ == "GPE" else None)
        elif ent.label_ == "ORG" and (body := kb.body(ent.text)) is not None:
            country = body.country
        if country and country not in ("IGO", "NGO"):
            scores[country] += weight(ent.start_char)
    for iso, pattern in load().cues.items():
        for m in pattern.finditer(article.text):
            scores[iso] += weight(m.start())
    ranked = scores.most_common(2)
    if not ranked or ranked[0][1] < MIN_SCORE:
        return None
    if len(ranked) > 1 and ranked[0][1] < DOMINANCE * ranked[1][1]:
        return None
    return ranked[0][0]


def is_headline_passive(trigger: Token) -> bool:
    """"Opposition leader X arrested", "Journalist jailed": a headline's bare participle is passive."""
    if trigger.sent.start != 0 or trigger.tag_ not in ("VBN", "VBD"):
        return False
    if trigger.dep_ == "acl" and trigger.head.dep_ == "ROOT":
        return True                      # "Three Britons held in Iran": the headline's predicate
    text = trigger.sent.text.rstrip()
    if text.endswith((".", "!", "?", '"', "”")):
        return False
    return not any(c.dep_ in ("aux", "auxpass", "dobj", "ccomp", "xcomp") for c in trigger.children)


def _is_passive(trigger: Token) -> bool:
    return is_passive(trigger) or (trigger.tag_ == "VBN" and trigger.dep_ in ("acl", "amod"))


def infer_agent(event: Event, doc: Doc, kb, memory) -> None:
    """Give an act done to someone by nobody named the police, courts or government of the story's
    country (marked inferred); in a headline's passive the named party is the one acted on."""
    if event.trigger_token is None:
        return
    trigger = doc[event.trigger_token]
    sector = load().agents.get(trigger.lemma_.lower())
    if sector is None:
        return
    headline = is_headline_passive(trigger)
    if event.actor and not headline:
        return
    if not (headline or _is_passive(trigger) or trigger.pos_ == "NOUN"):
        return
    country = sentence_country(trigger, kb, ("GPE",)) or memory.dateline_country or memory.article_country or \
        next((a.country for a in event.actor + event.recipient if a.country not in (None, "IGO", "NGO")), None)
    if country is None:
        return
    if headline:
        event.recipient[:0] = event.actor
        event.actor.clear()
    event.actor.append(Actor(text=AGENT_WORDS[sector], name=f"{country_name(country)} ({AGENT_WORDS[sector]})",
                             country=country, sector=sector, resolution="inferred"))

