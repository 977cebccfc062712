"""Casualty claims on sentences from conflicts other than the seeds'."""

import pytest
from extraction_helpers import claims, name, run


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قتل 12 شخصا في قصف على حلب.", [("killed", 12, "exact", "people")]),
        ("أعلنت الوزارة مقتل ٤٥ فلسطينيا في غزة.", [("killed", 45, "exact", "people")]),
        ("ارتفعت حصيلة القتلى إلى 68,280 شخصا.", [("killed", 68280, "exact", "people")]),
        ("ارتفعت حصيلة القتلى إلى ٦٨٬٢٨٠ شخصا.", [("killed", 68280, "exact", "people")]),
        ("أسفر الهجوم عن مقتل ثلاثة أطفال.", [("killed", 3, "exact", "children")]),
        ("أسفرت المعارك عن نزوح 7 آلاف شخص.", [("displaced", 7000, "exact", "people")]),
        ("أكدت الأمم المتحدة نزوح ألفي شخص من المدينة.", [("displaced", 2000, "exact", "people")]),
        ("قتل ثلاثة وعشرون مقاتلا في المعارك.", [("killed", 23, "exact", "military")]),
        ("أعلن الجيش سقوط قتيلين في صفوفه.", [("killed", 2, "exact", "people")]),
        ("أصيب جنديان في انفجار عبوة ناسفة.", [("injured", 2, "exact", "military")]),
        ("أعلنت الشرطة وفاة مواطن متأثرا بجراحه.", [("killed", 1, "exact", "civilians")]),
        ("أكدت مصادر طبية مقتل جندي في الاشتباكات.", [("killed", 1, "exact", "military")]),
        ("يقدر عدد النازحين بنحو 270 000 شخص.", [("displaced", 270000, "approx", "people")]),
        ("وأدت المعارك إلى نزوح مليوني شخص.", [("displaced", 2000000, "exact", "people")]),
        ("وتسببت الاشتباكات في تشريد نصف مليون شخص.", [("displaced", 500000, "exact", "people")]),
        ("وأدت الحرب إلى نزوح 1,8 مليون شخص.", [("displaced", 1800000, "exact", "people")]),
        ("وتسببت المعارك في نزوح ٢٫٥ مليون شخص.", [("displaced", 2500000, "exact", "people")]),
        ("واستشهد شابان برصاص الاحتلال.", [("killed", 2, "exact", "people")]),
        ("أسفر الهجوم عن مقتل 43 مصليا.", [("killed", 43, "exact", "civilians")]),
        ("ارتفعت الحصيلة إلى 52 ألفا و314 شهيدا.", [("killed", 52314, "exact", "people")]),
        ("نزح 3 آلاف وخمسمئة شخص.", [("displaced", 3500, "exact", "people")]),
        ("قتل 12 ألف شخص و3 آلاف جريح.", [("killed", 12000, "exact", "people"), ("injured", 3000, "exact", "people")]),
        ("وقضى 10 أشخاص في القصف.", [("killed", 10, "exact", "people")]),
        ("قتل 9 مدنيين، بينهم طفلة، في القصف.",
         [("killed", 9, "exact", "civilians"), ("killed", 1, "exact", "children")]),
        ("وقال إن الغارة حصدت 11 مدنيا.", [("killed", 11, "exact", "civilians")]),
        ("أسفر القصف عن مقتل 30 والمصابين بالعشرات.",
         [("killed", 30, "exact", "people"), ("injured", None, "approx", "people")]),
    ],
)
def test_numbers_in_every_form(text, expected):
    assert claims(text) == expected


@pytest.mark.parametrize(
    ("phrase", "qualifier"),
    [
        ("أكثر من 40 مدنيا", "at_least"),
        ("ما لا يقل عن 40 مدنيا", "at_least"),
        ("40 مدنيا على الأقل", "at_least"),
        ("ما يصل إلى 40 مدنيا", "at_most"),
        ("نحو 40 مدنيا", "approx"),
        ("قرابة 40 مدنيا", "approx"),
        ("حوالي 40 مدنيا", "approx"),
        ("ما يقرب من 40 مدنيا", "approx"),
    ],
)
def test_qualifiers(phrase, qualifier):
    assert claims(f"قتل {phrase} في الغارات.") == [("killed", 40, qualifier, "civilians")]


