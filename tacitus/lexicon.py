"""The trigger lexicon (tacitus/data/triggers.yaml) as typed, indexed entries."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from .yamlfile import load_yaml

DEFAULT_RECIPIENT_PREPS = ("on", "upon", "against", "to", "toward", "towards", "at", "into", "with")


@dataclass(frozen=True, slots=True)
class Entry:
    lemma: str
    type: str
    mode: str | None = None
    prep: frozenset[str] = frozenset()
    obj: frozenset[str] = frozenset()
    has: frozenset[str] = frozenset()
    subj: frozenset[str] = frozenset()
    xcomp: frozenset[str] = frozenset()
    unless: frozenset[str] = frozenset()
    not_subj: frozenset[str] = frozenset()
    passive: bool | None = None
    recipient: tuple[str, ...] = DEFAULT_RECIPIENT_PREPS
    confidence: float = 0.8
    needs_light: bool = False
    obj_party: bool = False        # the object must be a named party ("defended Iraq", not "defended its interests")
    transitive: bool | None = None  # true: needs a direct object ("returned a statue to", not "returned to");
                                    # false: must have none ("called on X to", not "called a strike on Monday")

    @property
    def conditional(self) -> bool:
        return bool(self.prep or self.obj or self.has or self.subj or self.xcomp)


@dataclass(frozen=True, eq=False)     # one per process, compared and hashed by identity
class Lexicon:
    verbs: dict[str, tuple[Entry, ...]]
    nouns: dict[str, tuple[Entry, ...]]
    light_verbs: frozenset[str]
    occurrence_verbs: frozenset[str]
    reporting_verbs: frozenset[str]
    future_verbs: frozenset[str]
    hypothetical_verbs: frozenset[str]
    speech_verbs: frozenset[str]      # reporting verbs and the verbs that state a position
    contexts: dict[str, tuple[str, ...]]
    modes: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    # per context, one pattern for its words in a lowercased text padded with spaces: the word or its
    # plural, between a space and a space, comma or full stop (compiled once, matched per event)
    context_patterns: tuple[tuple[str, re.Pattern], ...] = ()
    # per distinct lemma and word: could it trigger anything (events._candidates); filled as texts are coded
    trigger_memo: dict = field(default_factory=dict, init=False, compare=False, repr=False)   # never copied


def _entry(row: dict, default_confidence: float) -> Entry:
    sets = {k: frozenset(str(w).lower() for w in row.get(k) or []) for k in ("prep", "obj", "has", "subj", "xcomp", "unless", "not_subj")}
    return Entry(lemma=str(row["lemma"]).lower(), type=row["type"], mode=row.get("mode"), passive=row.get("passive"),
                 recipient=tuple(row.get("recipient") or DEFAULT_RECIPIENT_PREPS),
                 confidence=float(row.get("confidence", default_confidence)),
                 needs_light=bool(row.get("needs_light", False)), obj_party=bool(row.get("obj_party", False)),
                 transitive=row.get("transitive"),
                 **sets)


def _index(rows: list[dict], confidence: float) -> dict[str, tuple[Entry, ...]]:
    out: dict[str, list[Entry]] = {}
    for row in rows:
        entry = _entry(row, confidence)
        out.setdefault(entry.lemma, []).append(entry)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def load() -> Lexicon:
    from .ontology import load as ontology

    spec = load_yaml((resources.files("tacitus") / "data" / "triggers.yaml").read_text(encoding="utf-8"))
    lexicon = Lexicon(
        verbs=_index(spec["verbs"], 0.8), nouns=_index(spec["nouns"], 0.6),
        light_verbs=frozenset(spec["light_verbs"]), occurrence_verbs=frozenset(spec["occurrence_verbs"]),
        reporting_verbs=frozenset(spec["reporting_verbs"]), future_verbs=frozenset(spec["future_verbs"]),
        hypothetical_verbs=frozenset(spec["hypothetical_verbs"]),
        speech_verbs=frozenset(spec["reporting_verbs"]) | frozenset(spec["stating_verbs"]),
        contexts={k: tuple(v) for k, v in spec["contexts"].items()},
        context_patterns=tuple((k, re.compile(" (?:" + "|".join(re.escape(w) for w in v) + r")(?:[ ,.]|s )"))
                               for k, v in spec["contexts"].items()),
        modes={cat: {m: tuple(ws) for m, ws in modes.items()} for cat, modes in spec["modes"].items()})
    _validate(lexicon, ontology())
    return lexicon


def _validate(lexicon: Lexicon, onto) -> None:
    """Fail loudly on a typo in the data file rather than code a wrong category."""
    for entries in (*lexicon.verbs.values(), *lexicon.nouns.values()):
        for e in entries:
            if e.type not in onto.categories:
                raise ValueError(f"triggers.yaml: {e.lemma}: unknown category {e.type}")
            if e.mode and e.mode not in onto.modes(e.type) and e.mode not in ("ban",):
                raise ValueError(f"triggers.yaml: {e.lemma}: {e.type} has no mode {e.mode}")
    for context in lexicon.contexts:
        if context not in onto.contexts:
            raise ValueError(f"triggers.yaml: unknown context {context}")
