"""IRIs of the ontology, the controlled vocabularies and the data."""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from rdflib import Namespace

BASE = "https://w3id.org/conflict-kg/"
CK = Namespace(BASE + "ontology#")
CASUALTY_KIND = Namespace(BASE + "vocab/casualty-kind/")
QUALIFIER = Namespace(BASE + "vocab/qualifier/")
VICTIMS = Namespace(BASE + "vocab/victims/")
STATEMENT_KIND = Namespace(BASE + "vocab/statement-kind/")
MEDIATION_KIND = Namespace(BASE + "vocab/mediation-kind/")
ACTOR = Namespace(BASE + "id/actor/")
PLACE = Namespace(BASE + "id/place/")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
GEONAMES = Namespace("https://sws.geonames.org/")

PREFIXES = {
    "ck": str(CK),
    "ckcas": str(CASUALTY_KIND),
    "ckq": str(QUALIFIER),
    "ckvic": str(VICTIMS),
    "ckst": str(STATEMENT_KIND),
    "ckmed": str(MEDIATION_KIND),
    "actor": str(ACTOR),
    "place": str(PLACE),
    "oa": str(OA),
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "schema": str(SCHEMA),
    "geo": str(GEO),
    "wd": str(WD),
}


def _safe(article_id: str) -> str:
    return quote(article_id, safe="")


def article_iri(article_id: str) -> str:
    return f"{BASE}id/article/{_safe(article_id)}"


def graph_iri(article_id: str) -> str:
    return f"{BASE}graph/{_safe(article_id)}"


def figure_group_iri(kind: str, victims: str, place_iri: str, period: str | None) -> str:
    """The claims whose figures are compared: one casualty kind, victims, place and month
    ("unknown" when the article gives no date). Victims count: 2 journalists among 200
    injured is not a conflicting figure."""
    return f"{BASE}id/figure-group/{short_hash(kind, victims, place_iri, period or 'unknown')}"


FIGURES_GRAPH = f"{BASE}graph/figures"
ACTORS_GRAPH = f"{BASE}graph/actors"  # every actor and place described once


def short_hash(*parts: object) -> str:
    """A stable 12-hex-digit key for a node whose identity is several values."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:12]
