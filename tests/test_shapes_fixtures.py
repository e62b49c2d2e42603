"""Every SHACL shape and QC query against its fixtures, kept as data.

Fixtures live in ``tests/data/shapes/{valid,invalid}/`` and ``tests/data/qc/{valid,invalid}/``;
each file is named after the rule it exercises. Every fixture is merged with the small
valid world of ``tests/data/shapes/context.ttl`` and validated with the packaged ontology.

An invalid fixture states what it must trigger as triples ``<rule> test:flags <focus>``
(removed before validation). Results are read from the SHACL results graph
(``sh:sourceShape`` and ``sh:focusNode``), never from report text:

* an invalid fixture yields exactly its expected (rule, focus) pairs on its own nodes;
* a valid fixture yields no result at all on its own nodes;
* every rule is caught by an invalid fixture and applied, without a result, in a valid one.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, SH, Graph, URIRef
from rdflib.collection import Collection
from rdflib.paths import AlternativePath
from rdflib.paths import Path as RdfPath
from rdflib.term import Node

from exokg.io.rdf import parse_file
from exokg.pipeline.ontology import load_ontology
from exokg.pipeline.validate.qc import load_qc_queries
from exokg.pipeline.validate.shacl import ValidationReport, load_shapes, validate_graph
from exokg.vocab import QC as QC_NAMESPACE

DATA = Path(__file__).parent / "data"
SHAPES = DATA / "shapes"
QC = DATA / "qc"
CONTEXT = SHAPES / "context.ttl"
TEST = "https://w3id.org/exokg/test#"
FLAGS = URIRef(TEST + "flags")
SHAPE_NS = "https://w3id.org/exokg/shapes/"


@cache
def ontology() -> Graph:
    return load_ontology()


@cache
def shapes() -> Graph:
    return load_shapes()


def rule_shapes() -> list[URIRef]:
    """Every named shape; each carries its own constraints, so each can be a result's sh:sourceShape."""
    graph = shapes()
    found = set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.subjects(RDF.type, SH.PropertyShape))
    return sorted(node for node in found if isinstance(node, URIRef))


def qc_iris() -> list[URIRef]:
    return [query.iri for query in load_qc_queries()]


