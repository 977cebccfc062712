"""Extraction dataclasses to RDF: one named graph per article.

Each statement, casualty claim and mediation is its own node with its evidence spans,
so that conflicting figures stand side by side. Actors are global IRIs; each article's
graph carries the description of the actors it mentions (type, labels, the spellings
seen in that article, the Wikidata link), so that an article graph is self-contained
and removing an article removes exactly what it supported.
"""

from __future__ import annotations

import hashlib
import re

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from kg.extract.model import Actor, CasualtyClaim, Extraction, Mediation, Mention, Span, Statement
from kg.namespaces import (
    CASUALTY_KIND,
    CK,
    MEDIATION_KIND,
    OA,
    QUALIFIER,
    SCHEMA,
    STATEMENT_KIND,
    VICTIMS,
    WD,
    article_iri,
    short_hash,
)
from kg.text import romanize

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_COUNT_PROPERTY = {"killed": CK.deathCount, "injured": CK.injuredCount}


def article_graph(extraction: Extraction, links: dict[str, str | None] | None = None) -> Graph:
    """The RDF graph of one article (triples only: the store puts it in its named graph).
    links: a researcher's decisions, actor IRI -> QID or None ("no item"); they win over
    the gazetteer."""
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
    return builder.graph


class _Builder:
    def __init__(self, extraction: Extraction, links: dict[str, str | None]):
        self.x = extraction
        self.links = links
        self.graph = Graph()
        self.doc = URIRef(article_iri(extraction.article.id))

    def add(self, s, p, o) -> None:
        self.graph.add((s, p, o))

    def article(self) -> None:
        a = self.x.article
        doc = self.doc
        self.add(doc, RDF.type, CK.Article)
        self.add(doc, DCTERMS.identifier, Literal(a.id))
        self.add(doc, CK.text, Literal(a.text))
        self.add(doc, CK.contentHash, Literal(hashlib.sha256(a.text.encode("utf-8")).hexdigest()))
        self.add(doc, CK.sourceFile, Literal(a.source))
        if a.title:
            self.add(doc, DCTERMS.title, Literal(a.title, lang="ar"))
        if a.url:
            self.add(doc, SCHEMA.url, Literal(a.url, datatype=XSD.anyURI))
        if a.outlet:
            self.add(doc, CK.outlet, Literal(a.outlet))
        if a.published and _DATE.match(a.published):
            self.add(doc, DCTERMS.issued, Literal(a.published[:10], datatype=XSD.date))
        elif a.published:
            self.add(doc, DCTERMS.date, Literal(a.published))

    def actor(self, actor: Actor) -> None:
        node = URIRef(actor.iri)
        if actor.kind != "Place":
            self.add(node, RDF.type, CK.Actor)
        self.add(node, RDF.type, CK[actor.kind])
        for text, lang in ((actor.label_en, "en"), (actor.label_ar, "ar")):
            if text:
                self.add(node, RDFS.label, Literal(text, lang=lang))
                self.add(node, SKOS.prefLabel, Literal(text, lang=lang))
        if actor.label_ar and not actor.label_en:
            self.add(node, RDFS.label, Literal(romanize(actor.label_ar), lang="ar-Latn"))
        qid = self.links.get(actor.iri, actor.wikidata)  # a decision of None means "no item"
        if qid:
            self.add(node, OWL.sameAs, WD[qid])
        if actor.affiliation:
            self.add(node, CK.affiliation, URIRef(actor.affiliation))
        if actor.role:
            self.add(node, SCHEMA.jobTitle, Literal(actor.role, lang="ar"))
        for mention in self.x.mentions:
            if mention.actor.iri == actor.iri and not mention.metonym and mention.span.text != actor.label_ar:
                self.add(node, SKOS.altLabel, Literal(mention.span.text, lang="ar"))

    def span(self, span: Span) -> URIRef:
        node = URIRef(f"{self.doc}/span/{span.start}-{span.end}")
        self.add(node, RDF.type, CK.TextSpan)
        self.add(node, CK.inArticle, self.doc)
        self.add(node, OA.start, Literal(span.start))
        self.add(node, OA.end, Literal(span.end))
        self.add(node, OA.exact, Literal(span.text))
        return node

    def derived(self, node: URIRef, cls: URIRef) -> None:
        self.add(node, RDF.type, cls)
        self.add(node, PROV.wasDerivedFrom, self.doc)

    def mention(self, mention: Mention) -> None:
        node = URIRef(f"{self.doc}/mention/{mention.span.start}-{mention.span.end}")
        self.derived(node, CK.Mention)
        self.add(node, CK.refersTo, URIRef(mention.actor.iri))
        self.add(node, CK.span, self.span(mention.span))

    def statement(self, s: Statement) -> None:
        key = short_hash(s.speaker.iri, s.kind, s.evidence.start, s.evidence.end)
        node = URIRef(f"{self.doc}/statement/{key}")
        self.derived(node, CK.Statement)
        self.add(node, CK.speaker, URIRef(s.speaker.iri))
        self.add(node, CK.statementKind, STATEMENT_KIND[s.kind])
        if s.via:
            self.add(node, CK.relayedBy, URIRef(s.via.iri))
        self.add(node, CK.evidence, self.span(s.evidence))
        self.dates(node, s.date_text, s.date)

    def casualty(self, c: CasualtyClaim) -> None:
        claimant = c.claimant.iri if c.claimant else None
        key = short_hash(c.kind, c.count, c.qualifier, c.victims, claimant)
        node = URIRef(f"{self.doc}/casualty/{key}")
        self.derived(node, CK.CasualtyClaim)
        self.add(node, CK.casualtyKind, CASUALTY_KIND[c.kind])
        if c.count is not None:
            self.add(node, CK["count"], Literal(c.count))
            if c.kind in _COUNT_PROPERTY:
                self.add(node, _COUNT_PROPERTY[c.kind], Literal(c.count))
        self.add(node, CK.qualifier, QUALIFIER[c.qualifier])
        self.add(node, CK.victims, VICTIMS[c.victims])
        for prop, actor in ((CK.claimant, c.claimant), (CK.victimSide, c.victim_side), (CK.place, c.place)):
            if actor:
                self.add(node, prop, URIRef(actor.iri))
        self.dates(node, c.date_text, c.date)
        published = self.x.article.published
        when = c.date or (published if published and _DATE.match(published) else None)
        if when:
            self.add(node, CK.period, Literal(when[:7]))
        for span in c.evidence:
            self.add(node, CK.evidence, self.span(span))

    def dates(self, node: URIRef, text: str | None, iso: str | None) -> None:
        if text:
            self.add(node, CK.dateText, Literal(text, lang="ar"))
        if iso:
            self.add(node, CK.date, Literal(iso, datatype=XSD.date))

    def mediation(self, m: Mediation) -> None:
        key = short_hash(m.mediator.iri, m.kind, m.evidence.start, m.evidence.end)
        node = URIRef(f"{self.doc}/mediation/{key}")
        self.derived(node, CK.Mediation)
        self.add(node, CK.mediator, URIRef(m.mediator.iri))
        self.add(node, CK.mediationKind, MEDIATION_KIND[m.kind])
        for party in m.parties:
            self.add(node, CK.party, URIRef(party.iri))
        self.add(node, CK.evidence, self.span(m.evidence))
