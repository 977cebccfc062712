"""The Oxigraph store on disk: one named graph per article, replaced atomically."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg.extract.model import ACTOR_CLASSES
from kg.namespaces import ACTOR, ACTORS_GRAPH, BASE, CK, FIGURES_GRAPH, PLACE, PREFIXES, graph_iri
from kg.sparql_text import has_dataset_clause

DEFAULT_STORE = "kg-store"
STORE_ENV = "KG_STORE"


class StoreError(RuntimeError):
    """A store that cannot be opened, with the reason in words."""


def quads_matching(store: ox.Store, subject: ox.Term | None = None, predicate: ox.Term | None = None,
                   obj: ox.Term | None = None, graph: ox.Term | None = None) -> Iterator[ox.Quad]:
    """store.quads_for_pattern, each quad checked against the pattern. pyoxigraph 0.5.13's
    on-disk store also returns the next 256 values for an xsd:integer object whose encoding
    ends in byte 0xFF (255, 511, 767, …): a figure no article gives any more was kept in the
    figures graph, a phantom disagreement (docs/upstream/pyoxigraph-integer-range.md)."""
    for quad in store.quads_for_pattern(subject, predicate, obj, graph):
        if ((subject is None or quad.subject == subject) and (predicate is None or quad.predicate == predicate)
                and (obj is None or quad.object == obj) and (graph is None or quad.graph_name == graph)):
            yield quad


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


@dataclass
class ArticleWrite:
    """One article ready for the store: the N-Triples of its own graph, and what it says
    about actors and figure groups (kept in the actors and figures graphs)."""

    article_id: str
    own: bytes
    shared: list[ox.Triple] = field(default_factory=list)


_ACTOR_PREFIXES = (str(ACTOR), str(PLACE))
_FIGURE_PREFIX = f"{BASE}id/figure-group/"
_SHARED_PREFIXES = (*_ACTOR_PREFIXES, _FIGURE_PREFIX)


def split_view(article_id: str, triples: Iterable[ox.Triple]) -> ArticleWrite:
    """Split an article's whole view (kg.graph.article_triples) into the triples of its
    own graph and those about actors and figure groups, which every article naming the
    same actor or group would repeat: those are stored once, in kg's shared graphs."""
    own, shared = [], []
    for triple in triples:
        (shared if triple.subject.value.startswith(_SHARED_PREFIXES) else own).append(triple)
    return ArticleWrite(article_id, ox.serialize(own, format=ox.RdfFormat.N_TRIPLES), shared)


def replace_article(store: ox.Store, article_id: str, graph: Graph) -> int:
    """Replace the article with this whole view (an rdflib graph: for tests and scripts).
    Returns the number of triples in the view."""
    data = graph.serialize(format="nt", encoding="utf-8")
    write_article(store, split_view(article_id, ox.parse(data, format=ox.RdfFormat.N_TRIPLES)))
    return len(graph)


def write_article(store: ox.Store, article: ArticleWrite) -> None:
    """Replace (or add) the article's named graph, and bring the actors and figures graphs
    in step, in one transaction (one SPARQL update): never half an article, never a
    duplicate."""
    name = ox.NamedNode(graph_iri(article.article_id))
    shared = _SharedChanges(store)
    shared.add(article.shared)
    kept = {t.subject.value for t in article.shared}
    operations = [f"DROP SILENT GRAPH {name}", f"INSERT DATA {{ GRAPH {name} {{\n{article.own.decode('utf-8')}\n}} }}"]
    operations += _leaving_operations(store, name, kept, _figure_pairs(article.shared))
    operations += shared.operations()
    store.update(" ;\n".join(operations))


