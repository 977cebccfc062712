"""kg serve, used by real clients: SPARQLWrapper, rdflib's SPARQLStore, plain HTTP."""

import json
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from conftest import SEEDS, run, served_apart
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

TOKEN = "s3cret"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    store = tmp_path_factory.mktemp("serve") / "store"
    run("build", str(SEEDS / "000_b81af222457842e2.txt"), "--store", str(store))
    with served_apart({
        "read-only": {"store": store, "timeout": 3, "max_rows": 500},
        "cors": {"store": store, "timeout": 3, "max_rows": 500, "cors_origin": "https://yasgui.example"},
        "one-worker": {"store": store, "timeout": 4, "max_rows": 500, "workers": 1},
        "short-downloads": {"store": store, "timeout": 3, "max_rows": 500, "download_timeout": 2},
        "updatable": {"store": store, "timeout": 3, "max_rows": 500, "update_token": TOKEN},
    }) as servers:
        yield servers | {"store": store}


def http(url, data=None, headers=None, method=None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


COUNT = "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a ck:CasualtyClaim }"


def test_sparqlwrapper_select_in_json_xml_and_csv(endpoint):
    client = SPARQLWrapper(endpoint["read-only"] + "/sparql")
    client.setQuery(COUNT)
    client.setReturnFormat(JSON)
    n = int(client.query().convert()["results"]["bindings"][0]["n"]["value"])
    assert n > 3
    client.setReturnFormat(XML)
    assert client.query().convert().getElementsByTagName("literal")[0].firstChild.data == str(n)
    client.setReturnFormat(CSV)
    assert client.query().convert().decode().split() == ["n", str(n)]


def test_sparqlwrapper_post_and_construct(endpoint):
    client = SPARQLWrapper(endpoint["read-only"] + "/sparql")
    client.setMethod("POST")
    client.setQuery("CONSTRUCT { ?a ?p ?o } WHERE { ?a a ck:Article ; ?p ?o }")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert len(graph) >= 5


def test_rdflib_sparqlstore(endpoint):
    store = SPARQLStore(endpoint["read-only"] + "/sparql", returnFormat="json")
    rows = list(store.query("SELECT ?label WHERE { ?a skos:prefLabel ?label FILTER (LANG(?label) = 'ar') } LIMIT 5",
                            initNs={"skos": "http://www.w3.org/2004/02/skos/core#"}))
    assert rows and all(isinstance(r[0], Literal) and r[0].language == "ar" for r in rows)


def test_an_rdflib_graph_on_the_endpoint_sees_only_its_named_graph(endpoint):
    article = URIRef("https://w3id.org/conflict-kg/graph/000_b81af222457842e2")
    graph = Graph(SPARQLStore(endpoint["read-only"] + "/sparql", returnFormat="json"), identifier=article)
    direct = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{article}> {{ ?s ?p ?o }} }}"
    status, _, body = http(endpoint["read-only"] + "/sparql?" + urllib.parse.urlencode({"query": direct}),
                           headers={"Accept": "application/sparql-results+json"})
    in_article = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    assert len(graph) == in_article  # not the whole store
    typed = {str(s) for s, _, _ in graph.triples((None, URIRef(RDF_TYPE), None))}  # under the 500-row cap
    assert typed and all(s.startswith("https://w3id.org/conflict-kg/id/article/000_b81af222457842e2") for s in typed)


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/html;q=0.9, text/csv;q=1.0", "text/csv"),
    ],
)
def test_content_negotiation_for_select(endpoint, accept, content_type):
    url = endpoint["read-only"] + "/sparql?" + urllib.parse.urlencode({"query": COUNT})
    status, headers, _ = http(url, headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"].startswith(content_type)


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [("turtle", "text/turtle"), ("ntriples", "application/n-triples"), ("jsonld", "application/ld+json")],
)
def test_graph_results_by_format_parameter(endpoint, fmt, content_type):
    query = "DESCRIBE <https://w3id.org/conflict-kg/id/actor/azerbaijan>"
    url = endpoint["read-only"] + "/sparql?" + urllib.parse.urlencode({"query": query, "format": fmt})
    status, headers, body = http(url)
    assert status == 200 and headers["Content-Type"].startswith(content_type)
    rdflib_format = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld"}[fmt]
    assert len(Graph().parse(data=body, format=rdflib_format)) > 3


