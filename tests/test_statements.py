"""Who said what, on sentences from conflicts other than the seeds'."""

import pytest
from extraction_helpers import name, run, statements

from kg.extract import extract
from kg.ingest import Article


def test_verb_first_with_an_institution_unknown_to_the_gazetteer():
    assert statements("قالت وزارة الزراعة السودانية إن القصف استهدف سوقا شعبيا.") == [
        ("وزارة الزراعة السودانية", "announce")
    ]


def test_title_and_name_apposition_gives_the_person_and_keeps_the_title():
    found = run("وقال وزير الخارجية السوداني علي الصادق إن الحكومة لن تفاوض.").statements
    assert [(name(s.speaker), s.speaker.kind, s.speaker.role) for s in found] == [
        ("علي الصادق", "Person", "وزير الخارجية السوداني")
    ]


def test_name_after_a_comma_following_the_title():
    assert statements("أعلن نائب رئيس الوزراء الأوكراني، أولغا ستيفانيشينا، عن إجلاء السكان.")[0][0] == (
        "أولغا ستيفانيشينا"
    )


def test_speaker_before_the_verb():
    assert statements("لكن دمشق قالت إن الغارات استهدفت مواقع للمسلحين.") == [("Syria", "assert")]


def test_continuation_verbs_refer_back_with_gender_agreement():
    text = (
        "قال المتحدث باسم الجيش السوداني نبيل عبد الله إن قواته صدت الهجوم. "
        "وأضاف أن المعارك مستمرة في الفاشر. "
        "وأعلنت الأمم المتحدة تعليق عملياتها. "
        "وأشارت إلى أن الوضع الإنساني كارثي."
    )
    assert statements(text) == [
        ("Sudanese Armed Forces", "announce"),  # its spokesperson speaks for it (tests/gold/SCHEMA.md: via)
        ("Sudanese Armed Forces", "assert"),
        ("United Nations", "announce"),
        ("United Nations", "assert"),
    ]


def test_a_spokesperson_relays_the_body_it_speaks_for():
    for text in ("وقال المتحدث باسم الجيش السوداني نبيل عبد الله إن قواته صدت الهجوم.",
                 "وقال نبيل عبد الله المتحدث باسم الجيش السوداني إن قواته صدت الهجوم."):
        found = extract(Article(id="t", text=text, source="t")).statements
        assert [(s.speaker.label_en, s.via.label_ar, s.rule.rsplit("/", 1)[1]) for s in found] == [
            ("Sudanese Armed Forces", "نبيل عبد الله", "spokesperson")], text
    official = "وقال الناطق الرسمي باسم الجيش السوداني نبيل عبد الله إن قواته صدت الهجوم."
    assert [s.speaker.label_en for s in extract(Article(id="t", text=official, source="t")).statements] == [
        "Sudanese Armed Forces"]


def test_a_participle_continues_the_statement_of_its_sentence():
    found = statements("ندد الاتحاد الأوروبي بالغارات على خان يونس، مطالبا بحماية المدنيين.")
    assert found == [("European Union", "condemn")]


def test_capitals_stand_for_their_states():
    assert statements("وأعلنت القاهرة رفضها لأي تهجير قسري.") == [("Egypt", "announce")]
    assert statements("ونفت الخرطوم الاتهامات.") == [("Sudan", "deny")]


def test_joint_statement_gives_one_statement_per_speaker():
    text = "ودعا الرئيس الأمريكي جو بايدن والرئيس الفرنسي إيمانويل ماكرون إلى هدنة فورية."
    assert statements(text) == [("Joe Biden", "call"), ("Emmanuel Macron", "call")]


def test_the_name_after_a_calling_verb_is_the_addressee_mid_statement():
    text = "وقال الأمين العام للأمم المتحدة أنطونيو غوتيريش إن الوضع لا يحتمل، ودعا إسرائيل إلى وقف القصف."
    # after a comma, ودعا is a statement of its own (as the seeds' gold counts نفت …، وطلبت …);
    # إسرائيل is who is called on, not a speaker
    assert statements(text) == [("António Guterres", "assert"), ("António Guterres", "call")]


