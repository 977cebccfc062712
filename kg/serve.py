"""`kg serve`: a SPARQL 1.1 Protocol endpoint over the store, and YASGUI as its query page.

Every query runs in a child process that opens the store read-only, so that a query
sees what builds have committed (a fresh snapshot each time), a runaway query is killed
at the timeout while the server keeps serving, and results over the row limit are
refused with a clear message; at most Settings.workers queries run at once. Results are
written by Oxigraph's serializers. Updates are refused unless the server was started with
--allow-update and the request carries the token; they run one at a time, in a child
process too, under the same limits.

What a client cannot do (anyone who can reach the port is a client, and any web page can
make a browser send requests to 127.0.0.1): make the server call other endpoints (SERVICE
and LOAD are refused unless --allow-service names the endpoint), take more than
--max-query-memory per query or --max-response-bytes per answer, hold connections open
(idle connections time out, at most MAX_CONNECTIONS at once), or reach it under a host name
that is not the server's own (DNS rebinding).
"""

from __future__ import annotations

import contextlib
import gzip
import hmac
import itertools
import json
import threading
from dataclasses import dataclass
from functools import cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from kg import __version__
from kg.namespaces import PREFIXES
from kg.queries import describe, named_queries
from kg.sparql_text import calls_services, loads_documents, names_update_dataset, refused_service, with_using
from kg.store import StoreError, open_store
from kg.store import run_query as run_store_query
from kg.timeout import ChildFailed, OutOfMemory, TimedOut, call_with_timeout, start_fresh_workers, stream_with_timeout

MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}
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
LOOPBACK = {"127.0.0.1", "localhost", "::1", "localhost.localdomain"}


@dataclass(frozen=True)
class Settings:
    store: Path
    timeout: float = 30.0
    max_rows: int = 10_000
    update_token: str | None = None  # updates allowed only when set
    cors_origin: str | None = None  # Access-Control-Allow-Origin; none unless asked (--cors)
    log: bool = False  # one access line per request on stderr
    workers: int = 4  # queries evaluated at once (each in its own process); more wait, then get 503
    download_timeout: float = 600.0  # seconds for a whole download (download=1: no row cap)
    max_query_memory: int = 2 * 2**30  # bytes a query's worker may allocate
    max_response_bytes: int = 100 * 2**20  # largest answer sent (downloads stream and are not capped)
    allowed_services: tuple[str, ...] = ()  # endpoints SERVICE may call; none by default
    connection_timeout: float = 30.0  # seconds an idle or half-sent connection is kept
    max_connections: int = 64  # open connections at once (a thread each); more are answered 503 and closed


@dataclass(frozen=True)
class Dataset:
    """The protocol's dataset parameters (default-graph-uri, named-graph-uri): when given,
    they replace the query's FROM / FROM NAMED and the union default graph."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


class _BadBody(Exception):
    def __init__(self, status: HTTPStatus, message: str):
        super().__init__(message)
        self.status = status


class QueryError(Exception):
    def __init__(self, status: HTTPStatus, message: str):
        super().__init__(status, message)
        self.status = status
        self.message = message

    def __str__(self) -> str:
        return self.message


# ---------------------------------------------------------------- query execution (child process)

def _pick(wanted: tuple[str, ...], offered: dict, default: str) -> str:
    """The first wanted format this kind of result can be written in."""
    for name in wanted:
        name = _FOR_GRAPHS.get(name, name) if offered is GRAPH_FORMATS else name
        if name in offered:
            return name
    return default


# Names that mean another serialization for a graph (SPARQLWrapper's XML and JSON).
_FOR_GRAPHS = {"xml": "rdfxml", "json": "jsonld"}


def _format_for(result, wanted: tuple[str, ...]) -> str:
    """The format this result is written in: the first wanted one that fits its kind."""
    if isinstance(result, ox.QueryBoolean):
        return _pick(tuple(f for f in wanted if f in ("json", "xml")), MEDIA_TYPES, "json")
    if isinstance(result, ox.QuerySolutions):
        return _pick(wanted, MEDIA_TYPES, "json")
    return _pick(wanted, GRAPH_FORMATS, "turtle")


def _execute(store_path: str, query: str, wanted: tuple[str, ...], max_rows: int, max_bytes: int,
             dataset: Dataset, base_iri: str | None):
    """Run in a child: (content type, body) or raise QueryError."""
    result = _evaluate(store_path, query, dataset, base_iri)
    try:
        return _serialize(result, wanted, max_rows, max_bytes)
    except _TooLarge as err:
        raise QueryError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, str(err)) from None
    except (ValueError, RuntimeError, OSError) as err:  # raised while the results are computed
        raise QueryError(HTTPStatus.BAD_REQUEST, f"query error: {err}") from None


def _download(store_path: str, query: str, wanted: tuple[str, ...], dataset: Dataset, base_iri: str | None,
              out) -> None:
    """Run in a child: a header line (JSON: the status, and the content type or the
    message), then the whole result as Oxigraph's serializers write it, with no row cap."""
    try:
        result = _evaluate(store_path, query, dataset, base_iri)
    except QueryError as err:
        err = _without_remote_details(err, query)
        out.write(json.dumps({"status": int(err.status), "message": err.message}).encode("utf-8") + b"\n")
        return
    fmt = _format_for(result, wanted)
    media_type = MEDIA_TYPES[fmt] if fmt in MEDIA_TYPES else GRAPH_FORMATS[fmt][1]
    out.write(json.dumps({"status": 200, "content_type": media_type, "format": fmt}).encode("utf-8") + b"\n")
    out.flush()
    if fmt in MEDIA_TYPES:
        result.serialize(out, format=_RESULTS_FORMATS[fmt])
    else:
        ox.serialize(result, out, format=GRAPH_FORMATS[fmt][0], prefixes=PREFIXES if fmt == "turtle" else None)


