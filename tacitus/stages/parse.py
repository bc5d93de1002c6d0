"""Parse: run spaCy over a batch of cleaned articles (tokens, tags, dependencies, entities)."""
from __future__ import annotations

from typing import Iterable, Iterator

from ..model import Article
from ..nlp import load_nlp

BATCH_SIZE = 32


def parse_many(articles: Iterable[Article], *, n_process: int = 1) -> Iterator[Article]:
    """Attach a spaCy Doc to each article, batching with nlp.pipe."""
    nlp = load_nlp()
    pairs = ((a.text, a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=BATCH_SIZE, n_process=n_process):
        article.doc = doc
        yield article


def parse(article: Article) -> Article:
    """One article alone; the pipeline batches through `parse_many`."""
    article.doc = load_nlp()(article.text)
    return article
