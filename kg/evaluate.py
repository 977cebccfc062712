"""Scoring extraction against gold annotations (tests/gold/SCHEMA.md).

Per article, greedy one-to-one matching: casualties on kind and count, statements on
speaker and overlapping evidence, mediations on mediator and overlapping evidence, actors
by Wikidata ID, English name (whatever its case) or Arabic mention. Gold items marked
optional (and every casualty without a count) are neither rewarded when found nor penalised when missed.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.extract import extract
from kg.extract.mentions import proclitic_readings
from kg.extract.model import Actor, Extraction, Span
from kg.ingest import Article
from kg.text import normalize

CATEGORIES = ("actors", "statements", "casualties", "mediations")
ATTRIBUTES = {
    "casualties": ("qualifier", "victims", "claimant"),
    "statements": ("kind", "via"),
    "mediations": ("kind",),
}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    attributes: dict[str, list[int]] = field(default_factory=dict)  # name -> [correct, total]
    by_rule: dict[str, list[int]] = field(default_factory=dict)  # rule IRI -> [true, false positives]
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, name: str) -> float | None:
        correct, total = self.attributes.get(name, [0, 0])
        return correct / total if total else None

    def count(self, name: str, correct: bool, detail: str) -> None:
        tally = self.attributes.setdefault(name, [0, 0])
        tally[0] += int(correct)
        tally[1] += 1
        if not correct:
            self.wrong.append(f"{name}: {detail}")


class ArticleGold:
    """One article's gold annotation and the text it refers to."""

    def __init__(self, data: dict, text: str):
        self.data = data
        self.text = text
        self.mentions_by_name: dict[str, set[str]] = {}
        self.wikidata_by_name: dict[str, str] = {}
        for actor in data.get("actors", []):
            self.mentions_by_name[actor["name"]] = {f for m in actor.get("mentions", []) for f in surface_forms(m)}
            if actor.get("wikidata"):
                self.wikidata_by_name[actor["name"]] = actor["wikidata"]

    def spans_of(self, evidence: str) -> list[tuple[int, int]]:
        spans, start = [], self.text.find(evidence)
        while start >= 0:
            spans.append((start, start + len(evidence)))
            start = self.text.find(evidence, start + 1)
        return spans


class ActorMatcher:
    def __init__(self, gold: ArticleGold, extraction: Extraction):
        self.gold = gold
        self.surfaces: dict[str, set[str]] = {}
        for m in extraction.mentions:
            self.surfaces.setdefault(m.actor.iri, set()).update(surface_forms(m.span.text))

    def identical(self, actor: Actor, name: str) -> bool:
        """Matched by Wikidata ID or English name (al-Qaeda is Al-Qaeda, Khōst is Khost), not only
        by a mention."""
        if actor.label_en and _folded(actor.label_en) == _folded(name):
            return True
        return bool(actor.wikidata) and self.gold.wikidata_by_name.get(name) == actor.wikidata

    def same(self, actor: Actor | None, name: str | None) -> bool:
        if actor is None or name is None:
            return actor is None and name is None
        if self.identical(actor, name):
            return True
        forms = self.surfaces.get(actor.iri, set()) | (surface_forms(actor.label_ar) if actor.label_ar else set())
        return bool(forms & self.gold.mentions_by_name.get(name, set()))


