"""Extraction dataclasses to RDF: one named graph per article.

Each statement, casualty claim and mediation is its own node with its evidence spans,
so that conflicting figures stand side by side. Actors are global IRIs. The triples of
an article are its whole view: what it states, the description of the actors it names
(type, labels, the spellings seen, the Wikidata link) and the figures it gives to figure
groups. SHACL validates that view; the store then keeps the descriptions in the actors
graph and the figures in the figures graph, each triple once (kg.store.split_view).

Triples are built as pyoxigraph terms (the store's own types): no rdflib graph on the
build path. article_graph() gives the same triples as an rdflib graph, for inspection.
"""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
from rdflib import Graph

from kg.extract.model import Actor, CasualtyClaim, Extraction, Mediation, Mention, Span, Statement
from kg.ingest import iso_date
from kg.namespaces import (
    CASUALTY_KIND,
    CK,
    GEO,
    GEONAMES,
    MEDIATION_KIND,
    OA,
    QUALIFIER,
    SCHEMA,
    STATEMENT_KIND,
    VICTIMS,
    WD,
    article_iri,
    figure_group_iri,
    short_hash,
)
from kg.text import romanize

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_DCTERMS = "http://purl.org/dc/terms/"

TYPE = ox.NamedNode(_RDF + "type")
LABEL = ox.NamedNode(_RDFS + "label")
PREF_LABEL = ox.NamedNode(_SKOS + "prefLabel")
ALT_LABEL = ox.NamedNode(_SKOS + "altLabel")
SAME_AS = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")
DERIVED_FROM = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
IDENTIFIER = ox.NamedNode(_DCTERMS + "identifier")
TITLE = ox.NamedNode(_DCTERMS + "title")
ISSUED = ox.NamedNode(_DCTERMS + "issued")
DATE = ox.NamedNode(_DCTERMS + "date")
URL = ox.NamedNode(SCHEMA.url)
JOB_TITLE = ox.NamedNode(SCHEMA.jobTitle)
START, END, EXACT = ox.NamedNode(OA.start), ox.NamedNode(OA.end), ox.NamedNode(OA.exact)
XSD_DATE = ox.NamedNode(_XSD + "date")
GENERATED_BY = ox.NamedNode("http://www.w3.org/ns/prov#wasGeneratedBy")  # the extraction rule
XSD_INTEGER = ox.NamedNode(_XSD + "integer")
XSD_ANY_URI = ox.NamedNode(_XSD + "anyURI")
XSD_DECIMAL = ox.NamedNode(_XSD + "decimal")
LATITUDE = ox.NamedNode(GEO.lat)
LONGITUDE = ox.NamedNode(GEO.long)

_COUNT_PROPERTY = {"killed": "deathCount", "injured": "injuredCount"}


_CK_NODES: dict[str, ox.NamedNode] = {}


def _ck(name: str) -> ox.NamedNode:
    node = _CK_NODES.get(name)
    if node is None:
        node = _CK_NODES[name] = ox.NamedNode(CK[name])
    return node


def article_triples(extraction: Extraction, links: dict[str, str | None] | None = None) -> list[ox.Triple]:
    """The triples of one article, each once, in a stable order (the store puts them in
    the article's named graph). links: a researcher's decisions, actor IRI -> QID or None
    ("no item"); they win over the gazetteer."""
    builder = _Builder(extraction, links or {})
    builder.article()
    for actor in extraction.actors():
        builder.actor(actor)
    for mention in extraction.mentions:
        builder.mention(mention)
    for statement in extraction.statements:
        builder.statement(statement)
    for claim in extraction.casualties:
        builder.casualty(claim)
    for mediation in extraction.mediations:
        builder.mediation(mediation)
    return list(builder.triples)


def article_graph(extraction: Extraction, links: dict[str, str | None] | None = None) -> Graph:
    """The same triples as an rdflib graph (for tests, inspection and the naive benchmark)."""
    return to_rdflib(article_triples(extraction, links))


