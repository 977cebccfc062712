"""The query page in a real browser: Debian's Chromium, headless (installed by .ci/run)."""

import shutil
import subprocess
import threading

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
    return f"http://127.0.0.1:{server.server_port}/?run=casualties", tmp_path_factory.mktemp("profile")


def chromium(profile, *args):
    result = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                            capture_output=True, text=True, timeout=120)
    return result.stdout


def test_the_page_runs_a_named_query_and_renders_arabic_right_to_left(page):
    url, profile = page
    dom = chromium(profile / "dom", "--dump-dom", url)
    assert "<table>" in dom
    assert dom.count("<tr>") > 10
    assert 'dir="rtl"' in dom and "قتيل" in dom  # Arabic evidence cells are right-to-left
    assert "rows" in dom and "error" not in dom.split('id="status"')[1][:80]


def test_screenshot_of_the_results(page, tmp_path):
    url, profile = page
    shot = tmp_path / "page.png"
    chromium(profile / "shot", f"--screenshot={shot}", url)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1400, 1000)
    assert len(data) > 30_000  # a page with a rendered table, not a blank one
