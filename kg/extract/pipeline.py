"""The extraction pipeline, declared once: named components, each with what it needs and
what it produces (spaCy's components are the model). `run` checks at import that every
need is produced by an earlier component, and hands each component only the state it
declared; a component that does not produce what it says fails loudly."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from kg.extract.casualties import find_casualties
from kg.extract.context import Context
from kg.extract.dates import date_in, published_date
from kg.extract.mediation import find_mediations
from kg.extract.mentions import places_inside, state_or_its_place
from kg.extract.model import Span
from kg.extract.statements import find_statements


@dataclass(frozen=True)
class Component:
    name: str
    needs: tuple[str, ...]
    produces: tuple[str, ...]
    run: Callable[..., dict]
    description: str


def _statements(context: Context) -> dict:
    """Reporting verbs and relays, their speakers (actors outside the gazetteer found as
    speakers, anaphora resolved, speakers continued): statements, and the speakers' mentions."""
    statements, speakers = find_statements(context)
    return {"statements": statements, "speakers": speakers}


def _mentions(context: Context, speakers: list) -> dict:
    """The gazetteer's mentions with the speakers found outside it; a name inside a longer
    speaker's name (الأمم المتحدة in بعثة الأمم المتحدة في العراق) is part of it, but a state or
    place it names (ليبيا in بعثة الأمم المتحدة في ليبيا) is named too."""
    inside = [loc for loc in context.mentions if any(s.first <= loc.first and loc.last <= s.last and s is not loc
                                                     and s.last > s.first for s in speakers)
              and not state_or_its_place(loc.mention.actor)]
    located = sorted([*(m for m in context.mentions if m not in inside), *speakers], key=lambda loc: loc.first)
    taken = {(loc.first, loc.mention.actor.iri) for loc in located}
    nested = [place for loc in located
              if loc.last > loc.first and loc.mention.actor.kind not in ("State", "Place", "Person")
              for place in places_inside(context.norm, context.tokens, loc, context.gazetteer)
              if (place.first, place.mention.actor.iri) not in taken]
    located = sorted([*located, *nested], key=lambda loc: loc.first)
    return {"mentions": [loc.mention for loc in located]}


def _casualties(context: Context, statements: list) -> dict:
    """Figures about people, their kind, victims and qualifier; their claimant (the speaker
    of their statement, rules/attribution.toml)."""
    return {"casualties": find_casualties(context, statements)}


def _mediations(context: Context, statements: list, casualties: list, speakers: list) -> dict:
    """rules/mediation.toml (their actors: the gazetteer's and the speakers found outside it
    by name),
    and calls for a ceasefire or talks in third parties' statements; never a side (a state
    whose forces are named, an armed group, a state where the dead fell)."""
    named = [loc for loc in speakers if loc.mention.actor.label_ar != loc.mention.actor.role]  # not an unnamed office
    return {"mediations": find_mediations(context.with_mentions(named), statements, casualties)}


def _dates(context: Context, statements: list, casualties: list, published: str | None) -> dict:
    """The relative date (أمس الثلاثاء) a statement's text, or a claim's sentence, names,
    resolved against the publication date."""
    day = published_date(published)
    return {"statements": [_dated(context, s, s.evidence, day) for s in statements],
            "casualties": [_dated(context, c, c.evidence[0], day, whole_sentence=True) for c in casualties]}


def _dated(ctx: Context, item, evidence: Span, published, whole_sentence: bool = False):
    start, end = ctx.norm_offset(evidence.start), ctx.norm_offset(evidence.end)
    if whole_sentence:
        start, end = ctx.sentences.bounds[ctx.sentences.index_of(start)]
    found = date_in(ctx, start, end, published)
    return replace(item, date_text=found.text, date=found.date) if found else item


# Given to the pipeline: the article's Context (normalized text, tokens, sentences, the
# gazetteer's mentions) and its publication date.
INPUTS = ("context", "published")
PIPELINE = (
    Component("statements", ("context",), ("statements", "speakers"), _statements, _statements.__doc__),
    Component("mentions", ("context", "speakers"), ("mentions",), _mentions, _mentions.__doc__),
    Component("casualties", ("context", "statements"), ("casualties",), _casualties, _casualties.__doc__),
    Component("mediations", ("context", "statements", "casualties", "speakers"), ("mediations",), _mediations,
              _mediations.__doc__),
    Component("dates", ("context", "statements", "casualties", "published"), ("statements", "casualties"), _dates,
              _dates.__doc__),
)


def check(pipeline: tuple[Component, ...], inputs: tuple[str, ...] = INPUTS) -> None:
    """ValueError unless every component's needs are inputs or produced before it."""
    available = set(inputs)
    for component in pipeline:
        if missing := sorted(set(component.needs) - available):
            raise ValueError(f"component {component.name!r} needs {', '.join(missing)}, which nothing before it "
                             "produces")
        available |= set(component.produces)


def run(pipeline: tuple[Component, ...], **state) -> dict:
    for component in pipeline:
        produced = component.run(**{name: state[name] for name in component.needs})
        if set(produced) != set(component.produces):
            raise RuntimeError(f"component {component.name!r} produced {sorted(produced)}, "
                               f"not {sorted(component.produces)}")
        state.update(produced)
    return state


check(PIPELINE)
