"""Extraction: pure functions from an article's text to plain dataclasses."""

from __future__ import annotations

import re
from dataclasses import replace

from kg.extract.context import Context
from kg.extract.gazetteer import Gazetteer, default_gazetteer
from kg.extract.model import Extraction, Span
from kg.extract.pipeline import PIPELINE, run
from kg.ingest import Article

_SENTENCE_END = re.compile(r"[.!?؟]\s")
SEGMENT_CHARS = 20_000  # longer texts are extracted in segments of whole paragraphs (or sentences)


def extract(article: Article, gazetteer: Gazetteer | None = None) -> Extraction:
    """Everything extraction finds in the article. A text longer than SEGMENT_CHARS (a
    news article is a few thousand characters; longer is a digest or a dump) is extracted
    segment by segment, so that time grows with the length, not its square: a reference
    back (a surname, "the minister", a speaker continued) does not reach into an earlier
    segment."""
    gazetteer = gazetteer or default_gazetteer()
    if len(article.text) <= SEGMENT_CHARS:
        return _extract(article, article.text, gazetteer)
    whole = Extraction(article=article)
    for start, end in segments(article.text, SEGMENT_CHARS):
        part = _shifted(_extract(article, article.text[start:end], gazetteer), start)
        whole.mentions += part.mentions
        whole.statements += part.statements
        whole.casualties += part.casualties
        whole.mediations += part.mediations
    return whole


def segments(text: str, size: int) -> list[tuple[int, int]]:
    """[start, end) bounds of consecutive pieces of at most size characters, cut after a
    paragraph break, else after a sentence's end, else at a space, else anywhere."""
    bounds, start = [], 0
    while len(text) - start > size:
        window = text[start:start + size]
        cut = window.rfind("\n") + 1
        if cut < size // 2:
            ends = [m.end() for m in _SENTENCE_END.finditer(window, size // 2)]
            cut = ends[-1] if ends else window.rfind(" ") + 1
        end = start + (cut if cut > 0 else size)
        bounds.append((start, end))
        start = end
    bounds.append((start, len(text)))
    return bounds


def _shifted(found: Extraction, offset: int) -> Extraction:
    """A segment's extraction with its spans moved to offsets of the whole text."""
    def span(s: Span) -> Span:
        return Span(s.start + offset, s.end + offset, s.text)

    return Extraction(
        article=found.article,
        mentions=[replace(m, span=span(m.span)) for m in found.mentions],
        statements=[replace(s, evidence=span(s.evidence)) for s in found.statements],
        casualties=[replace(c, evidence=tuple(span(e) for e in c.evidence)) for c in found.casualties],
        mediations=[replace(m, evidence=span(m.evidence)) for m in found.mediations],
    )


def _extract(article: Article, text: str, gazetteer: Gazetteer) -> Extraction:
    """The pipeline (kg/extract/pipeline.py) over one text."""
    state = run(PIPELINE, context=Context.build(text, gazetteer), published=article.published)
    return Extraction(article=article, mentions=state["mentions"], statements=state["statements"],
                      casualties=state["casualties"], mediations=state["mediations"])
