"""Mediation: acts by a third party aimed at stopping the fighting or getting the sides
to talk (lexicons/mediation_cues.tsv).

- brokered_ceasefire: an agreement or ceasefire "بوساطة / برعاية / بدعم من X", "توسطت فيه X",
  "من وساطة X", "بوساطة روسية" (a state's adjective);
- offer_to_mediate: a proposal whose content is mediation (اقترح … توسط موسكو);
- call_for_ceasefire / call_for_talks: a statement that calls, demands or says something
  must happen (دعا، طالب، ضرورة، يجب) about a ceasefire or talks — the first cue in the text
  decides which; one mediation per statement;
- hosted_talks: "استضافت X محادثات"; guarantor: "X ضامن".

Armed forces and armed groups are parties, never mediators.
"""

from __future__ import annotations

from functools import cache

from kg.extract.context import Context
from kg.extract.lexicons import Words, mediation_cues
from kg.extract.matching import PhraseTable, token_index_at
from kg.extract.model import Actor, Mediation, Statement

MEDIATOR_WINDOW = 3
PARTY_KINDS = {"ArmedForces", "ArmedGroup"}


def find_mediations(ctx: Context, statements: list[Statement]) -> list[Mediation]:
    found = _brokered(ctx) + _hosted_and_guarantors(ctx) + _from_statements(ctx, statements)
    sides = belligerents(ctx)
    unique: dict[tuple, Mediation] = {}
    for m in found:
        if m.mediator.kind in PARTY_KINDS or m.mediator.iri in sides or m.mediator.affiliation in sides:
            continue  # a side of the fighting is not a third party
        unique.setdefault((m.mediator.iri, m.kind, m.evidence.start), m)
    return list(unique.values())


def belligerents(ctx: Context) -> set[str]:
    """The sides of the fighting in the article: the states whose armed forces are named,
    and the armed groups."""
    sides = set()
    for loc in ctx.mentions:
        actor = loc.mention.actor
        if actor.kind == "ArmedForces" and actor.affiliation and not _peacekeeping_context(ctx, loc.first):
            sides.add(actor.affiliation)
        elif actor.kind == "ArmedGroup":
            sides.add(actor.iri)
    return sides


_PEACEKEEPING = "حفظ السلام"


def _peacekeeping_context(ctx: Context, i: int) -> bool:
    """القوات الروسية next to قوات حفظ السلام are those peacekeepers, not a side."""
    here = ctx.sentences.index_of(ctx.tokens[i].start)
    start = ctx.sentences.bounds[max(here - 1, 0)][0]
    end = ctx.sentences.bounds[here][1]
    return _PEACEKEEPING in ctx.norm.text[start:end]


@cache
def _tables() -> dict[str, PhraseTable]:
    return {role: PhraseTable(phrases) for role, phrases in mediation_cues().items()}


def _cue_at(ctx: Context, i: int, role: str) -> Words | None:
    return ctx.phrases(_tables()[role]).get(i)


def _sentence_has(ctx: Context, i: int, role: str) -> bool:
    key = ("mediation roles", role)
    if key not in ctx.memo:
        ctx.memo[key] = {ctx.sentences.index_of(ctx.tokens[j].start) for j in ctx.phrases(_tables()[role])}
    return ctx.sentences.index_of(ctx.tokens[i].start) in ctx.memo[key]


def _actor_after(ctx: Context, after: int) -> Actor | None:
    """A gazetteer actor, or a state named by its adjective (بوساطة روسية), after a cue."""
    loc = ctx.mention_starting_in(after, after + MEDIATOR_WINDOW - 1)
    if loc and ctx.same_sentence(after, loc.first):
        return loc.mention.actor
    if after < len(ctx.tokens):
        return ctx.gazetteer.demonyms.get(ctx.tokens[after].text)
    return None


def _sentence_span(ctx: Context, i: int):
    start, end = ctx.sentence_of_token(i)
    return ctx.span(start, end)