def _evaluate(store_path: str, query: str, dataset: Dataset, base_iri: str | None):
    """The query's result object, on a fresh read-only snapshot; QueryError on failure."""
    try:
        store = open_store(Path(store_path), read_only=True)
    except StoreError as err:
        raise QueryError(HTTPStatus.SERVICE_UNAVAILABLE, str(err)) from err
    try:
        if dataset:
            result = run_store_query(store, query, default_graphs=list(dataset.default_graphs),
                                     named_graphs=list(dataset.named_graphs), base_iri=base_iri)
        else:
            result = run_store_query(store, query, base_iri=base_iri)
    except SyntaxError as err:
        raise QueryError(HTTPStatus.BAD_REQUEST, f"query syntax error: {err}") from err
    except (ValueError, RuntimeError, OSError) as err:
        raise QueryError(HTTPStatus.BAD_REQUEST, f"query error: {err}") from err
    return result


class _TooLarge(Exception):
    pass


class _CappedBuffer:
    """A binary writer that refuses more than max_lines lines: TSV and N-Triples write one
    result row or triple a line (line breaks inside literals are escaped), so the cap is
    exact while Oxigraph's own serializer writes."""

    def __init__(self, max_items: int, what: str, max_bytes: int, header_lines: int = 0):
        self.data = bytearray()
        self.lines = 0
        self.max_lines = max_items + header_lines
        self.max_items = max_items
        self.max_bytes = max_bytes
        self.what = what

    def write(self, chunk) -> int:
        chunk = bytes(chunk)
        self.lines += chunk.count(b"\n")
        if self.lines > self.max_lines:
            raise _TooLarge(f"the result has more than {self.max_items} {self.what}: add a LIMIT or ask for less")
        self.data += chunk
        _check_size(len(self.data), self.max_bytes)
        return len(chunk)

    def flush(self) -> None:
        pass


_RESULTS_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                    "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise _TooLarge(f"the answer is larger than {max_bytes:,} bytes: add a LIMIT, ask for fewer or shorter "
                        "columns, or download it (download=1)")


