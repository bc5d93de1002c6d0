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
from functools import lru_cache

import numpy
from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc, Token

from .. import classifier
from .. import lexicon as lexicon_module
from ..lexicon import Entry
from ..model import Article, Event, Evidence
from ..ontology import load as load_ontology
from . import arguments, demands
from .clauses import confidence_of, flags_of, in_relative_clause, is_passive

VERBAL = {"AGREE", "SUPPORT", "CONCEDE", "REQUEST", "ACCUSE", "REJECT", "THREATEN"}
COMPLEMENT_DEPS = {"xcomp", "ccomp", "pcomp", "pobj", "dobj", "acomp", "oprd", "nsubj", "nsubjpass", "csubj"}
COOPERATIVE_FUTURE = {"CONSULT", "SUPPORT", "COOPERATE", "AID"}
COOPERATIVE_NEGATABLE = {"AGREE", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT", "CONSULT"}
CONFLICT_ACTS = {"SANCTION", "COERCE", "ASSAULT", "MOBILIZE", "PROTEST"}
CONTENT_NOUNS = {"pact", "deal", "agreement", "accord", "treaty", "plan", "proposal", "law", "bill", "resolution", "decree",
                 "memorandum", "statement", "report", "mission", "programme", "program", "framework", "roadmap"}


PARTY_NOUNS = {"government", "army", "police", "troops", "rebels", "protesters", "ministry", "minister", "court",
               "parliament", "president", "forces", "militants", "officials", "authorities", "opposition", "party",
               "leader", "leaders", "military", "regime", "junta", "union", "council", "lawmakers", "demonstrators"}
BARE_LIGHT_VERBS = {"give", "take", "make", "have", "hold", "do", "get", "put", "conduct", "carry", "stage", "offer"}
NOT_ACTS = {"be", "have", "become", "remain", "seem", "appear", "include", "come", "go", "get"}
CLASSIFIER_THRESHOLD = 0.5     # below this the learned backup stays silent
# A threat is made in words ("threatened", "warned", an ultimatum, "could strike"), which the lexicon
# knows; a sentence that merely sounds resolute is not one, so the learned backup never codes it.
NEEDS_WORDS = {"THREATEN"}


def find_events(article: Article) -> Article:
    lex = lexicon_module.load()
    doc: Doc = article.doc
    events: list[Event] = []
    silent = []                  # sentences the lexicon found nothing in: the classifier's turn
    candidates = _candidates(doc, lex)
    for sentence in article.sentences:
        span = doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
        if span is None:
            continue
        inside = candidates[bisect_left(candidates, span.start):bisect_left(candidates, span.end)]
        found = [ev for i in inside if (ev := _event_at(doc[i], lex, sentence.index, sentence.text))]
        found = _suppress_governed(found, doc)
        if asked := demands.find_demands(span, lex.speech_verbs, arguments.PARTY_LABELS):
            found = [ev for ev in found if not demands.inside(doc[ev.trigger_token], asked)]
            found += [ev for d in asked if (ev := _demand_event(d, lex, sentence))]
        if not found and (anchor := _learned_anchor(span, lex)) is not None:
            silent.append((sentence, span, anchor))
        events.extend(found)
    events.extend(_learned_events(silent, lex))
    article.events = sorted((e for e in events if e.actor_heads or e.recipient_heads
                             or doc[e.trigger_token].dep_ == "ROOT"), key=lambda e: e.evidence.start)
    return article


def _demand_event(demand, lex, sentence) -> Event | None:
    """ "X said Y must do Z": X's REQUEST, addressed to Y, anchored on the reporting verb."""
    entry = Entry(lemma=demand.speaker_verb.lemma_.lower(), type="REQUEST", mode="change", confidence=0.75)
    event = _build(demand.speaker_verb, entry, [demand.speaker_verb], lex, sentence.index, sentence.text,
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
        if p < CLASSIFIER_THRESHOLD or p <= probs.get(classifier.NONE, 0.0) or label in NEEDS_WORDS:
            continue
        entry = Entry(lemma=root.lemma_.lower(), type=label, confidence=0.45 + 0.3 * p)
        event = _build(root, entry, [root], lex, sentence.index, sentence.text,
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
    if not subjects or not any(t.ent_type_ in ("GPE", "NORP", "ORG", "PERSON") or t.pos_ in ("PROPN", "PRON")
                               or t.lemma_.lower() in PARTY_NOUNS for s in subjects for t in s.subtree):
        return None
    return root


def _candidates(doc: Doc, lex) -> list[int]:
    """The tokens that could trigger, in order: their lemma is a verb, light verb or noun of the
    lexicon, or a spelling of the word is a verb or light verb. Decided from spaCy's arrays once
    per distinct lemma and word, so the rules below visit a few tokens per sentence, not every one."""
    words = doc.to_array([LOWER, LEMMA])
    memo, strings = lex.trigger_memo, doc.vocab.strings
    def verb(key: str) -> bool:
        return key in lex.verbs or key in lex.light_verbs

    hit = _known(words[:, 1], memo.setdefault("lemma", {}), strings,
                 lambda lemma: verb(lemma.lower()) or lemma.lower() in lex.nouns)
    hit |= _known(words[:, 0], memo.setdefault("word", {}), strings,
                  lambda lower: any(verb(k) for k in _word_spellings(lower)))
    return numpy.flatnonzero(hit).tolist()


def _known(column, memo: dict, strings, test) -> numpy.ndarray:
    values, where = numpy.unique(column, return_inverse=True)
    flags = [memo[v] if v in memo else memo.setdefault(v, test(strings[v])) for v in values.tolist()]
    return numpy.array(flags, dtype=bool)[where.reshape(-1)]


def lemma_keys(tok: Token) -> list[str]:
    return spellings(tok.lower_, tok.lemma_)


def spellings(lower: str, lemma: str) -> list[str]:
    """The lemma, then spellings that undo the lemmatizer's slips ("staged" -> "stag", not "stage")."""
    return list(dict.fromkeys([lemma.lower(), *_word_spellings(lower)]))


def _word_spellings(lower: str) -> list[str]:
    keys = [lower]
    for suffix, repl in (("ied", "y"), ("ies", "y"), ("ed", "e"), ("ed", ""), ("d", ""), ("es", ""), ("s", ""),
                         ("ing", "e"), ("ing", "")):
        if lower.endswith(suffix) and len(lower) > len(suffix) + 2:
            keys.append(lower[: -len(suffix)] + repl)
    if len(lower) > 5 and lower.endswith(("ed", "ing")):
        stem = lower[:-2] if lower.endswith("ed") else lower[:-3]
        if len(stem) > 2 and stem[-1] == stem[-2]:
            keys.append(stem[:-1])             # "shelled" -> "shell" is fine, "stopped" -> "stop"
    return keys


def _lookup(tok: Token, table) -> tuple[str, tuple]:
    for key in lemma_keys(tok):
        if key in table:
            return key, table[key]
    return tok.lemma_.lower(), ()


def _event_at(tok: Token, lex, sentence_index: int, sentence_text: str) -> Event | None:
    if tok.pos_ not in ("VERB", "AUX", "ADJ", "NOUN", "PROPN"):
        return None
    lemma, verb_entries = _lookup(tok, lex.verbs) if tok.pos_ != "NOUN" else (tok.lemma_.lower(), ())
    entry, trigger_tokens = None, [tok]
    if tok.dep_ in ("amod", "compound", "nmod"):      # "the alleged poisoning" describes, it does not act
        return None
    if tok.dep_ == "acl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
        return None                                    # "a proposal to organize a summit" is not a summit
    if (tok.tag_ == "VBN" and tok.dep_ in ("conj", "advcl") and tok.head.tag_ in ("VB", "VBP", "VBZ")
            and any(c.dep_ == "nsubj" for c in tok.children)
            and not any(c.dep_ in ("aux", "auxpass") for c in tok.children)):
        return None            # "will free 32 soldiers, most of them captured in May": background, and passive
    if tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "ADJ" and tok.dep_ in ("ROOT", "conj", "ccomp", "relcl")):
        if lemma in lex.reporting_verbs and not verb_entries:
            return None
        entry = _match_verb(tok, verb_entries)
        if entry is None and any(k in lex.light_verbs for k in lemma_keys(tok)):
            noun = _light_object(tok)
            if noun is not None:
                entry = _match_noun(noun, _lookup(noun, lex.nouns)[1], light=True)
                if entry is None:        # "undertook a mediation mission": the event word is the compound
                    noun = next((c for c in noun.children if c.dep_ == "compound" and c.lemma_.lower() in lex.nouns), noun)
                    entry = _match_noun(noun, _lookup(noun, lex.nouns)[1], light=True)
                if entry is not None:    # a verb carrying an event noun is as strong as an event verb
                    entry = replace(entry, confidence=max(entry.confidence, 0.8))
                trigger_tokens = [tok, noun]
    elif tok.pos_ in ("NOUN", "PROPN") and tok.lemma_.lower() in lex.nouns:
        lemma = tok.lemma_.lower()
        if tok.dep_ in ("ROOT",) or (tok.dep_ in ("nsubj", "nsubjpass") and tok.head.lemma_.lower() in lex.occurrence_verbs
                                     and tok.head.lemma_.lower() not in lex.verbs):
            entry = _match_noun(tok, lex.nouns[lemma], light=False)
            if entry is not None:     # a bare event noun is weaker evidence than a verb
                entry = replace(entry, confidence=entry.confidence - 0.1)
    if entry is None:
        return None
    return _build(tok, entry, trigger_tokens, lex, sentence_index, sentence_text, rule=f"{entry.lemma}:{entry.type}")


def _build(tok: Token, entry: Entry, trigger_tokens: list[Token], lex, sentence_index: int, sentence_text: str,
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


def _lemmas(tokens) -> set[str]:
    return {t.lemma_.lower() for t in tokens} | {t.lower_ for t in tokens}


def _clause(tok: Token) -> list[Token]:
    """The trigger's own clause: its subtree minus subjects and embedded clauses of other verbs."""
    out = []
    for child in tok.children:
        if child.dep_ in ("nsubj", "nsubjpass", "csubj"):
            continue
        out.extend(child.subtree)
    return out


def _match_verb(tok: Token, entries) -> object | None:
    if not entries:
        return None
    clause = _clause(tok)
    clause_lemmas = _lemmas(clause)
    preps = {c.lemma_.lower() for c in tok.children if c.dep_ in ("prep", "prt", "agent", "dative")}
    object_heads = [c for c in tok.children if c.dep_ in ("dobj", "attr", "oprd", "dative")]
    if is_passive(tok):
        object_heads += [c for c in tok.children if c.dep_ == "nsubjpass"]
    objects = _lemmas(_object_words(object_heads))
    subj = _lemmas([t for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree])
    xcomps = {c.lemma_.lower() for c in tok.children if c.dep_ in ("xcomp", "ccomp")}
    for entry in entries:
        if entry.unless & (clause_lemmas | subj):
            continue
        if entry.prep and not entry.prep & preps:
            continue
        if entry.obj and not entry.obj & objects:
            continue
        if entry.has and not entry.has & clause_lemmas:
            continue
        if entry.subj and not entry.subj & subj:
            continue
        if entry.not_subj & subj:
            continue
        if entry.xcomp and not entry.xcomp & xcomps:
            continue
        if entry.passive is not None and entry.passive != is_passive(tok):
            continue
        if entry.transitive is not None and entry.transitive != any(c.dep_ == "dobj" for c in tok.children):
            continue
        party_heads = object_heads + [g for c in tok.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
        if entry.obj_party and not any(h.ent_type_ in ("GPE", "NORP", "ORG", "PERSON") for h in party_heads):
            continue
        return entry
    return None


def _object_words(heads: list[Token]) -> list[Token]:
    """An object's head noun, its compounds and conjuncts, and the noun after "of" ("a round of sanctions")."""
    out = []
    for head in heads:
        for h in [head, *head.conjuncts]:
            out.append(h)
            out += [c for c in h.children if c.dep_ in ("compound", "amod")]
            for prep in (c for c in h.children if c.dep_ == "prep" and c.lower_ == "of"):
                out += [g for g in prep.children if g.dep_ == "pobj"]
    return out


def _match_noun(noun: Token, entries, *, light: bool):
    context = _lemmas(list(noun.subtree) + [noun.head])
    if light:      # "the teachers' union called a strike": who carries it tells which strike
        context |= _lemmas([t for c in noun.head.children if c.dep_ == "nsubj" for t in c.subtree])
    for entry in entries:
        if entry.needs_light and not light:
            continue
        if entry.unless & context:
            continue
        if entry.has and not entry.has & context:
            continue
        return entry
    return None


def _light_object(verb: Token) -> Token | None:
    if verb.lemma_ == "engage":        # "(were) engaged in ethnic cleansing": the act is the object of "in"
        return next((g for c in verb.children if c.dep_ == "prep" and c.lower_ == "in"
                     for g in c.children if g.dep_ == "pobj"), None)
    for child in verb.children:
        if child.dep_ in ("dobj",) or (child.dep_ == "nsubjpass" and is_passive(verb)):
            return child
        if child.dep_ == "prt" and child.lower_ in ("on", "up"):
            continue
    # "carried out strikes": the object follows a particle
    for child in verb.children:
        if child.dep_ == "prep" and verb.lemma_ in ("step", "carry"):
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None


def _suppress_governed(events: list[Event], doc: Doc) -> list[Event]:
    """Drop an act whose trigger is the complement of a verbal act ("urged X to release" is REQUEST only)."""
    by_token = {ev.trigger_token: ev for ev in events}
    lex = lexicon_module.load()
    kept = []
    for ev in events:
        tok, governed = doc[ev.trigger_token], False
        clause = tok
        while clause.dep_ == "conj" and clause.head.i != clause.i:     # "will train ... and share ...": same clause
            clause = clause.head
        issued_statement = (ev.type in VERBAL and clause.dep_ == "acl" and clause.tag_ == "VBG"
                            and clause.head.dep_ == "dobj")     # "issued a statement demanding ...": an act
        if clause.dep_ in ("relcl", "acl") and not issued_statement and (
                clause.head.lemma_.lower() in lex.nouns or clause.head.lemma_.lower() in CONTENT_NOUNS):
            continue       # "a pact under which instructors will train ...", "an airstrike that killed ...": contents
        while tok.dep_ in COMPLEMENT_DEPS | {"prep", "advcl", "acl"} and tok.head is not tok:
            parent = tok.head
            owner = by_token.get(parent.i)
            if owner is not None and owner is not ev and owner.type in VERBAL and tok.dep_ != "advcl":
                governed = True
                break
            if tok.dep_ in ("advcl", "acl"):
                break
            tok = parent
        if not governed:
            kept.append(ev)
    return _merge_same(kept)


def _merge_same(events: list[Event]) -> list[Event]:
    """One event per (type, actors) in a sentence: "denied X and denied Y" is one denial."""
    out: list[Event] = []
    for ev in events:
        twin = next((o for o in out if o.type == ev.type and o.evidence.sentence_index == ev.evidence.sentence_index
                     and o.actor_heads == ev.actor_heads), None)
        if twin is None:
            out.append(ev)
            continue
        twin.recipient_heads = sorted(set(twin.recipient_heads) | set(ev.recipient_heads))
        twin.confidence = max(twin.confidence, ev.confidence)
    return out
