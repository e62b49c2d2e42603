"""Every constraint of every shape can fail: one failing case per (shape, constraint component).

tests/test_shapes_fixtures.py has one invalid fixture per shape, so removing
``sh:maxCount`` from a shape that also has ``sh:datatype``, or turning
``sh:minExclusive`` into ``sh:minInclusive``, broke no test. Here each property shape's
value constraints (minCount, maxCount, datatype, minExclusive, minInclusive, pattern,
languageIn, nodeKind) are broken one at a time on a clone of a node of the valid
fixtures, and the result must come from that shape *and that component*; boundary
values (exactly the minimum) tell minExclusive from minInclusive. The remaining
components (class, or, not, qualifiedValueShape, lessThanOrEquals, node kinds of node
shapes) must each be the source of a result of a hand-written invalid fixture.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from rdflib import RDF, SH, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from exokg.io.rdf import parse_file
from exokg.pipeline.ontology import load_ontology
from exokg.pipeline.validate.shacl import load_shapes, validate_graph

DATA = Path(__file__).parent / "data" / "shapes"
TEST = "https://w3id.org/exokg/test#"
SHAPE_NS = "https://w3id.org/exokg/shapes/"
MUTATED = {SH.minCount, SH.maxCount, SH.datatype, SH.minExclusive, SH.minInclusive, SH.pattern, SH.languageIn,
           SH.nodeKind}  # fmt: skip
NOT_COMPONENTS = {SH.path, SH.targetClass, SH.severity, SH.message, SH.description, SH.targetSubjectsOf,
                  SH.targetObjectsOf, SH.targetNode, SH.name, SH.deactivated, SH.qualifiedMinCount,
                  SH.qualifiedMaxCount, SH.flags, SH.ignoredProperties, SH.property, RDF.type}  # fmt: skip


def component(parameter: URIRef) -> URIRef:
    """sh:minCount -> sh:MinCountConstraintComponent (sh:class -> sh:ClassConstraintComponent).

    A qualified value shape reports as its count component (the shapes use only qualifiedMinCount).
    """
    name = "qualifiedMinCount" if parameter == SH.qualifiedValueShape else str(parameter).removeprefix(str(SH))
    return URIRef(f"{SH}{name[0].upper()}{name[1:]}ConstraintComponent")


@cache
def ontology() -> Graph:
    return load_ontology()


@cache
def shapes() -> Graph:
    return load_shapes()


def all_pairs() -> list[tuple[URIRef, URIRef]]:
    graph = shapes()
    named = set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.subjects(RDF.type, SH.PropertyShape))
    return sorted(
        (shape, parameter)
        for shape in named
        if isinstance(shape, URIRef)
        for parameter in set(graph.predicates(shape))
        if isinstance(parameter, URIRef) and str(parameter).startswith(str(SH)) and parameter not in NOT_COMPONENTS
    )


def fixture_graph(path: Path) -> Graph:
    graph = Graph()
    parse_file(graph, DATA / "context.ttl")
    parse_file(graph, path)
    for triple in list(graph):
        if any(isinstance(t, URIRef) and t.startswith(TEST) for t in triple):
            graph.remove(triple)
    return graph


def focus_with_value(shape: URIRef, graph: Graph) -> tuple[Node, Node] | None:
    """A node of ``graph`` (not of the ontology) the shape targets, and one value of its path."""
    targets = set(shapes().objects(shape, SH.targetClass))
    path = shapes().value(shape, SH.path)
    if not isinstance(path, URIRef) or not targets:
        return None
    merged = graph + ontology()
    own = set(graph.subjects()) - set(ontology().subjects())
    subclass = URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf")
    for cls in sorted(targets):
        for sub in sorted(set(merged.transitive_subjects(subclass, cls))):
            for node in sorted(n for n in merged.subjects(RDF.type, sub) if n in own and isinstance(n, URIRef)):
                value = next(iter(sorted(graph.objects(node, path))), None)
                if value is not None:
                    return node, value
    return None


def broken_values(parameter: URIRef, setting: Node, value: Node) -> list[Node]:
    """Values of the path that break exactly the constraint ``parameter setting`` (others may break too)."""
    datatype = value.datatype if isinstance(value, Literal) else None
    if parameter == SH.minCount:
        return []
    if parameter == SH.maxCount:
        count = int(setting) + 1
        if isinstance(value, Literal):
            if datatype in (XSD.decimal, XSD.integer, XSD.double):
                return [Literal(Decimal(str(value)) + i + 1, datatype=datatype) for i in range(count)]
            return [Literal(f"{value} {i}", lang=value.language, datatype=datatype) for i in range(count)]
        return [URIRef(f"{value}-extra{i}") for i in range(count)]
    if parameter == SH.datatype:
        return [Literal("x", datatype=XSD.token if setting == XSD.string else None)]
    if parameter == SH.minExclusive:
        return [Literal(setting, datatype=datatype)]  # exactly the bound: must fail
    if parameter == SH.minInclusive:
        return [Literal(Decimal(str(setting)) - 1, datatype=datatype)]
    if parameter == SH.pattern:
        if isinstance(value, URIRef):
            return [URIRef("urn:exokg-test:does-not-match")]
        return [Literal("!! does not match", lang=value.language if isinstance(value, Literal) else None,
                        datatype=datatype)]  # fmt: skip
    if parameter == SH.languageIn:
        return [Literal(str(value), lang="zz")]
    if parameter == SH.nodeKind:
        return [URIRef("urn:exokg-test:iri")] if setting == SH.Literal else [Literal("a literal")]
    raise AssertionError(parameter)


@cache
def mutation_results() -> dict[tuple[URIRef, URIRef], bool]:
    """(shape, parameter) -> whether breaking it on a clone gave a result from that shape and component."""
    outcome: dict[tuple[URIRef, URIRef], bool] = {}
    for path in sorted((DATA / "valid").glob("*.ttl")):
        graph = fixture_graph(path)
        clones: dict[URIRef, tuple[URIRef, URIRef]] = {}
        for shape, parameter in all_pairs():
            if parameter not in MUTATED or (shape, parameter) in outcome or (shape, parameter) in clones.values():
                continue
            found = focus_with_value(shape, graph)
            if found is None:
                continue
            node, value = found
            clone = URIRef(f"{node}-broken-{len(clones)}")
            for p, o in list(graph.predicate_objects(node)):
                graph.add((clone, p, o))
            prop = shapes().value(shape, SH.path)
            graph.remove((clone, prop, None))
            setting = shapes().value(shape, parameter)
            assert setting is not None
            for new in broken_values(parameter, setting, value):
                graph.add((clone, prop, new))
            clones[clone] = (shape, parameter)
        if not clones:
            continue
        results = validate_graph(graph, ontology()).results_graph
        seen = {(results.value(r, SH.focusNode), results.value(r, SH.sourceShape),
                 results.value(r, SH.sourceConstraintComponent))
                for r in results.subjects(RDF.type, SH.ValidationResult)}  # fmt: skip
        for clone, (shape, parameter) in clones.items():
            outcome[(shape, parameter)] = (clone, shape, component(parameter)) in seen
    return outcome


@cache
def fixture_components() -> set[tuple[Node, Node]]:
    """(shape, component) of every result of the hand-written invalid fixtures."""
    found = set()
    for path in sorted((DATA / "invalid").glob("*.ttl")):
        results = validate_graph(fixture_graph(path), ontology()).results_graph
        for result in results.subjects(RDF.type, SH.ValidationResult):
            found.add((results.value(result, SH.sourceShape), results.value(result, SH.sourceConstraintComponent)))
    return found


def label(pair: tuple[URIRef, URIRef]) -> str:
    return f"{str(pair[0]).removeprefix(SHAPE_NS)}-{str(pair[1]).removeprefix(str(SH))}"


@pytest.mark.slow
@pytest.mark.parametrize("pair", all_pairs(), ids=label)
def test_each_constraint_of_each_shape_can_fail(pair: tuple[URIRef, URIRef]) -> None:
    shape, parameter = pair
    mutated = mutation_results()
    if (shape, parameter) in mutated:
        assert mutated[(shape, parameter)], f"breaking {label(pair)} gave no result from that component"
        return
    assert (shape, component(parameter)) in fixture_components(), (
        f"no invalid fixture fails {label(pair)}: add one to tests/data/shapes/invalid/"
    )


def test_the_constraints_are_the_recorded_ones() -> None:
    """Dropping a constraint (say sh:maxCount of Claim-foldChange) or swapping one must show up here."""
    recorded = [line.split("\t") for line in (DATA / "constraints.tsv").read_text(encoding="utf-8").splitlines()[3:]]
    actual = [[str(shape).removeprefix(SHAPE_NS), "sh:" + str(p).removeprefix(str(SH))] for shape, p in all_pairs()]
    assert actual == recorded