def _serialize(result, wanted: tuple[str, ...], max_rows: int, max_bytes: int) -> tuple[str, bytes]:
    """The result in the wanted format, written by Oxigraph's serializers. Rows and triples
    are first written as TSV / N-Triples under the row and byte caps, then converted (both
    are exact forms of the result, RDF 1.2 triple terms included)."""
    fmt = _format_for(result, wanted)
    if isinstance(result, ox.QueryBoolean):
        return MEDIA_TYPES[fmt], result.serialize(format=_RESULTS_FORMATS[fmt])
    if isinstance(result, ox.QuerySolutions):
        rows = _CappedBuffer(max_rows, "rows", max_bytes, header_lines=1)
        result.serialize(rows, format=ox.QueryResultsFormat.TSV)
        if fmt == "tsv":
            return MEDIA_TYPES[fmt], bytes(rows.data)
        parsed = ox.parse_query_results(bytes(rows.data), format=ox.QueryResultsFormat.TSV)
        body = parsed.serialize(format=_RESULTS_FORMATS[fmt])
        _check_size(len(body), max_bytes)
        return MEDIA_TYPES[fmt], body
    triples = _CappedBuffer(max_rows, "triples", max_bytes)
    ox.serialize(result, triples, format=ox.RdfFormat.N_TRIPLES)
    rdf_format, media_type = GRAPH_FORMATS[fmt]
    if fmt == "ntriples":
        return media_type, bytes(triples.data)
    parsed = ox.parse(bytes(triples.data), format=ox.RdfFormat.N_TRIPLES)
    body = ox.serialize(parsed, format=rdf_format, prefixes=PREFIXES if fmt == "turtle" else None)
    _check_size(len(body), max_bytes)
    return media_type, body


def run_query(settings: Settings, query: str, wanted: tuple[str, ...] = (),
              dataset: Dataset = Dataset(), base_iri: str | None = None) -> tuple[str, bytes]:
    """Run a query with the timeout and row limit; raise QueryError on failure. wanted:
    the formats the client asked for, best first (see negotiate)."""
    args = (str(settings.store), query, wanted, settings.max_rows, settings.max_response_bytes, dataset, base_iri)
    try:
        return call_with_timeout(_execute, args, settings.timeout, settings.max_query_memory)
    except (TimedOut, OutOfMemory) as err:
        raise QueryError(HTTPStatus.SERVICE_UNAVAILABLE, f"the query {err}") from err
    except ChildFailed as err:
        if isinstance(err.error, QueryError):
            raise _without_remote_details(err.error, query) from None
        raise QueryError(HTTPStatus.INTERNAL_SERVER_ERROR, "the query failed in its worker process") from err


def _without_remote_details(error: QueryError, query: str) -> QueryError:
    """A federated query's failure says nothing of the remote (its error page, whether a
    port is open): one sentence for every refused, failed or unreachable endpoint."""
    if calls_services(query) and error.status != HTTPStatus.REQUEST_ENTITY_TOO_LARGE:
        return QueryError(HTTPStatus.BAD_GATEWAY, "the federated query failed (a SERVICE endpoint refused, failed or "
                          "could not be reached, or the query is wrong)")
    return error


def check_federation(settings: Settings, query: str) -> None:
    """QueryError unless every SERVICE the query calls is one the server was told to allow."""
    if reason := refused_service(query, PREFIXES, settings.allowed_services):
        raise QueryError(HTTPStatus.FORBIDDEN, reason)


def run_update(settings: Settings, update: str, base_iri: str | None = None, union: bool = True) -> None:
    """Run an update in a child process, under the query time and memory limits (the server
    itself never opens the store for writing, so queries forked meanwhile hold no lock of
    it). union: see _update_store. QueryError on failure."""
    if loads_documents(update):
        raise QueryError(HTTPStatus.FORBIDDEN, "LOAD is off on this endpoint (it would fetch a URL): "
                         "add files with kg build")
    try:
        call_with_timeout(_update_store, (str(settings.store), update, base_iri, union), settings.timeout,
                          settings.max_query_memory, fresh=True)
    except (TimedOut, OutOfMemory) as err:
        raise QueryError(HTTPStatus.SERVICE_UNAVAILABLE, f"the update {err}; nothing was changed") from err
    except ChildFailed as err:
        if isinstance(err.error, QueryError):
            raise err.error from None
        raise QueryError(HTTPStatus.INTERNAL_SERVER_ERROR, "the update failed in its worker process") from err


def _update_store(store_path: str, update: str, base_iri: str | None, union: bool) -> None:
    """Run in a child. union: the update's WHERE clauses see what queries see, every named
    graph with their union as the default graph (USING and USING NAMED for each, since
    Oxigraph's updates read the store's own default graph)."""
    try:
        store = open_store(Path(store_path))
    except StoreError as err:
        raise QueryError(HTTPStatus.CONFLICT, str(err)) from err
    try:
        if union:
            graphs = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
            update = with_using(update, graphs, graphs)
        store.update(update, prefixes=PREFIXES, base_iri=base_iri)
        store.flush()
    except SyntaxError as err:
        raise QueryError(HTTPStatus.BAD_REQUEST, f"update syntax error: {err}") from err
    except (ValueError, RuntimeError, OSError) as err:
        raise QueryError(HTTPStatus.BAD_REQUEST, f"update error: {err}") from err