def _brokered(ctx: Context) -> list[Mediation]:
    out = []
    for i in range(len(ctx.tokens)):
        cue = _cue_at(ctx, i, "broker")
        if cue is None or not _sentence_has(ctx, i, "agreement"):
            continue
        after = i + len(cue)
        if after < len(ctx.tokens) and ctx.tokens[after].text in ("فيه", "فيها"):
            after += 1  # الذي توسطت فيه منظمة …
        actor = _actor_after(ctx, after)
        brokers = [actor] if actor else (_hosts_before(ctx, i) if _is_verb_cue(cue) else [])
        for broker in brokers:  # بوساطة روسيا / وكانت أنغولا قد توسطت في اتفاق
            out.append(Mediation(broker, "brokered_ceasefire", _sentence_span(ctx, i), _parties(ctx, i, broker)))
    return out


def _hosted_and_guarantors(ctx: Context) -> list[Mediation]:
    out = []
    for i in range(len(ctx.tokens)):
        host = _cue_at(ctx, i, "host")
        if host and _sentence_has(ctx, i, "meeting"):
            after = _actor_after(ctx, i + len(host))
            for actor in [after] if after else _hosts_before(ctx, i):
                out.append(Mediation(actor, "hosted_talks", _sentence_span(ctx, i), _parties(ctx, i, actor)))
        if _cue_at(ctx, i, "guarantor"):
            loc = next((m for m in reversed(ctx.mentions) if m.last < i and ctx.same_sentence(m.last, i)
                        and i - m.last <= MEDIATOR_WINDOW), None)
            if loc and loc.mention.actor.kind != "Place":
                actor = loc.mention.actor
                out.append(Mediation(actor, "guarantor", _sentence_span(ctx, i), _parties(ctx, i, actor)))
    return out


_BEFORE_VERB = {"قد", "وكانت", "كانت", "وكان", "كان"}


def _is_verb_cue(cue: Words) -> bool:
    return cue[0].startswith("توسط")


def _hosts_before(ctx: Context, i: int) -> list[Actor]:
    """وكانت الولايات المتحدة والسعودية قد استضافتا …: the actors named just before the verb."""
    j = i - 1
    while j >= 0 and ctx.tokens[j].text in _BEFORE_VERB:
        j -= 1
    hosts: list[Actor] = []
    while j >= 0:
        loc = next((m for m in ctx.mentions if m.last == j), None)
        if loc is None or loc.mention.actor.kind == "Place" or not ctx.same_sentence(loc.first, i):
            break
        hosts.insert(0, loc.mention.actor)
        if not loc.prefix.startswith("و"):
            break
        j = loc.first - 1
    return hosts


def _from_statements(ctx: Context, statements: list[Statement]) -> list[Mediation]:
    out = []
    for s in statements:
        kind = _statement_mediation_kind(ctx, s)
        if kind:
            out.append(Mediation(s.speaker, kind, s.evidence))
    return out


def _statement_mediation_kind(ctx: Context, s: Statement) -> str | None:
    first_token = token_index_at(ctx.tokens, ctx.norm_offset(s.evidence.start))
    end = ctx.norm_offset(s.evidence.end)
    span = range(first_token, token_index_at(ctx.tokens, end))

    def first(role: str) -> int | None:
        return min((i for i in ctx.phrases(_tables()[role]) if i in span), default=None)

    offer = first("offer")
    if s.kind == "propose" and offer is not None:
        return "offer_to_mediate"
    if s.kind not in ("call", "demand", "propose") and first("modal") is None:
        return None
    ceasefire, talks = first("ceasefire"), first("talks")
    if ceasefire is None and talks is None:
        return None
    if talks is None or (ceasefire is not None and ceasefire < talks):
        return "call_for_ceasefire"
    return "call_for_talks"


def _parties(ctx: Context, i: int, mediator: Actor) -> tuple[Actor, ...]:
    """The states named in the sentence, other than the mediator."""
    start, end = ctx.sentence_of_token(i)
    seen: dict[str, Actor] = {}
    for loc in ctx.mentions:
        actor = loc.mention.actor
        if start <= ctx.tokens[loc.first].start < end and actor.kind == "State" and actor.iri != mediator.iri:
            seen.setdefault(actor.iri, actor)
    return tuple(seen.values())
