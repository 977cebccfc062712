"""The build pipeline for a batch: ingest → extract → graph → validate → store.

Each article is handled on its own: a bad one is reported and skipped, the rest go on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox

from kg.extract import extract
from kg.graph import article_graph
from kg.ingest import Article, Skipped, read_paths
from kg.store import replace_article
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


def build(
    store: ox.Store,
    files: Iterable[Path],
    on_outcome: Callable[[Outcome], None] = lambda _: None,
    published: str | None = None,
    links: dict[str, str | None] | None = None,
) -> BuildReport:
    """Build every article of these files (see kg.ingest.find_files) into the store.
    published is the publication date of articles whose source gives none."""
    report = BuildReport()
    seen: dict[str, str] = {}
    for item in (i for f in files for i in read_paths([f])):
        if isinstance(item, Skipped):
            outcome = Outcome(item.source, None, False, item.reason)
        elif item.id in seen:
            reason = f"duplicate article id {item.id!r} (first in {seen[item.id]})"
            outcome = Outcome(item.source, item.id, False, reason)
        else:
            seen[item.id] = item.source
            if published and not item.published:
                item = replace(item, published=published)
            outcome = _build_article(store, item, report, links or {})
        report.outcomes.append(outcome)
        on_outcome(outcome)
    return report


def _build_article(store: ox.Store, article: Article, report: BuildReport, links: dict) -> Outcome:
    try:
        extraction = extract(article)
        graph = article_graph(extraction, links)
    except Exception as err:  # one article's failure must not stop the batch
        return Outcome(article.source, article.id, False, f"extraction failed: {type(err).__name__}: {err}")
    violations = validate_graph(graph)
    if violations:
        return Outcome(article.source, article.id, False, "violates the SHACL shapes", violations)
    report.quads += replace_article(store, article.id, graph)
    report.counts.update(
        mentions=len(extraction.mentions),
        statements=len(extraction.statements),
        casualties=len(extraction.casualties),
        mediations=len(extraction.mediations),
    )
    return Outcome(article.source, article.id, True)
