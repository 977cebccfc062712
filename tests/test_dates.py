"""Relative dates resolved against the publication date, checked against the weekday."""

import json

import pytest
from conftest import run as run_cli

from kg.extract import extract
from kg.ingest import Article

TEXT = (
    "وأعلنت وزارة الصحة السودانية، أمس الثلاثاء، مقتل 12 شخصا في قصف على أم درمان. "
    "وقالت الشرطة السودانية إن 5 مدنيين قتلوا صباح الجمعة. "
    "وأعلن الجيش السوداني اليوم الخميس مقتل 3 مسلحين."
)


def dated(published: str | None):
    x = extract(Article(id="d", text=TEXT, source="t", published=published))
    return [(c.count, c.date_text, c.date) for c in x.casualties]


def test_relative_dates_resolve_against_the_publication_date():
    # 2024-05-15 is a Wednesday
    assert dated("2024-05-15") == [
        (12, "أمس الثلاثاء", "2024-05-14"),
        (5, "صباح الجمعة", "2024-05-10"),
        (3, "اليوم الخميس", None),  # today was not a Thursday: the phrase stays, no date
    ]


def test_without_a_publication_date_the_phrase_is_kept_and_no_date_is_made():
    assert dated(None) == [(12, "أمس الثلاثاء", None), (5, "صباح الجمعة", None), (3, "اليوم الخميس", None)]


@pytest.mark.parametrize(("published", "expected"), [("2024-05-16", "2024-05-16"), ("2024-05-17", None)])
def test_today_with_its_weekday(published, expected):
    text = "وأعلنت وزارة الدفاع الروسية اليوم الخميس مقتل 4 جنود."
    x = extract(Article(id="d", text=text, source="t", published=published))
    assert [s.date for s in x.statements] == [expected]


def test_build_published_option_dates_the_graph(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    store = str(tmp_path / "s")
    run_cli("build", str(tmp_path / "a.txt"), "--store", store, "--published", "2024-05-15")
    query = "SELECT ?count ?date ?period WHERE { ?c ck:count ?count ; ck:period ?period OPTIONAL { ?c ck:date ?date } }"
    rows = json.loads(run_cli("query", query, "--store", store, "--format", "json").output)
    assert sorted((r["count"], r["date"], r["period"]) for r in rows) == [
        (3, None, "2024-05"),
        (5, "2024-05-10", "2024-05"),
        (12, "2024-05-14", "2024-05"),
    ]
    assert "all 1 article graphs conform" in run_cli("validate", "--store", store).output


def test_published_option_rejects_a_bad_date(tmp_path):
    result = run_cli("build", str(tmp_path), "--published", "15/05/2024", "--store", str(tmp_path / "s"), expect=2)
    assert "15/05/2024" in result.output
