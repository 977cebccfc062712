"""A hand-built extraction (not from the extractors) for testing the graph, the shapes
and the named queries: a Sudan-style article with two conflicting death tolls."""

from __future__ import annotations

from kg.extract.model import Actor, CasualtyClaim, Extraction, Mediation, Mention, Span, Statement
from kg.ingest import Article

TEXT = (
    "قالت وزارة الصحة إن 27 شخصا قتلوا في قصف على الفاشر، بينهم طفلان. "
    "ونقلت رويترز عن متحدث باسم قوات الدعم السريع نفيه، قائلا إن الحصيلة 19 قتيلا. "
    "ودعا الأمين العام للأمم المتحدة إلى وقف إطلاق النار فورا."
)

HEALTH = Actor("https://w3id.org/conflict-kg/id/actor/test-ministry-of-health", "GovernmentBody",
               "Ministry of Health", "وزارة الصحة")
RSF = Actor("https://w3id.org/conflict-kg/id/actor/test-rapid-support-forces", "ArmedGroup",
            "Rapid Support Forces", "قوات الدعم السريع")
REUTERS = Actor("https://w3id.org/conflict-kg/id/actor/reuters", "MediaOrganization", "Reuters", "رويترز", "Q130879")
UN = Actor("https://w3id.org/conflict-kg/id/actor/united-nations", "InternationalOrganization",
           "United Nations", "الأمم المتحدة", "Q1065")
FASHER = Actor("https://w3id.org/conflict-kg/id/place/test-el-fasher", "Place", "El Fasher", "الفاشر")


def span(fragment: str, text: str = TEXT) -> Span:
    start = text.index(fragment)
    return Span(start, start + len(fragment), fragment)


def handmade_extraction(article_id: str = "sudan-test", published: str | None = "2024-05-12") -> Extraction:
    article = Article(id=article_id, text=TEXT, source="handmade", title="الفاشر", published=published)
    return Extraction(
        article=article,
        mentions=[
            Mention(HEALTH, span("وزارة الصحة")),
            Mention(FASHER, span("الفاشر")),
            Mention(REUTERS, span("رويترز")),
            Mention(RSF, span("قوات الدعم السريع")),
            Mention(UN, span("للأمم المتحدة")),
        ],
        statements=[
            Statement(HEALTH, "assert", span("قالت وزارة الصحة إن 27 شخصا قتلوا في قصف على الفاشر")),
            Statement(RSF, "deny", span("ونقلت رويترز عن متحدث باسم قوات الدعم السريع نفيه"), via=REUTERS),
            Statement(UN, "call", span("ودعا الأمين العام للأمم المتحدة إلى وقف إطلاق النار فورا")),
        ],
        casualties=[
            CasualtyClaim("killed", 27, "exact", "people", (span("27 شخصا قتلوا"),), claimant=HEALTH, place=FASHER),
            CasualtyClaim("killed", 2, "exact", "children", (span("بينهم طفلان"),), claimant=HEALTH, place=FASHER),
            CasualtyClaim("killed", 19, "exact", "people", (span("الحصيلة 19 قتيلا"),), claimant=RSF, place=FASHER),
        ],
        mediations=[
            Mediation(UN, "call_for_ceasefire", span("ودعا الأمين العام للأمم المتحدة إلى وقف إطلاق النار فورا")),
        ],
    )
