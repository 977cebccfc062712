"""The gazetteer's Wikidata links must all come from the verified reference tables."""

import csv
import re
from pathlib import Path

from rdflib import OWL, SKOS, Graph

from kg.extract.gazetteer import fold

ROOT = Path(__file__).resolve().parent.parent
WIKIDATA = ROOT / "lexicons" / "wikidata"


def verified_qids() -> dict[str, str]:
    qids = {}
    with open(WIKIDATA / "qids.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["confidence"] == "verified" and row["qid"]:
                qids[row["qid"]] = row["english_name"]
    with open(WIKIDATA / "countries.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if not row["note"].startswith("source: duplicate"):
                qids.setdefault(row["qid"], row["name_en"])
    return qids


def test_every_wikidata_link_is_verified_and_names_the_same_entity():
    graph = Graph().parse(ROOT / "ontology" / "gazetteer.ttl")
    verified = verified_qids()
    links = list(graph.subject_objects(OWL.sameAs))
    assert len(links) >= 25
    for subject, target in links:
        qid = str(target).rsplit("/", 1)[-1]
        assert qid in verified, f"{subject}: {qid} is not a verified QID"
        english = {str(lbl) for lbl in graph.objects(subject, SKOS.prefLabel) if lbl.language == "en"}
        reference = re.sub(r"\s*\(.*\)", "", verified[qid])
        last_word = fold(reference).split()[-1]
        assert any(last_word in fold(e).split() for e in english), f"{subject}: {english} vs {reference}"


def test_unknown_rows_are_never_linked():
    graph = Graph().parse(ROOT / "ontology" / "gazetteer.ttl")
    linked = {str(o).rsplit("/", 1)[-1] for o in graph.objects(None, OWL.sameAs)}
    assert "Q244165" in linked  # Republic of Artsakh, verified
    for guess in ("Q57792", "Q4773962", "Q98950859", "Q11182", "Q15616276", "Q1000883", "Q18869"):
        assert guess not in linked
