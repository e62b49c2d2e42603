"""``exokg export``: one named graph (or the asserted union) of a build, in the format asked for."""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from exokg.errors import InputError
from exokg.io.atomic import check_target, write_atomic
from exokg.io.rdfwrite import serialise_dataset, serialise_graph, write_graph
from exokg.pipeline.assemble import merged
from exokg.prefixes import bind_prefixes
from exokg.vocab import ASSERTED_GRAPH_NAMES, GRAPH

__all__ = ["load_built_graphs", "run_export", "select_graph"]


def load_built_graphs(dist: Path) -> dict[str, Graph]:
    """The named graphs of a build, read from its ``exokg.trig``, by short name."""
    path = dist / "exokg.trig"
    if not path.is_file():
        raise InputError("no built graph here: run `exokg build` first (or pass --dist)", path=path)
    dataset = Dataset()
    try:
        dataset.parse(path, format="trig")
    except Exception as exc:
        raise InputError(f"cannot parse the built TriG: {exc}", path=path) from None
    graphs = {}
    for graph in dataset.graphs():
        name = str(graph.identifier)
        if name.startswith(GRAPH):
            copy = bind_prefixes(Graph())
            for triple in graph:
                copy.add(triple)
            graphs[name.removeprefix(GRAPH)] = copy
    return graphs


def select_graph(graphs: dict[str, Graph], name: str) -> Graph:
    """A named graph by short name, or ``all`` for the union of the asserted graphs."""
    if name == "all":
        return merged(*(graphs.get(part, Graph()) for part in ASSERTED_GRAPH_NAMES))
    if name not in graphs:
        raise InputError(f"graph {name!r} is not in this build (it has: {', '.join(sorted(graphs))})")
    return graphs[name]


def run_export(*, dist: Path, fmt: str, graph_name: str, ids: str, output: str) -> None:
    """Write the export to ``output`` (a path, written atomically, or ``-`` for stdout).

    A target that exists and is not a writable regular file is refused before any work.
    """
    if output != "-":
        targets = [f"{output}_nodes.tsv", f"{output}_edges.tsv"] if fmt == "kgx" else [output]
        for target in targets:
            check_target(Path(target))
    graphs = load_built_graphs(dist)
    if fmt == "sssom":
        from exokg.mappings.sssom import read_sssom, render_sssom

        metadata, mappings = read_sssom()
        _emit(output, render_sssom(mappings, metadata))
        return
    graph = select_graph(graphs, graph_name)
    if ids == "external":
        from exokg.mappings.graph import external_ids_rewrite
        from exokg.mappings.sssom import read_sssom

        graph = external_ids_rewrite(graph, read_sssom()[1])
    if fmt == "kgx":
        _export_kgx(graphs, output)
    elif fmt == "trig":
        named = {URIRef(GRAPH + n): g for n, g in graphs.items() if graph_name in ("all", n)}
        _emit(output, serialise_dataset(named, "trig"))
    elif output == "-":
        sys.stdout.write(serialise_graph(graph, fmt))
    else:
        write_graph(graph, Path(output), fmt)


def _emit(output: str, text: str) -> None:
    if output == "-":
        sys.stdout.write(text)
    else:
        write_atomic(Path(output), text)


def _export_kgx(graphs: dict[str, Graph], output: str) -> None:
    from exokg.exports.kgx import kgx_nodes_edges

    nodes, edges = kgx_nodes_edges(graphs.get("review", Graph()), graphs.get("mappings", Graph()))
    if output == "-":
        sys.stdout.write(nodes)
        sys.stdout.write("\n")
        sys.stdout.write(edges)
        return
    stem = Path(output)
    write_atomic(stem.with_name(stem.name + "_nodes.tsv"), nodes)
    write_atomic(stem.with_name(stem.name + "_edges.tsv"), edges)
