"""Named SPARQL queries (queries/*.rq) and printing their results."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from pathlib import Path

import pyoxigraph as ox

from kg.namespaces import BASE, PREFIXES
from kg.resources import resource_dir

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")}
_FLOAT_TYPES = {XSD + t for t in ("decimal", "double", "float")}


def named_queries() -> dict[str, Path]:
    """name -> file: casualties, federated/actors_wikidata, …"""
    root = resource_dir("queries")
    return {p.relative_to(root).with_suffix("").as_posix(): p for p in sorted(root.rglob("*.rq"))}


def describe(path: Path) -> str:
    """The first comment line of a query file."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            return line.lstrip("# ").strip()
    return ""


def resolve(query: str) -> str:
    """A query name, a path to a .rq file, or the query text itself."""
    named = named_queries()
    if query in named:
        return named[query].read_text(encoding="utf-8")
    path = Path(query)
    if query.endswith(".rq") or (len(query) < 4096 and "\n" not in query and path.is_file()):
        if not path.is_file():
            raise FileNotFoundError(f"no query file {query}")
        return path.read_text(encoding="utf-8")
    if not any(word in query.upper() for word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")):
        raise LookupError(f"no named query {query!r}; known: {', '.join(named)}")
    return query


_PAGE = re.compile(r"LIMIT (\d+) OFFSET 0 \}")


def page_size(query: str) -> int | None:
    """Articles per page when the query lists one page of articles (see queries/casualties.rq)."""
    match = _PAGE.search(query)
    return int(match.group(1)) if match else None


def paged(query: str, page: int) -> str:
    """The query asking for that page (1 is the first) of articles."""
    size = page_size(query)
    if size is None:
        raise ValueError("this query is not paged: it has no 'LIMIT n OFFSET 0 }' page of articles")
    return _PAGE.sub(f"LIMIT {size} OFFSET {(page - 1) * size} }}", query, count=1)


def to_python(term: object) -> object:
    """A result term as a JSON value: IRIs as strings, numbers as numbers, unbound as None."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGER_TYPES:
                return int(term.value)
            if datatype in _FLOAT_TYPES:
                return float(term.value)
        except ValueError:
            return term.value
        if datatype == XSD + "boolean":
            return term.value == "true"
        return term.value
    return term.value


# Table output abbreviates IRIs (longest namespace first); csv and json keep them whole.
_DISPLAY_PREFIXES = sorted(
    [*PREFIXES.items(), ("article", BASE + "id/article/")], key=lambda item: len(item[1]), reverse=True
)


def abbreviate(iri: str) -> str:
    for prefix, namespace in _DISPLAY_PREFIXES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def format_rows(variables: list[str], rows: list[list[object]], fmt: str) -> str:
    if fmt == "table":
        values = [[abbreviate(t.value) if isinstance(t, ox.NamedNode) else to_python(t) for t in row] for row in rows]
        return _table(variables, values)
    values = [[to_python(t) for t in row] for row in rows]
    if fmt == "json":
        records = [dict(zip(variables, row, strict=True)) for row in values]
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(variables)
        writer.writerows([["" if v is None else v for v in row] for row in values])
        return out.getvalue()
    raise ValueError(f"unknown format {fmt!r}")


def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(ch) else 1 for ch in text)


def _table(variables: list[str], values: list[list[object]], max_cell: int = 60) -> str:
    def cell(v: object) -> str:
        text = "" if v is None else str(v).replace("\n", " ")
        return text if len(text) <= max_cell else text[: max_cell - 1] + "…"

    cells = [[cell(v) for v in row] for row in values]
    widths = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(variables)]

    def line(items: list[str]) -> str:
        return "  ".join(t + " " * (w - _width(t)) for t, w in zip(items, widths, strict=True)).rstrip()

    out = [line(variables), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out) + "\n"
