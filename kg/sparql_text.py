"""What kg needs to know of a SPARQL text before running it: whether it is an update,
whether it names its own dataset, which variables it has. Comments, string literals and
IRIs are set aside first, so that words inside them are not taken for keywords."""

from __future__ import annotations

import functools
import re
from concurrent.futures import ThreadPoolExecutor

_UPDATE = re.compile(r"^\s*(?:(?:PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
                     r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE)


def is_update(text: str) -> bool:
    """Whether SPARQL text is an update (INSERT, DELETE, LOAD, …) rather than a query."""
    return bool(_UPDATE.match(_without_comments_and_literals(text)))


# Comments, string literals and IRIs, so that words inside them are not taken for keywords.
_OPAQUE = re.compile(r'#[^\n]*|"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
                     r'|<[^<>"{}|^`\\\s]*>')
_DATASET_CLAUSE = re.compile(r"(?<![\w:?$])(?:FROM|USING)(?![\w:-])", re.IGNORECASE)


def _without_comments_and_literals(text: str) -> str:
    return _OPAQUE.sub(lambda m: " " if m.group(0).startswith("#") else "<>" if m.group(0)[0] == "<" else '""', text)


def has_dataset_clause(text: str) -> bool:
    """Whether a query (FROM, FROM NAMED) or an update (USING, USING NAMED) names its own
    dataset. Those keywords appear nowhere else in SPARQL 1.1."""
    return bool(_DATASET_CLAUSE.search(_without_comments_and_literals(text)))


VARIABLE = re.compile(r"[?$]([A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)")


def query_variables(text: str) -> set[str]:
    return set(VARIABLE.findall(_without_comments_and_literals(text)))


def certainly_bound(text: str, prefixes: dict[str, str]) -> set[str] | None:
    """The variables that every solution of a SELECT binds (by SPARQL's algebra: a join
    binds what either side binds, OPTIONAL only what its left side binds, UNION what both
    branches bind, GRAPH ?g also ?g). None when rdflib cannot read the query.

    Binding such a variable beforehand (SEP-0007 substitution) is the same as keeping the
    rows where it has that value. For any other variable it is not: a substituted variable
    inside an OPTIONAL shows the value on rows that never matched it."""
    algebra = query_algebra(text, prefixes)
    return None if algebra is None else certain_variables(algebra)


def query_algebra(text: str, prefixes: dict[str, str]):
    """rdflib's algebra of a query (parsed once per text), or None for a syntax rdflib does
    not know (an extension): then no claim is made about the query."""
    return _algebra(text, tuple(sorted(prefixes.items())))


@functools.lru_cache(maxsize=32)
def _algebra(text: str, prefixes: tuple[tuple[str, str], ...]):
    # On a thread of its own: pyparsing keeps exceptions whose tracebacks reach every frame
    # up the stack, so the caller's locals would live on in garbage cycles, to be dropped
    # wherever the collector next runs; a pyoxigraph result dropped on another thread than
    # its own is an error (and a leak).
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-parse") as pool:
        return pool.submit(_parse, text, dict(prefixes)).result()


def _parse(text: str, prefixes: dict[str, str]):
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(text, initNs=prefixes).algebra
    except Exception:
        return None


def certain_variables(node) -> set[str]:
    from rdflib.term import Variable

    name = getattr(node, "name", None)
    get = node.get if hasattr(node, "get") else (lambda _: None)
    if name == "BGP":
        return {str(term) for triple in node["triples"] for term in triple if isinstance(term, Variable)}
    if name == "Join":
        return certain_variables(node["p1"]) | certain_variables(node["p2"])
    if name in ("LeftJoin", "Minus"):
        return certain_variables(node["p1"])
    if name == "Union":
        return certain_variables(node["p1"]) & certain_variables(node["p2"])
    if name == "Graph":
        term = get("term")
        return certain_variables(node["p"]) | ({str(term)} if isinstance(term, Variable) else set())
    if name == "Project":
        return certain_variables(node["p"]) & {str(v) for v in node["PV"]}
    if name == "Group":
        return certain_variables(node["p"]) & {str(v) for v in get("expr") or [] if isinstance(v, Variable)}
    if name in ("SelectQuery", "Distinct", "Reduced", "Slice", "OrderBy", "Filter", "Extend", "ToMultiSet",
                "AggregateJoin"):
        return certain_variables(node["p"]) if get("p") is not None else set()
    return set()  # VALUES (may hold UNDEF), a subquery's other forms, an empty group: nothing is claimed


