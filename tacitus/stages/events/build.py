"""One trigger to one coded event: flags, PLOVER conventions, mode, context, codes and arguments."""
from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Token

from ...lexicon import Entry
from ...model import Event, Evidence
from ...ontology import load as load_ontology
from . import arguments
from .clauses import confidence_of, flags_of, in_relative_clause, is_headline_participle, is_passive

COOPERATIVE_FUTURE = {"CONSULT", "SUPPORT", "COOPERATE", "AID"}
COOPERATIVE_NEGATABLE = {"AGREE", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT", "CONSULT"}
CONFLICT_ACTS = {"SANCTION", "COERCE", "ASSAULT", "MOBILIZE", "PROTEST"}


def build_event(tok: Token, entry: Entry, trigger_tokens: list[Token], lex, sentence_index: int, sentence_text: str,
           *, rule: str) -> Event | None:
    """Flags, PLOVER conventions, mode, context, codes and arguments for one trigger."""
    flags = flags_of(tok, lex)
    category, mode = entry.type, entry.mode
    has_subject = bool(arguments.subject_of(tok)) if tok.pos_ not in ("NOUN", "PROPN") else False
    if flags["negated"]:
        if category not in COOPERATIVE_NEGATABLE or not has_subject:
            return None
        # "will not accept", "refused to release": a refused cooperation is a rejection
        category, mode, flags["negated"], flags["future"] = "REJECT", None, False, False
    if flags.pop("conditional", False) and category != "THREATEN":
        return None       # "sanctions if it invaded": the invasion is the condition of someone else's threat
    if flags["hypothetical"] and category != "THREATEN":
        if category in CONFLICT_ACTS and has_subject and not is_passive(tok):
            category, mode, flags["hypothetical"] = "THREATEN", _threat_mode(category), False
        else:
            return None
    if flags.pop("prepared", False) and category == "ASSAULT":
        category, mode, flags["future"] = "MOBILIZE", "troops", False
    if flags["future"] and in_relative_clause(tok):
        return None       # "a force which is due to hand over security": a description, not an announcement
    if flags.pop("willing", False) and category in COOPERATIVE_FUTURE | {"RETREAT", "CONCEDE"}:
        category, mode, flags["future"] = "AGREE", None, True      # "is willing to withdraw": an offer
    elif flags["future"]:
        if category in COOPERATIVE_FUTURE:
            category, mode = "AGREE", None
        elif category == "RETREAT":
            category, mode = "CONCEDE", None
        elif category in CONFLICT_ACTS:
            if is_passive(tok):        # "will be sentenced": an expectation, not a threat by anyone
                return None
            category, mode = "THREATEN", _threat_mode(category)
    worded = _mode_from_words(lex, category, sentence_text.lower(), tok)
    # what is requested, rejected or threatened decides the mode ("urged X to release" is REQUEST yield)
    mode = (worded or mode) if category in ("REQUEST", "REJECT", "THREATEN") else (mode or worded)
    onto = load_ontology()
    context = list(_contexts(lex, sentence_text))
    first, last = min(t.i for t in trigger_tokens), max(t.i for t in trigger_tokens)
    doc = tok.doc
    start, end = doc[first].idx, doc[last].idx + len(doc[last].text)
    evidence = Evidence(sentence=sentence_text, sentence_index=sentence_index,
                        trigger=doc[first:last + 1].text, start=start, end=end)   # not Doc.text: it rebuilds
    actors, recipients = arguments.argument_heads(tok, trigger_tokens[-1], entry, lex)
    if not recipients and is_headline_participle(tok):
        recipients = [tok.head.i]          # "Cuban dissident sentenced": the noun is the one acted on
    event = Event(type=category, mode=mode, evidence=evidence, context=context,
                  cameo=onto.cameo_code(category, mode, context[0] if context else None),
                  quad_class=onto.quad_class(category), score=onto.score(category, mode),
                  confidence=confidence_of(tok, entry, actors, recipients), trigger_token=tok.i,
                  rule=rule, actor_heads=actors, recipient_heads=recipients, **flags)
    return event


@lru_cache(maxsize=64)         # several triggers share a sentence
def _contexts(lex, sentence_text: str) -> tuple[str, ...]:
    padded = f" {sentence_text.lower()} "
    return tuple(c for c, pattern in lex.context_patterns if pattern.search(padded))


def _mode_from_words(lex, category: str, text: str, tok: Token) -> str | None:
    """The mode some word of the trigger's clause (or a phrase of the sentence) names."""
    modes = lex.modes.get(category)
    if not modes:
        return None
    clause_words = set()
    for t in tok.subtree:
        clause_words.update((t.lower_, t.lemma_.lower()))
    for mode, words in modes.items():
        if any((" " in w and w in text) or w in clause_words for w in words):
            return mode
    return None


def _threat_mode(category: str) -> str | None:
    return {"SANCTION": "restrict", "COERCE": "restrict", "ASSAULT": "violence", "MOBILIZE": "violence"}.get(category)