def test_form_encoded_post_and_cors(endpoint):
    body = urllib.parse.urlencode({"query": "ASK { ?s a ck:Article }"}).encode()
    status, headers, data = http(endpoint["read-only"] + "/sparql", data=body,
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and json.loads(data)["boolean"] is True
    assert "Access-Control-Allow-Origin" not in headers  # no web page may read the graph unless asked
    status, headers, _ = http(endpoint["cors"] + "/sparql", data=body,
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "https://yasgui.example"
    status, headers, _ = http(endpoint["cors"] + "/sparql", method="OPTIONS")
    assert status == 204 and "POST" in headers["Access-Control-Allow-Methods"]


def test_head_keep_alive_and_methods_outside_the_protocol(endpoint):
    import http.client

    host, port = endpoint["read-only"].removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    query = "/sparql?" + urllib.parse.urlencode({"query": COUNT})
    for method in ("HEAD", "GET", "GET"):  # one connection for all three
        connection.request(method, query, headers={"Accept": "text/csv"})
        response = connection.getresponse()
        body = response.read()
        assert response.status == 200 and response.version == 11
        assert (body == b"") == (method == "HEAD") and int(response.headers["Content-Length"]) > 0
    connection.request("PUT", "/sparql", body=b"x")
    response = connection.getresponse()
    response.read()
    assert response.status == 405 and "POST" in response.headers["Allow"]
    connection.close()


def test_protocol_dataset_parameters_and_one_query_per_request(endpoint):
    article = "https://w3id.org/conflict-kg/graph/000_b81af222457842e2"
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def n(params):
        status, _, body = http(endpoint["read-only"] + "/sparql?" + urllib.parse.urlencode(params, doseq=True),
                               headers={"Accept": "application/sparql-results+json"})
        assert status == 200, body
        return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])

    union, in_article = n({"query": count}), n({"query": count, "default-graph-uri": [article]})
    assert 0 < in_article < union
    assert n({"query": f"SELECT (COUNT(*) AS ?n) FROM <{article}> WHERE {{ ?s ?p ?o }}"}) == in_article
    assert n({"query": f"SELECT (COUNT(*) AS ?n) FROM <{article}> WHERE {{ ?s ?p ?o }}",
              "default-graph-uri": ["urn:nothing"]}) == 0  # the protocol's dataset wins over the query's
    status, _, body = http(endpoint["read-only"] + "/sparql?" + urllib.parse.urlencode(
        {"query": ["ASK {}", "ASK {}"]}, doseq=True))
    assert status == 400 and b"one query per request" in body


