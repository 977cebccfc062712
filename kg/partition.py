"""Running a query over some of the articles when that gives the very same answer.

kg's named queries read what an article states inside GRAPH ?g, and everything else from
graphs they name (actors, ontology, figures, links). For a query of that shape:

- a variable read inside GRAPH ?g and bound to a value (kg query --bind) can only take
  that value in the article graphs holding it, which an index lookup finds: the query then
  runs over those graphs (and the graphs it names) instead of over every article;
- when its first ORDER BY key is the article's identifier, its answer is the concatenation
  of its answers over consecutive runs of articles in identifier order: the first rows come
  after one small run instead of after a sort of the whole store.

Whether a query has that shape is read from its algebra (rdflib), conservatively: any form
not known to keep the answer the same (LIMIT, MINUS, SERVICE, a second graph variable,
triples read from the default graph, …), or a query rdflib cannot read, is run as written
over the whole store. tests/test_partition.py compares both ways on every named query."""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

import pyoxigraph as ox

from kg.sparql_text import certain_variables, query_algebra
from kg.store import quads_matching

DCTERMS_IDENTIFIER = "http://purl.org/dc/terms/identifier"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
T = TypeVar("T")
R = TypeVar("R")
BATCH = 64  # articles per run: Oxigraph's cost per article grows past ~100 listed graphs (measured)


class NotArticleShaped(Exception):
    """The query has a form for which running it over some articles could change its answer."""


@dataclass
class Shape:
    """What the algebra says about a query that reads articles inside GRAPH ?graph."""

    graph: str
    named: set[str] = field(default_factory=set)  # the graphs the query names (IRIs)
    patterns: dict[str, list[tuple]] = field(default_factory=dict)  # variable -> its triple patterns in ?graph
    pattern: object = None  # the WHERE part's algebra (under grouping, ordering, projection)
    group_keys: set[str] | None = None  # the GROUP BY variables, when the query groups
    distinct: bool = False
    projected: set[str] = field(default_factory=set)
    order: list[tuple[str | None, bool]] = field(default_factory=list)  # (variable or None, ascending)

    def narrows(self, variable: str) -> bool:
        """Whether every solution binding the variable takes its value from a triple of ?graph
        (so only the graphs holding that value can give a row where it has it)."""
        if variable not in self.patterns or not _anchored(self.pattern, variable, self.graph, in_article=False):
            return False
        return self.group_keys is None or variable in self.group_keys

    def document_order(self) -> str | None:
        """The variable of the first ORDER BY key when it is the article's identifier, read
        in ?graph by every solution, and one row's identifier keeps it apart from the others."""
        if not self.order or self.order[0][0] is None or not self.order[0][1]:
            return None
        variable = self.order[0][0]
        reads_identifier = any(str(p[1]) == DCTERMS_IDENTIFIER and str(p[2]) == variable
                               for p in self.patterns.get(variable, []))
        if not reads_identifier or not self.narrows(variable) or variable not in certain_variables(self.pattern):
            return None
        if self.distinct and variable not in self.projected:
            return None
        return variable


def article_shape(text: str, prefixes: dict[str, str]) -> Shape | None:
    """The query's shape, or None when it is not read only through one GRAPH ?g (or rdflib
    cannot read it)."""
    query = query_algebra(text, prefixes)
    if getattr(query, "name", None) != "SelectQuery" or query.get("datasetClause"):
        return None
    try:
        return _shape(query)
    except NotArticleShaped:
        return None


def _shape(query) -> Shape:
    node = query["p"]
    shape = Shape(graph="")
    while node.name in ("Distinct", "Reduced", "Project", "OrderBy"):
        if node.name == "Distinct":
            shape.distinct = True
        elif node.name == "Project":
            shape.projected = {str(v) for v in node["PV"]}
        elif node.name == "OrderBy":
            shape.order = [_order_key(condition) for condition in node["expr"]]
        node = node["p"]
    while node.name in ("Filter", "Extend"):  # HAVING and SELECT expressions over the groups
        _refuse_exists(node["expr"])
        node = node["p"]
    if node.name == "AggregateJoin":
        group = node["p"]
        keys = group.get("expr") or []
        shape.group_keys = {str(k) for k in keys if _is_variable(k)}
        if len(shape.group_keys) != len(keys):
            raise NotArticleShaped  # a key that is an expression
        node = group["p"]
    shape.pattern = node
    _walk(node, None, shape, subquery=False)
    if not shape.graph:
        raise NotArticleShaped
    return shape


