"""Named SPARQL queries (queries/*.rq) and printing their results."""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox

from kg.namespaces import BASE, PREFIXES
from kg.resources import resource_dir
from kg.sparql_text import VARIABLE, is_update

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger")}
_FLOAT_TYPES = {XSD + t for t in ("double", "float")}


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


_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


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
    if not any(word in query.upper() for word in _FORMS) and not is_update(query):
        raise LookupError(f"no named query {query!r}; known: {', '.join(named)}")
    return query


_QID_VALUE = re.compile(r"^[QPL][1-9][0-9]*$")
_INTEGER_VALUE = re.compile(r"^[+-]?[0-9]+$")
_DECIMAL_VALUE = re.compile(r"^[+-]?[0-9]*\.[0-9]+$")
_LANG_LITERAL = re.compile(r'^"(.*)"@([A-Za-z]+(?:-[A-Za-z0-9]+)*)$', re.DOTALL)


def parse_binding(text: str) -> tuple[str, ox.NamedNode | ox.Literal]:
    """VAR=VALUE from the command line: <IRI> or http(s)://…, a Wikidata id (Q…, P…),
    a prefixed name (actor:reuters), "text"@lang, an integer or decimal, else a string."""
    name, sep, value = text.partition("=")
    name = name.lstrip("?$")
    if not sep or not name or not VARIABLE.fullmatch("?" + name):
        raise ValueError(f"--bind {text!r}: expected VAR=VALUE, e.g. doc=h17 or claimant=Q1065")
    return name, binding_term(value)


def binding_term(value: str) -> ox.NamedNode | ox.Literal:
    if value.startswith("<") and value.endswith(">"):
        return ox.NamedNode(value[1:-1])
    if value.startswith(("http://", "https://", "urn:")):
        return ox.NamedNode(value)
    if _QID_VALUE.match(value):
        return ox.NamedNode(PREFIXES["wd"] + value)
    prefix, colon, local = value.partition(":")
    if colon and prefix in PREFIXES and local and " " not in local:
        return ox.NamedNode(PREFIXES[prefix] + local)
    if match := _LANG_LITERAL.match(value):
        return ox.Literal(match.group(1), language=match.group(2))
    if value.startswith('"') and value.endswith('"') and len(value) >= 2:
        return ox.Literal(value[1:-1])
    if _INTEGER_VALUE.match(value):
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "integer"))
    if _DECIMAL_VALUE.match(value):
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "decimal"))
    return ox.Literal(value)


_JSON_NUMBER = re.compile(r"^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$")


def to_python(term: object) -> object:
    """A result term as a JSON value: IRIs as strings, integers as numbers, unbound as None.
    xsd:decimal keeps its exact digits (a Decimal); NaN and infinities stay strings, which
    JSON has no number for."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGER_TYPES:
                return int(term.value)
            if datatype == XSD + "decimal":
                return Decimal(term.value)
            if datatype in _FLOAT_TYPES:
                number = float(term.value)
                return number if math.isfinite(number) else term.value
        except (ValueError, ArithmeticError):
            return term.value
        if datatype == XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    if isinstance(term, ox.Triple):
        return {"subject": to_python(term.subject), "predicate": to_python(term.predicate),
                "object": to_python(term.object)}
    return term.value


def _json_value(value: object) -> str:
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text if _JSON_NUMBER.match(text) else json.dumps(text)
    return json.dumps(value, ensure_ascii=False, allow_nan=False, default=str)


# Table output abbreviates IRIs (longest namespace first); csv and json keep them whole.
_DISPLAY_PREFIXES = sorted(
    [*PREFIXES.items(), ("article", BASE + "id/article/")], key=lambda item: len(item[1]), reverse=True
)


def abbreviate(iri: str) -> str:
    for prefix, namespace in _DISPLAY_PREFIXES:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def format_rows(variables: list[str], rows: Iterable[list[object]], fmt: str) -> str:
    out = io.StringIO()
    write_rows(variables, rows, fmt, out)
    return out.getvalue()


def write_rows(variables: list[str], rows: Iterable[list[object]], fmt: str, out: TextIO) -> int:
    """Write result rows (lists of terms, None for unbound) as they come. Returns the
    number of rows written."""
    if fmt == "table":
        values = ([abbreviate(t.value) if isinstance(t, ox.NamedNode) else to_python(t) for t in row] for row in rows)
        return _write_table(variables, values, out)
    if fmt == "json":
        return _write_json(variables, rows, out)
    if fmt in ("csv", "tsv"):
        writer = csv.writer(out, lineterminator="\n", delimiter="," if fmt == "csv" else "\t")
        writer.writerow(variables)
        n = 0
        for row in rows:
            writer.writerow(["" if v is None else _csv_value(v) for v in (to_python(t) for t in row)])
            n += 1
        return n
    raise ValueError(f"unknown format {fmt!r}")


def _csv_value(value: object) -> object:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):  # an RDF 1.2 triple term
        return json.dumps(value, ensure_ascii=False)
    return value


def _write_json(variables: list[str], rows: Iterable[list[object]], out: TextIO) -> int:
    """A list of row objects, written row by row."""
    n = 0
    out.write("[")
    for row in rows:
        fields = ", ".join(f"{json.dumps(v)}: {_json_value(to_python(t))}" for v, t in zip(variables, row, strict=True))
        out.write(("," if n else "") + "\n  {" + fields + "}")
        n += 1
    out.write("\n]\n" if n else "]\n")
    return n


def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(ch) else 1 for ch in text)


TABLE_SAMPLE = 1000  # rows that set the table's column widths; later rows are cut to them


def _write_table(variables: list[str], values: Iterator[list[object]], out: TextIO, max_cell: int = 60) -> int:
    """A text table written as rows come: the first TABLE_SAMPLE rows set the widths."""
    def cell(v: object) -> str:
        text = "" if v is None else str(v).replace("\n", " ")
        return text if len(text) <= max_cell else text[: max_cell - 1] + "…"

    sample = [[cell(v) for v in row] for row in itertools.islice(values, TABLE_SAMPLE)]
    widths = [max([_width(h)] + [_width(r[i]) for r in sample]) for i, h in enumerate(variables)]

    def line(items: list[str]) -> str:
        fitted = (t if _width(t) <= w else t[: max(w - 1, 0)] + "…" for t, w in zip(items, widths, strict=True))
        return "  ".join(t + " " * (w - _width(t)) for t, w in zip(fitted, widths, strict=True)).rstrip() + "\n"

    out.write(line(variables) + line(["-" * w for w in widths]))
    n = 0
    for row in itertools.chain(sample, ([cell(v) for v in r] for r in values)):
        out.write(line(row))
        n += 1
    out.write(f"({n} row{'s' if n != 1 else ''})\n")
    return n
