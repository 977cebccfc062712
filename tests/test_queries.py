"""Every named query on a hand-built graph: exact variables and the values a researcher needs."""

import json

import pyoxigraph as ox
import pytest
from handmade import TEXT, handmade_extraction

from kg.graph import article_graph
from kg.queries import format_rows, named_queries, resolve
from kg.resources import ontology_path
from kg.store import load_ontology, replace_article, select

VARIABLES = {
    "mentions": "doc actor label_en label_ar type wikidata start end",
    "statements": "doc statement speaker speaker_label_en speaker_label_ar speaker_wikidata kind via start end text",
    "casualties": "doc claim kind count qualifier victims claimant claimant_label_en claimant_label_ar "
    "claimant_wikidata start end text",
    "mediations": "doc mediation mediator mediator_label_en mediator_label_ar mediator_wikidata kind start end text",
}


@pytest.fixture(scope="module")
def store():
    store = ox.Store()
    load_ontology(store, ontology_path("conflict.ttl"))
    replace_article(store, "sudan-test", article_graph(handmade_extraction("sudan-test")))
    # a second article describing the same actors must not duplicate rows
    replace_article(store, "sudan-copy", article_graph(handmade_extraction("sudan-copy")))
    return store


def rows(store, name):
    variables, result = select(store, resolve(name))
    return variables, json.loads(format_rows(variables, result, "json"))


@pytest.mark.parametrize("name", sorted(VARIABLES))
def test_named_query_variables(store, name):
    variables, _ = rows(store, name)
    assert variables == VARIABLES[name].split()


def test_every_named_query_is_listed():
    assert set(VARIABLES) | {"conflicting_figures"} <= set(named_queries())


def test_casualties_rows(store):
    _, result = rows(store, "casualties")
    mine = [r for r in result if r["doc"] == "sudan-test"]
    assert sorted((r["count"], r["victims"], r["claimant_label_en"]) for r in mine) == [
        (2, "children", "Ministry of Health"),
        (19, "people", "Rapid Support Forces"),
        (27, "people", "Ministry of Health"),
    ]
    for r in mine:
        assert isinstance(r["count"], int) and r["claimant_wikidata"] is None
        assert TEXT[r["start"] : r["end"]] == r["text"]
        assert (r["kind"], r["qualifier"]) == ("killed", "exact")


def test_statements_rows_carry_kind_and_relay(store):
    _, result = rows(store, "statements")
    mine = {r["speaker_label_en"]: r for r in result if r["doc"] == "sudan-test"}
    assert mine["Rapid Support Forces"]["kind"] == "deny"
    assert mine["Rapid Support Forces"]["via"] == "https://w3id.org/conflict-kg/id/actor/reuters"
    assert mine["United Nations"]["speaker_wikidata"] == "http://www.wikidata.org/entity/Q1065"
    assert mine["Ministry of Health"]["via"] is None


def test_mediations_rows(store):
    _, result = rows(store, "mediations")
    mine = [r for r in result if r["doc"] == "sudan-test"]
    assert [(r["mediator_label_en"], r["kind"]) for r in mine] == [("United Nations", "call_for_ceasefire")]


def test_mentions_rows_slice_the_text(store):
    _, result = rows(store, "mentions")
    mine = [r for r in result if r["doc"] == "sudan-test"]
    assert {r["type"] for r in mine} == {"GovernmentBody", "Place", "MediaOrganization", "ArmedGroup",
                                         "InternationalOrganization"}
    assert len(mine) == 5


def test_conflicting_figures_stand_side_by_side(store):
    variables, result = rows(store, "conflicting_figures")
    assert {"kind", "place", "period", "count", "claimant", "doc", "claim"} <= set(variables)
    group = [r for r in result if r["doc"] == "sudan-test"]
    assert sorted((r["count"], r["claimant_label_en"]) for r in group) == [
        (19, "Rapid Support Forces"),
        (27, "Ministry of Health"),
    ]  # the 2 children among the 27 are other victims: not a conflicting figure
    assert {(r["kind"], r["place_label_en"], r["period"]) for r in group} == {("killed", "El Fasher", "2024-05")}
    others = {r["count"]: sorted(map(int, str(r["other_counts"]).split())) for r in group}
    assert others == {19: [27], 27: [19]}


def only_counts(article_id, counts, published="2024-05-12"):
    extraction = handmade_extraction(article_id, published)
    extraction.casualties = [c for c in extraction.casualties if c.count in counts]
    return article_graph(extraction)


def test_figures_conflict_across_articles_and_stop_when_the_other_is_removed():
    from kg.store import remove_article
    store = ox.Store()
    load_ontology(store, ontology_path("conflict.ttl"))
    replace_article(store, "health", only_counts("health", {27}))
    replace_article(store, "rsf", only_counts("rsf", {19}))
    replace_article(store, "june", only_counts("june", {40}, published="2024-06-02"))  # another month
    replace_article(store, "undated", only_counts("undated", {50}, published=None))
    _, result = rows(store, "conflicting_figures")
    found = sorted((r["doc"], r["count"], r["other_counts"]) for r in result)
    assert found == [("health", 27, "19"), ("rsf", 19, "27")]
    replace_article(store, "rsf", only_counts("rsf", {27}))  # now the two agree
    assert rows(store, "conflicting_figures")[1] == []
    replace_article(store, "rsf", only_counts("rsf", {19}))
    remove_article(store, "rsf")
    assert rows(store, "conflicting_figures")[1] == []


