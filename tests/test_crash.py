"""Builds under stress. A build killed with SIGKILL leaves every article whole or absent;
building again completes it with no duplicates. Two builds at once: the second is refused.
While a build runs, kg query and kg serve keep answering, and the endpoint sees what the
build has committed."""

import json
import os
import random
import signal
import subprocess
import sys
import threading
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest
from conftest import SEEDS, run

from kg.build import BATCH_ARTICLES
from kg.serve import Settings, make_server

ARTICLES = 4 * BATCH_ARTICLES  # several load batches, so that kills land mid-build


def copies_of_the_seeds(folder, n: int):
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(n):
        (folder / f"a{i:04d}.txt").write_bytes(seeds[i % len(seeds)].read_bytes())
    return folder


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return copies_of_the_seeds(tmp_path_factory.mktemp("crash-corpus"), ARTICLES)


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory):
    path = tmp_path_factory.mktemp("reference") / "store"
    run("build", str(corpus), "--store", str(path))
    return graphs(path)


def graphs(path) -> dict[str, set]:
    store = ox.Store.read_only(str(path))
    out: dict[str, set] = {}
    for quad in store:
        out.setdefault(quad.graph_name.value, set()).add(quad)
    return out


def build_process(corpus, store):
    return subprocess.Popen([sys.executable, "-m", "kg", "build", str(corpus), "--store", str(store)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)


def kill_after_loading(process, articles: int) -> None:
    """SIGKILL the build (and its workers) right after it reports that many articles loaded."""
    loaded = 0
    for line in process.stderr:
        loaded += line.startswith("loaded")
        if loaded == articles:
            break
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_killed_build_leaves_whole_articles_and_rebuild_completes(corpus, reference, tmp_path, seed):
    store = tmp_path / "store"
    kill_after_loading(build_process(corpus, store), random.Random(seed).randint(3, ARTICLES // 2))
    after_kill = graphs(store) if store.exists() else {}
    assert len(after_kill) < len(reference), "the build finished before the kill: nothing was tested"
    for name, quads in after_kill.items():
        if "/graph/ontology" in name:
            continue
        assert quads == reference[name], f"{name} is half there after the kill"
    run("build", str(corpus), "--store", str(store))
    assert graphs(store) == reference  # complete, nothing duplicated
    assert f"all {ARTICLES} article graphs conform" in run("validate", "--store", str(store)).output


def test_a_second_build_on_the_same_store_is_refused(tmp_path):
    (tmp_path / "long").mkdir()
    # long enough that the first build is still running when the second one starts
    corpus = copies_of_the_seeds(tmp_path / "long", 8 * BATCH_ARTICLES)
    store = tmp_path / "store"
    first = build_process(corpus, store)
    try:
        while not first.stderr.readline().startswith("loaded"):
            pass  # the first build holds the store now
        second = subprocess.run([sys.executable, "-m", "kg", "build", str(corpus), "--store", str(store)],
                                capture_output=True, text=True, timeout=120)
        assert first.poll() is None, "the first build ended before the second started: nothing was tested"
        assert second.returncode == 1
        assert "open for writing by another process" in second.stderr
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()


COUNT_ARTICLES = "SELECT (COUNT(?a) AS ?n) WHERE { ?a a ck:Article }"


class LoadedLines:
    """Counts the 'loaded' lines a build prints (each after its article is committed)."""

    def __init__(self, process):
        self.process = process
        self.count = 0

    def wait_for(self, n: int) -> int:
        for line in self.process.stderr:
            self.count += line.startswith("loaded")
            if self.count >= n:
                break
        return self.count


def endpoint_count(base: str) -> int:
    url = f"{base}/sparql?" + urllib.parse.urlencode({"query": COUNT_ARTICLES})
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "application/json"}),
                                timeout=60) as response:
        return int(json.loads(response.read())["results"]["bindings"][0]["n"]["value"])


def test_queries_and_the_endpoint_answer_while_a_build_runs(tmp_path):
    (tmp_path / "long").mkdir()
    corpus = copies_of_the_seeds(tmp_path / "long", 8 * BATCH_ARTICLES)
    store = tmp_path / "store"
    run("build", str(SEEDS / "000_b81af222457842e2.txt"), "--store", str(store))  # an article not in the corpus
    server = make_server(Settings(store, timeout=60, max_rows=100), "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    build = build_process(corpus, store)
    try:
        lines = LoadedLines(build)
        loaded = lines.wait_for(1)
        during = endpoint_count(base)
        assert during >= 1 + loaded
        cli = subprocess.run([sys.executable, "-m", "kg", "query", COUNT_ARTICLES, "--store", str(store),
                              "--format", "json"], capture_output=True, text=True, timeout=120)
        assert cli.returncode == 0, cli.stderr
        assert json.loads(cli.stdout)[0]["n"] >= during
        lines.wait_for(during)  # the store now holds more articles than the endpoint counted
        later = endpoint_count(base)
        assert build.poll() is None, "the build ended before the last query: nothing was tested"
        assert during < later < 1 + 8 * BATCH_ARTICLES
    finally:
        os.killpg(build.pid, signal.SIGKILL)
        build.wait()
        server.shutdown()
