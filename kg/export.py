"""Exporting the store, streamed from it in constant memory: TriG, N-Quads and JSON-LD
keep the named graphs (JSON-LD with the project's context, ontology/context.jsonld, written
one named graph at a time); Turtle and N-Triples merge them into one graph, which holds each
triple once because kg stores each triple in one graph only. Every export ends with its
VoID/DCAT description, in the graph graph/dataset."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import Graph

from kg import __version__
from kg.namespaces import PREFIXES
from kg.resources import ontology_path
from kg.store import quads_matching

_QUAD_FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}
_TRIPLE_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}
FORMATS = ("trig", "nquads", "jsonld", "turtle", "ntriples")

DATASET = "https://w3id.org/conflict-kg/dataset"
DATASET_GRAPH = "https://w3id.org/conflict-kg/graph/dataset"
SOFTWARE = "https://w3id.org/conflict-kg/software/kg"
MEDIA_TYPES = {"trig": "application/trig", "nquads": "application/n-quads", "jsonld": "application/ld+json",
               "turtle": "text/turtle", "ntriples": "application/n-triples"}
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
_NS = {
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

Progress = Callable[[int], None]  # called with the number of graphs written since the last call


def export(store: ox.Store, fmt: str, output: BinaryIO, created: datetime | None = None,
           progress: Progress = lambda _: None) -> int:
    """Write the whole store in fmt to output, then its VoID/DCAT description. Returns the
    number of statements written (the description's void:triples)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    data = len(store)  # each quad once; in a merged format each triple once (one graph per triple)
    description = dataset_description(store, fmt, created or datetime.now(timezone.utc), data)
    total = data + len(description)
    if fmt in _QUAD_FORMATS:
        about = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(DATASET_GRAPH)) for t in description]
        ox.serialize(_quads(store, about, progress), output, format=_QUAD_FORMATS[fmt],
                     prefixes=PREFIXES if fmt == "trig" else None)
    elif fmt in _TRIPLE_FORMATS:
        ox.serialize(_triples(store, description, progress), output, format=_TRIPLE_FORMATS[fmt],
                     prefixes=PREFIXES if fmt == "turtle" else None)
    else:
        _jsonld(store, description, output, progress)
    return total


def graph_count(store: ox.Store) -> int:
    """How many graphs an export walks through (for a progress bar)."""
    return sum(1 for _ in _graphs(store))


def _graphs(store: ox.Store) -> Iterator[ox.NamedNode | ox.BlankNode | ox.DefaultGraph]:
    yield ox.DefaultGraph()
    yield from sorted(store.named_graphs(), key=str)


def _quads(store: ox.Store, description: list[ox.Quad], progress: Progress) -> Iterator[ox.Quad]:
    """Graph after graph, so that TriG writes each graph block once."""
    for graph in _graphs(store):
        yield from quads_matching(store, None, None, None, graph)
        progress(1)
    yield from description


def _triples(store: ox.Store, description: list[ox.Triple], progress: Progress) -> Iterator[ox.Triple]:
    for graph in _graphs(store):
        for quad in quads_matching(store, None, None, None, graph):
            yield quad.triple
        progress(1)
    yield from description


def _iri(curie: str) -> ox.NamedNode:
    prefix, local = curie.split(":", 1)
    return ox.NamedNode(_NS[prefix] + local)


def dataset_description(store: ox.Store, fmt: str, created: datetime, data_statements: int) -> list[ox.Triple]:
    """VoID and DCAT: title, license, creation time, generator and version, the number of
    statements the file holds (this description included), the source articles and this
    distribution's media type (an IANA media-type IRI)."""
    dataset, software = ox.NamedNode(DATASET), ox.NamedNode(SOFTWARE)
    distribution = ox.NamedNode(f"{DATASET}/distribution/{fmt}")
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
        ox.Triple(dataset, _iri("void:vocabulary"), ox.NamedNode("https://w3id.org/conflict-kg/ontology#")),
        ox.Triple(dataset, _iri("dcat:distribution"), distribution),
        ox.Triple(distribution, _iri("rdf:type"), _iri("dcat:Distribution")),
        ox.Triple(distribution, _iri("dcat:mediaType"), ox.NamedNode(IANA_MEDIA_TYPES + MEDIA_TYPES[fmt])),
        ox.Triple(software, _iri("rdf:type"), _iri("prov:SoftwareAgent")),
        ox.Triple(software, _iri("schema:name"), ox.Literal("kg")),
        ox.Triple(software, _iri("schema:softwareVersion"), ox.Literal(__version__)),
    ]
    out += [ox.Triple(dataset, _iri("dcterms:source"), article) for article in articles]
    total = data_statements + len(out) + 1  # the void:triples statement counts itself
    out.append(ox.Triple(dataset, _iri("void:triples"), ox.Literal(str(total), datatype=_iri("xsd:integer"))))
    return out


def jsonld_context() -> dict:
    return json.loads(ontology_path("context.jsonld").read_text(encoding="utf-8"))


def _jsonld(store: ox.Store, description: list[ox.Triple], output: BinaryIO, progress: Progress) -> None:
    """One JSON-LD document: the context once, then one named-graph object per graph,
    each compacted on its own (rdflib), so memory holds one graph at a time."""
    context = jsonld_context()["@context"]
    output.write(b'{\n"@context": ' + json.dumps(context, ensure_ascii=False).encode("utf-8") + b',\n"@graph": [')
    first = True
    for graph in _graphs(store):
        nodes = _compacted(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph), context)
        if nodes:
            item = nodes if isinstance(graph, ox.DefaultGraph) else [{"@id": graph.value, "@graph": nodes}]
            for node in item:
                output.write((b"\n" if first else b",\n") + json.dumps(node, ensure_ascii=False).encode("utf-8"))
                first = False
        progress(1)
    nodes = _compacted(ox.serialize(description, format=ox.RdfFormat.N_TRIPLES), context)
    output.write((b"\n" if first else b",\n") + json.dumps({"@id": DATASET_GRAPH, "@graph": nodes},
                                                            ensure_ascii=False).encode("utf-8"))
    output.write(b"\n]\n}\n")


def _compacted(ntriples: bytes, context: dict) -> list[dict]:
    if not ntriples.strip():
        return []
    graph = Graph().parse(data=ntriples.decode("utf-8"), format="nt")
    document = json.loads(graph.serialize(format="json-ld", context=context))
    if isinstance(document, list):
        return document
    if "@graph" in document:
        return document["@graph"]
    document.pop("@context", None)
    return [document]