def test_a_figure_including_a_subset_is_two_claims():
    text = "وأعلن المتحدث مقتل 27 شخصا في القصف، بينهم طفلان، وإصابة أكثر من 60 آخرين."
    assert claims(text) == [
        ("killed", 27, "exact", "people"),
        ("killed", 2, "exact", "children"),
        ("injured", 60, "at_least", "people"),
    ]


def test_coordinated_figures_share_their_noun_and_kind():
    assert claims("أعلن الجيش مقتل 120 وإصابة 300 مسلح من المتمردين.") == [
        ("killed", 120, "exact", "military"),
        ("injured", 300, "exact", "military"),
    ]
    assert claims("أسفر الانفجار عن مقتل خمسة جنود ومدنيين اثنين.") == [
        ("killed", 5, "exact", "military"),
        ("killed", 2, "exact", "civilians"),
    ]


def test_others_are_counted_like_the_figure_before():
    assert claims("أعلن الجيش مقتل 15 من عناصر الحركة وأسر ثلاثة آخرين.") == [
        ("killed", 15, "exact", "military"),
        ("captured", 3, "exact", "military"),
    ]


def test_an_elided_noun_counts_people_next_to_a_figure_about_people():
    assert claims("أعلن الإسعاف مقتل 12 شخصا وإصابة أكثر من 50 في الاشتباكات.") == [
        ("killed", 12, "exact", "people"),
        ("injured", 50, "at_least", "people"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "دمر الجيش 20 مركبة عسكرية و200 دبابة.",
        "سيطرت القوات على 60 موقعا في المنطقة.",
        "تقدمت القوات مسافة 120 كلم داخل الإقليم.",
        "رصدت الحكومة 50 مليون دولار للإغاثة.",
        "وقع الهجوم في 10 تشرين الثاني 2020 قرب الحدود.",
        "نُشر الخبر في ٢٥ / ديسمبر / ٢٠٢٤ على الموقع.",
        "استخدمت قذائف هاون من عيار 82 و120 ملم.",
        "شمل القصف 16 قرية في ريف إدلب.",
        "أرسلت الحكومة 500 جندي إلى الحدود.",
        "نشر الجيش الروسي 600 جندي إضافي قرب خاركيف.",
        "أسقطت الدفاعات الجوية 47 طائرة مسيرة.",
        "دمرت الغارات عشرات المباني.",
    ],
)
def test_never_a_casualty(text):
    assert claims(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قتل عشرات المدنيين في القصف.", [("killed", None, "approx", "civilians")]),
        ("أسفر الهجوم عن مقتل العشرات.", [("killed", None, "approx", "people")]),
        ("تسببت المعارك في نزوح مئات الآلاف من منازلهم.", [("displaced", None, "approx", "people")]),
    ],
)
def test_vague_amounts_are_claims_without_a_count(text, expected):
    assert claims(text) == expected


def test_the_same_figure_repeated_is_one_claim_with_several_spans():
    text = "الصحة: 33 قتيلا في غارات على رفح\n\nأعلنت وزارة الصحة مقتل 33 شخصا في غارات على رفح.\n\n33 قتيلا في رفح"
    found = run(text).casualties
    killed_33 = [c for c in found if c.count == 33]
    assert len(killed_33) <= 2
    assert sum(len(c.evidence) for c in killed_33) == 3


def test_conflicting_figures_from_different_claimants_stay_apart():
    text = (
        "قالت وزارة الصحة السودانية إن 27 شخصا قتلوا في القصف. "
        "ونفت قوات الدعم السريع ذلك، وقالت قوات الدعم السريع إن 3 أشخاص قتلوا فقط."
    )
    found = {(c.count, c.claimant.label_ar if c.claimant else None) for c in run(text).casualties}
    assert (27, "وزارة الصحة السودانية") in found
    assert (3, "قوات الدعم السريع") in found


def test_every_evidence_span_slices_the_original_text():
    text = "أعلنت الوزارةُ مقتلَ ثلاثةٍ وعشرين شخصاً، بينهم طفلان، في غاراتٍ على خانْ يونس."
    for claim in run(text).casualties:
        for span in claim.evidence:
            assert text[span.start : span.end] == span.text


def test_figures_with_the_noun_of_their_verb_or_a_nation_after_them():
    from kg.extract import extract
    from kg.ingest import Article

    def claims(text):
        return [(c.kind, c.count, c.victims) for c in extract(Article("t", text, "t")).casualties]

    assert claims("ولقي 12 حتفهم في الهجوم.") == [("killed", 12, "people")]
    assert claims("وأصيب 18 بجروح.") == [("injured", 18, "people")]
    assert claims("إجلاء أكثر من 400 ألف تايلاندي.") == [("evacuated", 400000, "people")]
    assert claims("عن مقتل 1280 وجرح 2700 جندي أذربيجاني") == [("killed", 1280, "military"),
                                                              ("injured", 2700, "military")]