def test_relay_by_an_agency():
    found = run("وقال الجيش السوداني إنه استعاد السيطرة على المدينة، بحسب وكالة رويترز.").statements
    assert [(name(s.speaker), s.speaker.label_ar, name(s.via)) for s in found] == [
        ("Sudanese Armed Forces", "الجيش السوداني", "Reuters")
    ]


def test_an_army_named_two_ways_is_one_actor():
    text = "وقال الجيش الإسرائيلي إنه قصف مواقع في الجنوب. وأعلنت القوات الإسرائيلية اعتقال 11 شخصا."
    speakers = {s.speaker.iri for s in run(text).statements}
    assert speakers == {"https://w3id.org/conflict-kg/id/actor/israel-defense-forces"}
    text = "وقال الجيش السوداني إنه صد الهجوم. وأعلنت القوات السودانية استعادة المدينة."
    assert {s.speaker.label_en for s in run(text).statements} == {"Sudanese Armed Forces"}


def test_quoted_by_an_agency_from_a_speaker():
    found = run("ونقلت رويترز عن وزارة الخارجية الروسية تحذيرها من التصعيد في المنطقة.").statements
    assert [(name(s.speaker), s.kind, name(s.via)) for s in found] == [
        ("Ministry of Foreign Affairs of Russia", "warn", "Reuters")
    ]


def test_talking_with_someone_is_not_a_statement():
    assert statements("تحدث وزير الخارجية الأمريكي أنتوني بلينكن مع نظيره القطري.") == []


def test_a_noun_after_a_preposition_is_not_a_reporting_verb():
    assert statements("وفي رد على سؤال عن المفاوضات، لم يصدر أي تعليق.") == []


def test_a_name_nobody_knows_between_the_verb_and_its_complementizer_is_a_person():
    from kg.extract import extract
    from kg.ingest import Article

    def speakers(text):
        return [(s.speaker.label_ar, s.speaker.kind) for s in extract(Article("t", text, "t")).statements]

    assert speakers("وقال خليل إن الهجوم وقع فجرا.") == [("خليل", "Person")]
    assert speakers("وأضاف عبد الستار أن القوات انسحبت.") == [("عبد الستار", "Person")]
    assert speakers("نشرت الوزارة بيانا قالت فيه إن العملية انتهت.") == []
    assert speakers("وقال أمس إن القصف استمر.") == []


def test_the_outlet_a_speaker_spoke_to_relays_the_statement():
    for text, outlet in (("وقال شهود عيان لرويترز إن القصف استمر.", "Reuters"),
                         ("وقال مصدر حكومي لـ«فرانس برس» إن الوفد غادر.", "Agence France-Presse"),
                         ("وقال ضابط الشرطة محمد طاهر لوكالة الأنباء الألمانية إن مقاتلين هاجموا المبنى.",
                          "Deutsche Presse-Agentur")):
        found = extract(Article(id="t", text=text, source="t")).statements
        assert [s.via.label_en for s in found] == [outlet], text


def test_a_sentence_a_source_is_named_for_is_its_announcement():
    text = "وأجبر القصف السكان على مغادرة منازلهم في خوست، وفقا لمسؤول أفغاني، دون الإبلاغ عن خسائر."
    found = run(text).statements
    assert [(name(s.speaker), s.kind, s.rule.rsplit("/", 1)[-1]) for s in found] == [
        ("مسؤول أفغاني", "announce", "according-to")]
    # a medium named as the source relays, it does not speak
    assert statements("وقتل 12 شخصا في القصف، بحسب وكالة رويترز.") == []


def test_the_author_of_a_statement_issued_by_a_body_and_a_subject_after_a_pronoun():
    assert statements("حسبما أفاد بيان صادر عن وزارة النقل الأردنية.") == [("وزارة النقل الأردنية", "announce")]
    assert statements("ارتفعت الحصيلة إلى 78 قتيلا، حسب ما أعلنت عنه وزارة الإسكان الليبية.") == [
        ("وزارة الإسكان الليبية", "announce")]


def test_an_unnamed_spokesperson_and_one_named_after_the_body_speak_for_it():
    text = ("أعلنت وزارة الدفاع مقتل جنديين. وقال متحدث باسم الوزارة إن الهجوم فشل. "
            "وقال المتحدث باسم الوزارة أحمد سالم إن القوات تقدمت.")
    found = run(text).statements
    assert [(name(s.speaker), s.rule.rsplit("/", 1)[-1]) for s in found] == [
        ("وزارة الدفاع", "subject-after-verb"), ("وزارة الدفاع", "spokesperson"), ("وزارة الدفاع", "spokesperson")]
    assert name(found[2].via) == "أحمد سالم"


