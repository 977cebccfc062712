"""Exporting the store: TriG, N-Quads and JSON-LD keep one named graph per article
(JSON-LD with the project's context, ontology/context.jsonld); Turtle and N-Triples
merge them into one graph."""

from __future__ import annotations

import json

import pyoxigraph as ox
from rdflib import Dataset

from kg.namespaces import PREFIXES
from kg.resources import ontology_path

_QUAD_FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}
_TRIPLE_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}


def export(store: ox.Store, fmt: str) -> bytes:
    if fmt in _QUAD_FORMATS:
        prefixes = PREFIXES if fmt == "trig" else None
        return store.dump(format=_QUAD_FORMATS[fmt], prefixes=prefixes)
    if fmt in _TRIPLE_FORMATS:
        prefixes = PREFIXES if fmt == "turtle" else None
        return ox.serialize(sorted(_union(store), key=str), format=_TRIPLE_FORMATS[fmt], prefixes=prefixes)
    if fmt == "jsonld":
        return _jsonld(store)
    raise ValueError(f"unknown export format {fmt!r}")


def _union(store: ox.Store) -> set[ox.Triple]:
    """Every triple of every graph once (an actor described in several articles)."""
    return {ox.Triple(q.subject, q.predicate, q.object) for q in store}


def jsonld_context() -> dict:
    return json.loads(ontology_path("context.jsonld").read_text(encoding="utf-8"))


def _jsonld(store: ox.Store) -> bytes:
    dataset = Dataset()
    dataset.parse(data=store.dump(format=ox.RdfFormat.N_QUADS), format="nquads")
    context = jsonld_context()["@context"]
    text = dataset.serialize(format="json-ld", context=context, indent=2, ensure_ascii=False)
    return text.encode("utf-8")
