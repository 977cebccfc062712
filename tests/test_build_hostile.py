"""kg build against hostile and careless input: every entry gets an outcome, one bad record
or a dead worker never stops the batch, a replacement is never silent, a store that cannot
be written ends the build with one line."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from conftest import SEEDS, run, seed_copies

import kg.build
from kg.build import build
from kg.ingest import find_files
from kg.store import open_store
from kg.validate import Violation

SHORT = "قالت وزارة الدفاع إن القصف قتل 12 مدنيا في ستيباناكيرت."
KG = [sys.executable, "-c", "from kg.cli import main; main()"]


def _report(tmp_path: Path, *args: str, expect: int = 3) -> dict:
    report = tmp_path / "report.json"
    run("build", *args, "--store", str(tmp_path / "store"), "--report", str(report), expect=expect)
    return json.loads(report.read_text(encoding="utf-8"))


def test_records_json_cannot_hold_are_their_own_outcome(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "feed.jsonl").write_text("\n".join([
        json.dumps({"id": "first", "text": SHORT}, ensure_ascii=False),
        '{"id": "huge", "text": "x", "n": ' + "9" * 5000 + "}",
        '{"id": "deep", "text": "x", "n": ' + "[" * 100_000 + "]" * 100_000 + "}",
        json.dumps({"id": "last", "text": SHORT}, ensure_ascii=False),
    ]), encoding="utf-8")
    (corpus / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (corpus / "good.txt").write_text(SHORT, encoding="utf-8")
    report = _report(tmp_path, str(corpus))
    reasons = {o["source"].rsplit("/", 1)[1]: o["reason"] for o in report["outcomes"]}
    assert report["loaded"] == 3
    assert "4300 digits" in reasons["feed.jsonl:2"] and reasons["feed.jsonl:3"].endswith("nested too deeply")
    assert reasons["deep.json"].endswith("nested too deeply")


def test_every_entry_of_a_directory_gets_an_outcome(tmp_path):
    corpus = tmp_path / "in"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "a.txt").write_text(SHORT, encoding="utf-8")
    (corpus / "sub" / "b.txt").write_text(SHORT, encoding="utf-8")
    (corpus / "feed.ndjson").write_text(json.dumps({"id": "c", "text": SHORT}, ensure_ascii=False), encoding="utf-8")
    (corpus / "README.md").write_text("notes", encoding="utf-8")
    (corpus / "page.html").write_text("<html></html>", encoding="utf-8")
    os.mkfifo(corpus / "pipe.txt")
    (corpus / "gone.txt").symlink_to(corpus / "nowhere.txt")
    (corpus / "loop.txt").symlink_to(corpus / "loop.txt")
    (corpus / "elsewhere").symlink_to(corpus / "sub", target_is_directory=True)
    (corpus / "\udcff.txt".encode("utf-8", "surrogateescape").decode("utf-8", "surrogateescape")).write_text(
        SHORT, encoding="utf-8")  # a file name that is not UTF-8
    started = time.monotonic()
    report = _report(tmp_path, str(corpus))
    assert time.monotonic() - started < 60  # the FIFO was not opened (that would block)
    reasons = {Path(o["source"]).name: o["reason"] for o in report["outcomes"]}
    assert {o["id"] for o in report["outcomes"] if o["status"] == "loaded"} == {"a", "b", "c"}
    assert reasons["README.md"].startswith("unsupported file type .md")
    assert reasons["page.html"].startswith("unsupported file type .html")
    assert reasons["pipe.txt"] == "not a regular file (a FIFO)"
    assert reasons["gone.txt"].startswith("a broken symbolic link")
    assert reasons["loop.txt"] == "a symbolic link loop"
    assert reasons["elsewhere"].startswith("a symbolic link to a directory: not followed")
    assert reasons["\\xff.txt"].startswith("the file name is not valid UTF-8")
    assert len(report["outcomes"]) == 10


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a directory whatever its permissions")
def test_an_unreadable_directory_is_reported(tmp_path):
    corpus = tmp_path / "in"
    (corpus / "locked").mkdir(parents=True)
    (corpus / "locked" / "x.txt").write_text(SHORT, encoding="utf-8")
    (corpus / "a.txt").write_text(SHORT, encoding="utf-8")
    (corpus / "locked").chmod(0)
    try:
        report = _report(tmp_path, str(corpus))
    finally:
        (corpus / "locked").chmod(0o755)
    assert any(o["reason"] and o["reason"].startswith("a directory that cannot be read") for o in report["outcomes"])


def test_a_missing_path_is_a_usage_error_and_creates_no_store(tmp_path):
    result = run("build", str(tmp_path / "nonexistent"), "--store", str(tmp_path / "store"), expect=2)
    assert "does not exist" in result.output
    assert not (tmp_path / "store").exists()


def test_a_killed_worker_costs_a_retry_not_the_build(tmp_path):
    corpus = seed_copies(tmp_path / "in", 40)
    store = tmp_path / "store"
    build_process = subprocess.Popen([*KG, "build", str(corpus), "--store", str(store), "--jobs", "2"],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killed = None
    for line in build_process.stderr:
        if line.startswith("loaded"):
            killed = _a_worker_of(build_process.pid)
            os.kill(killed, signal.SIGKILL)  # what the OOM killer does
            break
    out, err = build_process.communicate(timeout=180)
    assert killed is not None
    assert build_process.returncode == 0, err[-2000:]
    assert "Articles loaded: 200, skipped: 0" in out
    run("build", str(SEEDS / "000_b81af222457842e2.txt"), "--store", str(store))  # the lock was released


def _a_worker_of(pid: int) -> int:
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        command = Path(f"/proc/{child}/cmdline").read_bytes()
        if b"spawn_main" in command:
            return int(child)
    raise AssertionError("no worker process")


def test_a_replacement_from_another_file_is_said_and_can_be_refused(tmp_path):
    for outlet, text in (("outletA", SHORT), ("outletB", SHORT.replace("12", "14"))):
        (tmp_path / outlet).mkdir()
        (tmp_path / outlet / "12345.txt").write_text(text, encoding="utf-8")
    store = str(tmp_path / "store")
    run("build", str(tmp_path / "outletA"), "--store", store)
    skipped = run("build", str(tmp_path / "outletB"), "--store", store, "--on-conflict", "skip", expect=3)
    assert "already in the store from" in skipped.output and "outletA" in skipped.output
    assert run("query", "SELECT ?n WHERE { ?c ck:count ?n }", "--store", store, "--format", "csv").stdout.split() \
        == ["n", "12"]
    replaced = run("build", str(tmp_path / "outletB"), "--store", store)
    assert "replaced 12345: was " + str(tmp_path / "outletA" / "12345.txt") in replaced.stderr
    again = run("build", str(tmp_path / "outletB"), "--store", store)
    assert "replaced" not in again.stderr  # the same file, the same text: nothing to say
    (tmp_path / "outletB" / "12345.txt").write_text(SHORT.replace("12", "16"), encoding="utf-8")
    assert "replaced 12345: its text changed" in run("build", str(tmp_path / "outletB"), "--store", store).stderr


@pytest.mark.parametrize("on_conflict, kept", [("replace", False), ("skip", True)])
def test_a_stored_article_whose_new_version_is_rejected(tmp_path, monkeypatch, on_conflict, kept):
    (tmp_path / "a.txt").write_text(SHORT, encoding="utf-8")
    store = open_store(tmp_path / "store")
    build(store, find_files([tmp_path / "a.txt"]))
    (tmp_path / "a.txt").write_text(SHORT.replace("12", "13"), encoding="utf-8")
    monkeypatch.setattr(kg.build, "validate_ntriples", lambda _: [Violation("ck:Article", "x", "a violation")])
    outcome = build(store, find_files([tmp_path / "a.txt"]), on_conflict=on_conflict).outcomes[0]
    assert not outcome.loaded
    assert ("kept the previous version" in outcome.reason) is kept
    assert ("removed the previous version" in outcome.reason) is not kept
    assert any(True for _ in store.named_graphs() if _.value.endswith("/a")) is kept


def test_ids_are_one_article_however_they_are_spelled(tmp_path):
    name = "مقال-١"
    decomposed = unicodedata.normalize("NFD", "مقالٌ")  # a decomposable mark
    records = [{"id": unicodedata.normalize("NFC", "مقالٌ"), "text": SHORT},
               {"id": decomposed, "text": SHORT}, {"id": name + "\u200f", "text": SHORT}]
    (tmp_path / "feed.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records),
                                         encoding="utf-8")
    report = _report(tmp_path, str(tmp_path / "feed.jsonl"))
    loaded = [o for o in report["outcomes"] if o["status"] == "loaded"]
    assert [o["id"] for o in loaded] == [unicodedata.normalize("NFC", "مقالٌ"), name]
    assert "duplicate id" in report["outcomes"][1]["reason"]
    assert any("read as" in note for note in loaded[1]["notes"])


def test_published_values_that_are_not_dates_are_reported(tmp_path):
    records = [{"id": "p1", "text": SHORT, "published": "yesterday"},
               {"id": "p2", "text": SHORT, "published": "2024-13-45"},
               {"id": "p3", "text": SHORT, "published": "2024-03-05T10:00:00Z"}]
    (tmp_path / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    report = _report(tmp_path, str(tmp_path / "feed.jsonl"), expect=0)
    notes = {o["id"]: o["notes"] for o in report["outcomes"]}
    assert "not a date" in notes["p1"][0] and "not a date" in notes["p2"][0] and notes["p3"] == []
    issued = run("query", "SELECT ?d WHERE { ?a dcterms:issued ?d }", "--store", str(tmp_path / "store"),
                 "--format", "csv").stdout.split()
    assert issued == ["d", "2024-03-05"]


def test_a_store_that_cannot_be_written_ends_the_build_with_one_line(tmp_path):
    corpus = seed_copies(tmp_path / "in", 30)

    def small_disk() -> None:  # files larger than 3 MB cannot be written: as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (3 * 2**20, 3 * 2**20))

    result = subprocess.run([*KG, "build", str(corpus), "--store", str(tmp_path / "store"), "--jobs", "1"],
                            capture_output=True, text=True, preexec_fn=small_disk, timeout=600)
    assert result.returncode == 1, result.stderr[-2000:]
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: the store could not be written (") and "committed before that" in last
    assert "Traceback" not in result.stderr


def test_long_texts_are_extracted_in_segments_and_the_longest_skipped(tmp_path):
    seeds = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    long_text = "\n\n".join([seeds] * (60_000 // len(seeds) + 1))
    (tmp_path / "long.txt").write_text(long_text, encoding="utf-8")
    (tmp_path / "short.txt").write_text(SHORT, encoding="utf-8")
    report = _report(tmp_path, str(tmp_path), "--max-article-chars", str(len(long_text) - 1))
    assert report["outcomes"][0]["reason"].startswith(f"too long for one article ({len(long_text):,} characters")
    assert report["loaded"] == 1
    report = _report(tmp_path, str(tmp_path / "long.txt"), expect=0)  # segments: no overlapping mentions
    assert report["loaded"] == 1
    whole = run("query", "mentions", "--store", str(tmp_path / "store"), "--bind", "doc=long", "--format", "csv")
    rows = whole.stdout.splitlines()[1:]
    starts = [int(r.rsplit(",", 2)[1]) for r in rows]
    assert starts[-1] > 40_000  # the last segments were read, at their offsets in the whole text
    spans = ('SELECT ?s ?e ?t WHERE { GRAPH ?g { ?a dcterms:identifier "long" . '
             "?x oa:start ?s ; oa:end ?e ; oa:exact ?t } }")
    text_spans = run("query", spans, "--store", str(tmp_path / "store"), "--format", "json").stdout
    assert len(json.loads(text_spans)) > 100
    assert all(long_text[r["s"]:r["e"]] == r["t"] for r in json.loads(text_spans))
