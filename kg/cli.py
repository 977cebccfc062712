"""The kg command line."""

from __future__ import annotations

import errno
import functools
import gc
import io
import itertools
import json
import os
import re
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pyoxigraph as ox

from kg import __version__
from kg.build import CONFLICT_CHOICES, BuildAborted, BuildReport, Outcome, build
from kg.evaluate import ATTRIBUTES, evaluate
from kg.export import FORMATS as EXPORT_FORMATS
from kg.export import export, graph_count
from kg.extract.data_check import check_data
from kg.ingest import MAX_ARTICLE_CHARS, Article, find_files, read_paths
from kg.namespaces import PREFIXES
from kg.partition import over_articles
from kg.queries import describe, format_rows, named_queries, parse_binding, resolve, write_rows
from kg.sparql_text import (
    calls_services,
    certainly_bound,
    has_dataset_clause,
    is_update,
    query_variables,
    refused_service,
)
from kg.store import (
    DEFAULT_STORE,
    STORE_ENV,
    ReservedGraph,
    StoreError,
    actors_linked_to,
    actors_out_of_step,
    article_graphs,
    article_view,
    figures_out_of_step,
    open_store,
    rebuild_figures_graph,
    remove_article,
    run_query,
    stats,
    summary,
)
from kg.timeout import ChildFailed, TimedOut, call_with_timeout
from kg.validate import validate_ntriples

EXIT_SKIPPED = 3  # the build finished but some files or records were skipped
FEDERATED_TIMEOUT = 60.0
WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"

store_option = click.option(
    "--store",
    "store_path",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_STORE,
    envvar=STORE_ENV,
    show_default=True,
    show_envvar=True,
    help="Oxigraph store directory.",
)


links_option = click.option(
    "--links", "links_path", type=click.Path(dir_okay=False, path_type=Path), envvar="KG_LINKS", show_envvar=True,
    help="A researcher's Wikidata decisions (columns actor, wikidata: a QID or none); they always win.",
)
endpoint_option = click.option(
    "--wikidata-endpoint", "--endpoint", "endpoint", envvar="KG_WIKIDATA_ENDPOINT", show_envvar=True,
    default="https://query.wikidata.org/sparql", show_default=True,
    help="A Wikidata-compatible SPARQL endpoint (the only network use of kg).",
)


def _read_links(path: Path | None) -> dict[str, str | None]:
    from kg.wikidata import read_mapping

    try:
        return read_mapping(path)
    except ValueError as err:
        raise click.ClickException(str(err)) from err


def _open(path: Path, read_only: bool):
    try:
        return open_store(path, read_only=read_only)
    except StoreError as err:
        raise click.ClickException(str(err)) from err


@click.group()
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """Build a knowledge graph of actors, statements, casualty claims and mediation
    from Arabic conflict news, and query it with SPARQL."""


@main.command("build")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@store_option
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the per-file outcomes as JSON to this file.")
@click.option("--published", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Publication date (YYYY-MM-DD) for articles whose source gives none; "
              "relative dates such as أمس الثلاثاء resolve against it.")
@links_option
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default=True,
              help="Worker processes that extract and validate articles (the store has one writer).")
@click.option("--optimize/--no-optimize", default=True, show_default=True,
              help="Compact the store at the end of a build that added 1,000 articles or more (faster queries).")
@click.option("--on-conflict", type=click.Choice(CONFLICT_CHOICES), default="replace", show_default=True,
              help="An id the store holds from another file: replace it (reported), skip the new one, or report "
                   "an error; also whether a stored article whose new version is rejected is removed (replace) "
                   "or kept.")
@click.option("--max-article-chars", type=click.IntRange(min=1), default=MAX_ARTICLE_CHARS, show_default=True,
              help="Longer texts are skipped with a reason (a news article is a few thousand characters).")
