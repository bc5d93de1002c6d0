"""The actors stage: actor and recipient heads resolved to country, sector, name and kb_id.

`resolve_actors` is the stage (`resolve`); `lookup` holds the entity and knowledge-base look-ups
it shares with the mentions, time and place stages.
"""
from __future__ import annotations

from .resolve import resolve_actors

__all__ = ["resolve_actors"]
