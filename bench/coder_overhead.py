"""How much the coder adds to the bare spaCy parse of the same texts (target: at most 25%).

    .venv/bin/python bench/coder_overhead.py [--repeat 6]

Parses the example articles with the pipeline's spaCy model (nlp.pipe, one process),
then runs every stage after parsing (segment, mentions, events with the learned backup,
time, actors, place, coreference) on those parsed documents, and prints both times, the
words/s and the ratio. One process on purpose: the ratio is what matters, not the cores.
"""
from __future__ import annotations

import argparse
import copy
import time
from pathlib import Path

from tacitus.model import Status
from tacitus.nlp import load_nlp
from tacitus.pipeline import STAGES, finish, prepare
from tacitus.readers import read_path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=6, help="copies of the example set")
    args = parser.parse_args()
    articles = [prepare(a) for p in sorted((ROOT / "examples" / "articles").glob("*.txt")) for a in read_path(p)]
    articles = [a for a in articles if a.status is Status.PENDING] * args.repeat
    nlp = load_nlp()
    warm = copy.copy(articles[0])           # load the lexicon, gazetteer, knowledge base and classifier first
    warm.doc = nlp(warm.text)
    finish(warm)
    words = sum(len(a.text.split()) for a in articles)
    started = time.perf_counter()
    docs = list(nlp.pipe((a.text for a in articles), batch_size=32))
    parse = time.perf_counter() - started
    after_parse = [s for s in STAGES if s.name not in ("clean", "parse")]     # the coder's own stages
    per_stage = {s.name: 0.0 for s in after_parse}
    events = 0
    for article, doc in zip(articles, docs):
        fresh = copy.copy(article)
        fresh.doc, fresh.events, fresh.sentences, fresh.mentions = doc, [], [], []
        for stage in after_parse:            # finish() without its bookkeeping, timed per stage
            t0 = time.perf_counter()
            stage.run(fresh)
            per_stage[stage.name] += time.perf_counter() - t0
        events += len(fresh.events)
    coder = sum(per_stage.values())
    print(f"{len(articles)} articles, {words} words, {events} events")
    print(f"bare spaCy parse: {parse:.2f} s ({words / parse:.0f} words/s)")
    print(f"coder stages:     {coder:.2f} s")
    print(f"coder / parse:    {coder / parse:.2f}  (target <= 0.25)")
    print("per stage: " + ", ".join(f"{name} {t / parse:.2f}" for name, t in per_stage.items()))


if __name__ == "__main__":
    main()
