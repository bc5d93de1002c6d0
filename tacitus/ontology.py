"""PLOVER as data: categories, modes, contexts, quad classes, scores and CAMEO codes.

Answers questions such as "what are the modes of SANCTION" and "what is the quad
class and score of this event". The tables are package data (tacitus/data/plover.yaml
and cameo2plover.txt, copied from the PLOVER project), loaded once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .vocabulary import QUAD_NUMBER
from .yamlfile import load_yaml



@dataclass(frozen=True, slots=True)
class CameoRow:
    code: str
    category: str
    mode: str | None
    context: str | None
    name: str


@dataclass(frozen=True, eq=False)     # one per process, hashed by identity (cameo_code's cache)
class Ontology:
    categories: dict[str, dict]
    quad_of: dict[str, int]
    contexts: tuple[str, ...]
    sectors: dict[str, str]
    cameo: dict[str, CameoRow]

    def modes(self, category: str) -> list[str]:
        return list((self.categories[category].get("modes") or {}).keys())

    def quad_class(self, category: str) -> int:
        return self.quad_of[category]

    def score(self, category: str, mode: str | None = None) -> float:
        spec = self.categories[category]
        mode_spec = (spec.get("modes") or {}).get(mode or "")
        return float(mode_spec["score"] if mode_spec else spec["score"])

    def cameo_code(self, category: str, mode: str | None = None, context: str | None = None) -> str:
        """The most specific CAMEO code the PLOVER coding maps back to.

        The PLOVER-to-CAMEO direction is many-to-one; we prefer a row with the same
        mode and context, then the same mode, then the category's root code.
        """
        return _cameo_code(self, category, mode, context)


@lru_cache(maxsize=4096)      # a few hundred (category, mode, context) triples occur
def _cameo_code(onto: Ontology, category: str, mode: str | None, context: str | None) -> str:
    rows = [r for r in onto.cameo.values() if r.category == category]
    for want in ((mode, context), (mode, None)):
        hits = [r for r in rows if mode and r.mode == want[0] and (want[1] is None or r.context == want[1])]
        if hits:
            return min(hits, key=lambda r: (len(r.code), r.code)).code
    root = re.split(r"[\s,(]+", str(onto.categories[category].get("cameo_root", "")).strip())[0]
    return root or (min(rows, key=lambda r: (len(r.code), r.code)).code if rows else "")


def _parse_cameo(text: str) -> dict[str, CameoRow]:
    table: dict[str, CameoRow] = {}
    for line in text.splitlines():
        m = re.match(r"^(\d{2,4}):\s*([A-Z]+)\s*(?:,([^,#]*))?(?:,([^#]*))?(?:#\s*(.*))?$", line.strip())
        if not m:
            continue
        code, cat, mode, ctx, name = m.groups()
        table.setdefault(code, CameoRow(code, cat, (mode or "").strip() or None, (ctx or "").strip() or None,
                               (name or "").strip()))     # "08" is listed twice: the first row wins
    return table


@lru_cache(maxsize=1)
def load() -> Ontology:
    data = resources.files("tacitus") / "data"
    spec = load_yaml((data / "plover.yaml").read_text(encoding="utf-8"))
    quad_of = {cat: QUAD_NUMBER[q] for q, cats in spec["quad_classes"].items() for cat in cats}
    cameo = _parse_cameo((data / "cameo2plover.txt").read_text(encoding="utf-8"))
    return Ontology(spec["events"], quad_of, tuple(spec["contexts"]), spec["sectors"], cameo)


CATEGORIES = tuple(load().categories)
