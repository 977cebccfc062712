"""lexicons/actors.tsv: actors beyond the gazetteer, one row each, every spelling read; a
row naming a gazetteer actor adds its spellings to that actor; kg check-data checks it."""

from __future__ import annotations

from collections import Counter

from conftest import lexicons_with_row, run
from rdflib import SDO

from kg.extract import extract
from kg.extract.gazetteer import _wikidata_countries, default_gazetteer, fold, verified_qids, words_of
from kg.extract.lexicons import read_tsv
from kg.graph import article_graph
from kg.ingest import Article


def speakers(text: str) -> list[str]:
    return [s.speaker.label_en for s in extract(Article(id="t", text=text, source="t")).statements]


def test_every_spelling_of_a_row_names_its_actor():
    """No spelling names two actors: one that an earlier entry (the gazetteer, a state, a
    row above) already uses would silently name that one instead."""
    gazetteer = default_gazetteer()
    for row in read_tsv("actors.tsv"):
        for spelling in row[0].split("|"):
            named = gazetteer.lookup(words_of(spelling))
            assert named is not None and fold(named.actor.label_en or "") == fold(row[1]), (spelling, row[1])
    assert speakers("وقالت حركة طالبان إن مقاتليها سيطروا على المدينة.") == ["Taliban"]


def test_no_two_actors_share_a_wikidata_id_and_each_id_has_its_evidence():
    actors = {name.actor.iri: name.actor for name in default_gazetteer().names.values()}
    by_qid = Counter(actor.wikidata for actor in actors.values() if actor.wikidata)
    assert [qid for qid, n in by_qid.items() if n > 1] == []
    evidenced = set(verified_qids().values()) | {row["qid"] for row in _wikidata_countries()}
    assert sorted(set(by_qid) - evidenced) == []


def test_a_persons_offices_reach_the_graph_as_an_english_job_title():
    row = next(row for row in read_tsv("actors.tsv") if row[2] == "Person" and row[4:5] not in ([], ["-"]))
    text = f"وقال {row[0].split('|')[0]} إن المحادثات ستستأنف."
    graph = article_graph(extract(Article(id="t", text=text, source="t")))
    titles = {(str(o), o.language) for o in graph.objects(None, SDO.jobTitle)}
    assert (row[4], "en") in titles


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
    english = Counter(row[1] for row in read_tsv("actors.tsv"))
    assert [name for name, n in english.items() if n > 1] == []


def test_a_ministry_named_inside_an_office_is_the_office_not_the_ministry():
    assert speakers("ووصفت وزيرة الخارجية الفرنسية كاثرين كولونا العملية بأنها غير شرعية.") == ["Catherine Colonna"]
    assert speakers("وقالت الخارجية الفرنسية إن الوضع خطير.") == ["Ministry for Europe and Foreign Affairs"]
