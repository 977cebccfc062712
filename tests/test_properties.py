"""Property-based tests: for any Unicode input the text layer and the extractors raise
nothing, every span slices the original text, and the article's graph validates."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.extract import extract
from kg.graph import article_graph
from kg.ingest import Article
from kg.text import NormalizedText, numbers
from kg.validate import validate_graph

# Arabic letters, diacritics, tatweel, Arabic-Indic digits, bidi and zero-width marks,
# punctuation, plus any other code point.
ARABIC_HEAVY = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىة")),
        st.sampled_from(list("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0640")),
        st.sampled_from(list("٠١٢٣٤٥٦٧٨٩0123456789,٬.،؛؟!:\"«» \n\u00a0")),
        st.sampled_from(list("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u2066\u2069\ufeff")),
        st.characters(blacklist_categories=("Cs",)),  # ingest refuses lone surrogates
    ),
    max_size=300,
)
WORDS = st.lists(
    st.sampled_from(["قال", "وقالت", "وزارة", "الصحة", "السودانية", "إن", "مقتل", "27", "ثلاثة", "شخصا", "بينهم",
                     "طفلان", "أكثر", "من", "على", "الأقل", "بوساطة", "روسيا", "ودعا", "إلى", "وقف", "إطلاق", "النار",
                     "أمس", "الثلاثاء", "،", ".", "\n", "الجيش", "الروسي", "جنديين", "عشرات", "آلاف", "وزير",
                     "الخارجية", "علي", "الصادق", "بحسب", "رويترز", "\u0640", "\u200f"]),
    max_size=60,
).map(" ".join)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(ARABIC_HEAVY)
def test_normalization_maps_every_span_back_into_the_original(text):
    norm = NormalizedText(text)
    for token in norm.tokens():
        start, end = norm.to_original(token.start, token.end)
        assert 0 <= start < end <= len(text)
    for s, e in norm.sentences():
        assert 0 <= s < e <= len(norm.text)
    for number in numbers(norm.text):
        assert number.value >= 0


def check_article(text: str) -> None:
    extraction = extract(Article(id="p", text=text, source="hypothesis", published="2024-05-15"))
    spans = [m.span for m in extraction.mentions] + [s.evidence for s in extraction.statements]
    spans += [span for c in extraction.casualties for span in c.evidence] + [m.evidence for m in extraction.mediations]
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start : span.end] == span.text
    for claim in extraction.casualties:
        assert claim.count is None or claim.count >= 0
    assert validate_graph(article_graph(extraction)) == []


@FAST
@given(ARABIC_HEAVY)
def test_extraction_never_fails_on_any_text(text):
    check_article(text)


@FAST
@given(WORDS)
def test_extraction_on_news_like_word_salad(text):
    check_article(text)


def test_found_by_hypothesis_a_text_that_ends_after_according_to():
    check_article("بحسب")
