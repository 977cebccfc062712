"""Counts a researcher can trust: a store of a few hundred articles that name the same actors
and give the same figures stores each triple once, so that counts over the union of the
graphs are the true ones (Oxigraph 0.5 returns one solution per copy of a triple)."""

from __future__ import annotations

import json
import shutil

import pyoxigraph as ox
from conftest import COPIES, SEEDS, run

SPEAKERS = """SELECT ?speaker (COUNT(?s) AS ?n) WHERE {
  ?s ck:speaker ?sp . ?sp skos:prefLabel ?speaker FILTER (LANG(?speaker) = "en") } GROUP BY ?speaker"""


def rows(store, query, *args):
    return json.loads(run("query", query, "--store", str(store), "--format", "json", *args).stdout)


def test_the_union_of_the_graphs_is_a_set(seed_store, copies):
    for store in (seed_store, copies):
        every = rows(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]
        distinct = rows(store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
        assert every == distinct[0]["n"] == len(ox.Store.read_only(str(store)))


def test_speaker_counts_and_classes_are_the_true_ones(seed_store, copies):
    once = {r["speaker"]: r["n"] for r in rows(seed_store, SPEAKERS)}
    assert once["Ministry of Defence of Azerbaijan"] == 14
    assert {r["speaker"]: r["n"] for r in rows(copies, SPEAKERS)} == {k: n * COPIES for k, n in once.items()}
    states = "SELECT (COUNT(?a) AS ?n) WHERE { ?a a ck:State }"
    assert rows(seed_store, states) == rows(copies, states) == [{"n": 9}]
    groups = "SELECT (COUNT(*) AS ?n) WHERE { ?group ck:reportedCount ?count }"
    assert rows(seed_store, groups) == rows(copies, groups)


def test_every_listing_row_comes_out(seed_store, copies):
    for name in ("casualties", "statements", "mentions", "mediations"):
        assert len(rows(copies, name)) == len(rows(seed_store, name)) * COPIES
    csv = run("query", "casualties", "--store", str(copies), "--format", "csv").stdout
    assert len(csv.splitlines()) - 1 == 24 * COPIES


def test_removing_articles_keeps_the_shared_graphs_in_step(copies, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(copies, store)
    run("remove", *[f"000_b81af222457842e2-{i:02d}" for i in range(COPIES)], "--store", str(store))
    assert run("validate", "--store", str(store)).output.endswith(f"all {4 * COPIES} article graphs conform\n")
    every = rows(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]
    assert every == len(ox.Store.read_only(str(store)))
    ids = [f"{seed.stem}-{i:02d}" for seed in sorted(SEEDS.glob("*.txt"))[1:] for i in range(COPIES)]
    run("remove", *ids, "--store", str(store))
    left = rows(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert [r["g"] for r in left] == ["https://w3id.org/conflict-kg/graph/ontology"]