def test_what_was_said_may_follow_a_quote_mark_an_adverb_or_the_outlet_told():
    text = ("قالت وزارة الصحة الموريتانية إن المستشفيات ممتلئة. "
            "وأضافت “نحتاج إلى أدوية عاجلة”. "
            "وأشارت خصوصا إلى نقص الوقود. "
            "وأكدت لوكالة فرانس برس أنها طلبت المساعدة.")
    assert [speaker for speaker, _ in statements(text)] == ["وزارة الصحة الموريتانية"] * 4


def test_a_complementizer_with_any_pronoun_opens_what_was_said():
    text = "وقالت حركة النهضة إن عضوين قتلا. وأضافت أنهما كانا في طريقهما إلى المسجد."
    assert statements(text) == [("حركة النهضة", "announce"), ("حركة النهضة", "assert")]


def test_verbs_that_report_only_when_what_was_said_or_a_toll_follows():
    assert statements("قال وزير الدفاع الكيني أحمد سالم إن الوضع هادئ. وتابع: القوات مستعدة.") == [
        ("أحمد سالم", "assert"), ("أحمد سالم", "assert")]
    assert statements("وتابع الجيش عملياته في الإقليم.") == []
    assert statements("ورفعت وزارة الصحة الكينية حصيلة القتلى إلى 14.") == [("وزارة الصحة الكينية", "announce")]
    found = run("ورفع المتظاهرون لافتات كتب عليها شعارات. وكتب على أخرى «لا للحرب».")
    assert found.statements == [] and found.mentions == []


def test_a_name_in_quote_marks_after_the_verb_is_its_subject():
    text = "قال الناطق باسم الجيش الكيني أحمد سالم إن قواته تقدمت. وقال “حزب الله” إنه لم يشارك."
    assert [speaker for speaker, _ in statements(text)][-1] == "Hezbollah"


def test_a_spokespersons_body_goes_on_speaking_in_his_gender():
    text = "وقال المتحدث باسم المنظمة الدولية للهجرة أحمد سالم إن الآلاف نزحوا. وأضاف أن المخيمات ممتلئة."
    assert [speaker for speaker, _ in statements(text)] == ["International Organization for Migration"] * 2


def test_a_titled_person_belongs_to_the_state_the_office_names():
    for text in ("قال وزير الخارجية الكيني أحمد سالم إن المحادثات مستمرة.",
                 "قال وزير خارجية كينيا أحمد سالم إن المحادثات مستمرة."):
        speaker = run(text).statements[0].speaker
        assert (name(speaker), speaker.affiliation.rsplit("/", 1)[-1]) == ("أحمد سالم", "kenya"), text


def test_a_line_break_ends_the_name_before_a_verb():
    assert statements("نيروبي _ كينيا\nأعلنت مقتل جنديين في الهجوم.") == []


def test_the_news_after_an_unnamed_official_is_not_a_name():
    assert statements("أعلن مسؤول عسكري مقتل جنديين.") == [("مسؤول عسكري", "announce")]


def test_an_office_no_name_follows_speaks_as_the_person_holding_it():
    found = run("وأكد وزير خارجية كينيا أن المحادثات مستمرة.").statements
    assert [(name(s.speaker), s.speaker.kind, s.speaker.affiliation.rsplit("/", 1)[-1]) for s in found] == [
        ("وزير خارجية كينيا", "Person", "kenya")]
    # a name after the office is the person; a correspondent's agency reports
    assert statements("وأكد وزير خارجية كينيا أحمد سالم أن المحادثات مستمرة.") == [("أحمد سالم", "assert")]
    assert statements("وأفاد مراسل لوكالة الصحافة الفرنسية بأن القصف استمر.") == [("Agence France-Presse", "announce")]


def test_a_title_with_the_state_refers_back_to_the_office_holder_named_before():
    text = "قال رئيس وزراء كينيا أحمد سالم إن الهدنة صامدة. وأكد رئيس الوزراء الكيني أن المحادثات مستمرة."
    assert [speaker for speaker, _ in statements(text)] == ["أحمد سالم", "أحمد سالم"]


