"""Extraction rules are data (rules/*.toml): every rule's examples match it and its
counter-examples do not, and a rule that does not hold together fails at load, naming the
file, the line and the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract import extract
from kg.extract.rules import DataError, load_rules, rules_for
from kg.ingest import Article

RULES = [rule for extractor in ("mediation", "attribution", "casualties") for rule in rules_for(extractor)]


def _rules_found(text: str) -> set[str]:
    found = extract(Article(id="example", text=text, source="example"))
    return ({m.rule for m in found.mediations} | {s.rule for s in found.statements}
            | {r for c in found.casualties for r in (c.rule, c.claimant_rule)})


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


def test_kg_check_data_names_the_file_and_line_of_a_bad_cell(tmp_path):
    import shutil

    from conftest import run

    from kg.resources import resource_dir

    lexicons = tmp_path / "lexicons"
    shutil.copytree(resource_dir("lexicons"), lexicons)
    verbs = lexicons / "reporting_verbs.tsv"
    lines = verbs.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, start=1) if line and not line.startswith("#"))
    lines[number - 1] = lines[number - 1].replace("\tassert", "\tasert", 1).replace("\tannounce", "\tanounce", 1)
    verbs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run("check-data").output.strip() == "lexicons and rules: no problem"
    result = run("check-data", "--lexicons", str(lexicons), expect=1)
    assert f"{verbs}:{number}: column 2:" in result.output and "is not one of" in result.output


def test_every_statement_claim_and_mediation_records_its_rule(seed_texts):
    from conftest import SEEDS, run

    for text in seed_texts.values():
        found = extract(Article(id="seed", text=text, source="seed"))
        for item in (*found.statements, *found.casualties, *found.mediations):
            assert item.rule and item.rule.startswith("https://w3id.org/conflict-kg/rule/"), item
    verbose = run("eval", str(SEEDS.parent / "tests" / "gold"), str(SEEDS), "--verbose").output
    assert "mediation/brokered-by-actor" in verbose and "statements/subject-after-verb" in verbose


def test_the_statement_words_roles_are_the_ones_the_finder_reads(tmp_path):
    """Every role in lexicons/statement_words.tsv is one the statements finder reads, each of
    those has a word, and a misspelt role fails kg check-data with its line."""
    import re
    import shutil

    from conftest import run

    import kg.extract.statements
    from kg.extract.lexicons import STATEMENT_WORD_ROLES, statement_words
    from kg.resources import resource_dir

    finder = Path(kg.extract.statements.__file__).read_text(encoding="utf-8")
    assert set(re.findall(r'speech_words\("(\w+)"', finder)) == STATEMENT_WORD_ROLES
    assert all(statement_words(role) for role in STATEMENT_WORD_ROLES)
    with pytest.raises(ValueError, match="no role 'speaker_noun'"):
        statement_words("speaker_noun")
    lexicons = tmp_path / "lexicons"
    shutil.copytree(resource_dir("lexicons"), lexicons)
    words = lexicons / "statement_words.tsv"
    lines = words.read_text(encoding="utf-8").splitlines()
    number = lines.index("باسم\ton_behalf_of") + 1
    lines[number - 1] = "باسم\ton_behalf"
    words.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("check-data", "--lexicons", str(lexicons), expect=1)
    assert f"{words}:{number}: column 2: 'on_behalf' is not one of" in result.output


def test_kg_check_data_names_a_form_listed_twice(tmp_path):
    from conftest import lexicons_with_row, run

    lexicons, table, number = lexicons_with_row(tmp_path, "casualty_terms.tsv", "قتيلا\tinjured\tpeople\tn")
    result = run("check-data", "--lexicons", str(lexicons), expect=1)
    assert f"{table}:{number}: قتيلا is already listed on line" in result.output


def test_an_end_element_matches_where_a_clause_ends_and_takes_no_token():
    from kg.extract.context import Context
    from kg.extract.gazetteer import default_gazetteer
    from kg.extract.patterns import matches, pattern

    ends_on_figure = pattern([{"word": "مقتل", "anchor": True}, {"quantity": True}, {"end": True}])

    def found(text: str) -> list[str]:
        ctx = Context.build(text, default_gazetteer())
        return [" ".join(t.text for t in ctx.tokens[m.start : m.end]) for m in matches(ctx, ends_on_figure)]

    assert found("وأسفر الهجوم عن مقتل 13، بحسب الشرطة.") == ["مقتل 13"]
    assert found("وأسفر الهجوم عن مقتل 13.") == ["مقتل 13"]
    assert found("وأسفر الهجوم عن مقتل 13 طفلا.") == []
    with pytest.raises(ValueError, match="end must be true"):
        pattern([{"word": "مقتل", "anchor": True}, {"end": 1}])
