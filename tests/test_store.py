import subprocess
import sys
import textwrap

import pyoxigraph as ox
import pytest
from handmade import handmade_extraction

from kg.graph import article_graph, article_triples
from kg.namespaces import ACTORS_GRAPH, FIGURES_GRAPH, graph_iri
from kg.store import (
    ReservedGraph,
    StoreError,
    actors_out_of_step,
    add_new_articles,
    figures_out_of_step,
    open_store,
    remove_article,
    replace_article,
    split_view,
)

SKOS = "http://www.w3.org/2004/02/skos/core#"
SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"


def quads_of(store, article_id):
    return set(store.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri(article_id))))


def figures(store):
    """The figures graph as {(group IRI, count)}."""
    return {(q.subject.value, int(q.object.value))
            for q in store.quads_for_pattern(None, None, None, ox.NamedNode(FIGURES_GRAPH))}


def counts_only(store, article_id, counts):
    """Store the handmade article with only the claims of these counts."""
    extraction = handmade_extraction(article_id)
    extraction.casualties = [c for c in extraction.casualties if c.count in counts]
    replace_article(store, article_id, article_graph(extraction))


def test_the_figures_graph_holds_each_groups_distinct_figures_once(tmp_path):
    store = open_store(tmp_path / "s")
    counts_only(store, "a", {27, 19})
    counts_only(store, "b", {27})
    assert sorted(n for _, n in figures(store)) == [19, 27]
    assert len({group for group, _ in figures(store)}) == 1  # killed, El Fasher, 2024-05


def test_a_figure_leaves_the_figures_graph_with_the_last_article_that_states_it(tmp_path):
    store = open_store(tmp_path / "s")
    counts_only(store, "a", {27, 19})
    counts_only(store, "b", {27})
    counts_only(store, "a", {27})  # a no longer says 19: nobody does
    assert sorted(n for _, n in figures(store)) == [27]
    remove_article(store, "a")
    assert sorted(n for _, n in figures(store)) == [27]  # b still says 27
    remove_article(store, "b")
    assert figures(store) == set()
    assert len(store) == 0


def test_bulk_loaded_articles_bring_their_figures(tmp_path):
    store = open_store(tmp_path / "s")
    nt = {}
    for article_id, counts in (("a", {27}), ("b", {19, 2})):
        extraction = handmade_extraction(article_id)
        extraction.casualties = [c for c in extraction.casualties if c.count in counts]
        nt[article_id] = split_view(article_id, article_triples(extraction))
    add_new_articles(store, list(nt.values()))
    assert sorted(n for _, n in figures(store)) == [2, 19, 27]
    remove_article(store, "b")
    assert sorted(n for _, n in figures(store)) == [27]


def test_replacing_an_article_twice_writes_nothing_twice(tmp_path):
    store = open_store(tmp_path / "s")
    graph = article_graph(handmade_extraction())
    replace_article(store, "sudan-test", graph)
    once = set(store)
    replace_article(store, "sudan-test", graph)
    assert set(store) == once
    assert len(store) == len(graph)  # one article: its view is stored whole, each triple once
    assert len(figures(store)) == 3  # 27, 2 and 19 killed in El Fasher


def test_a_changed_article_replaces_its_old_graph_and_leaves_others_alone(tmp_path):
    store = open_store(tmp_path / "s")
    replace_article(store, "a", article_graph(handmade_extraction("a")))
    replace_article(store, "b", article_graph(handmade_extraction("b")))
    b_before = quads_of(store, "b")
    smaller = handmade_extraction("a")
    smaller.casualties = smaller.casualties[:1]
    new_graph = article_graph(smaller)
    replace_article(store, "a", new_graph)
    assert len(quads_of(store, "a")) == len(split_view("a", article_triples(smaller)).own.splitlines())
    assert quads_of(store, "b") == b_before


def test_remove_article(tmp_path):
    store = open_store(tmp_path / "s")
    replace_article(store, "a", article_graph(handmade_extraction("a")))
    assert remove_article(store, "a") is True
    assert len(store) == 0
    assert remove_article(store, "a") is False


def test_kgs_own_graphs_cannot_be_removed_as_articles(tmp_path):
    store = open_store(tmp_path / "s")
    replace_article(store, "a", article_graph(handmade_extraction("a")))
    for name in ("actors", "figures", "ontology", "links", "wikidata", "dataset"):
        with pytest.raises(ReservedGraph, match="kg's own graph"):
            remove_article(store, name)
    assert figures(store) and actors(store)


def actors(store):
    return {q.subject.value for q in store.quads_for_pattern(None, None, None, ox.NamedNode(ACTORS_GRAPH))}


