"""Mediation on sentences from conflicts other than the seeds'."""

from extraction_helpers import mediations


def test_brokered_ceasefire_by_a_named_state():
    text = "توصل الطرفان إلى اتفاق لوقف إطلاق النار في السودان بوساطة السعودية."
    assert mediations(text) == [("Saudi Arabia", "brokered_ceasefire")]


def test_brokered_by_a_state_named_by_its_adjective():
    assert mediations("أعلنت الأطراف اليمنية هدنة جديدة بوساطة عمانية.") == [("Oman", "brokered_ceasefire")]


def test_brokered_needs_an_agreement_in_the_sentence():
    assert mediations("وصلت المساعدات إلى غزة برعاية مصر.") == []


def test_call_for_ceasefire_and_call_for_talks():
    assert mediations("ودعا الأمين العام للأمم المتحدة أنطونيو غوتيريش إلى وقف فوري لإطلاق النار في غزة.") == [
        ("António Guterres", "call_for_ceasefire")
    ]
    assert mediations("وطالب الاتحاد الأوروبي الطرفين الليبيين بالعودة إلى طاولة المفاوضات.") == [
        ("European Union", "call_for_talks")
    ]


def test_the_first_cue_decides_between_ceasefire_and_talks():
    text = "ودعت قطر إلى وقف القتال والعودة إلى الحوار."
    assert mediations(text) == [("Qatar", "call_for_ceasefire")]


def test_offer_to_mediate():
    text = "عرض الرئيس التركي رجب طيب أردوغان استضافة محادثات سلام بين روسيا وأوكرانيا في إسطنبول."
    assert mediations(text) == [("Recep Tayyip Erdoğan", "offer_to_mediate")]


def test_hosts_named_before_the_verb():
    text = "وكانت الولايات المتحدة والسعودية قد استضافتا محادثات بين الجيش والدعم السريع في جدة."
    assert mediations(text) == [("United States", "hosted_talks"), ("Saudi Arabia", "hosted_talks")]


def test_a_side_of_the_fighting_is_not_a_mediator():
    text = (
        "وقال الجيش السوداني إنه صد هجوما على الفاشر. "
        "ودعت الحكومة السودانية قوات الدعم السريع إلى وقف إطلاق النار."
    )
    assert mediations(text) == []


def test_a_call_to_surrender_is_not_mediation():
    assert mediations("ودعت قوات الدعم السريع جنود الجيش إلى الاستسلام وتسليم أسلحتهم.") == []


def test_mediators_named_by_their_adjective_both_of_two():
    found = mediations("ونجحت الوساطة التركية الروسية في تثبيت الهدنة.")
    assert sorted(m for m, _ in found) == ["Russia", "Turkey"]
    assert [m for m, _ in mediations("وأعرب الوسطاء الأميركيون عن أملهم في هدنة.")] == ["United States"]


def test_an_unnamed_source_is_never_a_mediator():
    assert mediations("وقال مصدر حكومي إنه يجب العودة إلى الحوار.") == []
    assert mediations("ودعا مصدر دبلوماسي إلى وقف إطلاق النار.") == []


def test_a_state_where_the_dead_fell_is_a_side_even_when_named_as_the_place():
    text = ("سقط 30 قتيلا، 20 في كينيا و10 في الصومال. "
            "وقال وزير الخارجية الكيني أحمد سالم إنه يجب وقف إطلاق النار فورا.")
    assert mediations(text) == []


def test_a_person_with_the_title_of_mediator_is_the_mediator_not_their_state():
    assert mediations("وقال وسيط الاتحاد الأفريقي أولوسيغون أوباسانجو إن الطرفين وقعا الاتفاق.") == [
        ("Olusegun Obasanjo", "brokered_ceasefire")]
    assert mediations("وصل الوسيط الأمريكي آموس هوكستين إلى بيروت.") == [("Amos Hochstein", "brokered_ceasefire")]


def test_mediators_joined_through_an_office():
    text = ("وصمد وقف إطلاق النار الذي ساعد الرئيس الأمريكي دونالد ترامب ورئيس الوزراء الماليزي أنور إبراهيم "
            "في التوصل إليه.")
    assert mediations(text) == [("Donald Trump", "brokered_ceasefire"), ("Anwar Ibrahim", "brokered_ceasefire")]


def test_stressing_the_importance_of_dialogue_is_a_call_for_talks():
    assert mediations("وشدد بلينكن على أهمية الحوار لحل النزاع.") == [("Antony Blinken", "call_for_talks")]


def test_a_third_party_hoping_for_a_ceasefire_calls_for_one():
    assert mediations("وأعربت ماليزيا عن أملها في التوصل إلى وقف دائم لإطلاق النار.") == [
        ("Malaysia", "call_for_ceasefire")]
    assert mediations("ونجحت الوساطات المصرية والقطرية في تثبيت الهدنة.") == [
        ("Egypt", "brokered_ceasefire"), ("Qatar", "brokered_ceasefire")]


def test_a_call_to_stop_any_form_of_fighting_is_a_call_for_ceasefire():
    """A stop word and what is fought, with words between (mediation_cues.tsv stop/fighting)."""
    assert mediations("ودعا الاتحاد الأوروبي إلى وقف فوري لأعمال العنف في جنوب السودان.") == [
        ("European Union", "call_for_ceasefire")]
    assert mediations("وطالبت قطر بإنهاء كل أشكال القتال.") == [("Qatar", "call_for_ceasefire")]
    assert mediations("ودعت قطر إلى وقف الاستيطان.") == []


def test_every_sponsor_of_an_agreement_is_a_mediator():
    text = "وكانت الأطراف قد وقعت برعاية الجزائر والأمم المتحدة إعلانا يلحظ وقفا فوريا لكل أشكال العنف."
    assert mediations(text) == [("Algeria", "brokered_ceasefire"), ("United Nations", "brokered_ceasefire")]


def test_a_call_for_restraint_is_a_call_for_ceasefire():
    assert mediations("وحثت ماليزيا كلا من تايلند وكمبوديا على ضبط النفس.") == [("Malaysia", "call_for_ceasefire")]


def test_a_call_reported_by_someone_else_is_the_callers():
    """قال المتحدث إن X دعا…: the call is X's, not the spokesperson's; so is a call after a colon,
    and a call made jointly (X وY تحثان)."""
    text = "وقال المتحدث باسم الخارجية الأمريكية إن الأمين العام للأمم المتحدة أنطونيو غوتيريش دعا إلى وقف القتال."
    assert mediations(text) == [("António Guterres", "call_for_ceasefire")]
    text = "وأضاف المتحدث: \"تحث تركيا وقطر الطرفين على العودة إلى طاولة المفاوضات\"."
    assert mediations(text) == [("Turkey", "call_for_talks"), ("Qatar", "call_for_talks")]
    text = "وقال المتحدث باسم الاتحاد الأوروبي إن الاتحاد يدعو إلى وقف إطلاق النار في السودان."
    assert mediations(text) == [("European Union", "call_for_ceasefire")]


def test_a_call_in_a_participle_clause_is_a_mediation_of_its_own():
    """…، داعيا إلى الحوار: the clause after a statement calls for talks, the statement's speaker's call."""
    text = "وأكد المبعوث الأممي هانس غروندبرغ أهمية حماية المدنيين في اليمن، داعيا إلى استئناف المفاوضات بين الطرفين."
    assert mediations(text) == [("Hans Grundberg", "call_for_talks")]
    assert mediations("وأكد المبعوث الأممي هانس غروندبرغ أهمية حماية المدنيين في اليمن.") == []