def fixtures(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.ttl"))


@cache
def fixture(path: Path) -> tuple[Graph, frozenset[tuple[Node, Node]]]:
    """The fixture graph, merged with the shared context, and its expected (rule, focus) pairs."""
    graph = Graph()
    parse_file(graph, CONTEXT)
    parse_file(graph, path)
    expected = frozenset((rule, focus) for rule, focus in graph.subject_objects(FLAGS))
    for triple in list(graph):
        if any(isinstance(term, URIRef) and term.startswith(TEST) for term in triple):
            graph.remove(triple)
    return graph, expected


@cache
def validated(path: Path) -> tuple[ValidationReport, frozenset[tuple[Node, Node]]]:
    graph, _ = fixture(path)
    report = validate_graph(graph, ontology())
    own = own_nodes(graph)
    results = report.results_graph
    found = frozenset(
        (results.value(result, SH.sourceShape), results.value(result, SH.focusNode))
        for result in results.subjects(RDF.type, SH.ValidationResult)
        if results.value(result, SH.focusNode) in own
    )
    return report, found


def own_nodes(graph: Graph) -> set[Node]:
    """Nodes the fixture talks about: its subjects, and its objects that are not terms of the packaged ontology."""
    subjects = set(graph.subjects())
    objects = set(graph.objects()) - set(ontology().subjects())
    return subjects | objects


def label(path: Path) -> str:
    return path.name


# ---- Invalid fixtures: exactly the expected findings ----


@pytest.mark.parametrize("path", fixtures(SHAPES / "invalid") + fixtures(QC / "invalid"), ids=label)
def test_invalid_fixture_is_caught(path: Path) -> None:
    _, expected = fixture(path)
    assert expected, f"{path.name} states no expected finding (<rule> test:flags <focus>)"
    rules = {rule for rule, _ in expected}
    assert any(path.stem.startswith(local_name(rule)) for rule in rules), "file name must start with a rule's name"
    _, found = validated(path)
    assert found == expected


# ---- Valid fixtures: nothing on their own nodes ----


@pytest.mark.parametrize("path", fixtures(SHAPES / "valid") + fixtures(QC / "valid"), ids=label)
def test_valid_fixture_is_accepted(path: Path) -> None:
    report, found = validated(path)
    assert found == frozenset(), [f for f in report.findings if URIRef(f.focus) in {focus for _, focus in found}]


def test_context_is_valid() -> None:
    graph = parse_file(Graph(), CONTEXT)
    report = validate_graph(graph, ontology())
    own = own_nodes(graph)
    assert [f for f in report.findings if URIRef(f.focus) in own] == []


# ---- Coverage: every shipped rule has both kinds of fixture ----


@pytest.mark.parametrize("rule", rule_shapes() + qc_iris(), ids=lambda rule: local_name(rule))
def test_rule_has_invalid_fixture(rule: URIRef) -> None:
    folder = QC if rule.startswith(QC_NAMESPACE) else SHAPES
    catching = [path for path in fixtures(folder / "invalid") if any(r == rule for r, _ in fixture(path)[1])]
    assert catching, f"no invalid fixture in {folder / 'invalid'} expects {local_name(rule)}"
    assert any(path.stem.startswith(local_name(rule)) for path in catching), "one fixture must be named after it"


@pytest.mark.parametrize("rule", rule_shapes(), ids=lambda rule: local_name(rule))
def test_shape_applies_to_a_valid_fixture(rule: URIRef) -> None:
    """The shape has a focus node (and, for a property shape, a value) in some valid fixture."""
    applied = [path for path in fixtures(SHAPES / "valid") if applies(rule, path)]
    assert applied, f"no valid fixture gives {local_name(rule)} something to check"


@pytest.mark.parametrize("rule", qc_iris(), ids=lambda rule: local_name(rule))
def test_qc_query_has_valid_fixture(rule: URIRef) -> None:
    assert [path for path in fixtures(QC / "valid") if path.stem.startswith(local_name(rule))]


def test_every_shape_file_has_rules_with_fixtures() -> None:
    """Each file of shapes/ contributes at least one rule (so the coverage tests above reach it)."""
    from exokg.resources import shapes_dir

    rules = set(rule_shapes())
    for path in sorted(shapes_dir().glob("*.ttl")):
        own = parse_file(Graph(), path)
        assert rules & set(own.subjects()), f"{path.name} declares no shape"


# ---- Helpers for coverage ----


def local_name(rule: Node) -> str:
    text = str(rule)
    return text.removeprefix(QC_NAMESPACE).removeprefix(SHAPE_NS)


@cache
def merged_with_ontology(path: Path) -> tuple[Graph, frozenset[Node]]:
    data = fixture(path)[0]
    return data + ontology(), frozenset(own_nodes(data))


def applies(rule: URIRef, path: Path) -> bool:
    graph = shapes()
    merged, own = merged_with_ontology(path)
    focus = {node for node in focus_nodes(graph, rule, merged) if node in own}
    path = graph.value(rule, SH.path)
    if path is None:
        return bool(focus)
    rdf_path = to_rdflib_path(graph, path)
    return any(True for node in focus for _ in merged.objects(node, rdf_path))


def focus_nodes(graph: Graph, shape: Node, data: Graph) -> set[Node]:
    nodes: set[Node] = set()
    for cls in graph.objects(shape, SH.targetClass):
        for sub in data.transitive_subjects(RDFS.subClassOf, cls):
            nodes.update(data.subjects(RDF.type, sub))
    nodes.update(graph.objects(shape, SH.targetNode))
    for prop in graph.objects(shape, SH.targetSubjectsOf):
        nodes.update(data.subjects(prop, None))
    for prop in graph.objects(shape, SH.targetObjectsOf):
        nodes.update(data.objects(None, prop))
    return nodes


def to_rdflib_path(graph: Graph, path: Node) -> URIRef | RdfPath:
    if isinstance(path, URIRef):
        return path
    alternatives = graph.value(path, SH.alternativePath)
    assert alternatives is not None, "only IRI and alternative paths are used in shapes/"
    members = [member for member in Collection(graph, alternatives) if isinstance(member, URIRef)]
    return AlternativePath(*members)