def _order_key(condition) -> tuple[str | None, bool]:
    expression = condition["expr"] if getattr(condition, "name", None) == "OrderCondition" else condition
    ascending = getattr(condition, "name", None) != "OrderCondition" or condition.get("order") != "DESC"
    return (str(expression) if _is_variable(expression) else None), ascending


def _is_variable(term) -> bool:
    from rdflib.term import Variable

    return isinstance(term, Variable)


def _walk(node, graph, shape: Shape, subquery: bool) -> None:
    """Check the pattern's forms and collect the triple patterns read in ?graph. graph is
    the active graph: None for the default graph, a variable name, or ('iri', IRI)."""
    from rdflib.term import URIRef

    name = getattr(node, "name", None)
    if name == "BGP":
        if graph is None:
            raise NotArticleShaped  # triples of the default graph: every article's
        if not isinstance(graph, tuple):
            for triple in node["triples"]:
                for term in triple:
                    if _is_variable(term):
                        shape.patterns.setdefault(str(term), []).append(triple)
        return
    if name == "Graph":
        term = node["term"]
        if isinstance(term, URIRef):
            shape.named.add(str(term))
            _walk(node["p"], ("iri", str(term)), shape, subquery)
            return
        if not _is_variable(term) or subquery or shape.graph not in ("", str(term)):
            raise NotArticleShaped  # a second graph variable, or articles read in a subquery
        shape.graph = str(term)
        _walk(node["p"], str(term), shape, subquery)
        return
    if name in ("Join", "Union"):
        _walk(node["p1"], graph, shape, subquery)
        _walk(node["p2"], graph, shape, subquery)
        return
    if name == "LeftJoin":
        _walk(node["p1"], graph, shape, subquery)
        _walk(node["p2"], graph, shape, subquery)
        _refuse_exists(node.get("expr"))
        return
    if name in ("Filter", "Extend"):
        _refuse_exists(node["expr"])
        _walk(node["p"], graph, shape, subquery)
        return
    if name == "ToMultiSet":  # a subquery or VALUES: may read only the graphs it names
        _walk(node["p"], graph, shape, subquery=True)
        return
    if name == "values":
        return
    if subquery and name in ("Project", "Distinct", "Reduced", "OrderBy", "Slice", "AggregateJoin", "Group"):
        _walk(node["p"], graph, shape, subquery)
        if name == "Group":
            _refuse_exists(node.get("expr"))
        return
    raise NotArticleShaped  # MINUS, SERVICE, LIMIT/OFFSET, anything else


def _refuse_exists(expression) -> None:
    """EXISTS / NOT EXISTS read graphs of their own: such a query is run as written."""
    if getattr(expression, "name", None) in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
        raise NotArticleShaped
    values = expression.values() if isinstance(expression, dict) else expression \
        if isinstance(expression, list | tuple) else ()
    for value in values:
        _refuse_exists(value)


