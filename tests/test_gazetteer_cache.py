"""The compiled gazetteer: the same gazetteer as the one built from the data, rebuilt when
the data change or the file is damaged, never a stale one."""

from __future__ import annotations

import shutil

import pytest

from kg.extract import gazetteer as gz
from kg.resources import DATA_ENV, resource_dir


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(gz.CACHE_ENV, str(tmp_path / "cache"))
    gz.default_gazetteer.cache_clear()
    yield tmp_path / "cache"
    gz.default_gazetteer.cache_clear()


def compiled(cache) -> list:
    return sorted(cache.glob("gazetteer-*.pickle"))


def test_the_compiled_gazetteer_is_the_one_the_data_build(cache):
    built = gz.default_gazetteer()
    assert len(compiled(cache)) == 1
    gz.default_gazetteer.cache_clear()
    read_back = gz.default_gazetteer()
    assert read_back is not built
    assert read_back.names == gz.load_gazetteer().names
    assert read_back.demonyms == built.demonyms


def test_a_damaged_file_is_rebuilt(cache):
    gz.default_gazetteer()
    [path] = compiled(cache)
    path.write_bytes(b"not a pickle")
    gz.default_gazetteer.cache_clear()
    assert gz.default_gazetteer().names == gz.load_gazetteer().names
    assert path.read_bytes() != b"not a pickle"


def test_changed_data_are_compiled_anew(cache, tmp_path, monkeypatch):
    gz.default_gazetteer()
    [before] = compiled(cache)
    own = tmp_path / "data"
    shutil.copytree(resource_dir("lexicons"), own / "lexicons")
    with open(own / "lexicons" / "actors.tsv", "a", encoding="utf-8") as table:
        table.write("جماعة الاختبار الفريدة\tUnique Test Group\tArmedGroup\t-\t-\n")
    monkeypatch.setenv(DATA_ENV, str(own))
    gz.default_gazetteer.cache_clear()
    named = gz.default_gazetteer().lookup(gz.words_of("جماعة الاختبار الفريدة"))
    assert named is not None and named.actor.label_en == "Unique Test Group"
    assert compiled(cache) != [before]


def test_an_unwritable_cache_folder_still_gives_the_gazetteer(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder would be")
    monkeypatch.setenv(gz.CACHE_ENV, str(blocker / "cache"))
    gz.default_gazetteer.cache_clear()
    try:
        assert gz.default_gazetteer().lookup(gz.words_of("الأمم المتحدة")) is not None
    finally:
        gz.default_gazetteer.cache_clear()
