"""Extraction rules kept as data: rules/<extractor>.toml, checked when they load.

Each rule has an id, a one-line description, a pattern (kg.extract.patterns), what it
produces (for mediation: its kind, a notation of the ontology's scheme, and the label of
the mediator), optional conditions on its sentence, and examples that it must match and
counter-examples that it must not (tests/test_rules.py runs them all). A rule that does not
hold together fails at load with the file, the line of its id and the reason."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import tomllib

from kg.extract.patterns import Pattern, pattern
from kg.resources import ontology_path, resource_dir

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SCHEMES = {"mediation": "MediationKindScheme", "attribution": None,  # extractor -> the scheme of its kinds
           "casualties": "CasualtyKindScheme"}
OUTPUT_LABELS = {"mediation": ("mediator",), "attribution": ("claimant",), "casualties": ("count",)}
FLAGS = {"mediation": ("coordinated", "coordinated-after"), "attribution": (), "casualties": ()}


class DataError(ValueError):
    """A rule or lexicon cell that cannot be used: says where and why."""


@dataclass(frozen=True)
class Rule:
    extractor: str
    id: str
    description: str
    pattern: Pattern
    kind: str
    labels: dict[str, str]  # output role -> pattern label
    sentence_has: tuple[Pattern, ...]
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]
    flags: frozenset[str]
    where: str  # file:line
    victims: str = "people"  # casualties: who the figure counts, unless its noun says

    @property
    def iri(self) -> str:
        from kg.namespaces import BASE

        return f"{BASE}rule/{self.extractor}/{self.id}"


@cache
def rules_for(extractor: str) -> tuple[Rule, ...]:
    return load_rules(resource_dir("rules") / f"{extractor}.toml", extractor)


def load_rules(path: Path, extractor: str) -> tuple[Rule, ...]:
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise DataError(f"{path}: {err}") from None
    entries = data.get("rule")
    if not isinstance(entries, list) or set(data) - {"rule"}:
        raise DataError(f"{path}: a rules file is a list of [[rule]] tables and nothing else")
    rules, seen = [], set()
    for index, entry in enumerate(entries):
        where = f"{path}:{_line_of(text, entry.get('id'), index)}"
        try:
            rule = _rule(entry, extractor, where)
        except (ValueError, KeyError, TypeError) as err:
            raise DataError(f"{where}: rule {entry.get('id', index + 1)!r}: {err}") from None
        if rule.id in seen:
            raise DataError(f"{where}: rule id {rule.id!r} is used twice")
        seen.add(rule.id)
        rules.append(rule)
    return tuple(rules)


def _line_of(text: str, rule_id: object, index: int) -> int:
    if isinstance(rule_id, str):
        match = re.search(rf'^\s*id\s*=\s*"{re.escape(rule_id)}"', text, re.MULTILINE)
        if match:
            return text.count("\n", 0, match.start()) + 1
    starts = [m.start() for m in re.finditer(r"^\s*\[\[rule\]\]", text, re.MULTILINE)]
    return text.count("\n", 0, starts[index]) + 1 if index < len(starts) else 1


def _rule(entry: dict, extractor: str, where: str) -> Rule:
    known = {"id", "description", "pattern", "kind", "sentence_has", "examples", "counter_examples", "flags",
             "victims", *OUTPUT_LABELS[extractor]}
    if unknown := sorted(set(entry) - known):
        raise ValueError(f"unknown key {unknown[0]!r}")
    rule_id, description = entry["id"], entry["description"]
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise ValueError("id must be lower-case letters, digits and hyphens")
    if not isinstance(description, str) or not description.strip() or "\n" in description:
        raise ValueError("description must be one line")
    scheme = SCHEMES[extractor]
    if scheme is None and "kind" in entry:
        raise ValueError(f"a {extractor} rule has no kind")
    kinds = vocabulary(scheme) if scheme else frozenset({""})
    if entry.get("kind", "") not in kinds:
        raise ValueError(f"kind {entry.get('kind')!r} is not one of {', '.join(sorted(kinds))} "
                         "(ontology/conflict.ttl)")
    rule_pattern = pattern(entry["pattern"])
    names = {e.label for e in rule_pattern.elements if e.label}
    labels = {}
    for role in OUTPUT_LABELS[extractor]:
        label = entry.get(role)
        if label not in names:
            raise ValueError(f"{role} must name a label of the pattern ({', '.join(sorted(names)) or 'none'})")
        labels[role] = label
    sentence_has = tuple(pattern([{**spec, "anchor": True}]) for spec in entry.get("sentence_has", []))
    examples = tuple(entry.get("examples", ()))
    counter = tuple(entry.get("counter_examples", ()))
    if not examples or not all(isinstance(e, str) for e in (*examples, *counter)):
        raise ValueError("a rule has at least one example, and examples are strings")
    victims = entry.get("victims", "people")
    if "victims" in entry and extractor != "casualties":
        raise ValueError(f"a {extractor} rule has no victims")
    if victims not in (allowed := vocabulary("VictimsScheme")):
        raise ValueError(f"victims {victims!r} is not one of {', '.join(sorted(allowed))}")
    flags = frozenset(entry.get("flags", ()))
    if bad := sorted(flags - set(FLAGS[extractor])):
        raise ValueError(f"unknown flag {bad[0]!r} (known: {', '.join(FLAGS[extractor])})")
    return Rule(extractor, rule_id, description.strip(), rule_pattern, entry.get("kind", ""), labels, sentence_has,
                examples, counter, flags, where, victims)


@cache
def vocabulary(scheme: str) -> frozenset[str]:
    """The notations of one of the ontology's concept schemes: the one place the controlled
    vocabularies are declared."""
    from rdflib import Graph, Namespace
    from rdflib.namespace import SKOS

    ck = Namespace("https://w3id.org/conflict-kg/ontology#")
    graph = Graph().parse(ontology_path("conflict.ttl"))
    return frozenset(str(n) for c in graph.subjects(SKOS.inScheme, ck[scheme]) for n in graph.objects(c, SKOS.notation))
