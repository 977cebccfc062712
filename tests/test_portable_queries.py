"""Every named query is standard SPARQL 1.1: on the seeds' export it gives the same rows in
rdflib as in a plain Oxigraph store that has never seen kg (no union default graph, no
injected prefixes, no extensions)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from conftest import run
from rdflib import BNode, Dataset, Literal, URIRef

from kg.queries import named_queries

WIKIDATA_GRAPH = "https://w3id.org/conflict-kg/graph/wikidata"
WD, WDT = "http://www.wikidata.org/entity/", "http://www.wikidata.org/prop/direct/"
LOCAL = sorted(name for name in named_queries() if not name.startswith("federated/"))
CONCATENATED = {"other_counts": " ", "figures": ", "}  # GROUP_CONCAT's order is the engine's own


@pytest.fixture(scope="module")
def export(seed_store, tmp_path_factory):
    """The seeds' TriG export plus a small enrichment graph, so that the Wikidata joins have rows."""
    path = tmp_path_factory.mktemp("portable") / "kg.trig"
    run("export", "--store", str(seed_store), "--format", "trig", "-o", str(path))
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TRIG)
    graph = ox.NamedNode(WIKIDATA_GRAPH)
    items = {q.object for q in store.quads_for_pattern(None, ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs"),
                                                       None, None) if q.object.value.startswith(WD)}
    facts = []
    for item in sorted(items, key=str):
        facts += [ox.Quad(item, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                          ox.Literal(item.value[len(WD):], language="en"), graph),
                  ox.Quad(item, ox.NamedNode("http://schema.org/description"), ox.Literal("an item", language="en"),
                          graph),
                  ox.Quad(item, ox.NamedNode(WDT + "P31"), ox.NamedNode(WD + "Q3624078"), graph),
                  ox.Quad(item, ox.NamedNode(WDT + "P625"), ox.Literal("Point(46.7 39.8)"), graph)]
    store.extend(facts)
    enriched = path.with_suffix(".nq")
    store.dump(str(enriched), format=ox.RdfFormat.N_QUADS)
    return enriched


def _oxigraph_rows(path, query: str) -> list[tuple]:
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.N_QUADS)
    result = store.query(query)  # no union default graph, no prefixes: the query alone
    names = [v.value for v in result.variables]
    return names, [tuple(_ox_term(row[v], v) for v in names) for row in result]


def _ox_term(term, name):
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        if name in CONCATENATED:
            return tuple(sorted(term.value.split(CONCATENATED[name])))
        return ("literal", term.value, term.language or term.datatype.value)
    return ("blank", "") if isinstance(term, ox.BlankNode) else ("iri", term.value)


def _rdflib_rows(path, query: str) -> list[tuple]:
    dataset = Dataset()
    dataset.parse(path, format="nquads")
    result = dataset.query(query)
    names = [str(v) for v in result.vars]
    return names, [tuple(_rdflib_term(row[v], v) for v in names) for row in result]


def _rdflib_term(term, name):
    if term is None:
        return None
    if isinstance(term, Literal):
        if name in CONCATENATED:
            return tuple(sorted(str(term).split(CONCATENATED[name])))
        datatype = str(term.datatype) if term.datatype else "http://www.w3.org/2001/XMLSchema#string"
        return ("literal", str(term), term.language or datatype)
    if isinstance(term, BNode):
        return ("blank", "")
    assert isinstance(term, URIRef)
    return ("iri", str(term))


@pytest.mark.parametrize("name", LOCAL)
def test_named_query_gives_the_same_rows_in_rdflib_and_oxigraph(export, name):
    query = named_queries()[name].read_text(encoding="utf-8")
    ox_names, ox_rows = _oxigraph_rows(export, query)
    rdflib_names, rdflib_rows = _rdflib_rows(export, query)
    assert ox_names == rdflib_names
    assert ox_rows, f"{name} has no rows on the seeds: the comparison would prove nothing"
    assert sorted(ox_rows, key=repr) == sorted(rdflib_rows, key=repr)
    assert len(ox_rows) == len(set(ox_rows))  # no row twice


def test_listing_queries_are_in_a_stable_order(export):
    """ORDER BY makes the order part of the answer: both engines agree row for row."""
    for name in ("mentions", "statements", "casualties", "mediations"):
        query = named_queries()[name].read_text(encoding="utf-8")
        assert _oxigraph_rows(export, query)[1] == _rdflib_rows(export, query)[1]


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_named_queries_declare_their_prefixes_and_use_no_extension(name):
    text = named_queries()[name].read_text(encoding="utf-8")
    from rdflib.plugins.sparql import prepareQuery

    assert "LATERAL" not in text.upper()
    prepareQuery(text)  # rdflib reads it with no prefix given
