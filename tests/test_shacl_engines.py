"""The SHACL engine kg uses (pyshacl-turbo) gives the same verdicts as pySHACL, on valid
graphs and on deliberately broken ones."""

import pyshacl
import pyshacl_turbo
import pytest
from conftest import SEEDS
from handmade import handmade_extraction
from rdflib import RDF, Graph, Literal, URIRef

from kg.extract import extract
from kg.graph import article_graph
from kg.ingest import read_paths
from kg.namespaces import CK, OA, STATEMENT_KIND
from kg.validate import shapes_graph, validate_graph, validate_ntriples


def copy(graph: Graph) -> Graph:
    out = Graph()
    for triple in graph:
        out.add(triple)
    return out


def breakages():
    base = article_graph(handmade_extraction())
    span = sorted(base.subjects(RDF.type, CK.TextSpan))[0]
    claim = sorted(base.subjects(RDF.type, CK.CasualtyClaim))[0]
    statement = sorted(base.subjects(RDF.type, CK.Statement))[0]
    reuters = URIRef("https://w3id.org/conflict-kg/id/actor/reuters")
    edits = {
        "exact text": lambda g: g.set((span, OA.exact, Literal("xx"))),
        "start after end": lambda g: g.set((span, OA.start, Literal(10_000))),
        "no speaker": lambda g: g.remove((statement, CK.speaker, None)),
        "kind as a string": lambda g: g.set((statement, CK.statementKind, Literal("assert"))),
        "unknown kind": lambda g: g.set((statement, CK.statementKind, STATEMENT_KIND["shout"])),
        "two counts": lambda g: g.add((claim, CK["count"], Literal(999))),
        "negative count": lambda g: g.set((claim, CK["count"], Literal(-1))),
        "no evidence": lambda g: g.remove((claim, CK.evidence, None)),
        "figure missing from its group": lambda g: g.remove((g.value(claim, CK.figureGroup), CK.reportedCount,
                                                             g.value(claim, CK["count"]))),
        "group figure as a string": lambda g: g.add((g.value(claim, CK.figureGroup), CK.reportedCount, Literal("27"))),
        "no actor class": lambda g: g.remove((reuters, RDF.type, CK.MediaOrganization)),
    }
    for name, edit in edits.items():
        graph = copy(base)
        edit(graph)
        yield pytest.param(graph, id=name)


def valid_graphs():
    yield pytest.param(article_graph(handmade_extraction()), id="handmade")
    for article in read_paths([SEEDS]):
        yield pytest.param(article_graph(extract(article)), id=article.id)


@pytest.mark.parametrize("graph", [*valid_graphs(), *breakages()])
def test_same_verdict_as_pyshacl(graph):
    shapes = shapes_graph()
    reference = pyshacl.validate(graph, shacl_graph=shapes, inference="none")[0]
    fast = pyshacl_turbo.validate(graph, shacl_graph=shapes, inference="none")[0]
    assert fast == reference
    assert (validate_graph(graph) == []) == reference  # the shapes compiled once, as kg uses them
    assert (validate_ntriples(graph.serialize(format="nt", encoding="utf-8")) == []) == reference  # the build's path


@pytest.mark.parametrize("graph", list(breakages()))
def test_broken_graphs_are_rejected(graph):
    assert pyshacl_turbo.validate(graph, shacl_graph=shapes_graph(), inference="none")[0] is False