_WORD = re.compile(r"[A-Za-z_]+|[{}]")


def names_update_dataset(update: str) -> bool:
    """Whether an update says itself which graphs it reads or writes (USING, WITH)."""
    return bool(re.search(r"(?<![\w:?$])(?:USING|WITH)(?![\w:-])", _without_comments_and_literals(update),
                          re.IGNORECASE))


def with_using(update: str, default_graphs: list[str], named_graphs: list[str]) -> str:
    """The update with the protocol's using-graph-uri / using-named-graph-uri as USING and
    USING NAMED clauses of every DELETE/INSERT … WHERE operation (SPARQL 1.1 Protocol 2.2.3)."""
    clauses = "".join(f" USING <{g}>" for g in default_graphs) + "".join(f" USING NAMED <{g}>" for g in named_graphs)
    masked = _OPAQUE.sub(lambda m: " " * len(m.group(0)), update)  # same offsets, words inside literals hidden
    depth, previous, inserts = 0, "", []
    for match in _WORD.finditer(masked):
        word = match.group(0)
        if word == "{":
            depth += 1
        elif word == "}":
            depth -= 1
        elif depth == 0 and word.upper() == "WHERE" and previous != "DELETE":
            inserts.append(match.start())
        previous = word.upper()
    for position in reversed(inserts):
        update = update[:position] + clauses.strip() + " " + update[position:]
    return update


_SERVICE = re.compile(r"(?<![\w:?$])SERVICE(?![\w:-])", re.IGNORECASE)
_LOAD = re.compile(r"(?<![\w:?$])LOAD(?![\w:-])", re.IGNORECASE)


def calls_services(text: str) -> bool:
    """Whether a query has a SERVICE clause (a request to another endpoint)."""
    return bool(_SERVICE.search(_without_comments_and_literals(text)))


def loads_documents(update: str) -> bool:
    """Whether an update has a LOAD operation (it fetches a document from a URL)."""
    return bool(_LOAD.search(_without_comments_and_literals(update)))


def service_iris(text: str, prefixes: dict[str, str]) -> list[str] | None:
    """The endpoints a query's SERVICE clauses call, read from rdflib's algebra; None when
    one of them is not a fixed IRI (SERVICE ?endpoint) or rdflib cannot read the query."""
    from rdflib.term import URIRef

    algebra = query_algebra(text, prefixes)
    if algebra is None:
        return None
    found: list[str] = []
    pending = [algebra]
    while pending:
        node = pending.pop()
        if getattr(node, "name", None) == "ServiceGraphPattern":
            if not isinstance(node.get("term"), URIRef):
                return None
            found.append(str(node["term"]))
        if isinstance(node, dict):
            pending.extend(node.values())
        elif isinstance(node, list | tuple):
            pending.extend(node)
    return found


def refused_service(text: str, prefixes: dict[str, str], allowed: tuple[str, ...]) -> str | None:
    """Why the query's SERVICE clauses may not run when only the allowed endpoints may be
    called (a sentence), or None when they may."""
    if not calls_services(text):
        return None
    if not allowed:
        return "SERVICE (federated query) is off here: allow each endpoint it may call with --allow-service URL"
    iris = service_iris(text, prefixes)
    if iris is None:
        return "SERVICE must name its endpoint with a fixed IRI from --allow-service"
    refused = sorted(set(iris) - set(allowed))
    return f"SERVICE <{refused[0]}> is not one of the endpoints allowed (--allow-service)" if refused else None