def test_a_verb_after_a_comma_and_wa_is_a_statement_of_its_own():
    text = "نفت وزارة الدفاع الكينية وجود قوات لها في المنطقة، وطلبت من الأمم المتحدة التحقيق."
    assert statements(text) == [("وزارة الدفاع الكينية", "deny"), ("وزارة الدفاع الكينية", "demand")]
    # without the comma the verbs are one statement
    assert statements("ندد الاتحاد الأوروبي بالقصف ودعا إلى ضبط النفس.") == [("European Union", "condemn")]


def test_a_statement_named_with_its_author_in_the_genitive():
    assert statements("وقال بيان الاتحاد الإفريقي إن المحادثات ستبدأ الأحد.") == [("African Union", "assert")]


def test_a_name_nobody_knows_then_the_object_of_the_verb():
    assert statements("واتهم جمجوم الحكومة بأنها تعد لهجوم جديد.") == [("جمجوم", "accuse")]
    assert statements("قال العميد عبد الكريم الجبوري إن خمسة أشخاص قتلوا.") == [("عبد الكريم الجبوري", "assert")]


def test_an_official_of_a_body_speaks_for_it_in_either_spelling():
    for text in ("أعلن مسؤول بالجيش الكيني الإثنين، مقتل أربعة مدنيين.",
                 "أعلن مسئول بالجيش الكيني الإثنين، مقتل أربعة مدنيين."):
        assert [speaker for speaker, _ in statements(text)] == ["Armed forces of Kenya"], text


def test_a_name_nobody_knows_before_a_quote_after_a_plain_verb_of_saying():
    assert statements("وقال هايدن «تلقت القاعدة ضربات خطيرة».") == [("هايدن", "assert")]
    assert statements("وقال أحدهم: «القصف لم يتوقف».") == []
    assert [s for s, _ in statements('كشفت صحيفة "هآرتس" العبرية أن المفاوضات تعثرت.')] != ["صحيفة"]


def test_verbs_that_condemn_threaten_consider_or_expect():
    assert statements("وشجبت وزارة الخارجية الكينية الهجوم.") == [("وزارة الخارجية الكينية", "condemn")]
    assert statements("ورأت وزارة الخارجية الكينية أن الهجوم مدبر.") == [("وزارة الخارجية الكينية", "assert")]
    assert statements("ورأت وزارة الخارجية الكينية الحطام.") == []


def test_a_subject_after_kana_and_a_comma_before_its_verb():
    assert statements("وكان رئيس الوزراء السوداني كامل إدريس، دعا إلى وقف القتال.") == [("Kamil Idris", "call")]
    # the comma closes a relative clause: its noun (رابطة آسيان) is not the subject
    assert statements("وكانت ماليزيا التي ترأس رابطة آسيان، أعربت عن أملها في السلام.") == [("Malaysia", "assert")]


def test_the_parties_addressed_are_not_part_of_the_speaker():
    assert statements("حث وزير الخارجية المصري الطرفين على وقف القتال.") == [("وزير الخارجية المصري", "call")]
    assert statements("يحث رئيس المفوضية الأفريقية كافة الأطراف على وقف الاشتباكات.")[0][0] == "رئيس المفوضية الأفريقية"


def test_a_radio_station_named_in_quotation_marks_is_the_speaker():
    found = run("وقالت إذاعة «صوت الساحل» إن منطقة تيلابيري في حالة حداد.").statements
    assert [(s.speaker.label_ar, s.speaker.kind) for s in found] == [("صوت الساحل", "MediaOrganization")]


def test_a_medium_described_at_length_still_relays_its_source():
    """نقلت X التابعة لـ… عن Y قوله: what is said of the medium stands before عن."""
    found = run('نقلت قناة "المسيرة" التابعة لجماعة الحوثي اليمنية عن الدفاع المدني قوله إن 68 شخصا قتلوا.').statements
    assert [(s.speaker.label_ar, s.via.label_ar if s.via else None) for s in found] == [
        ("الدفاع المدني", "قناة المسيرة")]


