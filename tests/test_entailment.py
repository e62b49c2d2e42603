"""Property values from the property axioms: each rule alone, and the same values as HermiT's ``-Y``."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Namespace

from exokg.pipeline.assemble import assemble, asserted_union
from exokg.pipeline.entailment import entailed_property_values
from exokg.pipeline.ontology import load_ontology
from exokg.pipeline.reason import java_available, reason

EX = Namespace("http://example.org/")
DATA = Path(__file__).parent / "data" / "reason"
PREFIXES = "@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ."
PREFIXES += (
    " @prefix : <http://example.org/> . :p a owl:ObjectProperty . :q a owl:ObjectProperty . :r a owl:ObjectProperty ."
)


def entailed(turtle: str) -> set[tuple[str, str, str]]:
    graph = Graph().parse(data=PREFIXES + turtle, format="turtle")
    return {(s.removeprefix(EX), p.removeprefix(EX), o.removeprefix(EX)) for s, p, o in entailed_property_values(graph)}


def test_values_are_not_copied_to_super_properties_as_hermit_does_not() -> None:
    assert ("a", "q", "b") not in entailed(":p rdfs:subPropertyOf :q . :a :p :b .")


def test_inverse_and_symmetric() -> None:
    assert ("b", "q", "a") in entailed(":p owl:inverseOf :q . :a :p :b .")
    assert ("a", "p", "b") in entailed(":p owl:inverseOf :q . :b :q :a .")
    assert ("b", "p", "a") in entailed(":p a owl:SymmetricProperty . :a :p :b .")


def test_transitive_with_inverse() -> None:
    found = entailed(
        ":p a owl:TransitiveProperty ; owl:inverseOf :q . :q a owl:TransitiveProperty . :a :p :b . :b :p :c ."
    )
    assert {("a", "p", "c"), ("c", "q", "a")} <= found


def test_chain_with_an_inverse_link() -> None:
    found = entailed(":r owl:propertyChainAxiom ( [ owl:inverseOf :p ] :q ) . :claim :p :x ; :q :v .")
    assert ("x", "r", "v") in found
    assert ("v", "r", "x") not in found


def test_literals_and_non_object_properties_are_left_alone() -> None:
    found = entailed(':p a owl:TransitiveProperty . :a :p :b . :b :p "c" . :a :other :b .')
    assert found == {("a", "p", "b")}


needs_java = pytest.mark.skipif(not java_available(), reason="Java is not installed")


@pytest.mark.slow
@needs_java
@pytest.mark.parametrize("source", ["review", "classify.ttl"])
def test_same_inferred_graph_as_hermit_property_values(source: str) -> None:
    """The inferred graph without ``-Y`` (rules for the property values) equals today's with ``-Y``."""
    if source == "review":
        asserted = asserted_union(assemble())
    else:
        asserted = load_ontology().parse(DATA / source, format="turtle")
    fast = reason(asserted)
    old = reason(asserted, hermit_property_values=True)
    assert len(old.inferred) > 0
    assert set(fast.inferred) == set(old.inferred)
    assert fast.unsatisfiable == old.unsatisfiable
