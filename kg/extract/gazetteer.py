"""The gazetteer (ontology/gazetteer.ttl) as a lookup table of normalized names."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from rdflib import OWL, RDF, SKOS, Graph, Namespace, URIRef

from kg.extract.model import ACTOR_CLASSES, Actor
from kg.resources import ontology_path
from kg.text import normalize

CK = Namespace("https://w3id.org/conflict-kg/ontology#")
WD = "http://www.wikidata.org/entity/"


@dataclass(frozen=True)
class Name:
    actor: Actor
    metonym: bool


@dataclass
class Gazetteer:
    names: dict[tuple[str, ...], Name]  # normalized word sequence -> who it names
    max_words: int
    demonyms: dict[str, Actor]  # normalized adjective (روسيه) -> its state

    def lookup(self, words: tuple[str, ...]) -> Name | None:
        return self.names.get(words)

    @cached_property
    def first_words(self) -> frozenset[str]:
        return frozenset(key[0] for key in self.names)


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
            _add(names, str(label), Name(actor, metonym=True), subject)
    return Gazetteer(names, max((len(k) for k in names), default=1), demonyms)


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return load_gazetteer()


def words_of(name: str) -> tuple[str, ...]:
    return tuple(normalize(name).split())


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