def test_one_of_is_a_figure_of_one():
    assert claims("أدى الانفجار إلى مقتل أحد المارة.") == [("killed", 1, "exact", "people")]
    assert claims("وأسفر القصف عن مقتل أحد عناصر الشرطة.") == [("killed", 1, "exact", "police")]
    assert claims("قتل أحد عشر شخصا في الهجوم.") == [("killed", 11, "exact", "people")]


def test_a_singular_or_dual_noun_then_its_verb():
    assert claims("وقال الجيش إن شخصين قتلا في الهجوم.") == [("killed", 2, "exact", "people")]
    assert claims("وقال إن جنديين أصيبا في القصف.") == [("injured", 2, "exact", "military")]
    assert claims("وأكد البيان أن جنديا أميركيا قتل في الانفجار.") == [("killed", 1, "exact", "military")]
    assert claims("وقال إن جنديا عاد إلى قاعدته.") == []


def test_people_named_as_passers_by_relatives_or_security_men():
    assert claims("مقتل ثلاثة أشقاء في القصف.") == [("killed", 3, "exact", "people")]
    assert claims("قتل رجل أمن في الهجوم.") == [("killed", 1, "exact", "police")]


def test_a_singular_victim_joined_to_the_victims_named_is_one_more_claim():
    assert claims("وأعلنت الوزارة مقتل جنديين ومدني في هجوم.") == [
        ("killed", 2, "exact", "military"), ("killed", 1, "exact", "civilians")]
    assert ("killed", 1, "exact", "children") not in claims("وقتلت امرأة وطفلاها في الغارة.")  # her two children


def test_figures_according_to_unnamed_data_have_that_source():
    found = run("وقتل 7 أشخاص، وفق معطيات فلسطينية رسمية.").casualties
    assert [c.claimant.label_ar if c.claimant else None for c in found] == ["معطيات فلسطينية رسمية"]


def test_bodies_counted_are_people_killed():
    assert claims("وارتفع العدد إلى 52 جثة عثر عليها خلال الشهر.") == [("killed", 52, "exact", "people")]


def test_missing_and_lost_lives_are_told_apart():
    assert claims("وفقد 30 آخرون.") == [("missing", 30, "exact", "people")]
    assert claims("فقد 3 أشخاص حياتهم.") == [("killed", 3, "exact", "people")]
    assert claims("فقد قتل 5 أشخاص في الهجوم.") == [("killed", 5, "exact", "people")]  # فـ + قد, not lost


def test_a_day_of_the_month_in_a_toll_is_not_its_figure():
    assert claims("وقد ارتفعت حصيلة الشهداء منذ 7 أكتوبر 2023 إلى 57,680 شهيدا.") == [
        ("killed", 57680, "exact", "people")]


def test_according_to_a_name_that_refers_back():
    """ووفق المرصد، after المرصد السوري لحقوق الإنسان: the figure is the Observatory's."""
    found = run("قال المرصد السوري لحقوق الإنسان إن الاشتباكات مستمرة. ووفق المرصد، قتل 5 أشخاص.").casualties
    assert [(c.count, name(c.claimant)) for c in found] == [(5, "Syrian Observatory for Human Rights")]


def test_some_of_a_group_after_a_trigger_or_joined_to_a_figure():
    """قتلت القوات 4 من المتهمين: four people; 46 طفلا و20 من النساء: twenty more; but سبعة من
    الشرطة followed by إصابة is not said to be injured, and 4 من المنازل is no one."""
    assert claims("قتلت القوات 4 من المتهمين.") == [("killed", 4, "exact", "people")]
    assert ("killed", 20, "exact", "people") in claims("واستشهد 46 طفلا و20 من النساء.")
    assert claims("ودمرت الغارات 4 من المنازل.") == []


def test_a_percentage_or_a_word_built_on_million_is_no_figure():
    """مقتل 13%: a share, not thirteen people; 1,2 مليونية is no count in millions."""
    assert claims("وأسفر القصف عن مقتل 13%.") == []
    assert claims("وشارك 1,2 مليونية في المظاهرات.") == []
