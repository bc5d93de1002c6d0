"""What every command shares: the stderr console and the one-line failure."""
from __future__ import annotations

import os

import typer
from rich.console import Console

err = Console(stderr=True)


def fail(message: str, code: int = 2) -> None:
    """Print one line on stderr and exit non-zero."""
    err.print(f"[red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


MIN_CONFIDENCE_HELP = ("Drop coded events below this confidence (the calibrated probability that an event is real "
                       "and rightly typed; default 0.5, or TACITUS_MIN_CONFIDENCE).")


def set_min_confidence(value: float | None) -> None:
    """The coder's confidence floor for this run and every worker it starts (they inherit the environment)."""
    if value is not None:
        os.environ["TACITUS_MIN_CONFIDENCE"] = repr(float(value))
