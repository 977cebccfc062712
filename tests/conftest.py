from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

# The compiled gazetteer of this run, not the developer's ~/.cache/kg (child processes too).
if "KG_CACHE_DIR" not in os.environ:
    os.environ["KG_CACHE_DIR"] = tempfile.mkdtemp(prefix="kg-test-cache-")
    atexit.register(shutil.rmtree, os.environ["KG_CACHE_DIR"], True)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory) -> Path:
    """A store built from seeds/ once for the whole session (read-only use only)."""
    store = tmp_path_factory.mktemp("seed-store") / "store"
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--store", str(store)])
    assert result.exit_code == 0, result.output
    return store


COPIES = 60  # × 5 seeds = 300 articles


@pytest.fixture(scope="session")
def copies(tmp_path_factory) -> Path:
    """A store of the seeds and COPIES - 1 renamed copies of each (300 articles, more than
    kg.partition runs in one go), built in two worker processes (read-only use only)."""
    folder = tmp_path_factory.mktemp("copies")
    corpus = seed_copies(folder / "in", COPIES)
    store = folder / "store"
    run("build", str(corpus), "--store", str(store), "--jobs", "2")
    return store


def seed_copies(corpus: Path, copies: int) -> Path:
    """A folder of each seed article copied this many times, as <seed>-<NN>.txt."""
    corpus.mkdir(parents=True)
    for seed in sorted(SEEDS.glob("*.txt")):
        for i in range(copies):
            shutil.copy(seed, corpus / f"{seed.stem}-{i:02d}.txt")
    return corpus


def run(*args: str, expect: int = 0):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == expect, f"exit {result.exit_code}: {result.output}"
    return result


def lexicons_with_row(tmp_path: Path, name: str, row: str) -> tuple[Path, Path, int]:
    """A copy of kg's lexicons with row appended to lexicons/NAME: (the folder, the file, the
    row's line number), for kg check-data --lexicons."""
    from kg.resources import resource_dir

    lexicons = tmp_path / "lexicons"
    shutil.copytree(resource_dir("lexicons"), lexicons)
    table = lexicons / name
    lines = table.read_text(encoding="utf-8").splitlines() + [row]
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lexicons, table, len(lines)


_SERVE_APART = """
import json, os, sys, threading
from pathlib import Path
from kg.serve import Settings, make_server
ports = {}
for name, fields in json.loads(sys.argv[1]).items():
    fields["store"] = Path(fields["store"])
    server = make_server(Settings(**fields), "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    ports[name] = server.server_port
print(json.dumps(ports), flush=True)
os.read(0, 1)  # until the test closes stdin; not sys.stdin, whose lock a forked query child would wait for
"""


@contextlib.contextmanager
def served_apart(configs: dict[str, dict]) -> Iterator[dict[str, str]]:
    """kg endpoints (name: Settings fields) as kg serve runs them, in a process that never
    opened a store: a query forked from the test process would inherit the RocksDB state of
    every store the tests built in it. Yields name: base URL."""
    process = subprocess.Popen([sys.executable, "-c", _SERVE_APART, json.dumps(configs, default=str)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert line, f"the endpoints did not start (exit code {process.wait(10)})"
        yield {name: f"http://127.0.0.1:{port}" for name, port in json.loads(line).items()}
    finally:
        process.stdin.close()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
