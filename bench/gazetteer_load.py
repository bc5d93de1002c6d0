"""Cold and warm load time and peak memory of the gazetteer index.

    .venv/bin/python bench/gazetteer_load.py [--min-population 5000 15000 ...]

Each measurement runs in a fresh interpreter with its own temporary cache dir
(XDG_CACHE_HOME), so the user's cache is never touched: "cold" builds the index from
the packaged data and writes the pickle, "warm" reads that pickle back. Memory is the
process's peak RSS, and how much loading the index added to it.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(min_population: int) -> None:
    """Load the index once and print what it cost, as JSON."""
    from tacitus import gazetteer       # imported before the baseline: the packages are not the index

    gazetteer.MIN_CITY_POPULATION = min_population
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    index = gazetteer.load_index()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    names = ["Paris", "Moscow", "Georgia", "Kharkiv", "Donetsk region", "Nowhereville"] * 2000
    started = time.perf_counter()
    for name in names:
        gazetteer.resolve(name, ["USA"])
    per_lookup = (time.perf_counter() - started) / len(names)
    cache = gazetteer._cache_path(min_population)
    print(json.dumps({"seconds": seconds, "peak_mb": after / 1024, "added_mb": (after - before) / 1024,
                      "records": len(index.records), "names": len(index.names), "lookup_us": per_lookup * 1e6,
                      "cache_mb": cache.stat().st_size / 2**20 if cache.exists() else None}))


def measure(min_population: int, cache_home: str) -> dict:
    env = dict(os.environ, XDG_CACHE_HOME=cache_home, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, __file__, "--child", str(min_population)], env=env,
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-population", type=int, nargs="+", default=[5000])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child)
        return
    print(f"{'cities':>8} {'run':>5} {'load s':>7} {'peak MB':>8} {'added MB':>9} {'records':>8} "
          f"{'names':>8} {'cache MB':>9} {'lookup us':>10}")
    for pop in args.min_population:
        with tempfile.TemporaryDirectory() as cache_home:
            for run in ("cold", "warm"):
                r = measure(pop, cache_home)
                cache = "-" if r["cache_mb"] is None else f"{r['cache_mb']:.1f}"
                print(f"{pop:>8} {run:>5} {r['seconds']:>7.2f} {r['peak_mb']:>8.0f} {r['added_mb']:>9.0f} "
                      f"{r['records']:>8} {r['names']:>8} {cache:>9} {r['lookup_us']:>10.1f}")


if __name__ == "__main__":
    main()