def test_a_relayed_office_holder_is_the_speaker_only_when_the_office_is_whole():
    whole = run("ونقلت قناة الإخبارية عن مدير مديرية التعاون الدولي قوله إن 165 ألفا نزحوا.").statements
    assert [s.speaker.label_ar for s in whole] == ["مدير مديرية التعاون الدولي"]
    cut = run('ونقلت وكالة الصحافة الفرنسية عن رئيس مجلس حكومة "بوكوس" المحلية قوله إن 30 قتلوا.').statements
    assert [s.speaker.label_ar for s in cut] != ["رئيس مجلس"]


def test_a_name_then_a_comma_then_an_office_names_the_speaker():
    found = run("وقال رضوان حسين، ممثل الحكومة الإثيوبية، إن الاتفاق صامد.").statements
    assert [(s.speaker.label_ar, s.speaker.kind) for s in found] == [("رضوان حسين", "Person")]


def test_the_agency_an_unnamed_official_told_is_not_the_speaker():
    told = run("أفاد ممثل مجموعة إثنية مسلحة في ولاية شان وكالة الصحافة الفرنسية بأن القصف استمر.").statements
    assert [s.speaker.label_en for s in told] != ["Agence France-Presse"]
    correspondent = run("كما أفاد مراسل وكالة فرانس برس بأن المتظاهرين اجتاحوا الشوارع.").statements
    assert [s.speaker.label_en for s in correspondent] == ["Agence France-Presse"]


def test_a_definite_head_with_only_describing_adjectives_refers_back():
    found = run("أفادت شبكة أطباء السودان بمقتل 13 شخصا. وأوضحت الشبكة الطبية المستقلة في بيان لها أن "
                "الهجوم وقع. وأدانت بأشد العبارات استمرار الهجمات.").statements
    assert [s.speaker.label_en for s in found][:2] == ["Sudan Doctors Network"] * 2
    assert "بأشد العبارات" not in [s.speaker.label_ar for s in found]  # how it condemned, not who
    assert [s.speaker.label_en for s in run("قال الجيش الإسرائيلي إن الهجوم فشل. وقال الجيش السوداني إن "
                                            "الوضع هادئ.").statements] == ["Israel Defense Forces",
                                                                        "Sudanese Armed Forces"]


def test_words_after_a_comma_that_are_no_name_do_not_make_a_person():
    found = run("واقترح رئيس الوزراء الماليزي أنور إبراهيم، رئيس منتدى آسيان الإقليمي، وقف إطلاق النار يوم الجمعة.")
    assert [s.speaker.label_en for s in found.statements] == ["Anwar Ibrahim"]


def test_whom_a_body_accused_is_not_part_of_its_name():
    found = run("واتهمت الشرطة المسلحين الذين يقاتلون ضد الحكم الهندي بتنفيذ الهجوم.").statements
    assert [s.speaker.label_ar for s in found] == ["الشرطة"]


def test_a_sentence_opening_with_kama_continues_the_speaker():
    found = run("قالت وزارة الصحة السودانية إن 5 قتلوا. كما أشارت إلى أنه تم إضافة 298 شهيدا.").statements
    assert [s.speaker.label_en for s in found] == ["Ministry of Health (Sudan)"] * 2


@pytest.mark.parametrize("text", ["وتعهدتا بوقف الدعم للمتمردين.", "وأعلنت حالة الطوارئ بعد الهجوم.",
                                  "الجيش يعلن صد هجوم في كردفان"])
def test_what_was_done_is_not_read_as_a_speakers_name(text):
    assert all(s.speaker.kind != "Person" for s in run(text).statements)


def test_the_spokesperson_of_a_body_outside_the_gazetteer_is_the_named_person():
    found = run("وقال الناطق باسم وزارة الداخلية خالد عبد الستار إن 5 قتلوا.").statements
    assert [(s.speaker.label_ar, s.via.label_ar) for s in found] == [("وزارة الداخلية", "خالد عبد الستار")]


def test_an_unnamed_source_in_a_body_is_named_with_it():
    found = run("وقال مصدر في الخارجية الجزائرية إن المفاوضات بدأت.").statements
    assert [s.speaker.label_ar for s in found] == ["مصدر في الخارجية الجزائرية"]
    assert [s.speaker.label_ar for s in run("وأعلنت الخارجية الجزائرية أن المحادثات ستبدأ.").statements] == [
        "الخارجية الجزائرية"]


