"""`tacitus evaluate GOLD.jsonl`: per-category scores, confusion matrix and the scorer's figures."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table


def register(app: typer.Typer) -> None:
    @app.command()
    def evaluate(gold: Path = typer.Argument(..., exists=True, dir_okay=False, help="GSR, PLV or team-format JSONL."),
                 json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the figures as JSON."),
                 confusion: bool = typer.Option(True, help="Print the confusion matrix.")):
        """Score the coder on gold sentences (both ../shared/gold formats and the team's test set)."""
        from ..evaluate import evaluate as run_evaluation

        console = Console()
        result = run_evaluation(gold)
        console.print(f"[bold]{gold}[/]: {result['sentences']} sentences with events")
        console.print(f"top1 {result['top1']:.3f}  types P {result['precision']:.3f} R {result['recall']:.3f} "
                      f"F1 {result['f1']:.3f} macroF1 {result['macro_f1']:.3f}  actor {result['actor']:.3f}  "
                      f"recip {result['recipient']:.3f}  triple {result['triple']:.3f}"
                      + (f"  no-event accuracy {result['no_event_accuracy']:.3f}"
                         if result["no_event_accuracy"] is not None else ""))
        table = Table(title="per category")
        for column in ("category", "tp", "fp", "fn", "precision", "recall", "F1"):
            table.add_column(column, justify="right" if column != "category" else "left")
        for cat, c in sorted(result["per_category"].items()):
            table.add_row(cat, str(c.get("tp", 0)), str(c.get("fp", 0)), str(c.get("fn", 0)),
                          f"{c.get('p', 0):.2f}", f"{c.get('r', 0):.2f}", f"{c.get('f1', 0):.2f}")
        console.print(table)
        curve = Table(title="confidence curve: type precision of the events kept")
        for column in ("confidence >=", "events", "precision"):
            curve.add_column(column, justify="right")
        for row in result["confidence_curve"]:
            curve.add_row(f"{row['threshold']:.1f}", str(row["events"]),
                          "-" if row["precision"] is None else f"{row['precision']:.3f}")
        console.print(curve)
        if confusion:
            _print_confusion(console, result["confusion"])
        if json_out:
            json_out.write_text(json.dumps(result, indent=2))


def _print_confusion(console: Console, confusion: dict) -> None:
    cats = sorted(set(confusion) | {p for row in confusion.values() for p in row})
    short = {c: c[:4] for c in cats}
    table = Table(title="confusion: gold (rows) x top-1 predicted (columns)")
    table.add_column("gold")
    for c in cats:
        table.add_column(short[c], justify="right")
    for gold_cat in cats:
        row = confusion.get(gold_cat, {})
        if row:
            table.add_row(gold_cat, *[str(row.get(c, "")) for c in cats])
    console.print(table)
