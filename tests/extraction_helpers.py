"""Run the extractors on a sentence and describe what they found, for short tests."""

from __future__ import annotations

from kg.extract import extract
from kg.extract.model import Actor
from kg.ingest import Article


def run(text: str):
    return extract(Article(id="t", text=text, source="test"))


def name(actor: Actor | None) -> str | None:
    if actor is None:
        return None
    return actor.label_en or actor.label_ar


def claims(text: str) -> list[tuple]:
    """(kind, count, qualifier, victims) of every casualty claim."""
    return [(c.kind, c.count, c.qualifier, c.victims) for c in run(text).casualties]


def statements(text: str) -> list[tuple]:
    return [(name(s.speaker), s.kind) for s in run(text).statements]


def mediations(text: str) -> list[tuple]:
    return [(name(m.mediator), m.kind) for m in run(text).mediations]