def build_command(paths: tuple[Path, ...], store_path: Path, report_path: Path | None, published,
                  links_path: Path | None, jobs: int, optimize: bool, on_conflict: str, max_article_chars: int) -> None:
    """Extract, validate and load articles from PATHS (files or directories).

    Reads .txt files (the article id is the file name without extension) and .json /
    .jsonl / .ndjson records with id and text; every other entry of a directory is
    reported. Each article replaces its own named graph, so a rebuild never duplicates
    anything; a replacement is reported. Exit status 3 means some input was skipped.
    """
    _require_good_data()
    links = _read_links(links_path)
    try:
        report, totals = _build_into(store_path, find_files(paths),
                                     published.date().isoformat() if published else None, links, jobs, optimize,
                                     on_conflict, max_article_chars)
    except BuildAborted as err:
        gc.collect()
        loaded = len(err.report.loaded)
        raise click.ClickException(f"the store could not be written ({err.cause}); {loaded} article(s) of this build "
                                   f"were committed before that, {len(err.report.skipped)} skipped: free space (or "
                                   "fix the cause) and run the build again to add the rest") from err
    # pyoxigraph has no close(): the writer's lock goes with the Store object. pySHACL leaves
    # reference cycles that keep our frames, and so the Store, alive until the next GC pass.
    gc.collect()
    _print_summary(report, totals, store_path)
    if report_path:
        report_path.write_text(json.dumps(_report_json(report), ensure_ascii=False, indent=2) + "\n", "utf-8")
    if report.skipped:
        sys.exit(EXIT_SKIPPED)


def _build_into(store_path: Path, files: list[Path], published: str | None, links: dict[str, str | None],
                jobs: int, optimize: bool, on_conflict: str, max_article_chars: int) -> tuple[BuildReport, dict]:
    store = _open(store_path, read_only=False)
    if sys.stderr.isatty():
        with click.progressbar(length=len(files), label="Building", file=sys.stderr) as bar:
            done: set[str] = set()

            def advance(outcome: Outcome) -> None:
                source = outcome.source.split(":")[0].split("[")[0]  # feed.jsonl:12 → feed.jsonl
                if source not in done:
                    done.add(source)
                    bar.update(1)

            report = build(store, files, on_outcome=advance, published=published, links=links, jobs=jobs,
                           optimize=optimize, on_conflict=on_conflict, max_article_chars=max_article_chars)
        for outcome in report.outcomes:
            if not outcome.loaded or outcome.notes:
                _log_outcome(outcome)
    else:
        report = build(store, files, on_outcome=_log_outcome, published=published, links=links, jobs=jobs,
                       optimize=optimize, on_conflict=on_conflict, max_article_chars=max_article_chars)
    store.flush()
    return report, summary(store)


def _log_outcome(outcome: Outcome) -> None:
    if outcome.loaded:
        click.echo(f"loaded   {outcome.article_id}  ({outcome.source})", err=True)
    else:
        click.echo(f"skipped  {outcome.source}: {outcome.reason}", err=True)
    for note in outcome.notes:
        click.echo(f"           note: {note}", err=True)
    for violation in outcome.violations:
        click.echo(f"           - {violation}", err=True)


def _print_summary(report: BuildReport, totals: dict, store_path: Path) -> None:
    counts = report.counts
    click.echo(f"Articles loaded: {len(report.loaded)}, skipped: {len(report.skipped)}")
    for outcome in report.skipped:
        click.echo(f"  skipped {outcome.source}: {outcome.reason}")
    click.echo(
        f"This build: {report.quads} triples, {counts['mentions']} mentions, {counts['statements']} statements, "
        f"{counts['casualties']} casualty claims, {counts['mediations']} mediations"
    )
    click.echo(
        f"Store {store_path}: {totals['articles']} articles, {totals['actors']} actors, "
        f"{totals['places']} places, {totals['statements']} statements, {totals['casualty claims']} casualty claims, "
        f"{totals['mediations']} mediations (kg stats for more)"
    )
    rejected = sum(1 for o in report.skipped if o.violations)
    click.echo(
        f"SHACL: {len(report.loaded)} article graph(s) validated before loading, all conform; "
        f"{rejected} rejected for violating the shapes"
    )
    if report.optimize_seconds is not None:
        click.echo(f"Store compacted for queries in {report.optimize_seconds:.1f} s "
                   f"({report.new_articles} new articles; skip with --no-optimize)")


