"""The time stage: the document's date, then each event's date from its governing expression.

`resolve_time` is the stage (`resolve`); `docdate` dates the document and resolves expressions.
"""
from __future__ import annotations

from .resolve import resolve_time

__all__ = ["resolve_time"]
