"""The build pipeline for a batch: ingest → extract → graph → validate → store.

Each article is handled on its own: a bad one is reported and skipped, the rest go on.
Workers (with jobs > 1) extract, map and validate; this process alone writes, in input
order, so the store and the report do not depend on jobs. A worker that dies (the OOM
killer) costs a retry of its articles in a fresh worker, then their report as failed: the
build always ends. New articles are written in small batches with Oxigraph's bulk loader;
an article already in the store is replaced in one transaction, and the report says what
it replaced. Either way an article is in the store whole or not at all.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import re
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path

import pyoxigraph as ox

from kg.extract import extract
from kg.graph import article_triples
from kg.ingest import MAX_ARTICLE_CHARS, Article, Skipped, read_entry, too_long
from kg.namespaces import CK, graph_iri
from kg.resources import ontology_path
from kg.store import (
    ArticleWrite,
    add_new_articles,
    load_ontology,
    quads_matching,
    remove_article,
    split_view,
    write_article,
)
from kg.validate import Violation, validate_ntriples


@dataclass
class Outcome:
    source: str
    article_id: str | None
    loaded: bool
    reason: str = ""
    violations: list[Violation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # loaded, but worth saying: what it replaced, an id normalized


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
SHUTDOWN_GRACE = 5.0  # seconds a worker has to exit at the end of a build
IN_FLIGHT = 16  # tasks per worker queued or done but not yet written: bounds memory, keeps workers busy
BATCH_ARTICLES = 128  # new articles bulk-loaded together: a progress step, and what a crash can lose
BATCH_QUADS = 200_000  # far below the loader's 1M-quad batch, so that one load is one atomic ingestion
# Bulk loads leave many small files that every lookup must visit: after this many new articles
# one compaction makes the named queries 2-4x faster (measured at 10k: 19 s for a 180 s build).
OPTIMIZE_AFTER = 1000
CONFLICT_CHOICES = ("replace", "skip", "error")


class BuildAborted(Exception):
    """The store could not be written (disk full, …): what was committed is in report."""

    def __init__(self, report: BuildReport, cause: Exception):
        super().__init__(str(cause))
        self.report = report
        self.cause = cause


def build(
    store: ox.Store,
    files: list[Path],
    on_outcome: Callable[[Outcome], None] = lambda _: None,
    published: str | None = None,
    links: dict[str, str | None] | None = None,
    jobs: int = 1,
    optimize: bool = True,
    on_conflict: str = "replace",
    max_article_chars: int = MAX_ARTICLE_CHARS,
) -> BuildReport:
    """Build every article of these files (see kg.ingest.find_files) into the store.

    published is the publication date of articles whose source gives none; links are a
    researcher's Wikidata decisions. With jobs > 1 (and enough files) articles are
    extracted, mapped and validated in that many worker processes. Articles stream through:
    neither the corpus nor its graph is ever held in memory whole. A build that added
    OPTIMIZE_AFTER articles or more compacts the store at the end (unless optimize is False).

    on_conflict: what to do with an article whose id the store holds from another source
    file: replace it (and say so), skip it, or report it as an error. BuildAborted when the
    store cannot be written."""
    if on_conflict not in CONFLICT_CHOICES:
        raise ValueError(f"on_conflict must be one of {', '.join(CONFLICT_CHOICES)}")
    writer = _Writer(store, on_outcome, on_conflict)
    try:
        load_ontology(store, ontology_path("conflict.ttl"))  # vocabulary notations for the queries
        items = _unique_articles(files, published, max_article_chars)
        if jobs > 1 and len(files) >= PARALLEL_MIN_FILES:
            prepared = _prepared_in_workers(items, links or {}, jobs)
        else:
            prepared = (_prepare(item, links or {}) for item in items)
        for result in prepared:
            writer.add(result)
        writer.flush()
    except (OSError, RuntimeError) as err:  # RocksDB's errors: no space left, I/O error, …
        raise BuildAborted(writer.report, err) from err
    if optimize and writer.report.new_articles >= OPTIMIZE_AFTER:
        start = time.perf_counter()
        store.optimize()
        writer.report.optimize_seconds = time.perf_counter() - start
    return writer.report


def _unique_articles(files: Iterable[Path], published: str | None, max_chars: int) -> Iterator[Article | Outcome]:
    seen: dict[str, str] = {}
    for item in (i for f in files for i in read_entry(f)):
        if isinstance(item, Skipped):
            yield Outcome(item.source, None, False, item.reason)
        elif reason := too_long(item.text, max_chars):
            yield Outcome(item.source, item.id, False, reason)
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
    content_hash: str | None = None


def _prepare(article: Article | Outcome, links: dict) -> _Prepared:
    """Extract, map to RDF and validate one article."""
    if isinstance(article, Outcome):
        return _Prepared(article)
    notes = list(article.notes)
    try:
        extraction = extract(article)
        triples = article_triples(extraction, links)
        violations = validate_ntriples(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
    except Exception as err:  # one article's failure must not stop the batch
        return _Prepared(Outcome(article.source, article.id, False, f"extraction failed: {type(err).__name__}: {err}",
                                 notes=notes))
    if violations:
        return _Prepared(Outcome(article.source, article.id, False, "violates the SHACL shapes", violations, notes))
    counts = {"mentions": len(extraction.mentions), "statements": len(extraction.statements),
              "casualties": len(extraction.casualties), "mediations": len(extraction.mediations)}
    return _Prepared(Outcome(article.source, article.id, True, notes=notes), split_view(article.id, triples),
                     len(triples), counts, hashlib.sha256(article.text.encode("utf-8")).hexdigest())


_worker_links: dict = {}


def _start_worker(links: dict) -> None:
    global _worker_links
    _worker_links = links


def _prepare_chunk(chunk: list[Article | Outcome]) -> list[_Prepared]:
    return [_prepare(item, _worker_links) for item in chunk]


def _prepared_in_workers(items: Iterator[Article | Outcome], links: dict, jobs: int) -> Iterator[_Prepared]:
    """_prepare over the items in worker processes, results in input order. Only a few
    chunks per worker are in flight, so a slow writer never lets results pile up. When a
    worker dies, every chunk in flight is lost with the pool: each of their articles is
    retried alone in a fresh pool, and one that kills its worker again is reported."""
    pool = _Pool(jobs, links)
    pending: deque[tuple[list, Future]] = deque()
    try:
        while True:
            while len(pending) < jobs * IN_FLIGHT and (chunk := list(islice(items, CHUNK))):
                pending.append((chunk, pool.submit(chunk)))
            if not pending:
                return
            chunk, future = pending.popleft()
            try:
                yield from future.result()
            except BrokenProcessPool:
                lost = [chunk] + [c for c, _ in pending]
                pending.clear()
                pool.restart()
                yield from (pool.run_alone(item) for c in lost for item in c)
    finally:
        pool.close()


class _Pool:
    """Worker processes for _prepare_chunk, started again when one of them dies."""

    def __init__(self, jobs: int, links: dict):
        self.jobs, self.links = jobs, links
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("spawn")  # workers must not inherit the open store
        return ProcessPoolExecutor(self.jobs, mp_context=context, initializer=_start_worker, initargs=(self.links,))

    def submit(self, chunk: list) -> Future:
        return self.executor.submit(_prepare_chunk, chunk)

    def restart(self) -> None:
        self.close()
        self.executor = self._start()

    def close(self) -> None:
        """Stop the workers. After a worker was killed, the executor's own shutdown can wait
        forever for a survivor (measured: a build hung at its end), so a worker still alive
        after a few seconds is killed: every result it was asked for has been received."""
        processes = list((getattr(self.executor, "_processes", None) or {}).values())
        self.executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.join(SHUTDOWN_GRACE)
            if process.is_alive():
                process.kill()
                process.join(SHUTDOWN_GRACE)

    def run_alone(self, item: Article | Outcome) -> _Prepared:
        """The item on its own: the retry of an article whose worker died."""
        if isinstance(item, Outcome):
            return _Prepared(item)
        try:
            return self.submit([item]).result()[0]
        except BrokenProcessPool:
            self.restart()
            return _Prepared(Outcome(item.source, item.id, False, "its worker process died twice while extracting "
                                     "it (killed, or out of memory?)", notes=list(item.notes)))


SOURCE_FILE = ox.NamedNode(CK + "sourceFile")
CONTENT_HASH = ox.NamedNode(CK + "contentHash")
_RECORD = re.compile(r"(?::\d+|\[\d+\])$")  # feed.jsonl:12, feed.json[3]


def source_file(source: str) -> str:
    """The file a source names, without the record's line or index."""
    return _RECORD.sub("", source)


