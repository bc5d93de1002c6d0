"""Evaluation built in: score the coder on gold sentences coded in PLOVER.

Reads three formats, one record a line:
  PLOVER GSR records (`event_current`, `source`/`target` lists with country codes);
  PLV pairs (`event`, `source_text`, `target_text`; YIELD means CONCEDE or RETREAT);
  the team's test set (`events`: [{type, actor, recipient}], actors as ISO codes).
and prints what ../shared/tools/score_sentences.py prints (top-1, micro/macro type
F1, actor, recipient, triple) plus per-category precision/recall/F1 and the confusion
of the top-1 type against the first gold type.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .ontology import CATEGORIES
from .vocabulary import RECIPROCAL

FIX = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}
STOP = {"the", "a", "an", "of", "and", "in", "on", "to", "for", "its", "his", "her", "their", "s", "'s"}
NONE = "NONE"


@dataclass
class GoldSentence:
    id: str
    text: str
    published: str | None = None
    gold: list[dict] = field(default_factory=list)   # {types, source, target, by_text}


def _codes(side) -> set[str]:
    out = set()
    for a in side or []:
        if isinstance(a, str):
            out.add(FIX.get(a.upper(), a.upper()))
        elif isinstance(a, dict):
            c = str(a.get("code") or a.get("country") or "").upper()
            if c:
                out.add(FIX.get(c, c))
            if str(a.get("sector") or "").upper() == "IGO":
                out.add("IGO")
    return out


def _words(text: str | None) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", (text or "").casefold()) if w not in STOP}


def load_gold(path: str | Path) -> list[GoldSentence]:
    by_text: dict[str, GoldSentence] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            r = json.loads(line)
            s = by_text.setdefault(r["text"], GoldSentence(r["id"], r["text"], r.get("published")))
            if "event_current" in r:
                s.gold.append(dict(types={r["event_current"]}, source=_codes(r["source"]),
                                   target=_codes(r["target"]), by_text=False))
            elif "events" in r:       # the team's format; an empty list means "no event"
                for ev in r["events"]:
                    s.gold.append(dict(types={ev["type"]}, source=_codes([ev.get("actor")] if ev.get("actor") else []),
                                       target=_codes([ev.get("recipient")] if ev.get("recipient") else []),
                                       by_text=False))
            else:
                types = {"CONCEDE", "RETREAT"} if r["event"] == "YIELD" else {r["event"]}
                s.gold.append(dict(types=types, source=_words(r["source_text"]), target=_words(r["target_text"]),
                                   by_text=True))
    return list(by_text.values())


def _side_codes(side) -> set[str]:
    return _codes(side)


def _side_words(side) -> set[str]:
    out: set[str] = set()
    for a in side or []:
        out |= _words(a.get("text") or a.get("name"))
    return out


def score(sentences: list[GoldSentence], outputs: dict[str, list[dict]]) -> dict:
    """Figures comparable with score_sentences.py; `outputs` maps sentence id -> events (dicts)."""
    n = top1 = tp = fp = fn = 0
    per_cat: dict[str, Counter] = defaultdict(Counter)
    confusion: dict[str, Counter] = defaultdict(Counter)
    args: Counter = Counter()      # actor, actor_total, recipient, recipient_total, triple, triple_total
    no_event_ok = no_event_total = 0
    for s in sentences:
        events = outputs.get(s.id, [])
        gold_types = set().union(*(g["types"] for g in s.gold)) if s.gold else set()
        predicted = {e["type"] for e in events}
        best = max(events, key=lambda e: e.get("confidence", 0), default=None)
        if not s.gold:
            no_event_total += 1
            no_event_ok += not events
            fp += len(predicted)
            for t in predicted:
                per_cat[t]["fp"] += 1
            confusion[NONE][best["type"] if best else NONE] += 1
            continue
        n += 1
        top1 += bool(best and best["type"] in gold_types)
        first = sorted(s.gold[0]["types"])[0]
        confusion[first][best["type"] if best else NONE] += 1
        for t in predicted | gold_types:
            hit, want = t in predicted, t in gold_types
            tp, fp, fn = tp + (hit and want), fp + (hit and not want), fn + (want and not hit)
            per_cat[t]["tp" if hit and want else "fp" if hit else "fn"] += 1
        for g in s.gold:
            args.update(_argument_hits(g, events))
    curve = _confidence_curve(sentences, outputs)
    macro = _category_f1(per_cat)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return dict(sentences=n, top1=top1 / n if n else 0.0, precision=precision, recall=recall,
                f1=2 * precision * recall / (precision + recall) if precision + recall else 0.0,
                macro_f1=sum(macro) / len(macro) if macro else 0.0,
                **{k: args[k] / args[f"{k}_total"] if args[f"{k}_total"] else 0.0
                   for k in ("actor", "recipient", "triple")},
                no_event_accuracy=no_event_ok / no_event_total if no_event_total else None,
                per_category={k: dict(v) for k, v in per_cat.items()}, confidence_curve=curve,
                confusion={k: dict(v) for k, v in confusion.items()})


def _argument_hits(g: dict, events: list[dict]) -> Counter:
    """One gold event's argument tallies: a matching type, then actor, recipient and both right."""
    out: Counter = Counter()
    matches = [e for e in events if e["type"] in g["types"]]
    if not matches:
        return out
    out["triple_total"] += 1
    actor_ok = recip_ok = False
    for e in matches:
        pick = _side_words if g["by_text"] else _side_codes
        got_a, got_r = pick(e.get("actor")), pick(e.get("recipient"))
        if e["type"] in RECIPROCAL:
            got_r |= got_a
        a_ok = bool(g["source"] & got_a) if g["source"] else True
        r_ok = bool(g["target"] & got_r) if g["target"] else True
        actor_ok |= a_ok
        recip_ok |= r_ok
        if a_ok and r_ok:
            out["triple"] += 1
            break
    if g["source"]:
        out["actor_total"] += 1
        out["actor"] += actor_ok
    if g["target"]:
        out["recipient_total"] += 1
        out["recipient"] += recip_ok
    return out


def _category_f1(per_cat: dict[str, Counter]) -> list[float]:
    """Fill each category's p, r and f1; the F1s of the categories the gold has (for the macro F1)."""
    macro = []
    for cat in CATEGORIES:
        c = per_cat[cat]
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        c["p"], c["r"] = p, r
        c["f1"] = 2 * p * r / (p + r) if p + r else 0.0
        if c["tp"] + c["fn"]:
            macro.append(c["f1"])
    return macro


CURVE_THRESHOLDS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9)


def _confidence_curve(sentences: list[GoldSentence], outputs: dict[str, list[dict]]) -> list[dict]:
    """Precision of event types among events kept at each confidence threshold (sentences with gold)."""
    rows = []
    for threshold in CURVE_THRESHOLDS:
        kept = right = 0
        for s in sentences:
            if not s.gold:
                continue
            gold_types = set().union(*(g["types"] for g in s.gold))
            for e in outputs.get(s.id, []):
                if e.get("confidence", 0) >= threshold:
                    kept += 1
                    right += e["type"] in gold_types
        rows.append({"threshold": threshold, "events": kept, "precision": right / kept if kept else None})
    return rows


def run_coder(sentences: list[GoldSentence]) -> dict[str, list[dict]]:
    from . import code_many

    records = ({"id": s.id, "text": s.text, "published": s.published} for s in sentences)
    return {a.id: [e.to_dict() for e in a.events] for a in code_many(records)}


def evaluate(path: str | Path) -> dict:
    sentences = load_gold(path)
    return score(sentences, run_coder(sentences))
