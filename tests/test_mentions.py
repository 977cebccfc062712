from kg.extract.gazetteer import default_gazetteer, load_gazetteer
from kg.extract.mentions import find_mentions, proclitic_readings
from kg.text import NormalizedText


def mentions(text: str):
    found = find_mentions(NormalizedText(text), default_gazetteer())
    return [(m.actor.label_en, m.span.text, m.metonym) for m in found]


def test_names_are_found_through_proclitics():
    text = "وقالت الأمم المتحدة إن المساعدات وصلت، ودعت للأمم المتحدة، وبالاتحاد الأوروبي، وطهران."
    assert mentions(text) == [
        ("United Nations", "الأمم المتحدة", False),
        ("United Nations", "للأمم المتحدة", False),
        ("European Union", "الاتحاد الأوروبي", False),
        ("Iran", "طهران", True),
    ]


def test_spelling_variants_fold_through_normalization():
    text = "واتهمت الخارجيه الامريكية دمشق بقصف ادلب، وسوريَة تنفي."
    found = mentions(text)
    assert ("United States Department of State", "الخارجيه الامريكية", False) in found
    assert ("Syria", "دمشق", True) in found
    assert ("Syria", "سوريَة", False) in found


def test_longest_name_wins_and_spans_slice_the_original():
    text = "أكد مجلس الأمن الدولي\u00a0أن وزارة الخارجية الروسية ترفض."
    norm = NormalizedText(text)
    found = find_mentions(norm, default_gazetteer())
    expected = ["United Nations Security Council", "Ministry of Foreign Affairs of Russia"]
    assert [m.actor.label_en for m in found] == expected
    for m in found:
        assert text[m.span.start : m.span.end] == m.span.text


def test_words_of_a_name_must_be_adjacent():
    # "الأمم." then "المتحدة" across a full stop is not the United Nations
    assert mentions("انعقدت الأمم. المتحدة بعد ذلك") == []


def test_a_word_that_only_starts_like_a_proclitic_is_not_stripped():
    assert ("بوتين", 0) in proclitic_readings("بوتين")
    assert mentions("التقى بوتين نظيره") == [("Vladimir Putin", "بوتين", False)]


def test_wikidata_ids_come_with_known_actors_only():
    gaz = default_gazetteer()
    assert gaz.lookup(("روسيا",)).actor.wikidata == "Q159"
    assert gaz.lookup(("علييف",)).actor.wikidata is None  # no verified ID: left out


def test_a_gazetteer_name_claimed_by_two_actors_is_an_error(tmp_path):
    path = tmp_path / "gaz.ttl"
    path.write_text(
        """@prefix ck: <https://w3id.org/conflict-kg/ontology#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <urn:a> a ck:State ; skos:inScheme ck:Gazetteer ; skos:prefLabel "الجزيرة"@ar .
        <urn:b> a ck:Place ; skos:inScheme ck:Gazetteer ; skos:prefLabel "الجزيرة"@ar .""",
        encoding="utf-8",
    )
    try:
        load_gazetteer(path)
    except ValueError as err:
        assert "names both" in str(err)
    else:
        raise AssertionError("expected a ValueError")


def persons(text: str) -> list[str]:
    from kg.extract import extract
    from kg.ingest import Article

    found = extract(Article(id="t", text=text, source="test")).mentions
    return [m.span.text for m in found if m.actor.kind == "Person"]


import pytest  # noqa: E402


@pytest.mark.parametrize("text, expected", [
    ("وأصيب الشاب سامر ناصيف الخطيب بجروح.", ["سامر ناصيف الخطيب"]),
    ("وقتل حمزة دراوشة في القصف.", ["حمزة دراوشة"]),
    ("وقال عبد الكريم خلف إن الهجوم فشل.", ["عبد الكريم خلف"]),
    ("وكان أحمد بن عبد الله الحارثي حاضرا.", ["أحمد بن عبد الله الحارثي"]),
    ("وشكرت نجوى خالد حمد طبيبة العيون زملاءها.", ["نجوى خالد حمد"]),
    ("وأعلن أبو مصعب الهجوم على القاعدة.", ["أبو مصعب"]),  # a kunya, then the news
    ("وقال إن لدينا شرط واحد.", []),  # ل + دينا is "we have"
    ("ونقل محمد إلى المستشفى.", []),  # a given name alone names no one
])
def test_a_person_the_gazetteer_lacks_is_named_from_a_given_name(text, expected):
    assert persons(text) == expected


@pytest.mark.parametrize("text, mali", [
    ("قتل 23 جنديا في مالي.", True),
    ("وأعلنت مالي مقتل جنود.", True),
    ("وزار شمال مالي.", True),
    ("وقدمت الدولة دعم مالي كبير للقطاع.", False),  # "financial"
    ("وتحدث عن عجز مالي في الميزانية.", False),
])
def test_a_state_named_like_an_adjective_is_read_only_where_an_adjective_cannot_stand(text, mali):
    assert any(label == "Mali" for label, _, _ in mentions(text)) == mali


