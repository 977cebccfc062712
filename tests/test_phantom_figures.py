"""A figure no article gives any more must leave the figures graph. pyoxigraph 0.5.13's
on-disk quads_for_pattern also returns the next 256 integers for an xsd:integer object
whose encoding ends in byte 0xFF, so the figure 255 was "still given" by the article with
300 and stayed: a disagreement no article states (docs/upstream/pyoxigraph-integer-range.md)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from conftest import run

from kg.store import quads_matching

INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
FIGURES = "SELECT ?c WHERE { GRAPH <https://w3id.org/conflict-kg/graph/figures> { ?g ck:reportedCount ?c } }"


def test_a_lookup_by_integer_returns_that_integer_only(tmp_path):
    store = ox.Store(str(tmp_path / "store"))
    s, p, g = ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.NamedNode("urn:g")
    store.bulk_extend(ox.Quad(s, p, ox.Literal(str(n), datatype=INTEGER), g) for n in range(20_000))
    wrong = [n for n in range(20_000)
             if [q.object.value for q in quads_matching(store, None, p, ox.Literal(str(n), datatype=INTEGER))]
             != [str(n)]]
    assert wrong == []


@pytest.mark.parametrize("figure", [255, 511, 1023])
def test_removing_the_article_that_gave_a_figure_removes_the_figure(tmp_path, figure):
    corpus = tmp_path / "in"
    corpus.mkdir()
    for name, count in (("a", figure), ("b", figure + 45)):
        (corpus / f"{name}.txt").write_text(f"قالت وزارة الدفاع إن القصف قتل {count} مدنيا في ستيباناكيرت.\n",
                                            encoding="utf-8")
    store = str(tmp_path / "store")
    run("build", str(corpus), "--store", store)
    before = run("query", FIGURES, "--store", store, "--format", "csv").stdout.split()
    assert before == ["c", str(figure), str(figure + 45)]  # one group, two figures: they disagree
    run("remove", "a", "--store", store)
    assert run("query", FIGURES, "--store", store, "--format", "csv").stdout.split() == ["c", str(figure + 45)]
    assert run("query", "conflicting_figures", "--store", store, "--format", "csv").stdout.count("\n") == 1
    assert run("validate", "--store", store).output.endswith("all 1 article graphs conform\n")
