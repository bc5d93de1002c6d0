"""The server's hold on the database: many readers, one writer (as datasette does).

DuckDB allows one writing process; within it, connections to the same file share one
database instance and see each other's commits. So the server opens the file once:
- writes run on a single dedicated thread that owns the `Writer` (the store's one
  read-write connection), one job at a time, in order;
- every request reads through a cursor of its own (a cursor is a connection of its own,
  made in microseconds; one connection must never run two queries at once, and FastAPI
  may run a request's dependencies and its handler on different threads).
A read-only server opens the file read-only and has no writer at all.

Read results are cached, keyed by the data function, its parameters and the database's
generation, which the writer bumps after every commit. That is exact, not approximate: a
read-only open keeps every writing process out (DuckDB's file lock), and in a read-write
server every write goes through `write`. DuckDB spends milliseconds planning even a small
query, so repeated views (the dashboard's pages, a client polling a filter) come from memory.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Hashable, TypeVar

import duckdb

from ..store.schema import connect
from ..store.writer import Writer

T = TypeVar("T")
CACHE_ENTRIES = 2048


class ReadOnlyError(RuntimeError):
    """A write was asked of a server started read-only."""


class ResultCache:
    """A bounded LRU of read results for one database generation; values are shared, never mutated."""

    def __init__(self, entries: int = CACHE_ENTRIES) -> None:
        self.entries = entries
        self.generation = 0
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[int, Hashable], Any] = OrderedDict()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        if self.entries <= 0:
            return compute()
        # The generation is read before computing: a result computed across a commit is filed
        # under the old generation, which no later lookup asks for.
        slot = (self.generation, key)
        with self._lock:
            if slot in self._items:
                self._items.move_to_end(slot)
                return self._items[slot]
        value = compute()
        with self._lock:
            self._items[slot] = value
            while len(self._items) > self.entries:
                self._items.popitem(last=False)
        return value

    def invalidate(self) -> None:
        with self._lock:
            self.generation += 1
            self._items.clear()


class Database:
    def __init__(self, path: str | Path, *, read_only: bool = False, cache_entries: int = CACHE_ENTRIES) -> None:
        self.path = str(path)
        self.read_only = read_only
        self.cache = ResultCache(cache_entries)
        self._cursor_lock = threading.Lock()
        # spaCy's pipeline is shared by the whole process: one coding job at a time.
        self.coder_lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._writer: Writer | None = None
        if read_only:
            if not Path(self.path).exists():
                raise FileNotFoundError(f"no database at {self.path}: run `tacitus ingest` first")
            self._root = connect(self.path, read_only=True)
        else:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tacitus-writer")
            try:
                self._writer = self._pool.submit(Writer, self.path).result()
                # reports a killed ingest stored but never merged get their events before anyone reads
                self._pool.submit(self._writer.merge_pending).result()
                # The readers' root is made on the writer thread: only that thread touches the writer's connection.
                self._root = self._pool.submit(self._writer.con.cursor).result()
            except BaseException:
                self._pool.shutdown(wait=False)      # e.g. another process holds the file: leave no thread behind
                raise

    def reader(self) -> duckdb.DuckDBPyConnection:
        """A new read connection for one request; the caller closes it."""
        with self._cursor_lock:
            return self._root.cursor()

    def write(self, job: Callable[[Writer], T]) -> T:
        """Run `job(writer)` on the writer thread and wait for its result (or its exception)."""
        if self._pool is None or self._writer is None:
            raise ReadOnlyError("this server was started read-only")
        writer = self._writer
        try:
            return self._pool.submit(job, writer).result()
        finally:
            self.cache.invalidate()       # after every job, failed ones too: cheap, and never wrong

    def close(self) -> None:
        if self._pool is not None and self._writer is not None:
            writer = self._writer
            self._pool.submit(self._root.close).result()
            self._pool.submit(writer.close).result()
            self._pool.shutdown(wait=True)
            self._pool, self._writer = None, None
        else:
            self._root.close()
