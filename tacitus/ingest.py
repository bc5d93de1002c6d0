"""Ingest a corpus: files, directories and globs -> coded, merged events in DuckDB.

The parent process reads the inputs, decides what each document needs, hands the
articles to coding processes (spawned; each loads spaCy once through the pipeline) and
is the only writer, committing one transaction per batch (articles and their event reports;
the reports are merged into events every few batches and at the end, see store/writer.py).
Every input document ends as exactly one `articles` row: coded, skipped (duplicate, not
English, empty, no article in page) or failed (the error).

Resume and idempotence rest on one rule: a document's row id is a hash of where it was
read (absolute path and ordinal within the file) and its content hash. A row id already
stored means the document is done, whatever happened to it; a new document whose content
hash is already stored becomes "duplicate of <id>". Decisions are made in input order and
committed in that order, so a run killed at any point and run again ends with the same
database as a run that was never interrupted.
"""
from __future__ import annotations

import glob
import logging
import multiprocessing
import os
import threading
import time
from collections import Counter, deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

from .model import Article, Status
from .stages.merge import MergeRules, credited_agency, fingerprint, short_hash
from .stages.read import InputError, content_hash, parse_date, read_path
from .store.schema import DEFAULT_DB
from .store.writer import Record, Writer, mention_rows

log = logging.getLogger(__name__)

SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml", ".jsonl", ".ndjson", ".warc", ".warc.gz", ".arc.gz")
MAX_ARTICLE_CHARS = 1_000_000     # ~150k words: no news story is longer; spaCy would take minutes
SKIP_REASONS = ("empty input", "no article in page")


@dataclass
class Summary:
    rows: Counter = field(default_factory=Counter)   # (status, short reason) -> rows written now
    already_stored: int = 0
    documents: int = 0
    read_failed: int = 0
    files: int = 0
    missing: list[str] = field(default_factory=list)
    words: int = 0                                   # words in the articles sent to the coder
    elapsed: float = 0.0

    @property
    def nothing_read(self) -> bool:
        return self.documents == 0 or self.documents == self.read_failed


