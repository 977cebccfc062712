from kg.text import NormalizedText, normalize, numbers


def test_normalization_folds_alef_ya_teh_marbuta_diacritics_and_tatweel():
    assert normalize("أإآٱ") == "اااا"
    assert normalize("مستشفى") == "مستشفي"
    assert normalize("مدينة") == "مدينه"
    assert normalize("غَزَّة") == "غزه"
    assert normalize("الخرطـــوم") == "الخرطوم"


def test_nbsp_becomes_space_and_bidi_marks_disappear():
    assert normalize("قوات\u00a0الدعم") == "قوات الدعم"
    assert normalize("\u200fحلب\u200e") == "حلب"


def test_offsets_map_back_to_the_original_characters():
    original = "قُتِلَ\u00a0ثلاثــة في خانْ يونس"
    norm = NormalizedText(original)
    start = norm.text.index("خان يونس")
    s, e = norm.to_original(start, start + len("خان يونس"))
    assert original[s:e] == "خانْ يونس"
    start = norm.text.index("ثلاثه")
    s, e = norm.to_original(start, start + len("ثلاثه"))
    assert original[s:e] == "ثلاثــة"


def test_span_end_keeps_trailing_diacritics_of_the_last_letter():
    original = "انفجار لغمَينِ قرب حمص"
    norm = NormalizedText(original)
    start = norm.text.index("لغمين")
    s, e = norm.to_original(start, start + 5)
    assert original[s:e] == "لغمَينِ"


def test_ligature_expands_but_maps_to_one_original_character():
    original = "ﻻ تراجع"
    norm = NormalizedText(original)
    assert norm.text.startswith("لا ")
    assert norm.to_original(0, 2) == (0, 1)


def test_sentences_split_on_stops_and_newlines():
    norm = NormalizedText("قال المتحدث إن القصف استمر. وأضاف أن الهدنة انهارت؟\nعنوان")
    pieces = [norm.text[s:e] for s, e in norm.sentences()]
    assert pieces == ["قال المتحدث ان القصف استمر.", "واضاف ان الهدنه انهارت؟", "عنوان"]


def test_numbers_in_ascii_and_eastern_digits_with_separators():
    text = normalize("قتل 68,280 شخصا و٦٨٬٢٨٠ آخرين و١٥ جنديا و7 أطفال")
    assert [n.value for n in numbers(text)] == [68280, 68280, 15, 7]


def test_decimals_are_not_counts():
    assert numbers("نسبة 3.5 بالمئة") == []


def test_thousands_written_with_a_dot_are_counts_and_decimals_stay_out():
    from kg.text import numbers

    assert [n.value for n in numbers("بلغت الحصيلة 66.005 شهداء و44.664 مصابا")] == [66005, 44664]
    assert [(n.value, n.scale) for n in numbers("نزح 1.500 مليون شخص و3.5 مليون")] == [(35, 10)]  # 1.500: ambiguous
    assert [n.value for n in numbers("قتل 12 شخصا و68,280 آخرون")] == [12, 68280]


def test_a_decimal_before_million_is_a_count_in_millions():
    from kg.text import numbers

    found = numbers("نزوح 1,8 مليون و٢٫٥ ملايين و2.75 مليون")
    assert [(n.value, n.scale) for n in found] == [(18, 10), (25, 10), (275, 100)]
    assert numbers("نسبة 3.5 بالمئة و2.5 مليار") == []
