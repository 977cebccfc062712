"""Casualty claims: a number followed by a word for people, typed by a casualty term."""

from __future__ import annotations

from kg.extract.context import Context
from kg.extract.lexicons import casualty_terms, qualifiers
from kg.extract.matching import phrase_at, token_index_at
from kg.extract.mentions import proclitic_readings
from kg.extract.model import Actor, CasualtyClaim, Span, Statement
from kg.text import numbers

TRIGGER_WINDOW = 4  # tokens before the number where مقتل / إجلاء may stand


def find_casualties(ctx: Context, statements: list[Statement]) -> list[CasualtyClaim]:
    merged: dict[tuple, CasualtyClaim] = {}
    for number in numbers(ctx.norm.text):
        claim = _claim_at(ctx, number.start, number.end, number.value, statements)
        if claim is None:
            continue
        key = (claim.kind, claim.count, claim.qualifier, claim.victims, _iri(claim.claimant))
        if key in merged:
            old = merged[key]
            evidence = tuple(sorted(set(old.evidence + claim.evidence), key=lambda s: s.start))
            merged[key] = CasualtyClaim(**{**old.__dict__, "evidence": evidence})
        else:
            merged[key] = claim
    return list(merged.values())


def _claim_at(ctx: Context, start: int, end: int, value: int, statements) -> CasualtyClaim | None:
    tokens, text = ctx.tokens, ctx.norm.text
    first = token_index_at(tokens, start)  # the number's own token
    noun_i = first + 1
    while noun_i < len(tokens) and tokens[noun_i].start < end:
        noun_i += 1
    if noun_i >= len(tokens) or text[end : tokens[noun_i].start].strip():
        return None
    noun_kind, victims = casualty_terms().get(tokens[noun_i].text, (None, None))
    if victims is None:
        return None
    qualifier, span_start, before = "exact", start, first
    for words, q, position in qualifiers():
        n = len(words)
        if position == "before" and first - n >= 0 and phrase_at(tokens, first - n, words, text):
            qualifier, span_start, before = q, tokens[first - n].start, first - n
            break
    span_end = tokens[noun_i].end
    for words, q, position in qualifiers():
        if position == "after" and phrase_at(tokens, noun_i + 1, words, text):
            qualifier, span_end = q, tokens[noun_i + len(words)].end
            break
    kind = noun_kind
    if kind is None:
        trigger = _trigger(ctx, before)
        if trigger is None:
            return None
        kind, trigger_i = trigger
        span_start = tokens[trigger_i].start
    evidence = ctx.span(span_start, span_end)
    return CasualtyClaim(
        kind=kind,
        count=value,
        qualifier=qualifier,
        victims=victims,
        evidence=(evidence,),
        claimant=_claimant(evidence, statements),
        place=_place(ctx, first),
    )


def _trigger(ctx: Context, before: int) -> tuple[str, int] | None:
    terms = casualty_terms()
    for i in range(before - 1, max(before - TRIGGER_WINDOW, 0) - 1, -1):
        if not ctx.same_sentence(i, before):
            break
        for form, _ in proclitic_readings(ctx.tokens[i].text):
            kind, _victims = terms.get(form, (None, None))
            if kind:
                return kind, i
    return None


def _claimant(evidence: Span, statements: list[Statement]) -> Actor | None:
    for s in statements:
        if s.evidence.start <= evidence.start and evidence.end <= s.evidence.end:
            return s.speaker
    return None


def _place(ctx: Context, token_i: int) -> Actor | None:
    for loc in ctx.mentions:
        if loc.mention.actor.kind == "Place" and ctx.same_sentence(loc.first, token_i):
            return loc.mention.actor
    return None


def _iri(actor: Actor | None) -> str | None:
    return actor.iri if actor else None
