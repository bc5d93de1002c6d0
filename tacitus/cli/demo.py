"""`tacitus demo`: the main job on the bundled examples, end to end.

Codes every example article (text, JSONL, HTML) into the embedded DuckDB, prints
what came out (statuses, events by type, the busiest dyads, the date conflicts it
caught), then serves the dashboard on that database unless --no-serve.
"""
from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(db: Path = typer.Option(Path("tacitus.duckdb"), help="The DuckDB file to build."),
             examples: Path = typer.Option(EXAMPLES, help="Folder of example articles."),
             serve: bool = typer.Option(True, help="Serve the dashboard afterwards."),
             port: int = typer.Option(8000), workers: int = typer.Option(2)):
        """Code the example articles into DuckDB, print a summary, serve the dashboard."""
        import duckdb

        from ..ingest import ingest
        from ..store.queries import stats

        if not examples.is_dir():
            raise typer.BadParameter(f"{examples} is not a folder of articles")
        console = Console()
        summary = ingest([examples], db=db, workers=workers, progress=True)
        con = duckdb.connect(str(db), read_only=True)
        try:
            figures = stats(con)
            dyads = con.execute(
                "SELECT a.country, r.country, count(DISTINCT e.id) AS n FROM events e "
                "JOIN event_actors a ON a.event_id = e.id AND a.role = 'actor' "
                "JOIN event_actors r ON r.event_id = e.id AND r.role = 'recipient' "
                "WHERE a.country IS NOT NULL AND r.country IS NOT NULL AND a.country <> r.country "
                "GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT 8").fetchall()
            conflicts = con.execute("SELECT coalesce(doc_id, id), published, content_date FROM articles WHERE date_conflict "
                                    "ORDER BY 1").fetchall()
        finally:
            con.close()
        console.print(f"[bold]{db}[/]: {figures['articles']} articles "
                      f"({', '.join(f'{k} {v}' for k, v in figures['by_status'].items())}), "
                      f"{figures['events']} events from {figures['mentions']} mentions, "
                      f"{figures['first_date']} to {figures['last_date']}, in {summary.elapsed:.1f} s")
        for reason, count in figures["skip_reasons"].items():
            console.print(f"  not coded: {count} x {reason}")
        by_type = Table(title="events by PLOVER type")
        by_type.add_column("type")
        by_type.add_column("events", justify="right")
        for kind, count in figures["by_type"].items():
            by_type.add_row(kind, str(count))
        console.print(by_type)
        if dyads:
            table = Table(title="busiest dyads (actor -> recipient)")
            for column in ("actor", "recipient", "events"):
                table.add_column(column)
            for a, r, n in dyads:
                table.add_row(a, r, str(n))
            console.print(table)
        for article_id, published, content_date in conflicts:
            console.print(f"  date conflict: {article_id} says {published}, reads as written {content_date}")
        if serve:
            from .serve import serve_command

            serve_command(db=str(db), host="127.0.0.1", port=port, read_only=False, get=None, cors_origin=None,
                          max_body=4 * 1024 * 1024, cache_entries=2048, access_log=False)
