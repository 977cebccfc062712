"""`kg describe`: everything the store says about one actor."""

from __future__ import annotations

import re

import pyoxigraph as ox

from kg.namespaces import PREFIXES
from kg.store import run_query, select
from kg.text import normalize

_QID = re.compile(r"^Q[1-9][0-9]*$")


class NotFound(LookupError):
    pass


def find_actor(store: ox.Store, reference: str) -> str:
    """The IRI of the actor named by an IRI, a Wikidata QID or a label (Arabic or English)."""
    if reference.startswith(("http://", "https://")):
        candidates = [reference]
    elif _QID.match(reference):
        candidates = _values(store, "SELECT DISTINCT ?a ?item WHERE { ?a owl:sameAs ?item }",
                             {"item": ox.NamedNode(PREFIXES["wd"] + reference)})
    else:
        wanted = normalize(reference).casefold()
        labels = _rows(store, """SELECT DISTINCT ?a ?l WHERE {
            ?a a ?c . FILTER (?c IN (ck:Actor, ck:Place))
            { ?a rdfs:label ?l } UNION { ?a skos:prefLabel ?l } UNION { ?a skos:altLabel ?l } }""")
        candidates = sorted({a for a, label in labels if normalize(label).casefold() == wanted})
    candidates = [c for c in candidates if _is_node(c) and _ask(store, "ASK { ?actor a ?class }", ox.NamedNode(c))]
    if not candidates:
        raise NotFound(f"no actor or place {reference!r} in the store")
    if len(candidates) > 1:
        raise NotFound(f"{reference!r} names {len(candidates)} actors: " + ", ".join(candidates))
    return candidates[0]


def describe_rows(store: ox.Store, iri: str) -> dict[str, list[dict]]:
    """Sections of a description: labels and links, statements, claims, mediations, articles."""
    node = "?actor"
    sections = {
        "labels": f"""SELECT DISTINCT ?actor ?property ?value WHERE {{
            {node} ?p ?value . FILTER (?p IN (rdf:type, rdfs:label, skos:prefLabel, skos:altLabel, owl:sameAs,
                                              ck:affiliation, schema:jobTitle))
            BIND (REPLACE(STR(?p), "^.*[#/]", "") AS ?property) }} ORDER BY ?property STR(?value)""",
        "statements": f"""SELECT DISTINCT ?actor ?doc ?kind ?via ?text WHERE {{
            ?s ck:speaker {node} ; ck:statementKind/skos:notation ?kind ; ck:evidence/oa:exact ?text ;
               prov:wasDerivedFrom/dcterms:identifier ?doc .
            OPTIONAL {{ ?s ck:relayedBy/rdfs:label ?via }} }} ORDER BY ?doc ?text""",
        "casualty claims": f"""SELECT DISTINCT ?actor ?doc ?kind ?count ?qualifier ?victims ?text WHERE {{
            ?c ck:claimant {node} ; ck:casualtyKind/skos:notation ?kind ; ck:qualifier/skos:notation ?qualifier ;
               ck:victims/skos:notation ?victims ; prov:wasDerivedFrom/dcterms:identifier ?doc .
            OPTIONAL {{ ?c ck:count ?count }}
            {{ SELECT ?c (MIN(?t) AS ?text) WHERE {{ ?c ck:evidence/oa:exact ?t }} GROUP BY ?c }}
            }} ORDER BY ?doc ?kind""",
        "mediations": f"""SELECT DISTINCT ?actor ?doc ?kind ?text WHERE {{
            ?m ck:mediator {node} ; ck:mediationKind/skos:notation ?kind ; ck:evidence/oa:exact ?text ;
               prov:wasDerivedFrom/dcterms:identifier ?doc }} ORDER BY ?doc""",
        "articles": f"""SELECT ?actor ?doc (COUNT(DISTINCT ?m) AS ?mentions) WHERE {{
            ?m ck:refersTo {node} ; prov:wasDerivedFrom/dcterms:identifier ?doc }}
            GROUP BY ?actor ?doc ORDER BY ?doc""",
    }
    actor = {"actor": ox.NamedNode(iri)}  # substituted (Oxigraph wants it projected), then left out
    return {name: [{v: term for v, term in zip(variables, row, strict=True) if v != "actor"} for row in rows]
            for name, (variables, rows) in ((n, select(store, q, actor)) for n, q in sections.items())}


def describe_turtle(store: ox.Store, iri: str) -> bytes:
    node = "?actor"
    query = f"""CONSTRUCT {{ {node} ?p ?o . ?x ?xp ?xo . ?span ?sp ?so }} WHERE {{
        {{ {node} ?p ?o }}
        UNION {{ ?x ?role {node} . FILTER (?role IN (ck:speaker, ck:claimant, ck:mediator, ck:relayedBy,
                                                      ck:victimSide, ck:party))
                 ?x ?xp ?xo . OPTIONAL {{ ?x ck:evidence ?span . ?span ?sp ?so }} }} }}"""
    triples = list(run_query(store, query, substitutions={"actor": ox.NamedNode(iri)}))
    return ox.serialize(sorted(set(triples), key=str), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


def _values(store: ox.Store, query: str, substitutions: dict[str, ox.Term]) -> list[str]:
    return [row[0].value for row in run_query(store, query, substitutions=substitutions)]


def _ask(store: ox.Store, query: str, actor: ox.NamedNode) -> bool:
    return bool(run_query(store, query, substitutions={"actor": actor}))


def _is_node(iri: str) -> bool:
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return True


def _rows(store: ox.Store, query: str) -> list[tuple[str, str]]:
    return [(row[0].value, row[1].value) for row in run_query(store, query)]
