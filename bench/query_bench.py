"""Query and export benchmark on a built store.

    python bench/query_bench.py --store bench-work/store [--runs 5] [--exports]
    python bench/query_bench.py --articles 10000        # builds the synthetic corpus first

Measures on this machine, in process, what kg query does (kg.cli.answer):
- each listing query over the whole store, as kg query --format csv runs and writes it
  (kg.partition: in runs of articles when that gives the same rows): time to its first
  row, total time, rows, and rows per second after the first;
- bound questions (kg query NAME --bind VAR=VALUE): one article; the most frequent speaker,
  claimant and place (conflicting_figures), and one of median frequency;
- with --exports, kg export in every format as a child process: wall time, peak RSS
  (wait4), file size, and that the file holds the statements void:triples says.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_bench import generate  # noqa: E402

from kg.build import build  # noqa: E402
from kg.cli import answer  # noqa: E402
from kg.export import FORMATS  # noqa: E402
from kg.ingest import find_files  # noqa: E402
from kg.queries import named_queries  # noqa: E402
from kg.store import open_store  # noqa: E402

LISTINGS = ("mentions", "statements", "casualties", "mediations", "conflicting_figures")
CK = "https://w3id.org/conflict-kg/ontology#"


class FirstRowSink(io.TextIOBase):
    """Where kg query writes its CSV: notes when the first row (after the header) arrives,
    keeps nothing."""

    def __init__(self, start: float) -> None:
        self.start, self.lines, self.first = start, 0, None

    def write(self, text: str) -> int:
        self.lines += text.count("\n")
        if self.first is None and self.lines > 1:
            self.first = time.perf_counter() - self.start
        return len(text)


def first_row_and_rate(store_path: Path, text: str, jobs: int) -> tuple[float, float, int]:
    """kg query NAME --format csv, written as it comes to a sink: (seconds to the first row,
    seconds in all, rows)."""
    start = time.perf_counter()
    sink = FirstRowSink(start)
    rows, _ = answer(str(store_path), text, "csv", {}, (0, None), sink, jobs=jobs)
    total = time.perf_counter() - start
    return (sink.first if sink.first is not None else total), total, rows


def bound(store_path: Path, name: str, variable: str, value: ox.Term, jobs: int) -> tuple[float, int]:
    """kg query NAME --bind VARIABLE=VALUE, written to a buffer: (seconds, rows)."""
    text = named_queries()[name].read_text(encoding="utf-8")
    start = time.perf_counter()
    written, _ = answer(str(store_path), text, "csv", {variable: [value]}, (0, None), io.StringIO(), jobs=jobs)
    return time.perf_counter() - start, written


def by_frequency(store: ox.Store, predicate: str) -> tuple[ox.Term, ox.Term]:
    """The most frequent object of the predicate, and one of median frequency."""
    ranked = Counter(q.object for q in store.quads_for_pattern(None, ox.NamedNode(CK + predicate), None, None))
    ordered = ranked.most_common()
    return ordered[0][0], ordered[len(ordered) // 2][0]


def export_run(store_path: Path, fmt: str, out: Path) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB, bytes) of kg export as a child process. The peak is the
    child's VmHWM, read while it runs: the rusage of a child counts the memory of the
    process it was forked from, which here has run the queries."""
    command = [sys.executable, "-c", "from kg.cli import main; main()", "export", "--store", str(store_path)]
    start = time.perf_counter()
    process = subprocess.Popen([*command, "--format", fmt, "-o", str(out)], stderr=subprocess.DEVNULL)
    peak_kb = 0
    status = Path(f"/proc/{process.pid}/status")
    while process.poll() is None:
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak_kb = max(peak_kb, int(line.split()[1]))
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"kg export --format {fmt} failed ({process.returncode})")
    return seconds, peak_kb / 1024, out.stat().st_size


