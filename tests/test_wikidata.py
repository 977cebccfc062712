"""kg link, kg enrich and federated queries against a Wikidata stand-in on 127.0.0.1."""

import csv
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import run

from kg.serve import Settings, make_server
from kg.wikidata import Client, EndpointError

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "wikidata-fixture.ttl"
ARTICLE = (
    "قال وزير الخارجية السوداني علي الصادق إن الحكومة لن تفاوض. "
    "وأعلنت قوات الدعم السريع سيطرتها على مدينة ستيباناكيرت. "
    "وقال المتحدث باسم الجيش السوداني نبيل عبد الله إن قواته صدت الهجوم، وقتل 12 شخصا في ستيباناكيرت. "
    "وقال الناشط محمد حسن إن القصف استمر. "
    "وقالت وزارة الزراعة السودانية إن 40 مدنيا قتلوا."
)
RSF = "https://w3id.org/conflict-kg/id/actor/rapid-support-forces"
# وزارة الزراعة السودانية: an actor the gazetteer does not know
MINISTRY = "https://w3id.org/conflict-kg/id/actor/ar/%D9%88%D8%B2%D8%A7%D8%B1%D9%87-%D8%A7%D9%84%D8%B2%D8%B1%D8%A7%D8%B9%D9%87-%D8%A7%D9%84%D8%B3%D9%88%D8%AF%D8%A7%D9%86%D9%8A%D9%87"


