"""kg serve under load (bench/serve_load.py, shortened): 16 clients at once on 127.0.0.1 get
answers with no error, while a runaway query is stopped at the timeout."""

import sys

from conftest import ROOT, SEEDS, run

sys.path.insert(0, str(ROOT / "bench"))
from serve_load import load_test, start_server  # noqa: E402


def test_sixteen_clients_no_errors_and_a_runaway_query_is_stopped(tmp_path):
    store = tmp_path / "store"
    run("build", str(SEEDS), "--store", str(store))
    server, url = start_server(store, timeout=3)
    try:
        result = load_test(url, clients=16, seconds=6, timeout=3)
    finally:
        server.terminate()
        server.wait()
    assert result.errors == []
    assert len(result.latencies) >= 16  # every client was answered at least once
    assert result.runaway_status == 503
    assert result.runaway_seconds < 3 + 10  # stopped at the timeout, not left to run
