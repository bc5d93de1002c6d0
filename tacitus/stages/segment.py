"""Segment: sentences and paragraphs from the parsed text, with offsets into Article.text.

Paragraph breaks (blank lines, set by clean) always end a sentence; the paragraph
index lets later stages read a sentence's context.
"""
from __future__ import annotations

from bisect import bisect_right

from ..model import Article, Sentence


def segment(article: Article) -> Article:
    doc = article.doc
    text = article.text
    article.sentences = []
    for span in doc.sents:
        start, end = span.start_char, span.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            continue
        article.sentences.append(Sentence(text=text[start:end], start=start, end=end,
                                          index=len(article.sentences),
                                          paragraph=text.count("\n\n", 0, start)))
    return article


def sentence_of(article: Article, char: int) -> Sentence | None:
    i = bisect_right([s.start for s in article.sentences], char) - 1
    if i >= 0 and article.sentences[i].start <= char < article.sentences[i].end:
        return article.sentences[i]
    return None