def _report_json(report: BuildReport) -> dict:
    return {
        "loaded": len(report.loaded),
        "skipped": len(report.skipped),
        "quads": report.quads,
        "outcomes": [
            {
                "source": o.source,
                "id": o.article_id,
                "status": "loaded" if o.loaded else "skipped",
                "reason": o.reason or None,
                "notes": o.notes,
                "violations": [str(v) for v in o.violations],
            }
            for o in report.outcomes
        ],
    }


@main.command("query")
@click.argument("query", required=False)
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "turtle", "ntriples"]),
              default="table", show_default=True,
              help="Rows: table, csv, tsv or json (a list of row objects). Graphs (CONSTRUCT, DESCRIBE): turtle "
                   "(also for table) or ntriples.")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries and exit.")
@click.option("--bind", "bindings", multiple=True, metavar="VAR=VALUE",
              help="Bind a variable of the query before it runs (repeatable): an IRI, a Wikidata id (Q1065), a "
                   "prefixed name (actor:reuters), a number, \"text\"@lang or a string (doc=h17).")
@click.option("--limit", type=click.IntRange(min=0), help="Print at most this many rows.")
@click.option("--offset", type=click.IntRange(min=0), help="Skip this many rows first.")
@click.option("--page", type=click.IntRange(min=1), help="Print page N of --page-size rows.")
@click.option("--page-size", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), help="Stop the query after this many "
              f"seconds (default {FEDERATED_TIMEOUT:g} for queries with SERVICE, none otherwise).")
@click.option("--wikidata-endpoint", envvar="KG_WIKIDATA_ENDPOINT", show_envvar=True,
              help="Send the SERVICE blocks addressed to Wikidata's endpoint to this one instead.")
@click.option("--allow-service", "allowed_services", multiple=True, metavar="URL",
              help="Let SERVICE call only these endpoints (repeat for each); without it, any (your own machine).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default=True,
              help="Evaluate a listing over this many runs of articles at once (the rows still come in order).")
def query_command(query: str | None, store_path: Path, fmt: str, list_queries: bool, bindings: tuple[str, ...],
                  limit: int | None, offset: int | None, page: int | None, page_size: int,
                  timeout: float | None, wikidata_endpoint: str | None, allowed_services: tuple[str, ...],
                  jobs: int) -> None:
    """Run QUERY: a named query from queries/ (e.g. casualties, federated/actors_wikidata),
    a .rq file, or SPARQL text.

    Every row is printed, in the query's order, as it comes. Without FROM / FROM NAMED a
    query sees every graph, with their union as its default graph. --limit/--offset or
    --page/--page-size print a slice and say on stderr which rows of how many. --bind
    answers a question with a named query: kg query casualties --bind claimant=Q1065.
    Federated queries (SERVICE) run under a timeout.
    """
    if list_queries or not query:
        for name, path in named_queries().items():
            click.echo(f"{name:22} {describe(path)}")
        return
    try:
        text = resolve(query)
    except (LookupError, FileNotFoundError) as err:
        raise click.ClickException(str(err)) from err
    if is_update(text):
        raise click.ClickException("this is a SPARQL Update (it would change the store); kg query only reads. "
                                   "kg build and kg remove change the store, or kg serve --allow-update")
    bound = _bindings(text, bindings)
    if page is not None:
        if limit is not None or offset is not None:
            raise click.UsageError("--page goes with --page-size, not with --limit/--offset")
        offset, limit = (page - 1) * page_size, page_size
    window = (offset or 0, limit)
    if wikidata_endpoint:
        if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", wikidata_endpoint):
            raise click.BadParameter(f"not an http(s) IRI: {wikidata_endpoint!r}", param_hint="--wikidata-endpoint")
        text = text.replace(f"<{WIKIDATA_SPARQL}>", f"<{wikidata_endpoint}>")
    if allowed_services and (reason := refused_service(text, PREFIXES, allowed_services)):
        raise click.ClickException(reason)
    if timeout is None and calls_services(text):
        timeout = FEDERATED_TIMEOUT
    if not store_path.is_dir():
        raise click.ClickException(f"no store at {store_path} (run 'kg build' first, or pass --store)")
    bound = _actors_for_wikidata_ids(store_path, bound)
    args = (str(store_path), text, fmt, bound, window)
    try:
        if timeout is None:
            written, total = _write_answer(args, jobs)
        else:
            output, written, total = call_with_timeout(functools.partial(answer_text, jobs=jobs), args, timeout)
            click.echo(output, nl=False)
    except (SyntaxError, StoreError, ValueError, RuntimeError, OSError) as err:
        raise click.ClickException(f"query failed: {err}") from err
    except TimedOut as err:
        raise click.ClickException(f"the query {err}") from err
    except ChildFailed as err:
        raise click.ClickException(f"query failed: {err}") from err
    if total is not None and (offset is not None or limit is not None):
        first = window[0] + 1
        shown = f"rows {first}-{window[0] + written} of {total}" if written else f"no rows from row {first} of {total}"
        click.echo(f"kg: {shown}", err=True)


