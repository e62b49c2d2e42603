"""The serialise and export stages: every file of a build, serialised in memory, then written atomically.

Determinism is a promise: canonical blank node labels, sorted output, one prefix map,
so the same inputs give the same bytes whatever ``PYTHONHASHSEED`` is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from exokg.io.rdfwrite import canonical, serialise_dataset, serialise_graph, write_dataset, write_graph
from exokg.pipeline.assemble import Graphs, asserted_union

__all__ = ["Output", "canonical_graphs", "serialise_all", "write_exports"]


@dataclass(frozen=True)
class Output:
    """One file of the build: its name, the graph it holds (None for TriG) and its text."""

    name: str
    graph: Graph | None
    fmt: str
    text: str


def canonical_graphs(graphs: Graphs) -> Graphs:
    """The same graphs with content-derived blank node labels, computed once for every export."""
    inferred = canonical(graphs.inferred) if graphs.inferred is not None else None
    return Graphs(canonical(graphs.ontology), canonical(graphs.review), canonical(graphs.mappings), inferred)


def serialise_all(graphs: Graphs) -> list[Output]:
    """Every export, serialised in memory from graphs that :func:`canonical_graphs` returned."""
    union, ontology = asserted_union(graphs), graphs.ontology  # blank node labels stay as canonicalised
    plan: list[tuple[str, Graph, str]] = [
        ("exokg.ttl", union, "ttl"),
        ("exokg.nt", union, "nt"),
        ("exokg.jsonld", union, "jsonld"),
        ("exokg-ontology.ttl", ontology, "ttl"),
        ("exokg-ontology.owl", ontology, "xml"),
    ]
    if graphs.inferred is not None:
        plan.append(("exokg-inferred.ttl", graphs.inferred, "ttl"))
    outputs = [Output(name, graph, fmt, serialise_graph(graph, fmt, canonicalised=True)) for name, graph, fmt in plan]
    outputs.append(Output("exokg.trig", None, "trig", serialise_dataset(graphs.named(), "trig", canonicalised=True)))
    return outputs


def write_exports(graphs: Graphs, outputs: list[Output], out: Path) -> None:
    """Write every output atomically, each checked by parsing it back."""
    for output in outputs:
        if output.graph is None:
            write_dataset(graphs.named(), out / output.name, text=output.text)
        else:
            write_graph(output.graph, out / output.name, output.fmt, text=output.text)
    if graphs.inferred is None:
        (out / "exokg-inferred.ttl").unlink(missing_ok=True)
