"""HTTP API and web dashboard over the event database (`tacitus serve`)."""
from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
