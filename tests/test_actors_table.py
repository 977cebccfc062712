"""lexicons/actors.tsv: actors beyond the gazetteer, one row each, every spelling read; a
row naming a gazetteer actor adds its spellings to that actor; kg check-data checks it."""

from __future__ import annotations

from conftest import lexicons_with_row, run

from kg.extract import extract
from kg.extract.gazetteer import default_gazetteer, words_of
from kg.extract.lexicons import read_tsv
from kg.ingest import Article


def speakers(text: str) -> list[str]:
    return [s.speaker.label_en for s in extract(Article(id="t", text=text, source="t")).statements]


def test_every_spelling_of_a_row_names_its_actor():
    gazetteer = default_gazetteer()
    for row in read_tsv("actors.tsv"):
        for spelling in row[0].split("|"):
            named = gazetteer.lookup(words_of(spelling))
            assert named is not None and named.actor.label_en is not None, spelling
    assert speakers("وقالت حركة طالبان إن مقاتليها سيطروا على المدينة.") == ["Taliban"]


def test_a_row_naming_a_gazetteer_actor_adds_its_spellings_to_it():
    named = default_gazetteer().lookup(words_of("الجزيرة"))
    assert named.actor.iri.endswith("/actor/al-jazeera")
    assert default_gazetteer().lookup(words_of("قناة الجزيرة")).actor.iri == named.actor.iri


def test_kg_check_data_names_a_bad_class(tmp_path):
    lexicons, table, line = lexicons_with_row(tmp_path, "actors.tsv", "جماعة تجريبية\tTest group\tArmedGang\t-")
    result = run("check-data", "--lexicons", str(lexicons), expect=1)
    assert f"{table}:{line}: column 3: 'ArmedGang' is not one of" in result.output


def test_one_row_per_actor():
    """Two rows with one English name would be one actor under two rows: a spelling added to
    one of them is easily missed when the other is read."""
    from collections import Counter

    english = Counter(row[1] for row in read_tsv("actors.tsv"))
    assert [name for name, n in english.items() if n > 1] == []
