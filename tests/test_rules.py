"""Extraction rules are data (rules/*.toml): every rule's examples match it and its
counter-examples do not, and a rule that does not hold together fails at load, naming the
file, the line and the reason."""

from __future__ import annotations

import pytest

from kg.extract import extract
from kg.extract.rules import DataError, load_rules, rules_for
from kg.ingest import Article

RULES = [rule for extractor in ("mediation",) for rule in rules_for(extractor)]


def _rules_found(text: str) -> set[str]:
    found = extract(Article(id="example", text=text, source="example"))
    return {m.rule for m in found.mediations}


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: f"{rule.extractor}/{rule.id}")
def test_every_rule_matches_its_examples_and_not_its_counter_examples(rule):
    for example in rule.examples:
        assert rule.iri in _rules_found(example), f"{rule.where}: the example does not match: {example}"
    for counter in rule.counter_examples:
        assert rule.iri not in _rules_found(counter), f"{rule.where}: the counter-example matches: {counter}"


GOOD = '''
[[rule]]
id = "ok"
description = "one line"
kind = "hosted_talks"
mediator = "m"
pattern = [{lex = "mediation_cues", role = "host", anchor = true}, {actor = [], label = "m"}]
examples = ["x"]
'''


@pytest.mark.parametrize("change, reason", [
    (('kind = "hosted_talks"', 'kind = "hosted"'), "kind 'hosted' is not one of"),
    (('role = "host"', 'role = "hots"'), "has no role 'hots'"),
    (('{actor = [], label = "m"}', '{actor = ["Stat"], label = "m"}'), "actor must list classes"),
    (('mediator = "m"', 'mediator = "x"'), "mediator must name a label"),
    ((', anchor = true', ''), "exactly one anchor"),
    (('examples = ["x"]', 'examples = []'), "at least one example"),
    (('{actor = [], label = "m"}', '{actor = [], labl = "m"}'), "unknown key 'labl'"),
    (('id = "ok"', 'id = "Not OK"'), "id must be"),
])
def test_a_bad_rule_fails_at_load_with_file_line_and_reason(tmp_path, change, reason):
    path = tmp_path / "mediation.toml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_rules(path, "mediation")
    path.write_text(GOOD.replace(*change), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_rules(path, "mediation")
    assert str(err.value).startswith(f"{path}:") and reason in str(err.value)
    assert f"{path}:3:" in str(err.value) or change[0].startswith("id")  # the line of the rule's id


def test_a_rule_file_that_is_not_toml_fails_with_its_line(tmp_path):
    path = tmp_path / "mediation.toml"
    path.write_text(GOOD + "\n[[rule]\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"line 10"):
        load_rules(path, "mediation")
