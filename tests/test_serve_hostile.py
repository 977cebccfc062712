"""kg serve against hostile clients, on 127.0.0.1: no request to other servers unless
allowed, bounded memory, size, connections and time, no orphan query after SIGTERM, and
updates that are serialized, time-limited and strict about their token."""

from __future__ import annotations

import contextlib
import http.server
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import SEEDS, run
from test_serve import http as request

from kg.serve import Settings, make_server

TOKEN = "t0ken"
BOMB = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g ?c ?f ?i"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


class _Secret(http.server.BaseHTTPRequestHandler):
    """An internal service: it must never be reached through kg serve."""

    hits: list[str] = []

    def do_POST(self):  # noqa: N802
        self.hits.append(self.path)
        body = b"internal secret: db password hunter2"
        self.send_response(500)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST  # noqa: N815

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def secret_service():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Secret)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/admin"
    server.shutdown()


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "store"
    run("build", str(SEEDS / "000_b81af222457842e2.txt"), "--store", str(path))
    return path


def _serve(settings: Settings) -> str:
    server = make_server(settings, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def _query(base: str, query: str, headers: dict | None = None):
    return request(f"{base}/sparql?" + urllib.parse.urlencode({"query": query}), headers=headers)


def test_service_is_refused_by_default_and_the_target_is_never_called(store, secret_service):
    base = _serve(Settings(store, timeout=5))
    for query in (f"SELECT * WHERE {{ SERVICE <{secret_service}> {{ ?s ?p ?o }} }}",
                  f"SELECT * WHERE {{ ?x ?y ?z OPTIONAL {{ service silent <{secret_service}> {{ ?s ?p ?o }} }} }}",
                  "SELECT * WHERE { BIND (<" + secret_service + "> AS ?u) SERVICE ?u { ?s ?p ?o } }"):
        status, _, body = _query(base, query)
        assert status == 403 and b"SERVICE" in body, body
    assert _Secret.hits == []


def test_an_allowed_service_never_relays_the_remote_error(store, secret_service):
    base = _serve(Settings(store, timeout=5, allowed_services=(secret_service,)))
    status, _, body = _query(base, f"SELECT * WHERE {{ SERVICE <{secret_service}> {{ ?s ?p ?o }} }}")
    assert _Secret.hits, "the allowed endpoint was called"
    assert status == 502 and b"hunter2" not in body and b"500" not in body
    closed = "http://127.0.0.1:9/sparql"  # a port nothing listens on: the same sentence
    base = _serve(Settings(store, timeout=5, allowed_services=(secret_service, closed)))
    assert _query(base, f"SELECT * WHERE {{ SERVICE <{closed}> {{ ?s ?p ?o }} }}")[2] == body
    other = _query(base, "SELECT * WHERE { SERVICE <http://127.0.0.1:1/x> { ?s ?p ?o } }")
    assert other[0] == 403


def test_memory_bombs_are_stopped_and_the_server_stays_small(store):
    base = _serve(Settings(store, timeout=60, max_query_memory=256 * 2**20, workers=4))
    start = time.monotonic()
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda _: _query(base, BOMB), range(16)))
    assert all(status == 503 for status, _, _ in answers), [a[2][:80] for a in answers]
    stopped = [body for _, _, body in answers if b"memory" in body]
    assert stopped, "no query was stopped for its memory"
    assert all(b"memory" in body or b"busy" in body for _, _, body in answers)
    assert time.monotonic() - start < 45
    assert _rss_mb(os.getpid()) < 1024
    assert _query(base, "ASK { ?s ?p ?o }")[0] == 200  # and it goes on serving


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_answers_are_capped_in_bytes(store):
    base = _serve(Settings(store, timeout=10, max_rows=10_000, max_response_bytes=20_000))
    status, _, body = _query(base, "SELECT ?o WHERE { ?s ?p ?o FILTER (STRLEN(STR(?o)) > 40) }")
    assert status == 413 and b"bytes" in body


@pytest.mark.parametrize("length", ["-1", "abc", "1e3", " 12", "99999999999999999999"])
def test_a_bad_content_length_is_refused_without_reading_the_body(store, length):
    base = _serve(Settings(store, timeout=5))
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                     f"Content-Length: {length}\r\n\r\n".encode() + b"x" * 100_000)
        reply = sock.recv(1000)
    assert reply.startswith((b"HTTP/1.1 400", b"HTTP/1.1 413")), reply