def _extracted(text: str) -> list[tuple[str | None, str]]:
    from kg.extract import extract
    from kg.ingest import Article

    return [(m.actor.label_en, m.span.text) for m in extract(Article(id="t", text=text, source="t")).mentions]


def test_the_state_a_longer_name_ends_on_is_named_too():
    found = _extracted("وكانت بعثة الأمم المتحدة في ليبيا قد دعت إلى الهدوء، وكشفت حصيلة لجيش مالي عن مقتل 17.")
    assert ("Libya", "ليبيا") in found and ("Mali", "مالي") in found
    assert sum(1 for label, _ in found if label == "Libya") == 1


def test_which_heads_name_a_state_body_is_data(tmp_path):
    """Column 4 `state` of lexicons/actor_heads.tsv marks the heads of a state's own bodies
    (جيش مالي، الجيش الروسي), read by both finders; a misspelt mark fails kg check-data."""
    from conftest import lexicons_with_row, run

    from kg.extract.lexicons import state_body_heads

    heads = state_body_heads()
    assert {"جيش": "ArmedForces", "الجيش": "ArmedForces", "حكومه": "GovernmentBody"}.items() <= heads.items()
    assert "وزاره" not in heads
    lexicons, table, number = lexicons_with_row(tmp_path, "actor_heads.tsv", "أسطول\tArmedForces\t\tstat")
    result = run("check-data", "--lexicons", str(lexicons), expect=1)
    assert f"{table}:{number}: column 4: 'stat' is not one of state" in result.output


def test_a_group_or_body_named_after_a_place_does_not_name_the_place():
    """قوات سوريا الديمقراطية is a group's name; أوروبا in منظمة الأمن والتعاون في أوروبا is part
    of the organization's; جبهة تيغراي is the front, not the region; a person is not a place."""
    found = _extracted("وقالت قوات سوريا الديمقراطية إن منظمة الأمن والتعاون في أوروبا وجبهة تيغراي "
                       "رحبتا بزيارة الرئيس النيجيري محمد بخاري.")
    labels = {label for label, _ in found}
    assert not labels & {"Syria", "Europe", "Tigray Region", "Bukhara"}


def test_a_name_without_the_state_it_had_before_is_the_same_actor():
    text = ("أعلنت وزارة الصحة السودانية مقتل 5 أشخاص. وقالت وزارة الصحة إن الوضع خطير. "
            "وأفادت وزارة الصحة في غزة بمقتل شخص. وقالت وزارة الصحة إن الوضع خطير.")
    from kg.extract import extract
    from kg.ingest import Article

    speakers = [s.speaker.label_en for s in extract(Article(id="t", text=text, source="t")).statements]
    assert speakers == ["Ministry of Health (Sudan)"] * 2 + ["Gaza Health Ministry"] * 2


def test_a_rank_right_before_a_name_is_part_of_the_mention_not_of_the_name():
    from kg.extract import extract
    from kg.ingest import Article

    found = extract(Article(id="t", text="قال العميد عبد الكريم الجبوري إن خمسة قتلوا.", source="t")).mentions
    person = next(m for m in found if m.actor.kind == "Person")
    assert (person.span.text, person.actor.label_ar) == ("العميد عبد الكريم الجبوري", "عبد الكريم الجبوري")


def test_an_indefinite_head_and_a_state_name_that_states_body():
    """حكومة إثيوبيا، جيش السودان: the state's government or army, and the state named inside it."""
    found = _extracted("وقالت حكومة إثيوبيا إن الهدنة صامدة، ونفت حكومة الوفاق ذلك.")
    assert ("Government of Ethiopia", "حكومة إثيوبيا") in found and ("Ethiopia", "إثيوبيا") in found
    assert [text for label, text in found if label == "Government of Ethiopia"] == ["حكومة إثيوبيا"]


def test_a_capital_in_a_dateline_or_as_a_destination_is_the_city():
    """مقديشو- تشير التقارير …، وصل الوفد إلى جوبا: the cities; قالت موسكو: the state."""
    found = _extracted("مقديشو- تشير التقارير إلى استمرار المعارك.\n"
                       "ووصل الوفد إلى جوبا، وقالت موسكو إن المحادثات مستمرة.")
    assert ("Mogadishu", "مقديشو") in found and ("Juba", "جوبا") in found and ("Russia", "موسكو") in found


def test_a_state_named_as_a_side_by_its_adjective():
    """الجانب الصيني، الطرف الإسرائيلي: the state; الجانب الآخر: no one."""
    found = _extracted("وتم الاتفاق بوساطة من الجانب الصيني. وقال الطرف الإسرائيلي والجانب الآخر إن الهدنة صامدة.")
    assert ("China", "الجانب الصيني") in found and ("Israel", "الطرف الإسرائيلي") in found
    assert not any("الآخر" in text for _, text in found)


def test_a_head_and_a_state_that_a_name_goes_on_after_is_that_name():
    """جيش لبنان الجنوبي is the South Lebanon Army, not Lebanon's army."""
    found = _extracted("وقال جيش لبنان الجنوبي إن الوضع هادئ.")
    assert not any(label and label.startswith("Lebanese Armed") for label, _ in found)
