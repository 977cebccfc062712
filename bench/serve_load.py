"""Load test of `kg serve` on 127.0.0.1: concurrent clients, throughput, latency, errors.

    python bench/serve_load.py [--store DIR] [--clients 16] [--seconds 30] [--timeout 5]

Starts `kg serve` on a free local port (over --store, or over a store built from seeds/),
then runs that many clients for that long, each sending the named queries in turn. While
they run, one client sends a runaway query (a cross product that never ends in time):
the server must stop it at --timeout with 503 and keep answering the others. Prints
requests/s, p50 and p99 latency, and every error. Exit status 1 when any request failed.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ("casualties", "statements", "mediations", "conflicting_figures", "mentions")
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    runaway_status: int | None = None
    runaway_seconds: float = 0.0
    busy: int = 0  # 503 answers with Retry-After (every query worker busy), asked again
    busy_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def requests_per_second(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(store: Path, timeout: float) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--store", str(store), "--host", "127.0.0.1", "--port", str(port),
         "--timeout", str(timeout), "--quiet"],  # its stderr is a pipe nobody reads: no access log
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/queries", timeout=2):
                return process, url
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"kg serve exited: {process.stderr.read()}") from None
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("kg serve did not answer within 60 s")


def ask(url: str, query: str, timeout: float, result: LoadResult | None = None) -> int:
    """The status of the answer. A 503 with Retry-After (all query workers busy) is waited
    out and asked again, as a well-behaved client does; it is counted in result.busy."""
    body = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(url + "/sparql", data=body,
                                     headers={"Accept": "application/sparql-results+json"})
    while True:
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                json.loads(response.read())
                return response.status
        except urllib.error.HTTPError as err:
            err.read()
            retry_after = err.headers.get("Retry-After")
            if err.code != 503 or retry_after is None:
                return err.code
            if result is not None:
                with result.busy_lock:
                    result.busy += 1
            time.sleep(float(retry_after))


def named_query_texts(url: str) -> list[tuple[str, str]]:
    with urllib.request.urlopen(url + "/queries", timeout=10) as response:
        queries = json.loads(response.read())
    return [(name, queries[name]["query"]) for name in QUERIES]


def load_test(url: str, clients: int, seconds: float, timeout: float) -> LoadResult:
    """clients threads sending the named queries for seconds, plus one runaway query."""
    queries = named_query_texts(url)
    result = LoadResult()
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(offset: int) -> None:
        i = offset
        while time.monotonic() < stop:
            name, text = queries[i % len(queries)]
            i += 1
            started = time.perf_counter()
            try:
                status = ask(url, text, timeout * 3, result)
            except OSError as err:
                status, detail = None, f"{name}: {type(err).__name__}: {err}"
            else:
                detail = f"{name}: HTTP {status}"
            elapsed = time.perf_counter() - started
            with lock:
                if status == 200:
                    result.latencies.append(elapsed)
                else:
                    result.errors.append(detail)

    def runaway() -> None:
        started = time.perf_counter()
        result.runaway_status = ask(url, RUNAWAY, timeout * 3, result)
        result.runaway_seconds = time.perf_counter() - started

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    threads.append(threading.Thread(target=runaway))
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result


def seed_store(folder: Path) -> Path:
    store = folder / "store"
    subprocess.run([sys.executable, "-m", "kg", "build", str(ROOT / "seeds"), "--store", str(store)],
                   check=True, capture_output=True)
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="default: a store built from seeds/")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--timeout", type=float, default=5, help="kg serve --timeout")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store or seed_store(Path(tmp))
        server, url = start_server(store, args.timeout)
        try:
            result = load_test(url, args.clients, args.seconds, args.timeout)
        finally:
            server.terminate()
            server.wait()
    print(f"# kg serve load test: {args.clients} clients, {args.seconds:g} s, store {store}, "
          f"{os.cpu_count()} cores\n")
    print("| measure | value |\n|---|---|")
    print(f"| requests answered | {len(result.latencies)} ({result.requests_per_second:.1f}/s) |")
    if result.latencies:
        print(f"| latency p50 / p99 | {result.percentile(50) * 1000:.0f} ms / {result.percentile(99) * 1000:.0f} ms |")
        print(f"| latency mean | {statistics.mean(result.latencies) * 1000:.0f} ms |")
    print(f"| answered 503 busy (with Retry-After), then asked again | {result.busy} |")
    print(f"| errors | {len(result.errors)} |")
    print(f"| runaway query | HTTP {result.runaway_status} after {result.runaway_seconds:.1f} s "
          f"(timeout {args.timeout:g} s) |")
    for error in result.errors[:20]:
        print(f"  error: {error}")
    sys.exit(1 if result.errors or result.runaway_status != 503 else 0)


if __name__ == "__main__":
    main()
