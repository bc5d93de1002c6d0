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
from .batch import Batcher, code_batch, record_label
from .merge import MergeRules
from .readers import InputError, parse_date, read_path
from .store.schema import DEFAULT_DB
from .store.writer import Record, Writer

log = logging.getLogger(__name__)

SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml", ".jsonl", ".ndjson", ".warc", ".warc.gz", ".arc.gz")
SKIP_REASONS = ("empty input", "no article in page")


@dataclass
class Summary:
    rows: Counter = field(default_factory=Counter)   # (status, short reason) -> rows written now
    already_stored: int = 0
    documents: int = 0
    read_failed: int = 0
    files: int = 0
    missing: list[str] = field(default_factory=list)
    words: int = 0                                   # words of the clean texts the coder read
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
            yield f"{path}#{n}", Article.unread(path.name, skip or reason, Status.SKIPPED if skip else Status.FAILED)
        except Exception as err:       # one unreadable file must not stop a corpus
            log.exception("reading %s failed", path)
            yield f"{path}#{n}", Article.unread(path.name, f"read error after {n} records: {type(err).__name__}: {err}")
        else:
            if n == 0:                 # blank JSONL, a WARC without HTML pages: still one row
                yield f"{path}#0", Article.unread(path.name, "empty: no articles in file", Status.SKIPPED)


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
        if not records:
            return []
        return self.pool.submit(code_batch, records) if self.pool else code_batch(records)

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
                out += self.pool.submit(code_batch, [rec]).result()
            except BrokenProcessPool:
                rec.article.status, rec.article.reason = Status.FAILED, "coding crashed its process"
                rec.article.text, rec.mentions = "", []
                out.append(rec)
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
    batcher = Batcher(writer)
    coder = Coder(workers)
    pending: deque[tuple[Future | list, list[Record]]] = deque()
    batches = 0

    def flush(meter: Meter) -> None:
        nonlocal batches
        records = coder.result(*pending.popleft())
        writer.write_batch(records, merge=False)
        batches += 1
        if batches % max(1, merge_every) == 0:
            writer.merge_pending()
        batcher.committed(records)
        summary.rows.update(record_label(rec) for rec in records)
        summary.words += sum(len(rec.article.text.split()) for rec in records)
        meter.update(written=len(records))
        log.info("committed batch %d: %d rows", batches, len(records))

    try:
        with Meter(enabled=progress) as meter:
            while chunk := list(islice(docs, batch_size)):
                summary.documents += len(chunk)
                summary.read_failed += sum(art.status is Status.FAILED for _, art in chunk)
                records, known = batcher.decide(chunk)
                summary.already_stored += known
                meter.update(known=known)
                pending.append((coder.submit(records), records))
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
