"""Wikidata: proposing links for actors the gazetteer does not link (`kg link`) and
fetching the facts researchers join on (`kg enrich`).

Network use happens only here, against the endpoint given (the public Wikidata service by
default). Every request has a timeout, a descriptive User-Agent and retries with back-off.
What comes back is stored in its own named graph with the date and endpoint it came from.
"""

from __future__ import annotations

import csv
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox

from kg import __version__
from kg.namespaces import BASE, CK, PREFIXES, short_hash

WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"
ENDPOINT_ENV = "KG_WIKIDATA_ENDPOINT"
USER_AGENT = f"kg/{__version__} (conflict news knowledge graph; https://w3id.org/conflict-kg)"
LINKS_GRAPH = f"{BASE}graph/links"
WIKIDATA_GRAPH = f"{BASE}graph/wikidata"
WD = "http://www.wikidata.org/entity/"
WDT = "http://www.wikidata.org/prop/direct/"
BATCH = 50

# Kind of actor -> Wikidata classes (P31) that fit it. Checked against public Wikidata
# queries and code: Q5 human; Q6256 country, Q3624078 sovereign state, Q7275 state;
# Q515 city, Q3957 town, Q486972 human settlement, Q1549591 big city, Q82794 geographic
# region, Q10864048 first-level administrative country subdivision.
KIND_CLASSES = {
    "Person": {"Q5"},
    "State": {"Q6256", "Q3624078", "Q7275"},
    "Place": {"Q515", "Q3957", "Q486972", "Q1549591", "Q82794", "Q10864048"},
}
ORGANIZATION_KINDS = {"GovernmentBody", "ArmedForces", "ArmedGroup", "InternationalOrganization",
                      "MediaOrganization", "OtherOrganization"}


class EndpointError(RuntimeError):
    pass


@dataclass(frozen=True)
class Client:
    endpoint: str
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 1.0

    def post(self, query: str, accept: str) -> bytes:
        """POST a query (form-encoded), retrying timeouts, 429 and 5xx with back-off."""
        data = urllib.parse.urlencode({"query": query}).encode()
        headers = {"Accept": accept, "User-Agent": USER_AGENT, "Content-Type": "application/x-www-form-urlencoded"}
        last_error = "no attempt"
        for attempt in range(self.retries + 1):
            request = urllib.request.Request(self.endpoint, data=data, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return response.read()
            except urllib.error.HTTPError as err:
                last_error = f"HTTP {err.code}: {err.read()[:200].decode('utf-8', 'replace').strip()}"
                if err.code != 429 and err.code < 500:
                    break
                delay = float(err.headers.get("Retry-After") or self.backoff * 2**attempt)
            except (urllib.error.URLError, TimeoutError, ConnectionError) as err:
                last_error = str(getattr(err, "reason", err))
                delay = self.backoff * 2**attempt
            if attempt < self.retries:
                time.sleep(delay)
        raise EndpointError(f"{self.endpoint}: {last_error}")

    def select(self, query: str) -> list[dict[str, dict]]:
        body = self.post(query, "application/sparql-results+json")
        return json.loads(body)["results"]["bindings"]

    def construct(self, query: str) -> list[ox.Triple]:
        body = self.post(query, "application/n-triples")
        return list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))


# ---------------------------------------------------------------- researcher's decisions

def read_mapping(path: Path | None) -> dict[str, str | None]:
    """actor IRI -> QID, or None for "no Wikidata item"; a tab- or comma-separated file with
    the columns actor and wikidata (lines starting with # are comments)."""
    if path is None or not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    dialect = "excel-tab" if "\t" in text.splitlines()[0] else "excel"
    decisions: dict[str, str | None] = {}
    rows = csv.DictReader((line for line in text.splitlines() if not line.startswith("#")), dialect=dialect)
    for row in rows:
        actor, qid = (row.get("actor") or "").strip(), (row.get("wikidata") or "").strip()
        if not actor or not qid:
            raise ValueError(f"{path}: every row needs an actor and a wikidata value (a QID or none)")
        if qid.lower() != "none" and not (qid.startswith("Q") and qid[1:].isdigit()):
            raise ValueError(f"{path}: {qid!r} is neither a QID nor 'none'")
        decisions[actor] = None if qid.lower() == "none" else qid
    return decisions


# ---------------------------------------------------------------- kg link

@dataclass(frozen=True)
class Candidate:
    actor: str
    actor_label: str
    qid: str
    item_label: str
    matched: str
    score: float


