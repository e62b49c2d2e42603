"""The shapes compiled to SPARQL on Oxigraph give the same results as pySHACL, the oracle.

Compared as sets of (focus node, path, constraint component, severity) on every fixture
of ``tests/data/shapes`` and ``tests/data/qc`` (each merged with its context, as the
fixture tests do) and on the review graph.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from rdflib import SH, Graph
from rdflib.term import Node

from exokg.pipeline.assemble import assemble
from exokg.pipeline.ontology import load_ontology
from exokg.pipeline.validate.shacl import _render_path, validate_graph

DATA = Path(__file__).parent / "data"
FIXTURES = sorted((DATA / "shapes").glob("*/*.ttl")) + sorted((DATA / "qc").glob("*/*.ttl"))
CONTEXT = DATA / "shapes" / "context.ttl"
TEST = "https://w3id.org/exokg/test#"

Key = tuple[str, str | None, str, str]


@cache
def ontology() -> Graph:
    return load_ontology()


def results(data: Graph, engine: str) -> set[Key]:
    graph = validate_graph(data, ontology(), engine=engine).results_graph
    found = set()
    for node in graph.subjects(SH.sourceConstraintComponent, None):
        component = graph.value(node, SH.sourceConstraintComponent)
        if component == SH.SPARQLConstraintComponent:
            continue  # QC queries: the same code runs them for both engines
        path = graph.value(node, SH.resultPath)
        found.add((_key(graph.value(node, SH.focusNode)), _render_path(graph, path) if path is not None else None,
                   str(component), str(graph.value(node, SH.resultSeverity))))  # fmt: skip
    return found


def _key(node: Node | None) -> str:
    assert node is not None
    return node.n3()


def fixture_graph(path: Path) -> Graph:
    graph = Graph().parse(CONTEXT, format="turtle").parse(path, format="turtle")
    for triple in list(graph):
        if any(str(term).startswith(TEST) for term in triple):
            graph.remove(triple)
    return graph


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_same_results_as_pyshacl_on_every_fixture(path: Path) -> None:
    data = fixture_graph(path)
    expected = results(data, "pyshacl")
    assert results(data, "oxigraph") == expected
    if path.parent.name == "invalid" and path.parent.parent.name == "shapes":
        assert expected, "an invalid fixture should give at least one result"


@pytest.mark.parametrize("drop_every", [0, 37])
def test_same_results_as_pyshacl_on_the_review_graph(drop_every: int) -> None:
    """The review graph as built (it conforms) and with every 37th triple removed (hundreds of results)."""
    data = assemble().data()
    if drop_every:
        for index, triple in enumerate(sorted(data)):
            if index % drop_every == 0:
                data.remove(triple)
    expected = results(data, "pyshacl")
    assert results(data, "oxigraph") == expected
    if drop_every:
        assert len(expected) > 100
