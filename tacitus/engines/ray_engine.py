"""The Ray engine: `tacitus ingest PATH... --engine ray --out DIR`, with the local engine's results.

Ray Data runs the local engine's steps, each a pure function of its input, so a task Ray
retries after a worker died redoes the same work and writes the same files (tacitus/engines/rundir.py):

1. list   the driver expands files, directories and globs in the local engine's order; object-store
          URIs (s3://, gs://, ...) are listed through pyarrow filesystems
2. read   one task per file; each document keyed as the local engine keys it:
          id = hash(input locator, content hash), locator = path or URI '#' ordinal
3. dedupe group by content hash: the first document in input order is the original and later
          copies are "duplicate of" it, the decision the local engine makes reading in that order
4. code   a pool of actors (`map_batches` with a class), each loading the models once, runs
          `tacitus.batch.code_batch` and writes its batch's article rows and mentions
5. merge  a second distributed step: one light pass finds each merge key's date windows (gaps no
          cluster can bridge), then `merge_group` runs per (merge key, window) group
"""
from __future__ import annotations

import os
import pickle
import re
import tempfile
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath
from typing import Any, Iterable, Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.fs as pafs

from ..batch import code_batch
from ..ingest import SUFFIXES, Summary, expand, read_documents
from ..model import Status
from ..merge import MergeRules, short_hash
from ..readers import content_hash, parse_date
from ..store.writer import Record, article_row
from . import rundir

DOC_SCHEMA = pa.schema([
    ("id", pa.string()), ("input", pa.string()), ("file_index", pa.int64()), ("ordinal", pa.int64()),
    ("content_hash", pa.string()), ("dedupe_key", pa.string()), ("duplicate_of", pa.string()),
    ("read_failed", pa.bool_()), ("article", pa.binary())])    # the reader's Article, pickled as for local workers
MERGE_SCHEMA = pa.schema([
    ("id", pa.string()), ("article_id", pa.string()), ("merge_key", pa.string()), ("raw", pa.string()),
    ("source", pa.string()), ("agency", pa.string()), ("fingerprint", pa.list_(pa.int64()))])


@dataclass
class RaySummary(Summary):
    """The local engine's summary, plus the merged events the run wrote."""
    events: int = 0


# ---- 1. list ------------------------------------------------------------------------------

def list_inputs(paths: Iterable[str | Path]) -> tuple[list[str], list[str]]:
    """Files (local paths or URIs) in the local engine's order, and the arguments that matched nothing."""
    files: list[str] = []
    missing: list[str] = []
    seen: set[str] = set()
    for arg in map(str, paths):
        found = _list_uri(arg) if "://" in arg else [str(p) for p in expand([arg])[0]]
        if not found:
            missing.append(arg)
        new = [f for f in found if f not in seen]      # a file named twice is read once, where first named
        seen.update(new)
        files += new
    return files, missing


def _list_uri(uri: str) -> list[str]:
    fs, path = pafs.FileSystem.from_uri(uri)
    # pyarrow drops the scheme (and host, for hdfs://host/) from the path: keep what came before it
    prefix = uri[:uri.rfind(path)] if path in uri else uri[:uri.index("://") + 3]
    magic = re.search(r"[*?[]", path)
    if magic:
        base = path[:magic.start()].rsplit("/", 1)[0]
        infos = fs.get_file_info(pafs.FileSelector(base, recursive=True, allow_not_found=True))
        found = [i.path for i in infos if i.type == pafs.FileType.File and fnmatch(i.path, path)]
    elif (info := fs.get_file_info(path)).type == pafs.FileType.File:
        found = [info.path]
    elif info.type == pafs.FileType.Directory:
        infos = fs.get_file_info(pafs.FileSelector(path, recursive=True))
        found = [i.path for i in infos if i.type == pafs.FileType.File and not i.base_name.startswith(".")
                 and i.base_name.lower().endswith(SUFFIXES)]
    else:
        found = []
    return [prefix + p for p in sorted(found)]


# ---- 2. read and 3. dedupe -----------------------------------------------------------------

