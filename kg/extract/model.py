"""Plain dataclasses that extraction produces and the graph stage maps to RDF."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.ingest import Article

ACTOR_CLASSES = (
    "Person",
    "State",
    "GovernmentBody",
    "ArmedForces",
    "ArmedGroup",
    "InternationalOrganization",
    "MediaOrganization",
    "OtherOrganization",
    "Place",
)
CASUALTY_KINDS = ("killed", "injured", "evacuated", "displaced", "missing", "captured")
QUALIFIERS = ("exact", "at_least", "at_most", "approx")
VICTIMS = ("civilians", "military", "police", "children", "journalists", "people")
STATEMENT_KINDS = ("assert", "deny", "call", "demand", "warn", "condemn", "announce", "propose", "accuse")
MEDIATION_KINDS = (
    "brokered_ceasefire",
    "offer_to_mediate",
    "call_for_ceasefire",
    "call_for_talks",
    "hosted_talks",
    "guarantor",
)


@dataclass(frozen=True)
class Span:
    """Characters [start, end) of the original article text (Unicode code points)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Actor:
    iri: str
    kind: str  # one of ACTOR_CLASSES
    label_en: str | None = None
    label_ar: str | None = None
    wikidata: str | None = None  # a QID such as "Q227", only when verified
    role: str | None = None  # the title a person was named with in the article (وزير الخارجية السوداني)
    role_en: str | None = None  # the offices a gazetteer row gives a person, in English
    affiliation: str | None = None  # IRI of the state the actor belongs to (for a place: its country)
    geonames: str | None = None  # a place's GeoNames ID
    latitude: str | None = None  # a place's WGS84 coordinates, as GeoNames gives them (decimal degrees)
    longitude: str | None = None


@dataclass(frozen=True)
class Mention:
    actor: Actor
    span: Span
    metonym: bool = False  # named by metonymy (a capital standing for its state)


@dataclass(frozen=True)
class Statement:
    speaker: Actor
    kind: str
    evidence: Span
    via: Actor | None = None
    date_text: str | None = None  # أمس الثلاثاء, as written
    date: str | None = None  # ISO date it resolves to, checked against the weekday
    rule: str | None = None  # IRI of the rule or discourse step that found it


@dataclass(frozen=True)
class CasualtyClaim:
    kind: str
    count: int | None
    qualifier: str
    victims: str
    evidence: tuple[Span, ...]
    claimant: Actor | None = None
    victim_side: Actor | None = None
    place: Actor | None = None
    date_text: str | None = None
    date: str | None = None
    rule: str | None = None  # IRI of the rule that found the figure
    claimant_rule: str | None = None  # IRI of the step that attributed it (None: unattributed)


@dataclass(frozen=True)
class Mediation:
    mediator: Actor
    kind: str
    evidence: Span
    parties: tuple[Actor, ...] = ()
    rule: str | None = None  # IRI of the rule (rules/mediation.toml) or discourse step that found it


@dataclass
class Extraction:
    """Everything extracted from one article."""

    article: Article
    mentions: list[Mention] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    casualties: list[CasualtyClaim] = field(default_factory=list)
    mediations: list[Mediation] = field(default_factory=list)

    def actors(self) -> list[Actor]:
        """Every actor the extraction refers to, once each, in a stable order."""
        found: dict[str, Actor] = {}
        for m in self.mentions:
            found.setdefault(m.actor.iri, m.actor)
        for s in self.statements:
            for a in (s.speaker, s.via):
                if a:
                    found.setdefault(a.iri, a)
        for c in self.casualties:
            for a in (c.claimant, c.victim_side, c.place):
                if a:
                    found.setdefault(a.iri, a)
        for med in self.mediations:
            for a in (med.mediator, *med.parties):
                found.setdefault(a.iri, a)
        return [found[k] for k in sorted(found)]
