"""The commands of the README, run on the seed articles."""

import json

import pyoxigraph as ox
from conftest import SEEDS, run
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.store import open_store, stats

EXIT_SKIPPED = 3


def quad_count(dataset: Dataset) -> int:
    return sum(1 for _ in dataset.quads((None, None, None, None)))


def query_json(store, name):
    return json.loads(run("query", name, "--store", str(store), "--format", "json").stdout)


def test_seed_mentions_cover_every_article_and_the_main_actors(seed_store, seed_texts):
    rows = query_json(seed_store, "mentions")
    assert len(rows) > 150
    assert {r["doc"] for r in rows} == set(seed_texts)
    labels = {r["label_en"] for r in rows}
    assert {"Azerbaijan", "Armenia", "Nagorno-Karabakh", "Ilham Aliyev", "Nikol Pashinyan"} <= labels


def test_every_span_in_the_store_slices_its_article(seed_store, seed_texts):
    query = """SELECT DISTINCT ?doc ?start ?end ?exact WHERE {
        ?span a ck:TextSpan ; ck:inArticle ?a ; oa:start ?start ; oa:end ?end ; oa:exact ?exact .
        ?a dcterms:identifier ?doc }"""
    rows = json.loads(run("query", query, "--store", str(seed_store), "--format", "json").output)
    assert len(rows) > 200
    for r in rows:
        assert seed_texts[r["doc"]][r["start"] : r["end"]] == r["exact"]


def test_verified_actors_carry_wikidata_iris(seed_store):
    rows = query_json(seed_store, "mentions")
    wikidata = {r["label_en"]: r["wikidata"] for r in rows}
    assert wikidata["Azerbaijan"] == "http://www.wikidata.org/entity/Q227"
    assert wikidata["Nikol Pashinyan"] == "http://www.wikidata.org/entity/Q7035479"
    assert wikidata["Ilham Aliyev"] is None  # no verified QID
    assert wikidata["Nagorno-Karabakh"] is None  # Q244165 is Artsakh, not the region


def test_named_queries_run_on_the_seeds(seed_store):
    casualties = query_json(seed_store, "casualties")
    assert any(r["kind"] == "killed" and r["count"] == 29 and r["qualifier"] == "at_least" for r in casualties)
    statements = query_json(seed_store, "statements")
    assert any(r["speaker_label_en"] == "Ministry of Defence of Russia" for r in statements)
    assert query_json(seed_store, "mediations")
    figures = query_json(seed_store, "conflicting_figures")
    assert figures
    places = {r["actor"] for r in query_json(seed_store, "mentions") if r["type"] == "Place"}
    for row in figures:  # grouped by a real place, labelled with that place's own label
        assert row["place"] in places
    killed = {(r["count"], r["doc"]) for r in figures if r["kind"] == "killed"}
    assert {(29, "000_b81af222457842e2"), (27, "000_b81af222457842e2"), (27, "001_84d71c1a7613b367")} <= killed
    table = run("query", "casualties", "--store", str(seed_store)).output
    lines = [line for line in table.splitlines() if not line.startswith("page 1:")]  # the page note (stderr)
    assert lines[0].split()[:3] == ["doc", "claim", "kind"]


def test_validate_and_stats(seed_store):
    assert "all 5 article graphs conform" in run("validate", "--store", str(seed_store)).output
    stats = json.loads(run("stats", "--store", str(seed_store), "--format", "json").output)
    assert stats["articles"] == 5 and stats["article graphs"] == 5
    assert stats["actors"] >= 30 and stats["places"] >= 3
    assert stats["actors by type"]["State"] >= 5


def test_the_build_summary_gives_the_stores_counts(seed_store, tmp_path):
    totals = stats(open_store(seed_store, read_only=True))
    output = run("build", str(SEEDS), "--store", str(tmp_path / "s")).output
    expected = (f"Store {tmp_path / 's'}: {totals['articles']} articles, {totals['actors']} actors, "
                f"{totals['places']} places, {totals['statements']} statements, "
                f"{totals['casualty claims']} casualty claims, {totals['mediations']} mediations")
    assert expected in output