def _write_answer(args: tuple, jobs: int) -> tuple[int, int | None]:
    try:
        return answer(*args, out=sys.stdout, jobs=jobs)
    except BrokenPipeError:  # the reader stopped (| head): stop too, quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)


def _bindings(text: str, bindings: tuple[str, ...]) -> dict[str, list[ox.Term]]:
    known = query_variables(text)
    out: dict[str, list[ox.Term]] = {}
    for binding in bindings:
        try:
            name, term = parse_binding(binding)
        except ValueError as err:
            raise click.BadParameter(str(err), param_hint="--bind") from err
        if name not in known:
            raise click.BadParameter(f"the query has no variable ?{name} (it has: "
                                     f"{', '.join('?' + v for v in sorted(known))})", param_hint="--bind")
        out.setdefault(name, []).append(term)
    return out


def _actors_for_wikidata_ids(store_path: Path, bound: dict[str, list[ox.Term]]) -> dict[str, list[ox.Term]]:
    """--bind claimant=Q1065 means the actors linked to that item; a *_wikidata variable
    takes the item itself."""
    out = {}
    for name, terms in bound.items():
        out[name] = []
        for term in terms:
            if isinstance(term, ox.NamedNode) and term.value.startswith(PREFIXES["wd"]) \
                    and not name.endswith("wikidata"):
                actors = actors_linked_to(_open(store_path, read_only=True), term)
                if not actors:
                    raise click.BadParameter(f"{name}={term.value.rsplit('/', 1)[-1]}: no actor in the store is "
                                             "linked to that item", param_hint="--bind")
                out[name] += [ox.NamedNode(a) for a in actors]
            else:
                out[name].append(term)
    return out


def answer(store_path: str, text: str, fmt: str, bound: dict[str, list[ox.Term]], window: tuple[int, int | None],
           out, jobs: int = 1) -> tuple[int, int | None]:
    """Run the query on the store (read-only) and write its answer to out as it comes:
    (rows written, rows in the whole result); only the rows of the window are written.

    bound: the rows kept are those where each variable has one of its values. A variable
    that every row binds, given one value, is substituted before evaluation (fast); any
    other is compared on each row, which is slower but never shows a value on a row that
    did not match it."""
    always = (certainly_bound(text, PREFIXES) or set()) if bound else set()  # rdflib parses only for --bind
    substitutions = {name: terms[0] for name, terms in bound.items() if name in always and len(terms) == 1}
    kept = {name: set(terms) for name, terms in bound.items() if name not in substitutions}
    store = open_store(Path(store_path), read_only=True)
    partitioned = None if has_dataset_clause(text) else over_articles(store, text, bound, substitutions, PREFIXES, jobs)
    if partitioned is None:
        return _write_result(run_query(store, text, substitutions=substitutions), fmt, kept, window, out)
    variables, rows = partitioned
    return _write_rows(variables, rows, fmt, kept, window, out)


