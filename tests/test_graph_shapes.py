import pyoxigraph as ox
import pytest
from handmade import TEXT, handmade_extraction
from rdflib import OWL, RDF, Literal, URIRef
from rdflib.namespace import PROV

from kg.graph import article_graph
from kg.namespaces import CK, OA, STATEMENT_KIND, article_iri
from kg.store import article_graph_from_store, replace_article
from kg.validate import validate_graph


@pytest.fixture
def graph():
    return article_graph(handmade_extraction())


def first(graph, cls):
    return sorted(graph.subjects(RDF.type, cls))[0]


def messages(graph) -> str:
    return "\n".join(str(v) for v in validate_graph(graph))


def test_hand_built_graph_conforms(graph):
    assert validate_graph(graph) == []


def test_each_claim_is_its_own_node_with_claimant_and_evidence(graph):
    claims = list(graph.subjects(RDF.type, CK.CasualtyClaim))
    assert len(claims) == 3
    counts = sorted(int(graph.value(c, CK["count"])) for c in claims)
    assert counts == [2, 19, 27]
    for claim in claims:
        assert graph.value(claim, CK.claimant) is not None
        span = graph.value(claim, CK.evidence)
        start, end = int(graph.value(span, OA.start)), int(graph.value(span, OA.end))
        assert TEXT[start:end] == str(graph.value(span, OA.exact))
        assert graph.value(claim, PROV.wasDerivedFrom) == URIRef(article_iri("sudan-test"))


def test_deaths_align_with_wikidata_p1120(graph):
    for claim in graph.subjects(RDF.type, CK.CasualtyClaim):
        assert graph.value(claim, CK.deathCount) == graph.value(claim, CK["count"])


def test_graph_is_deterministic():
    a = article_graph(handmade_extraction()).serialize(format="nt")
    b = article_graph(handmade_extraction()).serialize(format="nt")
    assert sorted(a.splitlines()) == sorted(b.splitlines())


def test_a_span_whose_exact_text_does_not_match_the_article_is_rejected(graph):
    span = first(graph, CK.TextSpan)
    graph.set((span, OA.exact, Literal("نص آخر")))
    assert "oa:exact must equal the article text" in messages(graph)


def test_a_span_with_start_after_end_is_rejected(graph):
    span = first(graph, CK.TextSpan)
    graph.set((span, OA.start, Literal(int(graph.value(span, OA.end)) + 3)))
    assert "start must be before end" in messages(graph)


def test_a_statement_without_speaker_is_rejected(graph):
    statement = first(graph, CK.Statement)
    graph.remove((statement, CK.speaker, None))
    assert "exactly one speaker" in messages(graph)


def test_a_statement_kind_outside_the_vocabulary_is_rejected(graph):
    statement = first(graph, CK.Statement)
    graph.set((statement, CK.statementKind, STATEMENT_KIND["shout"]))
    assert "statement kind must be one concept" in messages(graph)


def test_a_plain_string_is_not_a_statement_kind(graph):
    statement = first(graph, CK.Statement)
    graph.set((statement, CK.statementKind, Literal("assert")))
    assert "statement kind must be one concept" in messages(graph)


def test_a_claim_with_two_counts_or_a_negative_count_is_rejected(graph):
    claim = first(graph, CK.CasualtyClaim)
    graph.add((claim, CK["count"], Literal(999)))
    assert "count is at most one non-negative integer" in messages(graph)
    graph.remove((claim, CK["count"], None))
    graph.add((claim, CK["count"], Literal(-4)))
    assert "count is at most one non-negative integer" in messages(graph)


def test_a_claim_count_that_is_a_string_is_rejected(graph):
    claim = first(graph, CK.CasualtyClaim)
    graph.set((claim, CK["count"], Literal("27")))
    assert "count is at most one non-negative integer" in messages(graph)


def test_a_claim_without_evidence_is_rejected(graph):
    claim = first(graph, CK.CasualtyClaim)
    graph.remove((claim, CK.evidence, None))
    assert "at least one evidence span" in messages(graph)


def test_a_mediation_without_mediator_is_rejected(graph):
    mediation = first(graph, CK.Mediation)
    graph.remove((mediation, CK.mediator, None))
    assert "exactly one mediator" in messages(graph)


def test_a_non_wikidata_same_as_is_rejected(graph):
    actor = URIRef("https://w3id.org/conflict-kg/id/actor/reuters")
    graph.set((actor, OWL.sameAs, URIRef("https://www.wikidata.org/wiki/Q130879")))
    assert "Wikidata entity IRI" in messages(graph)


def test_an_actor_without_class_or_label_is_rejected(graph):
    actor = URIRef("https://w3id.org/conflict-kg/id/actor/reuters")
    graph.remove((actor, RDF.type, CK.MediaOrganization))
    text = messages(graph)
    assert "exactly one actor class" in text
    graph.remove((actor, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), None))
    assert "language-tagged rdfs:label" in messages(graph)


def test_a_bad_publication_date_is_rejected(graph):
    doc = URIRef(article_iri("sudan-test"))
    graph.set((doc, URIRef("http://purl.org/dc/terms/issued"), Literal("May 2024")))
    assert "dcterms:issued must be one xsd:date" in messages(graph)


def test_graph_still_conforms_after_a_round_trip_through_oxigraph(graph):
    # Literals come back from Oxigraph typed as xsd:string: value sets are IRIs, so they still pass.
    store = ox.Store()
    replace_article(store, "sudan-test", graph)
    copy = article_graph_from_store(store, ox.NamedNode("https://w3id.org/conflict-kg/graph/sudan-test"))
    assert len(copy) == len(graph)
    assert validate_graph(copy) == []
