"""kg.partition runs a query over some articles only when that gives the very same answer:
its shape analysis is checked on forms that must be refused, and every named query is run
both ways, unbound and bound to values of each variable it narrows, on 300 articles."""

from __future__ import annotations

import io
import itertools
import time
from collections import Counter

import pyoxigraph as ox
import pytest

import kg.cli
from kg.namespaces import PREFIXES
from kg.partition import BATCH, _runs, article_shape, ordered_ahead, over_articles, runs_in_document_order
from kg.queries import named_queries
from kg.store import open_store, run_query

IN_ORDER = ("casualties", "mediations", "mentions", "statements")
HEAD = "PREFIX ck: <https://w3id.org/conflict-kg/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> "
ARTICLE = "GRAPH ?g { ?a dcterms:identifier ?doc . ?c ck:claimant ?who } "


def shape(where: str, select: str = "SELECT * ", after: str = ""):
    return article_shape(HEAD + select + "WHERE { " + where + " }" + after, PREFIXES)


def test_named_listings_are_read_in_document_order():
    for name in IN_ORDER:
        found = article_shape(named_queries()[name].read_text(encoding="utf-8"), PREFIXES)
        assert found is not None and found.document_order() == "doc", name
    figures = article_shape(named_queries()["conflicting_figures"].read_text(encoding="utf-8"), PREFIXES)
    assert figures.document_order() is None  # ordered by kind and place
    assert figures.narrows("place") and figures.narrows("doc")
    assert not figures.narrows("other_counts") and not figures.narrows("place_label_en")


@pytest.mark.parametrize("where, after", [
    (ARTICLE, " LIMIT 5"),  # a slice of the whole answer is not a slice of each part
    (ARTICLE + "MINUS { GRAPH ?g { ?c ck:count 3 } }", ""),
    (ARTICLE + "?who ck:x ?y", ""),  # the default graph: every article's triples
    (ARTICLE + "GRAPH ?h { ?c ck:count ?n }", ""),  # a second graph variable
    (ARTICLE + "FILTER NOT EXISTS { GRAPH ?g { ?c ck:count 3 } }", ""),
    (ARTICLE + "SERVICE <http://127.0.0.1:9/sparql> { ?who ?p ?o }", ""),
    (ARTICLE + "{ SELECT ?who WHERE { GRAPH ?g { ?x ck:claimant ?who } } }", ""),  # articles read in a subquery
])
def test_forms_that_could_change_the_answer_are_run_as_written(where, after):
    assert shape(where, after=after) is None


def test_a_dataset_clause_or_a_non_select_is_run_as_written():
    assert article_shape(HEAD + "SELECT * FROM <urn:x> WHERE { " + ARTICLE + "}", PREFIXES) is None
    assert article_shape(HEAD + "ASK { " + ARTICLE + "}", PREFIXES) is None
    assert article_shape("SELECT * WHERE { not sparql", PREFIXES) is None


def test_only_variables_whose_value_comes_from_an_article_narrow():
    found = shape(ARTICLE + "OPTIONAL { GRAPH <urn:actors> { ?who ck:label ?label } } BIND (1 AS ?one)")
    assert found.narrows("doc") and found.narrows("who")
    assert not found.narrows("label") and not found.narrows("one") and not found.narrows("g")
    # ?who also read in a named graph, on the side of an OPTIONAL that does not always bind it
    either = shape("GRAPH <urn:actors> { ?x ck:label ?l } OPTIONAL { GRAPH ?g { ?c ck:claimant ?who } } "
                   "OPTIONAL { GRAPH <urn:actors> { ?who ck:label ?l } }")
    assert not either.narrows("who")
    union = shape("{ GRAPH ?g { ?c ck:claimant ?who } } UNION { GRAPH <urn:actors> { ?who ck:label ?l } }")
    assert not union.narrows("who")
    grouped = shape(ARTICLE, select="SELECT ?doc (COUNT(?who) AS ?n) ", after=" GROUP BY ?doc")
    assert grouped.narrows("doc") and not grouped.narrows("who") and not grouped.narrows("n")


def test_document_order_needs_the_identifier_first_and_ascending():
    assert shape(ARTICLE, after=" ORDER BY ?doc ?who").document_order() == "doc"
    assert shape(ARTICLE, after=" ORDER BY DESC(?doc)").document_order() is None
    assert shape(ARTICLE, after=" ORDER BY ?who ?doc").document_order() is None
    assert shape(ARTICLE, select="SELECT DISTINCT ?who ", after=" ORDER BY ?doc").document_order() is None
    assert shape("GRAPH ?g { ?c ck:claimant ?who OPTIONAL { ?a dcterms:identifier ?doc } }",
                 after=" ORDER BY ?doc").document_order() is None  # unbound identifiers sort first


def _answer(store, name: str, bound: dict, partitioned: bool, monkeypatch, jobs: int = 1) -> str:
    text = named_queries()[name].read_text(encoding="utf-8")
    out = io.StringIO()
    with monkeypatch.context() as patch:
        if not partitioned:
            patch.setattr(kg.cli, "over_articles", lambda *args: None)
        kg.cli.answer(str(store), text, "csv", bound, (0, None), out, jobs=jobs)
    return out.getvalue()


