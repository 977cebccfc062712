"""`kg serve`: a SPARQL 1.1 Protocol endpoint over the store, and a small query page.

Every query runs in a child process that opens the store read-only, so that a query
sees what builds have committed (a fresh snapshot each time), a runaway query is killed
at the timeout while the server keeps serving, and results over the row limit are
refused with a clear message. Updates are refused unless the server was started with
--allow-update and the request carries the token.
"""

from __future__ import annotations

import gc
import hmac
import json
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from kg import __version__
from kg.namespaces import PREFIXES
from kg.queries import describe, named_queries
from kg.sparql_results import MEDIA_TYPES, write_boolean, write_select
from kg.store import StoreError, open_store
from kg.timeout import ChildFailed, TimedOut, call_with_timeout

GRAPH_FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, "text/turtle; charset=utf-8"),
    "ntriples": (ox.RdfFormat.N_TRIPLES, "application/n-triples"),
    "jsonld": (ox.RdfFormat.JSON_LD, "application/ld+json"),
    "rdfxml": (ox.RdfFormat.RDF_XML, "application/rdf+xml"),
}
_ACCEPT = {  # media type -> format name
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
}
_MAX_BODY = 1_000_000


@dataclass(frozen=True)
class Settings:
    store: Path
    timeout: float = 30.0
    max_rows: int = 10_000
    update_token: str | None = None  # updates allowed only when set


class QueryError(Exception):
    def __init__(self, status: HTTPStatus, message: str):
        super().__init__(status, message)
        self.status = status
        self.message = message

    def __str__(self) -> str:
        return self.message


# ---------------------------------------------------------------- query execution (child process)

def _execute(store_path: str, query: str, result_format: str | None, max_rows: int):
    """Run in a child: (content type, body) or raise QueryError."""
    try:
        store = open_store(Path(store_path), read_only=True)
    except StoreError as err:
        raise QueryError(HTTPStatus.SERVICE_UNAVAILABLE, str(err)) from err
    try:
        result = store.query(query, use_default_graph_as_union=True, prefixes=PREFIXES)
    except SyntaxError as err:
        raise QueryError(HTTPStatus.BAD_REQUEST, f"query syntax error: {err}") from err
    if isinstance(result, ox.QueryBoolean):
        fmt = result_format if result_format in MEDIA_TYPES else "json"
        return MEDIA_TYPES[fmt], write_boolean(bool(result), fmt)
    if isinstance(result, ox.QuerySolutions):
        fmt = result_format if result_format in MEDIA_TYPES else "json"
        variables = [v.value for v in result.variables]
        rows = []
        for solution in result:
            if len(rows) == max_rows:
                raise QueryError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                                 f"the result has more than {max_rows} rows: add a LIMIT or ask for less")
            rows.append([solution[v] for v in result.variables])
        return MEDIA_TYPES[fmt], write_select(variables, rows, fmt)
    fmt = result_format if result_format in GRAPH_FORMATS else "turtle"
    triples = []
    for triple in result:
        if len(triples) == max_rows:
            raise QueryError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                             f"the result has more than {max_rows} triples: ask for less")
        triples.append(triple)
    rdf_format, media_type = GRAPH_FORMATS[fmt]
    prefixes = PREFIXES if fmt == "turtle" else None
    return media_type, ox.serialize(triples, format=rdf_format, prefixes=prefixes)


def run_query(settings: Settings, query: str, result_format: str | None) -> tuple[str, bytes]:
    """Run a query with the timeout and row limit; raise QueryError on failure."""
    args = (str(settings.store), query, result_format, settings.max_rows)
    try:
        return call_with_timeout(_execute, args, settings.timeout)
    except TimedOut as err:
        raise QueryError(HTTPStatus.SERVICE_UNAVAILABLE, f"the query {err}") from err
    except ChildFailed as err:
        if isinstance(err.error, QueryError):
            raise err.error from None
        raise QueryError(HTTPStatus.INTERNAL_SERVER_ERROR, str(err)) from err


def run_update(settings: Settings, update: str) -> None:
    try:
        store = open_store(settings.store)
    except StoreError as err:
        raise QueryError(HTTPStatus.CONFLICT, str(err)) from err
    try:
        store.update(update, prefixes=PREFIXES)
        store.flush()
    except SyntaxError as err:
        raise QueryError(HTTPStatus.BAD_REQUEST, f"update syntax error: {err}") from err
    finally:
        del store
        gc.collect()  # pyoxigraph has no close(): release the write lock now


# ---------------------------------------------------------------- HTTP

