"""Throughput: bare spaCy parse vs. the whole ingest, and how ingest time grows with size.

    .venv/bin/python bench/throughput.py [--n 2000] [--workers 2]

Builds a corpus of --n varied articles from the team's example articles (paragraphs
recombined across stories, sentences shuffled inside paragraphs, numbers, weekdays and
quoted officials varied, publication dates spread over three years), then prints
articles/s and words/s for

  * spaCy alone: tacitus.nlp.load_nlp() with nlp.pipe(n_process=2), no Tacitus stages;
  * the whole ingest (read, clean, parse, code, merge, DuckDB) with --workers processes;

their ratio (the parse is timed before and after the ingests and averaged), peak memory (this
process and the largest child), and ingests of a quarter, half and all of the corpus (500 /
1,000 / 2,000 by default): a straight line fitted on the quarter and the whole separates the fixed start-up (spawning workers, loading spaCy and the
stages' tables) from the cost per article and predicts the half, to show linearity.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
FIRST = ["Amara", "Tomas", "Leila", "Jonah", "Priya", "Mateo", "Ingrid", "Kofi", "Sana", "Viktor", "Noor", "Elena"]
LAST = ["Okafor", "Lindqvist", "Haddad", "Moreau", "Banerjee", "Castillo", "Novak", "Mensah", "Rahimi", "Petrov"]
ROLES = ["a government spokesperson", "a senior diplomat", "an opposition lawmaker", "a regional analyst",
         "a police official", "an aid worker"]


def example_paragraphs() -> list[list[str]]:
    """Paragraphs of every example story (dates and bylines left out), one list per story."""
    stories = []
    for path in sorted((ROOT / "examples" / "articles").glob("*.txt")):
        paras = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
        stories.append([p for p in paras if len(p.split()) > 12])
    for line in (ROOT / "examples" / "jsonl" / "mixed.jsonl").read_text(encoding="utf-8").splitlines():
        try:
            text = json.loads(line).get("text") or ""
        except ValueError:
            continue
        paras = [p.strip() for p in text.split("\n\n") if len(p.split()) > 12]
        if paras and not text.startswith("Le "):
            stories.append(paras)
    return [s for s in stories if s]


def vary(paragraph: str, rng: random.Random) -> str:
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", paragraph)
    if len(sentences) > 2 and rng.random() < 0.5:
        head, tail = sentences[0], sentences[1:]
        rng.shuffle(tail)
        sentences = [head] + tail
    text = " ".join(sentences)
    text = re.sub(r"\b\d{2,4}\b(?![-/]\d)", lambda m: str(max(2, int(m.group()) + rng.randint(-9, 9))), text)
    return re.sub("|".join(WEEKDAYS), lambda m: rng.choice(WEEKDAYS), text)


def build_corpus(n: int, seed: int = 11) -> list[dict]:
    rng = random.Random(seed)
    stories = example_paragraphs()
    start = date(2021, 1, 1)
    corpus = []
    for i in range(n):
        lead = rng.choice(stories)
        paras = [vary(lead[0], rng)]
        for _ in range(rng.randint(3, 6)):
            paras.append(vary(rng.choice(rng.choice(stories)), rng))
        who = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        paras.append(f"\"We are watching the situation closely,\" said {who}, {rng.choice(ROLES)}.")
        corpus.append({"id": f"bench-{i:05d}", "text": "\n\n".join(paras),
                       "published": (start + timedelta(days=rng.randint(0, 1000))).isoformat()})
    return corpus


def words(corpus: list[dict]) -> int:
    return sum(len(d["text"].split()) for d in corpus)


def bare_parse(corpus: list[dict]) -> tuple[float, float]:
    """Seconds in all, and seconds until the first parsed document came out (process start-up)."""
    from tacitus.nlp import load_nlp

    nlp = load_nlp()
    started = time.perf_counter()
    first = None
    for _ in nlp.pipe((d["text"] for d in corpus), batch_size=32, n_process=2):
        first = first or time.perf_counter() - started
    return time.perf_counter() - started, first or 0.0


def whole_ingest(corpus: list[dict], workdir: Path, workers: int, name: str) -> tuple[float, dict]:
    from tacitus.ingest import ingest

    path = workdir / f"{name}.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in corpus), encoding="utf-8")
    started = time.perf_counter()
    summary = ingest([str(path)], db=workdir / f"{name}.duckdb", workers=workers, progress=False)
    elapsed = time.perf_counter() - started
    assert sum(summary.rows.values()) == len(corpus), summary.rows
    return elapsed, dict(summary.rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="articles in the full corpus (>= 2000 recommended)")
    parser.add_argument("--workers", type=int, default=2, help="coding processes for the ingest")
    args = parser.parse_args()
    corpus = build_corpus(args.n)
    n, n_words = len(corpus), words(corpus)
    wpa = n_words / n
    print(f"corpus: {n} articles ({len({d['text'] for d in corpus})} distinct), {n_words:,} words, "
          f"{wpa:.0f} words/article")
    rate = lambda k, t: f"{k / t:7.1f} articles/s {wpa * k / t:9,.0f} words/s"

    # The parse is timed before and after the ingests and the two averaged: a shared machine's speed
    # drifts by 10% over minutes, which would otherwise land on one side of the ratio only.
    before, first_before = bare_parse(corpus)
    sizes = [max(1, n // 4), max(1, n // 2), n]
    times, rows = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for k in sizes:
            times[k], rows = whole_ingest(corpus[:k], Path(tmp), args.workers, f"n{k}")
    after, first_after = bare_parse(corpus)
    t_bare, t_first = (before + after) / 2, (first_before + first_after) / 2
    print(f"spaCy parse, nlp.pipe n_process=2: {t_bare:6.1f} s  {rate(n, t_bare)}"
          f"   (after {t_first:.1f} s start-up: {rate(n - 1, t_bare - t_first)}; "
          f"{before:.1f} s before the ingests, {after:.1f} s after)")
    # t(k) = start-up + k * per-article cost, fitted on the smallest and the full run
    per = (times[n] - times[sizes[0]]) / max(1, n - sizes[0])
    fixed = times[sizes[0]] - per * sizes[0]
    print(f"whole ingest, workers={args.workers}:        {times[n]:6.1f} s  {rate(n, times[n])}"
          f"   (after {fixed:.1f} s start-up: {rate(1, per)})")
    print("  rows: " + ", ".join(f"{status} ({reason}) {count}" for (status, reason), count in sorted(rows.items())))
    print(f"ingest / spaCy throughput: {t_bare / times[n]:.2f} overall, "
          f"{(t_bare - t_first) / (n - 1) / per:.2f} after start-up")
    predicted = fixed + per * sizes[1]
    print("linearity: " + ", ".join(f"{k} articles {times[k]:.1f} s" for k in sizes)
          + f"; fit t = {fixed:.1f} s + {1000 * per:.1f} s per 1000 articles predicts {predicted:.1f} s for "
          f"{sizes[1]} ({100 * (times[sizes[1]] - predicted) / times[sizes[1]]:+.0f}%)")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: this process {own:.0f} MB, largest child process {child:.0f} MB "
          f"(ru_maxrss; children are not summed)")


if __name__ == "__main__":
    main()
