"""The `tacitus` command: a thin layer over the Python API.

    tacitus code PATH [--published YYYY-MM-DD] [--format json|jsonl|table]
    tacitus evaluate GOLD.jsonl
    tacitus ingest / events / dyad / export / serve / demo
"""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Tacitus: political event data coded in PLOVER (who did what to whom, when and where).")
from .common import MIN_CONFIDENCE_HELP, err, fail, set_min_confidence


class Format(str, Enum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


@app.command()
def code(path: str = typer.Argument(..., help="A text, HTML or JSONL file, or - for standard input."),
         published: Optional[str] = typer.Option(None, help="Publication date (YYYY-MM-DD) of a single article."),
         format: Optional[Format] = typer.Option(None, "--format", "-f",
                                                 help="json (one article), jsonl (JSONL input) or table."),
         input_format: Optional[str] = typer.Option(None, "--input", help="Force the input kind: text, html, jsonl."),
         min_confidence: Optional[float] = typer.Option(None, "--min-confidence", min=0, max=1,
                                                        help=MIN_CONFIDENCE_HELP)):
    """Code the articles in PATH and print their events."""
    set_min_confidence(min_confidence)
    from ..pipeline import run
    from .output import as_jsonl_line, render_table
    from ..readers import InputError, kind_of, parse_date, read_path

    try:
        stated = parse_date(published)
        if input_format not in (None, "text", "html", "jsonl"):
            fail(f"--input must be text, html or jsonl, not {input_format!r}")
        kind = input_format or ("text" if path == "-" else kind_of(Path(path)))
        if kind == "warc":
            fail("WARC files hold many pages: use `tacitus ingest` for them")
        fmt = format or (Format.jsonl if kind == "jsonl" else Format.json)
        articles = run(read_path(path, published=stated, kind=kind))
        if kind == "jsonl" or fmt is Format.jsonl:
            _emit_many(articles, fmt, render_table, as_jsonl_line)
            return
        article = next(articles, None)
    except InputError as error:
        fail(str(error))
    if article is None:
        fail(f"{path}: no article found")
    if fmt is Format.table:
        render_table(article, _console())
    else:
        print(json.dumps(article.to_dict(), ensure_ascii=False, indent=2))
    if article.status.value != "coded":
        fail(f"{path}: {article.status.value}: {article.reason}", code=1)


def _console() -> Console:
    # piped tables are read in logs and files: give them room instead of Rich's 80-column default
    return Console() if sys.stdout.isatty() else Console(width=160)


def _emit_many(articles, fmt: Format, render_table, as_jsonl_line) -> None:
    console = _console()
    counts: dict[str, int] = {}
    for article in articles:
        counts[article.status.value] = counts.get(article.status.value, 0) + 1
        if fmt is Format.table:
            render_table(article, console)
        else:               # json and jsonl alike: one object a line, with the input's id
            print(as_jsonl_line(article), flush=False)
    sys.stdout.flush()
    if counts and set(counts) - {"coded"}:
        err.print(" ".join(f"{k}: {v}" for k, v in sorted(counts.items())), highlight=False)


def _register_optional() -> None:
    """Commands that live in their own modules (one per command group); each adds itself to `app`."""
    import importlib

    for module in ("store_commands", "evaluate", "serve", "demo"):
        importlib.import_module(f"tacitus.cli.{module}").register(app)


_register_optional()

if __name__ == "__main__":
    app()
