"""End-to-end build benchmark on a deterministic synthetic corpus.

    python bench/build_bench.py --articles 1000 [--jobs N] [--workdir DIR]

Generates N articles by recombining the seed paragraphs (places, figures and order varied,
seeded so the corpus is the same every run), then measures on this machine:
- kg build end to end (ingest → extract → validate → load, and the compaction kg build
  runs after a large build) into a fresh on-disk store;
- each stage's share of the time, on a 20-article sample in one process;
- bulk-loading the very same quads from an N-Quads file into a fresh store (the ceiling);
- the naive path on the sample: rdflib graph → pySHACL → rdflib serialisation → Store.load;
- peak RSS (this process and its workers), store size on disk.
The store is kept in WORKDIR/store: bench/query_bench.py --store WORKDIR/store times the named
queries, the bound questions and the exports on it.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import resource
import shutil
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from kg.build import OPTIMIZE_AFTER, build
from kg.extract import extract
from kg.graph import article_graph, article_triples
from kg.ingest import Article, find_files, read_paths
from kg.namespaces import graph_iri
from kg.store import add_new_articles, open_store, split_view
from kg.validate import shapes_graph, validate_ntriples

ROOT = Path(__file__).resolve().parent.parent
PLACES = [("ناغورني كراباخ", "دارفور"), ("كاراباخ", "الفاشر"), ("أذربيجان", "السودان"), ("أرمينيا", "تشاد"),
          ("باكو", "الخرطوم"), ("يريفان", "نجامينا")]
SAMPLE = 20  # articles for the one-process stage shares and the naive path


def generate(n: int, folder: Path, seed: int = 7) -> list[Path]:
    paragraphs = [p for f in sorted((ROOT / "seeds").glob("*.txt"))
                  for p in f.read_text(encoding="utf-8").split("\n\n") if len(p.strip()) > 40]
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        rng = random.Random(seed * 1_000_003 + i)
        text = "\n\n".join(rng.sample(paragraphs, rng.randint(6, 12)))
        if rng.random() < 0.5:
            for old, new in PLACES:
                text = text.replace(old, new)
        text = re.sub(r"\d+", lambda m, rng=rng: str(int(m.group()) + rng.randint(0, 50)), text)
        path = folder / f"syn{i:06d}.txt"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def cpu_since(before: os.times_result) -> tuple[float, float]:
    """CPU seconds since before: (this process, its finished children)."""
    now = os.times()
    return (now.user + now.system - before.user - before.system,
            now.children_user + now.children_system - before.children_user - before.children_system)


def dir_size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def warm_up(path: Path) -> None:
    """Load the lexicons, gazetteer and shapes once, and run both paths' engines once, so
    that neither path's figure includes what a process pays only at its start."""
    import pyshacl

    article = next(a for a in read_paths([path]) if isinstance(a, Article))
    extraction = extract(article)
    validate_ntriples(ox.serialize(article_triples(extraction), format=ox.RdfFormat.N_TRIPLES))
    pyshacl.validate(article_graph(extraction), shacl_graph=shapes_graph(), inference="none")


def stage_shares(files: list[Path], folder: Path) -> dict[str, float]:
    """Seconds per stage over the sample, in one process."""
    times = dict.fromkeys(("ingest", "extract", "graph", "validate", "load"), 0.0)
    store = ox.Store(str(folder))  # on disk, as in a build
    for path in files:
        t = time.perf_counter()
        articles = [a for a in read_paths([path]) if isinstance(a, Article)]
        times["ingest"] += time.perf_counter() - t
        for article in articles:
            t = time.perf_counter()
            extraction = extract(article)
            times["extract"] += time.perf_counter() - t
            t = time.perf_counter()
            triples = article_triples(extraction)
            ntriples = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            write = split_view(article.id, triples)
            times["graph"] += time.perf_counter() - t
            t = time.perf_counter()
            validate_ntriples(ntriples)
            times["validate"] += time.perf_counter() - t
            t = time.perf_counter()
            add_new_articles(store, [write])
            times["load"] += time.perf_counter() - t
    return times