def _anchored(node, variable: str, graph: str, in_article: bool) -> bool:
    """Whether every solution of node that binds variable took its value from a triple
    pattern inside GRAPH ?graph (by SPARQL's algebra)."""
    name = node.name
    if name == "BGP":
        mentions = any(str(term) == variable for triple in node["triples"] for term in triple if _is_variable(term))
        return in_article or not mentions
    if name == "Graph":
        inside = _is_variable(node["term"]) and str(node["term"]) == graph
        if str(node["term"]) == variable:
            return False
        return _anchored(node["p"], variable, graph, inside)
    if name in ("Join", "LeftJoin"):
        left = _anchored(node["p1"], variable, graph, in_article)
        right = _anchored(node["p2"], variable, graph, in_article)
        if left and right:
            return True
        if left and variable in certain_variables(node["p1"]):
            return True
        return name == "Join" and right and variable in certain_variables(node["p2"])
    if name == "Union":
        return _anchored(node["p1"], variable, graph, in_article) and _anchored(node["p2"], variable, graph, in_article)
    if name == "Filter":
        return _anchored(node["p"], variable, graph, in_article)
    if name == "Extend":
        return str(node["var"]) != variable and _anchored(node["p"], variable, graph, in_article)
    return variable not in {str(v) for v in node.get("_vars", ())} and variable not in _subquery_variables(node)


def _subquery_variables(node) -> set[str]:
    found: set[str] = set()

    def collect(value) -> None:
        if _is_variable(value):
            found.add(str(value))
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list | tuple):
            for item in value:
                collect(item)

    collect(node)
    return found


def graphs_holding(store: ox.Store, shape: Shape, variable: str, terms: list[ox.Term]) -> set[ox.NamedNode]:
    """The graphs where a triple pattern of ?graph that mentions the variable matches with
    the variable set to one of the terms: the only graphs a row with that value can come from."""
    found: set[ox.NamedNode] = set()
    for term in terms:
        for triple in shape.patterns[variable]:
            lookup = [term if _is_variable(part) and str(part) == variable else _oxigraph_term(part) for part in triple]
            if isinstance(lookup[0], ox.Literal) or (lookup[1] is not None and not isinstance(lookup[1], ox.NamedNode)):
                continue  # no triple has a literal subject or predicate
            for quad in quads_matching(store, *lookup, None):
                if isinstance(quad.graph_name, ox.NamedNode):
                    found.add(quad.graph_name)
    return found


def _oxigraph_term(term) -> ox.Term | None:
    """A constant of a triple pattern as a pyoxigraph term; None (any) for a variable,
    a blank node (a variable too, in a pattern) or a property path."""
    from rdflib.term import Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)
    return None


_ONE_IDENTIFIER_EACH = """SELECT (COUNT(*) AS ?identifiers) (COUNT(DISTINCT ?g) AS ?graphs) WHERE {
  GRAPH ?g { ?article <http://purl.org/dc/terms/identifier> ?doc } }"""
_IN_DOCUMENT_ORDER = """SELECT ?g ?doc WHERE { GRAPH ?g { ?article <http://purl.org/dc/terms/identifier> ?doc } }
ORDER BY ?doc"""


def runs_in_document_order(store: ox.Store, shape: Shape,
                           graphs: set[ox.NamedNode] | None) -> Iterator[list[ox.NamedNode]] | None:
    """Consecutive runs of the article graphs (all, or those given) in the order of their
    identifiers (Oxigraph's ORDER BY, the query's own order), 1, 2, 4, … then BATCH graphs
    long, a run never ending between two graphs with the same identifier; None unless each
    graph holds at most one identifier and no graph the query names holds any (those are in
    every run: a row from one would be repeated)."""
    identifier = ox.NamedNode(DCTERMS_IDENTIFIER)
    if any(next(quads_matching(store, None, identifier, None, ox.NamedNode(iri)), None) for iri in shape.named):
        return None
    counts = next(iter(store.query(_ONE_IDENTIFIER_EACH)))
    if counts["identifiers"] != counts["graphs"]:
        return None
    if graphs is not None:
        pairs = [(q.graph_name, q.object) for g in graphs for q in quads_matching(store, None, identifier, None, g)]
        if all(isinstance(doc, ox.Literal) and doc.datatype.value == XSD_STRING for _, doc in pairs):
            # plain strings: Python's order is Oxigraph's (code points)
            return _runs(iter(sorted(pairs, key=lambda pair: pair[1].value)))
    ordered = ((row["g"], row["doc"]) for row in store.query(_IN_DOCUMENT_ORDER))
    return _runs((g, doc) for g, doc in ordered if graphs is None or g in graphs)