def test_errors_are_clear_and_the_server_keeps_serving(endpoint):
    base = endpoint["read-only"] + "/sparql?"
    status, _, body = http(base + urllib.parse.urlencode({"query": "SELEC nonsense"}))
    assert status == 400 and b"syntax error" in body
    status, _, body = http(base + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"}))
    assert status == 413 and b"more than 500 rows" in body
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    status, _, body = http(base + urllib.parse.urlencode({"query": runaway}))
    assert status == 503 and b"longer than 3 s" in body
    status, _, body = http(base + urllib.parse.urlencode({"query": COUNT}))
    assert status == 200, body


def test_updates_are_refused_without_the_flag_and_the_token(endpoint):
    update = "INSERT DATA { GRAPH <urn:test> { <urn:a> <urn:b> 'c' } }"
    headers = {"Content-Type": "application/sparql-update"}
    status, _, body = http(endpoint["read-only"] + "/sparql", data=update.encode(), headers=headers)
    assert status == 403 and b"read-only" in body
    status, _, _ = http(endpoint["updatable"] + "/sparql", data=update.encode(), headers=headers)
    assert status == 401
    status, _, _ = http(endpoint["updatable"] + "/sparql", data=update.encode(),
                        headers={**headers, "Authorization": f"Bearer {TOKEN}"})
    assert status == 204
    ask = urllib.parse.urlencode({"query": "ASK { GRAPH <urn:test> { <urn:a> <urn:b> 'c' } }"})
    status, _, body = http(endpoint["read-only"] + "/sparql?" + ask)
    assert json.loads(body)["boolean"] is True
    http(endpoint["updatable"] + "/sparql", data=b"DROP GRAPH <urn:test>",
         headers={**headers, "Authorization": f"Bearer {TOKEN}"})


def test_the_server_sees_what_a_build_commits_without_restart(endpoint):
    url = endpoint["read-only"] + "/sparql?" + urllib.parse.urlencode(
        {"query": "SELECT (COUNT(?a) AS ?n) WHERE { ?a a ck:Article }"})
    before = int(json.loads(http(url)[2])["results"]["bindings"][0]["n"]["value"])
    run("build", str(SEEDS / "001_84d71c1a7613b367.txt"), "--store", str(endpoint["store"]))
    after = int(json.loads(http(url)[2])["results"]["bindings"][0]["n"]["value"])
    assert after == before + 1


def test_query_page_and_named_queries(endpoint):
    status, headers, body = http(endpoint["read-only"] + "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b'id="yasgui"' in body and b"/sparql" in body and b"/static/yasgui/yasgui.min.js" in body
    for name, media_type in (("yasgui.min.js", "text/javascript"), ("yasgui.min.css", "text/css"),
                             ("LICENSE.md", "text/markdown")):
        status, headers, body = http(endpoint["read-only"] + "/static/yasgui/" + name)
        assert status == 200 and headers["Content-Type"].startswith(media_type) and len(body) > 10_000
    assert http(endpoint["read-only"] + "/static/../serve.py")[0] == 404
    status, _, body = http(endpoint["read-only"] + "/prefixes")
    assert json.loads(body)["ck"] == "https://w3id.org/conflict-kg/ontology#"
    status, _, body = http(endpoint["read-only"] + "/queries")
    queries = json.loads(body)
    assert {"casualties", "statements", "mentions"} <= set(queries)
    assert "SELECT" in queries["casualties"]["query"]


def test_sparqlwrapper_in_every_return_format(endpoint):
    from SPARQLWrapper import JSONLD, N3, RDF, RDFXML, TSV

    url = endpoint["read-only"] + "/sparql"
    construct = "CONSTRUCT { ?s a ck:State } WHERE { ?s a ck:State }"
    for fmt, parse in ((XML, "xml"), (TURTLE, "turtle"), (N3, "turtle"), (RDFXML, "xml"), (JSONLD, "json-ld"),
                       (RDF, None)):
        client = SPARQLWrapper(url)
        client.setQuery(construct)
        client.setReturnFormat(fmt)
        converted = client.query().convert()
        graph = converted if isinstance(converted, Graph) else Graph().parse(
            data=converted.decode() if isinstance(converted, bytes) else converted, format=parse)
        assert len(graph) >= 2, fmt
    for fmt in (JSON, XML, CSV, TSV):
        client = SPARQLWrapper(url)
        client.setQuery(COUNT)
        client.setReturnFormat(fmt)
        assert client.query().convert() is not None, fmt
    ask = SPARQLWrapper(url)
    ask.setQuery("ASK { ?s a ck:State }")
    ask.setReturnFormat(JSON)
    assert ask.query().convert()["boolean"] is True


def test_row_cap_is_exact_and_triple_terms_are_written_in_every_format(endpoint):
    base = endpoint["read-only"] + "/sparql?"
    values = " ".join(f"({i})" for i in range(500))
    exactly = f"SELECT ?i WHERE {{ VALUES (?i) {{ {values} }} }}"
    status, _, body = http(base + urllib.parse.urlencode({"query": exactly}), headers={"Accept": "text/csv"})
    assert status == 200 and len(body.decode().splitlines()) == 501
    one_more = exactly.replace("(0)", "(0) (500)")
    status, _, body = http(base + urllib.parse.urlencode({"query": one_more}))
    assert status == 413 and b"more than 500 rows" in body
    triple = "SELECT ?t WHERE { BIND (<<( <urn:s> <urn:p> 'o' )>> AS ?t) }"
    for accept in ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                   "text/tab-separated-values"):
        status, headers, body = http(base + urllib.parse.urlencode({"query": triple}), headers={"Accept": accept})
        assert status == 200 and headers["Content-Type"].startswith(accept), (accept, body)
        assert b"urn:s" in body
    status, _, body = http(base + urllib.parse.urlencode({"query": triple}),
                           headers={"Accept": "application/sparql-results+json"})
    assert json.loads(body)["results"]["bindings"][0]["t"]["type"] == "triple"


def test_a_full_pool_of_query_workers_answers_503_with_retry_after(endpoint):
    base = endpoint["one-worker"] + "/sparql?"
    cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    runaway = base + urllib.parse.urlencode({"query": cross})
    busy = threading.Thread(target=http, args=(runaway,))
    busy.start()
    try:
        import time

        time.sleep(0.5)
        status, headers, body = http(base + urllib.parse.urlencode({"query": "ASK {}"}))
        assert status == 503 and headers["Retry-After"] == "2" and b"all 1 query workers are busy" in body
    finally:
        busy.join()
    assert http(base + urllib.parse.urlencode({"query": "ASK {}"}))[0] == 200  # the worker is free again


def test_gzip_and_the_service_description(endpoint):
    import gzip

    url = endpoint["read-only"] + "/sparql?" + urllib.parse.urlencode({"query": "SELECT ?s ?c WHERE { ?s a ?c }"})
    status, headers, body = http(url, headers={"Accept-Encoding": "gzip", "Accept": "text/csv"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body).startswith(b"s,c")
    status, headers, body = http(url, headers={"Accept": "text/csv"})
    assert "Content-Encoding" not in headers and body.startswith(b"s,c")
    status, headers, body = http(endpoint["read-only"] + "/sparql")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    description = Graph().parse(data=body, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert {str(o) for o in description.objects(None, URIRef(sd + "supportedLanguage"))} == {sd + "SPARQL11Query"}
    assert str(next(description.objects(None, URIRef(sd + "endpoint")))) == endpoint["read-only"] + "/sparql"


def test_a_chunked_body_is_read_and_a_bad_length_refused(endpoint):
    from http.client import HTTPConnection

    host, port = endpoint["read-only"].removeprefix("http://").split(":")
    connection = HTTPConnection(host, int(port), timeout=30)
    chunks = iter([b"ASK { ?s a ", b"ck:Article }"])
    headers = {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}
    connection.request("POST", "/sparql", body=chunks, encode_chunked=True, headers=headers)
    response = connection.getresponse()
    assert response.status == 200 and json.loads(response.read())["boolean"] is True
    connection.close()
    status, _, body = http(endpoint["read-only"] + "/sparql", data=b"ASK {}",
                           headers={"Content-Type": "application/sparql-query", "Content-Length": "-1"})
    assert status == 400 and b"Content-Length" in body


def test_an_update_sees_the_default_graph_that_queries_see(endpoint):
    headers = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"}
    url = endpoint["updatable"] + "/sparql"
    assert http(url, data=b"INSERT DATA { GRAPH <urn:t1> { <urn:s> <urn:p> 'o' } }", headers=headers)[0] == 204
    copy = b"INSERT { GRAPH <urn:t2> { ?s <urn:copied> ?o } } WHERE { ?s <urn:p> ?o }"  # no GRAPH: the union
    assert http(url, data=copy, headers=headers)[0] == 204
    ask = urllib.parse.urlencode({"query": "ASK { GRAPH <urn:t2> { <urn:s> <urn:copied> 'o' } }"})
    assert json.loads(http(endpoint["read-only"] + "/sparql?" + ask)[2])["boolean"] is True
    assert http(url, data=b"DROP GRAPH <urn:t1> ; DROP GRAPH <urn:t2>", headers=headers)[0] == 204


def test_a_download_streams_every_row_past_the_row_cap(endpoint):
    every = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"  # more than the 500-row cap
    base = endpoint["read-only"] + "/sparql?"
    status, _, _ = http(base + urllib.parse.urlencode({"query": every}), headers={"Accept": "text/csv"})
    assert status == 413
    url = base + urllib.parse.urlencode({"query": every, "format": "tsv", "download": "1"})
    with urllib.request.urlopen(url, timeout=60) as response:  # TSV: one line a row (CSV quotes line breaks)
        assert response.headers["Transfer-Encoding"] == "chunked"
        assert response.headers["Content-Disposition"] == 'attachment; filename="result.tsv"'
        lines = response.read().decode().splitlines()
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    total = json.loads(http(base + urllib.parse.urlencode({"query": count}),
                            headers={"Accept": "application/sparql-results+json"})[2])
    assert len(lines) - 1 == int(total["results"]["bindings"][0]["n"]["value"]) > 500
    status, _, body = http(base + urllib.parse.urlencode({"query": "SELEC x", "download": "1"}))
    assert status == 400 and b"syntax error" in body


def test_a_download_cut_short_never_looks_complete(endpoint):
    import http.client as client

    runaway = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    host, port = endpoint["short-downloads"].removeprefix("http://").split(":")
    connection = client.HTTPConnection(host, int(port), timeout=60)
    connection.request("GET", "/sparql?" + urllib.parse.urlencode({"query": runaway, "format": "tsv", "download": "1"}))
    response = connection.getresponse()
    assert response.status == 200  # the header went before the rows
    with pytest.raises(client.IncompleteRead):
        response.read()
    connection.close()
