"""Find who clashes when the reasoner finds the graph inconsistent: disjoint told types of one individual.

Read from told axioms only (see :mod:`exokg.pipeline.explain`), in milliseconds and
without Java, so the error names the individual even when HermiT only says "inconsistent".
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from exokg.pipeline.explain import Axioms, short, show_triple

__all__ = ["Clash", "find_clashes"]


@dataclass(frozen=True)
class Clash:
    """An individual whose told types include two disjoint classes."""

    individual: str
    label: str
    first: str
    second: str
    reasons: tuple[str, ...]  # how the individual gets each of the two types

    def render(self) -> str:
        """One line naming the individual, its label, the two classes and where each type comes from.

        >>> vocab = "https://w3id.org/exokg/vocab/"
        >>> Clash("https://w3id.org/exokg/entity/x", "x", vocab + "Exosome", vocab + "Protein", ("a", "b")).render()
        'exokg.entity:x "x" is both exokg:Exosome and exokg:Protein, which are disjoint (a; b)'
        """
        name = short(self.individual) + (f' "{self.label}"' if self.label else "")
        why = "; ".join(self.reasons)
        return f"{name} is both {short(self.first)} and {short(self.second)}, which are disjoint ({why})"


def find_clashes(graph: Graph) -> list[Clash]:
    """Individuals whose told types (asserted, by subclass, domain or range) include two disjoint classes.

    >>> find_clashes(Graph())
    []
    """
    axioms = Axioms(graph)
    clashes: list[Clash] = []
    for node in sorted(_individuals(graph)):
        types = _told_types(axioms, node)
        seen: set[frozenset[URIRef]] = set()
        for first in sorted(types):
            for second in sorted(axioms.disjoint.get(first, set()) & types.keys()):
                pair = frozenset((first, second))
                if pair not in seen:
                    seen.add(pair)
                    label = str(graph.value(node, RDFS.label) or "")
                    clashes.append(Clash(str(node), label, str(first), str(second), (types[first], types[second])))
    return clashes


def _individuals(graph: Graph) -> set[URIRef]:
    found = {s for s, o in graph.subject_objects(RDF.type) if isinstance(s, URIRef) and o == OWL.NamedIndividual}
    classes = set(graph.subjects(RDF.type, OWL.Class))
    found |= {s for s, o in graph.subject_objects(RDF.type) if isinstance(s, URIRef) and o in classes}
    return found


def _told_types(axioms: Axioms, node: URIRef) -> dict[URIRef, str]:
    """Every told class of ``node`` (with ancestors), mapped to the triple it comes from."""
    direct: dict[URIRef, str] = {}
    for cls in sorted(axioms.graph.objects(node, RDF.type), key=str):
        if isinstance(cls, URIRef):
            direct.setdefault(cls, f"asserted {show_triple((str(node), str(RDF.type), str(cls)))}")
    for prop, value in sorted(axioms.graph.predicate_objects(node)):
        if isinstance(prop, URIRef):
            for cls in axioms.implied(prop)[0]:
                direct.setdefault(cls, f"{show_triple((str(node), str(prop), str(value)))} (domain {short(cls)})")
    for subject, prop in sorted(axioms.graph.subject_predicates(node)):
        if isinstance(prop, URIRef):
            for cls in axioms.implied(prop)[1]:
                direct.setdefault(cls, f"{show_triple((str(subject), str(prop), str(node)))} (range {short(cls)})")
    types: dict[URIRef, str] = {}
    for cls, why in direct.items():
        for ancestor in sorted(axioms.ancestors(cls)):
            types.setdefault(ancestor, why)
    return types