def add_new_articles(store: ox.Store, articles: list[ArticleWrite]) -> None:
    """Load articles that are not in the store yet, with what they add to the actors and
    figures graphs, with Oxigraph's bulk loader in one call. Below the loader's batch size
    (1M quads) one call is one RocksDB ingestion of every index, which is atomic: after a
    crash the articles are all there or none is."""
    shared = _SharedChanges(store)
    for article in articles:
        shared.add(article.shared)
    data = b"".join(_in_graph(a.own, graph_iri(a.article_id)) for a in articles)
    store.bulk_load(data + ox.serialize(shared.inserts, format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
    if shared.deletes:  # a changed Wikidata decision: a link replaced on an actor already described
        store.update(" ;\n".join(shared.operations(inserts=False)))


def _in_graph(ntriples: bytes, graph: str) -> bytes:
    # N-Triples escapes line breaks inside literals, so every " .\n" ends a triple.
    return ntriples.replace(b" .\n", f" <{graph}> .\n".encode())


ACTORS = ox.NamedNode(ACTORS_GRAPH)
FIGURES = ox.NamedNode(FIGURES_GRAPH)
LINKS = ox.NamedNode(f"{BASE}graph/links")
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
PREF_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
ALT_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
SAME_AS = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")
REPORTED_COUNT = ox.NamedNode(CK.reportedCount)
FIGURE_GROUP = ox.NamedNode(CK.figureGroup)
COUNT = ox.NamedNode(CK["count"])
_EXTRA = (ALT_LABEL, ox.NamedNode("https://schema.org/jobTitle"))  # what every article adds to a description


@dataclass
class _Described:
    pref_labels: set[ox.Literal]
    links: set[ox.Term]


class _SharedChanges:
    """What articles being written change in the actors and figures graphs.

    An actor is described once. The first article that names it gives its classes,
    preferred labels and affiliation; every article adds its spellings (skos:altLabel,
    a preferred label another article gave included) and roles. The Wikidata link is the
    one of the latest build, so that a researcher's decision (kg build --links) takes
    effect. A figure group holds each figure that some article gives, once."""

    def __init__(self, store: ox.Store):
        self.store = store
        self.described: dict[ox.NamedNode, _Described | None] = {}
        self._inserts: dict[ox.Quad, None] = {}
        self._deletes: dict[ox.Quad, None] = {}

    @property
    def inserts(self) -> list[ox.Quad]:
        return list(self._inserts)

    @property
    def deletes(self) -> list[ox.Quad]:
        return list(self._deletes)

    def add(self, triples: list[ox.Triple]) -> None:
        about: dict[ox.NamedNode, list[ox.Triple]] = {}
        for triple in triples:
            about.setdefault(triple.subject, []).append(triple)
        for subject, description in about.items():
            if subject.value.startswith(_FIGURE_PREFIX):
                for triple in description:
                    self._insert(triple, FIGURES)
            else:
                self._describe(subject, description)

    def _describe(self, actor: ox.NamedNode, triples: list[ox.Triple]) -> None:
        known = self._known(actor)
        core = [t for t in triples if t.predicate not in _EXTRA]
        links = {t.object for t in core if t.predicate == SAME_AS}
        if known is None:
            for triple in triples:
                self._insert(triple, ACTORS)
            self.described[actor] = _Described({t.object for t in core if t.predicate == PREF_LABEL}, links)
            return
        for triple in triples:
            if triple.predicate == PREF_LABEL and triple.object not in known.pref_labels:
                self._insert(ox.Triple(actor, ALT_LABEL, triple.object), ACTORS)
            elif triple.predicate in _EXTRA and triple.object not in known.pref_labels:
                self._insert(triple, ACTORS)
        for link in known.links - links:
            self._delete(ox.Triple(actor, SAME_AS, link), ACTORS)
        for link in links - known.links:
            self._insert(ox.Triple(actor, SAME_AS, link), ACTORS)
        known.links = links

    def _known(self, actor: ox.NamedNode) -> _Described | None:
        if actor not in self.described:
            quads = list(quads_matching(self.store, actor, None, None, ACTORS))
            self.described[actor] = _Described(
                {q.object for q in quads if q.predicate == PREF_LABEL},
                {q.object for q in quads if q.predicate == SAME_AS},
            ) if quads else None
        return self.described[actor]

    def _insert(self, triple: ox.Triple, graph: ox.NamedNode) -> None:
        quad = ox.Quad(triple.subject, triple.predicate, triple.object, graph)
        self._deletes.pop(quad, None)
        self._inserts[quad] = None

    def _delete(self, triple: ox.Triple, graph: ox.NamedNode) -> None:
        quad = ox.Quad(triple.subject, triple.predicate, triple.object, graph)
        self._inserts.pop(quad, None)
        self._deletes[quad] = None

    def operations(self, inserts: bool = True) -> list[str]:
        operations = []
        if self._deletes:
            operations.append(f"DELETE DATA {{\n{_nquads(self._deletes)}\n}}")
        if inserts and self._inserts:
            operations.append(f"INSERT DATA {{\n{_nquads(self._inserts)}\n}}")
        return operations


def _nquads(quads: Iterable[ox.Quad]) -> str:
    """Quads as the body of INSERT DATA / DELETE DATA: one GRAPH block per graph."""
    by_graph: dict[ox.NamedNode, list[ox.Triple]] = {}
    for quad in quads:
        by_graph.setdefault(quad.graph_name, []).append(quad.triple)
    return "\n".join(f"GRAPH {graph} {{\n{ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode('utf-8')}}}"
                     for graph, triples in by_graph.items())


def _figure_pairs(triples: Iterable[ox.Triple]) -> set[tuple[ox.Term, ox.Term]]:
    return {(t.subject, t.object) for t in triples if t.predicate == REPORTED_COUNT}


def _leaving_operations(store: ox.Store, graph: ox.NamedNode, kept_actors: set[str],
                        kept_figures: set[tuple[ox.Term, ox.Term]]) -> list[str]:
    """SPARQL operations for what leaves the shared graphs when this article graph is
    replaced by one that names only kept_actors and gives only kept_figures (none: removed).
    An actor's description leaves with the last article that names it, a figure with the
    last article that gives it."""
    operations = []
    for actor in sorted(referenced_actors(store, graph) - kept_actors):
        if not _named_elsewhere(store, ox.NamedNode(actor), graph):
            operations.append(f"DELETE WHERE {{ GRAPH {ACTORS} {{ <{actor}> ?p ?o }} }}")
    stale = [pair for pair in _stated_figures(store, graph) - kept_figures if not _given_elsewhere(store, *pair, graph)]
    if stale:
        body = "\n".join(f"{group} {REPORTED_COUNT} {count} ." for group, count in sorted(stale, key=str))
        operations.append(f"DELETE DATA {{ GRAPH {FIGURES} {{\n{body}\n}} }}")
    return operations


def referenced_actors(store: ox.Store, graph: ox.NamedNode) -> set[str]:
    """The IRIs of the actors and places an article graph refers to."""
    return {q.object.value for q in quads_matching(store, None, None, None, graph)
            if isinstance(q.object, ox.NamedNode) and q.object.value.startswith(_ACTOR_PREFIXES)}


def _named_elsewhere(store: ox.Store, actor: ox.NamedNode, graph: ox.NamedNode) -> bool:
    return any(q.graph_name != graph and q.graph_name.value not in NON_ARTICLE_GRAPHS
               for q in quads_matching(store, None, None, actor, None))


def _stated_figures(store: ox.Store, graph: ox.NamedNode | None) -> set[tuple[ox.Term, ox.Term]]:
    """(figure group, count) of the claims of one article graph (None: of every graph)."""
    return {(q.object, count.object) for q in quads_matching(store, None, FIGURE_GROUP, None, graph)
            for count in quads_matching(store, q.subject, COUNT, None, q.graph_name)}


def _given_elsewhere(store: ox.Store, group: ox.Term, count: ox.Term, graph: ox.NamedNode) -> bool:
    return any(q.graph_name != graph and any(quads_matching(store, q.subject, COUNT, count, q.graph_name))
               for q in quads_matching(store, None, FIGURE_GROUP, group, None))


def actors_linked_to(store: ox.Store, item: ox.NamedNode) -> list[str]:
    """The actors and places linked to a Wikidata item (by the gazetteer, a decision or kg link)."""
    return sorted({q.subject.value for graph in (ACTORS, LINKS)
                   for q in quads_matching(store, None, SAME_AS, item, graph)})


def figures_out_of_step(store: ox.Store) -> tuple[int, int]:
    """(figures that claims give but the figures graph lacks, figures in it that no claim
    gives). kg keeps both at 0; a SPARQL update sent to the store by hand may not."""
    stated = _stated_figures(store, None)
    indexed = {(q.subject, q.object) for q in quads_matching(store, None, REPORTED_COUNT, None, FIGURES)}
    return len(stated - indexed), len(indexed - stated)


def actors_out_of_step(store: ox.Store) -> tuple[int, int]:
    """(actors that article graphs name but the actors graph does not describe, actors it
    describes that no article names). kg keeps both at 0."""
    named: set[str] = set()
    for graph in article_graphs(store):
        named |= referenced_actors(store, graph)
    described = {q.subject.value for q in quads_matching(store, None, TYPE, None, ACTORS)}
    return len(named - described), len(described - named)


def rebuild_figures_graph(store: ox.Store) -> None:
    """Rewrite the figures graph from the claims of the article graphs, in one transaction."""
    store.update(f"""DROP SILENT GRAPH {FIGURES} ;
        INSERT {{ GRAPH {FIGURES} {{ ?group {REPORTED_COUNT} ?count }} }}
        WHERE {{ GRAPH ?g {{ ?claim {FIGURE_GROUP} ?group ; {COUNT} ?count }} }}""")


class ReservedGraph(ValueError):
    """An article id that names one of kg's own graphs."""


def remove_article(store: ox.Store, article_id: str) -> bool:
    """Remove the article's graph and what only it gave to the actors and figures graphs.
    False when there is no such article; kg's own graphs are refused (ReservedGraph)."""
    name = ox.NamedNode(graph_iri(article_id))
    if name.value in NON_ARTICLE_GRAPHS:
        raise ReservedGraph(f"{article_id!r} is kg's own graph, not an article: it cannot be removed")
    if not store.contains_named_graph(name):
        return False
    store.update(" ;\n".join([f"DROP GRAPH {name}", *_leaving_operations(store, name, set(), set())]))
    return True


def article_view(store: ox.Store, graph: ox.NamedNode) -> bytes:
    """N-Triples of an article's whole view as the store holds it: its graph, the
    descriptions of the actors it names and the figures of its figure groups (what SHACL
    validates, as at build time)."""
    own = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
    shared = [ox.Triple(q.subject, q.predicate, q.object)
              for actor in sorted(referenced_actors(store, graph))
              for q in quads_matching(store, ox.NamedNode(actor), None, None, ACTORS)]
    groups = sorted({q.object for q in quads_matching(store, None, FIGURE_GROUP, None, graph)}, key=str)
    shared += [ox.Triple(q.subject, q.predicate, q.object)
               for group in groups for q in quads_matching(store, group, None, None, FIGURES)]
    return own + ox.serialize(shared, format=ox.RdfFormat.N_TRIPLES)


def article_graph_from_store(store: ox.Store, graph_name: ox.NamedNode) -> Graph:
    """An rdflib copy of an article's whole view (see article_view)."""
    return Graph().parse(data=article_view(store, graph_name).decode("utf-8"), format="nt")


def run_query(store: ox.Store, query: str, *, substitutions: dict[str, ox.Term] | None = None,
              default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
              base_iri: str | None = None):
    """Run a SPARQL query with SPARQL 1.1's dataset rules: the dataset the request names
    (the protocol's default-graph-uri / named-graph-uri), else the one the query names
    (FROM, FROM NAMED), else every named graph, with their union as the default graph
    (each triple is stored in one graph only, so the union counts each fact once).
    substitutions bind variables to terms before evaluation (never pasted into the text)."""
    options: dict = {}
    if default_graphs is not None or named_graphs is not None:
        options["default_graph"] = [ox.NamedNode(g) for g in default_graphs or []]
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs or []]
    elif not has_dataset_clause(query):
        options["use_default_graph_as_union"] = True
    if substitutions:
        options["substitutions"] = {ox.Variable(name): term for name, term in substitutions.items()}
    return store.query(query, prefixes=PREFIXES, base_iri=base_iri, **options)


def select(store: ox.Store, query: str, substitutions: dict[str, ox.Term] | None = None
           ) -> tuple[list[str], list[list[object]]]:
    """Run a SELECT (see run_query): (variables, rows of terms)."""
    result = run_query(store, query, substitutions=substitutions)
    if not isinstance(result, ox.QuerySolutions):
        raise StoreError("only SELECT queries can be printed as rows; use 'kg export' for graphs")
    variables = [v.value for v in result.variables]
    rows = [list(solution) for solution in result]
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
    ACTORS_GRAPH,
    "https://w3id.org/conflict-kg/graph/dataset",
    "https://w3id.org/conflict-kg/graph/links",
    "https://w3id.org/conflict-kg/graph/wikidata",
}


def article_graphs(store: ox.Store) -> list[ox.NamedNode]:
    return sorted((g for g in store.named_graphs() if g.value not in NON_ARTICLE_GRAPHS), key=lambda g: g.value)
