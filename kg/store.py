"""The Oxigraph store on disk: one named graph per article, replaced atomically."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.extract.model import ACTOR_CLASSES
from kg.namespaces import CK, FIGURES_GRAPH, PREFIXES, graph_iri

DEFAULT_STORE = "kg-store"
STORE_ENV = "KG_STORE"


class StoreError(RuntimeError):
    """A store that cannot be opened, with the reason in words."""


def default_store_path() -> Path:
    return Path(os.environ.get(STORE_ENV) or DEFAULT_STORE)


READ_ONLY_ATTEMPTS = 20


def open_store(path: Path, *, read_only: bool = False) -> ox.Store:
    if read_only:
        return _open_read_only(path)
    try:
        return ox.Store(str(path))
    except (OSError, RuntimeError) as err:
        if "lock" in str(err).lower():
            raise StoreError(
                f"the store at {path} is open for writing by another process (a running kg build?); "
                "Oxigraph allows one writer at a time: wait for it to finish or use another --store"
            ) from err
        raise StoreError(f"cannot open the store at {path}: {err}") from err


def _open_read_only(path: Path) -> ox.Store:
    """A read-only snapshot. While a writer runs, RocksDB may replace the manifest file
    that a reader is about to open; that race is transient, so the open is retried."""
    if not path.is_dir():
        raise StoreError(f"no store at {path} (run 'kg build' first, or pass --store)")
    for attempt in range(READ_ONLY_ATTEMPTS):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as err:
            transient = "No such file or directory" in str(err)
            if not transient or attempt == READ_ONLY_ATTEMPTS - 1:
                raise StoreError(f"cannot open the store at {path} read-only: {err}") from err
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def replace_article(store: ox.Store, article_id: str, graph: Graph) -> int:
    """Replace the article's named graph with these triples in one transaction.
    Returns the number of quads written."""
    replace_article_ntriples(store, article_id, graph.serialize(format="nt", encoding="utf-8").decode("utf-8"))
    return len(graph)


def replace_article_ntriples(store: ox.Store, article_id: str, ntriples: str) -> None:
    """Replace the article's named graph with these N-Triples, and keep the figures graph
    in step, in one transaction (one SPARQL update): never half an article, never a
    duplicate."""
    name = graph_iri(article_id)
    figures = _figure_lines(ntriples.encode("utf-8"))
    operations = [f"DROP SILENT GRAPH <{name}>", f"INSERT DATA {{ GRAPH <{name}> {{\n{ntriples}\n}} }}"]
    operations += _figures_update(store, name, figures)
    store.update(" ;\n".join(operations))


def add_new_articles(store: ox.Store, articles: list[tuple[str, bytes]]) -> None:
    """Load the graphs of articles that are not in the store yet, given as (id, N-Triples),
    with their figures (see _figure_lines), with Oxigraph's bulk loader in one call. Below
    the loader's batch size (1M quads) one call is one RocksDB ingestion of every index,
    which is atomic: after a crash the articles are all there or none is."""
    data = b"".join(_in_graph(ntriples, graph_iri(article_id)) for article_id, ntriples in articles)
    figures = b"".join(line for _, ntriples in articles for line in _figure_lines(ntriples))
    store.bulk_load(data + _in_graph(figures, FIGURES_GRAPH), format=ox.RdfFormat.N_QUADS)


def _in_graph(ntriples: bytes, graph: str) -> bytes:
    # N-Triples escapes line breaks inside literals, so every " .\n" ends a triple.
    return ntriples.replace(b" .\n", f" <{graph}> .\n".encode())


REPORTED_COUNT = ox.NamedNode(CK.reportedCount)
# An IRI subject, then the predicate (N-Triples has no spaces inside IRIs, one triple a line).
_FIGURE_LINE = re.compile(rb"^<[^>\n]*> " + re.escape(f"<{CK.reportedCount}>".encode()) + rb" [^\n]*\n", re.MULTILINE)


def _figure_lines(ntriples: bytes) -> list[bytes]:
    """The article's (figure group, reported count) triples: copied into the figures graph,
    which holds each group's distinct figures once, so that conflicting_figures finds
    disagreement without reading every claim of the store."""
    return _FIGURE_LINE.findall(ntriples)


def _figures_update(store: ox.Store, graph: str, new_lines: list[bytes]) -> list[str]:
    """SPARQL operations that bring the figures graph in step when this article graph is
    replaced by one with these figure triples (none: removed). A figure leaves the figures
    graph only when no other article states it."""
    operations = []
    if new_lines:
        operations.append(f"INSERT DATA {{ GRAPH <{FIGURES_GRAPH}> {{\n{b''.join(new_lines).decode('utf-8')}\n}} }}")
    new = {(t.subject, t.object) for t in ox.parse(b"".join(new_lines), format=ox.RdfFormat.N_TRIPLES)}
    old = {(q.subject, q.object) for q in store.quads_for_pattern(None, REPORTED_COUNT, None, ox.NamedNode(graph))}
    stale = [pair for pair in old - new if not _stated_elsewhere(store, *pair, graph)]
    if stale:
        body = "\n".join(f"{group} {REPORTED_COUNT} {count} ." for group, count in sorted(stale, key=str))
        operations.append(f"DELETE DATA {{ GRAPH <{FIGURES_GRAPH}> {{\n{body}\n}} }}")
    return operations


def _stated_elsewhere(store: ox.Store, group: ox.NamedNode, count: ox.Literal, graph: str) -> bool:
    return any(q.graph_name.value not in (graph, FIGURES_GRAPH)
               for q in store.quads_for_pattern(group, REPORTED_COUNT, count, None))


def figures_out_of_step(store: ox.Store) -> tuple[int, int]:
    """(figures stated by articles but missing from the figures graph, figures in it that no
    article states). kg keeps both at 0; a SPARQL update sent to the store by hand may not."""
    stated, indexed = set(), set()
    figures = ox.NamedNode(FIGURES_GRAPH)
    for quad in store.quads_for_pattern(None, REPORTED_COUNT, None, None):
        (indexed if quad.graph_name == figures else stated).add((quad.subject, quad.object))
    return len(stated - indexed), len(indexed - stated)


def rebuild_figures_graph(store: ox.Store) -> None:
    """Rewrite the figures graph from the article graphs, in one transaction."""
    store.update(f"""DROP SILENT GRAPH <{FIGURES_GRAPH}> ;
        INSERT {{ GRAPH <{FIGURES_GRAPH}> {{ ?group <{REPORTED_COUNT.value}> ?count }} }}
        WHERE {{ GRAPH ?g {{ ?group <{REPORTED_COUNT.value}> ?count }} FILTER (?g != <{FIGURES_GRAPH}>) }}""")


def remove_article(store: ox.Store, article_id: str) -> bool:
    name = graph_iri(article_id)
    if not store.contains_named_graph(ox.NamedNode(name)):
        return False
    store.update(" ;\n".join([f"DROP GRAPH <{name}>", *_figures_update(store, name, [])]))
    return True


def article_graph_from_store(store: ox.Store, graph_name: ox.NamedNode) -> Graph:
    """An rdflib copy of one named graph (for SHACL validation)."""
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph_name)
    return Graph().parse(data=data.decode("utf-8"), format="nt")


def select(store: ox.Store, query: str) -> tuple[list[str], list[list[object]]]:
    """Run a SELECT over the union of all article graphs: (variables, rows of terms)."""
    result = store.query(query, use_default_graph_as_union=True, prefixes=PREFIXES)
    if not isinstance(result, ox.QuerySolutions):
        raise StoreError("only SELECT queries can be printed as rows; use 'kg export' for graphs")
    variables = [v.value for v in result.variables]
    rows = [[solution[v] for v in result.variables] for solution in result]
    return variables, rows


_COUNT_QUERIES = {
    "articles": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ck:Article }",
    "actors": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ck:Actor }",
    "places": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ck:Place }",
    "mentions": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ck:Mention }",
    "statements": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ck:Statement }",
    "casualty claims": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ck:CasualtyClaim }",
    "mediations": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ck:Mediation }",
    "wikidata links": """SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {
        ?x owl:sameAs ?q FILTER STRSTARTS(STR(?q), STR(wd:)) }""",
}

_BREAKDOWNS = {
    "statements by kind": """SELECT ?key (COUNT(DISTINCT ?x) AS ?n) WHERE {
        ?x a ck:Statement ; ck:statementKind/skos:notation ?key } GROUP BY ?key ORDER BY ?key""",
    "casualty claims by kind": """SELECT ?key (COUNT(DISTINCT ?x) AS ?n) WHERE {
        ?x a ck:CasualtyClaim ; ck:casualtyKind/skos:notation ?key } GROUP BY ?key ORDER BY ?key""",
    "mediations by kind": """SELECT ?key (COUNT(DISTINCT ?x) AS ?n) WHERE {
        ?x a ck:Mediation ; ck:mediationKind/skos:notation ?key } GROUP BY ?key ORDER BY ?key""",
}


SUMMARY = ("articles", "actors", "places", "statements", "casualty claims", "mediations")


def summary(store: ox.Store) -> dict[str, int]:
    """The few counts kg build prints when it ends. Each reads one class's index; the full
    stats also count every quad and mention, which takes tens of seconds on a store of
    100,000 articles (measured: 14 s for the quads alone)."""
    return {name: _count(store, _COUNT_QUERIES[name]) for name in SUMMARY}


def _count(store: ox.Store, query: str) -> int:
    _, rows = select(store, query)
    return int(rows[0][0].value)


def stats(store: ox.Store) -> dict[str, object]:
    """Counts of what the store holds: totals, then breakdowns per type and kind."""
    out: dict[str, object] = {
        "quads": len(store),
        "article graphs": len(article_graphs(store)),
    }
    for name, query in _COUNT_QUERIES.items():
        out[name] = _count(store, query)
    out["actors by type"] = _actors_by_type(store)
    for name, query in _BREAKDOWNS.items():
        _, rows = select(store, query)
        out[name] = {row[0].value: int(row[1].value) for row in rows}
    return out


def _actors_by_type(store: ox.Store) -> dict[str, int]:
    # One count per class: a single query over every typed node would meet each actor
    # once per article that describes it.
    counts = {}
    for kind in ACTOR_CLASSES:
        n = _count(store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a ck:{kind} }}")
        if n:
            counts[kind] = n
    return counts


ONTOLOGY_GRAPH = "https://w3id.org/conflict-kg/graph/ontology"


def load_ontology(store: ox.Store, ontology: Path) -> None:
    """(Re)load the ontology and its vocabularies into their own named graph, so that
    queries can read labels and notations of classes and concepts from the store."""
    graph = Graph().parse(ontology)
    body = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    store.update(f"DROP SILENT GRAPH <{ONTOLOGY_GRAPH}> ;\nINSERT DATA {{ GRAPH <{ONTOLOGY_GRAPH}> {{\n{body}\n}} }}")


NON_ARTICLE_GRAPHS = {
    ONTOLOGY_GRAPH,
    FIGURES_GRAPH,
    "https://w3id.org/conflict-kg/graph/links",
    "https://w3id.org/conflict-kg/graph/wikidata",
}


def article_graphs(store: ox.Store) -> list[ox.NamedNode]:
    return sorted((g for g in store.named_graphs() if g.value not in NON_ARTICLE_GRAPHS), key=lambda g: g.value)
