"""The build pipeline for a batch: ingest → extract → graph → validate → store.

Each article is handled on its own: a bad one is reported and skipped, the rest go on.
Workers (with jobs > 1) extract, map and validate; this process alone writes, in input
order, so the store and the report do not depend on jobs. New articles are written in
small batches with Oxigraph's bulk loader; an article already in the store is replaced in
one transaction. Either way an article is in the store whole or not at all.
"""

from __future__ import annotations

import multiprocessing
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path

import pyoxigraph as ox

from kg.extract import extract
from kg.graph import article_triples
from kg.ingest import Article, Skipped, read_paths
from kg.namespaces import graph_iri
from kg.resources import ontology_path
from kg.store import ArticleWrite, add_new_articles, load_ontology, split_view, write_article
from kg.validate import Violation, validate_ntriples


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
    new_articles: int = 0
    optimize_seconds: float | None = None  # None: the store was not compacted

    @property
    def loaded(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.loaded]

    @property
    def skipped(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.loaded]


PARALLEL_MIN_FILES = 16  # below this, starting worker processes costs more than it saves
CHUNK = 8  # articles per task sent to a worker
IN_FLIGHT = 16  # tasks per worker queued or done but not yet written: bounds memory, keeps workers busy
BATCH_ARTICLES = 128  # new articles bulk-loaded together: a progress step, and what a crash can lose
BATCH_QUADS = 200_000  # far below the loader's 1M-quad batch, so that one load is one atomic ingestion
# Bulk loads leave many small files that every lookup must visit: after this many new articles
# one compaction makes the named queries 2-4x faster (measured at 10k: 19 s for a 180 s build).
OPTIMIZE_AFTER = 1000


def build(
    store: ox.Store,
    files: list[Path],
    on_outcome: Callable[[Outcome], None] = lambda _: None,
    published: str | None = None,
    links: dict[str, str | None] | None = None,
    jobs: int = 1,
    optimize: bool = True,
) -> BuildReport:
    """Build every article of these files (see kg.ingest.find_files) into the store.

    published is the publication date of articles whose source gives none; links are a
    researcher's Wikidata decisions. With jobs > 1 (and enough files) articles are
    extracted, mapped and validated in that many worker processes. Articles stream through:
    neither the corpus nor its graph is ever held in memory whole. A build that added
    OPTIMIZE_AFTER articles or more compacts the store at the end (unless optimize is False)."""
    load_ontology(store, ontology_path("conflict.ttl"))  # vocabulary notations for the queries
    items = _unique_articles(files, published)
    writer = _Writer(store, on_outcome)
    if jobs > 1 and len(files) >= PARALLEL_MIN_FILES:
        prepared = _prepared_in_workers(items, links or {}, jobs)
    else:
        prepared = (_prepare(item, links or {}) for item in items)
    for result in prepared:
        writer.add(result)
    writer.flush()
    if optimize and writer.report.new_articles >= OPTIMIZE_AFTER:
        start = time.perf_counter()
        store.optimize()
        writer.report.optimize_seconds = time.perf_counter() - start
    return writer.report


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
    write: ArticleWrite | None = None
    quads: int = 0
    counts: dict = field(default_factory=dict)


def _prepare(article: Article | Outcome, links: dict) -> _Prepared:
    """Extract, map to RDF and validate one article."""
    if isinstance(article, Outcome):
        return _Prepared(article)
    try:
        extraction = extract(article)
        triples = article_triples(extraction, links)
        violations = validate_ntriples(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
    except Exception as err:  # one article's failure must not stop the batch
        return _Prepared(Outcome(article.source, article.id, False, f"extraction failed: {type(err).__name__}: {err}"))
    if violations:
        return _Prepared(Outcome(article.source, article.id, False, "violates the SHACL shapes", violations))
    counts = {"mentions": len(extraction.mentions), "statements": len(extraction.statements),
              "casualties": len(extraction.casualties), "mediations": len(extraction.mediations)}
    return _Prepared(Outcome(article.source, article.id, True), split_view(article.id, triples), len(triples), counts)


_worker_links: dict = {}


def _start_worker(links: dict) -> None:
    global _worker_links
    _worker_links = links


def _prepare_chunk(chunk: list[Article | Outcome]) -> list[_Prepared]:
    return [_prepare(item, _worker_links) for item in chunk]


def _prepared_in_workers(items: Iterator[Article | Outcome], links: dict, jobs: int) -> Iterator[_Prepared]:
    """_prepare over the items in worker processes, results in input order. Only a few
    chunks per worker are in flight, so a slow writer never lets results pile up."""
    context = multiprocessing.get_context("spawn")  # workers must not inherit the open store
    with context.Pool(jobs, initializer=_start_worker, initargs=(links,)) as pool:
        pending: deque = deque()
        while chunk := list(islice(items, CHUNK)):
            pending.append(pool.apply_async(_prepare_chunk, (chunk,)))
            if len(pending) >= jobs * IN_FLIGHT:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


class _Writer:
    """Writes prepared articles and reports their outcomes, in input order, each once it
    is committed."""

    def __init__(self, store: ox.Store, on_outcome: Callable[[Outcome], None]):
        self.store = store
        self.on_outcome = on_outcome
        self.report = BuildReport()
        self.batch: list[_Prepared] = []
        self.batch_quads = 0

    def add(self, prepared: _Prepared) -> None:
        article_id = prepared.outcome.article_id
        if prepared.write is None:
            self.batch.append(prepared)  # a skipped article: reported in its place in the order
        elif self.store.contains_named_graph(ox.NamedNode(graph_iri(article_id))):
            self.flush()
            write_article(self.store, prepared.write)
            self._done(prepared)
        else:
            self.batch.append(prepared)
            self.batch_quads += prepared.quads
        if len(self.batch) >= BATCH_ARTICLES or self.batch_quads >= BATCH_QUADS:
            self.flush()

    def flush(self) -> None:
        new = [p.write for p in self.batch if p.write is not None]
        if new:
            add_new_articles(self.store, new)
            self.report.new_articles += len(new)
        for prepared in self.batch:
            self._done(prepared)
        self.batch, self.batch_quads = [], 0

    def _done(self, prepared: _Prepared) -> None:
        if prepared.write is not None:
            self.report.quads += prepared.quads
            self.report.counts.update(prepared.counts)
        self.report.outcomes.append(prepared.outcome)
        self.on_outcome(prepared.outcome)
