"""Ray scaling: articles/s of the Ray engine with 1 and 2 coding actors against the local engine.

    .venv/bin/python bench/ray_scaling.py [--n 600] [--small 60] [--shards 8]

The corpus is bench/throughput.py's (example paragraphs recombined and varied), split into
--shards JSONL files so reading is parallel too. Every configuration ingests a small corpus
(--small articles) and the whole one; a straight line through the two separates the fixed
cost (starting coding processes or actors and loading the models, Ray Data's shuffles and
task scheduling) from the cost per article, whose inverse is the rate once running. One
local Ray cluster (num_cpus = the machine's cores, loopback) serves all Ray runs; its start-up
is printed apart. docs/ray.md says what to expect from a larger cluster.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from throughput import build_corpus  # noqa: E402  (bench/ is not a package)


def write_shards(corpus: list[dict], directory: Path, shards: int) -> list[str]:
    directory.mkdir(parents=True)
    paths = []
    for s in range(shards):
        path = directory / f"shard-{s:03d}.jsonl"
        path.write_text("".join(json.dumps(d) + "\n" for d in corpus[s::shards]), encoding="utf-8")
        paths.append(str(path))
    return paths


def timed(run: Callable[[], int]) -> tuple[float, int]:
    started = time.perf_counter()
    rows = run()
    return time.perf_counter() - started, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=600, help="articles in the whole corpus")
    parser.add_argument("--small", type=int, default=60, help="articles in the small corpus (fixed-cost fit)")
    parser.add_argument("--shards", type=int, default=8, help="JSONL files the corpus is split into")
    args = parser.parse_args()

    import ray

    from tacitus.engines.ray_engine import ingest_ray
    from tacitus.ingest import ingest

    corpus = build_corpus(args.n)
    cpus = os.cpu_count() or 1
    print(f"corpus: {args.n} articles ({args.small} in the small one), {args.shards} JSONL shards; {cpus} CPUs; "
          f"learned backup {'off' if os.environ.get('TACITUS_CLASSIFIER') == '0' else 'on'}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        inputs = {k: write_shards(corpus[:k], work / f"in{k}", min(args.shards, k)) for k in (args.small, args.n)}

        def local(k: int, workers: int) -> int:
            summary = ingest(inputs[k], db=work / f"local{k}-{workers}.duckdb", workers=workers, progress=False)
            return sum(summary.rows.values())

        def on_ray(k: int, workers: int) -> int:
            summary = ingest_ray(inputs[k], work / f"ray{k}-{workers}", workers=workers, progress=False)
            return sum(summary.rows.values())

        results = {"local engine, 2 workers": [timed(lambda k=k: local(k, 2)) for k in (args.small, args.n)]}
        started = time.perf_counter()
        import ray.data  # noqa: F401

        ray.init(address="local", num_cpus=cpus, include_dashboard=False, _node_ip_address="127.0.0.1",
                 log_to_driver=False)
        ray.data.DataContext.get_current().enable_progress_bars = False
        print(f"ray.init (local cluster): {time.perf_counter() - started:.1f} s, not counted below")
        try:
            for workers in (1, 2):
                results[f"ray engine, {workers} actor{'s' * (workers > 1)}"] = [
                    timed(lambda k=k: on_ray(k, workers)) for k in (args.small, args.n)]
        finally:
            ray.shutdown()

    print(f"{'configuration':<26} {'whole':>8} {'articles/s':>11} {'fixed':>7} {'per-article rate':>17}")
    for name, ((t_small, n_small), (t_all, n_all)) in results.items():
        assert n_small == args.small and n_all == args.n, (name, n_small, n_all)
        per = (t_all - t_small) / max(1, args.n - args.small)
        fixed = t_all - per * args.n
        print(f"{name:<26} {t_all:7.1f}s {args.n / t_all:11.1f} {fixed:6.1f}s {1 / per:12.1f} art/s")


if __name__ == "__main__":
    main()
