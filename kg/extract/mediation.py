"""Mediation: a third party brokering a deal, or calling for a ceasefire or talks."""

from __future__ import annotations

from kg.extract.context import Context
from kg.extract.lexicons import mediation_cues
from kg.extract.matching import phrase_at
from kg.extract.model import Mediation, Statement
from kg.text import normalize

MEDIATOR_WINDOW = 3
CALL_KINDS = {"call", "demand", "propose"}


def find_mediations(ctx: Context, statements: list[Statement]) -> list[Mediation]:
    found = _brokered(ctx) + _calls(statements)
    unique: dict[tuple, Mediation] = {}
    for m in found:
        unique.setdefault((m.mediator.iri, m.kind, m.evidence.start), m)
    return list(unique.values())


def _brokered(ctx: Context) -> list[Mediation]:
    out = []
    cues = [(w, k) for w, k in mediation_cues() if k == "brokered_ceasefire"]
    for i in range(len(ctx.tokens)):
        for words, kind in cues:
            if not phrase_at(ctx.tokens, i, words, ctx.norm.text):
                continue
            after = i + len(words)
            loc = ctx.mention_starting_in(after, after + MEDIATOR_WINDOW - 1)
            if loc and ctx.same_sentence(i, loc.first):
                start, end = ctx.sentence_of_token(i)
                out.append(Mediation(loc.mention.actor, kind, ctx.span(start, end)))
    return out


def _calls(statements: list[Statement]) -> list[Mediation]:
    out = []
    cues = [(" ".join(w), k) for w, k in mediation_cues() if k != "brokered_ceasefire"]
    for s in statements:
        if s.kind not in CALL_KINDS:
            continue
        text = f" {normalize(s.evidence.text)} "
        for cue, kind in cues:
            if cue in text:
                out.append(Mediation(s.speaker, kind, s.evidence))
                break
    return out
