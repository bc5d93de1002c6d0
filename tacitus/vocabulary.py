"""The words and names several modules share, spelled once.

Stages, the merge, the evaluator, the exports and the server import these instead of keeping
their own copies; the ontology's own lists stay in tacitus/data/plover.yaml.
"""
from __future__ import annotations

# PLOVER categories done *with* each other: "Kenya and Somalia agreed" has no one-way recipient.
RECIPROCAL = frozenset({"CONSULT", "AGREE", "COOPERATE", "ASSAULT"})
# Acts performed in words: what they govern ("urged X to release") is their content, not an act.
VERBAL_ACTS = frozenset({"AGREE", "SUPPORT", "CONCEDE", "REQUEST", "ACCUSE", "REJECT", "THREATEN"})
# spaCy entity labels that name a party (a possible actor or recipient).
PARTY_LABELS = frozenset({"GPE", "NORP", "ORG", "PERSON"})
# Auxiliaries of the future tense ("wo" is spaCy's half of "won't").
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
# How precise a location is, most precise first.
LEVEL_RANK = {"point": 0, "city": 1, "admin1": 2, "country": 3}
# The four quad classes, numbered 1-4 as in CAMEO/PLOVER.
QUAD_KEYS = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")
QUAD_NUMBER = {key: n for n, key in enumerate(QUAD_KEYS, 1)}
QUAD_NAMES = {n: key.replace("_", " ") for key, n in QUAD_NUMBER.items()}      # 1: "verbal cooperation"
# ~150k words: no news story is longer, and spaCy would take minutes over one.
MAX_ARTICLE_CHARS = 1_000_000
