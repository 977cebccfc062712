"""The real corpus (tests/real): its gold holds together, its split is the frozen one, and
extraction does not fall below the scores recorded in tests/real/RESULTS.md on the dev
splits (the test splits are scored by hand, never asserted on while tuning)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kg.evaluate import evaluate
from kg.ingest import Article, read_paths

REAL = Path(__file__).resolve().parent / "real"
sys.path.insert(0, str(REAL))
from check_gold import problems_in  # noqa: E402
from split import split_of  # noqa: E402

FOLDERS = [REAL / corpus / part for corpus in ("gsr", "news") for part in ("dev", "test")]


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f"{f.parent.name}/{f.name}")
def test_gold_holds_together_and_sits_in_its_frozen_split(folder):
    assert problems_in(folder) == []
    ids = [p.stem for p in (folder / "gold").glob("*.json")]
    assert ids and all(split_of(i) == folder.name for i in ids)
    assert {p.stem for p in (folder / "articles").glob("*.txt")} == set(ids)


def test_the_corpus_is_the_size_the_issue_asks_for():
    gsr = sum(1 for part in ("dev", "test") for _ in (REAL / "gsr" / part / "gold").glob("*.json"))
    news = sum(1 for part in ("dev", "test") for _ in (REAL / "news" / part / "gold").glob("*.json"))
    assert gsr >= 500 and news >= 80


# Floors: the dev scores of RESULTS.md, rounded down; a change that loses ground fails here.
# (Lowered on 2026-12-04 when 80 new dev articles from four blind rounds came in: news dev
# grew from 195 to 275 articles, harder ones; then set to the session's end.)
FLOORS = {
    "news": {"actors": 0.82, "casualties": 0.89, "mediations": 0.72, "statements": 0.76, "claimant": 0.82},
    "gsr": {"actors": 0.73, "casualties": 0.87, "statements": 0.67, "claimant": 0.86},
}


@pytest.mark.parametrize("corpus", sorted(FLOORS))
def test_dev_scores_stay_at_or_above_the_recorded_ones(corpus):
    folder = REAL / corpus / "dev"
    articles = {a.id: a for a in read_paths([folder / "articles"]) if isinstance(a, Article)}
    result = evaluate(folder / "gold", articles)
    for category, floor in FLOORS[corpus].items():
        if category == "claimant":
            assert result.scores["casualties"].accuracy("claimant") >= floor
        else:
            assert result.scores[category].f1 >= floor, (category, result.scores[category].f1)
