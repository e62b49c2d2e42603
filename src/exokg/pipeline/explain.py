"""Say why the reasoner did what it did: why an individual is in an inferred class.

:func:`explain` (like :func:`exokg.pipeline.clashes.find_clashes`) reads told axioms only
(named superclasses, the operands of intersections, unions and existential restrictions, ``rdfs:domain``/``rdfs:range``,
inverses, symmetry, transitivity and property chains) from rdflib graphs. They run in
milliseconds and need no Java, so they also work when HermiT has refused the input.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

from rdflib import OWL, RDF, RDFS, BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

__all__ = ["Axioms", "Explanation", "Part", "Triple", "explain", "short", "show_triple"]

Triple = tuple[str, str, str]
_Step = tuple[URIRef, bool]  # a property of a chain, and whether it is walked backwards
_MAX_DEPTH = 4  # nested defined classes followed when a named operand has no type triple


@dataclass(frozen=True)
class Part:
    """One conjunct of a class definition, and the triples that satisfy it.

    >>> Part("exokg:Exosome", (("ex:a", str(RDF.type), "ex:B"),), (), ()).satisfied
    True
    """

    condition: str
    asserted: tuple[Triple, ...]
    inferred: tuple[Triple, ...]
    derivations: tuple[str, ...]  # why each inferred property triple holds

    @property
    def satisfied(self) -> bool:
        return bool(self.asserted or self.inferred)


@dataclass(frozen=True)
class Explanation:
    """Why ``individual`` belongs to ``defined_class``: its definition, part by part."""

    individual: str
    defined_class: str
    definition: str
    parts: tuple[Part, ...]

    def render(self) -> str:
        """Plain text for a terminal, one line per triple."""
        lines = [f"{short(self.individual)} is a {short(self.defined_class)} because {self.definition}:"]
        for part in self.parts:
            lines.append(f"  - {part.condition}" + ("" if part.satisfied else " (no supporting triple found)"))
            lines += [f"      asserted: {show_triple(t)}" for t in part.asserted]
            lines += [f"      inferred: {show_triple(t)}" for t in part.inferred]
            lines += [f"        {d}" for d in part.derivations]
        return "\n".join(lines)


def short(iri: str) -> str:
    """A CURIE when the prefix map knows the namespace, else the IRI in angle brackets.

    >>> short("https://w3id.org/exokg/vocab/OncomiR")
    'exokg:OncomiR'
    """
    from exokg.prefixes import compress

    return compress(iri) or f"<{iri}>"


def show_triple(triple: Triple) -> str:
    return " ".join(short(term) for term in triple)


class Axioms:
    """The told axioms of a graph, indexed for lookups."""

    def __init__(self, graph: Graph, told: Graph | None = None) -> None:
        self.graph = graph
        self.told = graph if told is None else told  # what was asserted, preferred as support

    def prefer_told(self, triples: list[tuple[Node, Node, Node]]) -> list[tuple[Node, Node, Node]]:
        """The asserted ones among ``triples`` if any, else all of them."""
        return [t for t in triples if t in self.told] or triples

    @cached_property
    def parents(self) -> dict[URIRef, set[URIRef]]:
        parents: dict[URIRef, set[URIRef]] = {}
        for cls, sup in self.graph.subject_objects(RDFS.subClassOf):
            for named in self._named_operands(sup):
                parents.setdefault(_uri(cls), set()).add(named)
        for cls, equivalent in self.graph.subject_objects(OWL.equivalentClass):
            for named in self._named_operands(equivalent):
                parents.setdefault(_uri(cls), set()).add(named)
            if isinstance(equivalent, URIRef) and isinstance(cls, URIRef):
                parents.setdefault(equivalent, set()).add(cls)
        return parents

    def _named_operands(self, expr: Node) -> list[URIRef]:
        if isinstance(expr, URIRef):
            return [expr]
        members = self.graph.value(expr, OWL.intersectionOf)
        return [m for m in Collection(self.graph, members) if isinstance(m, URIRef)] if members else []

    def ancestors(self, cls: URIRef) -> set[URIRef]:
        """``cls`` and every told superclass of it."""
        seen, todo = {cls}, [cls]
        while todo:
            for parent in self.parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    def definition(self, cls: URIRef) -> Node | None:
        return next((e for e in self.graph.objects(cls, OWL.equivalentClass) if isinstance(e, BNode)), None)

    def conjuncts(self, expr: Node) -> list[Node]:
        members = self.graph.value(expr, OWL.intersectionOf)
        return list(Collection(self.graph, members)) if members else [expr]

    def alternatives(self, expr: Node) -> list[Node]:
        members = self.graph.value(expr, OWL.unionOf)
        return list(Collection(self.graph, members)) if members else [expr]

    def some(self, expr: Node) -> tuple[URIRef, URIRef] | None:
        prop, filler = self.graph.value(expr, OWL.onProperty), self.graph.value(expr, OWL.someValuesFrom)
        return (prop, filler) if isinstance(prop, URIRef) and isinstance(filler, URIRef) else None

    @cached_property
    def inverses(self) -> dict[URIRef, URIRef]:
        pairs = {}
        for p, q in self.graph.subject_objects(OWL.inverseOf):
            if isinstance(p, URIRef) and isinstance(q, URIRef):
                pairs[p], pairs[q] = q, p
        return pairs

    def subproperties(self, prop: URIRef) -> set[URIRef]:
        """``prop`` and every told subproperty of it."""
        seen, todo = {prop}, [prop]
        while todo:
            for sub in self.graph.subjects(RDFS.subPropertyOf, todo.pop()):
                if isinstance(sub, URIRef) and sub not in seen:
                    seen.add(sub)
                    todo.append(sub)
        return seen

    def implied(self, prop: URIRef) -> tuple[list[URIRef], list[URIRef]]:
        """Classes a subject and an object of ``prop`` belong to, by domain and range (also of the inverse)."""
        subjects = [d for d in self.graph.objects(prop, RDFS.domain) if isinstance(d, URIRef)]
        objects = [r for r in self.graph.objects(prop, RDFS.range) if isinstance(r, URIRef)]
        inverse = self.inverses.get(prop)
        if inverse is not None:
            subjects += [r for r in self.graph.objects(inverse, RDFS.range) if isinstance(r, URIRef)]
            objects += [d for d in self.graph.objects(inverse, RDFS.domain) if isinstance(d, URIRef)]
        return subjects, objects

    @cached_property
    def disjoint(self) -> dict[URIRef, set[URIRef]]:
        pairs: dict[URIRef, set[URIRef]] = {}
        groups = [[a, b] for a, b in self.graph.subject_objects(OWL.disjointWith)]
        for node in self.graph.subjects(RDF.type, OWL.AllDisjointClasses):
            members = self.graph.value(node, OWL.members)
            if members is not None:
                groups.append(list(Collection(self.graph, members)))
        for group in groups:
            named = [c for c in group if isinstance(c, URIRef)]
            for a in named:
                pairs.setdefault(a, set()).update(c for c in named if c != a)
        return pairs

    @cached_property
    def chains(self) -> dict[URIRef, list[list[_Step]]]:
        chains: dict[URIRef, list[list[_Step]]] = {}
        for prop, members in self.graph.subject_objects(OWL.propertyChainAxiom):
            steps = [_step(self.graph, m) for m in Collection(self.graph, members)]
            chains.setdefault(_uri(prop), []).append(steps)
        return chains


def _uri(node: Node) -> URIRef:
    return node if isinstance(node, URIRef) else URIRef(str(node))


def _step(graph: Graph, member: Node) -> _Step:
    inverse = graph.value(member, OWL.inverseOf)
    return (inverse, True) if isinstance(inverse, URIRef) else (_uri(member), False)


def _render(axioms: Axioms, expr: Node) -> str:
    """Manchester-like text for a class expression."""
    if isinstance(expr, URIRef):
        return short(expr)
    some = axioms.some(expr)
    if some is not None:
        return f"({short(some[0])} some {short(some[1])})"
    if axioms.graph.value(expr, OWL.unionOf) is not None:
        return "(" + " or ".join(_render(axioms, e) for e in axioms.alternatives(expr)) + ")"
    if axioms.graph.value(expr, OWL.intersectionOf) is not None:
        return " and ".join(_render(axioms, e) for e in axioms.conjuncts(expr))
    return "(a class expression)"


# ---- explain -------------------------------------------------------------------------


def explain(asserted: Graph, inferred: Graph, individual_iri: str) -> list[Explanation]:
    """Why the individual belongs to each class the reasoner inferred for it, sorted by class.

    >>> explain(Graph(), Graph(), "https://w3id.org/exokg/entity/nobody")
    []
    """
    data = Graph()
    for graph in (asserted, inferred):
        for triple in graph:
            data.add(triple)
    axioms = Axioms(data, asserted)
    individual = URIRef(individual_iri)
    classes = sorted(c for c in inferred.objects(individual, RDF.type) if isinstance(c, URIRef))
    return [_explain_class(axioms, asserted, individual, cls) for cls in classes]


def _explain_class(axioms: Axioms, asserted: Graph, individual: URIRef, cls: URIRef) -> Explanation:
    expr = axioms.definition(cls)
    if expr is None:
        found = list(_by_domain_or_range(axioms, individual, cls))
        parts = tuple(_part(axioms, asserted, text, triples) for text, triples in found)
        return Explanation(str(individual), str(cls), "of the domain or range of a property it takes part in", parts)
    parts = tuple(
        _part(axioms, asserted, _render(axioms, conjunct), _support(axioms, individual, conjunct, cls, 0))
        for conjunct in axioms.conjuncts(expr)
    )
    return Explanation(str(individual), str(cls), _render(axioms, expr), parts)


def _part(axioms: Axioms, asserted: Graph, condition: str, triples: Iterable[tuple[Node, Node, Node]]) -> Part:
    unique = sorted(set(triples))
    told = tuple((str(s), str(p), str(o)) for s, p, o in unique if (s, p, o) in asserted)
    entailed = [(s, p, o) for s, p, o in unique if (s, p, o) not in asserted]
    derivations = tuple(d for t in entailed if (d := _derive(axioms, t)) is not None)
    return Part(condition, told, tuple((str(s), str(p), str(o)) for s, p, o in entailed), derivations)


def _support(axioms: Axioms, node: URIRef, expr: Node, target: URIRef, depth: int) -> list[tuple[Node, Node, Node]]:
    """Triples showing that ``node`` satisfies ``expr``, never using its membership of ``target`` itself."""
    found: list[tuple[Node, Node, Node]] = []
    for alternative in axioms.alternatives(expr):
        some = axioms.some(alternative)
        if some is not None:
            found += _support_some(axioms, node, some[0], some[1])
        elif isinstance(alternative, URIRef):
            found += _support_named(axioms, node, alternative, target, depth)
    return found


def _support_named(
    axioms: Axioms, node: URIRef, cls: URIRef, target: URIRef, depth: int
) -> list[tuple[Node, Node, Node]]:
    typed = axioms.prefer_told(
        [
            (node, RDF.type, t)
            for t in axioms.graph.objects(node, RDF.type)
            if isinstance(t, URIRef) and cls in axioms.ancestors(t) and target not in axioms.ancestors(t)
        ]
    )
    expr = axioms.definition(cls)
    if any(t in axioms.told for t in typed) or expr is None or depth >= _MAX_DEPTH:
        return typed
    # only inferred types say so: show why the definition of ``cls`` holds instead
    nested = [t for c in axioms.conjuncts(expr) for t in _support(axioms, node, c, target, depth + 1)]
    return nested or typed


def _support_some(axioms: Axioms, node: URIRef, prop: URIRef, filler: URIRef) -> list[tuple[Node, Node, Node]]:
    found: list[tuple[Node, Node, Node]] = []
    for sub in sorted(axioms.subproperties(prop)):
        for value in axioms.graph.objects(node, sub):
            types = [t for t in axioms.graph.objects(value, RDF.type) if isinstance(t, URIRef)]
            matching = axioms.prefer_told([(value, RDF.type, t) for t in types if filler in axioms.ancestors(t)])
            if matching or filler == OWL.Thing:
                found += [(node, sub, value), *matching]
    return found


def _by_domain_or_range(
    axioms: Axioms, node: URIRef, cls: URIRef
) -> Iterator[tuple[str, list[tuple[Node, Node, Node]]]]:
    for prop, value in sorted(axioms.graph.predicate_objects(node)):
        if isinstance(prop, URIRef) and any(cls in axioms.ancestors(d) for d in axioms.implied(prop)[0]):
            yield f"subject of {short(prop)}", [(node, prop, value)]
    for subject, prop in sorted(axioms.graph.subject_predicates(node)):
        if isinstance(prop, URIRef) and any(cls in axioms.ancestors(r) for r in axioms.implied(prop)[1]):
            yield f"object of {short(prop)}", [(subject, prop, node)]


def _derive(axioms: Axioms, triple: tuple[Node, Node, Node]) -> str | None:
    """One line on why an inferred property triple holds, preferring a reason from asserted triples."""
    s, p, o = triple
    if p == RDF.type or not isinstance(p, URIRef):
        return None
    candidates = list(_derivations(axioms, s, p, o))
    told = [text for text, premises in candidates if all(t in axioms.told for t in premises)]
    head = show_triple((str(s), str(p), str(o)))
    return f"{head}: {(told or [text for text, _ in candidates] or ['entailed'])[0]}"


def _derivations(axioms: Axioms, s: Node, p: URIRef, o: Node) -> Iterator[tuple[str, list[tuple[Node, Node, Node]]]]:
    """Candidate reasons for ``s p o``: property chain, inverse, symmetry, transitivity."""
    data = axioms.graph
    for steps in axioms.chains.get(p, []):
        path = _walk(data, s, o, steps)
        if path:
            yield "property chain via " + ", ".join(show_triple(_text(t)) for t in path), path
    inverse = axioms.inverses.get(p)
    if inverse is not None and (o, inverse, s) in data:
        yield f"inverse of {show_triple(_text((o, inverse, s)))}", [(o, inverse, s)]
    if (p, RDF.type, OWL.SymmetricProperty) in data and (o, p, s) in data:
        yield f"{short(p)} is symmetric", [(o, p, s)]
    if (p, RDF.type, OWL.TransitiveProperty) in data:
        for middle in sorted(data.objects(s, p), key=str):
            if middle not in (s, o) and (middle, p, o) in data:
                yield f"{short(p)} is transitive, via {short(str(middle))}", [(s, p, middle), (middle, p, o)]


def _text(triple: tuple[Node, Node, Node]) -> Triple:
    return (str(triple[0]), str(triple[1]), str(triple[2]))


def _walk(data: Graph, start: Node, end: Node, steps: list[_Step]) -> list[tuple[Node, Node, Node]]:
    """The triples of one path from ``start`` to ``end`` along a property chain, or []."""
    paths: list[tuple[Node, list[tuple[Node, Node, Node]]]] = [(start, [])]
    for prop, backwards in steps:
        nxt: list[tuple[Node, list[tuple[Node, Node, Node]]]] = []
        for node, path in paths:
            targets = data.subjects(prop, node) if backwards else data.objects(node, prop)
            for target in sorted(targets, key=str):
                edge = (target, prop, node) if backwards else (node, prop, target)
                nxt.append((target, [*path, edge]))
        paths = nxt
    return next((path for node, path in paths if node == end), [])
