"""Extraction: pure functions from an article's text to plain dataclasses."""

from __future__ import annotations

from kg.extract.casualties import find_casualties
from kg.extract.context import Context
from kg.extract.gazetteer import Gazetteer, default_gazetteer
from kg.extract.mediation import find_mediations
from kg.extract.model import Extraction
from kg.extract.statements import find_statements
from kg.ingest import Article


def extract(article: Article, gazetteer: Gazetteer | None = None) -> Extraction:
    ctx = Context.build(article.text, gazetteer or default_gazetteer())
    statements, speakers = find_statements(ctx)
    # الأمم المتحدة inside بعثة الأمم المتحدة في العراق is part of that name, not an actor of its own
    inside = [loc for loc in ctx.mentions if any(s.first <= loc.first and loc.last <= s.last and s is not loc
                                                 and s.last > s.first for s in speakers)]
    mentions = sorted([*(m for m in ctx.mentions if m not in inside), *speakers], key=lambda loc: loc.first)
    return Extraction(
        article=article,
        mentions=[loc.mention for loc in mentions],
        statements=statements,
        casualties=find_casualties(ctx, statements),
        mediations=find_mediations(ctx, statements),
    )
