"""Ingest engines: where the pipeline runs.

local  tacitus.ingest: one machine, coding processes, DuckDB written batch by batch (the default)
ray    tacitus.engines.ray_engine: a Ray cluster, Parquet out (tacitus.engines.rundir), loaded into
       DuckDB with `tacitus import DIR`; needs the `ray` extra (`pip install tacitus[ray]`)

Both give the same articles, mentions and merged events for the same inputs.
"""
from __future__ import annotations

ENGINES = ("local", "ray")