def unlinked_actors(store: ox.Store, decided: Iterable[str]) -> dict[str, tuple[str, set[str]]]:
    """actor IRI -> (kind, Arabic labels) for actors and places without a Wikidata link."""
    query = """SELECT DISTINCT ?a ?kind ?label WHERE {
        ?a a ?class ; rdfs:label|skos:altLabel ?label .
        FILTER (?class IN (ck:Person, ck:State, ck:GovernmentBody, ck:ArmedForces, ck:ArmedGroup,
                           ck:InternationalOrganization, ck:MediaOrganization, ck:OtherOrganization, ck:Place))
        FILTER (LANG(?label) = "ar")
        FILTER NOT EXISTS { ?a owl:sameAs ?q FILTER STRSTARTS(STR(?q), STR(wd:)) }
        BIND (STRAFTER(STR(?class), "#") AS ?kind) }"""
    found: dict[str, tuple[str, set[str]]] = {}
    skip = set(decided)
    for row in store.query(query, use_default_graph_as_union=True, prefixes=PREFIXES):
        iri = row["a"].value
        if iri not in skip:
            found.setdefault(iri, (row["kind"].value, set()))[1].add(row["label"].value)
    return found


def candidates_for(client: Client, actors: dict[str, tuple[str, set[str]]]) -> list[Candidate]:
    """Items whose Arabic label or alias equals one of the actor's names, scored."""
    by_name: dict[str, set[str]] = {}
    for iri, (_, labels) in actors.items():
        for label in labels:
            by_name.setdefault(label, set()).add(iri)
    names = sorted(by_name)
    hits: dict[tuple[str, str], dict] = {}
    for start in range(0, len(names), BATCH):
        values = " ".join(json.dumps(name, ensure_ascii=False) + "@ar" for name in names[start : start + BATCH])
        query = f"""PREFIX wdt: <{WDT}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
            SELECT ?item ?name ?alias ?class ?label WHERE {{
              VALUES ?name {{ {values} }}
              {{ ?item rdfs:label ?name BIND (false AS ?alias) }}
              UNION {{ ?item skos:altLabel ?name BIND (true AS ?alias) }}
              OPTIONAL {{ ?item wdt:P31 ?class }}
              OPTIONAL {{ ?item rdfs:label ?label FILTER (LANG(?label) = "ar") }} }}"""
        for row in client.select(query):
            qid = row["item"]["value"].removeprefix(WD)
            name = row["name"]["value"]
            for iri in by_name.get(name, ()):
                hit = hits.setdefault((iri, qid), {"classes": set(), "alias": True, "name": name, "label": name})
                hit["alias"] = hit["alias"] and row["alias"]["value"] == "true"
                if "class" in row:
                    hit["classes"].add(row["class"]["value"].removeprefix(WD))
                if "label" in row:
                    hit["label"] = row["label"]["value"]
    per_actor: dict[str, int] = {}
    for iri, _ in hits:
        per_actor[iri] = per_actor.get(iri, 0) + 1
    out = []
    for (iri, qid), hit in sorted(hits.items()):
        kind, labels = actors[iri]
        score = (0.9 if hit["alias"] else 1.0) * _kind_fit(kind, hit["classes"]) / per_actor[iri]
        out.append(Candidate(iri, sorted(labels)[0], qid, hit["label"], hit["name"], round(score, 3)))
    return out


def _kind_fit(kind: str, classes: set[str]) -> float:
    if kind in KIND_CLASSES:
        return 1.0 if classes & KIND_CLASSES[kind] else 0.3
    if kind in ORGANIZATION_KINDS:
        return 0.3 if classes & (KIND_CLASSES["Person"] | KIND_CLASSES["State"]) else 0.85
    return 0.5