@contextmanager
def _local_copy(file: str) -> Iterator[Path]:
    """A local path to read: the file itself, or a temporary copy of an object-store file."""
    if "://" not in file:
        yield Path(file)
        return
    fs, path = pafs.FileSystem.from_uri(file)
    with tempfile.TemporaryDirectory(prefix="tacitus-") as tmp:
        local = Path(tmp) / PurePosixPath(path).name      # the name carries the kind (.warc.gz, .jsonl)
        pafs.copy_files(path, str(local), source_filesystem=fs, destination_filesystem=pafs.LocalFileSystem())
        yield local


def read_files(batch: pa.Table, published: Any = None) -> pa.Table:
    """Documents of the files in a batch, keyed as the local engine keys them."""
    rows = []
    for item in batch.to_pylist():
        file = item["file"]
        with _local_copy(file) as local:
            for ordinal, (locator, art) in enumerate(read_documents([local], published)):
                if str(local) != file:        # name the URI, not the temporary copy
                    locator = locator.replace(str(local), file)
                    art.reason = art.reason.replace(str(local), file) if art.reason else art.reason
                ch = content_hash(art.text) if art.text else None
                rid = short_hash(locator, ch)
                rows.append({"id": rid, "input": locator, "file_index": item["file_index"], "ordinal": ordinal,
                             "content_hash": ch, "dedupe_key": ch or rid, "duplicate_of": None,
                             "read_failed": art.status is Status.FAILED,
                             "article": pickle.dumps(art, protocol=pickle.HIGHEST_PROTOCOL)})
    return pa.Table.from_pylist(rows, schema=DOC_SCHEMA)


def mark_duplicates(group: pa.Table) -> pa.Table:
    """One content hash's documents: all but the first in input order point at it."""
    rows = sorted(group.to_pylist(), key=lambda r: (r["file_index"], r["ordinal"]))
    hashed = [r for r in rows if r["content_hash"]]
    for r in hashed[1:]:
        r["duplicate_of"] = hashed[0]["id"]
    return pa.Table.from_pylist(rows, schema=DOC_SCHEMA)


# ---- 4. code ----------------------------------------------------------------------------------

class CodeBatch:
    """A coding actor: loads the models once, then codes and writes one batch per call."""

    def __init__(self, out: str, ingested_at: datetime) -> None:
        from ..nlp import load_nlp

        load_nlp()
        self.fs, self.root = rundir.resolve(out)
        self.ingested_at = ingested_at      # one time for the run: a retried batch writes identical files

    def __call__(self, batch: pa.Table) -> pa.Table:
        # the local engine's decisions and coding (tacitus.batch), on the duplicates found in the shuffle
        records = code_batch([Record(row["id"], row["input"], pickle.loads(row["article"]), row["content_hash"],
                                     duplicate_of=row["duplicate_of"]) for row in batch.to_pylist()])
        articles, mentions, merge = [], [], []
        for rec in records:
            rows = rec.mention_rows()
            articles.append(article_row(rec, len(rows), self.ingested_at))
            for m in rows:
                mentions.append({**m, "month": rundir.month_of(m["date"], m["date_precision"])})
                merge.append({"id": m["id"], "article_id": rec.id, "merge_key": m["merge_key"], "raw": m["raw"],
                              "source": rec.article.source, "agency": rec.article.agency,
                              "fingerprint": list(rec.article.fingerprint)})
        name = rundir.part_name(r.id for r in records)
        rundir.write_part(self.fs, self.root, "articles", name, articles)
        rundir.write_by_month(self.fs, self.root, "mentions", name, mentions)
        return pa.Table.from_pylist(merge, schema=MERGE_SCHEMA)


# ---- 5. merge ---------------------------------------------------------------------------------

def merge(coded: Any, out: str, rules: MergeRules, partitions: int) -> int:
    """Merge every coded mention; returns the merged events written."""
    if coded.count() == 0:
        return 0
    rules_kw = {"rules": rules}
    spans = coded.map_batches(rundir.spans_table, batch_format="pyarrow", fn_kwargs=rules_kw)
    found = spans.groupby("merge_key", num_partitions=partitions).map_groups(
        rundir.starts_table, batch_format="pyarrow", fn_kwargs=rules_kw).take_all()
    # One row per window, not per report: small enough for the driver to hand to every task.
    starts = {r["merge_key"]: list(r["starts"]) for r in found}
    written = (coded.map_batches(rundir.assign_windows, batch_format="pyarrow",
                                 fn_kwargs={"starts": starts, **rules_kw})
               .groupby("group", num_partitions=partitions)
               .map_groups(rundir.merge_table, batch_format="pyarrow", fn_kwargs=rules_kw)
               .map_batches(rundir.write_events_table, batch_size=1024, batch_format="pyarrow",
                            fn_kwargs={"out": out}))
    return _total(written, "events")


