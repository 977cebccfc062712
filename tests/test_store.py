import subprocess
import sys
import textwrap

import pyoxigraph as ox
import pytest
from handmade import handmade_extraction

from kg.graph import article_graph
from kg.namespaces import FIGURES_GRAPH, graph_iri
from kg.store import StoreError, add_new_articles, open_store, remove_article, replace_article


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
        nt[article_id] = article_graph(extraction).serialize(format="nt", encoding="utf-8")
    add_new_articles(store, list(nt.items()))
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
    assert len(quads_of(store, "sudan-test")) == len(graph)
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
    assert len(quads_of(store, "a")) == len(new_graph)
    assert quads_of(store, "b") == b_before


def test_remove_article(tmp_path):
    store = open_store(tmp_path / "s")
    replace_article(store, "a", article_graph(handmade_extraction("a")))
    assert remove_article(store, "a") is True
    assert len(store) == 0
    assert remove_article(store, "a") is False


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
