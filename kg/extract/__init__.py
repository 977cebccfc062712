"""Extraction: pure functions from an article's text to plain dataclasses."""

from __future__ import annotations

from dataclasses import replace

from kg.extract.casualties import find_casualties
from kg.extract.context import Context
from kg.extract.dates import date_in, published_date
from kg.extract.gazetteer import Gazetteer, default_gazetteer
from kg.extract.mediation import find_mediations
from kg.extract.model import Extraction, Span
from kg.extract.statements import find_statements
from kg.ingest import Article


def extract(article: Article, gazetteer: Gazetteer | None = None) -> Extraction:
    ctx = Context.build(article.text, gazetteer or default_gazetteer())
    statements, speakers = find_statements(ctx)
    # الأمم المتحدة inside بعثة الأمم المتحدة في العراق is part of that name, not an actor of its own
    inside = [loc for loc in ctx.mentions if any(s.first <= loc.first and loc.last <= s.last and s is not loc
                                                 and s.last > s.first for s in speakers)]
    mentions = sorted([*(m for m in ctx.mentions if m not in inside), *speakers], key=lambda loc: loc.first)
    published = published_date(article.published)
    return Extraction(
        article=article,
        mentions=[loc.mention for loc in mentions],
        statements=[_dated(ctx, s, s.evidence, published) for s in statements],
        casualties=[_dated(ctx, c, c.evidence[0], published, whole_sentence=True)
                    for c in find_casualties(ctx, statements)],
        mediations=find_mediations(ctx, statements),
    )


def _dated(ctx: Context, item, evidence: Span, published, whole_sentence: bool = False):
    """The item with the relative date its text (or, for a claim, its sentence) names."""
    start, end = ctx.norm_offset(evidence.start), ctx.norm_offset(evidence.end)
    if whole_sentence:
        start, end = ctx.sentences.bounds[ctx.sentences.index_of(start)]
    found = date_in(ctx, start, end, published)
    return replace(item, date_text=found.text, date=found.date) if found else item