def _runs(ordered: Iterator[tuple[ox.NamedNode, ox.Term]]) -> Iterator[list[ox.NamedNode]]:
    run: list[ox.NamedNode] = []
    size, last = 1, None
    for graph, doc in ordered:
        if len(run) >= size and doc != last:
            yield run
            run, size = [], min(size * 2, BATCH)
        run.append(graph)
        last = doc
    if run:
        yield run


def run_over(store: ox.Store, text: str, shape: Shape, runs: Iterator[list[ox.NamedNode]], *,
             substitutions: dict[str, ox.Term], prefixes: dict[str, str],
             jobs: int = 1) -> tuple[list[str], Iterator[list]]:
    """Run the query over each run of article graphs in turn, each time with the graphs the
    query names: (variables, rows in order). With jobs > 1, the runs after the first are
    evaluated up to that many at once, on threads (Oxigraph lets go of the GIL while it
    evaluates), a few runs ahead of the rows written, which still come in order."""
    named = [ox.NamedNode(iri) for iri in sorted(shape.named)]
    options = {"prefixes": prefixes, "default_graph": [],
               "substitutions": {ox.Variable(k): v for k, v in substitutions.items()}}

    def evaluate(run: list[ox.NamedNode]) -> ox.QuerySolutions:
        return store.query(text, named_graphs=run + named, **options)

    def evaluated(run: list[ox.NamedNode]) -> list[list]:
        result = evaluate(run)
        return [list(solution) for solution in result]

    runs = iter(runs)
    first = evaluate(next(runs, []))  # no article at all: the query still answers with its variables
    variables = [v.value for v in first.variables]

    def rows() -> Iterator[list]:
        for solution in first:
            yield list(solution)
        for run_rows in ordered_ahead(evaluated, runs, jobs):
            yield from run_rows

    return variables, rows()


def ordered_ahead(function: Callable[[T], R], items: Iterator[T], jobs: int) -> Iterator[R]:
    """function(item) for each item, in order; with jobs > 1 on that many threads, at most
    2 × jobs items ahead of the one being consumed (so memory stays bounded)."""
    if jobs <= 1:
        yield from map(function, items)
        return
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="kg-run") as pool:
        pending: deque[Future[R]] = deque()
        try:
            for item in items:
                pending.append(pool.submit(function, item))
                if len(pending) > 2 * jobs:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:  # the consumer stopped early (--limit, a closed pipe): drop what has not started
            for future in pending:
                future.cancel()


LARGE = 4 * BATCH  # below this many graphs a store is answered in one go (rdflib's parse costs more)


def over_articles(store: ox.Store, text: str, bound: dict[str, list[ox.Term]], substitutions: dict[str, ox.Term],
                  prefixes: dict[str, str], jobs: int = 1) -> tuple[list[str], Iterator[list]] | None:
    """The query's (variables, rows) run over only the articles that can answer it, or in
    runs of articles in document order; None when it must run as written over the store."""
    if not bound and sum(1 for _ in itertools.islice(store.named_graphs(), LARGE + 1)) <= LARGE:
        return None
    shape = article_shape(text, prefixes)
    if shape is None:
        return None
    graphs: set[ox.NamedNode] | None = None
    for variable in bound:
        if shape.narrows(variable):
            holding = graphs_holding(store, shape, variable, bound[variable])
            graphs = holding if graphs is None else graphs & holding
    if graphs is not None and len(graphs) <= BATCH:  # a few articles: one run, in the query's own order
        return run_over(store, text, shape, iter([sorted(graphs, key=str)]), substitutions=substitutions,
                        prefixes=prefixes)
    if shape.document_order():
        runs = runs_in_document_order(store, shape, graphs)
        if runs is not None:
            return run_over(store, text, shape, runs, substitutions=substitutions, prefixes=prefixes, jobs=jobs)
    return None  # one run over many listed graphs is slower than the store's own index