def statements_in(path: Path, fmt: str) -> int:
    rdf_format = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS, "turtle": ox.RdfFormat.TURTLE,
                  "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    return sum(1 for _ in ox.parse(path=str(path), format=rdf_format))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="an existing store (default: build one with --articles)")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--workdir", type=Path, default=Path("bench-work"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="kg query --jobs (default: CPUs)")
    parser.add_argument("--exports", action="store_true", help="also time kg export")
    parser.add_argument("--formats", default=",".join(FORMATS), help="the export formats (comma-separated)")
    parser.add_argument("--no-queries", action="store_true", help="skip the listings and bound questions")
    args = parser.parse_args()
    store_path = args.store
    if store_path is None:
        shutil.rmtree(args.workdir, ignore_errors=True)
        generate(args.articles, args.workdir / "corpus")
        store_path = args.workdir / "store"
        start = time.perf_counter()
        report = build(open_store(store_path), find_files([args.workdir / "corpus"]), jobs=os.cpu_count() or 1)
        print(f"built {len(report.loaded)} articles into {store_path} in {time.perf_counter() - start:.0f} s "
              "(kg build, compaction included)")
    store = open_store(store_path, read_only=True)
    print(f"# kg query benchmark: {store_path}, {sum(1 for _ in store.named_graphs())} graphs, "
          f"median of {args.runs} runs, kg query --jobs {args.jobs}\n", flush=True)
    if not args.no_queries:
        time_queries(store, store_path, args.runs, args.jobs)
    if args.exports:
        del store
        time_exports(store_path, args.workdir / "exports", args.formats.split(","))


def time_queries(store: ox.Store, store_path: Path, runs_per_query: int, jobs: int) -> None:
    print("| listing query | rows | first row | all rows | rows/s after the first |\n|---|---|---|---|---|")
    for name in LISTINGS:
        text = named_queries()[name].read_text(encoding="utf-8")
        runs = [first_row_and_rate(store_path, text, jobs) for _ in range(runs_per_query)]
        first = statistics.median(r[0] for r in runs)
        total = statistics.median(r[1] for r in runs)
        rows = runs[0][2]
        rate = (rows - 1) / (total - first) if rows > 1 and total > first else float("nan")
        print(f"| {name} | {rows:,} | {first * 1000:.0f} ms | {total:.2f} s | {rate:,.0f} |", flush=True)

    doc = next(q.object for q in store.quads_for_pattern(None, ox.NamedNode("http://purl.org/dc/terms/identifier"),
                                                          None, None))
    questions = [("casualties", "doc", doc, "one article"), ("statements", "doc", doc, "one article")]
    for name, variable, predicate, what in (("statements", "speaker", "speaker", "speaker"),
                                            ("casualties", "claimant", "claimant", "claimant"),
                                            ("conflicting_figures", "place", "place", "place")):
        most, median = by_frequency(store, predicate)
        questions += [(name, variable, most, f"the most frequent {what}"),
                      (name, variable, median, f"a {what} of median frequency")]
    print("\n| bound question | kg query … --bind | rows | median | max |\n|---|---|---|---|---|")
    for name, variable, value, what in questions:
        runs = [bound(store_path, name, variable, value, jobs) for _ in range(runs_per_query)]
        seconds = [r[0] for r in runs]
        print(f"| {what} | {name} --bind {variable}=… | {runs[0][1]:,} | {statistics.median(seconds) * 1000:.0f} ms "
              f"| {max(seconds) * 1000:.0f} ms |", flush=True)


def time_exports(store_path: Path, out_dir: Path, formats: list[str]) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    print("\n| export | time | peak RSS | size | statements (parsed) |\n|---|---|---|---|---|")
    for fmt in formats:
        out = out_dir / f"kg.{fmt}"
        seconds, rss, size = export_run(store_path, fmt, out)
        print(f"| {fmt} | {seconds:.1f} s | {rss:.0f} MB | {size / 1e6:,.0f} MB | {statements_in(out, fmt):,} |",
              flush=True)
        out.unlink()


if __name__ == "__main__":
    main()
