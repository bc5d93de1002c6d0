"""Mentions: the spans that may name actors or places (entities and seats of power).

Later stages read actors and places from the parse around each event; this list
is the article-level inventory they and the store share (and what the API shows).
"""
from __future__ import annotations

import re
from functools import lru_cache

from .. import knowledge
from ..model import Article, Mention
from .actors.lookup import doc_ents
from .segment import sentence_of

LABELS = {"PERSON", "NORP", "ORG", "GPE", "LOC", "FAC"}


@lru_cache(maxsize=1)
def _seat_pattern() -> re.Pattern:
    names = sorted({s.name for s in knowledge.load().seats.values() if len(s.name) >= 5}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b")


def find_mentions(article: Article) -> Article:
    doc = article.doc
    mentions: list[Mention] = []
    for ent in doc_ents(doc):
        if ent.label_ in LABELS:
            sentence = sentence_of(article, ent.start_char)
            mentions.append(Mention(ent.text, ent.start_char, ent.end_char,
                                    sentence.index if sentence else -1, ent.label_))
    taken = {(m.start, m.end) for m in mentions}
    for m in _seat_pattern().finditer(article.text):
        if (m.start(), m.end()) not in taken:
            sentence = sentence_of(article, m.start())
            mentions.append(Mention(m.group(), m.start(), m.end(), sentence.index if sentence else -1, "SEAT"))
    article.mentions = sorted(mentions, key=lambda m: m.start)
    return article