def write_links(store: ox.Store, accepted: list[Candidate], endpoint: str, when: datetime) -> int:
    """Replace the links graph with the accepted links and their provenance."""
    graph = ox.NamedNode(LINKS_GRAPH)
    stamp = ox.Literal(when.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=ox.NamedNode(PREFIXES["xsd"] + "dateTime"))
    quads = []
    for c in accepted:
        actor, item = ox.NamedNode(c.actor), ox.NamedNode(WD + c.qid)
        link = ox.NamedNode(f"{BASE}id/link/{short_hash(c.actor, c.qid)}")
        quads += [
            ox.Quad(actor, ox.NamedNode(PREFIXES["owl"] + "sameAs"), item, graph),
            ox.Quad(link, ox.NamedNode(PREFIXES["rdf"] + "type"), ox.NamedNode(str(CK.WikidataLink)), graph),
            ox.Quad(link, ox.NamedNode(str(CK.linkedActor)), actor, graph),
            ox.Quad(link, ox.NamedNode(str(CK.linkedItem)), item, graph),
            ox.Quad(link, ox.NamedNode(str(CK.matchedLabel)), ox.Literal(c.matched, language="ar"), graph),
            ox.Quad(link, ox.NamedNode(str(CK.score)),
                    ox.Literal(str(c.score), datatype=ox.NamedNode(PREFIXES["xsd"] + "decimal")), graph),
            ox.Quad(link, ox.NamedNode(PREFIXES["prov"] + "generatedAtTime"), stamp, graph),
            ox.Quad(link, ox.NamedNode(str(CK.endpoint)), ox.NamedNode(endpoint), graph),
        ]
    _replace_graph(store, graph, quads)
    return len(accepted)


def write_review(path: Path, rejected: list[Candidate], threshold: float) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["actor", "actor_label", "wikidata", "item_label", "matched_label", "score", "reason"])
        for c in rejected:
            writer.writerow([c.actor, c.actor_label, c.qid, c.item_label, c.matched, c.score,
                             f"score below {threshold}"])


# ---------------------------------------------------------------- kg enrich

ENRICH_PROPERTIES = {
    "P31": "instance of", "P17": "country", "P27": "country of citizenship", "P39": "position held",
    "P625": "coordinate location", "P580": "start time", "P582": "end time",
}


def linked_items(store: ox.Store) -> list[str]:
    query = "SELECT DISTINCT ?q WHERE { ?a owl:sameAs ?q FILTER STRSTARTS(STR(?q), STR(wd:)) }"
    return sorted(row["q"].value for row in store.query(query, use_default_graph_as_union=True, prefixes=PREFIXES))


def fetch_facts(client: Client, items: list[str]) -> list[ox.Triple]:
    """The facts about the items, then the labels of the items those facts point to
    (countries, positions, classes), so that joins can name them."""
    triples = _fetch(client, items, with_properties=True)
    pointed = sorted({t.object.value for t in triples if isinstance(t.object, ox.NamedNode)
                      and t.object.value.startswith(WD)} - set(items))
    return triples + _fetch(client, pointed, with_properties=False)


def _fetch(client: Client, items: list[str], with_properties: bool) -> list[ox.Triple]:
    patterns = [
        '{ ?item rdfs:label ?label FILTER (LANG(?label) IN ("ar", "en")) }',
        '{ ?item schema:description ?description FILTER (LANG(?description) IN ("ar", "en")) }',
    ]
    if with_properties:
        properties = " ".join(f"wdt:{p}" for p in ENRICH_PROPERTIES)
        patterns.append(f"{{ VALUES ?p {{ {properties} }} ?item ?p ?value }}")
    triples: list[ox.Triple] = []
    for start in range(0, len(items), BATCH):
        values = " ".join(f"<{item}>" for item in items[start : start + BATCH])
        query = f"""PREFIX wdt: <{WDT}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            PREFIX schema: <http://schema.org/>
            CONSTRUCT {{ ?item rdfs:label ?label . ?item schema:description ?description . ?item ?p ?value }}
            WHERE {{ VALUES ?item {{ {values} }} {" UNION ".join(patterns)} }}"""
        triples += client.construct(query)
    return triples


def write_facts(store: ox.Store, triples: list[ox.Triple], endpoint: str, when: datetime) -> int:
    """Replace the Wikidata graph (only it) with the facts and where and when they came from."""
    graph = ox.NamedNode(WIKIDATA_GRAPH)
    xsd = PREFIXES["xsd"]
    about = [
        ox.Quad(graph, ox.NamedNode(PREFIXES["prov"] + "generatedAtTime"),
                ox.Literal(when.strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=ox.NamedNode(xsd + "dateTime")), graph),
        ox.Quad(graph, ox.NamedNode(PREFIXES["prov"] + "wasDerivedFrom"), ox.NamedNode(endpoint), graph),
    ]
    _replace_graph(store, graph, [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples] + about)
    return len(triples)


def _replace_graph(store: ox.Store, graph: ox.NamedNode, quads: list[ox.Quad]) -> None:
    """Drop the graph (links or Wikidata facts) and write its new content; other graphs stay."""
    if store.contains_named_graph(graph):
        store.remove_graph(graph)
    store.extend(quads)


def now() -> datetime:
    return datetime.now(timezone.utc)