def _folded(name: str) -> str:
    """An English name without case or accents: GeoNames writes Khōst and Pūnch."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)).casefold()


def surface_forms(surface: str) -> set[str]:
    """A mention normalized, with and without the conjunction and preposition written onto
    its first word (والبرلمان, لحركة حماس): annotators select the written word."""
    words = normalize(surface).split()
    if not words:
        return set()
    return {" ".join([form, *words[1:]]) for form, _ in proclitic_readings(words[0])}


def _overlaps(spans: Iterable[Span], gold_spans: list[tuple[int, int]]) -> bool:
    return any(s.start < ge and gs < s.end for s in spans for gs, ge in gold_spans)


def _match(
    golds: list[dict],
    preds: list,
    matches: Callable[[dict, object], bool],
    prefer: Callable[[dict, object], bool],
) -> tuple[list[tuple[dict, object]], list[dict], list]:
    """Greedy one-to-one matching, required gold items first, then optional ones."""
    free = list(preds)
    pairs, missed = [], []
    ordered = sorted(golds, key=lambda g: bool(g.get("optional") or g.get("count", 0) is None))
    for gold in ordered:
        candidates = [p for p in free if matches(gold, p)]
        if not candidates:
            missed.append(gold)
            continue
        best = next((p for p in candidates if prefer(gold, p)), candidates[0])
        free.remove(best)
        pairs.append((gold, best))
    return pairs, missed, free


def _is_optional(gold: dict) -> bool:
    return bool(gold.get("optional")) or ("count" in gold and gold["count"] is None)


def _tally(score: Score, pairs, missed, extra, describe_gold, describe_pred) -> list:
    required_pairs = [(g, p) for g, p in pairs if not _is_optional(g)]
    score.tp += len(required_pairs)
    for _, p in required_pairs:
        if hasattr(p, "rule"):
            score.by_rule.setdefault(p.rule or "(no rule)", [0, 0])[0] += 1
    for p in extra:
        if hasattr(p, "rule"):
            score.by_rule.setdefault(p.rule or "(no rule)", [0, 0])[1] += 1
    for g in missed:
        if not _is_optional(g):
            score.fn += 1
            score.misses.append(describe_gold(g))
    for p in extra:
        score.fp += 1
        score.false_positives.append(describe_pred(p))
    return required_pairs


def _score_acts(score: Score, gold: ArticleGold, actors: ActorMatcher, doc: str, golds: list[dict], preds: list,
                who: str, actor_of) -> list:
    """Statements and mediations: matched on the actor and an overlapping span, with the
    accuracy of their kind on matched pairs."""
    pairs, missed, extra = _match(
        golds, preds,
        lambda g, p: actors.same(actor_of(p), g[who]) and _overlaps([p.evidence], gold.spans_of(g["evidence"])),
        lambda g, p: p.kind == g["kind"],
    )
    matched = _tally(score, pairs, missed, extra,
                     lambda g: f"{doc}: {g[who]} {g['kind']}: {g['evidence']}",
                     lambda p: f"{doc}: {actor_of(p).label_en or actor_of(p).label_ar} {p.kind}: {p.evidence.text}")
    for g, p in matched:
        score.count("kind", p.kind == g["kind"], f"{doc}: {g['kind']} ≠ {p.kind}: {g['evidence']}")
    return matched


def score_article(gold: ArticleGold, extraction: Extraction, scores: dict[str, Score]) -> None:
    doc = gold.data.get("id", extraction.article.id)
    actors = ActorMatcher(gold, extraction)

    if "actors" in gold.data:
        predicted = extraction.actors()
        pairs, missed, extra = _match(
            gold.data["actors"], predicted, lambda g, p: actors.same(p, g["name"]),
            lambda g, p: actors.identical(p, g["name"]),  # Doha the city before Qatar named by الدوحة
        )
        _tally(scores["actors"], pairs, missed, extra,
               lambda g: f"{doc}: {g['name']} {g.get('mentions', [])}",
               lambda p: f"{doc}: {p.label_en or p.label_ar} <{p.iri}>")

    if "statements" in gold.data:
        matched = _score_acts(scores["statements"], gold, actors, doc, gold.data["statements"],
                              extraction.statements, "speaker", lambda p: p.speaker)
        for g, p in matched:
            scores["statements"].count("via", actors.same(p.via, g.get("via")),
                                       f"{doc}: {g.get('via')} ≠ {p.via and p.via.label_en}: {g['evidence']}")

    if "casualties" in gold.data:
        pairs, missed, extra = _match(
            gold.data["casualties"], extraction.casualties,
            lambda g, p: p.kind == g["kind"] and p.count == g["count"],
            lambda g, p: _overlaps(p.evidence, gold.spans_of(g["evidence"])),
        )
        matched = _tally(scores["casualties"], pairs, missed, extra,
                         lambda g: f"{doc}: {g['kind']} {g['count']} {g['victims']}: {g['evidence']}",
                         lambda p: f"{doc}: {p.kind} {p.count} {p.victims}: {p.evidence[0].text}")
        for g, p in matched:
            where = f"{doc}: {g['evidence']}"
            scores["casualties"].count("qualifier", p.qualifier == g["qualifier"],
                                       f"{g['qualifier']} ≠ {p.qualifier}, {where}")
            scores["casualties"].count("victims", p.victims == g["victims"], f"{g['victims']} ≠ {p.victims}, {where}")
            claimant = p.claimant.label_en if p.claimant else None
            scores["casualties"].count("claimant", actors.same(p.claimant, g.get("claimant")),
                                       f"{g.get('claimant')} ≠ {claimant}, {where}")

    if "mediations" in gold.data:
        _score_acts(scores["mediations"], gold, actors, doc, gold.data["mediations"], extraction.mediations,
                    "mediator", lambda p: p.mediator)

@dataclass
class Evaluation:
    scores: dict[str, Score]
    articles: int
    missing_articles: list[str]

    def as_dict(self) -> dict:
        out: dict = {"articles": self.articles, "missing_articles": self.missing_articles}
        for name, s in self.scores.items():
            out[name] = {
                "precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4),
                "tp": s.tp, "fp": s.fp, "fn": s.fn,
                "rules": {rule: {"tp": tp, "fp": fp} for rule, (tp, fp) in sorted(s.by_rule.items())},
                "accuracy": {a: (None if s.accuracy(a) is None else round(s.accuracy(a), 4))
                             for a in ATTRIBUTES.get(name, ())},
            }
        return out


def load_gold(gold_dir: Path) -> dict[str, dict]:
    gold = {}
    for path in sorted(gold_dir.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        gold[data.get("id") or path.stem] = data
    return gold


def evaluate(gold_dir: Path, articles: dict[str, Article]) -> Evaluation:
    scores = {name: Score() for name in CATEGORIES}
    missing = []
    gold = load_gold(gold_dir)
    for article_id, data in gold.items():
        article = articles.get(article_id)
        if article is None:
            missing.append(article_id)
            continue
        score_article(ArticleGold(data, article.text), extract(article), scores)
    return Evaluation(scores, len(gold) - len(missing), missing)