def negotiate(accept: str, requested: str | None) -> str | None:
    """The result format: the format parameter wins, then the Accept header (by q-value)."""
    if requested:
        return requested.lower()
    ranked = []
    for position, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        quality = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    quality = float(f[2:])
                except ValueError:
                    quality = 0.0
        ranked.append((-quality, position, fields[0].lower()))
    for _, _, media_type in sorted(ranked):
        if media_type in _ACCEPT:
            return _ACCEPT[media_type]
    return None


class Handler(BaseHTTPRequestHandler):
    server_version = f"kg/{__version__}"
    settings: Settings  # set on the subclass made by make_server

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - BaseHTTPRequestHandler's signature
        return

    def do_OPTIONS(self) -> None:  # noqa: N802 - http.server's naming
        self.send_response(HTTPStatus.NO_CONTENT)
        self._cors()
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept, Authorization")
        self.send_header("Access-Control-Max-Age", "86400")
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        params = parse_qs(url.query)
        if url.path == "/queries":
            return self._named_queries()
        if url.path in ("/", "/sparql") and "query" not in params and "update" not in params:
            if url.path == "/":
                return self._send(HTTPStatus.OK, "text/html; charset=utf-8", _PAGE)
            return self._error(HTTPStatus.BAD_REQUEST, "missing the query parameter")
        if url.path not in ("/", "/sparql"):
            return self._error(HTTPStatus.NOT_FOUND, f"nothing at {url.path}; the endpoint is /sparql")
        if "update" in params:
            return self._error(HTTPStatus.METHOD_NOT_ALLOWED, "updates must be sent with POST")
        self._answer(params["query"][0], params)

    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        if url.path not in ("/", "/sparql"):
            return self._error(HTTPStatus.NOT_FOUND, f"nothing at {url.path}; the endpoint is /sparql")
        length = int(self.headers.get("Content-Length") or 0)
        if length > _MAX_BODY:
            return self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "request body too large")
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        params = parse_qs(url.query)
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if content_type == "application/sparql-query":
            return self._answer(body, params)
        if content_type == "application/sparql-update":
            return self._update(body)
        if content_type == "application/x-www-form-urlencoded":
            form = parse_qs(body)
            params = {**params, **form}
            if "update" in form:
                return self._update(form["update"][0])
            if "query" in form:
                return self._answer(form["query"][0], params)
            return self._error(HTTPStatus.BAD_REQUEST, "missing the query parameter")
        self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                    "send application/sparql-query, application/sparql-update or a form with query=")

    def _answer(self, query: str, params: dict) -> None:
        requested = (params.get("format") or params.get("output") or [None])[0]
        fmt = negotiate(self.headers.get("Accept") or "", requested)
        if requested and fmt not in {**MEDIA_TYPES, **GRAPH_FORMATS}:
            return self._error(HTTPStatus.BAD_REQUEST, f"unknown format {requested!r}")
        try:
            content_type, body = run_query(self.settings, query, fmt)
        except QueryError as err:
            return self._error(err.status, str(err))
        self._send(HTTPStatus.OK, content_type, body)

    def _update(self, update: str) -> None:
        token = self.settings.update_token
        if token is None:
            return self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only (start kg serve with --allow-update)")
        given = (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given, token):
            return self._error(HTTPStatus.UNAUTHORIZED, "updates need the token: Authorization: Bearer <token>")
        try:
            run_update(self.settings, update)
        except QueryError as err:
            return self._error(err.status, str(err))
        self._send(HTTPStatus.NO_CONTENT, None, b"")

    def _named_queries(self) -> None:
        queries = {name: {"description": describe(path), "query": path.read_text(encoding="utf-8")}
                   for name, path in named_queries().items()}
        self._send(HTTPStatus.OK, "application/json", json.dumps(queries, ensure_ascii=False).encode("utf-8"))

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._send(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))

    def _cors(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")

    def _send(self, status: HTTPStatus, content_type: str | None, body: bytes) -> None:
        self.send_response(status)
        self._cors()
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class Server(ThreadingHTTPServer):
    # socketserver's backlog of 5 resets connections when a dozen clients connect at once
    # while the machine is busy; the kernel caps this at net.core.somaxconn anyway.
    request_queue_size = 128


def make_server(settings: Settings, host: str = "127.0.0.1", port: int = 7878) -> ThreadingHTTPServer:
    handler = type("KgHandler", (Handler,), {"settings": settings})
    server = Server((host, port), handler)
    server.daemon_threads = True
    return server


_PAGE = (Path(__file__).resolve().parent / "static" / "index.html").read_bytes()