# ---------------------------------------------------------------- HTTP

# The format parameter's values (SPARQLWrapper sends its own names, and media types for some).
_FORMAT_NAMES = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "turtle": "turtle", "ttl": "turtle",
                 "n3": "turtle", "nt": "ntriples", "ntriples": "ntriples", "n-triples": "ntriples", "rdf": "rdfxml",
                 "rdf+xml": "rdfxml", "rdfxml": "rdfxml", "json-ld": "jsonld", "jsonld": "jsonld"}


class UnknownFormat(ValueError):
    pass


def negotiate(accept: str, requested: str | None) -> tuple[str, ...]:
    """The formats the client wants, best first: the format parameter wins, then the
    Accept header by q-value (ties in the header's order)."""
    if requested:
        name = requested.strip().lower()
        fmt = _FORMAT_NAMES.get(name) or _ACCEPT.get(name.split(";")[0].strip())
        if fmt is None:
            raise UnknownFormat(f"unknown format {requested!r}")
        return (fmt,)
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
        if quality > 0:
            ranked.append((-quality, position, fields[0].lower()))
    return tuple(_ACCEPT[media_type] for _, _, media_type in sorted(ranked) if media_type in _ACCEPT)


class Handler(BaseHTTPRequestHandler):
    server_version = f"kg/{__version__}"
    settings: Settings  # set on the subclass made by make_server

    protocol_version = "HTTP/1.1"  # keep-alive: every response carries its Content-Length
    timeout: float  # seconds a connection may wait for a request or its body (Settings.connection_timeout)

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if not self._host_allowed():
            self.close_connection = True
            self._error(HTTPStatus.MISDIRECTED_REQUEST, "this server answers to its own address only (Host header)")
            return False
        return True

    def _host_allowed(self) -> bool:
        """A server bound to loopback answers only requests addressed to loopback, so that a
        web page whose DNS name is made to point to 127.0.0.1 cannot read it (DNS rebinding)."""
        bound = self.server.server_address[0]
        if bound not in LOOPBACK:
            return True
        host = (self.headers.get("Host") or "").strip().lower()
        name = host.rpartition("]")[0].lstrip("[") if host.startswith("[") else host.partition(":")[0]
        return name in LOOPBACK

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - BaseHTTPRequestHandler's signature
        if self.settings.log:
            super().log_message(format, *args)  # one line per request on stderr, errors included

    def do_OPTIONS(self) -> None:  # noqa: N802 - http.server's naming
        self.send_response(HTTPStatus.NO_CONTENT)
        self._cors()
        if self.settings.cors_origin:
            self.send_header("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept, Authorization")
            self.send_header("Access-Control-Max-Age", "86400")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    def _refuse_method(self) -> None:
        self._error(HTTPStatus.METHOD_NOT_ALLOWED, f"{self.command} is not a SPARQL protocol operation: "
                    "use GET or POST", allow="GET, HEAD, POST, OPTIONS")

    do_PUT = do_DELETE = do_PATCH = _refuse_method  # noqa: N815

    def do_GET(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        params = parse_qs(url.query)
        if url.path == "/queries":
            return self._named_queries()
        if url.path == "/prefixes":
            return self._send(HTTPStatus.OK, "application/json", json.dumps(PREFIXES).encode("utf-8"))
        if url.path.startswith("/static/"):
            return self._static(url.path.removeprefix("/static/"))
        if url.path in ("/", "/sparql") and "query" not in params and "update" not in params:
            if url.path == "/":
                return self._send(HTTPStatus.OK, "text/html; charset=utf-8", _PAGE)
            return self._service_description()
        if url.path not in ("/", "/sparql"):
            return self._error(HTTPStatus.NOT_FOUND, f"nothing at {url.path}; the endpoint is /sparql")
        if "update" in params:
            return self._error(HTTPStatus.METHOD_NOT_ALLOWED, "updates must be sent with POST", allow="POST")
        self._answer(params["query"], params)

    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        if url.path not in ("/", "/sparql"):
            return self._error(HTTPStatus.NOT_FOUND, f"nothing at {url.path}; the endpoint is /sparql")
        try:
            raw = self._body()
        except _BadBody as err:
            return self._error(err.status, str(err))
        params = parse_qs(url.query)
        content_type, _, parameters = (self.headers.get("Content-Type") or "").partition(";")
        content_type = content_type.strip().lower()
        charset = parameters.lower().replace(" ", "").partition("charset=")[2].split(";")[0]
        if charset and charset not in ("utf-8", "utf8"):
            return self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"the body must be UTF-8, not {charset}")
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            return self._error(HTTPStatus.BAD_REQUEST, "the body is not UTF-8")
        if content_type == "application/sparql-query":
            return self._answer([body], params)
        if content_type == "application/sparql-update":
            return self._update([body], params)
        if content_type == "application/x-www-form-urlencoded":
            form = parse_qs(body)
            params = {**params, **form}
            if "update" in form:
                return self._update(form["update"], params)
            if "query" in form:
                return self._answer(form["query"], params)
            return self._error(HTTPStatus.BAD_REQUEST, "missing the query parameter")
        self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                    "send application/sparql-query, application/sparql-update or a form with query=")

    def _body(self) -> bytes:
        """The request body: Content-Length bytes, or a chunked body, at most _MAX_BODY."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            body = bytearray()
            while True:
                size_line = self.rfile.readline(100).split(b";")[0].strip()
                try:
                    size = int(size_line, 16)
                except ValueError:
                    raise _BadBody(HTTPStatus.BAD_REQUEST, "malformed chunked body") from None
                if size == 0:
                    while self.rfile.readline(1000).strip():  # trailer fields
                        pass
                    return bytes(body)
                if len(body) + size > _MAX_BODY:
                    self.close_connection = True
                    raise _BadBody(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "request body too large")
                body += self.rfile.read(size)
                self.rfile.readline(10)  # the CRLF after the chunk
        length = self.headers.get("Content-Length") or "0"
        if not length.isdigit():
            self.close_connection = True
            raise _BadBody(HTTPStatus.BAD_REQUEST, "Content-Length must be a non-negative integer")
        if int(length) > _MAX_BODY:
            self.close_connection = True
            raise _BadBody(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "request body too large")
        return self.rfile.read(int(length))

    def _answer(self, queries: list[str], params: dict) -> None:
        if len(queries) != 1:
            return self._error(HTTPStatus.BAD_REQUEST, f"one query per request, not {len(queries)}")
        requested = (params.get("format") or params.get("output") or [None])[0]
        try:
            wanted = negotiate(self.headers.get("Accept") or "", requested)
        except UnknownFormat as err:
            return self._error(HTTPStatus.BAD_REQUEST, str(err))
        dataset = Dataset(tuple(params.get("default-graph-uri", [])), tuple(params.get("named-graph-uri", [])))
        try:
            check_federation(self.settings, queries[0])
        except QueryError as err:
            return self._error(err.status, str(err))
        if not self.server.query_slots.acquire(timeout=QUEUE_WAIT):
            return self._error(HTTPStatus.SERVICE_UNAVAILABLE, f"all {self.settings.workers} query workers are busy: "
                               "try again shortly", headers={"Retry-After": "2"})
        try:
            if (params.get("download") or ["0"])[0].lower() in ("1", "true", "yes") and self.command != "HEAD":
                return self._stream_download(queries[0], wanted, dataset)
            content_type, body = run_query(self.settings, queries[0], wanted, dataset, self._base_iri())
        except QueryError as err:
            return self._error(err.status, str(err))
        finally:
            self.server.query_slots.release()
        self._send(HTTPStatus.OK, content_type, body)

    def _stream_download(self, query: str, wanted: tuple[str, ...], dataset: Dataset) -> None:
        """download=1: the whole result, every row, streamed from the worker with chunked
        transfer encoding (memory stays small whatever its size) and --download-timeout as its
        time limit. A result cut short (timeout, failure) ends without the closing chunk, so
        that the client sees an incomplete transfer, never a complete-looking file."""
        args = (str(self.settings.store), query, wanted, dataset, self._base_iri())
        chunks = stream_with_timeout(_download, args, self.settings.download_timeout,
                                     memory=self.settings.max_query_memory)
        buffered = b""
        try:
            while b"\n" not in buffered:
                buffered += next(chunks)
        except (StopIteration, TimedOut, ChildFailed, OutOfMemory) as err:
            detail = str(err) if not isinstance(err, StopIteration) else "the worker ended without an answer"
            return self._error(HTTPStatus.SERVICE_UNAVAILABLE, f"the query {detail}")
        header_line, _, rest = buffered.partition(b"\n")
        header = json.loads(header_line)
        if header["status"] != 200:
            return self._error(HTTPStatus(header["status"]), header["message"])
        extension = {"rdfxml": "rdf", "jsonld": "jsonld", "ntriples": "nt", "turtle": "ttl"}.get(header["format"],
                                                                                               header["format"])
        self.send_response(HTTPStatus.OK)
        self._cors()
        self.send_header("Content-Type", header["content_type"])
        self.send_header("Content-Disposition", f'attachment; filename="result.{extension}"')
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            for data in itertools.chain([rest] if rest else [], chunks):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        except (TimedOut, ChildFailed, OutOfMemory) as err:
            self.log_error("download cut short: %s", err)
            self.close_connection = True
            return
        self.wfile.write(b"0\r\n\r\n")

    def _update(self, updates: list[str], params: dict) -> None:
        if len(updates) != 1:
            return self._error(HTTPStatus.BAD_REQUEST, f"one update per request, not {len(updates)}")
        update = updates[0]
        using, using_named = params.get("using-graph-uri", []), params.get("using-named-graph-uri", [])
        token = self.settings.update_token
        if token is None:
            return self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only (start kg serve with --allow-update)")
        scheme, _, given = (self.headers.get("Authorization") or "").strip().partition(" ")
        if not given.isascii() or not given.isprintable():
            return self._error(HTTPStatus.BAD_REQUEST, "malformed Authorization header")
        if scheme != "Bearer" or not hmac.compare_digest(given.strip().encode("ascii"), token.encode("utf-8")):
            return self._error(HTTPStatus.UNAUTHORIZED, "updates need the token: Authorization: Bearer <token>",
                               headers={"WWW-Authenticate": 'Bearer realm="kg"'})
        names_its_dataset = names_update_dataset(update)
        if using or using_named:
            if names_its_dataset:
                return self._error(HTTPStatus.BAD_REQUEST, "the update names its dataset (USING, WITH) and the "
                                   "request does too (using-graph-uri, using-named-graph-uri): say it once")
            update = with_using(update, using, using_named)
        if not self.server.update_lock.acquire(timeout=self.settings.timeout):
            return self._error(HTTPStatus.SERVICE_UNAVAILABLE, "earlier updates are still running: try again shortly",
                               headers={"Retry-After": "5"})
        try:  # one update at a time: the others wait for the lock
            run_update(self.settings, update, self._base_iri(), union=not (using or using_named or names_its_dataset))
        except QueryError as err:
            return self._error(err.status, str(err))
        finally:
            self.server.update_lock.release()
        self._send(HTTPStatus.NO_CONTENT, None, b"")

    def _base_iri(self) -> str:
        """Relative IRIs in a query or update resolve against the endpoint's own IRI."""
        host, port = self.server.server_address[:2]
        return f"http://[{host}]:{port}/sparql" if ":" in host else f"http://{host}:{port}/sparql"

    def _static(self, name: str) -> None:
        if name not in STATIC_FILES:
            return self._error(HTTPStatus.NOT_FOUND, f"no file /static/{name}")
        self._send(HTTPStatus.OK, STATIC_FILES[name], _static_file(name), {"Cache-Control": "max-age=86400"})

    def _named_queries(self) -> None:
        queries = {name: {"description": describe(path), "query": path.read_text(encoding="utf-8")}
                   for name, path in named_queries().items()}
        self._send(HTTPStatus.OK, "application/json", json.dumps(queries, ensure_ascii=False).encode("utf-8"))

    def _error(self, status: HTTPStatus, message: str, allow: str | None = None,
               headers: dict[str, str] | None = None) -> None:
        self._send(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"),
                   {**({"Allow": allow} if allow else {}), **(headers or {})})

    def _service_description(self) -> None:
        """GET /sparql without a query: what the endpoint offers (SPARQL 1.1 Service Description)."""
        try:
            wanted = negotiate(self.headers.get("Accept") or "", None)
        except UnknownFormat:
            wanted = ()
        fmt = _pick(wanted, GRAPH_FORMATS, "turtle")
        rdf_format, media_type = GRAPH_FORMATS[fmt]
        triples = service_description(self._base_iri(), self.settings.update_token is not None)
        self._send(HTTPStatus.OK, media_type, ox.serialize(triples, format=rdf_format,
                                                           prefixes=_SD_PREFIXES if fmt == "turtle" else None))

    def _cors(self) -> None:
        if self.settings.cors_origin:
            self.send_header("Access-Control-Allow-Origin", self.settings.cors_origin)
            if self.settings.cors_origin != "*":
                self.send_header("Vary", "Origin")

    def _send(self, status: HTTPStatus, content_type: str | None, body: bytes,
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self._cors()
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if len(body) >= GZIP_FROM and _accepts_gzip(self.headers.get("Accept-Encoding") or ""):
            body = gzip.compress(body, compresslevel=6)
            self.send_header("Content-Encoding", "gzip")
        if content_type:
            self.send_header("Vary", "Accept, Accept-Encoding")
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


GZIP_FROM = 1024  # bytes: smaller bodies are sent as they are
QUEUE_WAIT = 1.0  # seconds a query waits for a free worker before the 503


def _accepts_gzip(accept_encoding: str) -> bool:
    for part in accept_encoding.lower().split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


_SD = "http://www.w3.org/ns/sparql-service-description#"
_SD_PREFIXES = {"sd": _SD, "xsd": "http://www.w3.org/2001/XMLSchema#"}


def service_description(endpoint: str, updates: bool) -> list[ox.Triple]:
    def sd(name: str) -> ox.NamedNode:
        return ox.NamedNode(_SD + name)

    service, dataset = ox.BlankNode("service"), ox.BlankNode("dataset")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    triples = [
        ox.Triple(service, rdf_type, sd("Service")),
        ox.Triple(service, sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),  # without FROM: the union of the graphs
        ox.Triple(service, sd("feature"), sd("BasicFederatedQuery")),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, rdf_type, sd("Dataset")),
    ]
    if updates:
        triples.append(ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Update")))
    formats = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
               "Turtle", "N-Triples", "RDF_XML", "JSON-LD"]
    triples += [ox.Triple(service, sd("resultFormat"), ox.NamedNode(f"http://www.w3.org/ns/formats/{name}"))
                for name in formats]
    return triples