def expand(paths: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """Files to read, in a stable order, and the arguments that matched nothing."""
    files: list[Path] = []
    missing: list[str] = []
    for arg in map(str, paths):
        p = Path(arg)
        if p.is_file():
            found = [p]
        elif p.is_dir():
            found = _walk(p)
        elif glob.has_magic(arg):
            found = []
            for m in sorted(glob.glob(arg, recursive=True)):
                found += _walk(Path(m)) if Path(m).is_dir() else [Path(m)]
        else:
            found = []
        if not found:
            missing.append(arg)
        files += found
    seen: set[Path] = set()
    unique = []
    for f in files:
        r = f.resolve()
        if r not in seen:
            seen.add(r)
            unique.append(r)
    return unique, missing


def _walk(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")
                  and p.name.lower().endswith(SUFFIXES))


def read_documents(files: list[Path], published=None) -> Iterator[tuple[str, Article]]:
    """(input locator, article) for every document; unreadable files become status rows."""
    for path in files:
        n = 0
        try:
            for art in read_path(path, published=published):
                yield f"{path}#{n}", art
                n += 1
        except InputError as err:
            reason = str(err)
            skip = next((s for s in SKIP_REASONS if reason.endswith(s)), None)
            yield f"{path}#{n}", _status(path.name, skip or reason, Status.SKIPPED if skip else Status.FAILED)
        except Exception as err:       # one unreadable file must not stop a corpus
            log.exception("reading %s failed", path)
            yield f"{path}#{n}", _status(path.name, f"read error after {n} records: {type(err).__name__}: {err}")
        else:
            if n == 0:                 # blank JSONL, a WARC without HTML pages: still one row
                yield f"{path}#0", _status(path.name, "empty: no articles in file", Status.SKIPPED)


def _status(name: str, reason: str, status: Status = Status.FAILED) -> Article:
    art = Article(id=name, text="")
    art.status, art.reason = status, reason
    return art


# ---- coding processes -------------------------------------------------------------

def _init_worker(parent: int) -> None:
    from .nlp import load_nlp
    load_nlp()
    # A SIGKILLed parent cannot stop its pool; the workers notice and leave by themselves.
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def code_articles(articles: list[Article]) -> list[tuple[Article, str | None, tuple[int, ...]]]:
    """Run the pipeline; return each article slimmed for the trip back, with its source signature."""
    from .pipeline import run
    agencies = [credited_agency(a.text, a.source) for a in articles]
    out = []
    for art, agency in zip(run(articles), agencies):
        fp = fingerprint(art.text) if art.events else ()
        art.raw, art.doc, art.removed, art.captions, art.sentences, art.mentions = None, None, [], [], [], []
        out.append((art, agency, fp))
    return out


def code_for_store(jobs: list[tuple[Article, str, str | None]]) -> list[tuple[Article, str | None, tuple[int, ...], list]]:
    """code_articles for (article, row id, content hash) jobs, with the mention rows built here, in
    the worker, so the single writer only inserts them; the events themselves stay behind."""
    out = []
    for (art, agency, fp), (_, rid, ch) in zip(code_articles([job[0] for job in jobs]), jobs):
        rows = mention_rows(Record(rid, "", art, ch))
        art.events = []
        out.append((art, agency, fp, rows))
    return out


def _job(record: Record) -> tuple[Article, str, str | None]:
    """What a coding worker needs of a record: the article, and the ids its mention rows carry."""
    return record.article, record.id, record.content_hash


class Coder:
    """Codes chunks in order, in spawned processes (or inline with one worker)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        if workers > 1:
            self._start()

    def _start(self) -> None:
        self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_init_worker, initargs=(os.getpid(),))

    def submit(self, records: list[Record]) -> Future | list:
        jobs = [_job(r) for r in records]
        if not jobs:
            return []
        return self.pool.submit(code_for_store, jobs) if self.pool else code_for_store(jobs)

    def result(self, job: Future | list, records: list[Record]) -> list:
        if isinstance(job, list):
            return job
        try:
            return job.result()
        except BrokenProcessPool:
            return self._one_by_one(records)

    def _one_by_one(self, records: list[Record]) -> list:
        # A worker died (crash, out of memory): find the article that kills it, fail only that one.
        out = []
        self._restart()
        for rec in records:
            try:
                out += self.pool.submit(code_for_store, [_job(rec)]).result()
            except BrokenProcessPool:
                art = rec.article
                art.status, art.reason = Status.FAILED, "coding crashed its process"
                out.append((art, None, (), []))
                self._restart()
        return out

    def _restart(self) -> None:
        if self.pool:
            self.pool.shutdown(wait=False, cancel_futures=True)
        self._start()

    def close(self) -> None:
        if self.pool:
            self.pool.shutdown(wait=True, cancel_futures=True)


class Meter:
    """A Rich progress line on stderr: rows written, articles per second, documents already stored."""

    def __init__(self, *, enabled: bool) -> None:
        self.done = self.already = 0
        self.started = time.perf_counter()
        self.progress = None
        if enabled:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
            self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                     TextColumn("{task.completed} articles"), TextColumn("{task.fields[rate]}/s"),
                                     TimeElapsedColumn(), console=Console(stderr=True))
            self.task = self.progress.add_task("ingest", total=None, rate="0.0")

    def update(self, *, written: int = 0, known: int = 0) -> None:
        self.done, self.already = self.done + written, self.already + known
        if self.progress:
            rate = self.done / max(time.perf_counter() - self.started, 1e-6)
            label = f"ingest ({self.already} already stored)" if self.already else "ingest"
            self.progress.update(self.task, completed=self.done, rate=f"{rate:.1f}", description=label)

    def status(self, label: str) -> None:
        if self.progress:
            self.progress.update(self.task, description=label)

    def __enter__(self) -> "Meter":
        if self.progress:
            self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress:
            self.progress.stop()


# ---- the parent loop --------------------------------------------------------------

def _short_reason(record: Record) -> str:
    art = record.article
    if record.duplicate_of:
        return "duplicate"
    if art.status is Status.CODED:
        return "with events" if record.mention_rows() else "no political events found"
    return (art.reason or "").split(" (")[0].split(": ")[0] if art.status is Status.SKIPPED else "error"


class _Batcher:
    """Turns documents into records: known ones dropped, duplicates marked, the rest to code."""

    def __init__(self, writer: Writer, summary: Summary) -> None:
        self.writer, self.summary = writer, summary
        self.inflight: dict[str, str] = {}    # content hash -> id, decided but not yet committed

    def decide(self, docs: list[tuple[str, Article]]) -> tuple[list[Record], list[int]]:
        keyed = []
        for locator, art in docs:
            ch = content_hash(art.text) if art.text else None
            keyed.append((short_hash(locator, ch), locator, art, ch))
        known = self.writer.known_ids(k[0] for k in keyed)
        stored = self.writer.originals({k[3] for k in keyed if k[3]} - set(self.inflight))
        records, to_code = [], []
        for rid, locator, art, ch in keyed:
            self.summary.documents += 1
            self.summary.read_failed += art.status is Status.FAILED
            if rid in known:
                self.summary.already_stored += 1
                continue
            rec = Record(rid, locator, art, ch)
            original = (self.inflight.get(ch) or stored.get(ch)) if ch else None
            if art.status is not Status.PENDING:
                pass                   # the reader already decided: failed, or no article in page
            elif original:
                art.status, art.reason, rec.duplicate_of = Status.SKIPPED, f"duplicate of {original}", original
            elif len(art.text) > MAX_ARTICLE_CHARS:
                art.status = Status.FAILED
                art.reason = f"too long for one article: {len(art.text):,} characters (limit {MAX_ARTICLE_CHARS:,})"
            else:
                to_code.append(len(records))
                self.summary.words += len(art.text.split())
            if ch and not original:
                self.inflight[ch] = rid
            if art.status is not Status.PENDING:
                art.text = ""          # nothing downstream needs the text of an uncoded row
            records.append(rec)
        return records, to_code

    def committed(self, records: list[Record]) -> None:
        for rec in records:
            if rec.content_hash and self.inflight.get(rec.content_hash) == rec.id:
                del self.inflight[rec.content_hash]
            self.summary.rows[(rec.article.status.value, _short_reason(rec))] += 1


def ingest(paths: Iterable[str | Path], db: str | Path = DEFAULT_DB, *, workers: int | None = None,
           progress: bool = True, published=None, batch_size: int = 64, merge_every: int = 32,
           rules: MergeRules = MergeRules()) -> Summary:
    """Read, code, merge and store every document under `paths`; see the module docstring.

    Events are merged every `merge_every` batches and at the end, including reports a killed
    run stored but never merged."""
    started = time.perf_counter()
    summary = Summary()
    files, summary.missing = expand(paths)
    summary.files = len(files)
    workers = max(1, workers or os.cpu_count() or 1)
    docs = read_documents(files, parse_date(published))
    writer = Writer(str(db), rules=rules)
    batcher = _Batcher(writer, summary)
    coder = Coder(workers)
    pending: deque[tuple[list[Record], list[int], Future | list]] = deque()
    batches = 0

    def flush(meter: Meter) -> None:
        nonlocal batches
        records, to_code, job = pending.popleft()
        for i, coded in zip(to_code, coder.result(job, [records[i] for i in to_code])):
            rec = records[i]
            rec.article, rec.agency, rec.fingerprint, rec.mentions = coded
        writer.write_batch(records, merge=False)
        batches += 1
        if batches % max(1, merge_every) == 0:
            writer.merge_pending()
        batcher.committed(records)
        meter.update(written=len(records))
        log.info("committed batch %d: %d rows", batches, len(records))

    try:
        with Meter(enabled=progress) as meter:
            while chunk := list(islice(docs, batch_size)):
                records, to_code = batcher.decide(chunk)
                meter.update(known=len(chunk) - len(records))
                pending.append((records, to_code, coder.submit([records[i] for i in to_code])))
                while len(pending) > 2 * workers:
                    flush(meter)
            while pending:
                flush(meter)
            meter.status("merging events")
            writer.merge_pending()
    finally:
        coder.close()
        writer.close()
    summary.elapsed = time.perf_counter() - started
    return summary