def _write_result(result, fmt: str, kept: dict[str, set[ox.Term]], window: tuple[int, int | None],
                  out) -> tuple[int, int | None]:
    if isinstance(result, ox.QueryBoolean):
        out.write(("true" if bool(result) else "false") + "\n")
        return 1, None
    if isinstance(result, ox.QueryTriples):
        if fmt in ("csv", "tsv", "json"):
            raise ValueError(f"a CONSTRUCT or DESCRIBE answers with triples, not rows: use --format turtle or "
                             f"ntriples, not {fmt}")
        rdf_format = ox.RdfFormat.N_TRIPLES if fmt == "ntriples" else ox.RdfFormat.TURTLE
        data = ox.serialize(result, format=rdf_format, prefixes=PREFIXES if rdf_format == ox.RdfFormat.TURTLE else None)
        out.write(data.decode("utf-8"))
        return 0, None
    if fmt in ("turtle", "ntriples"):
        raise ValueError(f"a SELECT answers with rows: use --format table, csv, tsv or json, not {fmt}")
    rows = (list(solution) for solution in result)
    return _write_rows([v.value for v in result.variables], rows, fmt, kept, window, out)


def _write_rows(variables: list[str], rows: Iterator[list], fmt: str, kept: dict[str, set[ox.Term]],
                window: tuple[int, int | None], out) -> tuple[int, int | None]:
    if missing := sorted(set(kept) - set(variables)):
        raise ValueError(f"cannot bind ?{missing[0]}: some rows leave it unbound and it is not a column of the result")
    columns = [(variables.index(name), terms) for name, terms in kept.items()]
    if columns:
        rows = (row for row in rows if all(row[i] in terms for i, terms in columns))
    start, limit = window
    skipped = sum(1 for _ in itertools.islice(rows, start))
    written = write_rows(variables, rows if limit is None else itertools.islice(rows, limit), fmt, out)
    rest = sum(1 for _ in rows)  # counted, not printed
    return written, skipped + written + rest


def answer_text(*args, jobs: int = 1) -> tuple[str, int, int | None]:
    """answer() into a string (in a child process, for the timeout)."""
    out = io.StringIO()
    written, total = answer(*args, out=out, jobs=jobs)
    return out.getvalue(), written, total


@main.command("export")
@store_option
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="trig", show_default=True,
              help="trig, nquads and jsonld keep the named graphs; turtle and ntriples merge them.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: stdout).")
def export_command(store_path: Path, fmt: str, output: Path | None) -> None:
    """Export the whole store, streamed in constant memory, with its VoID/DCAT description."""
    store = _open(store_path, read_only=True)
    target = output.open("wb") if output else sys.stdout.buffer
    try:
        if sys.stderr.isatty():
            with click.progressbar(length=graph_count(store), label=f"exporting {fmt}", file=sys.stderr) as bar:
                statements = export(store, fmt, target, progress=bar.update)
        else:
            statements = export(store, fmt, target)
    finally:
        if output:
            target.close()
    if output:
        click.echo(f"wrote {output} ({output.stat().st_size} bytes, {statements} statements, {fmt})", err=True)


@main.command("validate")
@store_option
@click.option("--rebuild-figures", is_flag=True,
              help="First rewrite the figures graph (each group's distinct figures) from the article graphs.")
def validate_command(store_path: Path, rebuild_figures: bool) -> None:
    """Check every article graph in the store against the SHACL shapes, and that the
    figures graph agrees with the articles."""
    if rebuild_figures:
        writable = _open(store_path, read_only=False)
        rebuild_figures_graph(writable)
        writable.flush()
        del writable
        gc.collect()  # pyoxigraph has no close(): release the write lock before reopening
    store = _open(store_path, read_only=True)
    graphs = article_graphs(store)
    bad = 0
    for name in graphs:
        violations = validate_ntriples(article_view(store, name))
        if violations:
            bad += 1
            click.echo(f"{name.value}: {len(violations)} violation(s)")
            for v in violations:
                click.echo(f"  - {v}")
    missing, stale = figures_out_of_step(store)
    if missing or stale:
        click.echo(f"figures graph out of step with the articles: {missing} figure(s) missing, {stale} no article "
                   "states (after a SPARQL update by hand?); 'kg validate --rebuild-figures' rewrites it")
    undescribed, unnamed = actors_out_of_step(store)
    if undescribed or unnamed:
        click.echo(f"actors graph out of step with the articles: {undescribed} actor(s) named but not described, "
                   f"{unnamed} described but named by no article (after a SPARQL update by hand?); "
                   "rebuilding the articles that name them repairs it")
    if bad:
        click.echo(f"SHACL: {bad} of {len(graphs)} article graphs do not conform")
    else:
        click.echo(f"SHACL: all {len(graphs)} article graphs conform")
    if bad or missing or stale or undescribed or unnamed:
        sys.exit(1)