def _total(data: Any, column: str) -> int:
    # Summed on the driver: Dataset.sum would add a shuffle stage for a handful of numbers.
    return sum(int(pc.sum(b[column]).as_py() or 0)
               for b in data.select_columns([column]).iter_batches(batch_format="pyarrow"))


# ---- the driver -------------------------------------------------------------------------------

def connect(address: str | None) -> bool:
    """Join or start a Ray cluster; True when this call started it (and should shut it down)."""
    import ray

    if ray.is_initialized():
        return False
    address = address or os.environ.get("RAY_ADDRESS") or "local"
    # the coder's settings (TACITUS_MIN_CONFIDENCE, TACITUS_VERIFIER, ...) reach every worker
    settings = {k: v for k, v in os.environ.items() if k.startswith("TACITUS_")}
    runtime_env = {"env_vars": settings} if settings else None
    if address == "local":      # a private cluster on this machine, reachable only on loopback
        ray.init(address="local", num_cpus=os.cpu_count(), include_dashboard=False,
                 _node_ip_address="127.0.0.1", runtime_env=runtime_env)
    else:
        ray.init(address=address, runtime_env=runtime_env)
    return True


def ingest_ray(paths: Iterable[str | Path], out: str | Path, *, address: str | None = None,
               workers: int | None = None, published: Any = None, batch_size: int = 64, progress: bool = True,
               rules: MergeRules = MergeRules(), partitions: int | None = None) -> RaySummary:
    """Read, code and merge every document under `paths` on Ray into the run directory `out`."""
    import ray
    import ray.data

    started, stamp = time.perf_counter(), datetime.now(timezone.utc).replace(tzinfo=None)
    paths = [str(p) for p in paths]
    summary = RaySummary()
    published = parse_date(published)
    files, summary.missing = list_inputs(paths)
    summary.files = len(files)
    if not files:
        return summary
    out = str(out) if "://" in str(out) else str(Path(out).resolve())
    fs, root = rundir.resolve(out)
    rundir.clear(fs, root)
    owner = connect(address)
    try:
        ray.data.DataContext.get_current().enable_progress_bars = progress
        cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
        workers = max(1, min(workers or cpus, cpus))        # more actors than CPUs would wait forever
        partitions = partitions or min(200, 2 * cpus)
        items = [{"file": f, "file_index": i} for i, f in enumerate(files)]
        # Materialised before coding: the shuffle is a barrier anyway, and the actors then have the CPUs.
        docs = (ray.data.from_items(items, override_num_blocks=min(len(items), 1000))
                .map_batches(read_files, batch_size=1, batch_format="pyarrow", fn_kwargs={"published": published})
                .groupby("dedupe_key", num_partitions=partitions)
                .map_groups(mark_duplicates, batch_format="pyarrow")
                .materialize())
        summary.documents, summary.read_failed = docs.count(), _total(docs, "read_failed")
        coded = docs.map_batches(CodeBatch, batch_size=max(1, batch_size), batch_format="pyarrow",
                                 compute=ray.data.ActorPoolStrategy(size=workers), num_cpus=1,
                                 fn_constructor_kwargs={"out": out, "ingested_at": stamp}).materialize()
        summary.events = merge(coded, out, rules, partitions)
        summary.rows = rundir.status_counts(fs, root, summary.documents)
    finally:
        if owner:
            ray.shutdown()
    summary.elapsed = time.perf_counter() - started
    rundir.write_manifest(fs, root, {
        "engine": "ray", "inputs": paths, "files": summary.files, "documents": summary.documents,
        "events": summary.events, "rules": asdict(rules), "started": stamp.isoformat(), "seconds": summary.elapsed,
        "rows": [[s, r, n] for (s, r), n in sorted(summary.rows.items())]})
    return summary
