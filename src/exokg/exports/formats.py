"""``exokg export``: one named graph (or the asserted union) of a build, in the format asked for."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Dataset, Graph, URIRef

from exokg.errors import InputError
from exokg.io.atomic import check_target, write_atomic
from exokg.io.rdfwrite import serialise_dataset, serialise_graph, write_graph
from exokg.pipeline.assemble import merged
from exokg.prefixes import bind_prefixes
from exokg.vocab import ASSERTED_GRAPH_NAMES, GRAPH

if TYPE_CHECKING:
    from exokg.exports.kgx import Kgx

__all__ = ["load_built_graphs", "run_export", "select_graph", "write_kgx_files"]


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


def run_export(*, dist: Path, fmt: str, graph_name: str, ids: str | None, output: str) -> None:
    """Write the export to ``output`` (a path, written atomically, or ``-`` for stdout).

    ``ids`` None means the format's default: Biolink-preferred external ids for KGX, exokg ids otherwise.
    An option a format cannot honour is refused, never ignored; so is a target that exists and is not a
    writable regular file, before any work.
    """
    if output != "-":
        kgx_parts = ("_nodes.tsv", "_edges.tsv", "_nodes.jsonl", "_edges.jsonl", "_graph.json")
        targets = [f"{output}{part}" for part in kgx_parts] if fmt == "kgx" else [output]
        for target in targets:
            check_target(Path(target))
    graphs = load_built_graphs(dist)
    chosen_ids = ids or ("external" if fmt == "kgx" else "exokg")
    if fmt == "sssom":
        _export_sssom(graph_name, chosen_ids, output)
        return
    if fmt == "kgx":
        _export_kgx(graphs, graph_name, chosen_ids, output)
        return
    if fmt == "trig":
        named = {URIRef(GRAPH + n): _ids(g, chosen_ids) for n, g in graphs.items() if graph_name in ("all", n)}
        _emit(output, serialise_dataset(named, "trig"))
        return
    graph = _ids(select_graph(graphs, graph_name), chosen_ids)
    if output == "-":
        sys.stdout.write(serialise_graph(graph, fmt))
    else:
        write_graph(graph, Path(output), fmt)


def _ids(graph: Graph, ids: str) -> Graph:
    if ids != "external":
        return graph
    from exokg.mappings.graph import external_ids_rewrite
    from exokg.mappings.sssom import read_sssom

    return external_ids_rewrite(graph, read_sssom()[1])


def _emit(output: str, text: str) -> None:
    if output == "-":
        sys.stdout.write(text)
    else:
        write_atomic(Path(output), text)


def _export_sssom(graph_name: str, ids: str, output: str) -> None:
    from exokg.mappings.sssom import read_sssom, render_sssom

    if graph_name not in ("all", "mappings"):
        raise InputError(f"SSSOM holds the mapping set: use --graph mappings or all, not {graph_name!r}")
    if ids != "exokg":
        raise InputError("SSSOM maps exokg ids to external ones: --ids external does not apply to it")
    metadata, mappings = read_sssom()
    _emit(output, render_sssom(mappings, metadata))


def _export_kgx(graphs: dict[str, Graph], graph_name: str, ids: str, output: str) -> None:
    """KGX TSV (and, to a file, JSON Lines and the graph metadata) of the review graph."""
    from exokg._version import package_version
    from exokg.exports.kgx import kgx_graph

    if graph_name not in ("all", "review"):
        raise InputError(f"KGX holds the review's entities and claims: use --graph review or all, not {graph_name!r}")
    kgx = kgx_graph(graphs.get("review", Graph()), graphs.get("mappings", Graph()), ids=ids)
    nodes, edges = kgx.tsv()
    if output == "-":
        sys.stdout.write(nodes + "\n" + edges)
        return
    write_kgx_files(kgx, Path(output), version=package_version())


def write_kgx_files(kgx: Kgx, stem: Path, *, version: str) -> list[Path]:
    """``stem``_nodes/_edges .tsv and .jsonl, and ``stem``_graph.json (the graph metadata); returns the paths."""
    import json

    nodes, edges = kgx.tsv()
    nodes_jsonl, edges_jsonl = kgx.jsonl()
    metadata = json.dumps(kgx.metadata(version=version), indent=2, sort_keys=True) + "\n"
    texts = {"_nodes.tsv": nodes, "_edges.tsv": edges, "_nodes.jsonl": nodes_jsonl, "_edges.jsonl": edges_jsonl,
             "_graph.json": metadata}  # fmt: skip
    paths = []
    for suffix, text in texts.items():
        path = stem.with_name(stem.name + suffix)
        write_atomic(path, text)
        paths.append(path)
    return paths