def _values(store, name: str) -> dict[str, list[ox.Term]]:
    """For each column, its most and its least frequent value in the answer."""
    result = run_query(open_store(store, read_only=True), named_queries()[name].read_text(encoding="utf-8"))
    counts: dict[str, Counter] = {v.value: Counter() for v in result.variables}
    for solution in result:
        for variable, counter in counts.items():
            if solution[variable] is not None:
                counter[solution[variable]] += 1
    return {v: [c.most_common()[0][0], c.most_common()[-1][0]] for v, c in counts.items() if c}


@pytest.mark.parametrize("name", [*IN_ORDER, "conflicting_figures"])
def test_partitioned_answers_are_the_plain_ones(copies, name, monkeypatch):
    store = open_store(copies, read_only=True)
    text = named_queries()[name].read_text(encoding="utf-8")
    found = article_shape(text, PREFIXES)
    if name in IN_ORDER:
        assert over_articles(store, text, {}, {}, PREFIXES) is not None  # 300 articles: run in parts
        plain = _answer(copies, name, {}, False, monkeypatch)
        assert _answer(copies, name, {}, True, monkeypatch) == plain
        assert _answer(copies, name, {}, True, monkeypatch, jobs=3) == plain  # runs evaluated three at once
    narrowed = 0
    for variable, values in _values(copies, name).items():
        if not found.narrows(variable):
            continue
        for value in values:
            bound = {variable: [value]}
            partitioned = _answer(copies, name, bound, True, monkeypatch)
            assert partitioned == _answer(copies, name, bound, False, monkeypatch), (variable, value)
            assert partitioned.count("\n") > 1, (variable, value)  # a value of the answer gives rows
            narrowed += 1
    assert narrowed >= 4
    nothing = {"doc": [ox.Literal("no such article")]}
    assert _answer(copies, name, nothing, True, monkeypatch) == _answer(copies, name, nothing, False, monkeypatch)


def test_two_bound_variables_and_several_values(copies, monkeypatch):
    values = _values(copies, "casualties")
    both = {"claimant": values["claimant"], "doc": values["doc"]}
    several = {"claimant": values["claimant"]}
    for bound in (both, several):
        assert _answer(copies, "casualties", bound, True, monkeypatch) == \
            _answer(copies, "casualties", bound, False, monkeypatch)


def test_runs_grow_and_never_end_between_two_graphs_of_one_identifier():
    graphs = [ox.NamedNode(f"urn:g{i}") for i in range(200)]
    docs = [ox.Literal(f"d{i // 2:03d}") for i in range(200)]  # two graphs per identifier
    runs = list(_runs(zip(graphs, docs, strict=True)))
    assert [g for run in runs for g in run] == graphs
    assert [len(run) for run in runs[:4]] == [2, 2, 4, 8] and max(len(run) for run in runs) <= BATCH + 1
    assert all(docs[graphs.index(run[-1])] != docs[graphs.index(nxt[0])] for run, nxt in itertools.pairwise(runs))


def test_a_graph_with_two_identifiers_is_not_run_in_parts(seed_store, tmp_path):
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(seed_store, copy)
    store = open_store(copy)
    text = named_queries()["casualties"].read_text(encoding="utf-8")
    found = article_shape(text, PREFIXES)
    assert runs_in_document_order(store, found, None) is not None
    store.update('INSERT { GRAPH ?g { ?a dcterms:identifier "zzz" } } WHERE { '
                 'GRAPH ?g { ?a dcterms:identifier "000_b81af222457842e2" } }', prefixes=PREFIXES)
    assert runs_in_document_order(store, found, None) is None


def test_runs_evaluated_at_once_come_in_order_and_only_a_few_ahead():
    started: list[int] = []

    def slow_first(item: int) -> int:
        started.append(item)
        if item % 5 == 0:
            time.sleep(0.01)  # an early item finishing last must still come first
        return item * item

    assert list(ordered_ahead(slow_first, iter(range(40)), jobs=3)) == [i * i for i in range(40)]
    started.clear()
    consumed = ordered_ahead(slow_first, iter(range(1000)), jobs=2)
    assert [next(consumed) for _ in range(3)] == [0, 1, 4]
    consumed.close()  # the reader stopped: what had not started never runs
    assert len(started) <= 3 + 2 * 2 + 1
    assert list(ordered_ahead(slow_first, iter(range(4)), jobs=1)) == [0, 1, 4, 9]


def test_reading_a_query_leaves_no_caller_frame_to_the_garbage_collector():
    """pyparsing's exceptions reach every frame up the stack: parsed on the caller's thread,
    the caller's locals (a pyoxigraph result among them) would be freed by whichever thread
    next collects garbage, and pyoxigraph refuses to drop a result on another thread."""
    import gc
    import weakref

    class Local:
        pass

    def caller() -> weakref.ref:
        local = Local()
        assert article_shape(HEAD + "SELECT ?doc WHERE { GRAPH ?g { ?a dcterms:identifier ?doc } } "
                             "# read only by this test", PREFIXES) is not None
        return weakref.ref(local)

    gc.disable()
    try:
        assert caller()() is None  # freed when caller returned, not left for a collection
    finally:
        gc.enable()
