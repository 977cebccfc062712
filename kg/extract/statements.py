"""Reported speech: a reporting verb, its speaker, the relaying outlet, the evidence span."""

from __future__ import annotations

from kg.extract.context import Context
from kg.extract.lexicons import relay_cues, reporting_verbs
from kg.extract.matching import phrase_at
from kg.extract.model import Actor, Statement

SPEAKER_WINDOW = 4  # tokens after the verb where the speaker may start (قال الرئيس الأذري إلهام علييف)
RELAY_WINDOW = 2


def find_statements(ctx: Context) -> list[Statement]:
    statements: list[Statement] = []
    verbs = reporting_verbs()
    for i in range(len(ctx.tokens)):
        kind = next((k for words, k in verbs.items() if phrase_at(ctx.tokens, i, words, ctx.norm.text)), None)
        if kind is None:
            continue
        speaker = ctx.mention_starting_in(i + 1, i + SPEAKER_WINDOW)
        if speaker is None or not ctx.same_sentence(i, speaker.first):
            continue
        _, sentence_end = ctx.sentence_of_token(i)
        evidence = ctx.span(ctx.tokens[i].start, sentence_end)
        via = _relay(ctx, i, speaker.mention.actor)
        statements.append(Statement(speaker.mention.actor, kind, evidence, via))
    return statements


def _relay(ctx: Context, verb: int, speaker: Actor) -> Actor | None:
    """The actor named right after 'according to' / 'quoted by' in the verb's sentence."""
    start, end = ctx.sentence_of_token(verb)
    for i, token in enumerate(ctx.tokens):
        if token.start < start or token.start >= end:
            continue
        for cue in relay_cues():
            if phrase_at(ctx.tokens, i, cue, ctx.norm.text):
                after = i + len(cue)
                found = ctx.mention_starting_in(after, after + RELAY_WINDOW - 1)
                if found and found.mention.actor.iri != speaker.iri:
                    return found.mention.actor
    return None
