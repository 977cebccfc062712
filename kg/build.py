"""The build pipeline for a batch: ingest → extract → graph → validate → store.

Each article is handled on its own: a bad one is reported and skipped, the rest go on.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox

from kg.extract import extract
from kg.graph import article_graph
from kg.ingest import Article, Skipped, read_paths
from kg.resources import ontology_path
from kg.store import load_ontology, replace_article_ntriples
from kg.validate import Violation, validate_graph


@dataclass
class Outcome:
    source: str
    article_id: str | None
    loaded: bool
    reason: str = ""
    violations: list[Violation] = field(default_factory=list)


@dataclass
class BuildReport:
    outcomes: list[Outcome] = field(default_factory=list)
    quads: int = 0
    counts: Counter = field(default_factory=Counter)

    @property
    def loaded(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.loaded]

    @property
    def skipped(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.loaded]


PARALLEL_MIN_FILES = 16  # below this, starting worker processes costs more than it saves


def build(
    store: ox.Store,
    files: list[Path],
    on_outcome: Callable[[Outcome], None] = lambda _: None,
    published: str | None = None,
    links: dict[str, str | None] | None = None,
    jobs: int = 1,
) -> BuildReport:
    """Build every article of these files (see kg.ingest.find_files) into the store.

    published is the publication date of articles whose source gives none; links are a
    researcher's Wikidata decisions. With jobs > 1 (and enough files) articles are
    extracted, mapped and validated in that many worker processes; this process alone
    writes to the store, in input order, so the result does not depend on jobs."""
    report = BuildReport()
    load_ontology(store, ontology_path("conflict.ttl"))  # vocabulary notations for the queries
    items = _unique_articles(files, published)
    if jobs > 1 and len(files) >= PARALLEL_MIN_FILES:
        context = multiprocessing.get_context("spawn")  # workers must not inherit the open store
        with context.Pool(jobs) as pool:
            results = pool.imap(_prepared, ((item, links or {}) for item in items), chunksize=4)
            for result in results:
                _record(store, result, report, on_outcome)
    else:
        for item in items:
            _record(store, _prepared((item, links or {})), report, on_outcome)
    return report


def _unique_articles(files: Iterable[Path], published: str | None) -> Iterator[Article | Outcome]:
    seen: dict[str, str] = {}
    for item in (i for f in files for i in read_paths([f])):
        if isinstance(item, Skipped):
            yield Outcome(item.source, None, False, item.reason)
        elif item.id in seen:
            yield Outcome(item.source, item.id, False, f"duplicate article id {item.id!r} (first in {seen[item.id]})")
        else:
            seen[item.id] = item.source
            yield replace(item, published=published) if published and not item.published else item


@dataclass
class _Prepared:
    outcome: Outcome
    ntriples: str | None = None
    quads: int = 0
    counts: dict = field(default_factory=dict)


def _prepared(job: tuple[Article | Outcome, dict]) -> _Prepared:
    """Extract, map to RDF and validate one article (in a worker when building in parallel)."""
    article, links = job
    if isinstance(article, Outcome):
        return _Prepared(article)
    try:
        extraction = extract(article)
        graph = article_graph(extraction, links)
    except Exception as err:  # one article's failure must not stop the batch
        return _Prepared(Outcome(article.source, article.id, False, f"extraction failed: {type(err).__name__}: {err}"))
    violations = validate_graph(graph)
    if violations:
        return _Prepared(Outcome(article.source, article.id, False, "violates the SHACL shapes", violations))
    counts = {"mentions": len(extraction.mentions), "statements": len(extraction.statements),
              "casualties": len(extraction.casualties), "mediations": len(extraction.mediations)}
    ntriples = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    return _Prepared(Outcome(article.source, article.id, True), ntriples, len(graph), counts)


def _record(store: ox.Store, prepared: _Prepared, report: BuildReport, on_outcome) -> None:
    if prepared.ntriples is not None:
        replace_article_ntriples(store, prepared.outcome.article_id, prepared.ntriples)
        report.quads += prepared.quads
        report.counts.update(prepared.counts)
    report.outcomes.append(prepared.outcome)
    on_outcome(prepared.outcome)
