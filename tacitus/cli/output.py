"""Output: the JSON contract of `tacitus code` and a readable Rich table."""
from __future__ import annotations

import json

from ..model import Article, actor_list

SIDE = {"brackets": "[]", "empty": "-"}


def as_jsonl_line(article: Article) -> str:
    return json.dumps({"id": article.id, **article.to_dict()}, ensure_ascii=False)


def render_table(article: Article, console) -> None:
    from rich.table import Table

    doc = article.document_dict()
    flag = " [bold red]date conflict[/]" if doc["date_conflict"] else ""
    console.print(f"[bold]{article.id}[/]  published {doc['published'] or '?'}  written {doc['content_date'] or '?'}"
                  f"{flag}  status {doc['status']}{'  (' + doc['reason'] + ')' if doc['reason'] else ''}")
    for line in article.date_evidence:
        console.print(f"  [dim]{line}[/]")
    table = Table(show_lines=False, expand=True)
    for column, style in (("#", "dim"), ("type", "bold"), ("mode", ""), ("actor", "green"), ("recipient", "magenta"),
                          ("date", ""), ("place", ""), ("conf", ""), ("evidence", "dim")):
        table.add_column(column, style=style, overflow="fold")
    for ev in article.events:
        ev_dict = ev.to_dict()
        place = ev_dict["location"]["name"] if ev_dict["location"] else "-"
        sentence = ev.evidence.sentence
        snippet = sentence if len(sentence) < 110 else sentence[:107] + "..."
        table.add_row(str(ev.evidence.sentence_index), ev.type, ev.mode or "-", actor_list(ev.actor, **SIDE), actor_list(ev.recipient, **SIDE),
                      f"{ev.date or '-'} ({ev.date_precision or '-'})", place, f"{ev.confidence:.2f}",
                      _highlight(snippet, ev.evidence.trigger))
    console.print(table)


def _highlight(text: str, trigger: str) -> str:
    from rich.markup import escape

    before, found, after = text.partition(trigger)
    return escape(text) if not found else f"{escape(before)}[bold]{escape(found)}[/]{escape(after)}"
