"""Exporting the store: TriG, N-Quads and JSON-LD keep one named graph per article
(JSON-LD with the project's context, ontology/context.jsonld); Turtle and N-Triples
merge them into one graph."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pyoxigraph as ox
from rdflib import Dataset

from kg import __version__
from kg.namespaces import PREFIXES
from kg.resources import ontology_path

_QUAD_FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}
_TRIPLE_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}


def export(store: ox.Store, fmt: str, created: datetime | None = None) -> bytes:
    """The whole store in fmt, with its VoID/DCAT description (see dataset_description)."""
    description = dataset_description(store, fmt, created or datetime.now(timezone.utc))
    if fmt in _QUAD_FORMATS:
        prefixes = PREFIXES if fmt == "trig" else None
        data = store.dump(format=_QUAD_FORMATS[fmt], prefixes=prefixes)
        about = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(DATASET_GRAPH)) for t in description]
        return data + ox.serialize(about, format=_QUAD_FORMATS[fmt], prefixes=prefixes)
    if fmt in _TRIPLE_FORMATS:
        prefixes = PREFIXES if fmt == "turtle" else None
        triples = sorted(_union(store) | set(description), key=str)
        return ox.serialize(triples, format=_TRIPLE_FORMATS[fmt], prefixes=prefixes)
    if fmt == "jsonld":
        return _jsonld(store, description)
    raise ValueError(f"unknown export format {fmt!r}")


DATASET = "https://w3id.org/conflict-kg/dataset"
DATASET_GRAPH = "https://w3id.org/conflict-kg/graph/dataset"
SOFTWARE = "https://w3id.org/conflict-kg/software/kg"
_MEDIA_TYPES = {"trig": "application/trig", "nquads": "application/n-quads", "jsonld": "application/ld+json",
                "turtle": "text/turtle", "ntriples": "application/n-triples"}
_NS = {
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def _iri(curie: str) -> ox.NamedNode:
    prefix, local = curie.split(":", 1)
    return ox.NamedNode(_NS[prefix] + local)


def dataset_description(store: ox.Store, fmt: str, created: datetime) -> list[ox.Triple]:
    """VoID and DCAT: title, license, creation time, generator and version, triple count,
    the source articles and this distribution's media type."""
    dataset, software = ox.NamedNode(DATASET), ox.NamedNode(SOFTWARE)
    distribution = ox.NamedNode(f"{DATASET}/distribution/{fmt}")
    triples_count = len(_union(store))
    articles = sorted(
        (row["a"] for row in store.query(
            "SELECT DISTINCT ?a WHERE { GRAPH ?g { ?a a <https://w3id.org/conflict-kg/ontology#Article> } }")),
        key=lambda term: term.value,
    )
    out = [
        ox.Triple(dataset, _iri("rdf:type"), _iri("void:Dataset")),
        ox.Triple(dataset, _iri("rdf:type"), _iri("dcat:Dataset")),
        ox.Triple(dataset, _iri("dcterms:title"), ox.Literal("Conflict news knowledge graph", language="en")),
        ox.Triple(dataset, _iri("dcterms:description"), ox.Literal(
            "Actors, reported statements, casualty claims and mediation extracted from Arabic news articles, "
            "each with its evidence span in the article text.", language="en")),
        ox.Triple(dataset, _iri("dcterms:license"), ox.NamedNode("https://www.apache.org/licenses/LICENSE-2.0")),
        ox.Triple(dataset, _iri("dcterms:rights"), ox.Literal(
            "The article texts quoted in the graph remain under their publishers' rights.", language="en")),
        ox.Triple(dataset, _iri("dcterms:created"),
                  ox.Literal(created.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=_iri("xsd:dateTime"))),
        ox.Triple(dataset, _iri("dcterms:creator"), software),
        ox.Triple(dataset, _iri("void:triples"), ox.Literal(str(triples_count), datatype=_iri("xsd:integer"))),
        ox.Triple(dataset, _iri("void:vocabulary"), ox.NamedNode("https://w3id.org/conflict-kg/ontology#")),
        ox.Triple(dataset, _iri("dcat:distribution"), distribution),
        ox.Triple(distribution, _iri("rdf:type"), _iri("dcat:Distribution")),
        ox.Triple(distribution, _iri("dcat:mediaType"), ox.Literal(_MEDIA_TYPES[fmt])),
        ox.Triple(software, _iri("rdf:type"), _iri("prov:SoftwareAgent")),
        ox.Triple(software, _iri("schema:name"), ox.Literal("kg")),
        ox.Triple(software, _iri("schema:softwareVersion"), ox.Literal(__version__)),
    ]
    out += [ox.Triple(dataset, _iri("dcterms:source"), article) for article in articles]
    return out


def _union(store: ox.Store) -> set[ox.Triple]:
    """Every triple of every graph once (an actor described in several articles)."""
    return {ox.Triple(q.subject, q.predicate, q.object) for q in store}


def jsonld_context() -> dict:
    return json.loads(ontology_path("context.jsonld").read_text(encoding="utf-8"))


def _jsonld(store: ox.Store, description: list[ox.Triple]) -> bytes:
    dataset = Dataset()
    dataset.parse(data=store.dump(format=ox.RdfFormat.N_QUADS), format="nquads")
    about = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(DATASET_GRAPH)) for t in description]
    dataset.parse(data=ox.serialize(about, format=ox.RdfFormat.N_QUADS), format="nquads")
    context = jsonld_context()["@context"]
    text = dataset.serialize(format="json-ld", context=context, indent=2, ensure_ascii=False)
    return text.encode("utf-8")