@main.command("stats")
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def stats_command(store_path: Path, fmt: str) -> None:
    """Counts of articles, quads, actors, statements and claims, per type."""
    totals = stats(_open(store_path, read_only=True))
    if fmt == "json":
        click.echo(json.dumps(totals, ensure_ascii=False, indent=2))
        return
    for key, value in totals.items():
        if isinstance(value, dict):
            click.echo(f"{key}:")
            for sub, n in value.items():
                click.echo(f"  {sub:30} {n:>8}")
        else:
            click.echo(f"{key:32} {value:>8}")


@main.command("check-data")
@click.option("--lexicons", "lexicons_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Lexicons to check (default: kg's own).")
@click.option("--rules", "rules_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Rule files to check (default: kg's own).")
def check_data_command(lexicons_dir: Path | None, rules_dir: Path | None) -> None:
    """Check every lexicon cell and every extraction rule: each problem with its file,
    line and reason (kg build and kg eval refuse to run on data that has one)."""
    problems = check_data(lexicons_dir, rules_dir)
    for problem in problems:
        click.echo(problem)
    if problems:
        click.echo(f"{len(problems)} problem(s)", err=True)
        sys.exit(1)
    click.echo("lexicons and rules: no problem")


def _require_good_data() -> None:
    if problems := check_data():
        raise click.ClickException("the extraction data has problems (kg check-data):\n" + "\n".join(problems))


