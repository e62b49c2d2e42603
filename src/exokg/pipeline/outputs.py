"""The serialise and export stages: every file of a build, serialised in memory, then written atomically.

Determinism is a promise: canonical blank node labels, sorted output, one prefix map,
so the same inputs give the same bytes whatever ``PYTHONHASHSEED`` is. Each graph is
put in canonical form once (:func:`exokg.io.rdfwrite.canonical`); Oxigraph writes
N-Triples, Turtle, TriG and N-Quads from it, rdflib only JSON-LD and RDF/XML.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from exokg.io.rdfwrite import (
    Canonical,
    canonical,
    canonical_from_ntriples,
    serialise_canonical,
    serialise_dataset,
    write_canonical,
    write_dataset,
)
from exokg.pipeline.assemble import Graphs, asserted_union
from exokg.vocab import GRAPH_INFERRED, GRAPH_MAPPINGS, GRAPH_ONTOLOGY, GRAPH_REVIEW

__all__ = ["CanonicalGraphs", "Output", "canonical_asserted", "canonical_graphs", "serialise_all", "write_exports"]


@dataclass(frozen=True)
class CanonicalGraphs:
    """A build's named graphs in canonical form, and the asserted union."""

    named: dict[URIRef, Canonical]
    union: Canonical

    def triples(self) -> dict[str, int]:
        """Graph IRI → number of triples (for the manifest)."""
        return {str(name): len(graph) for name, graph in sorted(self.named.items())}


@dataclass(frozen=True)
class Output:
    """One file of the build: its name, the graph it holds (None for TriG) and its text."""

    name: str
    graph: Canonical | None
    fmt: str
    text: str


def canonical_asserted(graphs: Graphs) -> CanonicalGraphs:
    """The asserted graphs (ontology, review, mappings) and their union in canonical form."""
    named = {
        URIRef(GRAPH_ONTOLOGY): canonical(graphs.ontology),
        URIRef(GRAPH_REVIEW): canonical(graphs.review),
        URIRef(GRAPH_MAPPINGS): canonical(graphs.mappings),
    }
    if sum(1 for graph in named.values() if graph.has_blank_nodes) > 1:
        return CanonicalGraphs(named, canonical(asserted_union(graphs)))
    # At most one part has blank nodes (today the ontology), so the union of the parts is canonical as it is.
    lines = {line for graph in named.values() for line in graph.ntriples.splitlines(keepends=True)}
    return CanonicalGraphs(named, canonical_from_ntriples("".join(sorted(lines))))


def canonical_graphs(graphs: Graphs, *, asserted: CanonicalGraphs | None = None) -> CanonicalGraphs:
    """The build's graphs in canonical form, computed once for every export and the store.

    ``asserted`` is :func:`canonical_asserted` of the same graphs when it was already computed.
    """
    asserted = asserted or canonical_asserted(graphs)
    named = dict(asserted.named)
    if graphs.inferred is not None:
        named[URIRef(GRAPH_INFERRED)] = canonical(graphs.inferred)
    return CanonicalGraphs(named, asserted.union)


def serialise_all(graphs: CanonicalGraphs) -> list[Output]:
    """Every export, serialised in memory from :func:`canonical_graphs`."""
    ontology = graphs.named[URIRef(GRAPH_ONTOLOGY)]
    plan: list[tuple[str, Canonical, str]] = [
        ("exokg.ttl", graphs.union, "ttl"),
        ("exokg.nt", graphs.union, "nt"),
        ("exokg.jsonld", graphs.union, "jsonld"),
        ("exokg-ontology.ttl", ontology, "ttl"),
        ("exokg-ontology.owl", ontology, "xml"),
    ]
    inferred = graphs.named.get(URIRef(GRAPH_INFERRED))
    if inferred is not None:
        plan.append(("exokg-inferred.ttl", inferred, "ttl"))
    outputs = [Output(name, graph, fmt, serialise_canonical(graph, fmt)) for name, graph, fmt in plan]
    outputs.append(Output("exokg.trig", None, "trig", serialise_dataset(graphs.named, "trig")))
    return outputs


def write_exports(graphs: CanonicalGraphs, outputs: list[Output], out: Path) -> None:
    """Write every output atomically, each checked by parsing it back."""
    for output in outputs:
        if output.graph is None:
            write_dataset(graphs.named, out / output.name, text=output.text)
        else:
            write_canonical(output.graph, out / output.name, output.fmt, text=output.text)
    if URIRef(GRAPH_INFERRED) not in graphs.named:
        (out / "exokg-inferred.ttl").unlink(missing_ok=True)
