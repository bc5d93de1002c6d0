"""The events stage: political acts found in each sentence and coded in PLOVER.

`find_events` is the stage; its helpers live beside it: `coder` (the stage itself),
`arguments` and `targets` (actor and recipient heads), `clauses` (flags and confidence),
`demands` ("X said Y must ...").
"""
from __future__ import annotations

from .coder import find_events

__all__ = ["find_events"]