@pytest.fixture(scope="module")
def wikidata(tmp_path_factory):
    """Our own SPARQL server over a store holding the Wikidata-shaped fixture."""
    path = tmp_path_factory.mktemp("wikidata") / "store"
    store = ox.Store(str(path))
    store.load(path=str(FIXTURE), format=ox.RdfFormat.TURTLE)
    store.flush()
    del store
    server = make_server(Settings(path, timeout=10), "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}/sparql"


@pytest.fixture
def store(tmp_path):
    (tmp_path / "sudan.txt").write_text(ARTICLE, encoding="utf-8")
    path = tmp_path / "store"
    run("build", str(tmp_path / "sudan.txt"), "--store", str(path))
    return path


def select(store_path, query):
    return json.loads(run("query", query, "--store", str(store_path), "--format", "json").output)


def test_link_accepts_good_candidates_with_provenance_and_sends_the_rest_to_review(wikidata, store, tmp_path):
    review = tmp_path / "review.csv"
    out = run("link", "--store", str(store), "--endpoint", wikidata, "--review", str(review)).output
    assert "linked" in out
    links = select(store, """SELECT ?actor ?item ?label ?score ?endpoint ?when WHERE {
        GRAPH <https://w3id.org/conflict-kg/graph/links> {
          ?l ck:linkedActor ?actor ; ck:linkedItem ?item ; ck:matchedLabel ?label ; ck:score ?score ;
             ck:endpoint ?endpoint ; prov:generatedAtTime ?when . ?actor owl:sameAs ?item } }""")
    found = {r["item"].rsplit("/", 1)[-1]: r for r in links}
    assert set(found) == {"Q999000001", "Q999000002", "Q999000005"}
    assert found["Q999000001"]["score"] == 1.0 and found["Q999000001"]["label"] == "علي الصادق"
    assert found["Q999000005"]["score"] == 0.9  # matched an alias
    assert found["Q999000002"]["actor"] == RSF
    assert all(r["endpoint"] == wikidata and r["when"].endswith("Z") for r in links)
    rows = list(csv.DictReader(review.open(encoding="utf-8")))
    assert sorted(r["wikidata"] for r in rows) == ["Q999000003", "Q999000004", "Q999000006"]
    by_item = {r["wikidata"]: r for r in rows}
    assert float(by_item["Q999000003"]["score"]) == 0.5  # two items carry the name
    assert float(by_item["Q999000006"]["score"]) < 0.8  # a human is no ministry


def test_a_researchers_decisions_win_and_are_applied_on_rebuild(wikidata, store, tmp_path):
    decisions = tmp_path / "links.tsv"
    decisions.write_text(f"actor\twikidata\n{RSF}\tnone\n{MINISTRY}\tQ999000099\n", encoding="utf-8")
    run("build", str(tmp_path / "sudan.txt"), "--store", str(store), "--links", str(decisions))
    same_as = {r["a"]: r["q"] for r in select(store, "SELECT ?a ?q WHERE { ?a owl:sameAs ?q }")}
    assert same_as[MINISTRY] == "http://www.wikidata.org/entity/Q999000099"
    assert RSF not in same_as
    run("link", "--store", str(store), "--endpoint", wikidata, "--review", str(tmp_path / "r.csv"),
        "--links", str(decisions))
    linked = select(store, "SELECT ?a WHERE { GRAPH <https://w3id.org/conflict-kg/graph/links> { ?a owl:sameAs ?q } }")
    assert RSF not in {r["a"] for r in linked}


def test_a_bad_decisions_file_is_refused(tmp_path, store):
    bad = tmp_path / "links.tsv"
    bad.write_text("actor\twikidata\nsomething\tQ12x\n", encoding="utf-8")
    result = run("build", str(tmp_path / "sudan.txt"), "--store", str(store), "--links", str(bad), expect=1)
    assert "neither a QID nor 'none'" in result.output


def test_enrich_stores_facts_in_their_own_dated_graph_and_joins_run_locally(wikidata, store, tmp_path):
    run("link", "--store", str(store), "--endpoint", wikidata, "--review", str(tmp_path / "r.csv"))
    out = run("enrich", "--store", str(store), "--endpoint", wikidata).output
    assert "facts stored" in out
    before = len(ox.Store.read_only(str(store)))
    run("enrich", "--store", str(store), "--endpoint", wikidata)
    assert len(ox.Store.read_only(str(store))) == before  # refreshed, not duplicated
    about = select(store, """SELECT ?when ?source WHERE { GRAPH <https://w3id.org/conflict-kg/graph/wikidata> {
        <https://w3id.org/conflict-kg/graph/wikidata> prov:generatedAtTime ?when ; prov:wasDerivedFrom ?source } }""")
    assert about[0]["source"] == wikidata
    actors = {r["label"]: r for r in json.loads(run("query", "actors_wikidata", "--store", str(store),
                                                     "--format", "json").output)}
    assert actors["علي الصادق"]["citizenship"] == "Sudan"
    assert actors["علي الصادق"]["position"] == "Minister of Foreign Affairs (test item)"
    places = json.loads(run("query", "places_coordinates", "--store", str(store), "--format", "json").output)
    assert [(p["label"], p["coordinates"]) for p in places] == [("Stepanakert", "Point(46.75 39.82)")]
    by_country = json.loads(run("query", "casualties_by_country", "--store", str(store), "--format", "json").output)
    assert [(r["country_label"], r["kind"], r["figures"]) for r in by_country] == [("Azerbaijan", "killed", "12")]


def test_every_federated_example_runs_against_the_endpoint_given(wikidata, store):
    rows = json.loads(run("query", "federated/actors_wikidata", "--store", str(store), "--wikidata-endpoint",
                          wikidata, "--format", "json").output)
    assert rows == [{"wikidata": "http://www.wikidata.org/entity/Q7747", "label": "Vladimir Putin",
                     "description": None, "citizenship": "http://www.wikidata.org/entity/Q159"}]


def test_a_federated_query_is_stopped_by_the_timeout(store, flaky):
    query = f"SELECT * WHERE {{ SERVICE <{flaky}/slow> {{ ?s ?p ?o }} }}"
    result = run("query", query, "--store", str(store), "--timeout", "1", expect=1)
    assert "longer than 1 s" in result.output


def test_federated_queries_go_to_the_endpoint_given_with_a_timeout(wikidata, store):
    out = run("query", "federated/places_coordinates", "--store", str(store), "--wikidata-endpoint", wikidata,
              "--format", "json").output
    assert json.loads(out) == [{"place": "https://w3id.org/conflict-kg/id/place/stepanakert", "label": "Stepanakert",
                                "wikidata": "http://www.wikidata.org/entity/Q129352",
                                "coordinates": "Point(46.75 39.82)"}]


class _Flaky(BaseHTTPRequestHandler):
    """Fails with 503 twice, then answers; or never answers in time."""

    calls = 0

    def log_message(self, *args):
        return

    def do_POST(self):  # noqa: N802
        type(self).calls += 1
        self.rfile.read(int(self.headers["Content-Length"]))
        if self.path == "/slow":
            time.sleep(3)
        if type(self).calls <= 2:
            self.send_response(503)
            self.end_headers()
            return
        body = b'{"head": {"vars": []}, "results": {"bindings": [{}]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def flaky():
    _Flaky.calls = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_client_retries_with_back_off(flaky):
    assert Client(flaky + "/sparql", timeout=5, retries=3, backoff=0.01).select("SELECT * {}") == [{}]
    assert _Flaky.calls == 3


def test_client_gives_up_with_a_clear_error(flaky):
    with pytest.raises(EndpointError, match="HTTP 503"):
        Client(flaky + "/sparql", timeout=5, retries=1, backoff=0.01).select("SELECT * {}")
    with pytest.raises(EndpointError, match="timed out"):
        Client(flaky + "/slow", timeout=0.5, retries=0).select("SELECT * {}")


def test_an_unreachable_endpoint_is_reported(store):
    result = run("enrich", "--store", str(store), "--endpoint", "http://127.0.0.1:9/sparql", "--timeout", "2",
                 expect=1)
    assert "cannot reach the Wikidata endpoint" in result.output
