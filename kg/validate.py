"""SHACL validation of one article's graph, with violations in words.

pyshacl-turbo (pySHACL's API on a Rust engine) checks each article; it gives pySHACL's
verdicts on the project's shapes (tests/test_shacl_engines.py checks this) 15 times faster.
The shapes are compiled once per process; the build hands each article over as N-Triples,
which the engine parses itself: no rdflib objects on the build path.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pyshacl_turbo import CompiledShapes, compile_shapes
from pyshacl_turbo.rdf import Input  # the engine's serialized-input type (the version is pinned)
from rdflib import RDF, Graph, Namespace

from kg.resources import resource_dir

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str | None
    message: str
    constraint: str

    def __str__(self) -> str:
        where = f" ({self.path})" if self.path else ""
        return f"{self.focus}{where}: {self.message} [{self.constraint}]"


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    graph = Graph()
    for path in sorted(resource_dir("shapes").glob("*.ttl")):
        graph.parse(path)
    return graph


@lru_cache(maxsize=1)
def compiled_shapes() -> CompiledShapes:
    return compile_shapes(shapes_graph())


def validate_graph(graph: Graph) -> list[Violation]:
    """The shapes' violations in the graph; an empty list means it conforms."""
    return _violations(*compiled_shapes().validate(graph)[:2])


def validate_ntriples(data: bytes) -> list[Violation]:
    """The shapes' violations in these N-Triples (one article's graph)."""
    shapes, text = compiled_shapes(), data.decode("utf-8")
    if _conforms(shapes, text):
        return []
    return _violations(*shapes.validate(Input(text, "nt", None, {}))[:2])


def _conforms(shapes: CompiledShapes, ntriples: str) -> bool:
    """The engine's verdict alone. Nearly every article conforms, and the public call turns
    each report into an rdflib graph and binds its namespaces (5.8-6.2 ms an article against
    5.2 ms, measured); the report is read only for an article that does not conform.
    The arguments are those CompiledShapes.validate passes for N-Triples input."""
    no_names: list[str] = []
    return shapes._native.validate(ntriples, "nt", None, False, 100, 15, False, False, False, False,
                                   no_names, no_names, no_names)[0]


def _violations(conforms: bool, report: Graph) -> list[Violation]:
    if conforms:
        return []
    violations = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        component = report.value(result, SH.sourceConstraintComponent)
        violations.append(
            Violation(
                focus=str(report.value(result, SH.focusNode)),
                path=str(path) if path is not None else None,
                message=str(message) if message is not None else "violates the shapes",
                constraint=str(component).rsplit("#", 1)[-1] if component is not None else "",
            )
        )
    return sorted(violations, key=lambda v: (v.focus, v.path or "", v.message))
