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
    mentions = sorted([*ctx.mentions, *speakers], key=lambda loc: loc.first)
    return Extraction(
        article=article,
        mentions=[loc.mention for loc in mentions],
        statements=statements,
        casualties=find_casualties(ctx, statements),
        mediations=find_mediations(ctx, statements),
    )