def union_is_a_set(store) -> bool:
    every = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    distinct = store.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
                           use_default_graph_as_union=True)
    return next(every)["n"] == next(distinct)["n"]


def test_articles_naming_the_same_actors_store_each_triple_once(tmp_path):
    store = open_store(tmp_path / "s")
    add_new_articles(store, [split_view(f"n{i}", article_triples(handmade_extraction(f"n{i}"))) for i in range(50)])
    for i in range(3):  # the replacement path too
        replace_article(store, f"r{i}", article_graph(handmade_extraction(f"r{i}")))
    assert union_is_a_set(store)
    health = ox.NamedNode("https://w3id.org/conflict-kg/id/actor/test-ministry-of-health")
    assert len(list(store.quads_for_pattern(health, ox.NamedNode(SKOS + "prefLabel"), None, None))) == 2  # ar, en
    assert all(q.graph_name.value == ACTORS_GRAPH for q in store.quads_for_pattern(health, None, None, None))
    assert figures_out_of_step(store) == (0, 0) and actors_out_of_step(store) == (0, 0)


def test_an_actors_description_leaves_with_the_last_article_that_names_it(tmp_path):
    store = open_store(tmp_path / "s")
    replace_article(store, "a", article_graph(handmade_extraction("a")))
    without_un = handmade_extraction("b")
    without_un.mentions = [m for m in without_un.mentions if m.actor.label_en != "United Nations"]
    without_un.statements = without_un.statements[:2]
    without_un.mediations = []
    replace_article(store, "b", article_graph(without_un))
    un = "https://w3id.org/conflict-kg/id/actor/united-nations"
    assert un in actors(store)
    remove_article(store, "a")
    assert un not in actors(store)  # b does not name the UN
    assert "https://w3id.org/conflict-kg/id/actor/test-ministry-of-health" in actors(store)
    assert actors_out_of_step(store) == (0, 0)
    remove_article(store, "b")
    assert len(store) == 0


def test_another_spelling_of_a_known_actor_is_an_alternative_label(tmp_path):
    from dataclasses import replace

    store = open_store(tmp_path / "s")
    replace_article(store, "a", article_graph(handmade_extraction("a")))
    other = handmade_extraction("b")
    health = replace(other.mentions[0].actor, label_ar="وزاره الصحه")
    other.mentions[0] = replace(other.mentions[0], actor=health)
    other.statements[0] = replace(other.statements[0], speaker=health)
    add_new_articles(store, [split_view("b", article_triples(other))])
    node = ox.NamedNode(health.iri)
    labels = {(q.predicate.value, q.object.value) for q in store.quads_for_pattern(node, None, None, None)
              if q.predicate.value.startswith(SKOS)}
    assert (SKOS + "prefLabel", "وزارة الصحة") in labels and (SKOS + "altLabel", "وزاره الصحه") in labels
    assert (SKOS + "prefLabel", "وزاره الصحه") not in labels
    assert union_is_a_set(store)


def test_the_latest_build_sets_the_wikidata_link(tmp_path):
    store = open_store(tmp_path / "s")
    un = ox.NamedNode("https://w3id.org/conflict-kg/id/actor/united-nations")
    add_new_articles(store, [split_view("a", article_triples(handmade_extraction("a")))])
    decided = {un.value: None}  # a researcher's decision: no item
    add_new_articles(store, [split_view("b", article_triples(handmade_extraction("b"), decided))])
    assert not list(store.quads_for_pattern(un, ox.NamedNode(SAME_AS), None, None))
    replace_article(store, "a", article_graph(handmade_extraction("a"), {un.value: "Q1065"}))
    assert [q.object.value for q in store.quads_for_pattern(un, ox.NamedNode(SAME_AS), None, None)] == [
        "http://www.wikidata.org/entity/Q1065"]


def test_read_only_open_of_a_missing_store_says_so(tmp_path):
    with pytest.raises(StoreError, match="no store at"):
        open_store(tmp_path / "missing", read_only=True)


def test_a_second_writer_gets_a_clear_message_and_readers_still_work(tmp_path):
    path = tmp_path / "s"
    store = open_store(path)
    replace_article(store, "a", article_graph(handmade_extraction("a")))
    store.flush()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, pyoxigraph
            store = pyoxigraph.Store({str(path)!r})
            print("ready", flush=True)
            sys.stdin.readline()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    del store  # release this process's lock so the holder can take it
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreError, match="open for writing by another process"):
            open_store(path)
        reader = open_store(path, read_only=True)
        assert len(reader) > 0
    finally:
        holder.communicate("\n", timeout=30)