@main.command("eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("articles_dir", type=click.Path(exists=True, path_type=Path))
@click.option("--verbose", is_flag=True, help="List every miss, false positive and wrong attribute.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def eval_command(gold_dir: Path, articles_dir: Path, verbose: bool, fmt: str) -> None:
    """Score extraction against gold annotations (one GOLD_DIR/<id>.json per article).

    Precision, recall and F1 for actors, statements, casualty claims and mediations,
    and the accuracy of their attributes on matched items.
    """
    _require_good_data()
    articles = {a.id: a for a in read_paths([articles_dir]) if isinstance(a, Article)}
    result = evaluate(gold_dir, articles)
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        _print_evaluation(result, verbose)
    if result.missing_articles:
        click.echo(f"no article text for: {', '.join(result.missing_articles)}", err=True)
        sys.exit(1)


def _print_evaluation(result, verbose: bool) -> None:
    click.echo(f"{result.articles} articles")
    click.echo(f"{'category':12} {'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}  attribute accuracy")
    for name, s in result.scores.items():
        accuracies = "  ".join(
            f"{a} {s.accuracy(a):.2f}" for a in ATTRIBUTES.get(name, ()) if s.accuracy(a) is not None
        )
        click.echo(f"{name:12} {s.precision:6.2f} {s.recall:6.2f} {s.f1:6.2f} {s.tp:5} {s.fp:5} {s.fn:5}  {accuracies}")
    if not verbose:
        return
    click.echo(f"\n{'rule':60} {'P':>6} {'TP':>5} {'FP':>5} {'share of gold':>14}")
    for s in result.scores.values():
        gold = s.tp + s.fn
        for rule, (tp, fp) in sorted(s.by_rule.items()):
            short = rule.removeprefix("https://w3id.org/conflict-kg/rule/")
            share = f"{tp / gold:.2f}" if gold else "-"
            click.echo(f"{short:60} {tp / (tp + fp) if tp + fp else 1:6.2f} {tp:5} {fp:5} {share:>14}")
    for name, s in result.scores.items():
        for title, items in (("missed", s.misses), ("false positive", s.false_positives), ("wrong", s.wrong)):
            for item in items:
                click.echo(f"[{name}] {title}: {item}")


@main.command("link")
@store_option
@endpoint_option
@links_option
@click.option("--threshold", default=0.8, show_default=True, type=float, help="Lowest score accepted.")
@click.option("--review", "review_path", type=click.Path(dir_okay=False, path_type=Path), default="link-review.csv",
              show_default=True, help="Where candidates under the threshold go.")
@click.option("--timeout", default=30.0, show_default=True, type=float, help="Seconds per request.")
def link_command(store_path: Path, endpoint: str, links_path: Path | None, threshold: float, review_path: Path,
                 timeout: float) -> None:
    """Propose Wikidata links for actors and places that have none.

    Asks the endpoint for items whose Arabic label or alias is one of the actor's names and
    whose kind fits (human, state, place). Links scoring at least --threshold go to their own
    graph with their provenance (label matched, score, date, endpoint); the rest go to the
    review file. Actors decided in the --links file are left alone.
    """
    from kg import wikidata

    decided = _read_links(links_path)
    store = _open(store_path, read_only=False)
    actors = wikidata.unlinked_actors(store, decided)
    try:
        found = wikidata.candidates_for(wikidata.Client(endpoint, timeout), actors)
    except wikidata.EndpointError as err:
        raise click.ClickException(f"cannot reach the Wikidata endpoint: {err}") from err
    accepted = [c for c in found if c.score >= threshold]
    rejected = [c for c in found if c.score < threshold]
    written = wikidata.write_links(store, accepted, endpoint, wikidata.now())
    wikidata.write_review(review_path, rejected, threshold)
    store.flush()
    click.echo(f"{len(actors)} actors without a link; {written} linked; {len(rejected)} candidates to review "
               f"in {review_path}")


@main.command("enrich")
@store_option
@endpoint_option
@click.option("--timeout", default=60.0, show_default=True, type=float, help="Seconds per request.")
def enrich_command(store_path: Path, endpoint: str, timeout: float) -> None:
    """Fetch from Wikidata the facts researchers join on (labels, descriptions, instance
    of, country, citizenship, positions, coordinates, start and end) for every linked
    actor and place, into their own dated graph; later joins are local and offline."""
    from kg import wikidata

    store = _open(store_path, read_only=False)
    items = wikidata.linked_items(store)
    try:
        triples = wikidata.fetch_facts(wikidata.Client(endpoint, timeout), items)
    except wikidata.EndpointError as err:
        raise click.ClickException(f"cannot reach the Wikidata endpoint: {err}") from err
    written = wikidata.write_facts(store, triples, endpoint, wikidata.now())
    store.flush()
    click.echo(f"{len(items)} linked items; {written} facts stored in {wikidata.WIKIDATA_GRAPH}")


@main.command("describe")
@click.argument("actor")
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "turtle"]), default="table", show_default=True)
def describe_command(actor: str, store_path: Path, fmt: str) -> None:
    """Everything about ACTOR (an IRI, a Wikidata QID, or a label in Arabic or English):
    labels and Wikidata link, statements, casualty claims, mediations and articles."""
    from kg.describe import NotFound, describe_rows, describe_turtle, find_actor

    store = _open(store_path, read_only=True)
    try:
        iri = find_actor(store, actor)
    except NotFound as err:
        raise click.ClickException(str(err)) from err
    if fmt == "turtle":
        sys.stdout.buffer.write(describe_turtle(store, iri))
        return
    click.echo(iri)
    for section, rows in describe_rows(store, iri).items():
        click.echo(f"\n{section} ({len(rows)})")
        if rows:
            variables = list(rows[0])
            click.echo(format_rows(variables, [[r[v] for v in variables] for r in rows], "table"), nl=False)


@main.command("serve")
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback by default).")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535))
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Seconds before a query is stopped.")
@click.option("--max-rows", default=10_000, show_default=True, type=click.IntRange(min=1), help="Largest result sent.")
@click.option("--workers", default=4, show_default=True, type=click.IntRange(min=1),
              help="Queries evaluated at once, each in its own process; when all are busy a query waits 1 s, "
                   "then gets 503 with Retry-After.")