class Server(ThreadingHTTPServer):
    # socketserver's backlog of 5 resets connections when a dozen clients connect at once
    # while the machine is busy; the kernel caps this at net.core.somaxconn anyway.
    request_queue_size = 128
    query_slots: threading.BoundedSemaphore
    update_lock: threading.Lock
    connections: threading.BoundedSemaphore

    def process_request(self, request, client_address) -> None:
        if not self.connections.acquire(blocking=False):
            with contextlib.suppress(OSError):
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 2\r\nContent-Length: 26\r\n"
                                b"Connection: close\r\n\r\ntoo many open connections\n")
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.connections.release()


def make_server(settings: Settings, host: str = "127.0.0.1", port: int = 7878) -> ThreadingHTTPServer:
    handler = type("KgHandler", (Handler,), {"settings": settings, "timeout": settings.connection_timeout})
    server = Server((host, port), handler)
    server.daemon_threads = True
    server.query_slots = threading.BoundedSemaphore(settings.workers)
    server.update_lock = threading.Lock()
    server.connections = threading.BoundedSemaphore(settings.max_connections)
    if settings.update_token is not None:
        start_fresh_workers()
    return server


STATIC = Path(__file__).resolve().parent / "static"
_PAGE = (STATIC / "index.html").read_bytes()
STATIC_FILES = {  # the vendored query editor (kg/static/yasgui/LICENSE.md), served as they are
    "yasgui/yasgui.min.js": "text/javascript; charset=utf-8",
    "yasgui/yasgui.min.css": "text/css; charset=utf-8",
    "yasgui/LICENSE.md": "text/markdown; charset=utf-8",
}


@cache
def _static_file(name: str) -> bytes:
    return (STATIC / name).read_bytes()