class _Writer:
    """Writes prepared articles and reports their outcomes, in input order, each once it
    is committed. An id already in the store from another file is a conflict (on_conflict);
    every replacement is reported."""

    def __init__(self, store: ox.Store, on_outcome: Callable[[Outcome], None], on_conflict: str = "replace"):
        self.store = store
        self.on_outcome = on_outcome
        self.on_conflict = on_conflict
        self.report = BuildReport()
        self.batch: list[_Prepared] = []
        self.batch_quads = 0
        self.this_build: set[str] = set()  # ids written by this build (a later duplicate is no conflict)

    def add(self, prepared: _Prepared) -> None:
        article_id = prepared.outcome.article_id
        graph = ox.NamedNode(graph_iri(article_id)) if article_id else None
        stored = graph is not None and article_id not in self.this_build and self.store.contains_named_graph(graph)
        if prepared.write is None:
            if stored and not prepared.outcome.reason.startswith("duplicate"):
                self.flush()
                self._rejected_over(prepared, graph)
            self.batch.append(prepared)  # a skipped article: reported in its place in the order
        elif stored:
            self.flush()
            if self._replaces(prepared, graph):
                write_article(self.store, prepared.write)
                self.this_build.add(article_id)
            self._done(prepared)
        else:
            self.batch.append(prepared)
            self.batch_quads += prepared.quads
            self.this_build.add(article_id)
        if len(self.batch) >= BATCH_ARTICLES or self.batch_quads >= BATCH_QUADS:
            self.flush()

    def _previous(self, graph: ox.NamedNode) -> tuple[str, str]:
        source = next((q.object.value for q in quads_matching(self.store, None, SOURCE_FILE, None, graph)), "?")
        digest = next((q.object.value for q in quads_matching(self.store, None, CONTENT_HASH, None, graph)), "")
        return source, digest

    def _replaces(self, prepared: _Prepared, graph: ox.NamedNode) -> bool:
        """Whether the article replaces the stored one (the outcome says what happened)."""
        outcome = prepared.outcome
        source, digest = self._previous(graph)
        if source_file(source) != source_file(outcome.source):
            if self.on_conflict != "replace":
                outcome.loaded = False
                outcome.reason = (f"id {outcome.article_id!r} is already in the store from {source}: kept that one "
                                  f"(--on-conflict {self.on_conflict})")
                return False
            outcome.notes.append(f"replaced {outcome.article_id}: was {source}")
        elif digest != prepared.content_hash:
            outcome.notes.append(f"replaced {outcome.article_id}: its text changed")
        return True

    def _rejected_over(self, prepared: _Prepared, graph: ox.NamedNode) -> None:
        """A new version that cannot be loaded, of an article the store holds."""
        outcome = prepared.outcome
        source, _ = self._previous(graph)
        if self.on_conflict == "replace":
            remove_article(self.store, outcome.article_id)
            outcome.reason += f"; removed the previous version (from {source}) (--on-conflict replace)"
        else:
            outcome.reason += f"; kept the previous version (from {source})"

    def flush(self) -> None:
        new = [p.write for p in self.batch if p.write is not None]
        if new:
            add_new_articles(self.store, new)
            self.report.new_articles += len(new)
        for prepared in self.batch:
            self._done(prepared)
        self.batch, self.batch_quads = [], 0

    def _done(self, prepared: _Prepared) -> None:
        if prepared.outcome.loaded:
            self.report.quads += prepared.quads
            self.report.counts.update(prepared.counts)
        self.report.outcomes.append(prepared.outcome)
        self.on_outcome(prepared.outcome)
