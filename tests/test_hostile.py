"""A hostile input corpus: every file gets an outcome, nothing crashes, every good article lands."""

import codecs
import json

from conftest import SEEDS, run

GOOD = (SEEDS / "004_43f431016a0d73b2.txt").read_text(encoding="utf-8")
SHORT = "أعلنت وزارة الصحة في غزة مقتل 12 شخصا في قصف على رفح."


def test_hostile_corpus(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    files = {
        "empty.txt": b"",
        "binary.txt": bytes(range(256)) * 64,
        "invalid-utf8.txt": SHORT.encode("utf-8")[:-3] + b"\xff\xfe\xfd" + b"\x00",
        "windows-1256.txt": SHORT.encode("cp1256"),
        "utf16.txt": SHORT.encode("utf-16"),
        "utf8-bom.txt": codecs.BOM_UTF8 + SHORT.encode("utf-8"),
        "huge-single-line.txt": ("قصف " * 13_000_000).encode("utf-8"),  # 52 MB, one line
        "page.txt": f"<!DOCTYPE html><html><body><p>{SHORT}</p></body></html>".encode(),
        "english.txt": b"Shelling continued overnight in Rafah.",
        "marks.txt": ("\u200f\u202b" + "قـــال المتحدثُ إنّ\u200d 3 مدنيين قُتلوا\u200e" + "\u202c").encode("utf-8"),
        "numbers-only.txt": "12 45 ٦٨٬٢٨٠ 2024".encode(),
        "good.txt": GOOD.encode("utf-8"),
        "feed.jsonl": "\n".join([
            json.dumps({"id": "ok-1", "text": SHORT}, ensure_ascii=False),
            "{broken",
            json.dumps({"id": "no-text"}),
            json.dumps({"id": ["not", "a", "string"], "text": SHORT}, ensure_ascii=False),
            json.dumps({"id": "ok-1", "text": SHORT}, ensure_ascii=False),
            json.dumps({"id": "bad-date", "text": SHORT, "published": 20240101}, ensure_ascii=False),
        ]).encode("utf-8"),
    }
    for name, data in files.items():
        (corpus / name).write_bytes(data)
    report = tmp_path / "report.json"
    store = tmp_path / "store"
    run("build", str(corpus), "--store", str(store), "--report", str(report), expect=3)
    outcomes = json.loads(report.read_text(encoding="utf-8"))["outcomes"]
    by_source = {o["source"].rsplit("/", 1)[-1]: o for o in outcomes}
    loaded = {name for name, o in by_source.items() if o["status"] == "loaded"}
    assert loaded == {"windows-1256.txt", "utf16.txt", "utf8-bom.txt", "marks.txt", "good.txt", "feed.jsonl:1"}
    reasons = {name: o["reason"] for name, o in by_source.items() if o["status"] == "skipped"}
    assert reasons["empty.txt"] == "empty file"
    assert "binary" in reasons["binary.txt"]
    assert "binary" in reasons["invalid-utf8.txt"]
    assert reasons["huge-single-line.txt"].startswith("too long for one article (52,000,000 characters")
    assert reasons["page.txt"].startswith("an HTML page")
    assert reasons["english.txt"] == reasons["numbers-only.txt"] == "no Arabic text"
    assert reasons["feed.jsonl:2"].startswith("invalid JSON")
    assert reasons["feed.jsonl:3"] == "field 'text' is missing or not a string"
    assert reasons["feed.jsonl:4"] == "field 'id' is missing or not a string"
    assert reasons["feed.jsonl:5"] == "duplicate id 'ok-1' in this file"
    assert reasons["feed.jsonl:6"] == "field 'published' is not a string"
    assert len(outcomes) == len(files) + 5  # one outcome per file, and per JSONL record
    stats = json.loads(run("stats", "--store", str(store), "--format", "json").output)
    assert stats["articles"] == 6
    assert "all 6 article graphs conform" in run("validate", "--store", str(store)).output
