import codecs
import json

from kg.ingest import Article, Skipped, read_paths

ARABIC = "أعلنت وزارة الصحة في غزة مقتل 12 شخصا."


def outcomes(tmp_path):
    return list(read_paths([tmp_path]))


def test_txt_in_utf8_with_and_without_bom_utf16_and_windows_1256(tmp_path):
    (tmp_path / "a.txt").write_bytes(ARABIC.encode("utf-8"))
    (tmp_path / "b.txt").write_bytes(codecs.BOM_UTF8 + ARABIC.encode("utf-8"))
    (tmp_path / "c.txt").write_bytes(ARABIC.encode("utf-16"))
    (tmp_path / "d.txt").write_bytes(ARABIC.encode("cp1256"))
    items = outcomes(tmp_path)
    assert [i.id for i in items] == ["a", "b", "c", "d"]
    assert all(isinstance(i, Article) and i.text == ARABIC for i in items)


def test_original_text_is_kept_unchanged(tmp_path):
    text = "\u200fقال\u00a0المتحدث:\r\nالقصف مستمر ـــ"
    (tmp_path / "x.txt").write_bytes(text.encode("utf-8"))
    assert outcomes(tmp_path)[0].text == text


def test_bad_files_are_skipped_with_a_reason_and_the_rest_goes_on(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "english.txt").write_text("Fighting continued in Khartoum.", encoding="utf-8")
    (tmp_path / "good.txt").write_text(ARABIC, encoding="utf-8")
    items = {i.source.rsplit("/", 1)[-1]: i for i in outcomes(tmp_path)}
    assert items["empty.txt"] == Skipped(str(tmp_path / "empty.txt"), "empty file")
    assert "binary" in items["binary.txt"].reason
    assert items["english.txt"].reason == "no Arabic text"
    assert isinstance(items["good.txt"], Article)


def test_jsonl_records_with_broken_lines_missing_fields_and_duplicate_ids(tmp_path):
    lines = [
        json.dumps({"id": "s1", "text": ARABIC, "title": "غزة", "url": "https://example.org/1",
                    "published": "2024-01-05", "outlet": "وكالة"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "s2"}),
        json.dumps({"id": 7, "text": ARABIC}, ensure_ascii=False),
        json.dumps({"id": "s1", "text": ARABIC}, ensure_ascii=False),
        json.dumps({"id": "s3", "text": ARABIC, "published": 2024}, ensure_ascii=False),
        json.dumps(["not", "an", "object"]),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = outcomes(tmp_path)
    first = items[0]
    assert isinstance(first, Article)
    assert (first.id, first.title, first.url, first.published, first.outlet) == (
        "s1", "غزة", "https://example.org/1", "2024-01-05", "وكالة")
    reasons = {i.source.rsplit(":", 1)[-1]: i.reason for i in items if isinstance(i, Skipped)}
    assert reasons["2"].startswith("invalid JSON")
    assert reasons["3"] == "field 'text' is missing or not a string"
    assert reasons["5"] == "duplicate id 's1' in this file"
    assert reasons["6"] == "field 'published' is not a string"
    assert reasons["7"] == "record is not a JSON object"
    assert [i.id for i in items if isinstance(i, Article)] == ["s1", "7"]


def test_lone_surrogates_from_json_escapes_are_refused(tmp_path):
    (tmp_path / "s.jsonl").write_text('{"id": "x", "text": "\\ud800 قصف على حلب"}\n', encoding="utf-8")
    [item] = outcomes(tmp_path)
    assert isinstance(item, Skipped) and item.reason.startswith("invalid Unicode: unpaired surrogate")


def test_ids_that_name_kgs_own_graphs_are_refused(tmp_path):
    (tmp_path / "figures.txt").write_text(ARABIC, encoding="utf-8")
    (tmp_path / "s.jsonl").write_text(json.dumps({"id": "links", "text": ARABIC}) + "\n", encoding="utf-8")
    items = outcomes(tmp_path)
    assert [item.reason.split(":")[0] for item in items] == ["article id 'figures' is reserved",
                                                             "article id 'links' is reserved"]


def test_json_file_with_a_list_of_records(tmp_path):
    records = [{"id": "k1", "text": ARABIC}, {"id": "k2", "text": "no arabic here"}]
    (tmp_path / "batch.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    items = outcomes(tmp_path)
    assert isinstance(items[0], Article) and items[0].id == "k1"
    assert items[1] == Skipped(f"{tmp_path / 'batch.json'}[1]", "no Arabic text")


def test_directories_are_read_recursively_in_a_stable_order(tmp_path):
    (tmp_path / "z").mkdir()
    (tmp_path / "z" / "inner.txt").write_text(ARABIC, encoding="utf-8")
    (tmp_path / "a.txt").write_text(ARABIC, encoding="utf-8")
    (tmp_path / "notes.md").write_text(ARABIC, encoding="utf-8")
    items = outcomes(tmp_path)
    assert [i.id for i in items if isinstance(i, Article)] == ["a", "inner"]
    assert items[1] == Skipped(str(tmp_path / "notes.md"),
                               "unsupported file type .md (kg reads .txt, .json, .jsonl and .ndjson)")


def test_a_missing_path_is_reported(tmp_path):
    missing = tmp_path / "nope.txt"
    assert list(read_paths([missing])) == [Skipped(str(missing), "no such file or directory")]
