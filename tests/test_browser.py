"""The query page in a real browser: Debian's Chromium, headless (installed by .ci/run)."""

import html
import re
import shutil
import subprocess
import threading
import urllib.parse
import urllib.request

import pytest
from conftest import SEEDS, run

from kg.serve import Settings, make_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--virtual-time-budget=15000", "--window-size=1400,1000"]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary: .ci/run installs Debian's chromium")


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    store = tmp_path_factory.mktemp("browser") / "store"
    run("build", str(SEEDS), "--store", str(store))
    server = make_server(Settings(store, timeout=20), "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}/", tmp_path_factory.mktemp("profile")


def chromium(profile, *args):
    result = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                            capture_output=True, text=True, timeout=120)
    return result.stdout


def test_yasgui_runs_a_named_query_with_arabic_right_to_left(page):
    url, profile = page
    dom = chromium(profile / "dom", "--dump-dom", url + "?run=casualties")
    assert 'data-done="true"' in dom  # the query was answered and the table drawn
    assert "24 results in" in dom  # YASGUI's own count: every claim row
    for name in ("casualties", "statements", "mentions", "mediations", "conflicting_figures"):
        assert f">{name}<" in dom  # the named queries are tabs
    assert 'dir="rtl"' in dom and "قتيل" in dom  # Arabic evidence cells are right-to-left


def test_yasgui_runs_a_construct_and_the_csv_link_gives_the_full_result(page):
    url, profile = page
    construct = "CONSTRUCT { ?s a <https://w3id.org/conflict-kg/ontology#State> } WHERE { ?s a ?c FILTER (?c = " \
                "<https://w3id.org/conflict-kg/ontology#State>) }"
    dom = chromium(profile / "construct", "--dump-dom", url + "?" + urllib.parse.urlencode({"sparql": construct}))
    assert 'data-done="true"' in dom and "9 results in" in dom and "actor/azerbaijan" in dom
    dom = chromium(profile / "csv", "--dump-dom", url + "?run=casualties")
    link = html.unescape(re.search(r'id="download-csv" href="([^"]+)"', dom).group(1))
    with urllib.request.urlopen(link, timeout=30) as response:
        assert response.headers["Content-Type"].startswith("text/csv")
        assert len(response.read().decode().splitlines()) == 25  # header and the 24 claim rows


def test_screenshot_of_the_results(page, tmp_path):
    url, profile = page
    shot = tmp_path / "page.png"
    chromium(profile / "shot", f"--screenshot={shot}", url + "?run=casualties")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1400, 1000)
    assert len(data) > 100_000  # YASGUI with a rendered table, not a blank page