def naive(files: list[Path], folder: Path) -> float:
    """rdflib graph → pySHACL → rdflib serialisation → Store.load, per article."""
    import pyshacl

    store = ox.Store(str(folder))
    shapes = shapes_graph()
    start = time.perf_counter()
    for article in (a for a in read_paths(files) if isinstance(a, Article)):
        graph = article_graph(extract(article))
        pyshacl.validate(graph, shacl_graph=shapes, inference="none")
        data = graph.serialize(format="nt", encoding="utf-8")
        store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph_iri(article.id)))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--workdir", type=Path, default=Path("bench-work"))
    args = parser.parse_args()
    work = args.workdir
    shutil.rmtree(work, ignore_errors=True)
    files = generate(args.articles, work / "corpus")
    print(f"# kg build benchmark: {args.articles} articles, --jobs {args.jobs}")
    print(f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores\n")

    store_path = work / "store"
    start, cpu = time.perf_counter(), os.times()
    store = open_store(store_path)
    # kg build compacts at the end of a build of OPTIMIZE_AFTER new articles or more; here the
    # compaction is run and timed apart, so that the queries can be timed before it too.
    report = build(store, find_files([work / "corpus"]), jobs=args.jobs, optimize=False)
    store.flush()
    build_seconds = time.perf_counter() - start
    writer_cpu, workers_cpu = cpu_since(cpu)
    build_rss = peak_rss_mb()  # before the bulk-load comparison, which is not kg's
    compaction = None
    if report.new_articles >= OPTIMIZE_AFTER:
        start = time.perf_counter()
        store.optimize()
        compaction = time.perf_counter() - start
    e2e = build_seconds + (compaction or 0.0)
    quads = len(store)
    dump = work / "dump.nq"
    store.dump(str(dump), format=ox.RdfFormat.N_QUADS)
    del store

    bulk_store = ox.Store(str(work / "bulk"))
    start, cpu = time.perf_counter(), os.times()
    bulk_store.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    bulk_store.flush()
    bulk = time.perf_counter() - start
    bulk_cpu, _ = cpu_since(cpu)
    del bulk_store

    print("| measure | value |\n|---|---|")
    print(f"| articles loaded / skipped | {len(report.loaded)} / {len(report.skipped)} |")
    print(f"| quads in the store | {quads:,} |")
    print(f"| end to end | {e2e:.1f} s: {args.articles / e2e:.1f} articles/s, {quads / e2e:,.0f} quads/s |")
    print(f"| bulk load of the same quads (N-Quads) | {bulk:.1f} s: {quads / bulk:,.0f} quads/s, "
          f"{bulk_cpu:.1f} s of CPU |")
    print(f"| end to end / bulk load throughput | {bulk / e2e:.1%} |")
    if compaction is not None:
        print(f"| of the end to end, compaction at the end (Store.optimize) | {compaction:.1f} s |")
        print(f"| without the compaction | {build_seconds:.1f} s: {quads / build_seconds:,.0f} quads/s, "
              f"{bulk / build_seconds:.1%} of bulk load |")
    print(f"| CPU time of the build (before compaction): writer / workers | {writer_cpu:.1f} s / {workers_cpu:.1f} s "
          f"({(writer_cpu + workers_cpu) / build_seconds:.2f} cores busy on average) |")
    print(f"| peak RSS of the build (writer or a worker) | {build_rss:.0f} MB |")
    print(f"| store size on disk | {dir_size_mb(store_path):.0f} MB |", flush=True)
    sample = files[:SAMPLE]
    warm_up(files[-1])
    shares = stage_shares(sample, work / "stages")
    ours = sum(shares.values())
    naive_seconds = naive(sample, work / "naive")
    print(f"| naive path on {SAMPLE} articles, one process | {naive_seconds:.1f} s |")
    print(f"| kg's path on the same {SAMPLE}, one process | {ours:.1f} s ({naive_seconds / ours:.1f}x faster) |")
    print("\n| stage (one process, sample) | share |\n|---|---|")
    for stage, seconds in shares.items():
        print(f"| {stage} | {seconds / ours:.0%} ({seconds / len(sample) * 1000:.1f} ms/article) |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
