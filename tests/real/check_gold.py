"""Check gold annotations against tests/gold/SCHEMA.md and their article texts.

    python tests/real/check_gold.py tests/real/gsr [tests/real/news …]

Each folder holds articles/<id>.txt and gold/<id>.json. Every problem is printed as
FILE: message; the exit status is 1 when there is any. tests/test_real_corpus.py runs it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ACTOR_TYPES = {"Person", "State", "GovernmentBody", "ArmedForces", "ArmedGroup", "InternationalOrganization",
               "MediaOrganization", "OtherOrganization", "Place"}
STATEMENT_KINDS = {"assert", "deny", "call", "demand", "warn", "condemn", "announce", "propose", "accuse"}
CASUALTY_KINDS = {"killed", "injured", "evacuated", "displaced", "missing", "captured"}
QUALIFIERS = {"exact", "at_least", "at_most", "approx"}
VICTIMS = {"civilians", "military", "police", "children", "journalists", "people"}
MEDIATION_KINDS = {"brokered_ceasefire", "offer_to_mediate", "call_for_ceasefire", "call_for_talks", "hosted_talks",
                   "guarantor"}
FIELDS = {
    "actors": {"name": str, "mentions": list, "type": str},
    "statements": {"speaker": str, "kind": str, "evidence": str},
    "casualties": {"kind": str, "qualifier": str, "victims": str, "evidence": str},
    "mediations": {"mediator": str, "kind": str, "evidence": str},
}
ENUMS = {("statements", "kind"): STATEMENT_KINDS, ("casualties", "kind"): CASUALTY_KINDS,
         ("casualties", "qualifier"): QUALIFIERS, ("casualties", "victims"): VICTIMS,
         ("mediations", "kind"): MEDIATION_KINDS, ("actors", "type"): ACTOR_TYPES}


def problems_in(folder: Path) -> list[str]:
    found = []
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (folder / "articles").glob("*.txt")}
    golds = sorted((folder / "gold").glob("*.json"))
    for path in golds:
        found += [f"{path}: {p}" for p in _problems(path, texts.get(path.stem))]
    return found


def _problems(path: Path, text: str | None) -> list[str]:
    if text is None:
        return ["no article text (articles/<id>.txt)"]
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        return [f"invalid JSON: {err}"]
    out = []
    if gold.get("id") != path.stem:
        out.append(f"id {gold.get('id')!r} is not the file name {path.stem!r}")
    names = {a.get("name") for a in gold.get("actors", [])}
    for category, fields in FIELDS.items():
        for index, item in enumerate(gold.get(category, [])):
            where = f"{category}[{index}]"
            for name, kind in fields.items():
                if not isinstance(item.get(name), kind):
                    out.append(f"{where}: {name} missing or not a {kind.__name__}")
            for (cat, name), allowed in ENUMS.items():
                if cat == category and item.get(name) not in allowed:
                    out.append(f"{where}: {name} {item.get(name)!r} is not one of {sorted(allowed)}")
            evidence = item.get("evidence")
            if isinstance(evidence, str) and evidence not in text:
                out.append(f"{where}: evidence is not a substring of the article: {evidence[:60]!r}")
            if category == "actors":
                for mention in item.get("mentions", []):
                    if mention not in text:
                        out.append(f"{where}: mention {mention!r} is not in the article")
            if category == "casualties":
                count = item.get("count")
                if count is not None and (not isinstance(count, int) or isinstance(count, bool) or count < 0):
                    out.append(f"{where}: count must be a non-negative integer or null")
                if count is None and not item.get("optional"):
                    out.append(f"{where}: a claim with count null must be optional")
            for role in ("speaker", "claimant", "mediator", "via", "victim_side"):
                value = item.get(role)
                if category != "actors" and value and "actors" in gold and value not in names:
                    out.append(f"{where}: {role} {value!r} is not the name of an actor of this file")
    return out


def main() -> None:
    problems = [p for folder in sys.argv[1:] for p in problems_in(Path(folder))]
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s)")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