def test_exports_parse_back_isomorphic(seed_store, tmp_path):
    store = str(seed_store)
    run("export", "--store", store, "--format", "trig", "-o", str(tmp_path / "kg.trig"))
    run("export", "--store", store, "--format", "nquads", "-o", str(tmp_path / "kg.nq"))
    trig = Dataset().parse(tmp_path / "kg.trig", format="trig")
    nquads = Dataset().parse(tmp_path / "kg.nq", format="nquads")
    # the exports add their VoID/DCAT description to what the store holds
    assert quad_count(trig) == quad_count(nquads) > len(ox.Store.read_only(store))
    for name in ("https://w3id.org/conflict-kg/graph/000_b81af222457842e2",):
        assert isomorphic(trig.graph(name), nquads.graph(name))
    oxi = ox.Store()
    oxi.load(path=str(tmp_path / "kg.trig"), format=ox.RdfFormat.TRIG)
    assert len(oxi) == quad_count(nquads)
    oxi_nq = ox.Store()
    oxi_nq.load(path=str(tmp_path / "kg.nq"), format=ox.RdfFormat.N_QUADS)
    description = "https://w3id.org/conflict-kg/graph/dataset"  # each export describes itself
    def content(store):
        return {q for q in store if q.graph_name.value != description}

    assert content(oxi_nq) == content(oxi)

    run("export", "--store", store, "--format", "turtle", "-o", str(tmp_path / "kg.ttl"))
    run("export", "--store", store, "--format", "ntriples", "-o", str(tmp_path / "kg.nt"))
    def without_description(graph: Graph) -> Graph:  # each export describes itself (format, time)
        for s, p, o in list(graph):
            if str(s).startswith(("https://w3id.org/conflict-kg/dataset", "https://w3id.org/conflict-kg/software")):
                graph.remove((s, p, o))
        return graph

    assert isomorphic(without_description(Graph().parse(tmp_path / "kg.ttl")),
                      without_description(Graph().parse(tmp_path / "kg.nt")))
    by_oxigraph = {fmt: set(ox.parse(path=str(tmp_path / f"kg.{ext}"), format=fmt))
                   for fmt, ext in ((ox.RdfFormat.TURTLE, "ttl"), (ox.RdfFormat.N_TRIPLES, "nt"))}
    turtle, ntriples = by_oxigraph.values()
    assert len(turtle) == len(Graph().parse(tmp_path / "kg.ttl")) and len(ntriples) > 4000

    run("export", "--store", store, "--format", "jsonld", "-o", str(tmp_path / "kg.jsonld"))
    doc = json.loads((tmp_path / "kg.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"]["count"]["@id"] == "ck:count"
    jsonld = Dataset().parse(tmp_path / "kg.jsonld", format="json-ld")
    assert quad_count(jsonld) == quad_count(nquads)


def test_rebuilding_changes_nothing_and_is_deterministic(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    run("build", str(SEEDS), "--store", str(first))
    dump_once = ox.Store(str(first)).dump(format=ox.RdfFormat.N_QUADS)
    run("build", str(SEEDS), "--store", str(first))
    dump_twice = ox.Store(str(first)).dump(format=ox.RdfFormat.N_QUADS)
    run("build", str(SEEDS), "--store", str(second))
    dump_other = ox.Store(str(second)).dump(format=ox.RdfFormat.N_QUADS)
    assert sorted(dump_once.splitlines()) == sorted(dump_twice.splitlines()) == sorted(dump_other.splitlines())


def test_a_batch_with_bad_files_loads_the_good_ones_and_reports_the_rest(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    good = (SEEDS / "004_43f431016a0d73b2.txt").read_bytes()
    (corpus / "good.txt").write_bytes(good)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "blob.txt").write_bytes(bytes(range(256)) * 4)
    (corpus / "french.txt").write_text("Les combats continuent.", encoding="utf-8")
    (corpus / "feed.jsonl").write_text('{"id": "j1", "text": "قتل 3 مدنيين في قصف على حلب."}\n{oops\n', "utf-8")
    report = tmp_path / "report.json"
    store = tmp_path / "store"
    result = run("build", str(corpus), "--store", str(store), "--report", str(report), expect=EXIT_SKIPPED)
    assert "Articles loaded: 2, skipped: 4" in result.output
    assert "empty.txt: empty file" in result.output
    assert "french.txt: no Arabic text" in result.output
    assert "feed.jsonl:2: invalid JSON" in result.output
    outcomes = json.loads(report.read_text(encoding="utf-8"))["outcomes"]
    assert {o["id"] for o in outcomes if o["status"] == "loaded"} == {"good", "j1"}
    stats = json.loads(run("stats", "--store", str(store), "--format", "json").output)
    assert stats["articles"] == 2


def test_duplicate_ids_across_files_keep_the_first(tmp_path):
    corpus = tmp_path / "in"
    (corpus / "a").mkdir(parents=True)
    (corpus / "b").mkdir()
    (corpus / "a" / "same.txt").write_text("قتل 3 مدنيين في حلب.", "utf-8")
    (corpus / "b" / "same.txt").write_text("قتل 4 مدنيين في إدلب.", "utf-8")
    result = run("build", str(corpus), "--store", str(tmp_path / "s"), expect=EXIT_SKIPPED)
    assert "duplicate article id 'same'" in result.output


def test_remove_deletes_an_article(tmp_path):
    store = str(tmp_path / "s")
    run("build", str(SEEDS / "000_b81af222457842e2.txt"), str(SEEDS / "001_84d71c1a7613b367.txt"), "--store", store)
    run("remove", "000_b81af222457842e2", "--store", store)
    stats = json.loads(run("stats", "--store", store, "--format", "json").output)
    assert stats["articles"] == 1
    run("remove", "000_b81af222457842e2", "--store", store, expect=1)


def test_read_only_commands_explain_a_missing_store(tmp_path):
    result = run("query", "casualties", "--store", str(tmp_path / "none"), expect=1)
    assert "no store at" in result.output


def test_store_location_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_STORE", str(tmp_path / "envstore"))
    run("build", str(SEEDS / "001_84d71c1a7613b367.txt"))
    assert (tmp_path / "envstore").is_dir()
    assert json.loads(run("stats", "--format", "json").output)["articles"] == 1


def test_validate_reports_a_broken_graph_in_the_store(tmp_path):
    from handmade import handmade_extraction

    from kg.graph import article_graph
    from kg.namespaces import CK
    from kg.store import open_store, replace_article

    graph = article_graph(handmade_extraction("broken"))
    claim = next(graph.subjects(predicate=CK.casualtyKind))
    graph.remove((claim, CK.casualtyKind, None))
    store_path = tmp_path / "s"
    store = open_store(store_path)
    replace_article(store, "broken", graph)
    store.flush()
    del store
    result = run("validate", "--store", str(store_path), expect=1)
    assert "graph/broken: 1 violation(s)" in result.output
    assert "casualty kind must be one concept of the casualty-kind scheme" in result.output
    assert "1 of 1 article graphs do not conform" in result.output


def test_a_large_build_compacts_the_store_unless_told_not_to(tmp_path, monkeypatch):
    import kg.build

    monkeypatch.setattr(kg.build, "OPTIMIZE_AFTER", 5)
    output = run("build", str(SEEDS), "--store", str(tmp_path / "a")).output
    assert "Store compacted for queries in" in output and "(5 new articles;" in output
    assert "compacted" not in run("build", str(SEEDS), "--store", str(tmp_path / "a")).output  # nothing new
    assert "compacted" not in run("build", str(SEEDS), "--store", str(tmp_path / "b"), "--no-optimize").output
    assert len(query_json(tmp_path / "a", "mentions")) == len(query_json(tmp_path / "b", "mentions"))


def test_validate_finds_a_figures_graph_edited_by_hand_and_rebuilds_it(tmp_path):
    from kg.namespaces import FIGURES_GRAPH
    from kg.store import open_store

    store_path = tmp_path / "s"
    run("build", str(SEEDS), "--store", str(store_path))
    store = open_store(store_path)
    store.update(f"""DELETE {{ GRAPH <{FIGURES_GRAPH}> {{ ?g ?p ?n }} }}
                     WHERE {{ {{ SELECT ?g ?p ?n WHERE {{ GRAPH <{FIGURES_GRAPH}> {{ ?g ?p ?n }} }} LIMIT 1 }} }} ;
                     INSERT DATA {{ GRAPH <{FIGURES_GRAPH}> {{
                       <https://w3id.org/conflict-kg/id/figure-group/x> ck:reportedCount 12345 }} }}""",
                 prefixes={"ck": "https://w3id.org/conflict-kg/ontology#"})
    store.flush()
    del store
    result = run("validate", "--store", str(store_path), expect=1)
    assert "figures graph out of step with the articles: 1 figure(s) missing, 1 no article states" in result.output
    assert "a figure group states the non-negative integer figures of its claims" in result.output  # in its view
    result = run("validate", "--rebuild-figures", "--store", str(store_path))
    assert "out of step" not in result.output and "all 5 article graphs conform" in result.output


def test_build_rejects_an_article_whose_graph_violates_the_shapes(tmp_path, monkeypatch):
    import pyoxigraph as ox

    import kg.build
    from kg.namespaces import CK, OA

    real = kg.build.article_triples

    def corrupting(extraction, links=None):
        triples = real(extraction, links)
        if extraction.article.id != "001_84d71c1a7613b367":
            return triples
        span = next(t.subject for t in triples if t.predicate.value == str(CK.inArticle))
        end = next(t.object for t in triples if t.subject == span and t.predicate.value == str(OA.end))
        start_of_span = (span.value, str(OA.start))
        return [ox.Triple(t.subject, t.predicate, end) if (t.subject.value, t.predicate.value) == start_of_span else t
                for t in triples]

    monkeypatch.setattr(kg.build, "article_triples", corrupting)
    store = str(tmp_path / "s")
    result = run("build", str(SEEDS), "--store", store, expect=EXIT_SKIPPED)
    assert "Articles loaded: 4, skipped: 1" in result.output
    assert "001_84d71c1a7613b367.txt: violates the SHACL shapes" in result.output
    assert "start must be before end" in result.output
    assert "1 rejected for violating the shapes" in result.output


def test_jsonld_expands_with_pyld_to_the_same_quads(seed_store, tmp_path):
    from pyld import jsonld

    store = str(seed_store)
    run("export", "--store", store, "--format", "jsonld", "-o", str(tmp_path / "kg.jsonld"))
    run("export", "--store", store, "--format", "nquads", "-o", str(tmp_path / "kg.nq"))
    document = json.loads((tmp_path / "kg.jsonld").read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    by_pyld = Dataset().parse(data=nquads, format="nquads")
    by_oxigraph = Dataset().parse(tmp_path / "kg.nq", format="nquads")
    description = "https://w3id.org/conflict-kg/graph/dataset"  # its creation time differs between exports

    def quads(ds):
        found = {(s, p, o, getattr(g, "identifier", g)) for s, p, o, g in ds.quads((None, None, None, None))}
        return {q for q in found if str(q[3]) != description}

    assert quads(by_pyld) == quads(by_oxigraph)
    assert len(quads(by_pyld)) > 4000


def test_every_export_carries_a_void_and_dcat_description(seed_store, tmp_path):
    from rdflib import Namespace, URIRef

    void, dcat, dcterms = (Namespace("http://rdfs.org/ns/void#"), Namespace("http://www.w3.org/ns/dcat#"),
                           Namespace("http://purl.org/dc/terms/"))
    dataset = URIRef("https://w3id.org/conflict-kg/dataset")
    for fmt, rdflib_format in (("turtle", "turtle"), ("trig", "trig"), ("ntriples", "nt"), ("nquads", "nquads"),
                               ("jsonld", "json-ld")):
        out = tmp_path / f"kg.{fmt}"
        run("export", "--store", str(seed_store), "--format", fmt, "-o", str(out))
        graph = Dataset().parse(out, format=rdflib_format)
        union = Graph()
        for s, p, o, _ in graph.quads((None, None, None, None)):
            union.add((s, p, o))
        assert (dataset, None, void.Dataset) in union and (dataset, None, dcat.Dataset) in union
        assert union.value(dataset, dcterms.title) is not None
        assert union.value(dataset, dcterms.license) is not None
        assert union.value(dataset, dcterms.created) is not None
        parsed = sum(1 for _ in ox.parse(path=str(out), format={
            "turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "ntriples": ox.RdfFormat.N_TRIPLES,
            "nquads": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}[fmt]))
        assert int(union.value(dataset, void.triples)) == parsed > 4000  # what the file holds, itself included
        media_type = union.value(union.value(dataset, dcat.distribution), dcat.mediaType)
        assert isinstance(media_type, URIRef) and str(media_type).startswith("https://www.iana.org/assignments/")
        assert len(set(union.objects(dataset, dcterms.source))) == 5
        software = union.value(dataset, dcterms.creator)
        assert str(union.value(software, URIRef("https://schema.org/softwareVersion"))) == "0.1.0"


def test_describe_by_qid_label_and_iri(seed_store):
    by_qid = run("describe", "Q227", "--store", str(seed_store)).output
    assert by_qid.splitlines()[0] == "https://w3id.org/conflict-kg/id/actor/azerbaijan"
    for section in ("labels", "statements", "casualty claims", "mediations", "articles (5)"):
        assert section in by_qid
    assert "wd:Q227" in by_qid and "قتيلين مدنيين" in by_qid
    by_label = run("describe", "أذربيجان", "--store", str(seed_store)).output
    by_english = run("describe", "azerbaijan", "--store", str(seed_store)).output
    by_iri = run("describe", "https://w3id.org/conflict-kg/id/actor/azerbaijan", "--store", str(seed_store)).output
    assert by_qid == by_label == by_english == by_iri


def test_describe_as_turtle_and_unknown_actors(seed_store):
    turtle = run("describe", "Ilham Aliyev", "--store", str(seed_store), "--format", "turtle").output
    graph = Graph().parse(data=turtle, format="turtle")
    assert len(graph) > 20
    result = run("describe", "Q1", "--store", str(seed_store), expect=1)
    assert "no actor or place 'Q1'" in result.output


def test_actors_without_english_label_get_a_romanized_one(seed_store):
    # Oxigraph lower-cases language tags; LANGMATCHES compares them as BCP 47 says
    query = """SELECT ?ar ?latn WHERE { ?a rdfs:label ?ar , ?latn
               FILTER (LANG(?ar) = "ar" && LANGMATCHES(LANG(?latn), "ar-Latn")) }"""
    rows = json.loads(run("query", query, "--store", str(seed_store), "--format", "json").output)
    romanized = {r["ar"]: r["latn"] for r in rows}
    assert romanized["وسائل إعلام روسية"] == "wsAŷl ĂςlAm rwsyħ"
    both = """SELECT ?l WHERE { ?a rdfs:label ?l , ?en
              FILTER (LANGMATCHES(LANG(?l), "ar-Latn") && LANG(?en) = "en") }"""
    english = json.loads(run("query", both, "--store", str(seed_store), "--format", "json").output)
    assert english == []  # only actors with no English label get one


def test_parallel_build_gives_the_same_graph_and_report_as_one_process(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(18):  # enough files for worker processes to be used
        (corpus / f"a{i:02d}.txt").write_bytes(seeds[i % len(seeds)].read_bytes())
    (corpus / "zz-empty.txt").write_bytes(b"")
    results = {}
    for jobs in ("1", "2"):
        store, report = tmp_path / f"s{jobs}", tmp_path / f"r{jobs}.json"
        run("build", str(corpus), "--store", str(store), "--jobs", jobs, "--report", str(report), expect=3)
        results[jobs] = (set(ox.Store(str(store))), json.loads(report.read_text(encoding="utf-8"))["outcomes"])
    assert results["1"] == results["2"]
    assert len(results["1"][1]) == 19


CLAIM_ROWS = """SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?c a ck:CasualtyClaim ; ck:evidence ?e } }"""


def test_query_prints_every_row_and_slices_only_when_asked(seed_store):
    store = str(seed_store)
    claim_rows = query_json(seed_store, CLAIM_ROWS)[0]["n"]
    every = run("query", "casualties", "--store", store, "--format", "csv")
    assert len(every.stdout.splitlines()) - 1 == claim_rows == 24 and every.stderr == ""
    page = run("query", "casualties", "--store", store, "--format", "csv", "--page", "2", "--page-size", "5")
    assert page.stdout.splitlines()[1:] == every.stdout.splitlines()[6:11]
    assert page.stderr == "kg: rows 6-10 of 24\n"
    tail = run("query", "casualties", "--store", store, "--format", "json", "--offset", "22", "--limit", "5")
    assert len(json.loads(tail.stdout)) == 2 and tail.stderr == "kg: rows 23-24 of 24\n"
    past = run("query", "casualties", "--store", store, "--format", "json", "--page", "9")
    assert json.loads(past.stdout) == [] and "no rows from row 401 of 24" in past.stderr
    both = run("query", "casualties", "--store", store, "--page", "2", "--limit", "3", expect=2)
    assert "--page goes with --page-size" in both.output


def test_bind_answers_a_question_with_a_named_query(seed_store):
    store = str(seed_store)
    every = json.loads(run("query", "casualties", "--store", store, "--format", "json").stdout)
    by_doc = json.loads(run("query", "casualties", "--store", store, "--format", "json",
                            "--bind", "doc=001_84d71c1a7613b367").stdout)
    assert by_doc == [r for r in every if r["doc"] == "001_84d71c1a7613b367"] and by_doc
    # ?claimant is optional in the query: rows of other claimants must not come back showing Azerbaijan
    azerbaijan = "https://w3id.org/conflict-kg/id/actor/azerbaijan"
    by_claimant = json.loads(run("query", "casualties", "--store", store, "--format", "json",
                                 "--bind", "claimant=Q227").stdout)
    assert by_claimant == [r for r in every if r["claimant"] == azerbaijan] and len(by_claimant) < len(every)
    by_iri = run("query", "casualties", "--store", store, "--format", "json", "--bind", f"claimant=<{azerbaijan}>")
    assert json.loads(by_iri.stdout) == by_claimant
    statements = json.loads(run("query", "statements", "--store", store, "--format", "json",
                                "--bind", "speaker=actor:azerbaijan", "--bind", "kind=announce").stdout)
    assert statements and {(r["speaker"], r["kind"]) for r in statements} == {(azerbaijan, "announce")}
    unknown = run("query", "casualties", "--store", store, "--bind", "nope=1", expect=2)
    assert "the query has no variable ?nope" in unknown.output
    unlinked = run("query", "casualties", "--store", store, "--bind", "claimant=Q42", expect=2)
    assert "no actor in the store is linked to that item" in unlinked.output


def test_query_answers_ask_and_construct_and_refuses_updates(seed_store):
    store = str(seed_store)
    assert run("query", "ASK { ?s a ck:State }", "--store", store).stdout == "true\n"
    turtle = run("query", "CONSTRUCT WHERE { ?s a ck:State }", "--store", store).stdout
    assert len(Graph().parse(data=turtle, format="turtle")) == 9
    refused = run("query", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "--store", store, expect=1)
    assert "this is a SPARQL Update" in refused.output
    rows_as_graph = run("query", "CONSTRUCT WHERE { ?s a ck:State }", "--store", store, "--format", "csv", expect=1)
    assert "answers with triples, not rows" in rows_as_graph.output


def test_a_dataset_clause_or_graph_is_honoured(seed_store):
    store = str(seed_store)
    one = "https://w3id.org/conflict-kg/graph/001_84d71c1a7613b367"
    in_one = query_json(seed_store, f"SELECT (COUNT(*) AS ?n) FROM <{one}> WHERE {{ ?s ?p ?o }}")[0]["n"]
    direct = query_json(seed_store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{one}> {{ ?s ?p ?o }} }}")[0]["n"]
    union = query_json(seed_store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]
    assert in_one == direct < union == len(ox.Store.read_only(store))
    named_only = f"SELECT (COUNT(*) AS ?n) FROM NAMED <{one}> WHERE {{ ?s ?p ?o }}"
    assert query_json(seed_store, named_only)[0]["n"] == 0  # FROM NAMED alone: an empty default graph
    assert run("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } # FROM here is a comment", "--store", store,
               "--format", "json").stdout.count(str(union)) == 1


def test_remove_refuses_kgs_own_graphs_and_describe_takes_any_text(seed_store, tmp_path):
    import shutil

    store = tmp_path / "s"
    shutil.copytree(seed_store, store)
    refused = run("remove", "ontology", "--store", str(store), expect=1)
    assert "'ontology' is kg's own graph, not an article" in refused.output
    assert run("validate", "--store", str(store)).output.endswith("all 5 article graphs conform\n")
    for text in ('a"b', "x> } ; DROP ALL ; ASK {", "<https://w3id.org/conflict-kg/id/actor/azerbaijan>"):
        assert "no actor or place" in run("describe", text, "--store", str(store), expect=1).output


def test_serve_says_so_when_the_port_is_taken(seed_store):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--store", str(seed_store), "--port", str(port), expect=1)
    assert f"port {port} on 127.0.0.1 is already in use" in result.output and "Traceback" not in result.output
    assert "--timeout" in run("serve", "--store", str(seed_store), "--timeout", "0", expect=2).output


def test_validate_finds_an_actors_graph_edited_by_hand(tmp_path):
    import shutil

    from kg.namespaces import ACTORS_GRAPH
    from kg.store import open_store

    store_path = tmp_path / "s"
    run("build", str(SEEDS / "000_b81af222457842e2.txt"), "--store", str(store_path))
    store = open_store(store_path)
    actor = "https://w3id.org/conflict-kg/id/actor/"
    store.update(f"""DELETE WHERE {{ GRAPH <{ACTORS_GRAPH}> {{ <{actor}azerbaijan> ?p ?o }} }} ;
                     INSERT DATA {{ GRAPH <{ACTORS_GRAPH}> {{
                       <{actor}nobody> a <https://w3id.org/conflict-kg/ontology#Person> }} }}""")
    store.flush()
    del store
    result = run("validate", "--store", str(store_path), expect=1)
    assert "actors graph out of step with the articles: 1 actor(s) named but not described, " \
           "1 described but named by no article" in result.output
    shutil.rmtree(store_path)