def test_a_minister_named_later_by_a_spokesperson_still_speaks_for_himself():
    text = ("وأعرب وزير الخارجية الأمريكي أنتوني بلينكن عن قلقه بشأن العنف.\n"
            "وقال المتحدث باسم وزارة الخارجية ماثيو ميلر إن بلينكن شدد على أهمية الحوار.")
    found = run(text).statements
    assert found[0].speaker.label_en == "Antony Blinken" and found[0].via is None
    assert found[1].via.label_ar == "ماثيو ميلر"


def test_three_names_right_after_a_rank_are_one_persons():
    found = run("وقال اللواء حسن محمود رشاد إن المفاوضات مستمرة.").statements
    assert [s.speaker.label_ar for s in found] == ["حسن محمود رشاد"]


def test_a_quotation_in_straight_quote_marks_that_runs_past_its_sentence_holds_its_figures():
    text = ('وكان حاكم خاركيف أوليغ سينغوبوف، قد أشار إلى أن "المحتلين أطلقوا النار على حي سكني. '
            'لسوء الحظ، أصيب 34 شخصا". وأضاف أن الوضع صعب.')
    found = run(text)
    assert [c.claimant.label_ar if c.claimant else None for c in found.casualties] == ["أوليغ سينغوبوف"]


def test_the_last_words_of_a_name_said_before_are_that_person():
    """واكد كي مون after بان كي مون: the same speaker, not a new person named كي مون."""
    text = "أدان الأمين العام للأمم المتحدة بان كي مون الغارة. واكد كي مون إن على أطراف النزاع تحييد المدنيين."
    found = extract(Article(id="t", text=text, source="t")).statements
    assert [s.speaker.label_en for s in found] == ["Ban Ki-moon"] * 2


def test_a_word_such_as_ahamiyya_after_a_title_is_not_a_name():
    """وأكد المبعوث الأممي أهمية وضع …: what the envoy stressed, not a person named وضع مصالح."""
    found = extract(Article(id="t", text="وأكد المبعوث الأممي أهمية وضع مصالح اليمنيين في المقدمة.", source="t"))
    assert [m.span.text for m in found.mentions if m.actor.kind == "Person"] == ["المبعوث الأممي"]


def test_three_names_after_an_office_that_ends_on_a_states_adjective():
    """الرئيس الكولومبي | خوان مانويل سانتوس: all three words are the name."""
    assert statements("وقال الرئيس الكولومبي خوان مانويل سانتوس إن الهجوم إرهابي.") == [
        ("خوان مانويل سانتوس", "assert")]


def test_a_woman_spokesperson_speaks_for_her_body():
    """وقالت المتحدثة باسم الخارجية الصينية ماو نينغ: the ministry speaks, through her."""
    found = extract(Article(id="t", text="وقالت المتحدثة باسم الخارجية الصينية ماو نينغ إن الطرفين اتفقا.",
                            source="t")).statements
    assert [(s.speaker.label_ar, s.via and s.via.label_en) for s in found] == [("الخارجية الصينية", "Mao Ning")]


def test_a_bare_name_before_the_preposition_of_a_verb_that_takes_no_object():
    """أشار رشوان إلى، أعرب رجبي عن: the one word is the speaker; دعا خليل إلى: whom it called on;
    أشار خصوصا إلى، لفت ساخرا إلى: an adverb, no speaker."""
    assert statements("وأشار رشوان إلى ميزة شديدة الأهمية.") == [("رشوان", "assert")]
    assert statements("وأعرب رجبي عن تأثره لوفاة اثنين من المتظاهرين.") == [("رجبي", "assert")]
    assert statements("ودعا خليل إلى الهدوء.") == []
    assert statements("وأشار خصوصا إلى الأثر المدمر للهجمات.") == []


def test_a_casualty_word_or_a_pronoun_spokesperson_is_no_name():
    """أفاد | بمقتل عشرة: the news; المتحدث باسمه ماثيو ميلر: the spokesman is ماثيو ميلر."""
    assert not any("مقتل" in (n or "") for n, _ in statements("وأفاد بمقتل عشرة جنود في الهجوم."))
    found = run("وذكر المتحدث باسمه ماثيو ميلر أن الوزير شدد على أهمية الحوار.")
    assert not any("باسمه" in (m.actor.label_ar or "") for m in found.mentions)