def test_undated_figures_are_compared_with_undated_ones_only():
    store = ox.Store()
    load_ontology(store, ontology_path("conflict.ttl"))
    replace_article(store, "dated", only_counts("dated", {27}))
    replace_article(store, "undated-a", only_counts("undated-a", {19}, published=None))
    replace_article(store, "undated-b", only_counts("undated-b", {27}, published=None))
    _, result = rows(store, "conflicting_figures")
    assert sorted((r["doc"], r["period"], r["other_counts"]) for r in result) == [
        ("undated-a", "unknown", "27"), ("undated-b", "unknown", "19")]


def test_output_formats(store):
    variables, result = select(store, resolve("mediations"))
    csv_text = format_rows(variables, result, "csv")
    assert csv_text.splitlines()[0] == ",".join(variables)
    table = format_rows(variables, result, "table")
    assert table.splitlines()[0].split() == variables
    assert table.rstrip().endswith("(2 rows)")


def test_resolve_rejects_an_unknown_name():
    with pytest.raises(LookupError, match="no named query 'nope'"):
        resolve("nope")


def test_table_abbreviates_iris_and_json_keeps_them(store):
    variables, result = select(store, resolve("statements"))
    table = format_rows(variables, result, "table")
    assert "actor:reuters" in table and "https://w3id.org/conflict-kg/id/actor/reuters" not in table
    assert "wd:Q1065" in table
    assert "article:sudan-test/statement/" in table
    records = json.loads(format_rows(variables, result, "json"))
    assert {r["speaker_wikidata"] for r in records} >= {"http://www.wikidata.org/entity/Q1065"}


def test_a_query_can_come_from_a_file(tmp_path, store):
    path = tmp_path / "count.rq"
    path.write_text("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a ck:CasualtyClaim }", encoding="utf-8")
    variables, result = select(store, resolve(str(path)))
    assert json.loads(format_rows(variables, result, "json")) == [{"n": 6}]


@pytest.fixture(scope="module")
def big_store():
    """More articles than one page: 120 copies of the hand-built article."""
    store = ox.Store()
    load_ontology(store, ontology_path("conflict.ttl"))
    for i in range(120):
        replace_article(store, f"art{i:03d}", article_graph(handmade_extraction(f"art{i:03d}")))
    return store


@pytest.mark.parametrize("name", ["mentions", "statements", "casualties", "mediations", "conflicting_figures"])
def test_listing_queries_answer_every_row_of_every_article(big_store, name):
    _, result = rows(big_store, name)
    per_article = {}
    for row in result:
        per_article.setdefault(row["doc"], []).append(row)
    assert set(per_article) == {f"art{i:03d}" for i in range(120)}
    sizes = {len(r) for r in per_article.values()}
    assert len(sizes) == 1 and sizes.pop() > 0  # every copy gives the same rows, none is cut or doubled
    assert [r["doc"] for r in result] == sorted(r["doc"] for r in result) or name == "conflicting_figures"


def test_json_output_is_strict_json_and_keeps_decimals_exact():
    from decimal import Decimal

    xsd = "http://www.w3.org/2001/XMLSchema#"
    row = [ox.Literal("NaN", datatype=ox.NamedNode(xsd + "double")),
           ox.Literal("INF", datatype=ox.NamedNode(xsd + "double")),
           ox.Literal("0.1000000000000000000000001", datatype=ox.NamedNode(xsd + "decimal")),
           ox.Literal("2.5E0", datatype=ox.NamedNode(xsd + "double")),
           ox.Triple(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o")), None]
    names = ["nan", "inf", "decimal", "double", "triple", "unbound"]
    text = format_rows(names, [row], "json")
    record = json.loads(text, parse_float=Decimal, parse_constant=lambda c: pytest.fail(f"{c} is not JSON"))[0]
    assert record == {"nan": "NaN", "inf": "INF", "decimal": Decimal("0.1000000000000000000000001"), "double": 2.5,
                      "triple": {"subject": "urn:s", "predicate": "urn:p", "object": "o"}, "unbound": None}
    csv_text = format_rows(names, [row], "csv")
    assert "0.1000000000000000000000001" in csv_text and '""subject"": ""urn:s""' in csv_text


def test_the_table_streams_with_widths_from_its_first_rows(monkeypatch):
    import kg.queries

    monkeypatch.setattr(kg.queries, "TABLE_SAMPLE", 2)
    rows = [[ox.Literal("ab")], [ox.Literal("abc")], [ox.Literal("abcdefgh")], [None]]
    lines = format_rows(["x"], iter(rows), "table").splitlines()
    assert lines == ["x", "---", "ab", "abc", "ab…", "", "(4 rows)"]
