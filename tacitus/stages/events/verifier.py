"""The verifier: does a candidate event really report a codable act, and of which PLOVER type?

The trigger lexicon and the parse propose candidates (a sentence, a trigger, a type). Real news
is mostly background, quotes, plans, sport, markets and metaphor, so about half of them are not
events. The verifier rules on every candidate with the trigger's context: it gives the
probability of each of the 16 PLOVER types and of NONE (not a codable event: metaphor, sport,
a plan's contents, a forecast, a negated or habitual act, a reporting verb), and the modality of
the trigger (asserted, negated, hypothetical, future, reported belief, habitual).

Features cost little on top of the parse (no second encoder runs):
- static vectors (model2vec, distilled offline from all-MiniLM-L6-v2; see classifier.py) of the
  sentence, of the trigger's lemma, of its arguments' lemmas (subject, object, prepositional
  objects: "attacked his policies" vs "attacked the village") and of a window of words around it;
- spaCy's own token vectors (doc.tensor): the sentence's mean and max, the trigger, a window;
- a few readable cues from the parse: negation, modal and future auxiliaries, conditions,
  quotes, relative clauses, the governing verb's kind (reporting, planning, refusing, asking),
  habitual adverbs, a score line ("2-1"), the headline.
Two softmax heads (type and modality) are trained by tools/train_verifier.py on the team's own
sentences (tools/training/verifier/) and shipped in tacitus/data/models/verifier.npz with a
calibration table fitted on a held-out part of the training data.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
from spacy.tokens import Token

from ... import classifier
from ...ontology import load as load_ontology
from ...vocabulary import FUTURE_AUX
from ..actors.lookup import doc_ents

NONE = "NONE"
MODALITIES = ("asserted", "negated", "hypothetical", "future", "reported_belief", "habitual")
STATIC_DIMS = 256
TENSOR_DIMS = 96
WINDOW = 3
NEGATIONS = frozenset({"not", "n't", "never", "no", "neither", "nor", "without"})
MODALS = frozenset({"would", "could", "might", "may", "should", "must", "'d", "ought", "can", "ca"})
CONDITION_MARKS = frozenset({"if", "unless", "whether", "lest", "provided", "once"})
PLANNING = frozenset({"expect", "plan", "intend", "aim", "propose", "consider", "hope", "want", "seek", "try",
                      "prepare", "wish", "mull", "weigh", "need", "likely", "set", "due", "poised", "ready",
                      "able", "allow", "enable", "power", "authority", "right", "chance", "bid", "attempt", "effort"})
REFUSING = frozenset({"refuse", "decline", "reject", "fail", "deny", "oppose", "resist", "balk"})
ASKING = frozenset({"urge", "ask", "call", "demand", "press", "appeal", "request", "push", "beg"})
HABITUAL = frozenset({"repeatedly", "long", "always", "often", "routinely", "regularly", "frequently", "usually",
                      "generally", "traditionally", "typically", "consistently", "previously", "once", "formerly"})
SCORE_LINE = re.compile(r"\b\d{1,2}-\d{1,2}\b")
QUOTES = re.compile(r"[\"“”]")
N_CUES = 28
FEATURES = 4 * STATIC_DIMS + 4 * TENSOR_DIMS + N_CUES


@dataclass(frozen=True)
class Model:
    type_weights: np.ndarray
    type_bias: np.ndarray
    types: tuple[str, ...]
    modality_weights: np.ndarray
    modality_bias: np.ndarray
    modalities: tuple[str, ...]
    calibration: np.ndarray          # (k, 2): raw probability bin edges -> observed precision


@dataclass(frozen=True, slots=True)
class Verdict:
    probs: dict[str, float]          # each PLOVER type and NONE
    modality: str

    @property
    def best(self) -> str:
        return max(self.probs, key=self.probs.get)


def enabled() -> bool:
    return os.environ.get("TACITUS_VERIFIER", "1") not in ("0", "false", "no") and load() is not None


@lru_cache(maxsize=1)
def load() -> Model | None:
    data = classifier.load_weights("verifier.npz", "type_weights", FEATURES, "tools/train_verifier.py")
    if data is None:
        return None
    return Model(data["type_weights"], data["type_bias"], tuple(str(x) for x in data["types"]),
                 data["modality_weights"], data["modality_bias"], tuple(str(x) for x in data["modalities"]),
                 data["calibration"])


def _unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v)
    return v / n if n > 0 else v


def arguments_of(tok: Token) -> list[Token]:
    """The words that say what the trigger is about: its subject, object and prepositional objects;
    for a noun, the verb that carries it as well."""
    out = []
    for child in tok.children:
        if child.dep_ in ("dobj", "nsubj", "nsubjpass", "attr", "oprd", "dative", "npadvmod"):
            out.append(child)
        elif child.dep_ in ("prep", "agent"):
            out.extend(c for c in child.children if c.dep_ == "pobj")
    if tok.pos_ in ("NOUN", "PROPN") and tok.head.i != tok.i:
        out.append(tok.head)
    return out


def _governors(tok: Token, hops: int = 3) -> list[Token]:
    out, cur = [], tok
    for _ in range(hops):
        if cur.head.i == cur.i:
            break
        cur = cur.head
        out.append(cur)
    return out


def cues(tok: Token, reporting: frozenset[str]) -> np.ndarray:
    """Readable cues of modality and sense, as 0/1 (a few as small counts)."""
    sent = tok.sent
    kids = list(tok.children)
    govs = _governors(tok)
    near = kids + [c for g in govs[:1] for c in g.children]
    lowers = {c.lower_ for c in near}
    gov_lemmas = {g.lemma_.lower() for g in govs}
    before = tok.doc.text[sent.start_char:tok.idx]
    ents = [e for e in doc_ents(tok.doc) if sent.start <= e.start and e.end <= sent.end]
    labels = [e.label_ for e in ents]
    marks = {c.lower_ for g in [tok] + govs for c in g.children if c.dep_ == "mark"}
    subject = next((c for c in kids if c.dep_ in ("nsubj", "nsubjpass")), None)
    c = [
        any(c.dep_ == "neg" or c.lower_ in NEGATIONS for c in near),
        bool(lowers & MODALS),
        bool(lowers & FUTURE_AUX) or "going" in lowers,
        bool(marks & CONDITION_MARKS),
        len(QUOTES.findall(before)) % 2 == 1,
        tok.dep_ in ("relcl", "acl"),
        tok.pos_ in ("NOUN", "PROPN"),
        tok.tag_ == "VBG", tok.tag_ == "VBN", tok.tag_ == "VB", tok.tag_ == "VBD", tok.tag_ in ("VBZ", "VBP"),
        bool(gov_lemmas & reporting),
        bool(gov_lemmas & PLANNING) or any(c.lemma_.lower() in PLANNING for c in kids if c.dep_ == "acomp"),
        bool(gov_lemmas & REFUSING),
        bool(gov_lemmas & ASKING),
        any(c.dep_ in ("nsubjpass", "auxpass") for c in kids),
        sent.start == 0,
        "?" in sent.text,
        bool(lowers & HABITUAL),
        bool(SCORE_LINE.search(sent.text)),
        subject is not None and subject.lower_ in ("i", "we", "you"),
        tok.dep_ == "ROOT",
        min(labels.count("GPE") + labels.count("NORP"), 3) / 3,
        any(lab in ("MONEY", "PERCENT") for lab in labels),
        min(labels.count("PERSON"), 3) / 3,
        tok.dep_ in ("xcomp", "ccomp", "advcl", "pcomp"),
        tok.dep_ in ("amod", "compound", "nmod", "pobj", "dobj"),
    ]
    return np.asarray(c, dtype=np.float32)


def _tensor(tok: Token) -> np.ndarray:
    tensor = tok.doc.tensor
    if tensor is None or getattr(tensor, "shape", (0, 0))[-1] != TENSOR_DIMS or len(tensor) != len(tok.doc):
        return np.zeros(4 * TENSOR_DIMS, np.float32)
    sent = tok.sent
    rows = [t.i for t in sent if not (t.is_punct or t.is_space)] or [t.i for t in sent]
    t = tensor[rows]
    lo, hi = max(sent.start, tok.i - WINDOW), min(sent.end, tok.i + WINDOW + 1)
    parts = (t.mean(0), t.max(0), tensor[tok.i], tensor[lo:hi].mean(0))
    return np.concatenate([_unit(v) for v in parts]) * 0.5


def _window_text(tok: Token) -> str:
    sent = tok.sent
    lo, hi = max(sent.start, tok.i - WINDOW), min(sent.end, tok.i + WINDOW + 1)
    return tok.doc[lo:hi].text


def features(triggers: list[Token], reporting: frozenset[str]) -> np.ndarray:
    """Trigger tokens (each in its parsed Doc) -> an (n, FEATURES) float32 array."""
    if not triggers:
        return np.zeros((0, FEATURES), np.float32)
    static = classifier._static()
    sentences = static.encode([t.sent.text for t in triggers])
    windows = static.encode([_window_text(t) for t in triggers])
    lemmas = np.stack([classifier._word_vector(t.lemma_.lower()) for t in triggers])
    args = []
    for t in triggers:
        words = [a.lemma_.lower() for a in arguments_of(t) if not a.is_punct]
        args.append(np.mean([classifier._word_vector(w) for w in words], 0) if words else np.zeros(STATIC_DIMS, np.float32))
    tensors = np.stack([_tensor(t) for t in triggers])
    flags = np.stack([cues(t, reporting) for t in triggers])
    return np.concatenate([sentences, lemmas, np.stack(args), windows, tensors, flags], 1).astype(np.float32)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(1, keepdims=True)


def calibrate(model: Model, p: float) -> float:
    """The observed precision of verdicts with this raw probability (held-out part of the training data)."""
    edges, values = model.calibration[:, 0], model.calibration[:, 1]
    return float(np.interp(p, edges, values))


def judge(triggers: list[Token], reporting: frozenset[str]) -> list[Verdict | None]:
    """One verdict per trigger token; None for every trigger when no model is shipped."""
    model = load()
    if model is None or not triggers:
        return [None for _ in triggers]
    x = features(triggers, reporting)
    types = _softmax(x @ model.type_weights + model.type_bias)
    modality = _softmax(x @ model.modality_weights + model.modality_bias)
    out = []
    for row, mrow in zip(types, modality):
        probs = dict(zip(model.types, map(float, row)))
        out.append(Verdict(probs, model.modalities[int(mrow.argmax())]))
    return out


DEFAULT_MIN_CONFIDENCE = 0.5   # events the verifier gives less are not coded (see the README's confidence table)
VERIFY_KEEP = 0.2              # the probability of NONE above which a candidate is not an event (real news is
                               # mostly background: the verifier's doubt is worth more than the lexicon's hope)
NOT_ASSERTED = frozenset({"negated", "hypothetical", "habitual", "reported_belief"})
PROMISES = frozenset({"AGREE", "THREATEN", "CONCEDE", "REQUEST", "REJECT"})   # future acts coded as what was said
RETYPE_MARGIN = 4.0            # the verifier overrules the lexicon's type when it is this many times likelier
LEXICON_PRIOR = 8.0            # the lexicon's proposal counts as this much evidence for its own type
# A threat is made in words ("threatened", "warned", an ultimatum, "could strike"), which the lexicon
# knows; a sentence that merely sounds resolute is not one: never a learned THREATEN, nor a retype to or from it.
NEEDS_WORDS = frozenset({"THREATEN"})


def min_confidence() -> float:
    """The confidence below which events are dropped: TACITUS_MIN_CONFIDENCE (set by --min-confidence)."""
    raw = os.environ.get("TACITUS_MIN_CONFIDENCE", "")
    try:
        return min(max(float(raw), 0.0), 1.0) if raw else DEFAULT_MIN_CONFIDENCE
    except ValueError:
        return DEFAULT_MIN_CONFIDENCE


def verify_events(events: list, doc, reporting: frozenset[str]) -> list:
    """Let the verifier rule on every candidate event: drop what is not an event, retype a wrong
    sense, and give each kept event the calibrated probability that it is real and rightly typed."""
    if not events or not enabled():
        return events
    model, floor = load(), min_confidence()
    kept = []
    verdicts = judge([doc[e.trigger_token] for e in events], reporting)
    for event, verdict in zip(events, verdicts):
        probs = _with_prior(verdict.probs, event.type)
        if probs[NONE] > VERIFY_KEEP or not _asserted(verdict.modality, event.type) or \
                background(doc[event.trigger_token], event.evidence.sentence_index):
            continue
        best = max((t for t in probs if t != NONE), key=probs.get)
        if best != event.type and best not in NEEDS_WORDS and event.type not in NEEDS_WORDS and \
                probs[best] > 0.5 and probs[best] > RETYPE_MARGIN * probs.get(event.type, 0.0):
            event = _retype(event, best)
        # a threat is coded from its words; the verifier only says whether the sentence reports one
        p = 1.0 - probs[NONE] if event.type in NEEDS_WORDS else probs.get(event.type, 0.0)
        event.confidence = calibrate(model, p)
        if event.confidence >= floor:
            kept.append(event)
    return kept


def _asserted(modality: str, category: str) -> bool:
    """PLOVER codes acts that happened, and said acts: a future act only as a promise, threat or demand."""
    return modality not in NOT_ASSERTED and (modality != "future" or category in PROMISES)


def background(tok, sentence_index: int) -> bool:
    """A clause that describes rather than reports: a relative clause or participle on a noun ("the group,
    which controls the north"; "rebels who backed the coup"), or a present-tense verb in the body ("Russia
    denies the charge"), which states a standing position; headlines report in the present."""
    if tok.dep_ in ("relcl", "acl"):
        return True
    present = tok.tag_ in ("VBZ", "VBP") and not any(c.dep_ in ("aux", "auxpass") for c in tok.children)
    return present and sentence_index > 0 and tok.sent.start > 0


def _with_prior(probs: dict[str, float], proposed: str) -> dict[str, float]:
    """The verifier's probabilities with the lexicon's proposal as prior evidence for its type."""
    if proposed not in probs:
        return probs
    boosted = {t: p * (LEXICON_PRIOR if t == proposed else 1.0) for t, p in probs.items()}
    total = sum(boosted.values())
    return {t: p / total for t, p in boosted.items()}


def _retype(event, category: str):
    onto = load_ontology()
    context = event.context[0] if event.context else None
    return replace(event, type=category, mode=None, cameo=onto.cameo_code(category, None, context),
                   quad_class=onto.quad_class(category), score=onto.score(category, None),
                   rule=f"{event.rule}>verifier:{category}")