def to_rdflib(triples: list[ox.Triple]) -> Graph:
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    return Graph().parse(data=data.decode("utf-8"), format="nt")


def _text(value: str, lang: str | None = None) -> ox.Literal:
    return ox.Literal(value, language=lang) if lang else ox.Literal(value)


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD_INTEGER)


class _Builder:
    def __init__(self, extraction: Extraction, links: dict[str, str | None]):
        self.x = extraction
        self.links = links
        self.triples: dict[ox.Triple, None] = {}  # ordered set: a span shared by two claims is written once
        self.doc = ox.NamedNode(article_iri(extraction.article.id))

    def add(self, s, p, o) -> None:
        self.triples[ox.Triple(s, p, o)] = None

    def article(self) -> None:
        a = self.x.article
        doc = self.doc
        self.add(doc, TYPE, _ck("Article"))
        self.add(doc, IDENTIFIER, _text(a.id))
        self.add(doc, _ck("text"), _text(a.text))
        self.add(doc, _ck("contentHash"), _text(hashlib.sha256(a.text.encode("utf-8")).hexdigest()))
        self.add(doc, _ck("sourceFile"), _text(a.source))
        if a.title:
            self.add(doc, TITLE, _text(a.title, "ar"))
        if a.url:
            self.add(doc, URL, ox.Literal(a.url, datatype=XSD_ANY_URI))
        if a.outlet:
            self.add(doc, _ck("outlet"), _text(a.outlet))
        if iso_date(a.published):
            self.add(doc, ISSUED, ox.Literal(iso_date(a.published), datatype=XSD_DATE))
        elif a.published:
            self.add(doc, DATE, _text(a.published))

    def actor(self, actor: Actor) -> None:
        node = ox.NamedNode(actor.iri)
        if actor.kind != "Place":
            self.add(node, TYPE, _ck("Actor"))
        self.add(node, TYPE, _ck(actor.kind))
        for text, lang in ((actor.label_en, "en"), (actor.label_ar, "ar")):
            if text:
                self.add(node, LABEL, _text(text, lang))
                self.add(node, PREF_LABEL, _text(text, lang))
        if actor.label_ar and not actor.label_en:
            self.add(node, LABEL, _text(romanize(actor.label_ar), "ar-Latn"))
        qid = self.links.get(actor.iri, actor.wikidata)  # a decision of None means "no item"
        if qid:
            self.add(node, SAME_AS, ox.NamedNode(WD[qid]))
        if actor.affiliation:
            country_or_state = "inCountry" if actor.kind == "Place" else "affiliation"
            self.add(node, _ck(country_or_state), ox.NamedNode(actor.affiliation))
        if actor.geonames:
            self.add(node, SAME_AS, ox.NamedNode(f"{GEONAMES}{actor.geonames}/"))
        if actor.latitude is not None and actor.longitude is not None:
            self.add(node, LATITUDE, ox.Literal(actor.latitude, datatype=XSD_DECIMAL))
            self.add(node, LONGITUDE, ox.Literal(actor.longitude, datatype=XSD_DECIMAL))
        if actor.role:
            self.add(node, JOB_TITLE, _text(actor.role, "ar"))
        if actor.role_en:
            self.add(node, JOB_TITLE, _text(actor.role_en, "en"))
        for mention in self.x.mentions:
            if mention.actor.iri == actor.iri and not mention.metonym and mention.span.text != actor.label_ar:
                self.add(node, ALT_LABEL, _text(mention.span.text, "ar"))

    def span(self, span: Span) -> ox.NamedNode:
        node = ox.NamedNode(f"{self.doc.value}/span/{span.start}-{span.end}")
        self.add(node, TYPE, _ck("TextSpan"))
        self.add(node, _ck("inArticle"), self.doc)
        self.add(node, START, _integer(span.start))
        self.add(node, END, _integer(span.end))
        self.add(node, EXACT, _text(span.text))
        return node

    def derived(self, kind: str, key: str, cls: str) -> ox.NamedNode:
        node = ox.NamedNode(f"{self.doc.value}/{kind}/{key}")
        self.add(node, TYPE, _ck(cls))
        self.add(node, DERIVED_FROM, self.doc)
        return node

    def mention(self, mention: Mention) -> None:
        node = self.derived("mention", f"{mention.span.start}-{mention.span.end}", "Mention")
        self.add(node, _ck("refersTo"), ox.NamedNode(mention.actor.iri))
        self.add(node, _ck("span"), self.span(mention.span))

    def statement(self, s: Statement) -> None:
        node = self.derived("statement", short_hash(s.speaker.iri, s.kind, s.evidence.start, s.evidence.end),
                            "Statement")
        self.add(node, _ck("speaker"), ox.NamedNode(s.speaker.iri))
        self.add(node, _ck("statementKind"), ox.NamedNode(STATEMENT_KIND[s.kind]))
        if s.via:
            self.add(node, _ck("relayedBy"), ox.NamedNode(s.via.iri))
        if s.rule:
            self.add(node, GENERATED_BY, ox.NamedNode(s.rule))
        self.add(node, _ck("evidence"), self.span(s.evidence))
        self.dates(node, s.date_text, s.date)

    def casualty(self, c: CasualtyClaim) -> None:
        claimant = c.claimant.iri if c.claimant else None
        node = self.derived("casualty", short_hash(c.kind, c.count, c.qualifier, c.victims, claimant),
                            "CasualtyClaim")
        self.add(node, _ck("casualtyKind"), ox.NamedNode(CASUALTY_KIND[c.kind]))
        for rule in (c.rule, c.claimant_rule):
            if rule:
                self.add(node, GENERATED_BY, ox.NamedNode(rule))
        if c.count is not None:
            self.add(node, _ck("count"), _integer(c.count))
            if c.kind in _COUNT_PROPERTY:
                self.add(node, _ck(_COUNT_PROPERTY[c.kind]), _integer(c.count))
        self.add(node, _ck("qualifier"), ox.NamedNode(QUALIFIER[c.qualifier]))
        self.add(node, _ck("victims"), ox.NamedNode(VICTIMS[c.victims]))
        for prop, actor in (("claimant", c.claimant), ("victimSide", c.victim_side), ("place", c.place)):
            if actor:
                self.add(node, _ck(prop), ox.NamedNode(actor.iri))
        self.dates(node, c.date_text, c.date)
        published = self.x.article.published
        when = c.date or iso_date(published)
        period = when[:7] if when else None
        if period:
            self.add(node, _ck("period"), _text(period))
        if c.place and c.count is not None:
            group = ox.NamedNode(figure_group_iri(c.kind, c.victims, c.place.iri, period))
            self.add(node, _ck("figureGroup"), group)
            self.add(group, _ck("reportedCount"), _integer(c.count))
        for span in c.evidence:
            self.add(node, _ck("evidence"), self.span(span))

    def dates(self, node: ox.NamedNode, text: str | None, iso: str | None) -> None:
        if text:
            self.add(node, _ck("dateText"), _text(text, "ar"))
        if iso:
            self.add(node, _ck("date"), ox.Literal(iso, datatype=XSD_DATE))

    def mediation(self, m: Mediation) -> None:
        node = self.derived("mediation", short_hash(m.mediator.iri, m.kind, m.evidence.start, m.evidence.end),
                            "Mediation")
        self.add(node, _ck("mediator"), ox.NamedNode(m.mediator.iri))
        self.add(node, _ck("mediationKind"), ox.NamedNode(MEDIATION_KIND[m.kind]))
        for party in m.parties:
            self.add(node, _ck("party"), ox.NamedNode(party.iri))
        if m.rule:
            self.add(node, GENERATED_BY, ox.NamedNode(m.rule))
        self.add(node, _ck("evidence"), self.span(m.evidence))