def test_idle_connections_time_out_and_their_number_is_capped(store):
    base = _serve(Settings(store, timeout=5, connection_timeout=1.0, max_connections=4))
    port = int(base.rsplit(":", 1)[1])
    idle = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(4)]
    for sock in idle:
        sock.sendall(b"GET /sparql?query=ASK")  # half a request line
    time.sleep(0.3)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as extra:
        extra.sendall(b"GET /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert extra.recv(100).startswith(b"HTTP/1.1 503")
    start = time.monotonic()
    for sock in idle:
        assert sock.recv(100) == b""  # closed by the server
        sock.close()
    assert time.monotonic() - start < 5
    assert _query(base, "ASK { ?s ?p ?o }")[0] == 200


def test_requests_for_another_host_name_are_refused(store):
    base = _serve(Settings(store, timeout=5))
    status, _, _ = _query(base, "ASK { ?s ?p ?o }", headers={"Host": "attacker.example:7878"})
    assert status == 421
    assert _query(base, "ASK { ?s ?p ?o }", headers={"Host": "localhost"})[0] == 200


def test_sigterm_leaves_no_query_running(store):
    server = subprocess.Popen([sys.executable, "-c", "from kg.cli import main; main()", "serve", "--store",
                               str(store), "--port", "0", "--quiet", "--timeout", "120"],
                              stderr=subprocess.PIPE, text=True)
    try:
        line = server.stderr.readline()
        port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
        threading.Thread(target=_query_quietly, args=(f"http://127.0.0.1:{port}", SLOW), daemon=True).start()
        children = _wait_for_children(server.pid)
        server.send_signal(signal.SIGTERM)
        assert server.wait(10) is not None
        deadline = time.monotonic() + 5
        while any(Path(f"/proc/{pid}").exists() and not _is_zombie(pid) for pid in children):
            assert time.monotonic() < deadline, "a query process outlived the server"
            time.sleep(0.1)
    finally:
        server.kill()


def _query_quietly(base: str, query: str) -> None:
    with contextlib.suppress(OSError):  # the server is stopped under it
        _query(base, query)


def _wait_for_children(pid: int) -> list[int]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        children = Path(f"/proc/{pid}/task/{pid}/children")
        found = [int(c) for c in children.read_text().split()] if children.exists() else []
        found += [int(c) for task in Path(f"/proc/{pid}/task").iterdir()
                  for c in (task / "children").read_text().split()]
        if found:
            return sorted(set(found))
        time.sleep(0.1)
    raise AssertionError("the query never started")


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")
    except (OSError, IndexError):
        return True


def _update(base: str, update: str, authorization: str | bytes | None = f"Bearer {TOKEN}"):
    headers = {"Content-Type": "application/sparql-update"}
    if authorization is not None:
        headers["Authorization"] = authorization
    return request(f"{base}/sparql", data=update.encode(), headers=headers)


def test_updates_are_strict_about_the_token_and_run_one_at_a_time(store, tmp_path):
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    base = _serve(Settings(copy, timeout=20, update_token=TOKEN))
    insert = "INSERT DATA {{ GRAPH <urn:test> {{ <urn:a> <urn:b> {n} }} }}"
    assert _update(base, insert.format(n=0), authorization=TOKEN)[0] == 401  # no "Bearer "
    assert _update(base, insert.format(n=0), authorization="Basic " + TOKEN)[0] == 401
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:  # bytes no client library sends
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-update\r\n"
                     b"Authorization: Bearer \xff\xfe\r\nContent-Length: 2\r\n\r\n{}")
        assert sock.recv(100).startswith(b"HTTP/1.1 400")
    with ThreadPoolExecutor(6) as pool:
        statuses = list(pool.map(lambda n: _update(base, insert.format(n=n))[0], range(6)))
    assert statuses == [204] * 6  # queued, not refused
    count = _query(base, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:test> { ?s ?p ?o } }",
                   headers={"Accept": "text/csv"})[2]
    assert count.split() == [b"n", b"6"]
    status, _, body = _update(base, "LOAD <http://127.0.0.1:1/data.ttl>")
    assert status == 403 and b"LOAD" in body


def test_an_update_is_stopped_at_the_timeout(store, tmp_path):
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    base = _serve(Settings(copy, timeout=2, update_token=TOKEN))
    big = ("INSERT { GRAPH <urn:big> { ?a ?b ?n } } "
           "WHERE { ?a ?b ?c . ?d ?e ?f . BIND (CONCAT(STR(?c), STR(?f)) AS ?n) }")
    start = time.monotonic()
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(_update, base, big)
        time.sleep(0.5)
        during = time.monotonic()
        assert _query(base, "ASK { ?s ?p ?o }")[0] == 200  # queries go on while an update runs
        assert time.monotonic() - during < 2
        status, _, body = running.result()
    assert status == 503 and b"nothing was changed" in body
    assert time.monotonic() - start < 10
    assert b"false" in _query(base, "ASK { GRAPH <urn:big> { ?s ?p ?o } }")[2]


def test_the_token_never_comes_from_the_command_line(store):
    result = run("serve", "--store", str(store), "--allow-update", expect=2)
    assert "KG_UPDATE_TOKEN" in result.output
    assert run("serve", "--store", str(store), "--token", "x", expect=2)


@pytest.mark.parametrize("option", [("--timeout", "0"), ("--max-rows", "-1"), ("--workers", "0"),
                                    ("--max-query-memory", "0"), ("--allow-service", "file:///etc/passwd")])
def test_limits_that_make_no_sense_are_refused(store, option):
    assert run("serve", "--store", str(store), *option, expect=2)


def test_kg_query_can_be_fenced_to_the_endpoints_allowed(store, secret_service):
    query = f"SELECT * WHERE {{ SERVICE <{secret_service}> {{ ?s ?p ?o }} }}"
    refused = run("query", query, "--store", str(store), "--allow-service", "https://query.wikidata.org/sparql",
                  expect=1)
    assert "is not one of the endpoints allowed" in refused.output
    assert run("query", "ASK { ?s ?p ?o }", "--store", str(store), "--allow-service", "https://x.example/sparql")
