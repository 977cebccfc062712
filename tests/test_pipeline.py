"""The extraction pipeline is declared once (kg/extract/pipeline.py): every component's
needs come from the inputs or an earlier component, and a component produces exactly what
it declares."""

from __future__ import annotations

import pytest

from kg.extract.pipeline import INPUTS, PIPELINE, Component, check, run


def test_the_declared_pipeline_holds_together():
    check(PIPELINE)
    names = [c.name for c in PIPELINE]
    assert names == ["statements", "mentions", "casualties", "mediations", "dates"]
    assert all(c.description for c in PIPELINE)
    produced = set(INPUTS).union(*(c.produces for c in PIPELINE))
    assert {"mentions", "statements", "casualties", "mediations"} <= produced


def test_a_component_before_what_it_needs_is_refused():
    reordered = (PIPELINE[2], *PIPELINE[:2], *PIPELINE[3:])  # casualties before statements
    with pytest.raises(ValueError, match="component 'casualties' needs statements"):
        check(reordered)


def test_a_component_that_does_not_produce_what_it_declares_fails():
    liar = Component("liar", ("published",), ("dates",), lambda published: {"other": 1}, "says one thing")
    with pytest.raises(RuntimeError, match="component 'liar' produced"):
        run((liar,), published=None)
