"""Object property values entailed by the ontology's property axioms, without a reasoner.

HermiT's ``-Y`` (owlready2's ``infer_property_values``) doubles its run time to report
the property values between named individuals. exokg's ontology states property
values only through OWL 2 RL property axioms, so their closure under the RL rules
gives the same values, soundly: inverses (prp-inv), symmetry (prp-symp), transitivity
(prp-trp) and property chains, including inverse links (prp-spo2). Like HermiT's
``-Y``, which reports each property's own known instances, values are not copied up
to super-properties (prp-spo1): ``p ⊑ q`` and ``p(a, b)`` give no ``q(a, b)`` there
either. A test compares the result with HermiT's ``-Y`` on the review graph and on
the reasoner fixtures.

>>> from rdflib import Graph
>>> g = Graph().parse(format="turtle", data='''
... @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix : <http://example.org/> .
... :p a owl:ObjectProperty, owl:TransitiveProperty . :a :p :b . :b :p :c .''')
>>> sorted(o.n3() for s, p, o in entailed_property_values(g) if s.n3() == "<http://example.org/a>")
['<http://example.org/b>', '<http://example.org/c>']
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import OWL, RDF, BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

__all__ = ["entailed_property_values"]

_Fact = tuple[URIRef, URIRef, URIRef]
_Link = tuple[URIRef, bool]  # a property, and whether the chain walks it backwards


def entailed_property_values(graph: Graph) -> set[_Fact]:
    """Every object property value between IRIs that the property axioms of ``graph`` entail (asserted included)."""
    properties = {p for p in graph.subjects(RDF.type, OWL.ObjectProperty) if isinstance(p, URIRef)}
    implies: dict[URIRef, set[tuple[URIRef, bool]]] = defaultdict(
        set
    )  # p -> {(q, reversed)}: p(x,y) ⊨ q(x,y) or q(y,x)
    for p, q in graph.subject_objects(OWL.inverseOf):
        _link(implies, properties, p, q, reverse=True)
        _link(implies, properties, q, p, reverse=True)
    for p in graph.subjects(RDF.type, OWL.SymmetricProperty):
        _link(implies, properties, p, p, reverse=True)
    transitive = {p for p in graph.subjects(RDF.type, OWL.TransitiveProperty) if isinstance(p, URIRef)} & properties
    chains = [
        (p, _chain(graph, head))
        for p, head in graph.subject_objects(OWL.propertyChainAxiom)
        if isinstance(p, URIRef) and p in properties
    ]
    facts: set[_Fact] = {
        (s, p, o)
        for s, p, o in graph
        if isinstance(p, URIRef) and p in properties and isinstance(s, URIRef) and isinstance(o, URIRef)
    }
    while True:
        found = set(facts)
        for s, p, o in facts:
            for q, reverse in implies.get(p, ()):
                found.add((o, q, s) if reverse else (s, q, o))
        for p in transitive:
            found |= _transitive_closure(p, found)
        for p, links in chains:
            if links is not None:
                found |= _chained(p, links, found)
        if found == facts:
            return facts
        facts = found


def _link(implies: dict[URIRef, set[tuple[URIRef, bool]]], properties: set[URIRef], p: Node, q: Node, *,
          reverse: bool) -> None:  # fmt: skip
    if isinstance(p, URIRef) and isinstance(q, URIRef) and p in properties and q in properties:
        implies[p].add((q, reverse))


def _chain(graph: Graph, head: Node) -> list[_Link] | None:
    """The links of a property chain; None when one is neither a property nor the inverse of one."""
    links: list[_Link] = []
    for item in Collection(graph, head):
        if isinstance(item, URIRef):
            links.append((item, False))
            continue
        inverse = graph.value(item, OWL.inverseOf) if isinstance(item, BNode) else None
        if not isinstance(inverse, URIRef):
            return None
        links.append((inverse, True))
    return links


def _pairs(p: URIRef, facts: set[_Fact], *, reverse: bool = False) -> dict[URIRef, set[URIRef]]:
    pairs: dict[URIRef, set[URIRef]] = defaultdict(set)
    for s, q, o in facts:
        if q == p:
            pairs[o if reverse else s].add(s if reverse else o)
    return pairs


def _transitive_closure(p: URIRef, facts: set[_Fact]) -> set[_Fact]:
    step = _pairs(p, facts)
    closed: set[_Fact] = set()
    for start in step:
        seen: set[URIRef] = set()
        todo = list(step[start])
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(step.get(node, ()))
        closed |= {(start, p, end) for end in seen}
    return closed


def _chained(p: URIRef, links: list[_Link], facts: set[_Fact]) -> set[_Fact]:
    steps = [_pairs(q, facts, reverse=reverse) for q, reverse in links]
    frontier = {start: {start} for start in steps[0]} if steps else {}
    for step in steps:
        frontier = {start: {n for node in ends for n in step.get(node, ())} for start, ends in frontier.items()}
    return {(start, p, end) for start, ends in frontier.items() for end in ends}