@click.option("--download-timeout", default=600.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Seconds for a whole download (download=1: every row, streamed, no --max-rows).")
@click.option("--cors", "cors_origin", metavar="ORIGIN",
              help="Let web pages from ORIGIN (or * for any) read the endpoint; off by default.")
@click.option("--max-query-memory", default=2048, show_default=True, type=click.IntRange(min=64), metavar="MB",
              help="Memory a query's worker may take; a query that needs more is stopped (503).")
@click.option("--max-response-mb", default=100, show_default=True, type=click.IntRange(min=1), metavar="MB",
              help="Largest answer sent (downloads stream and are not capped).")
@click.option("--allow-service", "allowed_services", multiple=True, metavar="URL",
              help="An endpoint SERVICE clauses may call (repeat for each); without it federation is off.")
@click.option("--quiet", is_flag=True, help="No access log line per request on stderr.")
@click.option("--allow-update", is_flag=True,
              help="Accept SPARQL Update requests that carry the token of --token-file or KG_UPDATE_TOKEN.")
@click.option("--token-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="File holding the Bearer token updates must carry (else the KG_UPDATE_TOKEN variable).")
def serve_command(store_path: Path, host: str, port: int, timeout: float, max_rows: int, workers: int,
                  download_timeout: float, cors_origin: str | None, max_query_memory: int, max_response_mb: int,
                  allowed_services: tuple[str, ...], quiet: bool, allow_update: bool, token_file: Path | None) -> None:
    """Serve the store as a SPARQL 1.1 endpoint at /sparql, with a query page at /.

    Read-only unless --allow-update is given with a token (from a file or the environment,
    never the command line, which every user of the machine can read). Each query sees
    what builds have committed so far; a query over the timeout or its memory is stopped,
    the server goes on. No CORS headers unless --cors says which origin may read the graph;
    no request to another endpoint unless --allow-service names it.
    """
    from kg.serve import Settings, make_server

    token = _update_token(token_file) if allow_update else None
    if not store_path.is_dir():
        raise click.ClickException(f"no store at {store_path} (run 'kg build' first, or pass --store)")
    for url in allowed_services:
        if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", url):
            raise click.BadParameter(f"not an http(s) IRI: {url!r}", param_hint="--allow-service")
    settings = Settings(store_path, timeout, max_rows, token, cors_origin, not quiet, workers, download_timeout,
                        max_query_memory * 2**20, max_response_mb * 2**20, allowed_services)
    try:
        server = make_server(settings, host, port)
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            raise click.ClickException(f"port {port} on {host} is already in use (another kg serve?): "
                                       "stop it or pass --port") from err
        raise click.ClickException(f"cannot listen on {host}:{port}: {err.strerror or err}") from err
    if own := [u for u in allowed_services if _is_own_address(u, host, server.server_port)]:
        server.server_close()
        raise click.BadParameter(f"{own[0]} is this server: it must not call itself", param_hint="--allow-service")
    click.echo(f"kg: SPARQL endpoint at http://{host}:{server.server_port}/sparql "
               f"(query page at http://{host}:{server.server_port}/); Ctrl-C to stop", err=True)
    signal.signal(signal.SIGTERM, _stop)  # a service manager's stop: the same clean exit as Ctrl-C
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt


def _update_token(token_file: Path | None) -> str:
    token = token_file.read_text(encoding="utf-8").strip() if token_file else os.environ.get("KG_UPDATE_TOKEN", "")
    if not token:
        raise click.UsageError("--allow-update needs a token: --token-file PATH or the KG_UPDATE_TOKEN variable")
    if not token.isascii() or not token.isprintable() or " " in token:
        raise click.UsageError("the update token must be printable ASCII without spaces")
    return token


def _is_own_address(url: str, host: str, port: int) -> bool:
    from urllib.parse import urlsplit

    from kg.serve import LOOPBACK

    parts = urlsplit(url)
    if (parts.port or (443 if parts.scheme == "https" else 80)) != port:
        return False
    return (parts.hostname or "") in LOOPBACK | {host} or host in ("0.0.0.0", "::")


@main.command("remove")
@click.argument("article_ids", nargs=-1, required=True)
@store_option
def remove_command(article_ids: tuple[str, ...], store_path: Path) -> None:
    """Remove articles (by id) and everything extracted from them."""
    store = _open(store_path, read_only=False)
    try:
        missing = [a for a in article_ids if not remove_article(store, a)]
    except ReservedGraph as err:
        raise click.ClickException(str(err)) from err
    finally:
        store.flush()
    for article_id in missing:
        click.echo(f"no article {article_id!r} in the store", err=True)
    if missing:
        sys.exit(1)
