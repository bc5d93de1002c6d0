"""Triggers: the tokens that could start an event, and the lexicon entry each one matches."""
from __future__ import annotations

from dataclasses import replace

import numpy
from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc, Token

from ...model import Event
from ...vocabulary import PARTY_LABELS
from .build import build_event
from .clauses import is_passive


def candidates(doc: Doc, lex) -> list[int]:
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


def event_at(tok: Token, lex, sentence_index: int, sentence_text: str) -> Event | None:
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
    return build_event(tok, entry, trigger_tokens, lex, sentence_index, sentence_text, rule=f"{entry.lemma}:{entry.type}")


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
        if entry.obj_party and not any(h.ent_type_ in PARTY_LABELS for h in party_heads):
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
    # "carried out strikes": the object follows a particle
    for child in verb.children:
        if child.dep_ == "prep" and verb.lemma_ in ("step", "carry"):
            for grandchild in child.children:
                if grandchild.dep_ == "pobj":
                    return grandchild
    return None
