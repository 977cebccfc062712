import subprocess
import sys
import textwrap

import pyoxigraph as ox
import pytest
from handmade import handmade_extraction

from kg.graph import article_graph
from kg.namespaces import graph_iri
from kg.store import StoreError, open_store, remove_article, replace_article


def quads_of(store, article_id):
    return set(store.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri(article_id))))


def test_replacing_an_article_twice_writes_nothing_twice(tmp_path):
    store = open_store(tmp_path / "s")
    graph = article_graph(handmade_extraction())
    replace_article(store, "sudan-test", graph)
    once = set(store)
    replace_article(store, "sudan-test", graph)
    assert set(store) == once
    assert len(store) == len(graph)


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
